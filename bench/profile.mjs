#!/usr/bin/env node
/**
 * Where a tscompose command spends its time: runs the built CLI under V8's sampling profiler
 * (`node --cpu-prof`) a few times and prints the average time per run by area and the functions
 * with the most inclusive time. The profiler slows everything down a little; read the shares.
 *
 *   node bench/profile.mjs [--runs 5] [--top 30] -- ps          (in the project directory)
 *
 * Areas: Node's own start-up and module loading ("node internals"), each chunk of dist/, and
 * each package the bundle loads from node_modules. `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.cjs', import.meta.url));
const args = process.argv.slice(2);
const separator = args.indexOf('--');
const own = separator >= 0 ? args.slice(0, separator) : [];
const command = separator >= 0 ? args.slice(separator + 1) : args;
const option = (name, fallback) => {
  const at = own.indexOf(`--${name}`);
  return at >= 0 ? Number(own[at + 1]) : fallback;
};
const runs = option('runs', 5);
const top = option('top', 30);

const dir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
try {
  for (let i = 0; i < runs; i++) {
    const result = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, cli, ...command], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`tscompose ${command.join(' ')} failed:\n${result.stderr}`);
  }
  summarize(readdirSync(dir).map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8'))));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** `dist/chunk-X.js`, `node_modules/pkg`, or "node internals" for a frame's URL. */
function area(url) {
  if (url.includes('/node_modules/')) {
    const parts = url.slice(url.lastIndexOf('/node_modules/') + '/node_modules/'.length).split('/');
    return `node_modules/${parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return 'node internals';
}

function summarize(profiles) {
  const byArea = new Map();
  const inclusive = new Map();
  let total = 0;
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const parent = new Map();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    profile.samples.forEach((sample, index) => {
      const ms = profile.timeDeltas[index] / 1000;
      const frame = nodes.get(sample).callFrame;
      if (frame.functionName === '(idle)') return;
      total += ms;
      // A sample belongs to the innermost frame of our code or a package, else to Node.
      const seen = new Set();
      let owner;
      for (let id = sample; id !== undefined; id = parent.get(id)) {
        const { functionName, url, lineNumber } = nodes.get(id).callFrame;
        const where = url.includes('/dist/') || url.includes('/node_modules/') ? area(url) : url.replace('node:internal/', 'node:') || '(native)';
        const name = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
        owner ??= url.includes('/dist/') || url.includes('/node_modules/') ? area(url) : undefined;
        if (!seen.has(name) && functionName !== '(root)') {
          seen.add(name);
          inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
        }
      }
      const key = owner ?? 'node internals';
      byArea.set(key, (byArea.get(key) ?? 0) + ms);
    });
  }
  const perRun = (ms) => (ms / profiles.length).toFixed(1).padStart(8);
  console.log(`tscompose ${command.join(' ')}: ${profiles.length} runs, ${(total / profiles.length).toFixed(1)} ms of samples per run\n`);
  console.log('ms/run  area (innermost frame of dist/ or a package; Node start-up and module loading otherwise)');
  for (const [name, ms] of [...byArea].sort((a, b) => b[1] - a[1])) console.log(`${perRun(ms)}  ${name}`);
  console.log('\nms/run  function (inclusive)');
  for (const [name, ms] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${perRun(ms)}  ${name}`);
}
