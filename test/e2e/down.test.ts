/**
 * `down` and what it must never remove: named volumes survive `down` (T1); `down -v` removes only
 * volumes labelled for the project (T2a, T2b); external resources are never created or removed
 * (T3); a same-name network the project does not own makes `up` fail (T4); `down` is idempotent and
 * works with only `-p` (T11); `--rmi local|all`.
 */
import { jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, inspect } from '../support/docker-cli.js';
import { runCli } from '../support/run-cli.js';
import { TEST_IMAGE } from './engine-support.js';
import { exists, fixture, networksOf, shell, statusOf, TestProject, volumesOf } from './lifecycle-support.js';

jest.setTimeout(60_000);

const volumes = new TestProject('tscl-dvol', fixture('down-volumes'));
const foreignVolume = new TestProject('tscl-dforv', fixture('down-volumes'));
const shareA = new TestProject('tscl-sharea', fixture('down-shared-volume'));
const shareB = new TestProject('tscl-shareb', fixture('down-shared-volume'));
const external = new TestProject('tscl-ext', fixture('down-external'));
const foreignNetwork = new TestProject('tscl-fnet', fixture('down-foreign-network'));
const rmi = new TestProject('tscl-rmi', fixture('down-rmi'));
const hexExternal = new TestProject('tscn-hexext', fixture('down-external-hex'));
const projects = [volumes, foreignVolume, shareA, shareB, external, foreignNetwork, rmi, hexExternal];
/** The unnamed volume `docker volume create` makes for the hex-name test (64 hex digits). */
let hexVolume: string | undefined;
/** The anonymous volume a `down` without -v leaves behind, as in Compose (T1). */
let leftByDown: string | undefined;
const emptyDir = mkdtempSync(join(tmpdir(), 'tscl-empty-'));

async function removeByHand(): Promise<void> {
  await docker('volume', 'rm', '-f', 'tscl-dforv_data', 'tscl-ext-volume', 'tscl-shared-volume').catch(() => undefined);
  await docker('network', 'rm', 'tscl-ext-network').catch(() => undefined);
  await docker('network', 'rm', 'tscl-fnet_default').catch(() => undefined);
  await docker('rmi', 'tscl-rmi-built', 'tscl-rmi-named:latest').catch(() => undefined);
  for (const volume of [hexVolume, leftByDown]) if (volume !== undefined) await docker('volume', 'rm', '-f', volume).catch(() => undefined);
}

beforeAll(async () => {
  await Promise.all(projects.map((project) => project.cleanup()));
  await removeByHand();
});

afterAll(async () => {
  await Promise.all(projects.map((project) => project.cleanup()));
  await removeByHand();
  rmSync(emptyDir, { recursive: true, force: true });
});

describe('P1: named volumes survive down; only down -v removes them (T1)', () => {
  test('data in a named volume must survive down and come back with up', async () => {
    await volumes.ok(['up', '-d']);
    await shell('tscl-dvol-app-1', 'echo kept > /data/file');
    leftByDown = (await volumes.containers())[0].mounts.find((mount) => mount.Destination === '/anon')!.Name!;
    await volumes.ok(['down', '-t', '0']);
    expect(await volumesOf('tscl-dvol')).toEqual(['tscl-dvol_data']);
    await volumes.ok(['up', '-d']);
    expect(await shell('tscl-dvol-app-1', 'cat /data/file')).toBe('kept');
  });
});

describe('P11: down is idempotent and needs no file (T11)', () => {
  test('down -v with only -p, from a directory without a compose file, must remove every labelled resource', async () => {
    const anonymous = (await volumes.containers())[0].mounts.find((mount) => mount.Destination === '/anon')!.Name!;
    await volumes.ok(['down', '-v', '-t', '0'], { cwd: emptyDir });
    expect(await statusOf('tscl-dvol')).toEqual([]);
    expect(await networksOf('tscl-dvol')).toEqual([]);
    expect(await volumesOf('tscl-dvol')).toEqual([]);
    expect(await exists('volume', anonymous)).toBe(false);
  });

  test('a second down must succeed and say there was nothing to remove', async () => {
    const result = await volumes.run(['down']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('No resource found to remove for project "tscl-dvol".');
  });

  test('down without a compose file and without a project name must fail', async () => {
    const result = await runCli(['down'], { cwd: emptyDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no configuration file provided: not found');
  });
});

describe('P2: down -v removes only what the project owns (T2)', () => {
  test('a same-name volume created by hand must be reused with a warning and survive down -v (T2a)', async () => {
    await docker('volume', 'create', 'tscl-dforv_data');
    const up = await foreignVolume.ok(['up', '-d']);
    expect(up.stderr).toContain('volume "tscl-dforv_data" already exists but was not created by tscompose or Docker Compose');
    // With -f the file is read (with -p alone it is not, as in Compose), so down knows the volume is declared.
    const down = await foreignVolume.ok(['-f', 'compose.yaml', 'down', '-v', '-t', '0']);
    expect(down.stderr).toContain(
      'volume "tscl-dforv_data" was kept: it was not created by tscompose or Docker Compose, so it is not this project\'s to remove.',
    );
    expect(await exists('volume', 'tscl-dforv_data')).toBe(true);
  });

  test("another project's volume shared through name: must survive the second project's down -v (T2b)", async () => {
    await shareA.ok(['up', '-d']);
    const up = await shareB.ok(['up', '-d']);
    expect(up.stderr).toContain('volume "tscl-shared-volume" already exists but was created for project "tscl-sharea" (expected "tscl-shareb")');
    await shareA.ok(['down', '-t', '0']);
    const down = await shareB.ok(['-f', 'compose.yaml', 'down', '-v', '-t', '0']);
    expect(down.stderr).toContain('volume "tscl-shared-volume" was kept: it belongs to project "tscl-sharea".');
    expect((await inspect('volume', 'tscl-shared-volume')).Labels['com.docker.compose.project']).toBe('tscl-sharea');
  });
});

describe('P3: external resources are never created nor removed (T3)', () => {
  test('a missing external volume and network must make up fail before anything is created', async () => {
    const result = await external.run(['up', '-d']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('network tscl-ext-network declared as external, but could not be found');
    expect(result.stderr).toContain('external volume "tscl-ext-volume" not found');
    expect(await statusOf('tscl-ext')).toEqual([]);
    expect(await networksOf('tscl-ext')).toEqual([]);
    expect(await volumesOf('tscl-ext')).toEqual([]);
  });

  test('up then down -v must leave external resources in place, with -p', async () => {
    await docker('volume', 'create', 'tscl-ext-volume');
    await docker('network', 'create', 'tscl-ext-network');
    await external.ok(['up', '-d']);
    await external.ok(['down', '-v', '-t', '0']);
    expect(await exists('volume', 'tscl-ext-volume')).toBe(true);
    expect(await exists('network', 'tscl-ext-network')).toBe(true);
  });

  test('up then down -v must leave external resources in place, without -p', async () => {
    const env = { XDG_STATE_HOME: external.stateHome };
    const dir = fixture('down-external');
    expect((await runCli(['--progress', 'plain', 'up', '-d'], { cwd: dir, env })).code).toBe(0);
    expect(await statusOf('tscl-ext-byname')).toEqual(['tscl-ext-byname-app-1 running']);
    expect((await runCli(['--progress', 'plain', 'down', '-v', '-t', '0'], { cwd: dir, env })).code).toBe(0);
    expect(await statusOf('tscl-ext-byname')).toEqual([]);
    expect(await exists('volume', 'tscl-ext-volume')).toBe(true);
    expect(await exists('network', 'tscl-ext-network')).toBe(true);
  });
});

describe('P3: an external volume with an anonymous-looking name (T3)', () => {
  const env = (mode: string) => ({ TSCN_HEX_VOLUME: hexVolume, TSCN_MODE: mode });
  const anonymousOf = async (): Promise<string> =>
    (await hexExternal.containers())[0].mounts.find((mount) => mount.Destination === '/anon')!.Name!;

  beforeAll(async () => {
    hexVolume = await docker('volume', 'create');
  });

  test('docker volume create must have given it a 64-hex name (the premise of these tests)', () => {
    expect(hexVolume).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a recreate and up -V must keep it and its data, and renew only the anonymous volume', async () => {
    await hexExternal.ok(['up', '-d'], { env: env('a') });
    await shell('tscn-hexext-app-1', 'echo kept > /outside/file');
    const firstAnonymous = await anonymousOf();
    await hexExternal.ok(['up', '-d'], { env: env('b') });
    expect(await anonymousOf()).toBe(firstAnonymous);
    await hexExternal.ok(['up', '-d', '-V'], { env: env('c') });
    expect(await anonymousOf()).not.toBe(firstAnonymous);
    expect(await exists('volume', firstAnonymous)).toBe(false);
    expect(await shell('tscn-hexext-app-1', 'cat /outside/file')).toBe('kept');
  });

  test('down -v must keep it and remove the anonymous volume, with the compose file', async () => {
    const anonymous = await anonymousOf();
    const down = await hexExternal.ok(['down', '-v', '-t', '0'], { env: env('c') });
    expect(down.stderr).not.toContain(hexVolume);
    expect(await exists('volume', hexVolume!)).toBe(true);
    expect(await exists('volume', anonymous)).toBe(false);
  });

  test('down -v with only -p must keep it too, after a recreate mounted the anonymous volume by name', async () => {
    await hexExternal.ok(['up', '-d'], { env: env('a') });
    await hexExternal.ok(['up', '-d'], { env: env('b') });
    const anonymous = await anonymousOf();
    await hexExternal.ok(['down', '-v', '-t', '0'], { cwd: emptyDir });
    expect(await statusOf('tscn-hexext')).toEqual([]);
    expect(await exists('volume', anonymous)).toBe(false);
    expect(await docker('run', '--rm', '-v', `${hexVolume}:/outside`, TEST_IMAGE, 'cat', '/outside/file')).toBe('kept');
  });
});

describe('P4: a same-name network the project does not own (T4)', () => {
  test('a same-name network the project does not own must make up fail and stay untouched', async () => {
    await docker('network', 'create', 'tscl-fnet_default');
    const before = await inspect('network', 'tscl-fnet_default');
    const result = await foreignNetwork.run(['up', '-d']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('network "tscl-fnet_default" already exists but was not created by tscompose or Docker Compose');
    expect(await statusOf('tscl-fnet')).toEqual([]);
    const after = await inspect('network', 'tscl-fnet_default');
    expect(after.Id).toBe(before.Id);
    expect(after.Labels).toEqual({});
  });
});

describe('down --rmi', () => {
  test('--rmi local must remove only the images of services without image:', async () => {
    await docker('tag', TEST_IMAGE, 'tscl-rmi-built');
    await docker('tag', TEST_IMAGE, 'tscl-rmi-named:latest');
    await rmi.ok(['up', '-d']);
    const result = await rmi.ok(['down', '--rmi', 'local', '-t', '0']);
    expect(result.stderr).toContain(' Image tscl-rmi-built  Removed');
    expect(await exists('container', 'tscl-rmi-built-1')).toBe(false);
    await expect(inspect('image', 'tscl-rmi-built')).rejects.toThrow();
    expect((await inspect('image', 'tscl-rmi-named:latest')).Id).toBeDefined();
  });

  test('--rmi all must also remove the images named with image:', async () => {
    await docker('tag', TEST_IMAGE, 'tscl-rmi-built');
    await rmi.ok(['up', '-d']);
    await rmi.ok(['down', '--rmi', 'all', '-t', '0']);
    await expect(inspect('image', 'tscl-rmi-built')).rejects.toThrow();
    await expect(inspect('image', 'tscl-rmi-named:latest')).rejects.toThrow();
    expect((await inspect('image', TEST_IMAGE)).Id).toBeDefined();
  });

  test('--rmi with another value must be refused', async () => {
    const result = await rmi.run(['down', '--rmi', 'some']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: invalid value for --rmi: "some"\n');
  });
});
