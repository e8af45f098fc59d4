import { locate } from '../../../src/load/located.js';
import { loadError, loadIn, project, services } from './load-helpers.js';

describe('include', () => {
  test('the short form must import services, networks and volumes with their own .env and paths', async () => {
    const dir = project({
      'compose.yaml': 'include:\n  - inc/compose.yaml\nservices:\n  web: {image: web, depends_on: [db]}\n',
      'inc/compose.yaml': 'services:\n  db:\n    image: "db:${TAG}"\n    volumes: ["./data:/data", "dbdata:/var/lib"]\n    build: {dockerfile: Dockerfile}\nvolumes:\n  dbdata: {}\nnetworks:\n  back: {}\n',
      'inc/.env': 'TAG=15\n',
    });
    const result = await loadIn(dir);
    const tree = result.tree as any;
    expect(tree.include).toBeUndefined();
    expect(services(result).db).toEqual({
      image: 'db:15',
      volumes: [`${dir}/inc/data:/data`, 'dbdata:/var/lib'],
      build: { dockerfile: 'Dockerfile', context: `${dir}/inc` },
    });
    expect(tree.volumes).toEqual({ dbdata: {} });
    expect(tree.networks).toEqual({ back: {} });
    expect(locate(result.tree, ['services', 'db', 'image'])).toEqual({ file: `${dir}/inc/compose.yaml`, line: 3, col: 12 });
  });

  test('the including project\'s variables must win over the include\'s .env', async () => {
    const dir = project({
      'compose.yaml': 'include: [inc/compose.yaml]\n',
      'inc/compose.yaml': 'services:\n  db: {image: "db:${TAG}"}\n',
      'inc/.env': 'TAG=inc\n',
      '.env': 'TAG=parent\n',
    });
    expect(services(await loadIn(dir)).db.image).toBe('db:parent');
  });

  test('the long form must honour project_directory, env_file and several paths', async () => {
    const dir = project({
      'compose.yaml': 'include:\n  - path: [lib/a.yaml, lib/b.yaml]\n    project_directory: other\n    env_file: vars.env\n',
      'lib/a.yaml': 'services:\n  a: {image: "a:${V}", volumes: ["./x:/x"]}\n',
      'lib/b.yaml': 'services:\n  a: {environment: [B=1]}\n',
      'vars.env': 'V=fromvars\n',
    });
    const a = services(await loadIn(dir)).a;
    expect(a).toEqual({ image: 'a:fromvars', volumes: [`${dir}/other/x:/x`], environment: ['B=1'] });
  });

  test('nested includes must resolve relative to each include\'s project directory', async () => {
    const dir = project({
      'compose.yaml': 'include: [one/compose.yaml]\n',
      'one/compose.yaml': 'include: [two/compose.yaml]\nservices:\n  one: {image: one}\n',
      'one/two/compose.yaml': 'services:\n  two: {image: two, env_file: [t.env]}\n',
      'one/two/t.env': 'T=2\n',
    });
    const all = services(await loadIn(dir));
    expect(Object.keys(all).sort()).toEqual(['one', 'two']);
    expect(all.two.environment).toEqual({ T: '2' });
  });

  test('a resource defined differently by the project and an include must be a conflict', async () => {
    const dir = project({ 'compose.yaml': 'include: [o.yaml]\nservices:\n  q: {image: z}\n', 'o.yaml': 'services:\n  q: {image: y}\n' });
    const problem = (await loadError(dir)).problems[0];
    expect(problem).toMatchObject({ path: 'services.q', message: 'services.q conflicts with imported resource', location: { line: 3, col: 3 } });
  });

  test('an identical definition must not be a conflict', async () => {
    const dir = project({ 'compose.yaml': 'include: [o.yaml]\nnetworks:\n  n: {driver: bridge}\n', 'o.yaml': 'services:\n  q: {image: y}\nnetworks:\n  n: {driver: bridge}\n' });
    expect((await loadIn(dir)).tree.networks).toEqual({ n: { driver: 'bridge' } });
  });

  test('a cycle must fail with Compose\'s message', async () => {
    const dir = project({ 'i1.yaml': 'include: [i2.yaml]\nservices:\n  a: {image: x}\n', 'i2.yaml': 'include: [i1.yaml]\nservices:\n  b: {image: x}\n' });
    const problem = (await loadError(dir, { files: ['i1.yaml'] })).problems[0];
    expect(problem.message).toBe(`include cycle detected:\n${dir}/i1.yaml\n include ${dir}/i2.yaml\n include ${dir}/i1.yaml`);
  });

  test('a missing included file must be reported at the include entry', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  a: {image: x}\ninclude:\n  - nope.yaml\n' });
    const problem = (await loadError(dir)).problems[0];
    expect(problem).toMatchObject({ message: `open ${dir}/nope.yaml: no such file or directory`, location: { line: 4, col: 5 } });
  });

  test('a malformed include must be left for the validator', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  a: {image: x}\ninclude: nope.yaml\n' });
    expect((await loadIn(dir)).tree.include).toBe('nope.yaml');
  });
});
