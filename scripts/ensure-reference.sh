#!/usr/bin/env bash
# Makes Docker Compose 2.26 (the reference implementation) available as `docker-compose`, for the
# tests that compare against it and for bench/. It does nothing when a 2.26 is already on PATH
# (or COMPOSE_REFERENCE names one). On Debian 12 it comes from trixie's `docker-compose` package,
# a static binary: trixie is added with a low pin so that nothing else is taken from it, and
# --no-install-recommends keeps apt from replacing the engine's CLI with trixie's.
set -euo pipefail
compose=${COMPOSE_REFERENCE:-docker-compose}

reference_version() {
  "$compose" version --short 2>/dev/null || true
}

case "$(reference_version)" in
  2.26.*) exit 0 ;;
esac
if [ -n "${COMPOSE_REFERENCE:-}" ]; then
  echo "reference: COMPOSE_REFERENCE=$COMPOSE_REFERENCE is not Docker Compose 2.26 ($(reference_version))" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "reference: Docker Compose 2.26 is not installed and this is not a Debian machine; install it and put it on PATH as docker-compose" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

bash "$(dirname "${BASH_SOURCE[0]}")/ensure-trixie-source.sh"
echo "reference: installing Docker Compose from trixie"
if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends -t trixie docker-compose >/dev/null; then
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends -t trixie docker-compose >/dev/null
fi
case "$(reference_version)" in
  2.26.*) echo "reference: docker-compose $(reference_version)" ;;
  *) echo "reference: trixie's docker-compose is $(reference_version), not 2.26" >&2; exit 1 ;;
esac
