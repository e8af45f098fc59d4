# Sourced by the scripts that run an engine beside the default one (ensure-podman.sh,
# ensure-trixie-engine.sh). The caller sets `name` (for messages), `socket` and `start_timeout_s`.
# shellcheck shell=bash

say() { echo "$name: $*" >&2; }
fail() { echo "$name: $*" >&2; exit 1; }

# The engine is a root daemon; as another user, run the whole calling script through sudo, keeping
# the environment (the TSCOMPOSE_* variables that place the engine).
run_as_root() {
  [ "$(id -u)" -eq 0 ] && return 0
  command -v sudo >/dev/null 2>&1 || fail "this needs root (or sudo); run the script as root."
  exec sudo -E bash "$0" "$@"
}

# Whether the process in a pid file runs.
running() {
  local pidfile=$1
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

# The Docker CLI talks to the engine on its own socket (Podman's API is Docker's).
on_engine() { DOCKER_HOST="unix://$socket" DOCKER_CONTEXT='' docker "$@"; }
answers() { on_engine version --format '{{.Server.Version}}' >/dev/null 2>&1; }

wait_until_answers() {
  local log=$1
  for _ in $(seq 1 $((start_timeout_s * 2))); do
    answers && return 0
    sleep 0.5
  done
  tail -n 30 "$log" >&2
  fail "nothing answers on $socket within $start_timeout_s s (the end of $log is above)."
}

# Copies the test image from the default engine, which build-test-images.sh made.
load_test_image() {
  local image=tscompose-test/busybox:latest
  on_engine image inspect "$image" >/dev/null 2>&1 && return 0
  docker image inspect "$image" >/dev/null 2>&1 || fail "$image is missing in the default engine; run scripts/build-test-images.sh first."
  say "loading $image from the default engine"
  docker save "$image" | on_engine load >/dev/null
}
