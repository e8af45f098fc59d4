#!/usr/bin/env bash
# Regenerates the golden outputs of the `config` corpus (test/fixtures/config/<case>/) by running
# the reference implementation, Docker Compose 2.26, on every case. CI never runs this: it only
# compares tscompose against the stored goldens.
#
# Each case directory holds the compose files of the case and, optionally, an `args` file:
#   global: -f a.yaml --profile debug    options placed before `config`
#   command: web --no-interpolate        arguments placed after `config --format json|yaml`
#   env: NAME=value                      one variable of the (otherwise minimal) environment
#   cwd: sub                             run from this subdirectory of the case
#   stdin: input.yaml                    feed this file on stdin (for `-f -`)
# Words are split on whitespace; fixtures avoid values that need quoting.
#
# Outputs per case (absolute paths replaced so the goldens are machine-independent):
#   expected.json      `config --format json`
#   expected.yaml      `config --format yaml`
#   expected.txt       instead of both, for the listing flags (--services, --volumes, --profiles,
#                      --images, -q): the lines, sorted, because the reference prints them in Go
#                      map order, which changes from run to run
#   expected.warnings  the reference's warnings (stderr, log prefix stripped), when there are any
#   expected.hash      `config --hash '*'`: each service's config hash, the value `up` writes to
#                      com.docker.compose.config-hash. Not for listing cases, not for cases
#                      with an env_file (Compose's `config --hash` hashes the environment before
#                      env_file values are added, unlike its `up`; tscompose prints what up
#                      writes), and not for cases whose hash depends on where the corpus lies (an
#                      absolute bind source is hashed as it is, so no placeholder can stand in for
#                      it): the reference is run on a copy elsewhere too, and the case is kept only
#                      when both agree. test/e2e/compat-switching.test.ts covers such paths live.
#
# Usage: scripts/regenerate-goldens.sh [case ...]
#   COMPOSE_REFERENCE=/path/to/docker-compose picks the binary (default: docker-compose on PATH).
#   Install it on Debian 12: add the trixie suite with a low pin priority and run
#   `apt-get install -t trixie --no-install-recommends docker-compose`.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
corpus="$root/test/fixtures/config"
compose=${COMPOSE_REFERENCE:-docker-compose}

if ! version=$("$compose" version --short 2>/dev/null); then
  echo "regenerate-goldens: the reference '$compose' is not installed (Debian: apt-get install -t trixie --no-install-recommends docker-compose)" >&2
  exit 1
fi
case "$version" in
  2.26.*) ;;
  *) echo "regenerate-goldens: expected Docker Compose 2.26.x, found $version" >&2; exit 1 ;;
esac

# The fixed environment every case runs in (the golden test uses the same one).
base_env=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/home/tester)

if [ $# -gt 0 ]; then
  cases=("$@")
else
  cases=()
  for dir in "$corpus"/*/; do cases+=("$(basename "$dir")"); done
fi

# Replaces the absolute location of the case and of the corpus with placeholders.
scrub() {
  local case_dir=$1
  sed -e "s#${case_dir}#__CASE_DIR__#g" -e "s#${corpus}#__CORPUS_DIR__#g"
}

failed=()
for name in "${cases[@]}"; do
  dir="$corpus/$name"
  [ -d "$dir" ] || { echo "regenerate-goldens: no case $name" >&2; exit 1; }
  global=() command=() env=("${base_env[@]}") cwd="" stdin=/dev/null
  if [ -f "$dir/args" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in
        global:*) read -r -a words <<<"${line#global:}"; global+=("${words[@]}") ;;
        command:*) read -r -a words <<<"${line#command:}"; command+=("${words[@]}") ;;
        env:*) env+=("$(echo "${line#env:}" | sed 's/^ *//')") ;;
        cwd:*) cwd=$(echo "${line#cwd:}" | tr -d ' ') ;;
        stdin:*) stdin="$dir/$(echo "${line#stdin:}" | tr -d ' ')" ;;
        ''|'#'*) ;;
        *) echo "regenerate-goldens: $name/args: cannot read line: $line" >&2; exit 1 ;;
      esac
    done <"$dir/args"
  fi
  run_dir="$dir${cwd:+/$cwd}"
  listing=false
  for word in ${command[@]+"${command[@]}"}; do
    case "$word" in --services|--volumes|--profiles|--images|-q|--quiet) listing=true ;; esac
  done
  rm -f "$dir"/expected.*
  if $listing; then formats=(txt); else formats=(json yaml); fi
  for format in "${formats[@]}"; do
    stderr=$(mktemp)
    format_args=(--format "$format")
    postprocess=cat
    if [ "$format" = txt ]; then format_args=() postprocess=sort; fi
    if ! (cd "$run_dir" && env -i "${env[@]}" "$compose" ${global[@]+"${global[@]}"} config ${format_args[@]+"${format_args[@]}"} \
      ${command[@]+"${command[@]}"} <"$stdin" 2>"$stderr" | scrub "$dir" | LC_ALL=C $postprocess >"$dir/expected.$format"); then
      echo "regenerate-goldens: $name: the reference failed:" >&2
      cat "$stderr" >&2
      rm -f "$stderr" "$dir"/expected.*
      failed+=("$name")
      continue 2
    fi
    if [ "$format" != yaml ]; then
      # Without a terminal logrus prints `time="..." level=warning msg="text"`; keep the text,
      # once each (the reference prints some twice) and sorted (it prints some in map order).
      sed -e 's/^time="[^"]*" level=[a-z]* msg="\(.*\)"$/\1/' -e 's/\\"/"/g' "$stderr" | scrub "$dir" |
        LC_ALL=C sort -u >"$dir/expected.warnings"
      [ -s "$dir/expected.warnings" ] || rm -f "$dir/expected.warnings"
    fi
    rm -f "$stderr"
  done
  if ! $listing && ! grep -rqs --include='*.y*ml' env_file "$dir"; then
    if ! (cd "$run_dir" && env -i "${env[@]}" "$compose" ${global[@]+"${global[@]}"} config --hash '*' <"$stdin" 2>/dev/null |
      scrub "$dir" | LC_ALL=C sort >"$dir/expected.hash"); then
      echo "regenerate-goldens: $name: the reference failed on config --hash" >&2
      rm -f "$dir/expected.hash"
      failed+=("$name")
      continue
    fi
    # The same case from a copy of the corpus elsewhere: a hash that changes is location-bound.
    elsewhere=$(mktemp -d)
    cp -a "$corpus" "$elsewhere/config"
    moved_run_dir="$elsewhere/config/${run_dir#"$corpus"/}"
    moved_stdin=$stdin
    [ "$stdin" = /dev/null ] || moved_stdin="$elsewhere/config/${stdin#"$corpus"/}"
    if ! (cd "$moved_run_dir" && env -i "${env[@]}" "$compose" ${global[@]+"${global[@]}"} config --hash '*' <"$moved_stdin" 2>/dev/null |
      LC_ALL=C sort | cmp -s - "$dir/expected.hash"); then
      rm -f "$dir/expected.hash"
    fi
    rm -rf "$elsewhere"
  fi
  echo "regenerated $name"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "regenerate-goldens: the reference rejected: ${failed[*]}" >&2
  exit 1
fi
