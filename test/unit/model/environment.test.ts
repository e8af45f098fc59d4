import { serviceFrom } from './support.js';

const environment = (value: string, env?: Record<string, string>) =>
  serviceFrom(`services:\n  s:\n    image: x\n    environment: ${value}\n`, 's', { environment: env }).environment;

describe('environment', () => {
  test('the list form must become a map, splitting at the first =', () => {
    expect(environment('[FOO=bar, "WITH=a=b", EMPTY=]')).toEqual({ EMPTY: '', FOO: 'bar', WITH: 'a=b' });
  });

  test('a valueless entry must come from the environment, or be null when unset there', () => {
    expect(environment('[FROM_SHELL, MISSING]', { FROM_SHELL: 'shell' })).toEqual({ FROM_SHELL: 'shell', MISSING: null });
  });

  test('map values must be strings in their YAML spelling, null resolved like the list form', () => {
    expect(environment('{NUM: 1, FLOAT: 1.5, BOOL: true, OCTAL: 0755, ONE: 1.0, NULLED: , HOME: }')).toEqual({
      BOOL: 'true',
      FLOAT: '1.5',
      HOME: '/home/dev',
      NULLED: null,
      NUM: '1',
      OCTAL: '493',
      ONE: '1',
    });
  });

  test('values must keep their spaces', () => {
    expect(environment('["SPACED=  padded"]')).toEqual({ SPACED: '  padded' });
  });
});
