import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadError, loadIn, project } from './load-helpers.js';

const svc = (image: string): string => `services:\n  s: {image: ${image}}\n`;

describe('finding the compose files', () => {
  test('compose.yaml must be preferred and the other candidates reported like Compose', async () => {
    const dir = project({ 'compose.yaml': svc('a'), 'docker-compose.yml': svc('b') });
    const result = await loadIn(dir);
    expect(result.configFiles).toEqual([`${dir}/compose.yaml`]);
    expect(result.warnings).toEqual([
      `Found multiple config files with supported names: ${dir}/compose.yaml, ${dir}/docker-compose.yml`,
      `Using ${dir}/compose.yaml`,
    ]);
  });

  test.each(['compose.yml', 'docker-compose.yml', 'docker-compose.yaml'])('%s must be found alone', async (name) => {
    const dir = project({ [name]: svc('a') });
    expect((await loadIn(dir)).configFiles).toEqual([`${dir}/${name}`]);
  });

  test('discovery must walk up to the parent directory, which becomes the project directory', async () => {
    const dir = project({ 'compose.yaml': svc('a'), '.env': 'X=1\n' });
    const sub = path.join(dir, 'sub', 'deeper');
    mkdirSync(sub, { recursive: true });
    const result = await loadIn(sub);
    expect(result.configFiles).toEqual([`${dir}/compose.yaml`]);
    expect(result.workingDir).toBe(dir);
    expect(result.envFiles).toEqual([`${dir}/.env`]);
  });

  test('the override file next to a discovered file must be merged after it', async () => {
    const dir = project({ 'compose.yaml': svc('a'), 'compose.override.yaml': svc('b') });
    const result = await loadIn(dir);
    expect(result.configFiles).toEqual([`${dir}/compose.yaml`, `${dir}/compose.override.yaml`]);
    expect((result.tree as any).services.s.image).toBe('b');
  });

  test('-f must be repeatable, relative to the current directory, and skip override discovery', async () => {
    const dir = project({ 'compose.yaml': svc('a'), 'compose.override.yaml': svc('b'), 'sub/more.yaml': svc('c') });
    const result = await loadIn(dir, { files: ['compose.yaml', 'sub/more.yaml'] });
    expect(result.configFiles).toEqual([`${dir}/compose.yaml`, `${dir}/sub/more.yaml`]);
    expect((result.tree as any).services.s.image).toBe('c');
    expect(result.workingDir).toBe(dir);
  });

  test('the project directory must be the directory of the first -f file', async () => {
    const dir = project({ 'sub/compose.yaml': svc('a') });
    expect((await loadIn(dir, { files: ['sub/compose.yaml'] })).workingDir).toBe(`${dir}/sub`);
  });

  test('-f - must read stdin, with the current directory as project directory', async () => {
    const dir = project({});
    const result = await loadIn(dir, { files: ['-'], readStdin: async () => svc('fromstdin') });
    expect(result.configFiles).toEqual(['-']);
    expect(result.workingDir).toBe(dir);
    expect((result.tree as any).services.s.image).toBe('fromstdin');
    expect(result.sources.get('-')).toBe(svc('fromstdin'));
  });

  test('COMPOSE_FILE must be split on COMPOSE_PATH_SEPARATOR', async () => {
    const dir = project({ 'a.yaml': svc('a'), 'b.yaml': svc('b') });
    const result = await loadIn(dir, { env: { COMPOSE_FILE: 'a.yaml;b.yaml', COMPOSE_PATH_SEPARATOR: ';' } });
    expect(result.configFiles).toEqual([`${dir}/a.yaml`, `${dir}/b.yaml`]);
  });

  test('COMPOSE_FILE from the .env file must be honoured', async () => {
    const dir = project({ 'other.yaml': svc('o'), '.env': 'COMPOSE_FILE=other.yaml\n' });
    expect((await loadIn(dir)).configFiles).toEqual([`${dir}/other.yaml`]);
  });

  test('--project-directory must be where discovery starts', async () => {
    const dir = project({ 'app/compose.yaml': svc('a') });
    const result = await loadIn(dir, { projectDirectory: 'app' });
    expect(result.configFiles).toEqual([`${dir}/app/compose.yaml`]);
    expect(result.workingDir).toBe(`${dir}/app`);
  });

  test('no file anywhere must fail with Compose\'s message', async () => {
    const error = await loadError(project({}), { projectDirectory: '/' });
    expect(error.problems[0].message).toBe('no configuration file provided: not found');
  });

  test('a missing -f file must fail with Compose\'s message', async () => {
    const dir = project({});
    const error = await loadError(dir, { files: ['nope.yaml'] });
    expect(error.problems[0].message).toBe(`open ${dir}/nope.yaml: no such file or directory`);
  });
});
