import { HOME, serviceFrom, WORKING_DIR } from './support.js';

const build = (value: string, environment?: Record<string, string>) =>
  serviceFrom(`services:\n  s:\n    build: ${value}\n`, 's', { environment }).build;

describe('build', () => {
  test('the string form must become an absolute context with the default Dockerfile', () => {
    expect(build('./app')).toEqual({ context: `${WORKING_DIR}/app`, dockerfile: 'Dockerfile' });
  });

  test('a missing context must be the project directory', () => {
    expect(build('{dockerfile: Other}')).toEqual({ context: WORKING_DIR, dockerfile: 'Other' });
  });

  test('dockerfile_inline must not get a default dockerfile', () => {
    expect(build('{dockerfile_inline: "FROM scratch"}')).toEqual({ context: WORKING_DIR, dockerfile_inline: 'FROM scratch' });
  });

  test('git and HTTP contexts must be kept as written', () => {
    expect(build('https://github.com/example/repo.git#main')?.context).toBe('https://github.com/example/repo.git#main');
    expect(build('git@github.com:example/repo.git')?.context).toBe('git@github.com:example/repo.git');
  });

  test('ssh keys must be printed as Compose prints them: the agent as `default`, a key as `id: /absolute/path`, by id', () => {
    expect(build('{context: ., ssh: ["web=~/.ssh/web", default, "api=keys/api"]}')?.ssh).toEqual([
      `api: ${WORKING_DIR}/keys/api`,
      'default',
      `web: ${HOME}/.ssh/web`,
    ]);
    expect(build('{context: ., ssh: {default: null, web: ~/.ssh/web}}')?.ssh).toEqual(['default', `web: ${HOME}/.ssh/web`]);
  });

  test('additional contexts in list form must become a mapping with absolute paths', () => {
    expect(build('{context: ., additional_contexts: ["base=../base", "img=docker-image://alpine"]}')?.additional_contexts).toEqual({
      base: '/projects/base',
      img: 'docker-image://alpine',
    });
  });

  test('a context under ~ must resolve against the home directory', () => {
    expect(build('~/ctx')?.context).toBe(`${HOME}/ctx`);
  });

  test('valueless args must come from the environment and be dropped when unset there', () => {
    expect(build('{context: ., args: [VERSION=1.2, FROM_ENV, UNSET]}', { FROM_ENV: 'yes' })?.args).toEqual({
      FROM_ENV: 'yes',
      VERSION: '1.2',
    });
  });

  test('additional contexts must resolve local paths but keep scheme:// references', () => {
    expect(build('{context: ., additional_contexts: {base: ../base, img: "docker-image://alpine"}}')?.additional_contexts).toEqual({
      base: '/projects/base',
      img: 'docker-image://alpine',
    });
  });

  test('shm_size must be in bytes, secrets short references without target', () => {
    expect(build('{context: ., shm_size: 256m, secrets: [npmrc]}')).toEqual({
      context: WORKING_DIR,
      dockerfile: 'Dockerfile',
      shm_size: 268435456,
      secrets: [{ source: 'npmrc' }],
    });
  });
});
