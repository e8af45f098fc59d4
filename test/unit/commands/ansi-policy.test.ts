/**
 * `--ansi` / COMPOSE_ANSI: `never` gives no escape code anywhere, `always` colours even into a
 * pipe, `auto` colours terminals unless NO_COLOR is set. Covers the policy, the progress view's
 * colours, and the CLI's error output (the built CLI, dist/cli.js, whose output is a pipe here).
 */
import { jest } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { done, failed } from '../../../src/apply/progress.js';
import { ansiSetting, checkProgressAgainstAnsi, colorAllowed } from '../../../src/commands/output/ansi-policy.js';
import { TtyProgress } from '../../../src/commands/output/tty-progress.js';
import { UsageError } from '../../../src/errors.js';
import { runCli } from '../../support/run-cli.js';

// Some tests run the CLI: seconds, not milliseconds, on a busy machine.
jest.setTimeout(30_000);

// eslint-disable-next-line no-control-regex
const ESCAPE = /\u001b\[/;

describe('the ANSI policy', () => {
  test('always must allow colour into a pipe, even with NO_COLOR set', () => {
    expect(colorAllowed('always', { NO_COLOR: '1' }, false)).toBe(true);
  });

  test('never must refuse colour on a terminal', () => {
    expect(colorAllowed('never', {}, true)).toBe(false);
  });

  test('auto must colour a terminal only, and honour a non-empty NO_COLOR', () => {
    expect([colorAllowed('auto', {}, true), colorAllowed('auto', {}, false)]).toEqual([true, false]);
    expect([colorAllowed('auto', { NO_COLOR: '1' }, true), colorAllowed('auto', { NO_COLOR: '' }, true)]).toEqual([false, true]);
  });

  test('--ansi must win over COMPOSE_ANSI, and an unknown value must be a usage error', () => {
    expect(ansiSetting(undefined, { COMPOSE_ANSI: 'never' })).toBe('never');
    expect(ansiSetting('always', { COMPOSE_ANSI: 'never' })).toBe('always');
    expect(() => ansiSetting('sometimes', {})).toThrow(new UsageError('unsupported --ansi value "sometimes": use auto, always or never'));
  });

  test('progress modes that contradict the setting must be refused with Compose\'s words', () => {
    expect(() => checkProgressAgainstAnsi('tty', 'never')).toThrow("can't use --progress tty while ANSI support is disabled");
    expect(() => checkProgressAgainstAnsi('plain', 'always')).toThrow("can't use --progress plain while ANSI support is forced");
    expect(() => checkProgressAgainstAnsi('plain', 'never')).not.toThrow();
  });
});

describe('the progress view', () => {
  async function render(color: boolean): Promise<string> {
    const stream = new PassThrough();
    let text = '';
    stream.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    const progress = new TtyProgress(stream as unknown as NodeJS.WriteStream, false, color);
    progress.start(['Network p_default', 'Container p-web-1']);
    progress.event(done('Network p_default', 'Created'));
    progress.event(failed('Container p-web-1', 'boom'));
    await progress.stop();
    return text;
  }

  test('with colour allowed it must colour its marks, even on a stream that is not a terminal', async () => {
    expect(await render(true)).toMatch(ESCAPE);
  });

  test('without colour it must print no escape code', async () => {
    const text = await render(false);
    expect(text).toContain('Network p_default  Created');
    expect(text).not.toMatch(ESCAPE);
  });
});

describe('the CLI', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscn-ansi-'));
    fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  web:\n    image: busybox\n    restart: sometimes\n');
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('--ansi always must colour error output into a pipe, over NO_COLOR', async () => {
    const result = await runCli(['--ansi', 'always', 'config'], { cwd: dir, env: { NO_COLOR: '1' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(ESCAPE);
  });

  test('COMPOSE_ANSI=always must do the same', async () => {
    const result = await runCli(['config'], { cwd: dir, env: { COMPOSE_ANSI: 'always', NO_COLOR: undefined } });
    expect(result.stderr).toMatch(ESCAPE);
  });

  test('--ansi never must print errors without escape codes', async () => {
    const result = await runCli(['--ansi', 'never', 'config'], { cwd: dir, env: { NO_COLOR: undefined } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('restart');
    expect(result.stderr).not.toMatch(ESCAPE);
  });

  test('--ansi never with --progress tty must be refused', async () => {
    const result = await runCli(['--ansi', 'never', '--progress', 'tty', 'config'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("error: can't use --progress tty while ANSI support is disabled\n");
  });
});
