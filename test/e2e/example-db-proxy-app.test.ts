/**
 * The db/proxy/app example, end to end against the real engine with tscompose: the README's one
 * command (scripts/run-example.sh: engine, base image seed, setup, build, `up -d --wait`) on a
 * temporary copy of examples/db-proxy-app, then the promises of issue 4 checked from outside:
 * requests through nginx to the app to the database, HTTPS with the certificate setup made, the
 * restart policy bringing a killed app back, nginx starting and answering 503 while app is away
 * and reaching it once it is back, data kept by `down` and removed by the stop command the script
 * prints (with -v), and the containers' fixed names.
 *
 * The example uses fixed container names (db, proxy, app) and host ports (80, 443, 3000), so one
 * run of it fits on an engine: the test refuses to start while another one holds them.
 *
 * The base image is seeded here, by the script, rather than in scripts/test-setup.sh: only this
 * test needs it, so other test runs neither wait for it nor need debootstrap, and a failed seed
 * fails this test with its output instead of the whole suite.
 *
 * Durations on a 2-core machine shared with other work: seeding debian:bookworm-slim 40-50 s
 * (once per engine), a cold build of the three images 40-45 s, `up -d --wait` on an empty volume
 * 12-18 s; with the base image and the build cache in place the whole file takes about a minute
 * (two of its starts initialise an empty database).
 */
import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { docker, inspect } from '../support/docker-cli.js';
import { baseEnv, repoRoot } from '../support/run-cli.js';
import { containersOf, exists, TestProject, volumesOf } from './lifecycle-support.js';

// The first run on a fresh machine seeds the base image and builds three images from nothing.
jest.setTimeout(120_000);
const FIRST_RUN_TIMEOUT_MS = 15 * 60_000;

const PROJECT = 'tscx-e2e-example';
const NAMES = ['app', 'db', 'proxy'] as const;
const PORTS = [80, 443, 3000] as const;
const EXAMPLE = join(repoRoot, 'examples', 'db-proxy-app');

const workDir = mkdtempSync(join(tmpdir(), 'tscx-e2e-example-'));
const exampleCopy = join(workDir, 'db-proxy-app');
const project = new TestProject(PROJECT, exampleCopy);
const certificatePath = join(exampleCopy, 'ssl', 'live', 'localhost', 'fullchain.pem');

interface ScriptResult {
  readonly code: number | null;
  readonly output: string;
}

/** Runs bash with these arguments, stdout and stderr interleaved as a user sees them. */
function runBash(args: readonly string[], options: { cwd: string; env: Record<string, string>; timeoutMs: number }): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', args, { cwd: options.cwd, env: { ...baseEnv(), ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The project's lock stays in the test's own state directory, whatever the command. */
const lockEnv = { XDG_STATE_HOME: project.stateHome };

/** The command the one command printed to stop what it started, filled in by the first test. */
let stopCommand = '';
/** A note written before `down`, which `down` keeps and `down -v` must remove. */
let keptNote = '';

interface HttpAnswer {
  readonly status: number;
  readonly body: any;
}

/** A request from this host to the published ports, as a visitor makes it. */
async function request(url: string, init: RequestInit = {}): Promise<HttpAnswer> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (nginx's own pages): kept as text for the failure message.
  }
  return { status: res.status, body };
}

async function addNote(text: string): Promise<HttpAnswer> {
  return request('http://localhost/api/notes', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text }) });
}

async function noteTexts(): Promise<string[]> {
  const answer = await request('http://localhost/api/notes');
  expect(answer.status).toBe(200);
  return (answer.body as { text: string }[]).map((note) => note.text);
}

/** Polls until `probe` returns a value; the last error is part of the failure message. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs / 1000} s (last: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Waits for http://localhost/ to answer 200 through proxy, app and database again. */
function chainAnswers(when: string): Promise<HttpAnswer> {
  return eventually(
    `the chain did not answer ${when}`,
    async () => {
      const res = await request('http://localhost/');
      return res.status === 200 ? res : undefined;
    },
    30_000,
  );
}

/** The project label of the container with this name: undefined when there is no such container, '' when it has none. */
async function ownerOf(name: string): Promise<string | undefined> {
  if (!(await exists('container', name))) return undefined;
  const container = await inspect('container', name);
  return container.Config.Labels?.['com.docker.compose.project'] ?? '';
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Removes what this test's project left on the engine; never touches anything else. */
async function removeOwnState(): Promise<void> {
  // Before the copy exists (a run interrupted earlier), tscompose finds the project by its labels.
  const down = await project.run(['down', '-v', '--remove-orphans'], { cwd: existsSync(exampleCopy) ? exampleCopy : workDir });
  if (down.code === 0) return;
  // tscompose itself failed: fall back to the docker CLI, still only on this project's labels.
  const filter = `label=com.docker.compose.project=${PROJECT}`;
  const containers = (await docker('ps', '-aq', '--filter', filter)).split('\n').filter(Boolean);
  if (containers.length > 0) await docker('rm', '-f', ...containers);
  const networks = (await docker('network', 'ls', '-q', '--filter', filter)).split('\n').filter(Boolean);
  if (networks.length > 0) await docker('network', 'rm', ...networks);
  const volumes = await volumesOf(PROJECT);
  if (volumes.length > 0) await docker('volume', 'rm', '-f', ...volumes);
  throw new Error(`tscompose down -v failed for ${PROJECT} (removed with the docker CLI instead):\n${down.stdout}\n${down.stderr}`);
}

beforeAll(async () => {
  // The names and ports are fixed by the example: another run of it (from the checkout, or by
  // someone else) must be stopped first, never removed by a test.
  const foreign: string[] = [];
  for (const name of NAMES) {
    const owner = await ownerOf(name);
    if (owner !== undefined && owner !== PROJECT) foreign.push(owner === '' ? `${name} (not part of a Compose project)` : `${name} (project ${owner})`);
  }
  if (foreign.length > 0) {
    throw new Error(
      `Containers named ${foreign.join(', ')} exist and are not this test's (${PROJECT}). The example ` +
        'uses these fixed names, so it cannot run next to them: stop that run first (for the example ' +
        'started from the checkout: `npm run example -- down`), then run this test again.',
    );
  }
  // A run of this test that was interrupted before its afterAll.
  await removeOwnState();
  const busy: number[] = [];
  for (const port of PORTS) if (!(await portIsFree(port))) busy.push(port);
  if (busy.length > 0) {
    throw new Error(`Host port(s) ${busy.join(', ')} are in use; the example publishes 80, 443 and 3000. See what listens: ss -ltnp`);
  }

  // A copy without what setup.sh and the proxy write, so the checkout gets no root-owned files and
  // the certificate checked below is the one setup makes for this copy.
  cpSync(EXAMPLE, exampleCopy, { recursive: true, filter: (source) => !['ssl', 'nginx'].includes(source.slice(EXAMPLE.length + 1)) });
});

afterAll(async () => {
  try {
    await removeOwnState();
  } finally {
    // The proxy's cache files belong to nginx's user inside the container: removing them needs
    // the same rights the test runs with against the engine.
    rmSync(workDir, { recursive: true, force: true });
    rmSync(project.stateHome, { recursive: true, force: true });
  }
});

describe('the db/proxy/app example with tscompose', () => {
  test('the one command (scripts/run-example.sh) must seed, set up, build, start and print the URL', async () => {
    const result = await runBash([join(repoRoot, 'scripts', 'run-example.sh')], {
      cwd: repoRoot,
      env: { EXAMPLE_DIR: exampleCopy, COMPOSE_PROJECT_NAME: PROJECT, ...lockEnv },
      timeoutMs: FIRST_RUN_TIMEOUT_MS,
    });
    if (result.code !== 0) throw new Error(`scripts/run-example.sh exited ${result.code}:\n${result.output}`);
    expect(result.output).toContain('seed: debian:bookworm-slim');
    expect(result.output).toMatch(/example: images built \(\d+ s\)/);
    expect(result.output).toMatch(/example: http:\/\/localhost\/ answered through proxy -> app -> db \(visit \d+\)/);
    expect(result.output).toMatch(/example: {3}http:\/\/localhost\/ /);
    expect(existsSync(certificatePath)).toBe(true);
    // The stop command names the copy and the project this run used (the down -v test runs it).
    stopCommand = /^example: stop with: (.*?) {3}\(keeps the data; add -v to remove it\)$/m.exec(result.output)?.[1] ?? '';
    expect(stopCommand).toBe(`COMPOSE_PROJECT_NAME=${PROJECT} EXAMPLE_DIR=${exampleCopy} ${join(repoRoot, 'scripts', 'run-example.sh')} down`);
  }, FIRST_RUN_TIMEOUT_MS + 30_000);

  test('the three containers must have the example\'s names and be made by tscompose for this project', async () => {
    const containers = await containersOf(PROJECT);
    expect(containers.map((container) => [container.name, container.service, container.status])).toEqual([
      ['app', 'app', 'running'],
      ['db', 'db', 'running'],
      ['proxy', 'proxy', 'running'],
    ]);
    const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version as string;
    for (const container of containers) {
      expect(container.labels['com.docker.compose.version']).toBe(version);
      expect(container.labels['io.tscompose.applied-config']).toBeDefined();
      expect(container.labels['com.docker.compose.project.working_dir']).toBe(exampleCopy);
      expect(container.health).toBe('healthy');
    }
  });

  test('a request to http://localhost/ must go through nginx to the app to the database, which keeps what is written', async () => {
    const app = await inspect('container', 'app');
    const first = await request('http://localhost/');
    expect(first.status).toBe(200);
    // Served by the app container (its hostname), reached through nginx (X-Forwarded-For set).
    expect(first.body).toMatchObject({ app: app.Config.Hostname, proxied: true, forwarded_proto: 'http' });
    const second = await request('http://localhost/');
    expect(second.body.visits).toBe(first.body.visits + 1);

    const text = `written through the proxy ${Date.now()}`;
    const added = await addNote(text);
    expect(added.status).toBe(201);
    expect(added.body.text).toBe(text);
    expect(await noteTexts()).toContain(text);
  });

  test('HTTPS on 443 must answer with the self-signed certificate under the copy\'s ./ssl', async () => {
    const pem = readFileSync(certificatePath, 'utf8');
    const expected = new X509Certificate(pem).fingerprint256;

    // Verified against that certificate as the only trusted CA: the handshake fails for any other.
    const presented = await new Promise<string>((resolve, reject) => {
      const socket = tls.connect({ host: 'localhost', port: 443, servername: 'localhost', ca: pem }, () => {
        const fingerprint = socket.getPeerCertificate().fingerprint256;
        socket.end();
        resolve(fingerprint);
      });
      socket.setTimeout(10_000, () => socket.destroy(new Error('TLS handshake timed out')));
      socket.on('error', reject);
    });
    expect(presented).toBe(expected);

    const answer = await new Promise<HttpAnswer>((resolve, reject) => {
      const req = https.get('https://localhost/', { ca: pem, timeout: 10_000 }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      req.on('timeout', () => req.destroy(new Error('HTTPS request timed out')));
      req.on('error', reject);
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ proxied: true, forwarded_proto: 'https' });
  });

  test('killing the app\'s main process must bring it back through its restart policy', async () => {
    const before = await inspect('container', 'app');
    const pid = before.State.Pid as number;
    // The host PID is only meaningful when the engine runs on this host (not in a VM).
    if (!existsSync(`/proc/${pid}`)) {
      throw new Error(`app's main process (PID ${pid} per docker inspect) is not visible from this host; this test needs an engine on the same host`);
    }
    // A signal from outside the engine, like a crash: `docker kill` would count as a manual stop.
    process.kill(pid, 'SIGKILL');

    const after = await eventually(
      'app was not restarted and healthy again',
      async () => {
        const now = await inspect('container', 'app');
        return now.RestartCount > before.RestartCount && now.State.Health?.Status === 'healthy' ? now : undefined;
      },
      60_000,
    );
    expect(after.Id).toBe(before.Id);
    expect(after.State.Pid).not.toBe(pid);
    const answer = await chainAnswers('after the restart');
    expect(answer.body.app).toBe(after.Config.Hostname);
  });

  test('with app stopped, a restarted proxy must keep running and answer 503, then reach app once it starts, without a restart of its own', async () => {
    const before = await inspect('container', 'proxy');
    await project.ok(['stop', 'app']);
    await project.ok(['restart', 'proxy']);
    expect((await inspect('container', 'app')).State.Status).toBe('exited');
    const restarted = await inspect('container', 'proxy');

    // nginx that resolved `app` at startup would exit at once and be restarted by its policy:
    // healthy means it has run through at least one healthcheck interval without that.
    const healthy = await eventually(
      'proxy was not healthy after its restart',
      async () => {
        const now = await inspect('container', 'proxy');
        return now.State.Health?.Status === 'healthy' ? now : undefined;
      },
      30_000,
    );
    expect(healthy.State.Status).toBe('running');
    expect(healthy.State.StartedAt).toBe(restarted.State.StartedAt);
    expect(healthy.RestartCount).toBe(before.RestartCount);

    const unavailable = await fetch('http://localhost/', { signal: AbortSignal.timeout(10_000) });
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('5');
    expect(await unavailable.text()).toBe('The application is not reachable yet; try again in a few seconds.\n');

    await project.ok(['start', 'app']);
    // nginx keeps a name's answer, also "no such name", for the resolver's valid=5s.
    const answer = await chainAnswers('after app started');
    expect(answer.body).toMatchObject({ app: (await inspect('container', 'app')).Config.Hostname, proxied: true });
    const after = await inspect('container', 'proxy');
    expect(after.State.Status).toBe('running');
    expect(after.State.StartedAt).toBe(restarted.State.StartedAt);
    expect(after.RestartCount).toBe(before.RestartCount);
  });

  test('down then up must keep the data in the db_data volume', async () => {
    keptNote = `kept across down and up ${Date.now()}`;
    expect((await addNote(keptNote)).status).toBe(201);

    await project.ok(['down']);
    for (const name of NAMES) expect(await exists('container', name)).toBe(false);
    expect(await volumesOf(PROJECT)).toEqual([`${PROJECT}_db_data`]);

    await project.ok(['up', '-d', '--wait']);
    expect(await noteTexts()).toContain(keptNote);
  });

  test('the printed stop command with -v must remove the containers, the network and the data volume, so up starts empty', async () => {
    expect(keptNote).not.toBe('');
    // From another directory, with none of the run's settings in the environment: the printed
    // command must carry them itself.
    const down = await runBash(['-c', `${stopCommand} -v`], { cwd: workDir, env: lockEnv, timeoutMs: 120_000 });
    if (down.code !== 0) throw new Error(`${stopCommand} -v exited ${down.code}:\n${down.output}`);
    for (const name of NAMES) expect(await exists('container', name)).toBe(false);
    expect(await exists('volume', `${PROJECT}_db_data`)).toBe(false);
    expect(await volumesOf(PROJECT)).toEqual([]);
    expect(await exists('network', `${PROJECT}_default`)).toBe(false);

    // A new, empty volume: the database starts over.
    await project.ok(['up', '-d', '--wait']);
    expect(await noteTexts()).toEqual([]);
  });
});
