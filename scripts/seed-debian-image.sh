#!/usr/bin/env bash
# Provides the base image the examples build on, also on machines that cannot pull from a registry.
#
# When `debian:bookworm-slim` is missing on the engine, this first tries `docker pull`: a machine
# that reaches the registry gets the published image. The pull is given up when the registry has
# not begun to send the image within TSCOMPOSE_SEED_PULL_TIMEOUT seconds, so an offline machine
# loses only that. Then it makes an equivalent image locally:
# `debootstrap --variant=minbase bookworm` into a temporary directory, trimmed and configured the
# way the published slim image is (apt sources for bookworm, -updates and -security; no docs, man
# pages or locales; empty apt lists), then `docker import`ed with CMD ["bash"] and the usual PATH.
# When the image exists (pulled, or seeded before) it does nothing.
#
# Needs root for debootstrap (chroot, device nodes); uses sudo when not run as root.
# Environment:
#   DEBIAN_MIRROR            archive to bootstrap from and to put in the image's apt sources
#                            (default: the host's own bookworm mirror, else http://deb.debian.org/debian)
#   DEBIAN_SECURITY_MIRROR   security archive for the image's apt sources
#                            (default: the host's bookworm-security mirror, else http://deb.debian.org/debian-security)
#   TSCOMPOSE_SEED_PULL_TIMEOUT  seconds to wait for the registry to begin sending the image before
#                            making it locally instead (default 10; 0 skips the pull). A pull that
#                            has begun is never cut short.
#   TMPDIR                   where the temporary root file system is made (about 200 MB)
set -euo pipefail

readonly image=debian:bookworm-slim
readonly suite=bookworm
readonly image_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
readonly pull_timeout=${TSCOMPOSE_SEED_PULL_TIMEOUT:-10}

say() { echo "seed: $*"; }
fail() { echo "seed: $*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else fail "debootstrap needs root; run this script as root or install sudo."
  fi
}

case "$pull_timeout" in '' | *[!0-9]*) fail "TSCOMPOSE_SEED_PULL_TIMEOUT must be a number of seconds, not '$pull_timeout'." ;; esac
command -v docker >/dev/null 2>&1 || fail "the docker CLI is not installed (Debian: apt-get install docker.io)."
if ! docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  fail "no Docker engine answers (DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock}); start one first, e.g. scripts/ensure-engine.sh."
fi

image_present() { docker image inspect "$image" >/dev/null 2>&1; }

if image_present; then
  say "$image is present; nothing to do"
  exit 0
fi

# Two runs at once (two test suites on one machine) would both spend a minute bootstrapping; the
# second waits for the first and then finds the image.
lock_file="${TMPDIR:-/tmp}/tscompose-seed-debian-image.lock"
exec 9>>"$lock_file"
if command -v flock >/dev/null 2>&1; then
  flock -w 900 9 || fail "another seed run holds $lock_file for more than 15 minutes; is it stuck?"
  if image_present; then
    say "$image was seeded by a concurrent run; nothing to do"
    exit 0
  fi
fi

started=$SECONDS

# The published image, when the registry answers. `docker pull` runs in the background so that
# it can be given up while it waits for a registry that never answers (a dropped connection can
# hang for minutes); "Pulling from" means the registry has answered, and from then on the pull
# takes as long as the download does.
pull_pid=""
pull_log=""
stop_pull() {
  [ -z "$pull_pid" ] || kill "$pull_pid" 2>/dev/null || true
  [ -z "$pull_log" ] || rm -f "$pull_log"
}
pull_published() {
  if [ "$pull_timeout" -eq 0 ]; then
    say "not trying to pull $image (TSCOMPOSE_SEED_PULL_TIMEOUT=0)"
    return 1
  fi
  say "trying \`docker pull $image\` (given up if the registry does not answer within $pull_timeout s)"
  pull_log=$(mktemp "${TMPDIR:-/tmp}/seed-pull.XXXXXX")
  trap stop_pull EXIT
  trap 'stop_pull; exit 130' INT
  trap 'stop_pull; exit 143' TERM
  docker pull "$image" >"$pull_log" 2>&1 &
  pull_pid=$!
  # Counted in polls of 0.2 s (SECONDS counts whole seconds, too coarse for a few of them).
  local polls_left=$((pull_timeout * 5)) status=0 reason=""
  while kill -0 "$pull_pid" 2>/dev/null; do
    polls_left=$((polls_left - 1))
    if [ "$polls_left" -lt 0 ] && ! grep -q 'Pulling from' "$pull_log"; then
      kill "$pull_pid" 2>/dev/null || true
      reason="no answer from the registry within $pull_timeout s"
      break
    fi
    sleep 0.2
  done
  wait "$pull_pid" || status=$?
  pull_pid=""
  if [ -z "$reason" ] && [ "$status" -eq 0 ] && image_present; then
    say "pulled the published $image in $((SECONDS - started)) s"
    return 0
  fi
  [ -n "$reason" ] || reason=$(tail -n 1 "$pull_log")
  say "the pull failed: ${reason:-docker pull exited $status}"
  return 1
}

if pull_published; then
  exit 0
fi
rm -f "$pull_log"
pull_log=""
say "making $image locally instead"

# The first archive URI the host's apt sources use for the given suite (deb822 .sources files and
# one-line .list files), so the bootstrap goes through the same mirror or proxy as the host's apt.
host_mirror_for() {
  local wanted=$1
  local files=() f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && [ -r "$f" ] && files+=("$f")
  done
  [ ${#files[@]} -gt 0 ] || return 0
  # Portable awk (Debian's default is mawk): a stanza of a .sources file ends at a blank line, at
  # the start of the next file, or at the end of the input.
  awk -v wanted="$wanted" '
    function flush() {
      if (!found && uris != "" && types ~ /(^| )deb( |$)/ && enabled != "no") {
        n = split(suites, s, " ")
        for (i = 1; i <= n; i++) if (s[i] == wanted) { split(uris, u, " "); print u[1]; found = 1; break }
      }
      uris = ""; suites = ""; types = ""; enabled = ""
    }
    FNR == 1 { flush() }
    found { exit }
    FILENAME ~ /\.sources$/ {
      if ($0 ~ /^[ \t]*$/) { flush(); next }
      if ($0 ~ /^[ \t]*#/) next
      key = tolower($1); sub(/:$/, "", key); $1 = ""; sub(/^ +/, "")
      if (key == "uris") uris = $0; else if (key == "suites") suites = $0
      else if (key == "types") types = $0; else if (key == "enabled") enabled = tolower($0)
      next
    }
    $1 == "deb" {
      i = 2
      if ($i ~ /^\[/) { while ($i !~ /\]$/ && i < NF) i++; i++ }
      if ($(i + 1) == wanted) { print $i; found = 1; exit }
    }
    END { flush() }
' "${files[@]}" 2>/dev/null || true
}

mirror=${DEBIAN_MIRROR:-$(host_mirror_for "$suite")}
mirror=${mirror:-http://deb.debian.org/debian}
security_mirror=${DEBIAN_SECURITY_MIRROR:-$(host_mirror_for "$suite-security")}
security_mirror=${security_mirror:-http://deb.debian.org/debian-security}
mirror=${mirror%/}
security_mirror=${security_mirror%/}

if ! command -v debootstrap >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || fail "debootstrap is not installed and apt-get is not available; install debootstrap first."
  say "installing debootstrap"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null ||
    fail "apt-get update failed; is the package archive reachable?"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    debootstrap debian-archive-keyring >/dev/null || fail "installing debootstrap failed."
fi

workdir=$(mktemp -d "${TMPDIR:-/tmp}/seed-debian.XXXXXX")
rootfs="$workdir/rootfs"

cleanup() {
  local status=$?
  stop_bootstrap
  # debootstrap mounts /proc and /sys inside the target and unmounts them on its own exit; if it
  # was killed they stay. Unmount whatever is left (deepest first) before removing anything, and
  # never let rm cross into another file system.
  local mounts
  mounts=$(awk -v root="$workdir/" 'index($2, root) == 1 { print $2 }' /proc/self/mounts | sort -r) || true
  for m in $mounts; do as_root umount -l "$m" 2>/dev/null || true; done
  as_root rm -rf --one-file-system "$workdir" 2>/dev/null || echo "seed: could not remove $workdir; remove it by hand." >&2
  exit "$status"
}
# debootstrap runs in the background, in a process group of its own, so that a signal is handled
# at once (bash runs traps only between foreground commands) and stops every process it started
# (a shell script with subshells, wget, dpkg) before the directory they write to is removed.
bootstrap_group=""
stop_bootstrap() {
  [ -n "$bootstrap_group" ] || return 0
  as_root kill -TERM -- "-$bootstrap_group" 2>/dev/null || return 0
  local waited=0
  while as_root kill -0 -- "-$bootstrap_group" 2>/dev/null; do
    waited=$((waited + 1))
    if [ "$waited" -ge 50 ]; then as_root kill -KILL -- "-$bootstrap_group" 2>/dev/null || true; break; fi
    sleep 0.2
  done
}
interrupted() {
  echo "seed: interrupted; cleaning up" >&2
  stop_bootstrap
  exit "$1"
}
trap cleanup EXIT
trap 'interrupted 130' INT
trap 'interrupted 143' TERM

# debootstrap runs the new system's programs (chroot) and creates its device nodes there.
if command -v findmnt >/dev/null 2>&1; then
  case ",$(findmnt -n -o OPTIONS --target "$workdir" 2>/dev/null)," in
    *,noexec,* | *,nodev,*)
      fail "$(dirname "$workdir") is mounted noexec or nodev, where debootstrap cannot work; set TMPDIR to a directory on another file system." ;;
  esac
fi

include=()
# The image's apt reaches the archive over the same scheme; https needs the CA bundle inside.
case "$mirror$security_mirror" in *https://*) include=(--include=ca-certificates) ;; esac

say "bootstrapping Debian $suite (minbase) from $mirror into $workdir (about a minute)"
# The leader writes its process group id before it becomes debootstrap.
# shellcheck disable=SC2016 # $$ and $1 belong to the inner shell
as_root setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$workdir/bootstrap.pgid" \
  debootstrap --variant=minbase "${include[@]}" "$suite" "$rootfs" "$mirror" >"$workdir/debootstrap.out" 2>&1 &
bootstrap_pid=$!
for _ in $(seq 1 50); do [ -s "$workdir/bootstrap.pgid" ] && break; sleep 0.1; done
bootstrap_group=$(cat "$workdir/bootstrap.pgid" 2>/dev/null || true)
if ! wait "$bootstrap_pid"; then
  echo "seed: debootstrap failed; the end of its output:" >&2
  tail -n 20 "$workdir/debootstrap.out" >&2 || true
  if [ -f "$rootfs/debootstrap/debootstrap.log" ]; then
    echo "seed: the end of $rootfs/debootstrap/debootstrap.log:" >&2
    as_root tail -n 20 "$rootfs/debootstrap/debootstrap.log" >&2 || true
  fi
  exit 1
fi
bootstrap_group=""
say "bootstrapped in $((SECONDS - started)) s"

# Make the tree look like the published slim image to the Dockerfiles built on it: the same apt
# sources, no host identity, nothing left over from the bootstrap, and dpkg told to skip
# documentation so `apt-get install` in a build stays small and quick.
as_root bash -s "$rootfs" "$suite" "$mirror" "$security_mirror" <<'CONFIGURE'
set -euo pipefail
rootfs=$1 suite=$2 mirror=$3 security_mirror=$4
cd "$rootfs"

rm -f etc/apt/sources.list
cat >etc/apt/sources.list.d/debian.sources <<EOF
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security_mirror
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF

# The engine provides these per container; the host's copies must not be baked in.
: >etc/resolv.conf
: >etc/hostname

cat >etc/dpkg/dpkg.cfg.d/container-slim <<'EOF'
# Containers need no documentation: skip it when packages are installed (licences are kept).
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
EOF
# Image layers are written once and thrown away on failure; fsync per file only slows builds.
echo force-unsafe-io >etc/dpkg/dpkg.cfg.d/container-unsafe-io
cat >etc/apt/apt.conf.d/container-clean <<'EOF'
// Keep downloaded packages and translations out of image layers.
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
EOF

# What is already installed, trimmed the same way dpkg will trim future installs.
find usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete
find usr/share/doc -mindepth 1 -type d -empty -delete
rm -rf usr/share/man/* usr/share/info/* usr/share/groff/* usr/share/lintian/* usr/share/locale/*
rm -rf var/lib/apt/lists/* var/cache/apt/archives/*.deb var/cache/apt/*.bin var/cache/debconf/*-old
find var/log -type f -delete
CONFIGURE

# --numeric-owner: the image's users are its own, not the host's names for those ids.
say "importing as $image"
if ! as_root tar --numeric-owner --one-file-system -C "$rootfs" -c . |
  docker import \
    --change 'CMD ["bash"]' \
    --change "ENV PATH=$image_path" \
    --message "debootstrap --variant=minbase $suite from $mirror" \
    - "$image" >/dev/null; then
  fail "docker import failed."
fi
say "$image seeded in $((SECONDS - started)) s ($(docker image inspect --format '{{.Size}}' "$image" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
