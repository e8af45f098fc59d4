/**
 * `tscompose logs` against containers carrying Compose's labels: merged and prefixed output,
 * --tail, -t, --no-log-prefix, and -f following containers over time (new ones included) until
 * they exit or Ctrl-C.
 */
import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { docker } from '../support/docker-cli.js';
import { baseEnv, cliPath, runCli } from '../support/run-cli.js';
import { composeContainer } from './compose-containers.js';
import { eventually, removeProject } from './engine-support.js';

jest.setTimeout(60_000);

const PROJECT = 'tsci-logs';
const cwd = fileURLToPath(new URL('../fixtures/logs', import.meta.url));
const base = { project: PROJECT, workingDir: cwd };

beforeAll(async () => {
  await removeProject(PROJECT);
  await composeContainer({ ...base, service: 'greeter', command: ['sh', '-c', 'echo hello; sleep 0.2; echo to stderr >&2; exec sleep 300'] });
  await eventually(async () => ((await logs('greeter')).includes('to stderr') ? true : undefined));
  await composeContainer({ ...base, service: 'longer-name', command: ['sh', '-c', 'echo one; echo two'] });
  await eventually(async () => ((await logs('longer-name')).includes('two') ? true : undefined));
});

afterAll(async () => {
  await removeProject(PROJECT);
});

async function logs(...args: string[]): Promise<string> {
  const result = await runCli(['-p', PROJECT, 'logs', ...args], { cwd });
  if (result.code !== 0) throw new Error(`logs failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

/** A CLI run whose output can be watched while it runs. */
function start(args: readonly string[]) {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  void exit.then(() => clearTimeout(timer));
  return { child, exit, stdout: () => stdout, stderr: () => stderr };
}

describe('tscompose logs', () => {
  test('logs must merge the containers in the order lines were written, prefixes padded to the longest name', async () => {
    expect(await logs('greeter', 'longer-name')).toBe(
      'greeter-1      | hello\ngreeter-1      | to stderr\nlonger-name-1  | one\nlonger-name-1  | two\n',
    );
  });

  test('logs --tail 1 must keep the last line of each container', async () => {
    expect(await logs('--tail', '1', 'greeter', 'longer-name')).toBe('greeter-1      | to stderr\nlonger-name-1  | two\n');
  });

  test("logs -t must print the engine's timestamp after the prefix", async () => {
    expect(await logs('-t', 'longer-name')).toMatch(/^longer-name-1 {2}\| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z one\nlonger-name-1 {2}\| \S+Z two\n$/);
  });

  test('logs --no-log-prefix must print the bare lines, and --ansi always must colour only the prefix', async () => {
    expect(await logs('--no-log-prefix', 'longer-name')).toBe('one\ntwo\n');
    const coloured = await runCli(['--ansi', 'always', '-p', PROJECT, 'logs', 'longer-name'], { cwd });
    expect(coloured.stdout).toBe('\u001b[36mlonger-name-1  | \u001b[39mone\n\u001b[36mlonger-name-1  | \u001b[39mtwo\n');
  });

  test('logs --since in the future must print nothing', async () => {
    expect(await logs('--since', String(Math.floor(Date.now() / 1000) + 3600), 'greeter')).toBe('');
  });

  test('logs -f must follow a container that prints over time and return when it exits', async () => {
    // It waits after its first line until the follower has printed that line: the follower then
    // follows a running container, however long the CLI takes to start on a busy machine (a
    // container already stopped is only printed, with no exit line, as Compose does).
    const script = 'echo tick 1; until [ -f /tmp/go ]; do sleep 0.1; done; for i in 2 3 4; do echo tick $i; sleep 0.4; done';
    await composeContainer({ ...base, service: 'ticker', command: ['sh', '-c', script] });
    const began = Date.now();
    const following = start(['-p', PROJECT, 'logs', '-f', 'ticker']);
    await eventually(async () => (following.stdout().includes('ticker-1  | tick 1\n') ? true : undefined));
    await docker('exec', `${PROJECT}-ticker-1`, 'touch', '/tmp/go');
    expect(await following.exit).toEqual({ code: 0, signal: null });
    expect(following.stdout()).toBe('ticker-1  | tick 1\nticker-1  | tick 2\nticker-1  | tick 3\nticker-1  | tick 4\nticker-1 exited with code 0\n');
    // It really followed: the container took over a second to print its lines.
    expect(Date.now() - began).toBeGreaterThan(1000);
  });

  test('logs -f must follow a container through its restarts and return once it stays down', async () => {
    // The first run lasts until the follower has printed its line; the restarts are quick.
    const script = 'echo run; if [ -f /tmp/ran ]; then sleep 0.3; else touch /tmp/ran; until [ -f /tmp/go ]; do sleep 0.1; done; fi; exit 1';
    await composeContainer({ ...base, service: 'ticker', number: 2, command: ['sh', '-c', script], flags: ['--restart', 'on-failure:2'] });
    const following = start(['-p', PROJECT, 'logs', '-f', '--index', '2', 'ticker']);
    await eventually(async () => (following.stdout().includes('ticker-2  | run\n') ? true : undefined));
    await docker('exec', `${PROJECT}-ticker-2`, 'touch', '/tmp/go');
    expect(await following.exit).toEqual({ code: 0, signal: null });
    expect(following.stdout()).toBe(`${'ticker-2  | run\nticker-2 exited with code 1\n'.repeat(3)}`);
  });

  test('logs -f must pick up a container started after it began, and stop on Ctrl-C with exit code 130', async () => {
    const following = start(['-p', PROJECT, 'logs', '-f', 'greeter', 'late']);
    await eventually(async () => (following.stdout().includes('to stderr') ? true : undefined));
    await composeContainer({ ...base, service: 'late', command: ['sh', '-c', 'echo late line; exec sleep 300'] });
    await eventually(async () => (following.stdout().includes('late-1     | late line\n') ? true : undefined));
    following.child.kill('SIGINT');
    expect(await following.exit).toEqual({ code: 130, signal: null });
    expect(following.stderr()).toBe('canceled\n');
  });

  test('logs for a service the compose file does not have must fail', async () => {
    const result = await runCli(['logs', 'nope'], { cwd, env: { COMPOSE_PROJECT_NAME: PROJECT } });
    expect(result).toMatchObject({ code: 1, stderr: 'error: no such service: nope\n' });
  });
});
