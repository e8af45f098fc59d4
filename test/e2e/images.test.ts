/**
 * The image step against the real engine: `tscompose build` and `tscompose pull`, and
 * ensureImages (what `up` runs before creating anything). No registry is reachable here, which is
 * exactly the case to test: unreachable images must either be built instead or stop everything
 * before a single image is built.
 */
import { jest } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { ensureImages } from '../../src/apply/images.js';
import { ImageError } from '../../src/apply/image-error.js';
import type { Engine } from '../../src/apply/engine.js';
import type { ProgressEvent, ProgressReporter } from '../../src/apply/progress.js';
import { load } from '../../src/load/index.js';
import { toProject } from '../../src/model/index.js';
import type { Project } from '../../src/model/types.js';
import { docker, inspect } from '../support/docker-cli.js';
import { runCli } from '../support/run-cli.js';
import { realEngine, removeProject } from './engine-support.js';

jest.setTimeout(120_000);

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

const PROJECTS = {
  build: 'tsci-images-build',
  fallback: 'tsci-images-fallback',
  never: 'tsci-images-never',
  pullFailure: 'tsci-images-pull-failure',
  pullCommand: 'tsci-images-pull-command',
  buildPull: 'tscn-bpull',
};

let engine: Engine;

beforeAll(async () => {
  engine = realEngine();
  for (const project of Object.values(PROJECTS)) await removeProject(project);
});

afterAll(async () => {
  engine?.close();
  for (const project of Object.values(PROJECTS)) await removeProject(project);
});

async function projectOf(directory: string, name: string): Promise<Project> {
  const loaded = await load({
    cwd: directory,
    env: { PATH: process.env.PATH },
    files: [],
    projectName: name,
    envFiles: [],
    profiles: [],
    services: [],
    interpolate: true,
    readStdin: async () => '',
  });
  return toProject(loaded);
}

/** A reporter that keeps every event, so tests can check what the user was told. */
function recorder(): ProgressReporter & { events: ProgressEvent[]; started: string[] } {
  const events: ProgressEvent[] = [];
  const started: string[] = [];
  return { events, started, start: (ids = []) => void started.push(...ids), event: (event) => void events.push(event), stop: async () => undefined };
}

async function imageExists(reference: string): Promise<boolean> {
  return docker('image', 'inspect', reference).then(
    () => true,
    () => false,
  );
}

async function readFromImage(project: string, image: string, path: string): Promise<string> {
  return docker('run', '--rm', '--label', `com.docker.compose.project=${project}`, image, 'cat', path);
}

describe('tscompose build', () => {
  const project = PROJECTS.build;
  const cwd = fixture('images-build');

  test('build must honour .dockerignore, args (also from the environment), target, labels and extra tags', async () => {
    const result = await runCli(['-p', project, '--progress', 'plain', 'build', 'app'], { cwd, env: { FROM_ENV: 'from-shell' } });
    expect(result.stderr).toContain(' Image tsci-images-build-app  Built');
    expect(result.code).toBe(0);

    const image = await inspect('image', `${project}-app`);
    expect(image.RepoTags).toEqual(expect.arrayContaining([`${project}-app:latest`, 'tsci-images-build/app:extra']));
    expect(image.Config.Labels).toEqual({
      'org.example.team': 'images',
      'com.docker.compose.project': project,
      'com.docker.compose.service': 'app',
      'com.docker.compose.version': expect.any(String),
    });
    expect(await readFromImage(project, image.Id, '/greeting')).toBe('from-compose');
    expect(await readFromImage(project, image.Id, '/from-env')).toBe('from-shell');
    expect(await readFromImage(project, image.Id, '/stage')).toBe('runtime');
    expect((await readFromImage(project, image.Id, '/listing')).split('\n')).toEqual([
      '.',
      './.dockerignore',
      './Dockerfile',
      './Dockerfile.stamp',
      './main.txt',
    ]);
  });

  test('build must stream the builder output per service in plain mode, and print nothing with -q', async () => {
    const plain = await runCli(['-p', project, '--progress', 'plain', 'build', 'app'], { cwd });
    expect(plain.stderr).toMatch(/^\[app\] #\d+ \[base 1\/\d+\] FROM docker\.io\/tscompose-test\/busybox:latest$/m);
    const quiet = await runCli(['-p', project, 'build', '-q', 'app'], { cwd });
    expect(quiet).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  test('build --build-arg must override the file, and --no-cache must redo every step', async () => {
    await runCli(['-p', project, 'build', '-q', 'stamp'], { cwd });
    const first = await readFromImage(project, 'tsci-images-build/stamp:1', '/stamp');
    const cached = await runCli(['-p', project, 'build', '-q', 'stamp'], { cwd });
    expect(cached.code).toBe(0);
    expect(await readFromImage(project, 'tsci-images-build/stamp:1', '/stamp')).toBe(first);

    const uncached = await runCli(['-p', project, '--progress', 'plain', 'build', '--no-cache', 'stamp'], { cwd });
    expect(uncached.code).toBe(0);
    // The RUN step ran again (the base image's FROM step may still say CACHED).
    const run = /^\[stamp\] #(\d+) \[2\/2\] RUN /m.exec(uncached.stderr)?.[1];
    expect(uncached.stderr).toMatch(new RegExp(`^\\[stamp\\] #${run} DONE `, 'm'));
    expect(await readFromImage(project, 'tsci-images-build/stamp:1', '/stamp')).not.toBe(first);

    const overridden = await runCli(['-p', project, 'build', '-q', '--build-arg', 'GREETING=from-cli', 'app'], { cwd });
    expect(overridden.code).toBe(0);
    expect(await readFromImage(project, `${project}-app`, '/greeting')).toBe('from-cli');
  });

  test('build of a service without a build section must do nothing and succeed', async () => {
    const result = await runCli(['-p', project, 'build', 'runs-only'], { cwd });
    expect(result).toMatchObject({ code: 0, stdout: '' });
  });
});

describe('tscompose build --pull', () => {
  const cwd = fixture('build-pull');
  const project = PROJECTS.buildPull;

  afterAll(async () => {
    await docker('image', 'rm', 'tscn-bpull-app:latest').catch(() => undefined);
  });

  test('--pull must try to pull the base image and, with no registry, fail saying so and how to use the local one', async () => {
    const result = await runCli(['-p', project, '--progress', 'plain', 'build', '--pull'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: could not build image tscn-bpull-app:latest: .*registry.*; the build pulls its base image tscompose-test\/busybox:latest first \(--pull or build\.pull\): without them it uses the local image$/m,
    );
    expect(await imageExists('tscn-bpull-app:latest')).toBe(false);
  });

  test('without --pull the same build must use the local base image', async () => {
    const result = await runCli(['-p', project, '--progress', 'plain', 'build'], { cwd });
    expect(result.code).toBe(0);
    expect(await readFromImage(project, 'tscn-bpull-app:latest', '/built')).toBe('built');
  });
});

describe('ensureImages (the image step of up)', () => {
  test('a buildable service whose image: registry is unreachable must be built instead, saying why, with no error', async () => {
    const project = await projectOf(fixture('images-build-fallback'), PROJECTS.fallback);
    const progress = recorder();
    const images = await ensureImages(engine, project, { toolVersion: 'test' }, progress);

    const reference = 'registry.invalid.example/tsci/app:1.0';
    const built = await inspect('image', reference);
    expect(images.services.app).toEqual({ reference, id: built.Id, source: 'built' });
    expect(images.images[reference].id).toBe(built.Id);
    expect(built.Config.Labels['com.docker.compose.project']).toBe(PROJECTS.fallback);
    expect(await readFromImage(PROJECTS.fallback, reference, '/built')).toBe('fallback');
    expect(progress.events.filter((event) => event.state === 'error' || event.state === 'warning')).toEqual([]);
    expect(progress.events.at(-1)).toEqual({ id: `Image ${reference}`, state: 'done', text: 'Built', details: expect.stringMatching(/^\d+ steps?, \d+ cached$/) });
    expect(progress.events).toContainEqual(
      expect.objectContaining({ id: `Image ${reference}`, state: 'working', text: 'Not pulled', details: expect.stringMatching(/building it from source instead$/) }),
    );
    expect(progress.events.map((event) => event.details ?? '').join('\n')).not.toMatch(/pull access denied/);

    // Present now: the next run must use it as is.
    const again = recorder();
    const second = await ensureImages(engine, project, { toolVersion: 'test' }, again);
    expect(second.services.app).toEqual({ reference, id: built.Id, source: 'local' });
    expect(again.events).toEqual([]);
  });

  test('pull_policy: never with a missing image must fail before anything is pulled or built', async () => {
    const project = await projectOf(fixture('images-never'), PROJECTS.never);
    const progress = recorder();
    const failure = ensureImages(engine, project, { toolVersion: 'test' }, progress);
    await expect(failure).rejects.toThrow(ImageError);
    await expect(failure).rejects.toThrow(
      'service "never": image tsci-images-never/missing:1.0 is not present locally, and pull_policy: never forbids pulling it',
    );
    expect(progress.events).toEqual([]);
    expect(await imageExists(`${PROJECTS.never}-builder`)).toBe(false);
  });

  test('an image that can be neither pulled nor built must fail the step before any build starts', async () => {
    const project = await projectOf(fixture('images-pull-failure'), PROJECTS.pullFailure);
    const progress = recorder();
    const failure = ensureImages(engine, project, { toolVersion: 'test' }, progress);
    await expect(failure).rejects.toThrow(/could not pull image registry\.invalid\.example\/tsci\/remote:1\.0: .*registry\.invalid\.example/);
    expect(progress.events).toContainEqual(expect.objectContaining({ id: 'Image registry.invalid.example/tsci/remote:1.0', state: 'error' }));
    expect(progress.events.some((event) => event.text === 'Building')).toBe(false);
    expect(await imageExists(`${PROJECTS.pullFailure}-builder`)).toBe(false);
  });

  test('--no-build must refuse a missing build-only image instead of building it', async () => {
    const project = await projectOf(fixture('images-pull-failure'), PROJECTS.pullFailure);
    const failure = ensureImages(engine, project, { toolVersion: 'test', noBuild: true, services: ['builder'] }, recorder());
    await expect(failure).rejects.toThrow(`service "builder": image ${PROJECTS.pullFailure}-builder is not present locally, and --no-build forbids building it`);
    expect(await imageExists(`${PROJECTS.pullFailure}-builder`)).toBe(false);
  });
});

describe('tscompose pull', () => {
  const cwd = fixture('images-pull-command');
  const project = PROJECTS.pullCommand;
  const localTag = 'tsci-images-pull-command/local:1.0';

  beforeAll(async () => {
    await docker('tag', 'tscompose-test/busybox:latest', localTag);
  });

  afterAll(async () => {
    // Only the tag: the image itself is the shared test image.
    await docker('image', 'rm', localTag).catch(() => undefined);
  });

  test('pull with an unreachable registry must fail with the image and the reason, after trying every image, with exit code 18 as in Compose', async () => {
    const result = await runCli(['-p', project, '--progress', 'plain', 'pull'], { cwd });
    expect(result.code).toBe(18);
    expect(result.stderr).toMatch(/^error: could not pull image registry\.invalid\.example\/tsci\/remote:1\.0: .*registry\.invalid\.example/m);
    // The buildable image is a warning that says what to run, never an error.
    // Lines are named after the service, as in Compose.
    expect(result.stderr).toMatch(/^ buildable {2}Not pulled .*it can be built instead/m);
    expect(result.stderr).toContain('run: tscompose build buildable');
    // A present image under pull_policy: missing is not pulled.
    expect(result.stderr).toContain(' local  Skipped - Image is already present locally');
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  test('pull --ignore-pull-failures must report the failures and succeed', async () => {
    const result = await runCli(['-p', project, '--progress', 'plain', 'pull', '--ignore-pull-failures'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^ remote {2}Not pulled .*registry\.invalid\.example/m);
  });

  test('pull -q must print no progress: nothing when nothing fails, only the error when a pull does', async () => {
    const quiet = await runCli(['-p', project, '--progress', 'plain', 'pull', '-q', 'local'], { cwd });
    expect([quiet.code, quiet.stdout, quiet.stderr]).toEqual([0, '', '']);
    const failing = await runCli(['-p', project, '--progress', 'plain', 'pull', '-q', 'remote'], { cwd });
    expect(failing.code).toBe(18);
    expect(failing.stderr).toMatch(/^error: could not pull image registry\.invalid\.example\/tsci\/remote:1\.0: [^\n]*\n$/);
  });

  test('pull --ignore-buildable must not try images that can be built', async () => {
    const result = await runCli(['-p', project, '--progress', 'plain', 'pull', '--ignore-buildable', 'buildable'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(' buildable  Skipped - Image can be built\n');
  });
});
