import { problemLines } from '../support/project-from-yaml.js';

describe('rule: negative cpus', () => {
  test('negative cpus must be reported, also as a string and under deploy', () => {
    const yaml = 'services:\n  a: {image: x, cpus: "-0.5", deploy: {resources: {limits: {cpus: "-0.5"}, reservations: {cpus: -1}}}}\n';
    expect(problemLines(yaml)).toEqual([
      'services.a.cpus: cpus must not be negative, got -0.5',
      'services.a.deploy.resources.limits.cpus: cpus must not be negative, got -0.5',
      'services.a.deploy.resources.reservations.cpus: cpus must not be negative, got -1',
    ]);
  });

  test('zero and fractions must be accepted', () => {
    expect(problemLines('services:\n  a: {image: x, cpus: 0}\n  b: {image: x, cpus: .25}\n')).toEqual([]);
  });
});
