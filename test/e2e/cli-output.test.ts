/**
 * What the CLI prints, as users see it: `--ansi never|always` (and COMPOSE_ANSI) on a terminal and
 * into a pipe (a pseudo-terminal comes from `script`), `--progress quiet|json|plain`, and `logs`.
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
    expect(logs).toContain('web-1            | web up');
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
