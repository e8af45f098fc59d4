#!/usr/bin/env node
/**
 * Watch latency, side by side with Docker Compose v2 on the same engine:
 *
 * 1. sync: the time from writing a file on the host to its new content being visible inside the
 *    container, for `tscompose watch` and `docker compose watch` (p50 and p95 over N edits);
 * 2. bind-mount reload (tscompose only: Compose has no such feature): the time from writing a file
 *    under a bind mount to the service having been signalled (SIGHUP) or restarted.
 *
 * How it is measured: the container itself reports. A shell loop in the container reads the
 * watched file with the shell's builtin `read` every 5 ms and prints `seen <content>` when the
 * content changes (for the signal reload: a SIGHUP trap prints `reloaded <content>`). The script
 * follows the container's output (`docker logs -f`) and takes the time the line arrives. A restart
 * is timed to the engine's `start` event of the container (`docker events`). The overhead (up to one 5 ms poll plus the log stream, a few ms) is
 * the same for both tools. Edits to the two projects alternate, so a busy machine slows both
 * alike, and each edit waits until the previous one was seen plus a pause longer than Compose's
 * 500 ms quiet period, so no two edits are merged into one batch.
 *
 * Usage: node bench/watch-latency.mjs [--edits 20] [--compose docker-compose] [--no-compose]
 * Needs: a running engine, the test image (scripts/build-test-images.sh), `npm run build`.
 * bench/run.mjs runs the sync measurement through `watchLatency()` as one case of its table.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

let cli = fileURLToPath(new URL('../dist/cli.cjs', import.meta.url));
const WARMUP = 2;
let COMPOSE = 'docker-compose';
const IMAGE = 'tscompose-test/busybox:latest';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// `$$` is a literal `$` in a compose file.
const SYNC_LOOP =
  'prev=; while :; do if [ -f /app/src/probe.txt ]; then read -r cur < /app/src/probe.txt; ' +
  'if [ "$$cur" != "$$prev" ]; then echo "seen $$cur"; prev=$$cur; fi; fi; usleep 5000; done';
const SIGNAL_LOOP =
  'trap \'read -r cur < /conf/probe.txt; echo "reloaded $$cur"\' HUP; echo started; while :; do sleep 3600 & wait $$!; kill $$! 2>/dev/null; done';
const RESTART_START = 'exec sleep 3600';

function composeFile(withReloads) {
  const lines = [
    'services:',
    '  app:',
    // Compose 2.26 watches only services with a build section.
    `    build: {context: ., dockerfile_inline: "FROM ${IMAGE}"}`,
    `    command: ["sh", "-c", ${JSON.stringify(SYNC_LOOP)}]`,
    '    init: true',
    '    develop:',
    '      watch:',
    '        - {path: ./src, target: /app/src, action: sync}',
  ];
  if (withReloads) {
    lines.push(
      '  signalled:',
      `    image: ${IMAGE}`,
      `    command: ["sh", "-c", ${JSON.stringify(SIGNAL_LOOP)}]`,
      '    init: true',
      '    x-tscompose-reload: {action: signal, signal: SIGHUP}',
      '    volumes: ["./signal-conf:/conf"]',
      '  restarted:',
      `    image: ${IMAGE}`,
      `    command: ["sh", "-c", ${JSON.stringify(RESTART_START)}]`,
      '    init: true',
      '    volumes: ["./restart-conf:/conf"]',
    );
  }
  return `${lines.join('\n')}\n`;
}

function project(name, tool) {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'signal-conf'));
  mkdirSync(join(dir, 'restart-conf'));
  writeFileSync(join(dir, 'src', 'probe.txt'), 'initial\n');
  writeFileSync(join(dir, 'signal-conf', 'probe.txt'), 'initial\n');
  writeFileSync(join(dir, 'restart-conf', 'probe.txt'), 'initial\n');
  writeFileSync(join(dir, 'compose.yaml'), composeFile(tool === 'tscompose'));
  return { name, tool, dir, watcher: undefined, logs: new Map() };
}

function command(p, watchArgs) {
  return p.tool === 'tscompose'
    ? { file: process.execPath, args: [cli, '-p', p.name, '--progress', 'quiet', ...watchArgs] }
    : { file: COMPOSE, args: ['-p', p.name, ...watchArgs] };
}

/** Starts `watch` and resolves once it says "Watch enabled". */
function startWatch(p) {
  return new Promise((resolve, reject) => {
    const { file, args: watchArgs } = command(p, ['watch']);
    const child = spawn(file, watchArgs, { cwd: p.dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    p.watcher = child;
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      if (output.includes('Watch enabled')) resolve();
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.on('exit', (code) => reject(new Error(`${p.tool} watch exited (${code}) before watching:\n${output}`)));
    setTimeout(() => reject(new Error(`${p.tool} watch did not start in time:\n${output}`)), 120_000).unref();
  });
}

/** Follows a container's output; `waitFor(prefix)` resolves with the arrival time of `<prefix>`. */
function follow(p, service) {
  const container = `${p.name}-${service}-1`;
  const child = spawn('docker', ['logs', '-f', '--since', '0s', container], { stdio: ['ignore', 'pipe', 'pipe'] });
  const waiters = [];
  let buffer = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    const now = performance.now();
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop();
    for (const line of lines) {
      for (const waiter of waiters.filter((candidate) => line.trim() === candidate.line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(now);
      }
    }
  });
  const follower = {
    child,
    waitFor(line, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const waiter = { line, resolve };
        waiters.push(waiter);
        setTimeout(() => {
          if (waiters.includes(waiter)) reject(new Error(`${container}: "${line}" not seen within ${timeoutMs} ms`));
        }, timeoutMs).unref();
      });
    },
  };
  p.logs.set(service, follower);
  return follower;
}

/**
 * Follows a container's start events (`docker logs -f` ends when the container stops, so a
 * restart is timed by the engine's start event instead); `waitFor()` resolves at the next one.
 */
function followStarts(p, service) {
  const container = `${p.name}-${service}-1`;
  const child = spawn('docker', ['events', '--filter', `container=${container}`, '--filter', 'event=start', '--format', '{{.Status}}'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const waiters = [];
  child.stdout.setEncoding('utf8').on('data', () => {
    const now = performance.now();
    for (const waiter of waiters.splice(0)) waiter(now);
  });
  const follower = {
    child,
    waitFor(_line, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        waiters.push(resolve);
        setTimeout(() => reject(new Error(`${container}: no start within ${timeoutMs} ms`)), timeoutMs).unref();
      });
    },
  };
  p.logs.set(service, follower);
  return follower;
}

/** One edit: writes `content` (by rename, as many editors save) and measures until `expect` is printed. */
async function measure(p, service, relative, content, expect) {
  const follower = p.logs.get(service);
  const seen = follower.waitFor(expect);
  const path = join(p.dir, relative);
  const started = performance.now();
  writeFileSync(`${path}.new`, `${content}\n`);
  renameSync(`${path}.new`, path);
  return (await seen) - started;
}

function percentile(values, fraction) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

function summary(values) {
  return { p50: percentile(values, 0.5), p95: percentile(values, 0.95), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

async function stop(p) {
  if (p.watcher && p.watcher.exitCode === null) {
    p.watcher.kill('SIGINT');
    await new Promise((resolve) => p.watcher.once('exit', resolve));
  }
  for (const follower of p.logs.values()) follower.child.kill();
  const { file, args: downArgs } = command(p, ['down', '--rmi', 'local', '-t', '1']);
  try {
    execFileSync(file, downArgs, { cwd: p.dir, stdio: 'ignore' });
  } catch {
    // best effort
  }
  rmSync(p.dir, { recursive: true, force: true });
}

const format = (ms) => `${ms.toFixed(0).padStart(5)} ms`;

/**
 * Measures sync latency for tscompose and (unless withCompose is false) the reference, edits
 * alternating, and with `withReloads` the two bind-mount reloads of tscompose. Returns the
 * samples in milliseconds: { sync: Map(tool -> values), signalled, restarted }.
 */
export async function watchLatency({ edits = 20, cli: cliPath, compose = 'docker-compose', withCompose = true, withReloads = true, log = console.error } = {}) {
  COMPOSE = compose;
  if (cliPath) cli = cliPath;
  const suffix = process.pid.toString(36);
  const ts = project(`bench-watch-ts-${suffix}`, 'tscompose');
  const dc = withCompose ? project(`bench-watch-dc-${suffix}`, 'compose') : undefined;
  const projects = [ts, dc].filter(Boolean);
  try {
    const startedAt = performance.now();
    for (const p of projects) {
      await startWatch(p);
      log(`${p.tool} watching after ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
    }
    for (const p of projects) follow(p, 'app');
    if (withReloads) {
      follow(ts, 'signalled');
      followStarts(ts, 'restarted');
    }
    await sleep(1000);

    const sync = new Map(projects.map((p) => [p.tool, []]));
    for (let i = 0; i < WARMUP + edits; i++) {
      for (const p of projects) {
        const value = `edit-${i}`;
        const ms = await measure(p, 'app', 'src/probe.txt', value, `seen ${value}`);
        if (i >= WARMUP) sync.get(p.tool).push(ms);
        // Longer than Compose's quiet period: every edit is its own batch.
        await sleep(700);
      }
    }

    log(`sync measured after ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
    const signalled = [];
    const restarted = [];
    for (let i = 0; withReloads && i < WARMUP + edits; i++) {
      const value = `reload-${i}`;
      const signalMs = await measure(ts, 'signalled', 'signal-conf/probe.txt', value, `reloaded ${value}`);
      await sleep(300);
      const restartMs = await measure(ts, 'restarted', 'restart-conf/probe.txt', value, 'start');
      await sleep(300);
      if (i >= WARMUP) {
        signalled.push(signalMs);
        restarted.push(restartMs);
      }
    }

    return { sync, signalled, restarted };
  } finally {
    const stopping = performance.now();
    for (const p of projects) await stop(p);
    log(`cleaned up in ${((performance.now() - stopping) / 1000).toFixed(1)} s`);
  }
}

function composeVersion() {
  try {
    return execFileSync(COMPOSE, ['version', '--short'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

function engineVersion() {
  try {
    return execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main() {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const index = args.indexOf(name);
    return index >= 0 ? args[index + 1] : fallback;
  };
  const EDITS = Number(option('--edits', '20'));
  const dc = !args.includes('--no-compose');
  const { sync, signalled, restarted } = await watchLatency({ edits: EDITS, compose: option('--compose', 'docker-compose'), withCompose: dc });
  const rows = [];
  const tsSync = summary(sync.get('tscompose'));
  rows.push(['sync: write -> content visible', 'tscompose', tsSync]);
  if (dc) {
    const dcSync = summary(sync.get('compose'));
    rows.push(['sync: write -> content visible', `docker compose ${composeVersion()}`, dcSync]);
  }
  rows.push(['bind mount, signal (SIGHUP)', 'tscompose', summary(signalled)]);
  rows.push(['bind mount, restart (started)', 'tscompose', summary(restarted)]);
  console.log(`\nwatch latency, ${EDITS} edits each (after ${WARMUP} warm-up edits), engine ${engineVersion()}\n`);
  console.log(`${'measurement'.padEnd(34)}${'tool'.padEnd(24)}${'p50'.padStart(9)}${'p95'.padStart(9)}${'min'.padStart(9)}${'max'.padStart(9)}`);
  for (const [what, tool, s] of rows) {
    console.log(`${what.padEnd(34)}${tool.padEnd(24)}${format(s.p50).padStart(9)}${format(s.p95).padStart(9)}${format(s.min).padStart(9)}${format(s.max).padStart(9)}`);
  }
  if (dc) {
    const dcSync = summary(sync.get('compose'));
    console.log(`\nsync p50 ratio tscompose / compose: ${(tsSync.p50 / dcSync.p50).toFixed(2)} (p95: ${(tsSync.p95 / dcSync.p95).toFixed(2)}); target <= 0.30`);
  }
  console.log('Docker Compose has no bind-mount reload: it has no row for it.');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
