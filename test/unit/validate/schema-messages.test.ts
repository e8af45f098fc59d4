/** How schema errors read: Compose's wording, on the exact node, with a hint where one helps. */
import { validate } from '../../../src/validate/index.js';
import { problemLines, projectFromYaml } from './support/project-from-yaml.js';

describe('schema messages', () => {
  test('an unknown key must be reported at the key with the closest allowed key as a hint', () => {
    const [problem] = validate(projectFromYaml('services:\n  a:\n    image: x\n    dependson: [b]\n  b: {image: x}\n'));
    expect(problem).toEqual({
      path: 'services.a.dependson',
      message: 'Additional property dependson is not allowed',
      location: { file: 'compose.yaml', line: 4, col: 5 },
      hint: 'did you mean `depends_on`?',
    });
  });

  test('a key that belongs elsewhere must say where', () => {
    const [problem] = validate(projectFromYaml('services:\n  a:\n    image: x\n    replicas: 2\n'));
    expect(problem.hint).toBe('did you mean `deploy.replicas`?');
  });

  test('unknown keys in nested blocks must be checked against that block', () => {
    const yaml = 'services:\n  a:\n    build: {context: ., dockerfil: D}\n    deploy: {resouces: {}}\n    healthcheck: {intervall: 1s}\n';
    expect(validate(projectFromYaml(yaml)).map((p) => [p.path, p.hint])).toEqual([
      ['services.a.build.dockerfil', 'did you mean `dockerfile`?'],
      ['services.a.deploy.resouces', 'did you mean `resources`?'],
      ['services.a.healthcheck.intervall', 'did you mean `interval`?'],
    ]);
  });

  test('x- extensions must be allowed at the top level, in services and in nested blocks', () => {
    const yaml = 'x-top: 1\nservices:\n  a:\n    image: x\n    x-svc: 1\n    build: {context: ., x-b: 1}\n    deploy: {x-d: 1}\nnetworks:\n  n: {x-n: 1}\n';
    expect(problemLines(yaml)).toEqual([]);
  });

  test('a type union must be named the way Compose names it', () => {
    expect(problemLines('services:\n  a:\n    image: x\n    environment: {A: [1]}\n    command: {a: 1}\n')).toEqual([
      'services.a.environment.A: must be a string, number, boolean or null',
      'services.a.command: must be a string, list or null',
    ]);
  });

  test('a string where a list is expected must suggest the list form', () => {
    const [problem] = validate(projectFromYaml('services:\n  a:\n    image: x\n    cap_add: NET_ADMIN\n'));
    expect(problem.message).toBe('must be a list');
    expect(problem.hint).toBe('write it as a list, e.g. ["NET_ADMIN"]');
  });

  test('a number where a string is expected must suggest quoting it', () => {
    const [problem] = validate(projectFromYaml('services:\n  a:\n    image: x\n    user: 1000\n'));
    expect(problem.message).toBe('must be a string');
    expect(problem.hint).toBe('put it in quotes to make it a string: "1000"');
  });

  test('an enum error must list the values and suggest the closest', () => {
    const [problem] = validate(projectFromYaml('services:\n  a:\n    image: x\n    cgroup: privat\n'));
    expect(problem.message).toBe('must be one of the following: "host", "private"');
    expect(problem.hint).toBe('did you mean `private`?');
  });

  test('strings that must read as numbers or booleans must say so', () => {
    expect(problemLines('services:\n  a:\n    image: x\n    cpu_shares: lots\n    privileged: maybe\n    scale: 1.5\n')).toEqual([
      'services.a.cpu_shares: must be a number, got "lots"',
      'services.a.privileged: must be a boolean, got "maybe"',
      'services.a.scale: must be an integer',
    ]);
  });

  test('a bad service name must be reported at the key', () => {
    const [problem] = validate(projectFromYaml('services:\n  "web app":\n    image: x\n'));
    expect(problem).toMatchObject({
      path: 'services.web app',
      message: 'invalid service name "web app"',
      location: { line: 2, col: 3 },
    });
  });

  test('numeric bounds must be reported', () => {
    expect(problemLines('services:\n  a:\n    image: x\n    oom_score_adj: -2000\n    cpu_percent: 101\n')).toEqual([
      'services.a.oom_score_adj: must be at least -1000',
      'services.a.cpu_percent: must be at most 100',
    ]);
  });

  test('a missing required key must point at the block that lacks it', () => {
    const [problem] = validate(projectFromYaml('services:\n  a:\n    image: x\n    volumes:\n      - target: /x\n'));
    expect(problem).toMatchObject({ path: 'services.a.volumes[0]', message: 'type is required', location: { line: 5, col: 9 } });
  });
});
