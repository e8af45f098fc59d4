#!/usr/bin/env bash
# Runs the db/proxy/app example end to end on this machine, from nothing:
#   1. makes sure a Docker engine answers (scripts/ensure-engine.sh; starts one when none does)
#   2. seeds debian:bookworm-slim when it is missing (scripts/seed-debian-image.sh; no registry needed)
#   3. prepares the proxy's bind mounts and TLS certificate (examples/db-proxy-app/setup.sh)
#   4. builds the images (`tscompose build`) and starts the project (`tscompose up -d --wait`),
#      which returns once every service is healthy
#   5. checks that a request goes through proxy -> app -> db, and prints the URLs
#
# Usage: scripts/run-example.sh            build and start (again: only what changed is redone)
#        scripts/run-example.sh down [-v]  stop and remove the containers (-v: and the data)
#        scripts/run-example.sh logs [-f]  the services' output
#        scripts/run-example.sh stack      the same on a Docker Swarm: joins swarm mode when the
#                                          engine is in none (scripts/ensure-swarm.sh), builds, and
#                                          deploys compose.yaml + compose.stack.yaml as a stack with
#                                          three app replicas (tscompose stack deploy; waits until
#                                          every service has converged)
#        scripts/run-example.sh stack rm   remove the stack (its volume stays: docker volume rm)
# `npm run example` runs this script (`npm run example -- down -v` passes the arguments on). The
# last lines of a run print the stop command with the settings below that were set.
# Environment:
#   COMPOSE_CMD           the compose command (default: this repository's CLI, `node dist/cli.js`,
#                         which `npm ci` builds; any Compose v2 compatible one works the same,
#                         e.g. COMPOSE_CMD=docker-compose or COMPOSE_CMD="docker compose")
#   COMPOSE_PROJECT_NAME  project name (default: the example's directory name, db-proxy-app)
#   STACK_NAME            the stack name of `stack` (default db-proxy-app)
#   EXAMPLE_HTTP_PORT, EXAMPLE_HTTPS_PORT  the proxy's host ports in `stack` mode (default 80, 443)
#   APP_TAG               the app image's tag in `stack` mode (default latest)
#   EXAMPLE_DIR           the example to run (default: examples/db-proxy-app of this repository);
#                         a copy elsewhere keeps the files setup and the proxy write out of the
#                         checkout (the e2e test runs a copy this way)
set -euo pipefail

say() { echo "example: $*"; }
fail() { echo "example: $*" >&2; exit 1; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
example=${EXAMPLE_DIR:-$root/examples/db-proxy-app}
[ -f "$example/compose.yaml" ] || fail "$example/compose.yaml not found; EXAMPLE_DIR must name a copy of examples/db-proxy-app."
example=$(cd "$example" && pwd)
compose_file=$example/compose.yaml

if [ -n "${COMPOSE_CMD:-}" ]; then
  # Split into words, never evaluated: "docker compose" works.
  read -r -a compose <<<"$COMPOSE_CMD"
  [ ${#compose[@]} -gt 0 ] || fail "COMPOSE_CMD is blank."
else
  [ -f "$root/dist/cli.js" ] ||
    fail "dist/cli.js is missing; run \`npm ci\` in $root first (it builds dist/), or set COMPOSE_CMD."
  compose=(node "$root/dist/cli.js")
fi
run_compose() { (cd "$root" && "${compose[@]}" -f "$compose_file" "$@"); }

# The settings that choose the project, its files, the tool and the engine, as VAR=value words:
# a command printed for later (stop, logs) must act on what this run started, from any shell.
settings=()
[ -z "${COMPOSE_CMD:-}" ] || settings+=("COMPOSE_CMD=$COMPOSE_CMD")
[ -z "${COMPOSE_PROJECT_NAME:-}" ] || settings+=("COMPOSE_PROJECT_NAME=$COMPOSE_PROJECT_NAME")
[ -z "${EXAMPLE_DIR:-}" ] || settings+=("EXAMPLE_DIR=$example")
[ -z "${STACK_NAME:-}" ] || settings+=("STACK_NAME=$STACK_NAME")
[ -z "${DOCKER_HOST:-}" ] || settings+=("DOCKER_HOST=$DOCKER_HOST")
[ -z "${DOCKER_CONTEXT:-}" ] || settings+=("DOCKER_CONTEXT=$DOCKER_CONTEXT")
# Words quoted for a shell, joined by spaces.
shell_words() { local words; words=$(printf '%q ' "$@"); echo "${words% }"; }
stop_command=$(shell_words "${settings[@]}" "$here/run-example.sh" down)
logs_command=$(shell_words "${settings[@]}" "$here/run-example.sh" logs)

step_started=$SECONDS
step_done() { say "$1 ($((SECONDS - step_started)) s)"; step_started=$SECONDS; }

stack_name=${STACK_NAME:-db-proxy-app}
http_port=80
mode=compose
case "${1:-}" in
  down | logs)
    run_compose "$@"
    exit 0
    ;;
  stack)
    shift
    if [ "${1:-}" = rm ]; then
      (cd "$root" && "${compose[@]}" stack rm "$stack_name")
      exit 0
    fi
    mode=stack
    http_port=${EXAMPLE_HTTP_PORT:-80}
    stop_command=$(shell_words "${settings[@]}" "$here/run-example.sh" stack rm)
    ;;
esac
[ $# -eq 0 ] || fail "unknown arguments: $*; usage: $0 [down [-v] | logs [-f] [SERVICE...] | stack [rm]]"

total_started=$SECONDS
bash "$here/ensure-engine.sh"
step_done "engine ready"
if [ "$mode" = stack ]; then
  bash "$here/ensure-swarm.sh"
  step_done "swarm mode ready"
fi
bash "$here/seed-debian-image.sh"
step_done "base image ready"
bash "$example/setup.sh"
step_done "bind mounts and certificate ready"

run_compose build || fail "building the images failed (output above)."
step_done "images built"

if [ "$mode" = stack ]; then
  if ! (cd "$root" && "${compose[@]}" stack deploy -c "$compose_file" -c "$example/compose.stack.yaml" "$stack_name"); then
    fail "deploying the stack failed (the reason is above); tscompose stack ps $stack_name lists its tasks."
  fi
  step_done "stack converged"
fi
# --no-build: the images were just built; `pull_policy: build` would otherwise build them again.
if [ "$mode" = compose ] && ! run_compose up -d --wait --no-build; then
  echo "example: starting the project failed (the reason is above). The example needs host ports 80, 443 and 3000" >&2
  echo "example: (ss -ltnp shows what listens) and the container names db, proxy and app (docker ps -a) for itself." >&2
  echo "example: the services' logs: $logs_command" >&2
  exit 1
fi
[ "$mode" = stack ] || step_done "services healthy"

# The same request a visitor makes, through nginx to the app to the database; Node is the one
# HTTP client this repository can count on.
# shellcheck disable=SC2016 # the template literals are JavaScript's
url=http://localhost/
[ "$http_port" = 80 ] || url=http://localhost:$http_port/
if ! EXAMPLE_URL=$url node -e '
  const url = process.env.EXAMPLE_URL;
  const deadline = Date.now() + 30000;
  (async function probe() {
    try {
      const res = await fetch(url);
      const body = await res.json();
      if (res.ok && typeof body.visits === "number") {
        console.log(`example: ${url} answered through proxy -> app -> db (visit ${body.visits})`);
        return;
      }
      throw new Error(`HTTP ${res.status} ${JSON.stringify(body)}`);
    } catch (error) {
      if (Date.now() > deadline) {
        console.error(`example: ${url} did not answer: ${error.message}`);
        process.exit(1);
      }
      setTimeout(probe, 500);
    }
  })();
'; then
  fail "the services are up but the chain does not answer; see \`$logs_command\`."
fi

fingerprint=$(openssl x509 -in "$example/ssl/live/localhost/fullchain.pem" -noout -fingerprint -sha256 | cut -d= -f2)
say "running (total $((SECONDS - total_started)) s):"
if [ "$mode" = stack ]; then
  https_url=https://localhost/
  [ "${EXAMPLE_HTTPS_PORT:-443}" = 443 ] || https_url=https://localhost:$EXAMPLE_HTTPS_PORT/
  say "  ${url}  visit counter (GET), through nginx to one of the three app replicas"
  say "  ${url}api/notes  notes: GET lists, POST {\"text\": \"...\"} adds"
  say "  ${https_url}  the same over TLS; self-signed certificate (SHA-256 $fingerprint)"
  say "  tscompose stack ps $stack_name  the tasks; tscompose stack services $stack_name  the services"
  say "stop with: $stop_command   (keeps the data in the volume ${stack_name}_db_data)"
  exit 0
fi
say "  http://localhost/           visit counter (GET), through nginx"
say "  http://localhost/api/notes  notes: GET lists, POST {\"text\": \"...\"} adds"
say "  https://localhost/          the same over TLS; self-signed certificate"
say "                              $example/ssl/live/localhost/fullchain.pem (SHA-256 $fingerprint)"
say "  http://localhost:3000/      the app directly"
say "stop with: $stop_command   (keeps the data; add -v to remove it)"
