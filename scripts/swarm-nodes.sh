#!/usr/bin/env bash
# A two-node swarm of its own for the multi-node stack tests, next to the test engine and without
# touching it: two more Docker engines (Debian's dockerd), each in a network namespace of its own
# joined by a veth pair, with its own data root, exec root and socket. The first is the manager,
# the second joins it as a worker. Containers cannot be privileged on the build machines, so the
# usual engine-in-a-container (docker:dind) is not an option; a network namespace needs no more
# than root.
#
#   swarm-nodes.sh up     start both (after removing what an interrupted run left), print the
#                         manager's endpoint as DOCKER_HOST=unix://...
#   swarm-nodes.sh down   stop both engines and remove their namespaces, state and relays
#
# Each node reaches the test registries (scripts/ensure-registry.sh: TSCOMPOSE_REGISTRY, default
# 127.0.0.1:5055, and TSCOMPOSE_AUTH_REGISTRY, default 127.0.0.1:5056) at the same addresses as
# the host, through scripts/tcp-relay.mjs: a relay in the node's namespace forwards its
# 127.0.0.1:5055 over a Unix socket to one in the host's. Engines treat 127.0.0.0/8 registries as
# insecure (plain HTTP), so nothing needs configuring.
# The test image tscompose-test/busybox:latest is copied into the manager (docker save | load).
#
# Environment: TSCOMPOSE_SWARM_NODES_DIR (default /var/lib/tscompose-swarm-nodes) holds the state;
# TSCOMPOSE_SWARM_NODES_NET (default 10.213.7) is the /24 of the link between the nodes.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=${TSCOMPOSE_SWARM_NODES_DIR:-/var/lib/tscompose-swarm-nodes}
net=${TSCOMPOSE_SWARM_NODES_NET:-10.213.7}
registries=("${TSCOMPOSE_REGISTRY:-127.0.0.1:5055}" "${TSCOMPOSE_AUTH_REGISTRY:-127.0.0.1:5056}")
readonly nodes=(manager worker)
readonly start_timeout_s=60

say() { echo "swarm-nodes: $*" >&2; }
fail() { echo "swarm-nodes: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "network namespaces need root; run this as root."
for tool in ip nsenter dockerd node; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing (ip: iproute2, nsenter: util-linux, dockerd: docker.io)."
done

ns() { echo "tscsw-$1"; }
sock() { echo "$dir/$1/docker.sock"; }
# Exec roots hold containerd's sockets: short paths (a socket path has at most 107 bytes).
exec_root() { echo "/run/tscsw-$1"; }
in_ns() { local node=$1; shift; nsenter --net="/run/netns/$(ns "$node")" "$@"; }
node_docker() { local node=$1; shift; DOCKER_HOST="unix://$(sock "$node")" docker "$@"; }

kill_pidfile() {
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

down() {
  local node
  local pidfile
  for pidfile in "$dir"/*/relay-*.pid "$dir"/relay-*.pid; do
    if [ -e "$pidfile" ]; then kill_pidfile "$pidfile"; fi
  done
  for node in "${nodes[@]}"; do kill_pidfile "$dir/$node/dockerd.pid"; done
  for node in "${nodes[@]}"; do
    # What the engine left mounted (its containers' file systems, its netns files).
    if [ -d "$dir/$node" ] || [ -d "$(exec_root "$node")" ]; then
      { grep -oE " ($dir/$node|$(exec_root "$node"))[^ ]*" /proc/mounts || true; } | sort -r | while read -r mount; do umount -l "$mount" 2>/dev/null || true; done
    fi
    ip netns del "$(ns "$node")" 2>/dev/null || true
    rm -rf "$(exec_root "$node")"
  done
  rm -rf "$dir"
}

wait_for() {
  local what=$1; shift
  for _ in $(seq 1 $((start_timeout_s * 2))); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  fail "$what did not happen within ${start_timeout_s}s"
}

up() {
  down
  mkdir -p "$dir"
  # The link: one end in each namespace.
  local node index=1
  for node in "${nodes[@]}"; do
    ip netns add "$(ns "$node")"
    in_ns "$node" ip link set lo up
  done
  ip link add tscsw-m0 netns "$(ns manager)" type veth peer name tscsw-w0 netns "$(ns worker)"
  for node in "${nodes[@]}"; do
    local link=tscsw-m0
    [ "$node" = worker ] && link=tscsw-w0
    in_ns "$node" ip addr add "$net.$index/24" dev "$link"
    in_ns "$node" ip link set "$link" up
    index=$((index + 1))
  done

  # The registries, reachable at their host addresses from inside each namespace.
  local registry number=0
  for node in "${nodes[@]}"; do mkdir -p "$dir/$node"; done
  for registry in "${registries[@]}"; do
    number=$((number + 1))
    node "$here/tcp-relay.mjs" "unix:$dir/registry-$number.sock" "tcp:$registry" >"$dir/relay-$number.log" 2>&1 &
    echo $! >"$dir/relay-$number.pid"
    for node in "${nodes[@]}"; do
      in_ns "$node" node "$here/tcp-relay.mjs" "tcp:$registry" "unix:$dir/registry-$number.sock" >"$dir/$node/relay-$number.log" 2>&1 &
      echo $! >"$dir/$node/relay-$number.pid"
    done
  done
  for node in "${nodes[@]}"; do
    # nsenter switches only the network namespace (`ip netns exec` would remount /sys, and with
    # it hide the cgroup file systems dockerd needs).
    in_ns "$node" dockerd --data-root "$dir/$node/data" --exec-root "$(exec_root "$node")" \
      --pidfile "$dir/$node/dockerd.pid" --host "unix://$(sock "$node")" >"$dir/$node/dockerd.log" 2>&1 &
  done
  for node in "${nodes[@]}"; do
    wait_for "the $node engine answering (log: $dir/$node/dockerd.log)" node_docker "$node" version
  done

  node_docker manager swarm init --advertise-addr "$net.1" --listen-addr "$net.1:2377" >/dev/null
  node_docker worker swarm join --token "$(node_docker manager swarm join-token -q worker)" --advertise-addr "$net.2" "$net.1:2377" >/dev/null
  ready_nodes() { [ "$(node_docker manager node ls --format '{{.Status}}' | grep -c Ready)" -eq 2 ]; }
  wait_for "both nodes ready" ready_nodes
  docker save tscompose-test/busybox:latest | node_docker manager load >/dev/null
  say "a two-node swarm is up (manager $net.1, worker $net.2)"
  echo "DOCKER_HOST=unix://$(sock manager)"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
