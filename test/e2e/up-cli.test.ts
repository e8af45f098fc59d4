/**
 * `up` through the CLI for what other files do not cover: a recreated dependency restarts its
 * `restart: true` dependents and only them; secrets and configs from `environment:` and
 * `content:` arrive with their mode, uid and gid; `up --build` rebuilds and recreates.
 */
import { jest } from '@jest/globals';
import { docker } from '../support/docker-cli.js';
import { fixture, shell, TestProject, type ContainerState } from './lifecycle-support.js';

jest.setTimeout(120_000);

const dependents = new TestProject('tscn-updeps', fixture('up-restart-dependents'));
const secrets = new TestProject('tscn-upsecrets', fixture('up-secrets'));
const build = new TestProject('tscn-upbuild', fixture('up-build'));
const projects = [dependents, secrets, build];

beforeAll(() => Promise.all(projects.map((project) => project.cleanup())));
afterAll(async () => {
  await Promise.all(projects.map((project) => project.cleanup()));
  await docker('image', 'rm', 'tscn-upbuild-app:latest').catch(() => undefined);
});

const byService = (containers: readonly ContainerState[]) => Object.fromEntries(containers.map((container) => [container.service, container]));

describe('restart: true', () => {
  test('recreating a dependency must restart its restart: true dependent, and leave every other container running as it was', async () => {
    await dependents.ok(['up', '-d'], { env: { TSCN_DB_MODE: 'first' } });
    const before = byService(await dependents.containers());
    const up = await dependents.ok(['up', '-d'], { env: { TSCN_DB_MODE: 'second' } });
    const after = byService(await dependents.containers());

    expect(after.db.id).not.toBe(before.db.id);
    expect(after.db.env).toContain('MODE=second');
    // Restarted, not recreated.
    expect(after.restarts.id).toBe(before.restarts.id);
    expect(after.restarts.startedAt).not.toBe(before.restarts.startedAt);
    expect(after.restarts.status).toBe('running');
    for (const service of ['stays', 'unrelated']) {
      expect([after[service].id, after[service].startedAt]).toEqual([before[service].id, before[service].startedAt]);
    }
    expect(up.stderr).toContain('Container tscn-updeps-restarts-1  Started');
    expect(up.stderr).not.toContain('Container tscn-updeps-stays-1  Started');
  });
});

describe('secrets and configs without a file', () => {
  test('environment: sources and content: configs must be copied in with their mode, uid and gid', async () => {
    await secrets.ok(['up', '-d'], { env: { TSCN_SECRET_VALUE: 'from-the-shell' } });
    const listing = await shell(
      'tscn-upsecrets-app-1',
      'for f in /run/secrets/from_env /run/secrets/owned.txt /etc/conf-env.txt /etc/conf-inline.txt; do echo "$f $(stat -c "%a %u:%g" "$f") $(cat "$f")"; done',
    );
    expect(listing.split('\n')).toEqual([
      '/run/secrets/from_env 444 0:0 from-the-shell',
      '/run/secrets/owned.txt 400 1000:1000 from-the-shell',
      '/etc/conf-env.txt 444 0:0 from-the-shell',
      '/etc/conf-inline.txt 640 1000:100 inline config',
    ]);
  });

  test('a secret whose variable is not set must fail up before anything changes, naming the variable where it is written', async () => {
    const before = (await secrets.containers()).map((container) => container.id);
    const result = await secrets.run(['up', '-d', '--force-recreate'], { env: { TSCN_SECRET_VALUE: undefined } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('compose.yaml:15:27');
    expect(result.stderr).toContain('the environment variable TSCN_SECRET_VALUE is not set');
    expect((await secrets.containers()).map((container) => container.id)).toEqual(before);
  });
});

describe('up --build', () => {
  const value = () => shell('tscn-upbuild-app-1', 'cat /value');

  test('up --build must build the image first and run the container from it', async () => {
    const result = await build.ok(['up', '-d', '--build'], { env: { TSCN_BUILD_VALUE: 'one' } });
    expect(result.stderr).toContain('Image tscn-upbuild-app:latest  Built');
    expect(await value()).toBe('one');
  });

  test('a plain up must use the image already built, even when the build would now differ', async () => {
    const before = (await build.containers())[0].id;
    const result = await build.ok(['up', '-d'], { env: { TSCN_BUILD_VALUE: 'two' } });
    expect(result.stderr).not.toContain('Building');
    expect((await build.containers())[0].id).toBe(before);
    expect(await value()).toBe('one');
  });

  test('up --build must rebuild and recreate the container from the new image', async () => {
    const before = (await build.containers())[0].id;
    await build.ok(['up', '-d', '--build'], { env: { TSCN_BUILD_VALUE: 'two' } });
    expect((await build.containers())[0].id).not.toBe(before);
    expect(await value()).toBe('two');
  });
});
