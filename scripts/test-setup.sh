#!/usr/bin/env bash
# What `npm test` needs before jest runs: a Docker engine that answers, the local test images, and
# what some tests need besides (named at each line). Each step does nothing when its work is done.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/ensure-engine.sh"
bash "$here/build-test-images.sh"
bash "$here/ensure-shells.sh"  # zsh and fish, for the completion tests
bash "$here/ensure-podman.sh" >/dev/null  # Podman on its own socket, for test/e2e/podman*
bash "$here/ensure-reference.sh"  # Docker Compose 2.26, for test/e2e/compat-switching
bash "$here/ensure-socat.sh"  # socat and openssl, for test/e2e/compat-tls-proxy
bash "$here/ensure-trixie-engine.sh" >/dev/null  # Docker Engine 26 beside the default one, for test/e2e/engine-trixie
bash "$here/ensure-registry.sh"  # two registries on loopback (one with basic auth), for test/e2e/build-registry and the two-node swarm test
bash "$here/ensure-ssh-client.sh"  # ssh-agent, ssh-add, ssh-keygen, for test/e2e/build-attributes
