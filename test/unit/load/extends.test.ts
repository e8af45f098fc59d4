import { locate } from '../../../src/load/located.js';
import { loadError, loadIn, project, services } from './load-helpers.js';

describe('extends', () => {
  test('a service must extend another of the same file, its own values winning', async () => {
    const dir = project({
      'compose.yaml': [
        'services:',
        '  base:',
        '    image: busybox',
        '    environment: {A: "1", B: "1"}',
        '    depends_on: [db]',
        '  web:',
        '    extends: base',
        '    environment: {B: "2"}',
        '  db: {image: db}',
      ].join('\n'),
    });
    const web = services(await loadIn(dir)).web;
    expect(web).toEqual({ image: 'busybox', environment: { A: '1', B: '2' }, depends_on: ['db'] });
  });

  test('the mapping form without file must work like the short form', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  base: {image: b}\n  web: {extends: {service: base}, command: run}\n' });
    expect(services(await loadIn(dir)).web).toEqual({ image: 'b', command: 'run' });
  });

  test('chained extends must be resolved whatever the order of the services', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  c: {extends: b, command: c}\n  b: {extends: a, environment: [B=1]}\n  a: {image: a, environment: [A=1]}\n' });
    expect(services(await loadIn(dir)).c).toEqual({ image: 'a', environment: ['A=1', 'B=1'], command: 'c' });
  });

  test('a base used twice must not be shared between the extending services', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  base: {image: b, environment: [A=1]}\n  x: {extends: base, environment: [X=1]}\n  y: {extends: base, environment: [Y=1]}\n' });
    const all = services(await loadIn(dir));
    expect([all.base.environment, all.x.environment, all.y.environment]).toEqual([['A=1'], ['A=1', 'X=1'], ['A=1', 'Y=1']]);
  });

  test('a base from another file must have its relative paths made absolute against that file', async () => {
    const dir = project({
      'compose.yaml': 'services:\n  web:\n    extends: {file: lib/base.yaml, service: base}\n    volumes: [./mine:/mine]\n',
      'lib/base.yaml': 'services:\n  base:\n    image: "busybox:${TAG}"\n    build: ./ctx\n    volumes: ["./data:/data", "named:/n", "/abs:/abs"]\n    env_file: [e.env]\n',
      'lib/e.env': 'E=1\n',
    });
    const result = await loadIn(dir, { env: { TAG: 'x' } });
    expect(services(result).web).toEqual({
      image: 'busybox:x',
      build: `${dir}/lib/ctx`,
      volumes: [`${dir}/lib/data:/data`, 'named:/n', '/abs:/abs', './mine:/mine'],
      environment: { E: '1' },
    });
    expect(locate(result.tree, ['services', 'web', 'image'])).toEqual({ file: `${dir}/lib/base.yaml`, line: 3, col: 12 });
    expect(locate(result.tree, ['services', 'web', 'volumes', 3])).toEqual({ file: `${dir}/compose.yaml`, line: 4, col: 15 });
  });

  test('extends across two files must rebase each file\'s paths against its own directory', async () => {
    const dir = project({
      'compose.yaml': 'services:\n  web: {extends: {file: a/a.yaml, service: a}}\n',
      'a/a.yaml': 'services:\n  a: {extends: {file: ../b/b.yaml, service: b}, volumes: ["./a:/a"]}\n',
      'b/b.yaml': 'services:\n  b: {image: b, volumes: ["./b:/b"]}\n',
    });
    expect(services(await loadIn(dir)).web.volumes).toEqual([`${dir}/b/b:/b`, `${dir}/a/a:/a`]);
  });

  test('!reset in the extending service must remove an inherited value', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  base: {image: b, ports: ["80:80"]}\n  web: {extends: base, ports: !reset []}\n' });
    expect(services(await loadIn(dir)).web).toEqual({ image: 'b' });
  });

  test('an unknown base must fail with Compose\'s message at the extends key', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  a:\n    image: x\n    extends: nope\n' });
    const problem = (await loadError(dir)).problems[0];
    expect(problem).toMatchObject({
      path: 'services.a.extends',
      message: `cannot extend service "a" in ${dir}/compose.yaml: service "nope" not found`,
      location: { file: `${dir}/compose.yaml`, line: 4, col: 14 },
    });
  });

  test('an unknown base in another file must name that file', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  a: {extends: {file: o.yaml, service: zz}}\n', 'o.yaml': 'services:\n  q: {image: y}\n' });
    expect((await loadError(dir)).problems[0].message).toBe(`cannot extend service "a" in ${dir}/compose.yaml: service "zz" not found in o.yaml`);
  });

  test('a missing extended file must fail like Compose', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  a: {extends: {file: missing.yaml, service: a}}\n' });
    expect((await loadError(dir)).problems[0].message).toBe(`open ${dir}/missing.yaml: no such file or directory`);
  });

  test('a cycle must be reported once, with the whole chain', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  a: {image: x, extends: b}\n  b: {extends: c}\n  c: {extends: a}\n' });
    const problems = (await loadError(dir)).problems;
    const f = `${dir}/compose.yaml`;
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toBe(`Circular reference:\n  a in ${f}\n  extends b in ${f}\n  extends c in ${f}\n  extends a in ${f}`);
  });

  test('a malformed extends must be left for the validator', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  a: {image: x, extends: 42}\n' });
    expect(services(await loadIn(dir)).a).toEqual({ image: 'x', extends: 42 });
  });
});
