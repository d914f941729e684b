#!/usr/bin/env bash
# Builds the upstream control-plane programs the integration tests run (kube-apiserver, kubectl,
# etcd, Pebble, the cert-manager controller, krew) from the Go modules pinned in
# test/harness/<component>/go.mod, into a cache outside the repository:
#
#   ${VIBECTL_TLS_CACHE:-$HOME/.cache/vibectl-tls}/bin/<component>-<version>/<program>
#   ${VIBECTL_TLS_CACHE:-$HOME/.cache/vibectl-tls}/bin/manifest.json
#
# Usage: test/harness/build.sh [component...]     (default: all of kube etcd pebble certmanager krew)
#
# A component is rebuilt only when the sha256 of its go.mod, go.sum, *.go files and build recipe
# (packages, ldflags, Go version) differs from the stamp left by the last successful build, so a
# warm run returns in well under a second. Binaries are written under a temporary name and renamed,
# so an interrupted build never leaves a half-written program behind. Dependencies come from the
# committed go.sum (-mod=readonly) through the Go module proxy. Concurrent runs wait on a lock.
#
# Environment: VIBECTL_TLS_CACHE (cache root), VIBECTL_TLS_BUILD_JOBS (go build -p, default 2),
# plus the usual Go variables (GOPROXY, GOCACHE, GOMODCACHE). Timings: BUILD-TIMES.md.
set -euo pipefail

COMPONENTS=(kube etcd pebble certmanager krew)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${VIBECTL_TLS_CACHE:-$HOME/.cache/vibectl-tls}"
bin_root="$cache/bin"

if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then PATH="/usr/local/go/bin:$PATH"; else
    echo "build.sh: the Go toolchain (go) is not on PATH" >&2; exit 1
  fi
fi

# Static binaries, as upstream release builds of all these programs are; no C toolchain needed.
export CGO_ENABLED=0

# module_version DIR MODULE: the version of MODULE required in DIR/go.mod (no `go` call: fast).
module_version() {
  awk -v m="$2" '
    { for (i = 1; i < NF; i++) if ($i == m && $(i + 1) ~ /^v[0-9]/) { print $(i + 1); exit } }
  ' "$1/go.mod"
}

# spec COMPONENT: sets dir, module, programs ("name=package" words) and ldflags.
spec() {
  dir="$here/$1"
  case "$1" in
    kube)
      module=k8s.io/kubernetes
      programs="kube-apiserver=k8s.io/kubernetes/cmd/kube-apiserver kubectl=k8s.io/kubernetes/cmd/kubectl" ;;
    etcd)
      module=go.etcd.io/etcd/server/v3
      programs="etcd=go.etcd.io/etcd/server/v3" ;;
    pebble)
      module=github.com/letsencrypt/pebble/v2
      programs="pebble=github.com/letsencrypt/pebble/v2/cmd/pebble pebble-challtestsrv=github.com/letsencrypt/pebble/v2/cmd/pebble-challtestsrv" ;;
    certmanager)
      module=github.com/cert-manager/cert-manager
      programs="cert-manager-controller=." ;;
    krew)
      module=sigs.k8s.io/krew
      programs="krew=sigs.k8s.io/krew/cmd/krew" ;;
    *)
      echo "build.sh: unknown component '$1' (known: ${COMPONENTS[*]})" >&2; return 1 ;;
  esac
  version="$(module_version "$dir" "$module")"
  [ -n "$version" ] || { echo "build.sh: $module not found in $dir/go.mod" >&2; return 1; }
  pin="$1-$version"
  out="$bin_root/$pin"
  ldflags="-s -w"
  case "$1" in
    kube)
      local major minor p
      major="${version#v}"; major="${major%%.*}"
      minor="${version#v*.}"; minor="${minor%%.*}"
      # What hack/lib/version.sh stamps into release builds, so /version and
      # `kubectl version` report the pinned release rather than v0.0.0-master.
      for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
        ldflags+=" -X $p.gitVersion=$version -X $p.gitMajor=$major -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
      done ;;
    pebble) ldflags+=" -X main.version=$version" ;;
    certmanager) ldflags+=" -X github.com/cert-manager/cert-manager/pkg/util.AppVersion=$version" ;;
    krew) ldflags+=" -X sigs.k8s.io/krew/internal/version.gitTag=$version" ;;
  esac
}

# fingerprint: sha256 over the component's inputs and recipe.
fingerprint() {
  {
    printf 'recipe %s|%s|%s|%s|%s/%s|cgo=%s\n' "$pin" "$programs" "$ldflags" "$go_version" "$go_os" "$go_arch" "$CGO_ENABLED"
    local f
    for f in "$dir"/go.mod "$dir"/go.sum "$dir"/*.go; do
      [ -f "$f" ] || continue
      printf 'file %s\n' "${f##*/}"
      cat "$f"
    done
  } | sha256sum | cut -d' ' -f1
}

binaries_present() {
  local p
  for p in $programs; do [ -x "$out/${p%%=*}" ] || return 1; done
}

build_component() {
  spec "$1"
  local fp stamp
  fp="$(fingerprint)"
  stamp="$out/.stamp"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$fp" ] && binaries_present; then
    echo "$pin: cached ($out)"
    return 0
  fi
  mkdir -p "$out"
  rm -f "$stamp"
  rm -f "$out"/.*.tmp.* # leftovers of an interrupted build
  local start p name pkg
  start=$SECONDS
  for p in $programs; do
    name="${p%%=*}"; pkg="${p#*=}"
    tmp_file="$out/.$name.tmp.$$"
    (cd "$dir" && go build -mod=readonly -p "${VIBECTL_TLS_BUILD_JOBS:-2}" -trimpath -ldflags="$ldflags" -o "$tmp_file" "$pkg")
    mv -f "$tmp_file" "$out/$name"
    tmp_file=""
  done
  printf '%s\n' "$fp" >"$stamp.tmp" && mv -f "$stamp.tmp" "$stamp"
  echo "$pin: built in $((SECONDS - start)) s ($out)"
}

json_string() { # minimal JSON string escaping (paths and versions only)
  local s="${1//\\/\\\\}"
  s="${s//\"/\\\"}"
  printf '"%s"' "$s"
}

write_manifest() {
  local entries=() c p name crds=""
  for c in "${COMPONENTS[@]}"; do
    spec "$c"
    binaries_present || continue
    for p in $programs; do
      name="${p%%=*}"
      entries+=("  $(json_string "$name"): {\"path\": $(json_string "$out/$name"), \"version\": $(json_string "$version")}")
    done
    if [ "$c" = certmanager ]; then
      local mod_dir
      mod_dir="$(cd "$dir" && go list -mod=readonly -m -f '{{.Dir}}' "$module")"
      if [ -z "$mod_dir" ]; then # not in the module cache (e.g. after go clean -modcache)
        (cd "$dir" && go mod download "$module")
        mod_dir="$(cd "$dir" && go list -mod=readonly -m -f '{{.Dir}}' "$module")"
      fi
      crds="$mod_dir/deploy/crds"
      [ -d "$crds" ] || { echo "build.sh: cert-manager CRD directory missing: $crds" >&2; return 1; }
      entries+=("  \"certManagerCRDs\": $(json_string "$crds")")
      echo "cert-manager CRDs: $crds"
    fi
  done
  local manifest="$bin_root/manifest.json" i
  {
    echo "{"
    for i in "${!entries[@]}"; do
      if [ "$i" -lt $((${#entries[@]} - 1)) ]; then echo "${entries[$i]},"; else echo "${entries[$i]}"; fi
    done
    echo "}"
  } >"$manifest.tmp.$$"
  mv -f "$manifest.tmp.$$" "$manifest"
  echo "manifest: $manifest"
}

main() {
  local c selected=()
  for c in "$@"; do
    case "$c" in
      -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -n 's/^# \{0,1\}//p'; return 0 ;;
      *) spec "$c" >/dev/null; selected+=("$c") ;;
    esac
  done
  [ ${#selected[@]} -gt 0 ] || selected=("${COMPONENTS[@]}")

  mkdir -p "$bin_root"
  # One build at a time per cache (parallel test runs may all call this script).
  exec 9>"$bin_root/.lock"
  if command -v flock >/dev/null 2>&1; then flock 9; fi

  read -r go_version go_os go_arch <<<"$(go env GOVERSION GOOS GOARCH | tr '\n' ' ')"
  for c in "${selected[@]}"; do build_component "$c"; done
  write_manifest
}

tmp_file=""
trap '[ -z "$tmp_file" ] || rm -f "$tmp_file"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
main "$@"; exit # one line: bash reads a running script lazily, so nothing after this is read later
