#!/usr/bin/env bash
# What `npm test` needs before jest runs: a Docker engine that answers, the local test images, and
# two registries on loopback for the push/pull tests. Each step does nothing when its work is done.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/ensure-engine.sh"
bash "$here/build-test-images.sh"
bash "$here/ensure-registry.sh"
