/**
 * The Jest example (examples/jest-global-setup) run as a user runs it: its globalSetup imports
 * `tscompose` (the package's own entry, dist/index.js), brings a database and a service up and
 * waits for them, its test talks to the published port, and its globalTeardown takes the project
 * down. Checked against the engine: nothing of the project is left.
 */
import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { docker } from '../support/docker-cli.js';
import { baseEnv, repoRoot } from '../support/run-cli.js';
import { removeProject } from './engine-support.js';

jest.setTimeout(180_000);

const PROJECT = `api-jest-example-${process.pid}`;
const config = fileURLToPath(new URL('../../examples/jest-global-setup/jest.config.mjs', import.meta.url));

let run: { code: number | null; output: string };

function runExample(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const jestBin = fileURLToPath(new URL('../../node_modules/jest/bin/jest.js', import.meta.url));
    const child = spawn(process.execPath, ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', jestBin, '-c', config], {
      cwd: repoRoot,
      env: { ...baseEnv(), JEST_EXAMPLE_PROJECT: PROJECT },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 170_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

beforeAll(async () => {
  await removeProject(PROJECT);
  run = await runExample();
});

afterAll(async () => {
  await removeProject(PROJECT);
});

describe('the Jest example', () => {
  test("its globalSetup must bring db up healthy before web, through tscompose's API", () => {
    const lines = run.output.split('\n').map((line) => line.trim());
    expect(lines.indexOf(`Container ${PROJECT}-db-1  Healthy`)).toBeGreaterThan(-1);
    expect(lines.indexOf(`Container ${PROJECT}-web-1  Started`)).toBeGreaterThan(lines.indexOf(`Container ${PROJECT}-db-1  Healthy`));
  });

  test('its test must pass against the published port', () => {
    expect(run.output).toMatch(/✓ web must answer with the record db keeps/);
    expect(run.code).toBe(0);
  });

  test('its globalTeardown must leave no container, network or volume of the project', async () => {
    const label = `label=com.docker.compose.project=${PROJECT}`;
    expect(await docker('ps', '-a', '-q', '--filter', label)).toBe('');
    expect(await docker('network', 'ls', '-q', '--filter', label)).toBe('');
    expect(await docker('volume', 'ls', '-q', '--filter', label)).toBe('');
  });
});
