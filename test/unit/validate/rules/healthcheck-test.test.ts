import { problemLines } from '../support/project-from-yaml.js';

describe('rule: healthcheck test', () => {
  test('a list not starting with NONE, CMD or CMD-SHELL must be reported at its first item', () => {
    expect(problemLines('services:\n  a: {image: x, healthcheck: {test: [curl, localhost]}}\n')).toEqual([
      'services.a.healthcheck.test[0]: healthcheck.test must start either by "CMD", "CMD-SHELL" or "NONE"',
    ]);
  });

  test('CMD without a command must be reported', () => {
    expect(problemLines('services:\n  a: {image: x, healthcheck: {test: [CMD]}}\n')).toEqual([
      'services.a.healthcheck.test: healthcheck.test CMD needs a command after it',
    ]);
  });

  test('strings, NONE, CMD and CMD-SHELL forms must be accepted', () => {
    const yaml = `services:
  a: {image: x, healthcheck: {test: "curl -f localhost"}}
  b: {image: x, healthcheck: {test: [NONE]}}
  c: {image: x, healthcheck: {test: [CMD, curl, localhost]}}
  d: {image: x, healthcheck: {test: [CMD-SHELL, "curl localhost || exit 1"]}}
`;
    expect(problemLines(yaml)).toEqual([]);
  });
});
