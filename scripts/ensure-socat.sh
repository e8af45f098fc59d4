#!/usr/bin/env bash
# Installs socat and openssl when missing: test/e2e/compat-tls-proxy.test.ts puts the engine behind
# a TLS-terminating socat on loopback, with certificates made by openssl. Does nothing when both
# are there.
set -euo pipefail
missing=()
command -v socat >/dev/null 2>&1 || missing+=(socat)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ ${#missing[@]} -eq 0 ] && exit 0
command -v apt-get >/dev/null 2>&1 || { echo "socat: install ${missing[*]} (needed by the TLS proxy e2e test)" >&2; exit 1; }
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "socat: installing ${missing[*]}"
install() { $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}" >/dev/null; }
if ! install 2>/dev/null; then
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q -o DPkg::Lock::Timeout=300 >/dev/null
  install
fi
