#!/usr/bin/env bash
# Makes sure a Docker engine answers, for the tests, CI and the example.
# - The engine is the one tscompose and the docker CLI use (scripts/engine-endpoint.mjs):
#   DOCKER_HOST, else DOCKER_CONTEXT, else the CLI's current context, else /var/run/docker.sock.
#   When it answers (Docker Desktop, a running daemon, a remote context) nothing is done.
# - A Docker context that does not answer is reported, never replaced by a local daemon: the
#   tools would go on talking to the context.
# - For a local socket that does not answer: install Debian's docker.io when dockerd is missing
#   and look again (on a systemd machine the package starts docker.service itself); when systemd
#   runs the machine and its docker.socket listens on that socket, `systemctl start docker`; only
#   when no service manager serves the socket, start dockerd in the background with its own data
#   and exec roots (under TSCOMPOSE_ENGINE_DIR). A second daemon next to systemd's would fight it
#   over the socket, docker0 and the iptables rules. The daemon this script starts keeps running;
#   stop it with `kill "$(cat "$TSCOMPOSE_ENGINE_DIR/dockerd.pid")"`.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
engine_dir=${TSCOMPOSE_ENGINE_DIR:-/var/lib/tscompose-engine}
exec_root=${TSCOMPOSE_ENGINE_EXEC_ROOT:-/run/tscompose-engine}
readonly start_timeout_s=60

say() { echo "engine: $*"; }
fail() { echo "engine: $*" >&2; exit 1; }

# Asks once which engine is meant and whether it answers: sets url, origin (DOCKER_HOST, context or
# default) and description, and returns the probe's status (0 answers, 1 does not, 2 no endpoint).
url='' origin='' description=''
probe() {
  local line status=0
  line=$(node "$here/engine-endpoint.mjs") || status=$?
  [ "$status" -ne 2 ] || fail "cannot tell which engine to use (the reason is above)."
  IFS=$'\t' read -r url origin description <<<"$line"
  return "$status"
}

answers() { node "$here/engine-endpoint.mjs" --quiet 2>/dev/null; }

wait_for_engine() {
  local tries=$(($1 * 2))
  for _ in $(seq 1 "$tries"); do
    answers && return 0
    sleep 0.5
  done
  return 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else fail "starting an engine needs root (or sudo); run this script as root."
  fi
}

# True when systemd is PID 1. Installed is not enough (a container can have systemctl): then
# `is-system-running` says "offline".
systemd_runs_machine() {
  command -v systemctl >/dev/null 2>&1 || return 1
  local state
  state=$(systemctl is-system-running 2>/dev/null || true)
  case "$state" in '' | offline | unknown) return 1 ;; *) return 0 ;; esac
}

# True when systemd's docker.socket listens on the given socket (its Listen property reads
# "/run/docker.sock (Stream)"; /var/run is a link to /run, so paths are compared resolved).
systemd_serves_socket() {
  local wanted listen path
  wanted=$(realpath -m "$1")
  listen=$(systemctl show --property=Listen --value docker.socket 2>/dev/null || true)
  for path in $listen; do
    case "$path" in /*) [ "$(realpath -m "$path")" = "$wanted" ] && return 0 ;; esac
  done
  return 1
}

systemd_runs_docker() {
  systemctl is-active --quiet docker.socket 2>/dev/null || systemctl is-active --quiet docker.service 2>/dev/null
}

status=0
probe || status=$?
if [ "$status" -eq 0 ]; then
  say "a Docker engine answers at $description; using it"
  exit 0
fi
if [ "$origin" = context ]; then
  fail "nothing answers at $description. Start that engine, or choose the local one, which this script can start: \`docker context use default\` (or DOCKER_CONTEXT=default)."
fi
case "$url" in
  unix://*) socket=${url#unix://} ;;
  *)
    fail "nothing answers at $description, and this script only starts local engines. Unset DOCKER_HOST to start one on the default socket, or start the remote engine."
    ;;
esac

if ! command -v dockerd >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || fail "dockerd is not installed and apt-get is not available; install Docker Engine first."
  say "installing Debian's docker.io package"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker.io iptables >/dev/null
  # On a systemd machine the package's postinst has just started docker.service.
  if answers; then
    say "the docker.io package's service answers at $description; using it"
    exit 0
  fi
fi

if systemd_runs_machine && systemd_serves_socket "$socket"; then
  say "systemd manages the engine on $socket: systemctl start docker"
  if as_root systemctl start docker; then
    if wait_for_engine "$start_timeout_s"; then
      say "docker.service answers at $description"
      exit 0
    fi
    as_root journalctl --unit docker.service --lines 30 --no-pager >&2 || true
    fail "docker.service started, but nothing answers at $socket within $start_timeout_s s (its journal is above)."
  fi
  if systemd_runs_docker; then
    fail "systemctl start docker failed while systemd holds $socket; see \`systemctl status docker\`. Starting a second dockerd would fight it."
  fi
  say "systemctl start docker failed and systemd holds nothing at $socket; starting dockerd directly"
elif systemd_runs_machine && systemd_runs_docker; then
  fail "docker.service runs, but not on $socket. Use its socket (unset DOCKER_HOST), or stop it first: a second dockerd would fight it over docker0 and iptables."
fi

as_root mkdir -p "$engine_dir" "$exec_root"
log="$engine_dir/dockerd.log"
say "starting dockerd (data root $engine_dir/data, socket $socket, log $log)"
# setsid: the daemon must outlive this script and not get the terminal's Ctrl-C.
as_root setsid dockerd \
  --data-root "$engine_dir/data" \
  --exec-root "$exec_root" \
  --pidfile "$engine_dir/dockerd.pid" \
  --host "unix://$socket" \
  >"$log" 2>&1 </dev/null &

if wait_for_engine "$start_timeout_s"; then
  say "dockerd answers at unix://$socket (pid $(cat "$engine_dir/dockerd.pid" 2>/dev/null || echo '?'))"
  exit 0
fi
echo "engine: dockerd did not answer within $start_timeout_s s; the end of its log ($log):" >&2
tail -n 30 "$log" >&2 || true
exit 1
