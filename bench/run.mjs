#!/usr/bin/env node
/**
 * `npm run bench`: tscompose side by side with Docker Compose 2.26 on the same engine, one table.
 *
 *   npm run bench [-- --quick] [--runs N] [--only case,case] [--compose PATH] [--cli PATH]
 *
 * Every case runs its contestants alternately (a warm-up, then rounds in which each runs once),
 * so noise on a shared machine falls on all of them alike; the table shows median, min and max,
 * and the ratio of tscompose's median to each other contestant's. Compare ratios, not times.
 * `--quick` runs the fast cases (config, start-up, ps, no-op up) in under two minutes, as a check
 * before a commit. The bench reports; it never fails on a missed target (machines are too noisy
 * for that), only when a command fails.
 *
 * It installs the reference if it is missing (scripts/ensure-reference.sh) and builds the test
 * image (scripts/build-test-images.sh); `npm run bench` builds dist/ first. Every project it
 * creates is named bench-…-<run id>, and it removes them (by their labels) when it ends.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectEngine, limiter } from './lib/engine-api.mjs';
import { countLines } from './lib/follow.mjs';
import { alternate, percentile, summarize, timeCommand } from './lib/measure.mjs';
import { configFile, IMAGE, logFlood, parentOf, serviceTree, treeContainer } from './lib/projects.mjs';
import { watchLatency } from './watch-latency.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
// `--cli PATH`: another build of tscompose (a copy of dist/, so that a rebuild cannot disturb the run).
const cli = option('cli', join(root, 'dist', 'cli.cjs'));
const quick = args.includes('--quick');
const runsOverride = option('runs') === undefined ? undefined : Number(option('runs'));
const only = option('only')?.split(',');
const reference = option('compose', process.env.COMPOSE_REFERENCE ?? 'docker-compose');
const log = (message) => process.stderr.write(`bench: ${message}\n`);

const env = { ...process.env, NO_COLOR: '1' };
delete env.COMPOSE_PROJECT_NAME;
delete env.COMPOSE_FILE;
delete env.COMPOSE_PARALLEL_LIMIT;

const work = mkdtempSync(join(tmpdir(), 'bench-tscompose-'));
// Project names carry this run's id, so that nothing a broken earlier run left behind is in the way.
const runId = process.pid.toString(36);
const projects = new Set();
let engine;

/**
 * One project directory with its compose.yaml, which names the project (so commands run in it as
 * a user types them, without -p); the name is registered for cleanup.
 */
function projectDir(base, content) {
  const name = `${base}-${runId}`;
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compose.yaml'), `name: ${name}\n${content}`);
  projects.add(name);
  return { name, dir };
}

const tools = {
  tscompose: (projectArgs) => [process.execPath, [cli, ...projectArgs]],
  compose: (projectArgs) => [reference, projectArgs],
};

/** Runs a tool's command in a project and returns its timing. */
function time(tool, dir, project, commandArgs) {
  const [command, argv] = tools[tool](project ? ['-p', project, ...commandArgs] : commandArgs);
  return timeCommand(command, argv, { cwd: dir, env });
}

function runAsync(tool, dir, project, commandArgs) {
  const [command, argv] = tools[tool](commandArgs);
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${tool} ${commandArgs.join(' ')} (${project}) failed:\n${stderr}`))));
    child.on('error', reject);
  });
}

// -----------------------------------------------------------------------------------------------
// The table

const rows = [];

/**
 * Adds the rows of one measurement: tscompose first, then each other contestant with the ratio
 * tscompose / it. `targets` maps a contestant to its target text.
 */
function addRows(title, unit, samples, metric, { targets = {}, labels = {}, decimals = 0 } = {}) {
  const ours = summarize(samples.get('tscompose')[metric]);
  rows.push({ title, tool: labels.tscompose ?? 'tscompose', unit, ...ours, decimals });
  for (const [name, values] of samples) {
    if (name === 'tscompose' || !values[metric]) continue;
    const theirs = summarize(values[metric]);
    rows.push({ title, tool: labels[name] ?? name, unit, ...theirs, decimals, ratio: ours.median / theirs.median, target: targets[name] });
  }
}

function printTable() {
  const fmt = (value, decimals) => (value === undefined ? '' : value.toFixed(decimals));
  const header = ['case', 'tool', 'median', 'min', 'max', 'tscompose ÷ this', 'target'];
  const body = rows.map((row) => [
    `${row.title} (${row.unit})`,
    row.tool,
    fmt(row.median, row.decimals),
    fmt(row.min, row.decimals),
    fmt(row.max, row.decimals),
    row.ratio === undefined ? '' : row.ratio.toFixed(2),
    row.target ?? '',
  ]);
  const widths = header.map((cell, i) => Math.max(cell.length, ...body.map((line) => line[i].length)));
  const line = (cells) => `| ${cells.map((cell, i) => (i >= 2 && i <= 5 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' | ')} |`;
  const out = [line(header), `|${widths.map((w, i) => (i >= 2 && i <= 5 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`, ...body.map(line)];
  process.stdout.write(`${out.join('\n')}\n`);
}

// -----------------------------------------------------------------------------------------------
// Cases

const runs = (full, fast = full) => runsOverride ?? (quick ? fast : full);

async function startupCase() {
  log('start-up: version against node -e 0');
  const samples = await alternate(
    [
      { name: 'tscompose', run: () => time('tscompose', work, undefined, ['version']).wall },
      { name: 'node -e 0', run: () => timeCommand(process.execPath, ['-e', '0'], { env }).wall },
      { name: 'compose', run: () => time('compose', work, undefined, ['version']).wall },
    ],
    { runs: runs(20, 10), warmups: 2 },
  );
  addRows('`version`', 'ms', samples, 'value', { targets: { 'node -e 0': '≤ 1.3' }, labels: { compose: reference } });
}

async function configCase(services) {
  log(`config on ${services} services`);
  const dir = join(work, `config-${services}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'compose.yaml'), configFile(services));
  const measureTool = (tool) => () => {
    const { wall, rssMb } = time(tool, dir, undefined, ['config']);
    return { wall, rssMb };
  };
  const samples = await alternate(
    [
      { name: 'tscompose', run: measureTool('tscompose') },
      { name: 'compose', run: measureTool('compose') },
    ],
    { runs: runs(10, 5), warmups: 1 },
  );
  const big = services >= 500;
  addRows(`\`config\`, ${services} services`, 'ms', samples, 'wall', { targets: big ? { compose: '≤ 0.25' } : {}, labels: { compose: reference } });
  addRows(`\`config\`, ${services} services, peak memory`, 'MB', samples, 'rssMb', { targets: big ? { compose: '≤ 1.0' } : {}, labels: { compose: reference } });
}

/** Long-running projects of `count` services, one per tool, each started by its own tool. */
async function runningProjects(count) {
  const made = {};
  await Promise.all(
    ['tscompose', 'compose'].map(async (tool) => {
      const { name, dir } = projectDir(`bench-run${count}-${tool === 'tscompose' ? 'ts' : 'dc'}`, serviceTree(count));
      await runAsync(tool, dir, name, ['up', '-d']);
      made[tool] = { name, dir };
    }),
  );
  return made;
}

const FLOOR_LABEL = 'Node alone (node-floor.mjs)';

/**
 * bench/node-floor.mjs on a project: the engine requests of `ps` or of a no-op `up` and their
 * output, in Node with nothing else; what no Node implementation can go below.
 */
function nodeFloor(command, project, dir) {
  return timeCommand(process.execPath, [join(root, 'bench', 'node-floor.mjs'), command, project, IMAGE], {
    cwd: dir,
    env: { ...env, BENCH_ENGINE: JSON.stringify(engine.target) },
  });
}

async function psCase(running) {
  log(`ps on ${running.tscompose.name}`);
  const { dir } = running.tscompose;
  const samples = await alternate(
    [
      ...['tscompose', 'compose'].map((tool) => ({ name: tool, run: () => time(tool, dir, undefined, ['ps']).wall })),
      { name: 'floor', run: () => nodeFloor('ps', running.tscompose.name, dir).wall },
    ],
    { runs: runs(20, 11), warmups: 1 },
  );
  addRows('`ps`, 50 running services', 'ms', samples, 'value', { targets: { compose: '≤ 1.5' }, labels: { compose: reference, floor: FLOOR_LABEL } });
}

async function noopUpCase(count, running) {
  log(`no-op up -d on ${count} services`);
  const samples = await alternate(
    [
      ...['tscompose', 'compose'].map((tool) => ({ name: tool, run: () => time(tool, running[tool].dir, undefined, ['up', '-d']).wall })),
      { name: 'floor', run: () => nodeFloor('up', running.tscompose.name, running.tscompose.dir).wall },
    ],
    { runs: runs(20, 9), warmups: 1 },
  );
  addRows(`no-op \`up -d\`, ${count} running services`, 'ms', samples, 'value', {
    targets: count >= 50 ? { compose: '≤ 1.5' } : {},
    labels: { compose: reference, floor: FLOOR_LABEL },
  });
}

/**
 * The engine's own limit for a cold `up` of serviceTree(count): the network, the volume and the
 * same containers created and started straight through the API, each container started as soon
 * as it exists and its parent has started, with at most `concurrency` requests at once.
 */
async function engineUp(project, count, concurrency) {
  const limit = limiter(concurrency);
  const labels = { 'com.docker.compose.project': project };
  await Promise.all([
    // A network an earlier pass could not remove (Engine 20.10 leaks endpoints under load) is reused, as up would.
    limit(() =>
      engine
        .request('POST', '/networks/create', { Name: `${project}_default`, CheckDuplicate: true, Labels: { ...labels, 'com.docker.compose.network': 'default' } })
        .catch((error) => {
          if (error.statusCode !== 409) throw error;
        }),
    ),
    limit(() => engine.request('POST', '/volumes/create', { Name: `${project}_data`, Labels: { ...labels, 'com.docker.compose.volume': 'data' } })),
  ]);
  const started = [];
  for (let i = 0; i < count; i++) {
    const { name, body } = treeContainer(project, i);
    const created = limit(() => engine.request('POST', `/containers/create?name=${name}`, body));
    const parent = parentOf(i);
    started.push(
      Promise.all([created, parent === undefined ? undefined : started[parent]]).then(([{ Id }]) =>
        limit(() => engine.request('POST', `/containers/${Id}/start`)),
      ),
    );
  }
  await Promise.all(started);
}

async function coldUpCase(count) {
  log(`cold up -d of ${count} services`);
  const names = {};
  const dirs = {};
  for (const [tool, short] of Object.entries({ tscompose: 'ts', compose: 'dc', engine: 'api' })) {
    ({ name: names[tool], dir: dirs[tool] } = projectDir(`bench-cold${count}-${short}`, serviceTree(count)));
  }
  // The engine's best concurrency for these containers, found once before the measured rounds.
  let best = { concurrency: Infinity, ms: Infinity };
  for (const concurrency of quick ? [8, Infinity] : [4, 8, 16, 32, Infinity]) {
    const started = performance.now();
    await engineUp(names.engine, count, concurrency);
    const ms = performance.now() - started;
    await engine.removeProject(names.engine, log);
    if (ms < best.ms) best = { concurrency, ms };
  }
  const timed = (run, name) => async () => {
    const started = performance.now();
    await run();
    const ms = performance.now() - started;
    await engine.removeProject(name, log);
    return ms;
  };
  const samples = await alternate(
    [
      { name: 'tscompose', run: timed(() => runAsync('tscompose', dirs.tscompose, names.tscompose, ['up', '-d']), names.tscompose) },
      { name: 'compose', run: timed(() => runAsync('compose', dirs.compose, names.compose, ['up', '-d']), names.compose) },
      { name: 'engine', run: timed(() => engineUp(names.engine, count, best.concurrency), names.engine) },
    ],
    { runs: runs(5, 3), warmups: 1 },
  );
  const concurrency = best.concurrency === Infinity ? 'all' : String(best.concurrency);
  addRows(`cold \`up -d\`, ${count} services in a dependency tree`, 'ms', samples, 'value', {
    targets: { compose: '≤ 1.0', engine: '≤ 1.1' },
    labels: { compose: reference, engine: `engine API (${concurrency} at once)` },
  });
}

async function downCase(count) {
  log(`down of ${count} services`);
  const names = {};
  const dirs = {};
  for (const [tool, short] of Object.entries({ tscompose: 'ts', compose: 'dc' })) {
    ({ name: names[tool], dir: dirs[tool] } = projectDir(`bench-down${count}-${short}`, serviceTree(count)));
  }
  const run = (tool) => async () => {
    await runAsync(tool, dirs[tool], names[tool], ['up', '-d']);
    const started = performance.now();
    await runAsync(tool, dirs[tool], names[tool], ['down']);
    const ms = performance.now() - started;
    await engine.removeProject(names[tool], log); // the named volume `down` keeps
    return ms;
  };
  const samples = await alternate([{ name: 'tscompose', run: run('tscompose') }, { name: 'compose', run: run('compose') }], { runs: runs(5, 3), warmups: 1 });
  addRows(`\`down\`, ${count} services`, 'ms', samples, 'value', { targets: { compose: '≤ 1.0' }, labels: { compose: reference } });
}

async function logsCase(services, lines) {
  log(`logs -f over ${services} services printing ${lines} lines each`);
  const { name, dir } = projectDir('bench-logs', logFlood(services, lines));
  await runAsync('tscompose', dir, name, ['up', '-d']);
  // Wait until every container has printed everything (its last line is END).
  for (const container of await engine.containers(name)) {
    for (let tries = 0; !(await engine.logTail(container.Id, 1)).includes('END'); tries++) {
      if (tries > 600) throw new Error(`${container.Names[0]} did not finish printing`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const total = services * (lines + 1);
  const follow = (tool) => () => {
    const [command, argv] = tools[tool](['logs', '-f', '--no-color']);
    return countLines(command, argv, { cwd: dir, env, lines: total });
  };
  const samples = await alternate([{ name: 'tscompose', run: follow('tscompose') }, { name: 'compose', run: follow('compose') }], { runs: runs(3, 2), warmups: 1 });
  addRows(`\`logs -f\`, ${services} services, ${total} lines: throughput`, 'lines/s', samples, 'linesPerSecond', {
    targets: { compose: '≥ 1.0' },
    labels: { compose: reference },
  });
  addRows(`\`logs -f\`, ${services} services, ${total} lines: CPU`, 'ms', samples, 'cpu', { labels: { compose: reference } });
  await engine.removeProject(name, log);
}

async function watchCase(edits) {
  log(`watch sync over ${edits} edits`);
  const { sync } = await watchLatency({ edits, cli, compose: reference, withReloads: false, log: (message) => log(`watch: ${message}`) });
  const samples = new Map([...sync].map(([tool, values]) => [tool, { value: values, p95: [percentile(values, 0.95)] }]));
  addRows(`watch sync, write to visible, ${edits} edits`, 'ms', samples, 'value', { targets: { compose: '≤ 0.3' }, labels: { compose: reference } });
  addRows('watch sync p95', 'ms', samples, 'p95', { labels: { compose: reference } });
}

// -----------------------------------------------------------------------------------------------

function prepare() {
  execFileSync('bash', [join(root, 'scripts', 'ensure-reference.sh')], { stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  execFileSync('bash', [join(root, 'scripts', 'build-test-images.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
}

function describeMachine(engineVersion) {
  const cpu = cpus();
  const compose = execFileSync(reference, ['version', '--short'], { encoding: 'utf8' }).trim();
  const load = execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ');
  return [
    `date ${new Date().toISOString()}; command: npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
    `engine ${engineVersion.Version} (API ${engineVersion.ApiVersion}); reference Docker Compose ${compose}; Node ${process.version}`,
    `machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB; load average at the start ${load}`,
  ];
}

async function cleanup() {
  if (!engine) return;
  for (const name of projects) await engine.removeProject(name, log).catch((error) => log(`cleanup of ${name}: ${error.message}`));
  engine.close();
  rmSync(work, { recursive: true, force: true });
}

async function main() {
  prepare();
  engine = await connectEngine();
  const header = describeMachine(await engine.version());
  const wanted = (id) => !only || only.includes(id);
  const started = performance.now();
  try {
    if (wanted('startup')) await startupCase();
    if (wanted('config')) {
      await configCase(50);
      await configCase(500);
    }
    if (wanted('ps') || wanted('noop')) {
      const [fifty, twenty] = await Promise.all([runningProjects(50), runningProjects(20)]);
      if (wanted('ps')) await psCase(fifty);
      if (wanted('noop')) {
        await noopUpCase(20, twenty);
        await noopUpCase(50, fifty);
      }
      for (const made of [fifty, twenty]) for (const { name } of Object.values(made)) await engine.removeProject(name, log);
    }
    if (!quick) {
      if (wanted('cold')) {
        await coldUpCase(10);
        await coldUpCase(50);
      }
      if (wanted('down')) await downCase(50);
      if (wanted('logs')) await logsCase(10, 50_000);
      if (wanted('watch')) await watchCase(20);
    }
  } finally {
    // What was measured is printed even when a later case failed.
    if (rows.length > 0) {
      process.stdout.write(`${header.join('\n')}\n\n`);
      printTable();
      process.stdout.write(`\n(${((performance.now() - started) / 1000).toFixed(0)} s; medians of alternating runs; lower is better except lines/s)\n`);
    }
  }
}

let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  log('interrupted: cleaning up');
  cleanup().finally(() => process.exit(130));
});

main()
  .catch((error) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : error}\n`);
    process.exitCode = 1;
  })
  .finally(cleanup);
