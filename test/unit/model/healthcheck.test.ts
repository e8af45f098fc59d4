import { serviceFrom } from './support.js';

const healthcheck = (value: string) => serviceFrom(`services:\n  s:\n    image: x\n    healthcheck: ${value}\n`).healthcheck;

describe('healthcheck', () => {
  test('a string test must run through the shell', () => {
    expect(healthcheck('{test: "curl -f http://localhost"}')).toEqual({ test: ['CMD-SHELL', 'curl -f http://localhost'] });
  });

  test('a list test must be kept', () => {
    expect(healthcheck('{test: [CMD, pg_isready]}')?.test).toEqual(['CMD', 'pg_isready']);
  });

  test('durations must become nanoseconds and retries a number, even 0', () => {
    expect(healthcheck('{interval: 1m30s, timeout: 500ms, start_period: 2h, start_interval: 1s, retries: 0}')).toEqual({
      interval: 90e9,
      timeout: 500e6,
      start_period: 7200e9,
      start_interval: 1e9,
      retries: 0,
    });
  });

  test('disable must be kept', () => {
    expect(healthcheck('{disable: true}')).toEqual({ disable: true });
  });
});
