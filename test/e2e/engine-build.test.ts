/**
 * Classic builds through the Engine: the context is a tar honouring .dockerignore, and what the
 * image receives must be what `docker build` sends for the same directory.
 */
import { jest } from '@jest/globals';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine, EngineProgress } from '../../src/apply/engine.js';
import { EngineError } from '../../src/errors.js';
import { docker, inspect } from '../support/docker-cli.js';
import { projectLabels, realEngine, removeProject } from './engine-support.js';

// Real engine work (builds, health probes, stop grace periods) outlasts jest's 5 s default.
jest.setTimeout(60_000);

const PROJECT = 'tsce-build';
const FIXTURE = fileURLToPath(new URL('../fixtures/engine-build', import.meta.url));
const CONTEXT = join(FIXTURE, 'context');

let engine: Engine;

beforeAll(async () => {
  await removeProject(PROJECT);
  engine = realEngine();
});

afterAll(async () => {
  engine?.close();
  await removeProject(PROJECT);
});

/** Runs `cat path` in a throw-away container of `image`, labelled for cleanup. */
async function readFromImage(image: string, path: string): Promise<string> {
  return docker('run', '--rm', '--label', `com.docker.compose.project=${PROJECT}`, image, 'cat', path);
}

describe('DockerEngine.buildImage', () => {
  test('the context must honour .dockerignore exactly like docker build, and args, target and labels must apply', async () => {
    const progress: EngineProgress[] = [];
    const id = await engine.buildImage(
      {
        context: CONTEXT,
        tags: [`${PROJECT}/app:latest`, `${PROJECT}/app:extra`],
        args: { GREETING: 'hello-from-args' },
        target: 'base',
        labels: projectLabels(PROJECT, { 'com.docker.compose.service': 'app' }),
      },
      { onProgress: (event) => progress.push(event) },
    );
    const image = await inspect('image', `${PROJECT}/app:latest`);
    expect(image.Id).toBe(id);
    expect(image.RepoTags).toEqual(expect.arrayContaining([`${PROJECT}/app:latest`, `${PROJECT}/app:extra`]));
    expect(image.Config.Labels).toMatchObject(projectLabels(PROJECT, { 'com.docker.compose.service': 'app' }));
    expect(await readFromImage(id, '/greeting')).toBe('hello-from-args');
    await expect(readFromImage(id, '/stage')).rejects.toThrow(/No such file/);
    const messages = progress.map((event) => event.message);
    expect(messages.slice(0, 2)).toEqual(['Step 1/7 : FROM tscompose-test/busybox:latest AS base', ` ---> ${(await inspect('image', 'tscompose-test/busybox:latest')).Id.slice(7, 19)}`]);

    // The reference: the Docker CLI's classic builder on the same directory.
    await docker('build', '--quiet', '--target', 'base', '--label', `com.docker.compose.project=${PROJECT}`, '-t', `${PROJECT}/reference:latest`, CONTEXT);
    const expected = await readFromImage(`${PROJECT}/reference:latest`, '/listing');
    const listing = await readFromImage(id, '/listing');
    expect(listing).toBe(expected);
    expect(listing.split('\n')).toEqual(['.', './app.txt', './keep.tmp', './sub', './sub/code.txt', './sub/nested.tmp']);
  });

  test('a Dockerfile outside the context must be sent along with it', async () => {
    const id = await engine.buildImage({
      context: CONTEXT,
      dockerfile: join(FIXTURE, 'outside', 'Dockerfile.outside'),
      tags: [`${PROJECT}/outside:latest`],
      labels: projectLabels(PROJECT),
    });
    expect(await readFromImage(id, '/from-outside.txt')).toBe('app');
  });

  test('an inline Dockerfile must be built', async () => {
    const id = await engine.buildImage({
      context: CONTEXT,
      dockerfileInline: 'FROM tscompose-test/busybox:latest\nRUN echo inline > /inline.txt\n',
      tags: [`${PROJECT}/inline:latest`],
      labels: projectLabels(PROJECT),
      noCache: true,
    });
    expect(await readFromImage(id, '/inline.txt')).toBe('inline');
  });

  test('a failing build step must be an EngineError carrying the engine message and leave no container behind', async () => {
    const progress: string[] = [];
    const error = await engine
      .buildImage(
        { context: CONTEXT, dockerfile: join(FIXTURE, 'outside', 'Dockerfile.fails'), tags: [`${PROJECT}/fails:latest`], labels: projectLabels(PROJECT) },
        { onProgress: (event) => progress.push(event.message) },
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as Error).message).toBe(
      `could not build image ${PROJECT}/fails:latest: The command '/bin/sh -c echo about-to-fail && exit 42' returned a non-zero code: 42`,
    );
    expect(progress).toContain('about-to-fail');
    // The failed step's intermediate container would carry no label: find it by its command.
    const leftovers = (await docker('ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Command}}')).split('\n').filter((line) => line.includes('about-to-fail'));
    expect(leftovers).toEqual([]);
  });
});
