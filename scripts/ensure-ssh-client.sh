#!/usr/bin/env bash
# Makes OpenSSH's client tools available (ssh-agent, ssh-add, ssh-keygen): tscompose loads
# build.ssh key files into an ssh-agent of its own, and the build tests make keys. Does nothing
# when they are installed; otherwise installs Debian's openssh-client.
set -euo pipefail
if command -v ssh-agent >/dev/null 2>&1 && command -v ssh-add >/dev/null 2>&1 && command -v ssh-keygen >/dev/null 2>&1; then
  exit 0
fi
command -v apt-get >/dev/null 2>&1 || { echo "ssh: install OpenSSH's client tools (ssh-agent, ssh-add, ssh-keygen)" >&2; exit 1; }
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "ssh: installing openssh-client"
install() { $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-client >/dev/null; }
install || { $sudo apt-get update -qq >/dev/null && install; }
