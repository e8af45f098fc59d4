/** validate(): every problem at once, sorted, and never thrown off by a malformed tree. */
import { sortProblems, validate } from '../../../src/validate/index.js';
import { projectFromYaml } from './support/project-from-yaml.js';

describe('validate', () => {
  test('one file with several problems must report all of them at once', () => {
    const yaml = `services:
  web:
    image: nginx
    imagee: nginx
    ports: ["abc:80"]
    restart: sometimes
    depends_on: [cache]
  db:
    mem_limit: lots
    volumes: ["data:/data"]
    networks: [back]
volumes: {}
foo: 1
`;
    expect(validate(projectFromYaml(yaml)).map((p) => `${p.location?.line}:${p.location?.col} ${p.path}`)).toEqual([
      '4:5 services.web.imagee',
      '5:13 services.web.ports[0]',
      '6:14 services.web.restart',
      '7:18 services.web.depends_on[0]',
      '8:3 services.db',
      '9:16 services.db.mem_limit',
      '10:15 services.db.volumes[0]',
      '11:16 services.db.networks[0]',
      '13:1 foo',
    ]);
  });

  test('problems must be sorted by the order of the compose files, then by position', () => {
    const at = (file: string, line: number, col: number) => ({ path: `${file}:${line}:${col}`, message: 'm', location: { file, line, col } });
    const sorted = sortProblems(
      [at('b.override.yaml', 1, 1), { path: 'nowhere', message: 'm' }, at('a.yaml', 2, 5), at('a.yaml', 2, 1), at('z.yaml', 1, 1)],
      ['a.yaml', 'b.override.yaml'],
    );
    expect(sorted.map((p) => p.path)).toEqual(['a.yaml:2:1', 'a.yaml:2:5', 'b.override.yaml:1:1', 'z.yaml:1:1', 'nowhere']);
  });

  test.each([
    ['services is a list', 'services: [a, b]\n'],
    ['a service is null', 'services:\n  a:\n'],
    ['every attribute has the wrong shape', 'services:\n  a:\n    image: x\n    ports: {a: 1}\n    volumes: 3\n    depends_on: 7\n    networks: "n"\n    links: {a: b}\n    deploy: [1]\n    healthcheck: {test: {a: 1}}\n    develop: {watch: {a: 1}}\n    expose: {a: 1}\nvolumes: [1]\nnetworks: 1\n'],
    ['list entries have the wrong shape', 'services:\n  a:\n    image: x\n    ports: [[1], null, true]\n    volumes: [[], null, 1]\n    depends_on: [[1], {a: 1}]\n    secrets: [1, [2]]\n    develop: {watch: [1, null, {action: 1}]}\n'],
  ])('a tree where %s must give problems, not an exception', (_, yaml) => {
    expect(validate(projectFromYaml(yaml)).length).toBeGreaterThan(0);
  });

  test('a problem without a known position must still be reported', () => {
    const problems = validate({ tree: { services: { a: {} } }, enabledServices: ['a'], activeProfiles: [], configFiles: [] });
    expect(problems).toEqual([
      expect.objectContaining({ path: 'services.a', message: 'service "a" has neither an image nor a build context specified' }),
    ]);
    expect(problems[0].location).toBeUndefined();
  });
});

describe('validate without interpolation', () => {
  const yaml = 'services:\n  a:\n    image: x\n    cpus: ${CPUS:-1}\n    ports: ["${P:-80}:80"]\n    restart: $RESTART\n    mem_limit: lots\n    stop_signal: $$HOME\n';

  test('values holding variables must not be judged when the tree was not interpolated', () => {
    expect(validate(projectFromYaml(yaml), { interpolated: false }).map((p) => p.path)).toEqual(['services.a.mem_limit']);
  });

  test('the same values must be judged by default', () => {
    expect(validate(projectFromYaml(yaml)).map((p) => p.path)).toEqual([
      'services.a.cpus',
      'services.a.ports[0]',
      'services.a.restart',
      'services.a.mem_limit',
    ]);
  });
});
