import { problemLines } from '../support/project-from-yaml.js';

describe('rule: container names', () => {
  test('a name the engine refuses must be reported with its rule', () => {
    expect(problemLines('services:\n  a: {image: x, container_name: "-bad"}\n')).toEqual([
      'services.a.container_name: Invalid container name (-bad), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed',
    ]);
  });

  test('a container name on a service with several replicas must be reported', () => {
    expect(problemLines('services:\n  a: {image: x, container_name: one, deploy: {replicas: 2}}\n')).toEqual([
      'services.a.container_name: can\'t set container_name "one" on service "a" with 2 replicas: container names must be unique',
    ]);
  });

  test('two enabled services with one container name must be reported at the second', () => {
    expect(problemLines('services:\n  a: {image: x, container_name: same}\n  b: {image: x, container_name: same}\n')).toEqual([
      'services.b.container_name: container name "same" is already used by service "a"',
    ]);
  });

  test('services in alternative profiles may share a container name', () => {
    const yaml = 'services:\n  a: {image: x, container_name: same, profiles: [x]}\n  b: {image: x, container_name: same, profiles: [y]}\n';
    expect(problemLines(yaml, { profiles: ['x'] })).toEqual([]);
  });
});
