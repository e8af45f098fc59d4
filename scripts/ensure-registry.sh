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
# Docker-Distribution-Api-Version header), "foreign" for another server, else nothing; $2, when
# given, is sent as the Authorization header. Plain bash (/dev/tcp), so a fresh machine needs no
# HTTP client.
registry_status() {
  local host=${1%:*} port=${1##*:} authorization=${2:-} response
  response=$(timeout 3 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit
    { printf "GET /v2/ HTTP/1.0\r\nHost: %s:%s\r\n" "$0" "$1"; [ -z "$2" ] || printf "Authorization: %s\r\n" "$2"; printf "\r\n"; } >&3
    cat <&3' "$host" "$port" "$authorization" 2>/dev/null) || true
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
# registry's bcrypt accepts; htpasswd (apache2-utils) is used when it is installed. The salt is 22
# characters of bcrypt's alphabet (a shorter one makes crypt fail); the last one carries only two
# bits, so it is one of the four characters that fit.
bcrypt_hash() {
  if command -v htpasswd >/dev/null 2>&1; then
    htpasswd -nbB -C 10 x "$1" | sed -n '1s/^x://p'
    return
  fi
  local hash
  hash=$(PASSWORD="$1" perl -e '
    my @alphabet = ("a".."z", "A".."Z", "0".."9", ".", "/");
    my $salt = join("", map { $alphabet[int(rand(@alphabet))] } 1..21) . (".", "O", "e", "u")[int(rand(4))];
    print crypt($ENV{PASSWORD}, q($2b$10$) . $salt)')
  case "$hash" in '$2b$10$'*) [ "${#hash}" -eq 60 ] && { echo "$hash"; return; } ;; esac
  fail "crypt(3) cannot make bcrypt hashes here; install apache2-utils (htpasswd)"
}

credentials="Basic $(printf '%s:%s' "$auth_user" "$auth_password" | base64 -w0)"

# Whether the NAME registry answers at ADDR as wanted: the open one with 200; the auth one with 401,
# and with 200 when given the credentials (a registry whose password file lost them refuses all).
ready() {
  local name=$1 addr=$2
  if [ "$name" = open ]; then [ "$(registry_status "$addr")" = 200 ]; return; fi
  [ "$(registry_status "$addr")" = 401 ] && [ "$(registry_status "$addr" "$credentials")" = 200 ]
}

# ensure NAME ADDR: starts the NAME registry on ADDR unless it is ready there.
ensure() {
  local name=$1 addr=$2 dir="$registry_dir/$1" status
  ready "$name" "$addr" && return 0
  status=$(registry_status "$addr")
  # Ours, but refusing the credentials: its password file is rewritten by the restart below.
  if [ "$name" = auth ] && [ "$status" = 401 ] && [ -f "$dir/registry.pid" ] && kill -0 "$(cat "$dir/registry.pid")" 2>/dev/null \
    && [ "$(sed -n 's/^ *addr: //p' "$dir/config.yml")" = "$addr" ]; then
    say "the auth registry on $addr refuses its credentials; restarting it"
    local pid
    pid=$(cat "$dir/registry.pid")
    kill "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    status=$(registry_status "$addr")
  fi
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
    local hash
    hash=$(bcrypt_hash "$auth_password")
    printf '%s:%s\n' "$auth_user" "$hash" >"$dir/htpasswd"
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
    ready "$name" "$addr" && return 0
    kill -0 "$(cat "$dir/registry.pid")" 2>/dev/null || break
    sleep 0.25
  done
  tail -n 20 "$dir/registry.log" >&2 || true
  fail "the $name registry did not answer on $addr (log: $dir/registry.log)"
}

ensure open "$open_addr"
ensure auth "$auth_addr"

if [ "${1:-}" = "--print-env" ]; then
  printf 'TSCOMPOSE_REGISTRY=%s\nTSCOMPOSE_AUTH_REGISTRY=%s\nTSCOMPOSE_AUTH_REGISTRY_USER=%s\nTSCOMPOSE_AUTH_REGISTRY_PASSWORD=%s\n' \
    "$open_addr" "$auth_addr" "$auth_user" "$auth_password"
fi
