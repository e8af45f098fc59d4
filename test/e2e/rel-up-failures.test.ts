/**
 * `up` failures the audit found (issue: reliability and security): each one fails the way the
 * user needs it to, and leaves nothing behind that the project cannot clean up.
 */
import { jest } from '@jest/globals';
import { CRASH } from './attached-support.js';
import { fixture, shell, statusOf, TestProject } from './lifecycle-support.js';
import { downLeavesNothing, VolumeRecord } from './rel-support.js';

jest.setTimeout(60_000);

const dir = fixture('rel-up-failures');
const renew = new TestProject('rel-upf-renew', dir);
const pull = new TestProject('rel-upf-pull', dir);
const projects = [renew, pull];
const records = new Map(projects.map((project) => [project, new VolumeRecord(project.name)]));

beforeAll(async () => {
  await Promise.all(projects.map((project) => project.cleanup()));
});

afterAll(async () => {
  await Promise.all(projects.map((project) => project.cleanup()));
  for (const record of records.values()) await record.removeSurvivors();
});

test('-V with a replacement that cannot start must roll back without leaking its fresh anonymous volume (P5, P15)', async () => {
  const volumes = records.get(renew)!;
  await renew.ok(['up', '-d', 'store']);
  await shell('rel-upf-renew-store-1', 'echo kept > /anon/file');
  const since = Math.floor(Date.now() / 1000);
  // Without -V the replacement shares the volume: its rollback must keep it, data and all.
  const inheriting = await renew.run(['up', '-d', 'store'], { env: { CMD: 'no-such-program', MODE: 'b' } });
  expect(inheriting.stderr).toContain('rolled back: rel-upf-renew-store-1 runs its previous configuration again');
  expect(await shell('rel-upf-renew-store-1', 'cat /anon/file')).toBe('kept');
  const result = await renew.run(['up', '-d', '-V', 'store'], { env: { CMD: 'no-such-program', MODE: 'b' } });
  expect({ code: result.code, crash: CRASH.test(result.stderr) }).toEqual({ code: 1, crash: false });
  expect(result.stderr).toContain('rolled back: rel-upf-renew-store-1 runs its previous configuration again');
  expect(await statusOf(renew.name)).toEqual(['rel-upf-renew-store-1 running']);
  expect(await shell('rel-upf-renew-store-1', 'cat /anon/file')).toBe('kept');
  await volumes.recordEvents(since);
  expect(volumes.seen.size).toBeGreaterThanOrEqual(2);
  expect(await volumes.unmounted()).toEqual([]);
  await downLeavesNothing(renew, volumes);
});

test('a pull failure must make up exit 18, as in Compose, before anything is created (F14)', async () => {
  const result = await pull.run(['up', '-d', 'unpullable']);
  expect({ code: result.code, crash: CRASH.test(result.stderr) }).toEqual({ code: 18, crash: false });
  expect(result.stderr).toMatch(/error: could not pull image registry\.invalid\.example\/rel\/unpullable:1\.0: /);
  expect(await statusOf(pull.name)).toEqual([]);
  await downLeavesNothing(pull, records.get(pull)!);
});
