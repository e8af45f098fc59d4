/**
 * Two or more `up`s at once on one project (T16): they must not both fail, and the engine must end
 * with exactly the desired containers. Runs on one machine share the project lock; runs that do
 * not (each with its own state directory, as from two machines) rely on re-observing on conflicts.
 */
import { jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from '../support/docker-cli.js';
import { fixture, networksOf, statusOf, TestProject } from './lifecycle-support.js';

jest.setTimeout(120_000);

const project = new TestProject('tscl-conc', fixture('concurrency'));
const DESIRED = ['tscl-conc-db-1 running', 'tscl-conc-web-1 running', 'tscl-conc-web-2 running'];
const separateStates = [0, 1, 2].map(() => mkdtempSync(join(tmpdir(), 'tscl-state-')));

async function round(stateHomes: readonly (string | undefined)[]): Promise<(number | null)[]> {
  const results = await Promise.all(stateHomes.map((stateHome) => project.run(['up', '-d'], stateHome ? { env: { XDG_STATE_HOME: stateHome } } : {})));
  return results.map((result) => result.code);
}

async function reset(): Promise<void> {
  await project.ok(['down', '-t', '0']);
}

beforeAll(async () => {
  await project.cleanup();
});

afterAll(async () => {
  await project.cleanup();
  for (const dir of separateStates) rmSync(dir, { recursive: true, force: true });
});

describe('concurrent up (T16)', () => {
  test.each([1, 2, 3])('three ups sharing the project lock must all succeed with exactly the desired containers (round %i)', async () => {
    const codes = await round([undefined, undefined, undefined]);
    expect(codes).toEqual([0, 0, 0]);
    expect(await statusOf('tscl-conc')).toEqual(DESIRED);
    await reset();
  });

  test.each([1, 2])('three ups without a shared lock must still converge to exactly the desired containers (round %i)', async () => {
    const codes = await round(separateStates);
    expect(codes.filter((code) => code === 0).length).toBeGreaterThanOrEqual(1);
    expect(await statusOf('tscl-conc')).toEqual(DESIRED);
    expect(await networksOf('tscl-conc')).toEqual(['tscl-conc_default']);
    const names = (await docker('ps', '-a', '--filter', 'label=com.docker.compose.project=tscl-conc', '--format', '{{.Names}}')).split('\n');
    expect(names.every((name) => !name.includes('_'))).toBe(true);
    await reset();
  });
});
