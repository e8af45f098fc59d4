#!/usr/bin/env bash
# Makes Podman's Docker-compatible API answer on a socket of its own, for the e2e tests that run
# against Podman (test/e2e/podman-*.test.ts), and loads the test image into Podman's store.
# Idempotent: nothing is done when the socket answers and the image is there.
#
# - Podman is Debian's `podman` (4.3 on Debian 12) with netavark for networks; it is installed
#   without recommends when missing. Nothing of the Docker engine is touched: Podman gets its own
#   configuration, storage and socket under TSCOMPOSE_PODMAN_DIR (default /var/lib/tscompose-podman)
#   and TSCOMPOSE_PODMAN_RUN (default /run/tscompose-podman), and its networks take addresses
#   (10.88.0.0/16 and up) that Docker's default pools do not use.
# - containers.conf (passed through CONTAINERS_CONF) sets default_ulimits: the container runtime
#   cannot raise the rlimits Podman asks for by default in some sandboxes (this one included);
#   cgroupfs and file events because no systemd may run the machine.
# - Without systemd nothing runs Podman's healthchecks (Podman asks systemd for a timer per
#   container), so scripts/podman-healthchecks.mjs runs them through the API at each container's
#   interval, as a daemon next to the service.
# The service and the runner keep running; stop them with
#   kill "$(cat "$TSCOMPOSE_PODMAN_DIR/service.pid")" "$(cat "$TSCOMPOSE_PODMAN_DIR/healthchecks.pid")"
# The socket is printed as the last line (`unix://...`), for DOCKER_HOST.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=${TSCOMPOSE_PODMAN_DIR:-/var/lib/tscompose-podman}
run=${TSCOMPOSE_PODMAN_RUN:-/run/tscompose-podman}
socket="$run/podman.sock"
name=podman
readonly start_timeout_s=60
# shellcheck source=second-engine-lib.sh
source "$here/second-engine-lib.sh"
# Rootful Podman is what is tested.
run_as_root "$@"

# Starts a daemon that outlives this script (setsid: no terminal, no Ctrl-C) and records its pid.
start_daemon() {
  local pidfile=$1 log=$2
  shift 2
  setsid "$@" >"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

if ! command -v podman >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || fail "podman is not installed and apt-get is not available; install Podman first."
  say "installing Debian's podman (with netavark, aardvark-dns and catatonit, no recommends)"
  install() {
    env DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=300 \
      --no-install-recommends podman netavark aardvark-dns catatonit >/dev/null
  }
  if ! install 2>/dev/null; then
    env DEBIAN_FRONTEND=noninteractive apt-get update -q -o DPkg::Lock::Timeout=300 >/dev/null
    install
  fi
fi

mkdir -p "$dir/storage" "$run/storage"
# Rewritten every time: a changed setting takes effect at the next start of the service.
tee "$dir/containers.conf" >/dev/null <<'CONF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]

[network]
network_backend = "netavark"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
tee "$dir/storage.conf" >/dev/null <<CONF
[storage]
driver = "overlay"
graphroot = "$dir/storage"
runroot = "$run/storage"
CONF

if ! answers; then
  running "$dir/service.pid" && fail "the Podman service (pid $(cat "$dir/service.pid")) runs but does not answer on $socket; see $dir/service.log"
  say "starting podman system service on unix://$socket (log $dir/service.log)"
  start_daemon "$dir/service.pid" "$dir/service.log" \
    env CONTAINERS_CONF="$dir/containers.conf" CONTAINERS_STORAGE_CONF="$dir/storage.conf" \
    podman system service --time=0 "unix://$socket"
  wait_until_answers "$dir/service.log"
fi

if ! running "$dir/healthchecks.pid"; then
  say "starting the healthcheck runner (log $dir/healthchecks.log)"
  start_daemon "$dir/healthchecks.pid" "$dir/healthchecks.log" node "$here/podman-healthchecks.mjs" "$socket"
fi

load_test_image
say "Podman $(on_engine version --format '{{.Server.Version}}') answers on unix://$socket"
echo "unix://$socket"
