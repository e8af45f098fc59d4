#!/usr/bin/env bash
# Adds Debian trixie to apt's sources with a low pin (priority 100), so that nothing is taken from it
# unless asked for by name (`-t trixie`, `pkg/trixie`): the reference (ensure-reference.sh) and the
# second engine (ensure-trixie-engine.sh) come from there. Does nothing when the source is there.
set -euo pipefail
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

list=/etc/apt/sources.list.d/tscompose-trixie.sources
pin=/etc/apt/preferences.d/tscompose-trixie
[ -f "$list" ] && exit 0
echo "trixie: adding Debian trixie to apt's sources (pinned low)"
$sudo tee "$list" >/dev/null <<'SOURCES'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
$sudo tee "$pin" >/dev/null <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
$sudo apt-get update -qq -o DPkg::Lock::Timeout=300 >/dev/null
