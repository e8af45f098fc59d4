#!/usr/bin/env bash
# What `npm test` needs before jest runs: a Docker engine that answers, the local test images, two
# registries on loopback for the push/pull tests, and OpenSSH's client tools (the build tests
# forward ssh keys). Each step does nothing when its work is done.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/ensure-engine.sh"
bash "$here/build-test-images.sh"
bash "$here/ensure-registry.sh"
if ! command -v ssh-agent >/dev/null 2>&1 || ! command -v ssh-keygen >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing openssh-client (ssh-agent, ssh-add, ssh-keygen)"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-client >/dev/null ||
    { $sudo apt-get update -qq >/dev/null && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-client >/dev/null; }
fi
