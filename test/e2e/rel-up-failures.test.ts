/**
 * `up` failures the audit found (issue: reliability and security): each one fails the way the
 * user needs it to, and leaves nothing behind that the project cannot clean up.
 */
import { jest } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CRASH } from './attached-support.js';
import { fixture, shell, statusOf, TestProject } from './lifecycle-support.js';
import { eventually } from './engine-support.js';
import { downLeavesNothing, VolumeRecord } from './rel-support.js';

jest.setTimeout(60_000);

const dir = fixture('rel-up-failures');
const renew = new TestProject('rel-upf-renew', dir);
const pull = new TestProject('rel-upf-pull', dir);
const slow = new TestProject('rel-upf-slow', dir);
const fast = new TestProject('rel-upf-fast', dir);
const backoff = new TestProject('rel-upf-backoff', dir);
const projects = [renew, pull, slow, fast, backoff];
const confDir = mkdtempSync(join(tmpdir(), 'rel-upf-conf-'));
const records = new Map(projects.map((project) => [project, new VolumeRecord(project.name)]));

beforeAll(async () => {
  await Promise.all(projects.map((project) => project.cleanup()));
});

afterAll(async () => {
  try {
    await Promise.all(projects.map((project) => project.cleanup()));
  } finally {
    for (const record of records.values()) await record.removeSurvivors();
    rmSync(confDir, { recursive: true, force: true });
  }
});

test('-V with a replacement that cannot start must roll back without leaking its fresh anonymous volume (P5, P15)', async () => {
  const volumes = records.get(renew)!;
  await renew.ok(['up', '-d', 'store']);
  await shell('rel-upf-renew-store-1', 'echo kept > /anon/file');
  volumes.watch();
  // Without -V the replacement shares the volume: its rollback must keep it, data and all.
  const inheriting = await renew.run(['up', '-d', 'store'], { env: { CMD: 'no-such-program', MODE: 'b' } });
  expect(inheriting.stderr).toContain('rolled back: rel-upf-renew-store-1 runs its previous configuration again');
  expect(await shell('rel-upf-renew-store-1', 'cat /anon/file')).toBe('kept');
  const result = await renew.run(['up', '-d', '-V', 'store'], { env: { CMD: 'no-such-program', MODE: 'b' } });
  expect({ code: result.code, crash: CRASH.test(result.stderr) }).toEqual({ code: 1, crash: false });
  expect(result.stderr).toContain('rolled back: rel-upf-renew-store-1 runs its previous configuration again');
  expect(await statusOf(renew.name)).toEqual(['rel-upf-renew-store-1 running']);
  expect(await shell('rel-upf-renew-store-1', 'cat /anon/file')).toBe('kept');
  await volumes.stopWatching();
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

describe('P14 and F6: up --wait and crash loops', () => {
  test('a crash loop slower than 2 s must fail up --wait, with its exit code and last log lines', async () => {
    const result = await slow.run(['up', '-d', '--wait', 'slow-loop']);
    expect({ code: result.code, crash: CRASH.test(result.stderr) }).toEqual({ code: 1, crash: false });
    expect(result.stderr).toMatch(/container rel-upf-slow-slow-loop-1 (keeps exiting and being restarted \(restarted \d+ times?\)|exited \(5\))/);
    expect(result.stderr).toContain('exit code 5');
    expect(result.stderr).toContain('slow crash');
    await downLeavesNothing(slow, records.get(slow)!);
  });

  test('a fast crash loop must fail up --wait with its exit code, also when caught running again', async () => {
    const result = await fast.run(['up', '-d', '--wait', 'fast-loop']);
    expect({ code: result.code, crash: CRASH.test(result.stderr) }).toEqual({ code: 1, crash: false });
    expect(result.stderr).toContain('container rel-upf-fast-fast-loop-1 keeps exiting and being restarted');
    expect(result.stderr).toContain('exit code 6');
    await downLeavesNothing(fast, records.get(fast)!);
  });

  test('up --wait during the engine\'s restart back-off must start the container now and judge it then', async () => {
    await backoff.ok(['up', '-d', 'needs-file'], { env: { CONF_DIR: confDir } });
    // Several crashes in: the engine waits seconds before each next try.
    await eventually(async () => {
      const [container] = await backoff.containers();
      return container.status === 'restarting' && container.restartCount >= 5 ? true : undefined;
    }, 30_000);
    writeFileSync(join(confDir, 'ready'), 'yes\n');
    const result = await backoff.run(['up', '-d', '--wait', 'needs-file'], { env: { CONF_DIR: confDir } });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: expect.stringContaining('Container rel-upf-backoff-needs-file-1  Running') });
    const [container] = await backoff.containers();
    expect([container.status, container.restartCount]).toEqual(['running', 0]);
    await downLeavesNothing(backoff, records.get(backoff)!);
  });
});
