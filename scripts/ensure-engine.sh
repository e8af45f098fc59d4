#!/usr/bin/env bash
# Makes sure a Docker engine answers, for the tests, CI and the example.
# - If one answers at DOCKER_HOST (or the default socket), it does nothing: a laptop with Docker
#   Desktop or a running daemon is used as it is.
# - Otherwise it installs Debian's docker.io when dockerd is missing, starts dockerd in the
#   background with its own data and exec roots (under TSCOMPOSE_ENGINE_DIR), waits for /_ping,
#   and says where it is. The daemon keeps running after this script; stop it with
#   `kill "$(cat "$TSCOMPOSE_ENGINE_DIR/dockerd.pid")"`.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
engine_dir=${TSCOMPOSE_ENGINE_DIR:-/var/lib/tscompose-engine}
exec_root=${TSCOMPOSE_ENGINE_EXEC_ROOT:-/run/tscompose-engine}

endpoint=$(node "$here/engine-endpoint.mjs" || true)
if node "$here/engine-endpoint.mjs" --quiet; then
  echo "engine: a Docker engine answers at $endpoint; using it"
  exit 0
fi

case "$endpoint" in
  unix://*) socket=${endpoint#unix://} ;;
  *)
    echo "engine: nothing answers at DOCKER_HOST=$endpoint, and this script only starts local engines." >&2
    echo "        Unset DOCKER_HOST to start one on the default socket, or start the remote engine." >&2
    exit 1
    ;;
esac

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else
    echo "engine: starting dockerd needs root (or sudo); run this script as root." >&2
    exit 1
  fi
}

if ! command -v dockerd >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "engine: dockerd is not installed and apt-get is not available; install Docker Engine first." >&2
    exit 1
  fi
  echo "engine: installing Debian's docker.io package"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker.io iptables >/dev/null
fi

as_root mkdir -p "$engine_dir" "$exec_root"
log="$engine_dir/dockerd.log"
echo "engine: starting dockerd (data root $engine_dir/data, socket $socket, log $log)"
# setsid: the daemon must outlive this script and not get the terminal's Ctrl-C.
as_root setsid dockerd \
  --data-root "$engine_dir/data" \
  --exec-root "$exec_root" \
  --pidfile "$engine_dir/dockerd.pid" \
  --host "unix://$socket" \
  >"$log" 2>&1 </dev/null &

for _ in $(seq 1 120); do
  if node "$here/engine-endpoint.mjs" --quiet; then
    echo "engine: dockerd answers at unix://$socket (pid $(cat "$engine_dir/dockerd.pid" 2>/dev/null || echo '?'))"
    exit 0
  fi
  sleep 0.5
done
echo "engine: dockerd did not answer within 60 s; the end of its log ($log):" >&2
tail -n 30 "$log" >&2 || true
exit 1
