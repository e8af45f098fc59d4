#!/usr/bin/env bash
# What `npm test` needs before jest runs: a Docker engine that answers and the local test images.
# Both steps do nothing when their work is already done.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/ensure-engine.sh"
bash "$here/build-test-images.sh"
bash "$here/ensure-podman.sh" >/dev/null  # Podman on its own socket, for test/e2e/podman*
bash "$here/ensure-reference.sh"  # Docker Compose 2.26, for test/e2e/compat-switching
