#!/usr/bin/env bash
# Installs the Debian packages the tests and the sandbox run for real: BIND9 (RFC2136 DNS),
# nginx and sslscan (endpoint scans), openssl, tmux (real-terminal wizard test).
# pebble: Debian's 2.4.0 ACME test server (no ARI, no profiles), tested beside the current one.
# wrk: the HTTP load generator of `npm run bench` (HTTPS keep-alive throughput).
# Idempotent: does nothing when every program is already there.
set -euo pipefail

declare -A want=(
  [named]=bind9
  [nsupdate]=bind9-dnsutils
  [dig]=bind9-dnsutils
  [nginx]=nginx
  [sslscan]=sslscan
  [openssl]=openssl
  [tmux]=tmux
  [keytool]=openjdk-17-jre-headless
  [pebble]=pebble
  [wrk]=wrk
)
missing=()
for prog in "${!want[@]}"; do
  if ! command -v "$prog" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$prog" ]; then
    missing+=("${want[$prog]}")
  fi
done
[ ${#missing[@]} -eq 0 ] && { echo "system packages: all present"; exit 0; }

pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: $pkgs" >&2
  echo "install them with: sudo apt-get install -y $pkgs" >&2
  exit 1
fi
echo "installing Debian packages: $pkgs"
# Packages like nginx and bind9 would start system services on install; tests start their own.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created_policy=1
fi
trap '[ "$created_policy" = 1 ] && rm -f "$policy"' EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
echo "system packages: installed $pkgs"
