#!/usr/bin/env bash
# The shells whose completion scripts the tests drive for real (test/e2e/completion-shells.test.ts):
# bash is always there; zsh and fish are installed from Debian's archive when missing. Does
# nothing when both are present.
set -euo pipefail
missing=()
for shell in zsh fish; do
  command -v "$shell" >/dev/null 2>&1 || missing+=("$shell")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "ensure-shells: installing ${missing[*]} (for the completion tests)"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  apt-get update >/dev/null
  apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi
