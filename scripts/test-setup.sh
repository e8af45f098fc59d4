#!/usr/bin/env bash
# What `npm test` needs before jest runs: a Docker engine that answers, the local test images, and
# Docker Compose 2.26 (the reference: e2e tests check that it sees what tscompose made, and the other way round).
# Each step does nothing when its work is already done.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/ensure-engine.sh"
bash "$here/build-test-images.sh"
bash "$here/ensure-reference.sh"
