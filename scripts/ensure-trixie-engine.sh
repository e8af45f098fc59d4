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
name="trixie engine"
readonly start_timeout_s=60
# shellcheck source=second-engine-lib.sh
source "$here/second-engine-lib.sh"
run_as_root "$@"

if ! answers; then
  running "$dir/dockerd.pid" && fail "dockerd (pid $(cat "$dir/dockerd.pid")) runs but does not answer on $socket; see $dir/dockerd.log"
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
  wait_until_answers "$dir/dockerd.log"
fi

load_test_image
say "Docker Engine $(on_engine version --format '{{.Server.Version}}') answers on unix://$socket"
echo "unix://$socket"
