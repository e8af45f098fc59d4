/**
 * `up -d` against the real engine, step by step on one project: creation with Compose's names and
 * labels, start order and conditions, idempotence (T7), recreate of what changed, the recreate
 * policies, --no-deps, and convergence from a removed container (P8).
 */
import { jest } from '@jest/globals';
import { docker, inspect } from '../support/docker-cli.js';
import { TEST_IMAGE } from './engine-support.js';
import { fixture, networksOf, TestProject, volumesOf, type ContainerState } from './lifecycle-support.js';

jest.setTimeout(60_000);

const project = new TestProject('tscl-up', fixture('up-depends'));

function byService(containers: readonly ContainerState[]): Record<string, ContainerState> {
  return Object.fromEntries(containers.map((container) => [container.service, container]));
}

beforeAll(async () => {
  await project.cleanup();
});

afterAll(async () => {
  await project.cleanup();
});

describe('up -d', () => {
  let first: Record<string, ContainerState>;

  test('up -d must create the network, the volume and one container per service, named as Compose names them', async () => {
    const result = await project.ok(['up', '-d']);
    expect(result.stderr).toContain(' Container tscl-up-web-1  Started');
    first = byService(await project.containers());
    expect(Object.values(first).map((container) => container.name)).toEqual(['tscl-up-db-1', 'tscl-up-migrate-1', 'tscl-up-web-1']);
    expect(await networksOf('tscl-up')).toEqual(['tscl-up_default']);
    expect(await volumesOf('tscl-up')).toEqual(['tscl-up_data']);
  });

  test('containers must carry Compose identity labels, with the image id they were created from', async () => {
    const image = await inspect('image', TEST_IMAGE);
    const labels = first.web.labels;
    expect(labels).toMatchObject({
      'com.docker.compose.project': 'tscl-up',
      'com.docker.compose.service': 'web',
      'com.docker.compose.container-number': '1',
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.image': image.Id,
      'com.docker.compose.depends_on': 'db:service_healthy:false,migrate:service_completed_successfully:false',
      'com.docker.compose.project.working_dir': fixture('up-depends'),
      'com.docker.compose.project.config_files': `${fixture('up-depends')}/compose.yaml`,
    });
    expect(labels['com.docker.compose.config-hash']).toMatch(/^[0-9a-f]{64}$/);
  });

  test('services must start in dependency order, each once its condition holds', async () => {
    const { db, migrate, web } = first;
    expect(db.status).toBe('running');
    expect(db.health).toBe('healthy');
    expect(migrate.status).toBe('exited');
    expect(migrate.exitCode).toBe(0);
    expect(Date.parse(migrate.startedAt)).toBeGreaterThan(Date.parse(db.startedAt));
    expect(Date.parse(web.startedAt)).toBeGreaterThanOrEqual(Date.parse(migrate.finishedAt));
  });

  test('P7: a second up must leave running containers alone (T7)', async () => {
    const result = await project.ok(['up', '-d']);
    const again = byService(await project.containers());
    for (const service of ['db', 'web']) {
      expect(again[service].id).toBe(first[service].id);
      expect(again[service].startedAt).toBe(first[service].startedAt);
    }
    expect(result.stderr).toContain(' Container tscl-up-db-1  Running');
    expect(result.stderr).toContain(' Container tscl-up-web-1  Running');
    expect(result.stderr).not.toMatch(/Recreate|Creating/);
  });

  test('a changed service must be recreated while its dependencies are left alone', async () => {
    const result = await project.ok(['up', '-d'], { env: { WEB_MODE: 'b' } });
    const after = byService(await project.containers());
    expect(after.web.id).not.toBe(first.web.id);
    expect(after.web.env).toContain('MODE=b');
    expect(after.web.name).toBe('tscl-up-web-1');
    expect(after.db.id).toBe(first.db.id);
    expect(result.stderr).toContain(' Container tscl-up-web-1  Recreated');
  });

  test('--dry-run must print the plan in words with its causes and change nothing', async () => {
    const snapshot = async (): Promise<string[]> =>
      (await project.containers()).map((container) => `${container.id} ${container.status} ${container.startedAt}`);
    const before = await snapshot();
    const result = await project.ok(['--dry-run', 'up', '-d'], { env: { WEB_MODE: 'c' } });
    // One line per action, no node numbers; the waits and the one-shot migrate run on every up.
    expect(result.stdout).toMatch(
      new RegExp(
        [
          '^recreate web \\(tscl-up-web-1\\): environment MODE changed',
          'wait for db to be healthy \\(migrate, web depend on it\\)',
          'start migrate \\(tscl-up-migrate-1\\): exited \\(0\\) .+ ago',
          'wait for migrate to complete successfully \\(web depends on it\\)\n$',
        ].join('\n'),
      ),
    );
    expect(result.stderr).toContain('DRY-RUN MODE -  Container tscl-up-web-1  Recreated');
    expect(await snapshot()).toEqual(before);
  });

  test('--no-recreate must keep a container whose configuration changed', async () => {
    const before = byService(await project.containers());
    await project.ok(['up', '-d', '--no-recreate'], { env: { WEB_MODE: 'c' } });
    expect(byService(await project.containers()).web.id).toBe(before.web.id);
  });

  test('--force-recreate SERVICE must recreate that service only', async () => {
    const before = byService(await project.containers());
    await project.ok(['up', '-d', '--force-recreate', 'web'], { env: { WEB_MODE: 'b' } });
    const after = byService(await project.containers());
    expect(after.web.id).not.toBe(before.web.id);
    expect(after.db.id).toBe(before.db.id);
  });

  test('--always-recreate-deps must recreate the dependencies of the services named', async () => {
    const before = byService(await project.containers());
    await project.ok(['up', '-d', '--force-recreate', '--always-recreate-deps', 'web'], { env: { WEB_MODE: 'b' } });
    const after = byService(await project.containers());
    expect(after.db.id).not.toBe(before.db.id);
    expect(after.web.id).not.toBe(before.web.id);
  });

  test('up --no-deps SERVICE must start that service and leave its dependencies stopped', async () => {
    await project.ok(['stop', '-t', '0']);
    await project.ok(['up', '-d', '--no-deps', 'web'], { env: { WEB_MODE: 'b' } });
    const after = byService(await project.containers());
    expect(after.web.status).toBe('running');
    expect(after.db.status).toBe('exited');
  });

  test('P8: a container removed behind its back must be created again, the others kept', async () => {
    await project.ok(['up', '-d'], { env: { WEB_MODE: 'b' } });
    const before = byService(await project.containers());
    await docker('rm', '-f', before.web.id);
    await project.ok(['up', '-d'], { env: { WEB_MODE: 'b' } });
    const after = byService(await project.containers());
    expect(after.web.status).toBe('running');
    expect(after.web.id).not.toBe(before.web.id);
    expect(after.db.id).toBe(before.db.id);
  });
});
