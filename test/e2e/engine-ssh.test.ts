/**
 * ssh:// endpoints: the engine is reached through `ssh … docker system dial-stdio`. The ssh client
 * is replaced by a script that records its arguments and bridges to the local engine socket (no
 * sshd runs on the test machines); everything else (spawning, the HTTP stream over the pipes,
 * connection reuse, error reporting, cleanup) is the real code path.
 */
import { jest } from '@jest/globals';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDockerEngine } from '../../src/apply/docker-engine.js';
import { resolveEndpoint } from '../../src/apply/endpoint.js';
import type { Engine, LogLine } from '../../src/apply/engine.js';
import { EngineError } from '../../src/errors.js';
import { inspect } from '../support/docker-cli.js';
import { eventually, projectLabels, removeProject, TEST_IMAGE } from './engine-support.js';

// Real engine work (builds, health probes, stop grace periods) outlasts jest's 5 s default.
jest.setTimeout(60_000);

const PROJECT = 'tsce-ssh';
const FAKE_SSH = fileURLToPath(new URL('../fixtures/engine-ssh/fake-ssh.mjs', import.meta.url));
const HOST = 'ssh://tester@example.invalid:2222';

let scratch: string;
let log: string;
let engine: Engine;

let engineSocket = '/var/run/docker.sock';

/**
 * A stand-in ssh command configured through its own environment (a test's process.env changes do
 * not reach the processes the engine spawns under jest).
 */
function fakeSsh(name: string, env: Record<string, string> = {}): string {
  const path = join(scratch, name);
  const vars = { FAKE_SSH_LOG: log, FAKE_SSH_SOCKET: engineSocket, ...env };
  const exports = Object.entries(vars).map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(' ');
  writeFileSync(path, `#!/bin/sh\nexec env ${exports} node ${JSON.stringify(FAKE_SSH)} "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

function sshEngine(sshCommand = fakeSsh('ssh')): Engine {
  return createDockerEngine(resolveEndpoint({ HOME: scratch, DOCKER_HOST: HOST }).endpoint, { sshCommand });
}

function spawned(): { pid: number; args: string[] }[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { pid: number; args: string[] });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  await removeProject(PROJECT);
  scratch = mkdtempSync(join(tmpdir(), 'tsce-ssh-'));
  log = join(scratch, 'ssh.log');
  const local = resolveEndpoint(process.env).endpoint;
  if (local.kind === 'unix') engineSocket = local.socketPath;
  engine = sshEngine();
});

afterAll(async () => {
  engine?.close();
  rmSync(scratch, { recursive: true, force: true });
  await removeProject(PROJECT);
});

describe('an ssh:// engine', () => {
  test('ssh must be run like the Docker CLI runs it, with "--" before the host', async () => {
    await engine.ping();
    expect(spawned()[0].args).toEqual(['-o', 'ConnectTimeout=30', '-T', '-l', 'tester', '-p', '2222', '--', 'example.invalid', 'docker', 'system', 'dial-stdio']);
  });

  test('a container must be created, started and read through the ssh stream', async () => {
    const id = await engine.createContainer({
      name: `${PROJECT}-web-1`,
      config: { Image: TEST_IMAGE, Cmd: ['sh', '-c', 'echo over-ssh; sleep 30'], Labels: projectLabels(PROJECT, { 'com.docker.compose.config-hash': 'abc' }), HostConfig: {} },
    });
    await engine.startContainer(id);
    expect((await inspect('container', `${PROJECT}-web-1`)).State.Running).toBe(true);
    const lines = await eventually(async () => {
      const seen: LogLine[] = [];
      for await (const line of engine.logs(id)) seen.push(line);
      return seen.length > 0 ? seen : undefined;
    });
    expect(lines).toEqual([{ stream: 'stdout', text: 'over-ssh' }]);
    expect((await engine.exec(id, { command: ['echo', 'exec-over-ssh'] })).stdout).toBe('exec-over-ssh\n');
    expect((await engine.listContainers(PROJECT)).map((container) => container.id)).toEqual([id]);
  });

  test('sequential calls must reuse one ssh connection instead of starting ssh for each', async () => {
    const before = spawned().length;
    for (let i = 0; i < 10; i++) await engine.listContainers(PROJECT);
    expect(spawned().length - before).toBeLessThanOrEqual(1);
  });

  test('close must end every ssh process it started', async () => {
    const own = sshEngine();
    const before = spawned().length;
    await Promise.all([own.ping(), own.listVolumes(PROJECT), own.listNetworks(PROJECT)]);
    const pids = spawned()
      .slice(before)
      .map((entry) => entry.pid);
    expect(pids.length).toBeGreaterThan(0);
    own.close();
    await eventually(async () => (pids.every((pid) => !isRunning(pid)) ? true : undefined), 5000);
  });

  test('an ssh failure must be reported with ssh\'s own message and the endpoint', async () => {
    const failing = sshEngine(fakeSsh('failing-ssh', { FAKE_SSH_FAIL: 'Host key verification failed.' }));
    try {
      const error = await failing.ping().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EngineError);
      expect(error).toMatchObject({ kind: 'unreachable' });
      expect((error as Error).message).toMatch(
        new RegExp(`^cannot connect to the Docker engine at ${HOST} \\(from DOCKER_HOST\\): \\[.*failing-ssh -o ConnectTimeout=30 .*\\] failed: Host key verification failed\\.$`),
      );
    } finally {
      failing.close();
    }
  });

  test('a missing ssh client must be a clear error', async () => {
    const missing = sshEngine(join(scratch, 'no-such-ssh'));
    const error = await missing.ping().catch((caught: unknown) => caught);
    missing.close();
    expect(error).toMatchObject({ kind: 'unreachable' });
    expect((error as Error).message).toContain('the ssh client is not installed');
  });
});
