#!/usr/bin/env bash
# Makes sure two container registries answer on loopback, for the tests that push and pull (no
# public registry is reachable on the build machines). Both are Debian's `docker-registry` package
# (the CNCF distribution registry 2.8), each with its own config and storage directory:
#
#   TSCOMPOSE_REGISTRY        (default 127.0.0.1:5055)  open: anyone on this machine may push and pull
#   TSCOMPOSE_AUTH_REGISTRY   (default 127.0.0.1:5056)  basic auth (htpasswd, bcrypt) with
#                             TSCOMPOSE_AUTH_REGISTRY_USER / TSCOMPOSE_AUTH_REGISTRY_PASSWORD
#                             (default tscompose / tscompose-test-password)
#
# Idempotent: a registry that already answers at its address is left alone (one that answers
# wrongly, e.g. without auth where auth is wanted, is an error). Otherwise it is started in the
# background and keeps running; stop one with `kill "$(cat "$TSCOMPOSE_REGISTRY_DIR/<name>/registry.pid")"`
# (name: open or auth).
#
# The binary: `docker-registry` on PATH when the package is installed; otherwise the package is
# downloaded with apt and unpacked under TSCOMPOSE_REGISTRY_DIR, not installed: installing it
# would also start its own service on every interface (:5000), an open registry on the network.
# The engine must treat the addresses as insecure (plain HTTP); Docker does for 127.0.0.0/8.
#
# Environment: TSCOMPOSE_REGISTRY_DIR (default /var/lib/tscompose-registry as root, else
# ~/.cache/tscompose-registry) holds the binary, configs, storage, logs and pid files.
# `--print-env` prints the addresses and credentials as shell assignments after making sure.
set -euo pipefail

open_addr=${TSCOMPOSE_REGISTRY:-127.0.0.1:5055}
auth_addr=${TSCOMPOSE_AUTH_REGISTRY:-127.0.0.1:5056}
auth_user=${TSCOMPOSE_AUTH_REGISTRY_USER:-tscompose}
auth_password=${TSCOMPOSE_AUTH_REGISTRY_PASSWORD:-tscompose-test-password}
if [ "$(id -u)" -eq 0 ]; then default_dir=/var/lib/tscompose-registry; else default_dir=${XDG_CACHE_HOME:-$HOME/.cache}/tscompose-registry; fi
registry_dir=${TSCOMPOSE_REGISTRY_DIR:-$default_dir}
readonly start_timeout_s=20

say() { echo "registry: $*"; }
fail() { echo "registry: $*" >&2; exit 1; }

case "$open_addr$auth_addr" in *[!0-9a-zA-Z.:\[\]-]*) fail "the registry addresses must be host:port ($open_addr, $auth_addr)" ;; esac
[ "$open_addr" != "$auth_addr" ] || fail "TSCOMPOSE_REGISTRY and TSCOMPOSE_AUTH_REGISTRY must differ (both $open_addr)"

# The HTTP status of GET /v2/ when a distribution registry answers there (it always sends the
# Docker-Distribution-Api-Version header), "foreign" for another server, else nothing. Plain bash
# (/dev/tcp), so a fresh machine needs no HTTP client.
registry_status() {
  local host=${1%:*} port=${1##*:} response
  response=$(timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "GET /v2/ HTTP/1.0\r\nHost: %s:%s\r\n\r\n" "$0" "$1" >&3 && cat <&3' "$host" "$port" 2>/dev/null) || true
  [ -n "$response" ] || return 0
  grep -qi '^docker-distribution-api-version: registry/2' <<<"$response" || { echo foreign; return 0; }
  sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' <<<"$response"
}

# The registry binary: the installed package's, or the package unpacked under registry_dir.
registry_binary() {
  if command -v docker-registry >/dev/null 2>&1; then command -v docker-registry; return; fi
  local unpacked="$registry_dir/package/usr/bin/docker-registry"
  if [ ! -x "$unpacked" ]; then
    command -v apt-get >/dev/null 2>&1 || fail "docker-registry is not installed and this is not a Debian machine; install the CNCF distribution registry 2.8 as docker-registry"
    say "fetching Debian's docker-registry package" >&2
    local download
    download=$(mktemp -d)
    # apt's download sandbox user may not write to a root-owned temporary directory.
    chmod 755 "$download"
    if ! (cd "$download" && apt-get download -qq docker-registry >/dev/null 2>&1); then
      local sudo=""
      [ "$(id -u)" -eq 0 ] || sudo="sudo"
      # A fresh machine may have no package lists yet.
      $sudo apt-get update -qq >/dev/null
      (cd "$download" && apt-get download -qq docker-registry >/dev/null 2>&1) || fail "apt-get download docker-registry failed"
    fi
    rm -rf "$registry_dir/package"
    mkdir -p "$registry_dir/package"
    dpkg-deb -x "$download"/docker-registry_*.deb "$registry_dir/package"
    rm -rf "$download"
    [ -x "$unpacked" ] || fail "the docker-registry package holds no usr/bin/docker-registry"
  fi
  echo "$unpacked"
}

# A bcrypt hash of $1 for htpasswd. crypt(3) on Debian (libxcrypt) makes $2b$ hashes, which the
# registry's bcrypt accepts; htpasswd (apache2-utils) is used when it is installed.
bcrypt_hash() {
  if command -v htpasswd >/dev/null 2>&1; then
    htpasswd -nbB -C 10 x "$1" | sed -n '1s/^x://p'
    return
  fi
  local salt hash
  salt=$(head -c 16 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 21)u
  hash=$(PASSWORD="$1" SALT="$salt" perl -e 'print crypt($ENV{PASSWORD}, q($2b$10$) . $ENV{SALT})')
  case "$hash" in '$2b$10$'*) echo "$hash" ;; *) fail "crypt(3) cannot make bcrypt hashes here; install apache2-utils (htpasswd)" ;; esac
}

# ensure NAME ADDR WANTED_STATUS: 200 for the open registry, 401 for the one that needs auth.
ensure() {
  local name=$1 addr=$2 wanted=$3 dir="$registry_dir/$1" status
  status=$(registry_status "$addr")
  if [ "$status" = "$wanted" ]; then return 0; fi
  [ -z "$status" ] || fail "$addr answers, but not as the $name registry this script starts (HTTP $status); free the port or set TSCOMPOSE_$( [ "$name" = open ] && echo REGISTRY || echo AUTH_REGISTRY )"

  # One registry per directory: another address for the same name needs its own directory.
  if [ -f "$dir/registry.pid" ] && kill -0 "$(cat "$dir/registry.pid")" 2>/dev/null; then
    fail "the $name registry of $dir still runs (pid $(cat "$dir/registry.pid"), $(sed -n 's/^ *addr: //p' "$dir/config.yml")); stop it first, or set TSCOMPOSE_REGISTRY_DIR for a registry on $addr"
  fi
  local binary
  binary=$(registry_binary)
  mkdir -p "$dir/storage"
  local auth_section=""
  if [ "$name" = auth ]; then
    printf '%s:%s\n' "$auth_user" "$(bcrypt_hash "$auth_password")" >"$dir/htpasswd"
    auth_section="auth:
  htpasswd:
    realm: tscompose-test
    path: $dir/htpasswd"
  fi
  cat >"$dir/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: $addr
$auth_section
EOF
  say "starting the $name registry on $addr ($dir)"
  setsid nohup "$binary" serve "$dir/config.yml" >>"$dir/registry.log" 2>&1 </dev/null &
  echo $! >"$dir/registry.pid"
  for _ in $(seq 1 $((start_timeout_s * 4))); do
    status=$(registry_status "$addr")
    [ "$status" = "$wanted" ] && return 0
    kill -0 "$(cat "$dir/registry.pid")" 2>/dev/null || break
    sleep 0.25
  done
  tail -n 20 "$dir/registry.log" >&2 || true
  fail "the $name registry did not answer on $addr (log: $dir/registry.log)"
}

ensure open "$open_addr" 200
ensure auth "$auth_addr" 401

if [ "${1:-}" = "--print-env" ]; then
  printf 'TSCOMPOSE_REGISTRY=%s\nTSCOMPOSE_AUTH_REGISTRY=%s\nTSCOMPOSE_AUTH_REGISTRY_USER=%s\nTSCOMPOSE_AUTH_REGISTRY_PASSWORD=%s\n' \
    "$open_addr" "$auth_addr" "$auth_user" "$auth_password"
fi
