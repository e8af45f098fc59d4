/**
 * P16: two or more `up`s at once on one project (T16) must not fail, and the engine must end with
 * exactly the desired containers. Runs on one machine share the project lock; runs that do not
 * (each with its own state directory, as from two machines or two users) re-observe and re-plan
 * when they meet each other's work: a name taken, a container or network removed under them.
 */
import { jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from '../support/docker-cli.js';
import { fixture, networksOf, statusOf, TestProject } from './lifecycle-support.js';
import { leftovers, NOTHING_LEFT, VolumeRecord } from './rel-support.js';

jest.setTimeout(120_000);

const project = new TestProject('tscl-conc', fixture('concurrency'));
const replicas = new TestProject('rel-p16', fixture('rel-replicas'));
const volumes = new VolumeRecord(replicas.name);
const DESIRED = ['tscl-conc-db-1 running', 'tscl-conc-web-1 running', 'tscl-conc-web-2 running'];
const separateStates = [0, 1, 2].map(() => mkdtempSync(join(tmpdir(), 'tscl-state-')));

async function round(stateHomes: readonly (string | undefined)[], on = project, env: Record<string, string> = {}): Promise<(number | null)[]> {
  const results = await Promise.all(stateHomes.map((stateHome) => on.run(['up', '-d'], { env: { ...env, ...(stateHome ? { XDG_STATE_HOME: stateHome } : {}) } })));
  return results.map((result) => result.code);
}

async function reset(): Promise<void> {
  await project.ok(['down', '-t', '0']);
}

beforeAll(async () => {
  await Promise.all([project.cleanup(), replicas.cleanup()]);
});

afterAll(async () => {
  try {
    await Promise.all([project.cleanup(), replicas.cleanup()]);
  } finally {
    await volumes.removeSurvivors();
    for (const dir of separateStates) rmSync(dir, { recursive: true, force: true });
  }
});

describe('P16: concurrent up (T16)', () => {
  test.each([1, 2, 3])('three ups sharing the project lock must all succeed with exactly the desired containers (round %i)', async () => {
    const codes = await round([undefined, undefined, undefined]);
    expect(codes).toEqual([0, 0, 0]);
    expect(await statusOf('tscl-conc')).toEqual(DESIRED);
    await reset();
  });

  test.each([1, 2])('three ups without a shared lock must all succeed with exactly the desired containers (round %i)', async () => {
    const codes = await round(separateStates);
    expect(codes).toEqual([0, 0, 0]);
    expect(await statusOf('tscl-conc')).toEqual(DESIRED);
    expect(await networksOf('tscl-conc')).toEqual(['tscl-conc_default']);
    const names = (await docker('ps', '-a', '--filter', 'label=com.docker.compose.project=tscl-conc', '--format', '{{.Names}}')).split('\n');
    expect(names.every((name) => !name.includes('_'))).toBe(true);
    await reset();
  });

  test('three ups recreating the same replicas without a shared lock must all succeed, each re-planning instead of failing', async () => {
    await replicas.ok(['up', '-d']);
    volumes.watch();
    for (const mode of ['b', 'c', 'd']) {
      await volumes.record();
      expect(await round(separateStates, replicas, { MODE: mode })).toEqual([0, 0, 0]);
      expect(await statusOf(replicas.name)).toEqual(['rel-p16-app-1 running', 'rel-p16-app-2 running']);
      for (const container of await replicas.containers()) expect(container.env).toContain(`MODE=${mode}`);
    }
    // Labelled leftovers only: a run without the lock can discard a duplicate another run had just
    // started with a fresh anonymous volume; that volume is kept (it is never removed on a guess).
    await replicas.ok(['down', '-v', '-t', '0']);
    expect(await leftovers(replicas.name)).toEqual(NOTHING_LEFT);
  });
});
