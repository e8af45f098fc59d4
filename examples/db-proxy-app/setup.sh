#!/usr/bin/env bash
# Prepares what the proxy's bind mounts need, next to compose.yaml. Safe to run any number of
# times: it only creates what is missing and renews the certificate when it is due.
#
#   nginx/cache/                       proxy cache directory      -> /etc/nginx/cache
#   nginx/error.log                    nginx's error log (a file) -> /etc/nginx/error_log.log
#   ssl/live/localhost/fullchain.pem   self-signed certificate    -> /etc/letsencrypt/live/localhost/
#   ssl/live/localhost/privkey.pem     its private key
#
# These must exist before the first `up`: for a missing bind-mount source the engine creates an
# empty *directory*, and nginx then cannot open its error log or certificate.
#
# The certificate is made with the host's openssl (installed with apt-get when missing): it takes
# a fraction of a second, needs no engine or image, and the files belong to whoever runs this.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"

readonly cert_dir=ssl/live/localhost
readonly cert=$cert_dir/fullchain.pem
readonly key=$cert_dir/privkey.pem
readonly cert_days=365
readonly renew_within_seconds=$((7 * 24 * 3600))

say() { echo "setup: $*"; }
fail() { echo "setup: $*" >&2; exit 1; }

# A path the engine created as a directory because setup had not run yet; empty, so nothing is lost.
replace_empty_dir_with_file() {
  local path=$1
  if [ -d "$path" ]; then
    rmdir "$path" 2>/dev/null ||
      fail "$here/$path is a non-empty directory but must be a file; move it away and run setup again."
    say "replaced the directory $path (left by an earlier run without setup) with a file"
  fi
}

mkdir -p nginx/cache
replace_empty_dir_with_file nginx/error.log
[ -e nginx/error.log ] || { : >nginx/error.log; say "created nginx/error.log"; }

if ! command -v openssl >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || fail "openssl is needed for the self-signed certificate; install it first."
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  say "installing openssl"
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends openssl >/dev/null ||
    fail "installing openssl failed; install it and run setup again."
fi

# The certificate is usable when both files are there, the key belongs to the certificate, and it
# is not about to expire.
certificate_usable() {
  [ -f "$cert" ] && [ -f "$key" ] || return 1
  openssl x509 -in "$cert" -noout -checkend "$renew_within_seconds" >/dev/null 2>&1 || return 1
  local cert_pub key_pub
  cert_pub=$(openssl x509 -in "$cert" -noout -pubkey 2>/dev/null) || return 1
  key_pub=$(openssl pkey -in "$key" -pubout 2>/dev/null) || return 1
  [ "$cert_pub" = "$key_pub" ]
}

if certificate_usable; then
  say "certificate $cert is valid until $(openssl x509 -in "$cert" -noout -enddate | cut -d= -f2)"
else
  mkdir -p "$cert_dir"
  replace_empty_dir_with_file "$cert"
  replace_empty_dir_with_file "$key"
  tmp_key=$(mktemp "$cert_dir/.privkey.XXXXXX")
  tmp_cert=$(mktemp "$cert_dir/.fullchain.XXXXXX")
  trap 'rm -f "$tmp_key" "$tmp_cert"' EXIT
  # ECDSA P-256: generated instantly and accepted by every current client. The names cover how a
  # browser or curl on this machine reaches the proxy.
  if ! output=$(openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -days "$cert_days" -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
    -keyout "$tmp_key" -out "$tmp_cert" 2>&1); then
    echo "$output" >&2
    fail "openssl could not create the certificate (output above)."
  fi
  chmod 600 "$tmp_key"
  chmod 644 "$tmp_cert"
  # Each file is replaced whole (rename), never seen half-written.
  mv -f "$tmp_key" "$key"
  mv -f "$tmp_cert" "$cert"
  say "created a self-signed certificate for localhost in $cert (valid $cert_days days;" \
    "SHA-256 fingerprint $(openssl x509 -in "$cert" -noout -fingerprint -sha256 | cut -d= -f2))"
fi
