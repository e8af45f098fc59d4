#!/usr/bin/env bash
# Runs Debian trixie's Docker Engine (26.x) beside the default engine, for the e2e tests that run a
# subset against it (test/e2e/engine-trixie.test.ts), and loads the test image into it. Idempotent:
# nothing is done when it answers and has the image.
#
# Nothing is installed: trixie's docker.io package is downloaded (apt-get download, from the low-pinned
# trixie source) and unpacked into TSCOMPOSE_TRIXIE_ENGINE_DIR (default /var/lib/tscompose-engine-trixie),
# and its dockerd runs with everything of its own, so the default engine is not disturbed:
# - its own data root, exec root (with its own containerd), pid file, socket and daemon.json;
# - no default bridge (--bridge none: docker0 belongs to the other engine), and address pools
#   (10.213.0.0/16) the other engine's defaults do not use, for the projects' networks;
# - no iptables, ip forwarding or masquerading: two daemons managing the same DOCKER chains would
#   undo each other's rules. So published ports work through the userland proxy (loopback and the
#   host's addresses), but traffic between containers crosses the other engine's FORWARD policy,
#   which drops it: the tests on this engine need none;
# - its containers in a cgroup of their own (tscompose-engine-trixie), not the other engine's docker.
# It uses the host's containerd, runc and docker-init (bookworm's), which engine 26 supports.
# The daemon keeps running; stop it with `kill "$(cat "$TSCOMPOSE_TRIXIE_ENGINE_DIR/dockerd.pid")"`.
# The socket is printed as the last line (`unix://...`), for DOCKER_HOST.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=${TSCOMPOSE_TRIXIE_ENGINE_DIR:-/var/lib/tscompose-engine-trixie}
exec_root=${TSCOMPOSE_TRIXIE_ENGINE_EXEC_ROOT:-/run/tscompose-engine-trixie}
socket="$exec_root/docker.sock"
image=tscompose-test/busybox:latest
readonly start_timeout_s=60

say() { echo "trixie engine: $*" >&2; }
fail() { echo "trixie engine: $*" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || fail "running a second engine needs root (or sudo); run this script as root."
  exec sudo --preserve-env=TSCOMPOSE_TRIXIE_ENGINE_DIR,TSCOMPOSE_TRIXIE_ENGINE_EXEC_ROOT,PATH bash "$0" "$@"
fi

on_engine() { DOCKER_HOST="unix://$socket" DOCKER_CONTEXT='' docker "$@"; }
answers() { on_engine version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if ! answers; then
  if [ -f "$dir/dockerd.pid" ] && kill -0 "$(cat "$dir/dockerd.pid")" 2>/dev/null; then
    fail "dockerd (pid $(cat "$dir/dockerd.pid")) runs but does not answer on $socket; see $dir/dockerd.log"
  fi
  if [ ! -x "$dir/root/usr/sbin/dockerd" ]; then
    command -v apt-get >/dev/null 2>&1 || fail "this is not a Debian machine: no trixie engine to unpack."
    bash "$here/ensure-trixie-source.sh"
    mkdir -p "$dir/debs"
    say "downloading trixie's docker.io package"
    download() { (cd "$dir/debs" && rm -f docker.io_*.deb && apt-get download -q docker.io/trixie >/dev/null 2>&1); }
    download || { apt-get update -qq -o DPkg::Lock::Timeout=300 >/dev/null; download; } || fail "apt-get download docker.io/trixie failed"
    rm -rf "$dir/root"
    dpkg-deb -x "$dir"/debs/docker.io_*.deb "$dir/root"
  fi
  mkdir -p "$dir/data" "$exec_root"
  [ -f "$dir/daemon.json" ] || echo '{}' >"$dir/daemon.json"
  say "starting dockerd $("$dir/root/usr/sbin/dockerd" --version | sed 's/^Docker version //') on unix://$socket (log $dir/dockerd.log)"
  # setsid: the daemon must outlive this script and not get the terminal's Ctrl-C. Its own
  # docker-proxy comes first on PATH; containerd, runc and docker-init are the host's.
  PATH="$dir/root/usr/sbin:$PATH" setsid "$dir/root/usr/sbin/dockerd" \
    --config-file "$dir/daemon.json" \
    --data-root "$dir/data" \
    --exec-root "$exec_root" \
    --pidfile "$dir/dockerd.pid" \
    --host "unix://$socket" \
    --bridge none \
    --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
    --default-address-pool base=10.213.0.0/16,size=24 \
    --cgroup-parent tscompose-engine-trixie \
    --userland-proxy-path "$dir/root/usr/sbin/docker-proxy" \
    >"$dir/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 $((start_timeout_s * 2))); do
    answers && break
    sleep 0.5
  done
  answers || { tail -n 30 "$dir/dockerd.log" >&2; fail "dockerd did not answer within $start_timeout_s s (the end of its log is above)."; }
fi

if ! on_engine image inspect "$image" >/dev/null 2>&1; then
  docker image inspect "$image" >/dev/null 2>&1 || fail "$image is missing in the default engine; run scripts/build-test-images.sh first."
  say "loading $image from the default engine"
  docker save "$image" | on_engine load >/dev/null
fi
say "Docker Engine $(on_engine version --format '{{.Server.Version}}') answers on unix://$socket"
echo "unix://$socket"
