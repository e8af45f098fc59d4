#!/usr/bin/env node
/**
 * `tscompose build` side by side with Docker Compose v2 on the example's three images
 * (examples/db-proxy-app), on the same engine, in one run:
 *
 *   node bench/build.mjs [--runs 9] [--cold 1] [--compose docker-compose]
 *
 * - cached: a rebuild with nothing changed (every step from the cache), the two tools alternately
 *   so machine noise hits both alike; `--runs` each after one warm-up each;
 * - cold: `build --no-cache` (every step runs again; the engine's build cache is shared with other
 *   users of the engine, so it is not pruned), `--cold` runs each, alternately.
 *
 * Prints the median wall time of each and the ratio tscompose / Compose. The example is copied
 * to a temporary directory and its images renamed (build-bench/...), so nothing that uses the
 * example's own images is disturbed. Needs `npm run build`, the base image debian:bookworm-slim
 * (scripts/seed-debian-image.sh) and the reference as `docker-compose` (DESIGN.md). The machines
 * are shared and noisy: compare ratios, not absolute times.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const runs = Number(option('runs', '9'));
const coldRuns = Number(option('cold', '1'));
const reference = option('compose', 'docker-compose');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const project = 'build-bench';

const dir = mkdtempSync(join(tmpdir(), 'build-bench-'));
cpSync(join(root, 'examples', 'db-proxy-app'), dir, { recursive: true });
const composeFile = join(dir, 'compose.yaml');
writeFileSync(composeFile, readFileSync(composeFile, 'utf8').replaceAll('image: db-proxy-app/', 'image: build-bench/'));

const tools = {
  tscompose: (extra) => [process.execPath, [cli, '-p', project, '--progress', 'quiet', 'build', ...extra]],
  compose: (extra) => [reference, ['-p', project, '--progress', 'quiet', 'build', ...extra]],
};

function run(tool, extra) {
  const [command, commandArgs] = tools[tool](extra);
  const started = process.hrtime.bigint();
  const result = spawnSync(command, commandArgs, { cwd: dir, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${tool} ${extra.join(' ')} failed:\n${result.stderr}`);
  return seconds;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

function compare(label, extra, count) {
  const times = { tscompose: [], compose: [] };
  for (let i = 0; i < count; i++) {
    // Alternate which tool goes first, so neither always runs right after the other's work.
    const order = i % 2 === 0 ? ['tscompose', 'compose'] : ['compose', 'tscompose'];
    for (const tool of order) times[tool].push(run(tool, extra));
  }
  const ours = median(times.tscompose);
  const theirs = median(times.compose);
  console.log(
    `${label}: tscompose ${ours.toFixed(2)} s, docker-compose ${theirs.toFixed(2)} s (median of ${count}); ratio ${(ours / theirs).toFixed(2)}` +
      `\n  tscompose: ${times.tscompose.map((t) => t.toFixed(2)).join(' ')}\n  compose:   ${times.compose.map((t) => t.toFixed(2)).join(' ')}`,
  );
}

try {
  // Warm-up: both tools build once, so the cached runs find every step in the cache.
  run('tscompose', []);
  run('compose', []);
  compare('cached rebuild (3 images)', [], runs);
  if (coldRuns > 0) compare('cold build, --no-cache (3 images)', ['--no-cache'], coldRuns);
} finally {
  for (const name of ['db', 'proxy', 'app']) spawnSync('docker', ['image', 'rm', '-f', `build-bench/${name}`], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}
