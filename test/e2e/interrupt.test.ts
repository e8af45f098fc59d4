/**
 * Ctrl-C during `up -d` (T10): the run stops starting new work, exits 130 without crash output,
 * and leaves a state the next `up` converges from.
 */
import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { baseEnv, cliPath } from '../support/run-cli.js';
import { fixture, statusOf, TestProject } from './lifecycle-support.js';

jest.setTimeout(60_000);

const project = new TestProject('tscl-intr', fixture('interrupt'));

/** Runs `up -d` and sends SIGINT once the output shows `trigger`. */
function upInterruptedAt(trigger: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, '-p', project.name, '--progress', 'plain', 'up', '-d'], {
      cwd: project.dir,
      env: { ...baseEnv(), XDG_STATE_HOME: project.stateHome },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let sent = false;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (!sent && stderr.includes(trigger)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

beforeAll(async () => {
  await project.cleanup();
});

afterAll(async () => {
  await project.cleanup();
});

describe('P10: Ctrl-C during up -d (T10)', () => {
  test('SIGINT while waiting for a healthy dependency must exit 130 with no crash output', async () => {
    const { code, stderr } = await upInterruptedAt(' Container tscl-intr-db-1  Waiting');
    expect(code).toBe(130);
    expect(stderr.trimEnd().split('\n').at(-1)).toBe('canceled');
    expect(stderr).not.toMatch(/internal error|\n\s+at /);
    // Started work stays; what was not started yet is left created.
    expect(await statusOf('tscl-intr')).toEqual(['tscl-intr-db-1 running', 'tscl-intr-web-1 created']);
  });

  test('the next up must converge from the interrupted state', async () => {
    const before = await project.containers();
    await project.ok(['up', '-d']);
    const after = await project.containers();
    expect(await statusOf('tscl-intr')).toEqual(['tscl-intr-db-1 running', 'tscl-intr-web-1 running']);
    expect(after.map((container) => container.id)).toEqual(before.map((container) => container.id));
  });
});
