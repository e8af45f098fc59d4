/**
 * Global flags as Compose takes them, on the bundled CLI: --dry-run after the command name,
 * --verbose and --compatibility accepted, and `version` answering clients that parse it.
 */
import { jest } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, unitCliPath, type CliResult } from '../../support/run-cli.js';

// Each test runs the CLI: seconds, not milliseconds, on a busy machine.
jest.setTimeout(30_000);

let dir: string;

function cli(args: readonly string[]): Promise<CliResult> {
  return runCli(args, { cwd: dir, cli: unitCliPath });
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmd-global-flags-'));
  fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('version --short must print the Compose version clients parse', async () => {
  const result = await cli(['version', '--short']);
  expect(result.stdout).toBe('2.26.1\n');
  // The npm docker-compose package's own check of the answer.
  expect(result.stdout.trim()).toMatch(/^(\d+\.)?(\d+\.)?(\*|\d+)?(\+.*)*$/);
});

test('version must name tscompose and the Compose version it follows, and --format json both', async () => {
  expect((await cli(['version'])).stdout).toMatch(/^tscompose version \d+\.\d+\.\d+ \(compatible with Docker Compose 2\.26\.1\)\n$/);
  expect(JSON.parse((await cli(['version', '--format', 'json'])).stdout)).toEqual({ version: '2.26.1', tscompose: expect.stringMatching(/^\d+\.\d+\.\d+/) });
});

test('--verbose must be accepted before the command', async () => {
  const result = await cli(['--verbose', 'config', '--services']);
  expect(result).toMatchObject({ code: 0, stdout: 'web\n' });
});

test('--compatibility must be accepted, with a warning that names stay those of Compose v2', async () => {
  const result = await cli(['--compatibility', 'config', '--services']);
  expect(result).toMatchObject({ code: 0, stdout: 'web\n' });
  expect(result.stderr).toContain('--compatibility');
});

test('--dry-run must be accepted after the command name', async () => {
  const result = await cli(['config', '--dry-run', '--services']);
  expect(result).toMatchObject({ code: 0, stdout: 'web\n', stderr: '' });
});

test('a command Compose does not have must be an error naming it', async () => {
  const result = await cli(['frobnicate']);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain("unknown command 'frobnicate'");
});
