import { problemLines } from '../support/project-from-yaml.js';

describe('rule: dependency cycles', () => {
  test('a cycle must be reported once with its whole path', () => {
    const yaml = 'services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [c]}\n  c: {image: x, depends_on: [a]}\n';
    expect(problemLines(yaml)).toEqual(['services.a.depends_on[0]: dependency cycle detected: a -> b -> c -> a']);
  });

  test('a service depending on itself must be a cycle', () => {
    expect(problemLines('services:\n  a: {image: x, depends_on: [a]}\n')).toEqual([
      'services.a.depends_on[0]: dependency cycle detected: a -> a',
    ]);
  });

  test('implicit dependencies (links, network_mode, volumes_from) must close cycles too', () => {
    const yaml = 'services:\n  a: {image: x, links: [b]}\n  b: {image: x, network_mode: "service:c"}\n  c: {image: x, volumes_from: [a]}\n';
    expect(problemLines(yaml)).toEqual(['services.a.links[0]: dependency cycle detected: a -> b -> c -> a']);
  });

  test('two separate cycles must both be reported', () => {
    const yaml = 'services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [a]}\n  c: {image: x, depends_on: [d]}\n  d: {image: x, depends_on: [c]}\n';
    expect(problemLines(yaml)).toEqual([
      'services.a.depends_on[0]: dependency cycle detected: a -> b -> a',
      'services.c.depends_on[0]: dependency cycle detected: c -> d -> c',
    ]);
  });

  test('a diamond must not be mistaken for a cycle', () => {
    const yaml = 'services:\n  a: {image: x, depends_on: [b, c]}\n  b: {image: x, depends_on: [d]}\n  c: {image: x, depends_on: [d]}\n  d: {image: x}\n';
    expect(problemLines(yaml)).toEqual([]);
  });
});
