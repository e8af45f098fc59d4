import { problemLines } from '../support/project-from-yaml.js';

describe('rule: image or build', () => {
  test('a service with neither image nor build must be reported', () => {
    expect(problemLines('services:\n  a:\n    command: echo\n')).toEqual([
      'services.a: service "a" has neither an image nor a build context specified',
    ]);
  });

  test('build alone, image alone and provider services must be accepted (provider is refused by another rule)', () => {
    expect(problemLines('services:\n  a: {build: .}\n  b: {image: x}\n  c: {provider: {type: model}}\n')).toEqual([
      'services.c.provider: tscompose does not support provider services (newer Compose: resources made by an external provider)',
    ]);
  });

  test('a disabled service without an image must not be reported', () => {
    expect(problemLines('services:\n  a: {image: x}\n  b: {profiles: [p], command: echo}\n')).toEqual([]);
  });

  test('a misspelt image key must be reported once, as the misspelling', () => {
    expect(problemLines('services:\n  a:\n    imagee: nginx\n')).toEqual(['services.a.imagee: Additional property imagee is not allowed']);
  });
});
