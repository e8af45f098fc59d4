/**
 * The flags of `up`: Compose's flag conflicts and their messages, --no-start, --scale (with
 * --parallel), -t as the stop timeout of a recreate, the image flags passed to the image step, a
 * missing image stopping the run before anything is created. Attached mode: attached-*.test.ts.
 */
import { jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { docker, inspect } from '../support/docker-cli.js';
import { TEST_IMAGE } from './engine-support.js';
import { fixture, statusOf, TestProject } from './lifecycle-support.js';

jest.setTimeout(60_000);

const project = new TestProject('tscl-flags', fixture('up-flags'));
const missing = new TestProject('tscl-flags-missing', fixture('up-flags'));
const retagged = new TestProject('tscl-flags-img', fixture('up-flags'));
const RETAGGED = 'tscl-flags-retagged:latest';

/** Builds a new image (a new id) under RETAGGED, from the test image plus a label. */
async function rebuildRetagged(label: string): Promise<string> {
  const child = promisify(execFile)('docker', ['build', '-q', '-t', RETAGGED, '-'], { env: { ...process.env, DOCKER_BUILDKIT: '0' } });
  child.child.stdin!.end(`FROM ${TEST_IMAGE}\nLABEL tscl.generation=${label}\n`);
  await child;
  return (await inspect('image', RETAGGED)).Id as string;
}

beforeAll(async () => {
  await Promise.all([project.cleanup(), missing.cleanup(), retagged.cleanup()]);
});

afterAll(async () => {
  await Promise.all([project.cleanup(), missing.cleanup(), retagged.cleanup()]);
  await docker('rmi', RETAGGED).catch(() => undefined);
});

describe('up flag conflicts', () => {
  test.each([
    [['--build', '--no-build'], '--build and --no-build are incompatible'],
    [['--force-recreate', '--no-recreate'], '--force-recreate and --no-recreate are incompatible'],
    [['--always-recreate-deps', '--no-recreate'], '--always-recreate-deps and --no-recreate are incompatible'],
    [['-V', '--no-recreate'], '--no-recreate and --renew-anon-volumes are incompatible'],
    [['-d', '--abort-on-container-exit'], '--detach cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies'],
    [['-d', '--exit-code-from', 'web'], '--detach cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies'],
    [['--wait', '--abort-on-container-exit'], '--wait cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies'],
    [['--abort-on-container-exit', '--abort-on-container-failure'], '--abort-on-container-failure cannot be combined with --abort-on-container-exit'],
    [['-d', '--pull', 'sometimes'], 'invalid --pull option "sometimes"'],
    [['-d', '--scale', 'web'], 'invalid --scale option "web". Should be SERVICE=NUM'],
    [['-d', '--scale', 'web=100000000'], 'invalid --scale option "web=100000000": tscompose runs at most 1000 containers for one service'],
  ])('up %j must fail with Compose\'s message', async (flags, message) => {
    const result = await project.run(['up', ...flags]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: ${message}\n`);
  });

  test('up of an unknown service must fail naming it', async () => {
    const result = await project.run(['up', '-d', 'nope']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no such service: nope');
  });

  test('COMPOSE_IGNORE_ORPHANS with --remove-orphans must be refused', async () => {
    const result = await project.run(['up', '-d', '--remove-orphans'], { env: { COMPOSE_IGNORE_ORPHANS: 'true' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: cannot combine COMPOSE_IGNORE_ORPHANS and --remove-orphans\n');
  });

});

describe('up flags', () => {
  test('--no-start must create the containers and start none', async () => {
    await project.ok(['up', '-d', '--no-start']);
    expect(await statusOf('tscl-flags')).toEqual(['tscl-flags-web-1 created']);
  });

  test('--pull never and --no-build must be accepted when the images are present', async () => {
    await project.ok(['up', '-d', '--pull', 'never', '--no-build']);
    expect(await statusOf('tscl-flags')).toEqual(['tscl-flags-web-1 running']);
  });

  test('--scale must add replicas numbered after the highest, also with --parallel 1', async () => {
    await project.ok(['--parallel', '1', 'up', '-d', '--scale', 'web=3']);
    expect(await statusOf('tscl-flags')).toEqual(['tscl-flags-web-1 running', 'tscl-flags-web-2 running', 'tscl-flags-web-3 running']);
  });

  test('--scale down must remove the highest numbers and keep the rest', async () => {
    const before = (await project.containers())[0];
    await project.ok(['up', '-d', '--scale', 'web=1'], { env: { COMPOSE_PARALLEL_LIMIT: '1' } });
    const after = await project.containers();
    expect(after.map((container) => container.name)).toEqual(['tscl-flags-web-1']);
    expect(after[0].id).toBe(before.id);
  });

  test('-t must be the stop timeout when a recreate stops the old container', async () => {
    await project.ok(['--profile', 'stubborn', 'up', '-d', 'stubborn']);
    const started = Date.now();
    await project.ok(['--profile', 'stubborn', 'up', '-d', '-t', '1', 'stubborn'], { env: { MODE: 'b' } });
    const elapsed = Date.now() - started;
    // The stubborn container ignores SIGTERM and its grace period is 60 s: only -t 1 ends the
    // recreate's stop this soon, even on a busy machine.
    expect(elapsed).toBeGreaterThan(1000);
    expect(elapsed).toBeLessThan(30_000);
  }, 90_000);

  test('a missing image must fail before anything is created, naming the image', async () => {
    const result = await missing.run(['--profile', 'missing', 'up', '-d', 'missing']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('service "missing": image tscompose-test/not-here:latest is not present locally');
    expect(await statusOf('tscl-flags-missing')).toEqual([]);
  });

  test('a rebuilt image must recreate the containers created from the old one', async () => {
    const first = await rebuildRetagged('one');
    await retagged.ok(['--profile', 'retagged', 'up', '-d', 'retagged']);
    const [before] = await retagged.containers();
    expect(before.labels['com.docker.compose.image']).toBe(first);
    const second = await rebuildRetagged('two');
    const result = await retagged.ok(['--profile', 'retagged', 'up', '-d', '-t', '0', 'retagged']);
    const [after] = await retagged.containers();
    expect(after.id).not.toBe(before.id);
    expect(after.labels['com.docker.compose.image']).toBe(second);
    expect(result.stderr).toContain(' Container tscl-flags-img-retagged-1  Recreated');
  });
});
