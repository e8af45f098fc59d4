import { abortMode, AbortPolicy } from '../../../../src/commands/attached/abort-policy.js';

describe('abortMode', () => {
  test('--exit-code-from must imply --abort-on-container-exit, unless --abort-on-container-failure was asked for', () => {
    expect(abortMode({ abortOnContainerExit: false })).toBe('never');
    expect(abortMode({ abortOnContainerExit: false, exitCodeFrom: 'tests' })).toBe('exit');
    expect(abortMode({ abortOnContainerExit: false, abortOnContainerFailure: true, exitCodeFrom: 'tests' })).toBe('failure');
  });
});

describe('AbortPolicy', () => {
  test('without abort flags, no exit must stop the run and the exit code must be 0', () => {
    const policy = new AbortPolicy('never');
    expect(policy.record('tests', 3, true)).toBe(false);
    expect(policy.exitCode()).toBe(0);
  });

  test('abort on exit must trigger once, at the first exit, and return its code', () => {
    const policy = new AbortPolicy('exit');
    expect(policy.record('ok', 0, true)).toBe(true);
    expect(policy.record('tests', 3, true)).toBe(false);
    expect(policy.exitCode()).toBe(0);
  });

  test('abort on failure must let clean exits pass and trigger at the first non-zero one', () => {
    const policy = new AbortPolicy('failure');
    expect(policy.record('ok', 0, true)).toBe(false);
    expect(policy.record('tests', 3, true)).toBe(true);
    expect(policy.exitCode()).toBe(3);
  });

  test('only containers the run waits for must trigger an abort', () => {
    const policy = new AbortPolicy('exit');
    expect(policy.record('db', 1, false)).toBe(false);
    expect(policy.triggered).toBe(false);
  });

  test("--exit-code-from must return that service's first exit, even when another one triggered the abort", () => {
    const policy = new AbortPolicy('exit', 'server');
    expect(policy.record('tests', 3, true)).toBe(true);
    expect(policy.record('server', 143, true)).toBe(false);
    expect(policy.record('server', 0, true)).toBe(false);
    expect(policy.exitCode()).toBe(143);
  });

  test('--exit-code-from must fall back to the triggering code when that service never exited', () => {
    const policy = new AbortPolicy('exit', 'server');
    policy.record('tests', 3, true);
    expect(policy.exitCode()).toBe(3);
  });
});
