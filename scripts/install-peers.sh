#!/usr/bin/env bash
# Installs the Debian packages the integration and browser tests use as real peers.
# As root on Debian it installs what is missing; otherwise it prints the one command to run.
set -euo pipefail
PKGS=(sip-tester kamailio baresip-core tshark sipsak sox chromium)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "missing test peers; install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
