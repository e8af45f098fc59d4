/**
 * P18: a changed volume definition is never applied destructively without confirmation. Without a
 * terminal and without `-y`, `up` keeps the volume and its data and says how to recreate it; `up
 * -y` recreates it (as newer Docker Compose does on a yes), removing and recreating the container
 * that mounts it, whose anonymous volume is carried over.
 */
import { jest } from '@jest/globals';
import { inspect } from '../support/docker-cli.js';
import { fixture, shell, TestProject } from './lifecycle-support.js';
import { downLeavesNothing, VolumeRecord } from './rel-support.js';

jest.setTimeout(60_000);

const project = new TestProject('rel-p18', fixture('rel-p18'));
const volumes = new VolumeRecord(project.name);
const CONTAINER = 'rel-p18-store-1';

beforeAll(async () => {
  await project.cleanup();
  await project.ok(['up', '-d']);
  await shell(CONTAINER, 'echo precious > /data/file; echo scratch > /anon/file');
  await volumes.record();
});

afterAll(async () => {
  await project.cleanup();
  await volumes.removeSurvivors();
});

describe('P18: a changed volume definition', () => {
  test('up without a terminal and without -y must keep the volume and its data, and say how to recreate it', async () => {
    const before = await inspect('volume', 'rel-p18_data');
    const result = await project.run(['up', '-d'], { env: { TIER: 'b' } });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('volume "rel-p18_data" differs from the compose file (labels.tier); it is kept as it is, with its data. Run "up -y" to recreate it');
    const after = await inspect('volume', 'rel-p18_data');
    expect([after.CreatedAt, after.Labels.tier]).toEqual([before.CreatedAt, 'a']);
    expect(await shell(CONTAINER, 'cat /data/file')).toBe('precious');
  });

  test('up -y must recreate the volume from the file, and the container with it, keeping its anonymous volume', async () => {
    const anonymous = (await project.containers())[0].mounts.find((mount) => mount.Destination === '/anon')!.Name;
    const result = await project.run(['up', '-d', '-y'], { env: { TIER: 'b' } });
    expect(result.code).toBe(0);
    expect((await inspect('volume', 'rel-p18_data')).Labels.tier).toBe('b');
    const [container] = await project.containers();
    expect([container.name, container.status]).toEqual([CONTAINER, 'running']);
    expect(await shell(CONTAINER, 'ls /data')).toBe('');
    expect(container.mounts.find((mount) => mount.Destination === '/anon')!.Name).toBe(anonymous);
    expect(await shell(CONTAINER, 'cat /anon/file')).toBe('scratch');
    await downLeavesNothing(project, volumes);
  });
});
