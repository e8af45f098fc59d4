/**
 * Recreates and failures part-way: anonymous volumes are carried over, `-V` renews them and cleans
 * the old ones, `down -v` leaks none (T5); a port conflict is reported with a summary and the rerun
 * converges (T15a); a replacement that cannot start leaves the old container running (T15b).
 */
import { jest } from '@jest/globals';
import { docker } from '../support/docker-cli.js';
import { exists, fixture, shell, statusOf, TestProject, type ContainerState } from './lifecycle-support.js';

jest.setTimeout(60_000);

const dir = fixture('recreate');
const project = new TestProject('tscl-rec', dir);
const failing = new TestProject('tscl-rec15', dir);
const blockerProject = new TestProject('tscl-rec-blocker', dir);
const anonymousVolumes = new Set<string>();

function anonymousVolume(container: ContainerState): string {
  const name = container.mounts.find((mount) => mount.Destination === '/anon')!.Name!;
  anonymousVolumes.add(name);
  return name;
}

async function service(test: TestProject, name: string): Promise<ContainerState> {
  const found = (await test.containers()).filter((container) => container.service === name);
  expect(found).toHaveLength(1);
  return found[0];
}

/** A container of its own project holding a host port. */
async function blockPort(port: number): Promise<string> {
  return docker('run', '-d', '--label', 'com.docker.compose.project=tscl-rec-blocker', '-p', `127.0.0.1:${port}:80`, 'tscompose-test/busybox:latest', 'sleep', '600');
}

beforeAll(async () => {
  await Promise.all([project.cleanup(), failing.cleanup(), blockerProject.cleanup()]);
  await project.ok(['up', '-d']);
});

afterAll(async () => {
  await Promise.all([project.cleanup(), failing.cleanup(), blockerProject.cleanup()]);
  for (const volume of anonymousVolumes) await docker('volume', 'rm', '-f', volume).catch(() => undefined);
});

describe('P5: anonymous volumes carried over, renewed by -V, never leaked (T5)', () => {
  test('data in an anonymous volume must survive a recreate caused by a config change', async () => {
    const before = await service(project, 'store');
    await shell(before.name, 'echo kept > /anon/file');
    await project.ok(['up', '-d'], { env: { MODE: 'b' } });
    const after = await service(project, 'store');
    expect(after.id).not.toBe(before.id);
    expect(anonymousVolume(after)).toBe(anonymousVolume(before));
    expect(await shell(after.name, 'cat /anon/file')).toBe('kept');
  });

  test('-V must give the replacement a fresh anonymous volume and remove the old one', async () => {
    const before = await service(project, 'store');
    const old = anonymousVolume(before);
    await project.ok(['up', '-d', '-V', '--force-recreate', 'store'], { env: { MODE: 'b' } });
    const after = await service(project, 'store');
    expect(anonymousVolume(after)).not.toBe(old);
    expect(await shell(after.name, 'ls /anon')).toBe('');
    expect(await exists('volume', old)).toBe(false);
  });

  test('down -v must remove every anonymous volume the project used, also after recreates', async () => {
    await project.ok(['up', '-d'], { env: { MODE: 'c' } });
    anonymousVolume(await service(project, 'store'));
    await project.ok(['down', '-v', '-t', '0']);
    for (const volume of anonymousVolumes) expect(await exists('volume', volume)).toBe(false);
  });
});

describe('P15: failures part-way are reported, and a recreate keeps a working service (T15)', () => {
  test('a port conflict must fail with a summary while the other services run, and the rerun must converge (T15a)', async () => {
    const blocker = await blockPort(28612);
    const result = await failing.run(['up', '-d'], { env: { WEB_PORT: '28612' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error: start tscl-rec15-web-1 failed: .*port is already allocated/);
    expect(result.stderr).toMatch(/summary: \d+ of \d+ steps done, 1 failed/);
    expect(await statusOf('tscl-rec15')).toEqual(['tscl-rec15-other-1 running', 'tscl-rec15-store-1 running', 'tscl-rec15-web-1 created']);

    await docker('rm', '-f', blocker);
    await failing.ok(['up', '-d'], { env: { WEB_PORT: '28612' } });
    expect(await statusOf('tscl-rec15')).toEqual(['tscl-rec15-other-1 running', 'tscl-rec15-store-1 running', 'tscl-rec15-web-1 running']);
  });

  test('a replacement that cannot start must leave the old container running (T15b)', async () => {
    await failing.ok(['up', '-d'], { env: { WEB_PORT: '28614' } });
    const before = await service(failing, 'web');
    const blocker = await blockPort(28613);
    const result = await failing.run(['up', '-d'], { env: { WEB_PORT: '28613' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('rolled back: tscl-rec15-web-1 runs its previous configuration again');
    const after = await service(failing, 'web');
    expect(after.id).toBe(before.id);
    expect(after.name).toBe('tscl-rec15-web-1');
    expect(after.status).toBe('running');

    await docker('rm', '-f', blocker);
    await failing.ok(['up', '-d'], { env: { WEB_PORT: '28613' } });
    const converged = await service(failing, 'web');
    expect(converged.id).not.toBe(before.id);
    expect(converged.status).toBe('running');
  });
});
