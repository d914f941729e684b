#!/usr/bin/env bash
# Regenerates the `replace` block of test/harness/kube/go.mod from kubernetes' own go.mod.
#
# k8s.io/kubernetes requires its staging modules (k8s.io/api, client-go, ...) at v0.0.0 and
# points them at ./staging/src/... with replace lines, which do not apply when kubernetes is a
# dependency. So every module that kubernetes requires at v0.0.0 must be pinned by us to the
# matching published v0.<minor>.<patch> tag. Usage: gen-replaces.sh [v1.36.3]
set -euo pipefail
k8s_version="${1:-v1.36.3}"
staging_version="v0.${k8s_version#v1.}"
cd "$(dirname "$0")"
modfile="$(go mod download -json "k8s.io/kubernetes@${k8s_version}" | jq -r .GoMod)"
[ -f "$modfile" ] || { echo "could not download go.mod of k8s.io/kubernetes@${k8s_version}" >&2; exit 1; }
modules="$(go mod edit -json "$modfile" | jq -r '.Require[] | select(.Version == "v0.0.0") | .Path')"
[ -n "$modules" ] || { echo "no v0.0.0 requirements found in $modfile" >&2; exit 1; }
args=()
for mod in $modules; do
  args+=("-replace=${mod}=${mod}@${staging_version}")
done
go mod edit "${args[@]}"
echo "pinned $(wc -w <<<"$modules") k8s.io staging modules to ${staging_version}" >&2
