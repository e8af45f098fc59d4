#!/usr/bin/env bash
# Runs Debian trixie's Docker Engine (26.x) beside the default engine, for the e2e tests that run a
# subset against it (test/e2e/engine-trixie.test.ts), and loads the test image into it. Idempotent:
# nothing is done when it answers and has the image.
#
# Nothing is installed: trixie's docker.io package is downloaded (apt-get download, from the
# low-pinned trixie source) and unpacked into TSCOMPOSE_TRIXIE_ENGINE_DIR (default
# /var/lib/tscompose-engine-trixie). Its dockerd must not touch the default engine's network, and a
# second dockerd on the same host network would: at start it deletes `docker0` (with --bridge none,
# or when address pools are configured), and it rewrites the DOCKER iptables chains. So it runs in a
# network namespace of its own (`tscompose-trixie`), where its docker0, iptables rules and
# ip_forward are its own; a veth pair links it to the host (host 10.215.0.1, namespace 10.215.0.2),
# so ports it publishes on 0.0.0.0 answer at 10.215.0.2. Its socket is a file, reachable from the
# host as usual. It also has its own data root, exec root (and containerd), pid file, daemon.json
# and cgroup parent. It uses the host's containerd, runc and docker-init (bookworm's), which engine
# 26 supports. The daemon keeps running; stop it with
# `kill "$(cat "$TSCOMPOSE_TRIXIE_ENGINE_DIR/dockerd.pid")"`.
# The socket is printed as the last line (`unix://...`), for DOCKER_HOST.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=${TSCOMPOSE_TRIXIE_ENGINE_DIR:-/var/lib/tscompose-engine-trixie}
exec_root=${TSCOMPOSE_TRIXIE_ENGINE_EXEC_ROOT:-/run/tscompose-engine-trixie}
socket="$exec_root/docker.sock"
netns=tscompose-trixie
host_veth=tsc-trixie0
host_address=10.215.0.1/24
engine_address=10.215.0.2/24
name="trixie engine"
readonly start_timeout_s=60
# shellcheck source=second-engine-lib.sh
source "$here/second-engine-lib.sh"
run_as_root "$@"

# The namespace and the veth pair that links it to the host; each step only when missing.
ensure_netns() {
  ip netns list | grep -qw "$netns" || ip netns add "$netns"
  ip -n "$netns" link set lo up
  if ! ip link show "$host_veth" >/dev/null 2>&1; then
    ip link add "$host_veth" type veth peer name eth0 netns "$netns"
    ip addr add "$host_address" dev "$host_veth"
    ip -n "$netns" addr add "$engine_address" dev eth0
  fi
  ip link set "$host_veth" up
  ip -n "$netns" link set eth0 up
  ip -n "$netns" route replace default via "${host_address%/*}" dev eth0
}

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
  ensure_netns
  mkdir -p "$dir/data" "$exec_root"
  [ -f "$dir/daemon.json" ] || echo '{}' >"$dir/daemon.json"
  say "starting dockerd $("$dir/root/usr/sbin/dockerd" --version | sed 's/^Docker version //') in network namespace $netns on unix://$socket (log $dir/dockerd.log)"
  # setsid: the daemon must outlive this script and not get the terminal's Ctrl-C. nsenter enters
  # the network namespace only (`ip netns exec` also remounts /sys, which hides the cgroups). Its
  # own docker-proxy comes first on PATH; containerd, runc and docker-init are the host's.
  PATH="$dir/root/usr/sbin:$PATH" setsid nsenter --net="/run/netns/$netns" "$dir/root/usr/sbin/dockerd" \
    --config-file "$dir/daemon.json" \
    --data-root "$dir/data" \
    --exec-root "$exec_root" \
    --pidfile "$dir/dockerd.pid" \
    --host "unix://$socket" \
    --cgroup-parent tscompose-engine-trixie \
    --userland-proxy-path "$dir/root/usr/sbin/docker-proxy" \
    >"$dir/dockerd.log" 2>&1 </dev/null &
  wait_until_answers "$dir/dockerd.log"
fi

load_test_image
say "Docker Engine $(on_engine version --format '{{.Server.Version}}') answers on unix://$socket; its published ports at ${engine_address%/*}"
echo "unix://$socket"
