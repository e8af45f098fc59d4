#!/usr/bin/env bash
# Swarm mode on the test engine, for the `tscompose stack` e2e tests.
#
#   ensure-swarm.sh --hold ID       for a test run: join (`docker swarm init --advertise-addr
#                                   127.0.0.1`) only when the engine is in no swarm, and record
#                                   that it did (the node ID) and that run ID holds it
#   ensure-swarm.sh --release ID    leave: drops holder ID; when no live holder is left and the
#                                   swarm is still the one the tests made, leaves it (--force)
#   ensure-swarm.sh                 for a user (the example): join the same way, but record
#                                   nothing, so no test run ever leaves that swarm
#
# An engine that already is in a swarm (a developer's, another tool's) is used as it is and never
# left. Holders are process IDs (the jest run): two test runs on one engine share the swarm, and
# the last one to end leaves it. Leaving erases only what the tests made: the swarm itself.
# State lives under TSCOMPOSE_SWARM_STATE (default: ~/.local/state/tscompose/test-swarm).
set -euo pipefail

state=${TSCOMPOSE_SWARM_STATE:-${XDG_STATE_HOME:-$HOME/.local/state}/tscompose/test-swarm}
mkdir -p "$state/holders"
exec 9>"$state/lock"
flock 9

say() { echo "swarm: $*"; }

node_state() { docker info --format '{{.Swarm.LocalNodeState}}'; }
node_id() { docker info --format '{{.Swarm.NodeID}}'; }

# A process's start time (clock ticks after boot): with the PID it names the process, even after
# the PID is reused.
started() { awk '{ print $22 }' "/proc/$1/stat" 2>/dev/null || true; }

# The holders whose process is gone (a run that was killed) no longer count.
live_holders() {
  local holder pid
  for holder in "$state/holders"/*; do
    [ -e "$holder" ] || continue
    pid=$(basename "$holder")
    if [ -n "$(started "$pid")" ] && [ "$(started "$pid")" = "$(cat "$holder")" ]; then echo "$holder"; else rm -f "$holder"; fi
  done
}

case "${1:-}" in
  --release)
    [ -n "${2:-}" ] || { echo "usage: $0 --release ID" >&2; exit 2; }
    rm -f "$state/holders/$2"
    [ -f "$state/joined" ] || exit 0
    [ -z "$(live_holders)" ] || exit 0
    if [ "$(node_state)" = active ] && [ "$(node_id)" = "$(cat "$state/joined")" ]; then
      say "leaving the swarm the tests made"
      docker swarm leave --force >/dev/null
    fi
    rm -f "$state/joined"
    exit 0
    ;;
  --hold)
    [ -n "${2:-}" ] || { echo "usage: $0 --hold ID" >&2; exit 2; }
    started "$2" >"$state/holders/$2"
    ;;
  '') ;;
  *) echo "usage: $0 [--hold ID | --release ID]" >&2; exit 2 ;;
esac

current=$(node_state)
case "$current" in
  active)
    if [ "$(docker info --format '{{.Swarm.ControlAvailable}}')" != true ]; then
      echo "swarm: the engine is a worker of a swarm; the stack tests need a manager" >&2
      exit 1
    fi
    say "the engine is a swarm manager"
    ;;
  inactive)
    say "docker swarm init --advertise-addr 127.0.0.1"
    docker swarm init --advertise-addr 127.0.0.1 >/dev/null
    [ "${1:-}" != --hold ] || node_id >"$state/joined"
    ;;
  *)
    echo "swarm: the engine's swarm state is \"$current\"; it must be inactive or active" >&2
    exit 1
    ;;
esac
