#!/usr/bin/env bash
# Rewrites test/fixtures/differential/*/reference-inspect.json: each project is brought up with
# Docker Compose (docker-compose 2.26 on PATH), its containers are inspected and normalised, and
# the same test then checks tscompose against the fresh reference. Needs a running engine and the
# local test images (bash scripts/test-setup.sh).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$(dirname "$here")"
if ! command -v docker-compose >/dev/null 2>&1; then
  echo "docker-compose is not on PATH: install Docker Compose 2.26 (Debian trixie's docker-compose package)" >&2
  exit 1
fi
npm run build
TSCOMPOSE_REGENERATE_GOLDENS=1 npm run jest -- --selectProjects e2e --testPathPatterns test/e2e/differential "$@"
