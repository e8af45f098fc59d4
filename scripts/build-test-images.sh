#!/usr/bin/env bash
# Builds the images the e2e tests use, locally (no registry is reachable on the build machines).
# Does nothing for an image that already exists unless --force is given.
#   tscompose-test/busybox:latest   FROM scratch + Debian's static busybox
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
force=false
[ "${1:-}" = "--force" ] && force=true

image=tscompose-test/busybox:latest
if ! $force && docker image inspect "$image" >/dev/null 2>&1; then
  echo "images: $image is present"
  exit 0
fi

busybox=""
for candidate in /bin/busybox /usr/bin/busybox; do
  # Only the static build runs on an empty root file system.
  if [ -x "$candidate" ] && ! ldd "$candidate" >/dev/null 2>&1; then busybox=$candidate; break; fi
done
if [ -z "$busybox" ]; then
  command -v apt-get >/dev/null 2>&1 || {
    echo "images: no static busybox found and apt-get is not available; install a static busybox as /bin/busybox" >&2
    exit 1
  }
  echo "images: installing Debian's busybox-static"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo
  install_busybox() {
    $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends busybox-static >/dev/null
  }
  if ! install_busybox 2>/dev/null; then
    # A fresh machine or image may have no package lists yet: fetch them, then try once more.
    echo "images: the install failed; running apt-get update and trying again"
    $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    install_busybox
  fi
  busybox=/bin/busybox
fi

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
cp "$root/test/images/busybox/"* "$context/"
cp "$busybox" "$context/busybox"
echo "images: building $image"
if ! output=$(DOCKER_BUILDKIT=0 docker build --tag "$image" "$context" 2>&1); then
  echo "$output" >&2
  exit 1
fi
echo "images: built $image"
