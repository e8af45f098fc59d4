/**
 * Orphans and isolation: two files in one directory sharing a project name warn about each other's
 * containers and remove them only when asked (T6b, COMPOSE_IGNORE_ORPHANS, COMPOSE_REMOVE_ORPHANS),
 * and `down -v --remove-orphans` on one project leaves projects with similar names and a foreign
 * container untouched (T6); a hand-made container carrying the project's labels but no config
 * hash is not the project's (P6, as Compose filters): never listed, adopted or removed.
 */
import { jest } from '@jest/globals';
import { docker, inspect } from '../support/docker-cli.js';
import { exists, fixture, networksOf, statusOf, TestProject, volumesOf } from './lifecycle-support.js';

jest.setTimeout(60_000);

const dir = fixture('orphans');
const shared = new TestProject('tscl-orph', dir);
const x = new TestProject('tscl-orphx', dir);
const x1 = new TestProject('tscl-orphx1', dir);
const xy = new TestProject('tscl-orphxy', dir);
const foreign = `tscl-orph-foreign-${process.pid}`;
const handmadeProject = new TestProject('tscn-handmade', dir);
const all = [shared, x, x1, xy, handmadeProject];

const ORPHAN_HINT = 'If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.';

beforeAll(async () => {
  await Promise.all(all.map((project) => project.cleanup()));
});

afterAll(async () => {
  await docker('rm', '-f', foreign).catch(() => undefined);
  await Promise.all(all.map((project) => project.cleanup()));
});

describe('P6: orphans of two files in one directory (T6b)', () => {
  test('up of the second file must warn about the first file\'s containers and leave them running', async () => {
    await shared.ok(['-f', 'compose.yaml', 'up', '-d']);
    const result = await shared.ok(['-f', 'other.yaml', 'up', '-d']);
    expect(result.stderr).toContain(`Found orphan containers ([tscl-orph-a-1 tscl-orph-b-1]) for this project. ${ORPHAN_HINT}`);
    expect(await statusOf('tscl-orph')).toEqual(['tscl-orph-a-1 running', 'tscl-orph-b-1 running', 'tscl-orph-c-1 running']);
  });

  test('COMPOSE_IGNORE_ORPHANS must silence the warning', async () => {
    const result = await shared.ok(['-f', 'other.yaml', 'up', '-d'], { env: { COMPOSE_IGNORE_ORPHANS: '1' } });
    expect(result.stderr).not.toContain('Found orphan containers');
  });

  test('down must leave the other file\'s containers unless --remove-orphans is given', async () => {
    await shared.ok(['-f', 'other.yaml', 'down', '-t', '0']);
    expect(await statusOf('tscl-orph')).toEqual(['tscl-orph-a-1 running', 'tscl-orph-b-1 running']);
    await shared.ok(['-f', 'other.yaml', 'up', '-d']);
  });

  test('up --remove-orphans must remove the orphans and keep the file\'s services', async () => {
    await shared.ok(['-f', 'other.yaml', 'up', '-d', '--remove-orphans', '-t', '0']);
    expect(await statusOf('tscl-orph')).toEqual(['tscl-orph-c-1 running']);
  });

  test('COMPOSE_REMOVE_ORPHANS must act as --remove-orphans', async () => {
    await shared.ok(['-f', 'compose.yaml', 'up', '-d', '-t', '0'], { env: { COMPOSE_REMOVE_ORPHANS: 'true' } });
    expect(await statusOf('tscl-orph')).toEqual(['tscl-orph-a-1 running', 'tscl-orph-b-1 running']);
  });
});

describe('P6: isolation of similarly named projects (T6)', () => {
  test('down -v --remove-orphans of one project must leave projects with similar names and foreign containers alone', async () => {
    await Promise.all([x.ok(['-f', 'compose.yaml', 'up', '-d']), x1.ok(['-f', 'compose.yaml', 'up', '-d']), xy.ok(['-f', 'compose.yaml', 'up', '-d'])]);
    await docker('run', '-d', '--name', foreign, 'tscompose-test/busybox:latest', 'sleep', '600');

    await x.ok(['-f', 'compose.yaml', 'down', '-v', '--remove-orphans', '-t', '0']);

    expect(await statusOf('tscl-orphx')).toEqual([]);
    expect(await volumesOf('tscl-orphx')).toEqual([]);
    expect(await networksOf('tscl-orphx')).toEqual([]);
    for (const other of ['tscl-orphx1', 'tscl-orphxy']) {
      expect(await statusOf(other)).toEqual([`${other}-a-1 running`, `${other}-b-1 running`]);
      expect(await volumesOf(other)).toEqual([`${other}_data`]);
      expect(await networksOf(other)).toEqual([`${other}_default`]);
    }
    expect(await exists('container', foreign)).toBe(true);
  });
});

describe('P6: a hand-made container with the project labels but no config hash', () => {
  const handLabels = (service: string) =>
    [
      `com.docker.compose.project=tscn-handmade`,
      `com.docker.compose.service=${service}`,
      'com.docker.compose.container-number=1',
      'com.docker.compose.oneoff=False',
    ].flatMap((label) => ['--label', label]);
  const runByHand = (name: string, service: string) =>
    docker('run', '-d', '--name', name, ...handLabels(service), 'tscompose-test/busybox:latest', 'sleep', '600');

  test('up, ps and down -v --remove-orphans must neither adopt, list nor remove it', async () => {
    const id = await runByHand('tscn-handmade-byhand', 'a');
    const up = await handmadeProject.ok(['-f', 'compose.yaml', 'up', '-d']);
    expect(up.stderr).not.toContain('tscn-handmade-byhand');
    expect((await inspect('container', 'tscn-handmade-a-1')).Config.Labels['com.docker.compose.config-hash']).toBeDefined();
    const ps = await handmadeProject.ok(['-f', 'compose.yaml', 'ps', '-a', '--format', '{{.Name}}']);
    expect(ps.stdout.split('\n').filter(Boolean)).toEqual(['tscn-handmade-a-1', 'tscn-handmade-b-1']);
    const down = await handmadeProject.ok(['-f', 'compose.yaml', 'down', '-v', '--remove-orphans', '-t', '0']);
    expect(down.stderr).not.toContain('tscn-handmade-byhand');
    const after = await inspect('container', 'tscn-handmade-byhand');
    expect([after.Id, after.State.Status]).toEqual([id, 'running']);
    expect(await statusOf('tscn-handmade')).toEqual(['tscn-handmade-byhand running']);
    await docker('rm', '-f', id);
  });

  test('one holding a service container\'s name must make up fail and stay untouched, as in Compose', async () => {
    const id = await runByHand('tscn-handmade-b-1', 'b');
    const up = await handmadeProject.run(['-f', 'compose.yaml', 'up', '-d']);
    expect(up.code).toBe(1);
    expect(up.stderr).toContain('the container name "tscn-handmade-b-1" is already in use by a container that does not belong to project "tscn-handmade"');
    const after = await inspect('container', 'tscn-handmade-b-1');
    expect([after.Id, after.State.Status]).toEqual([id, 'running']);
    await handmadeProject.ok(['-f', 'compose.yaml', 'down', '-t', '0']);
    expect(await statusOf('tscn-handmade')).toEqual(['tscn-handmade-b-1 running']);
  });
});
