/**
 * What the CLI prints, as users see it: `--ansi never|always` (and COMPOSE_ANSI) on a terminal and
 * into a pipe (a pseudo-terminal comes from `script`), `--progress quiet|json|plain`, `logs`
 * (`--no-color`, padding), and the dependency wait a repeated `up` reports, as Compose does.
 */
import { jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { baseEnv, cliPath, runCli } from '../support/run-cli.js';
import { fixture, TestProject } from './lifecycle-support.js';

jest.setTimeout(90_000);

const run = promisify(execFile);
const project = new TestProject('tscn-out', fixture('cli-output'));
// eslint-disable-next-line no-control-regex
const ESCAPE = /\u001b/;

/** Runs tscompose on a pseudo-terminal (stdout and stderr are both the terminal). */
async function onTerminal(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<string> {
  const quoted = [process.execPath, cliPath, '-p', project.name, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const environment: Record<string, string> = { ...baseEnv(), XDG_STATE_HOME: project.stateHome, TERM: 'xterm' };
  // A user's terminal, not a CI job's: CI turns the live view off (commands/output/create-progress.ts)
  // and FORCE_COLOR overrides chalk's terminal detection, so neither may leak in from the runner.
  delete environment.CI;
  delete environment.FORCE_COLOR;
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete environment[key];
    else environment[key] = value;
  }
  // script's terminal has no size until one is set; a redrawn view needs columns.
  const { stdout } = await run('script', ['-qec', `stty cols 160 rows 40; ${quoted}`, '/dev/null'], { cwd: project.dir, env: environment });
  return stdout;
}

beforeAll(() => project.cleanup());
afterAll(() => project.cleanup());

describe('--ansi', () => {
  test('without it, a terminal must get escape codes (the premise of the never tests)', async () => {
    const output = await onTerminal(['up', '-d'], { NO_COLOR: undefined });
    expect(output).toMatch(ESCAPE);
    expect(output).toContain('Container tscn-out-web-1');
  });

  test('--ansi never must print no escape code on a terminal: plain progress, plain warnings, plain logs', async () => {
    await project.ok(['down', '-t', '0']);
    const up = await onTerminal(['--ansi', 'never', 'up', '-d'], { NO_COLOR: undefined });
    expect(up).toContain(' Container tscn-out-web-1  Started');
    const logs = await onTerminal(['--ansi', 'never', 'logs'], { NO_COLOR: undefined });
    expect(logs).toContain('web-1  | web up');
    expect(`${up}${logs}`).not.toMatch(ESCAPE);
  });

  test('COMPOSE_ANSI=never must do the same', async () => {
    const logs = await onTerminal(['logs'], { NO_COLOR: undefined, COMPOSE_ANSI: 'never' });
    expect(logs).toContain('| web up');
    expect(logs).not.toMatch(ESCAPE);
  });

  test('--ansi always must colour the log prefixes into a pipe, over NO_COLOR', async () => {
    const logs = await runCli(['-p', project.name, '--ansi', 'always', 'logs', 'web'], { cwd: project.dir, env: { NO_COLOR: '1' } });
    expect(logs.stdout).toMatch(/\u001b\[3\dmweb-1  \| \u001b\[39mweb up/);
  });
});

describe('--progress', () => {
  beforeAll(() => project.ok(['down', '-t', '0']));

  test('quiet must print nothing while up creates and starts everything', async () => {
    const result = await runCli(['-p', project.name, '--progress', 'quiet', 'up', '-d'], { cwd: project.dir, env: { XDG_STATE_HOME: project.stateHome } });
    expect([result.code, result.stdout, result.stderr]).toEqual([0, '', '']);
    expect((await project.containers()).map((container) => container.status)).toEqual(['running', 'running', 'running']);
  });

  test('json must print one JSON object per line, with the id, status and text of each event', async () => {
    const result = await runCli(['-p', project.name, '--progress', 'json', 'up', '-d', '--force-recreate', 'quiet-service'], {
      cwd: project.dir,
      env: { XDG_STATE_HOME: project.stateHome },
    });
    expect(result.code).toBe(0);
    const events = result.stderr.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { id: string; status: string; text: string });
    expect(events.length).toBeGreaterThan(0);
    expect(events).toContainEqual(expect.objectContaining({ id: 'Container tscn-out-quiet-service-1', text: 'Started' }));
  });

  test('plain must print one line per event, in Compose\'s words', async () => {
    const result = await project.ok(['up', '-d', '--force-recreate', 'quiet-service']);
    expect(result.stderr).toMatch(/^ Container tscn-out-quiet-service-1 {2}Recreate$/m);
    expect(result.stderr).toMatch(/^ Container tscn-out-quiet-service-1 {2}Started$/m);
  });

  test('a repeated up must report the wait on a healthy dependency, as Compose does, and change nothing', async () => {
    const before = (await project.containers()).map((container) => `${container.id} ${container.startedAt}`);
    const result = await project.ok(['up', '-d']);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      ' Container tscn-out-db-1  Running',
      ' Container tscn-out-quiet-service-1  Running',
      ' Container tscn-out-web-1  Running',
      ' Container tscn-out-db-1  Waiting',
      ' Container tscn-out-db-1  Healthy',
    ]);
    expect((await project.containers()).map((container) => `${container.id} ${container.startedAt}`)).toEqual(before);
  });
});

describe('logs', () => {
  test('prefixes must be padded to the containers that print something, not to a silent one', async () => {
    const result = await project.ok(['logs', 'db', 'web', 'quiet-service']);
    expect(result.stdout.split('\n').filter(Boolean).sort()).toEqual(['db-1   | db ready', 'web-1  | web up', 'web-1  | web warn']);
  });

  test('--no-color must print no escape code, even with --ansi always', async () => {
    const result = await runCli(['-p', project.name, '--ansi', 'always', 'logs', '--no-color', 'web'], { cwd: project.dir });
    expect(result.stdout).toContain('web-1  | web up');
    expect(result.stdout).not.toMatch(ESCAPE);
  });
});
