/**
 * Attached `up`: the output of every service, merged and prefixed like Compose, with nothing lost
 * at the start, an exit line per container, and a return once all of them have exited.
 */
import { jest } from '@jest/globals';
import type { CliResult } from '../support/run-cli.js';
import { fixture, statusOf, TestProject } from './lifecycle-support.js';

jest.setTimeout(60_000);

const project = new TestProject('tsca-output', fixture('attached-output'));
let plain: CliResult;
let bare: CliResult;

beforeAll(async () => {
  await project.cleanup();
  plain = await project.run(['up']);
  bare = await project.run(['up', '--no-log-prefix', '--timestamps', 'late']);
});

afterAll(async () => {
  await project.cleanup();
});

describe('attached up output', () => {
  test('up must announce the containers it attaches to before their output', () => {
    expect(plain.stdout.split('\n')[0]).toBe('Attaching to early-1, late-1');
  });

  test('a container that prints at once and exits must lose no line', () => {
    expect(plain.stdout).toContain('early-1  | early-first\nearly-1  | early-second\n');
  });

  test('the output of two services must be merged, each line prefixed with its padded container name', () => {
    const lines = plain.stdout.split('\n').filter((line) => line.includes(' | '));
    expect(lines).toEqual(
      expect.arrayContaining(['early-1  | early-first', 'early-1  | early-second', 'late-1   | late-first', 'late-1   | late-unterminated']),
    );
  });

  test("a container's stderr lines must go to stderr, prefixed", () => {
    expect(plain.stderr).toContain('late-1   | late-to-stderr\n');
    expect(plain.stdout).not.toContain('late-to-stderr');
  });

  test('every exit must be reported as "<name> exited with code N"', () => {
    expect(plain.stdout).toContain('early-1 exited with code 0\n');
    expect(plain.stdout).toContain('late-1 exited with code 3\n');
  });

  test('up must return 0 once all attached containers have exited, whatever their codes', async () => {
    expect(plain.code).toBe(0);
    expect(plain.stdout.trimEnd().split('\n').at(-1)).toMatch(/exited with code/);
    expect(await statusOf('tsca-output')).toEqual(['tsca-output-early-1 exited', 'tsca-output-late-1 exited']);
  });

  test('--no-log-prefix --timestamps must print bare lines stamped with RFC 3339 times', () => {
    expect(bare.code).toBe(0);
    expect(bare.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z late-first$/m);
    expect(bare.stdout).not.toContain(' | ');
  });
});
