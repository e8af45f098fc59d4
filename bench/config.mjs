#!/usr/bin/env node
/**
 * `tscompose config` side by side with Docker Compose v2 on one generated file, in one run (npm
 * run bench has the same case in its table; this one also reports CPU time).
 *
 *   node bench/config.mjs [--services 500] [--runs 15] [--format json|yaml] [--compose docker-compose]
 *
 * Runs the two tools alternately (so machine noise hits both alike) and prints the median wall
 * time and CPU time of each and their ratio. The machines are shared and noisy: compare ratios,
 * not absolute times. Needs `npm run build` first; the reference is `docker-compose` (2.26 from
 * Debian trixie, see DESIGN.md) or whatever --compose names.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configFile } from './lib/projects.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const services = Number(option('services', '500'));
const runs = Number(option('runs', '15'));
const format = option('format', 'json');
const reference = option('compose', 'docker-compose');
const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');

function measure(command, commandArgs, cwd) {
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%U %S %M', command, ...commandArgs], { cwd, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} failed:\n${result.stderr}`);
  const [user, sys, maxKb] = result.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall, cpu: (user + sys) * 1000, rssMb: maxKb / 1024 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const dir = mkdtempSync(join(tmpdir(), 'tscompose-bench-config-'));
try {
  writeFileSync(join(dir, 'compose.yaml'), configFile(services));
  const tools = [
    { name: 'tscompose', command: process.execPath, args: [cli, 'config', '--format', format] },
    { name: reference, command: reference, args: ['config', '--format', format] },
  ];
  const samples = new Map(tools.map((tool) => [tool.name, []]));
  for (const tool of tools) measure(tool.command, tool.args, dir); // warm the page cache
  for (let i = 0; i < runs; i++) {
    for (const tool of tools) samples.get(tool.name).push(measure(tool.command, tool.args, dir));
  }
  const summary = tools.map((tool) => {
    const list = samples.get(tool.name);
    return {
      tool: tool.name,
      wallMs: median(list.map((s) => s.wall)),
      cpuMs: median(list.map((s) => s.cpu)),
      rssMb: median(list.map((s) => s.rssMb)),
    };
  });
  console.log(`config --format ${format} on ${services} services, ${runs} alternating runs (medians):`);
  for (const row of summary) {
    console.log(`  ${row.tool.padEnd(16)} wall ${row.wallMs.toFixed(0).padStart(6)} ms   cpu ${row.cpuMs.toFixed(0).padStart(6)} ms   rss ${row.rssMb.toFixed(0).padStart(4)} MB`);
  }
  const [ours, theirs] = summary;
  console.log(`  ratio (tscompose / reference): wall ${(ours.wallMs / theirs.wallMs).toFixed(2)}, cpu ${(ours.cpuMs / theirs.cpuMs).toFixed(2)}, rss ${(ours.rssMb / theirs.rssMb).toFixed(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
