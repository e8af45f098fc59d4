/**
 * Every wait is bounded and explains itself (T13, T14): unhealthy, stuck, exited and
 * non-completing dependencies, optional dependencies, and `up --wait` on a crash loop, a steady
 * service and a service that never becomes healthy.
 */
import { jest } from '@jest/globals';
import type { CliResult } from '../support/run-cli.js';
import { fixture, statusOf, TestProject } from './lifecycle-support.js';

jest.setTimeout(90_000);

/**
 * "Failed fast, did not hang": a failure must come well before the deadlines it must not wait
 * for (the 300 s default wait deadline, the 60 s one these tests set, a healthcheck that never
 * settles), yet with room for a slow CLI start and slow containers on a busy machine.
 */
const WELL_BEFORE_ANY_DEADLINE_MS = 30_000;

const dir = fixture('waits');
const projects = Array.from({ length: 8 }, (_, index) => new TestProject(`tscl-w${index + 1}`, dir));

async function timedRun(project: TestProject, args: string[], env: Record<string, string> = {}): Promise<{ result: CliResult; elapsed: number }> {
  const started = Date.now();
  const result = await project.run(args, { env });
  return { result, elapsed: Date.now() - started };
}

beforeAll(async () => {
  await Promise.all(projects.map((project) => project.cleanup()));
});

afterAll(async () => {
  await Promise.all(projects.map((project) => project.cleanup()));
});

describe('P13: depends_on waits are bounded and name the dependency (T13)', () => {
  test('an unhealthy dependency must fail the run within retries x interval, naming it and showing its health output', async () => {
    // The deadline is a minute: only the unhealthy state (after 2 probes 0.5 s apart) ends it sooner.
    const { result, elapsed } = await timedRun(projects[0], ['up', '-d', 'needs-unhealthy'], { TSCOMPOSE_WAIT_TIMEOUT: '60' });
    expect(result.code).toBe(1);
    expect(elapsed).toBeLessThan(WELL_BEFORE_ANY_DEADLINE_MS);
    expect(result.stderr).toContain('dependency failed to start: container tscl-w1-unhealthy-1 is unhealthy');
    expect(result.stderr).toContain('database is not ready');
    expect(await statusOf('tscl-w1')).toEqual(['tscl-w1-needs-unhealthy-1 created', 'tscl-w1-unhealthy-1 running']);
  });

  test('a dependency stuck in starting must fail at the default deadline with its last health output', async () => {
    const { result, elapsed } = await timedRun(projects[1], ['up', '-d', 'needs-stuck'], { TSCOMPOSE_WAIT_TIMEOUT: '2' });
    expect(result.code).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    // Not the 300 s default, nor the 50000 s its retries allow.
    expect(elapsed).toBeLessThan(WELL_BEFORE_ANY_DEADLINE_MS);
    expect(result.stderr).toContain('dependency "stuck" of "needs-stuck" did not become healthy within 2s');
    expect(result.stderr).toContain('container tscl-w2-stuck-1 is still starting');
    expect(result.stderr).toContain('still warming up');
  });

  test('--wait-timeout must also bound the waits on dependencies', async () => {
    const { result, elapsed } = await timedRun(projects[1], ['up', '-d', '--wait-timeout', '1', 'needs-stuck']);
    expect(result.code).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(WELL_BEFORE_ANY_DEADLINE_MS);
    expect(result.stderr).toContain('dependency "stuck" of "needs-stuck" did not become healthy within 1s');
  });

  test('a dependency that exits must fail the run at once with its exit code and last log lines', async () => {
    const { result, elapsed } = await timedRun(projects[2], ['up', '-d', 'needs-crashes'], { TSCOMPOSE_WAIT_TIMEOUT: '60' });
    expect(result.code).toBe(1);
    expect(elapsed).toBeLessThan(WELL_BEFORE_ANY_DEADLINE_MS);
    expect(result.stderr).toContain('dependency failed to start: container tscl-w3-crashes-1 exited (3)');
    expect(result.stderr).toContain('cannot open config');
  });

  test('a dependency that does not complete successfully must fail with its exit code', async () => {
    const { result } = await timedRun(projects[3], ['up', '-d', 'needs-completion']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('service "crashes" didn\'t complete successfully: exit 3');
    expect(await statusOf('tscl-w4')).toEqual(['tscl-w4-crashes-1 exited', 'tscl-w4-needs-completion-1 created']);
  });

  test('an optional dependency that fails must only warn, and its dependent must start', async () => {
    const { result } = await timedRun(projects[4], ['up', '-d', 'needs-optional']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(' Container tscl-w5-unhealthy-1  Warning dependency failed to start: container tscl-w5-unhealthy-1 is unhealthy');
    expect(await statusOf('tscl-w5')).toEqual(['tscl-w5-needs-optional-1 running', 'tscl-w5-unhealthy-1 running']);
  });
});

describe('P14: up --wait reports only stable services (T14)', () => {
  test('up --wait must fail for a crash-looping service, with its last log lines', async () => {
    const { result, elapsed } = await timedRun(projects[5], ['up', '-d', '--wait', 'crash-loop'], { TSCOMPOSE_WAIT_TIMEOUT: '60' });
    expect(result.code).toBe(1);
    expect(elapsed).toBeLessThan(WELL_BEFORE_ANY_DEADLINE_MS);
    expect(result.stderr).toMatch(/container tscl-w6-crash-loop-1 (keeps exiting and being restarted|exited \(4\))/);
    expect(result.stderr).toContain('giving up');
  });

  test('up --wait must accept a steady service without a healthcheck only after it ran without restarting', async () => {
    const { result, elapsed } = await timedRun(projects[6], ['up', '-d', '--wait', 'steady']);
    expect(result.code).toBe(0);
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    const [steady] = await projects[6].containers();
    expect(steady.status).toBe('running');
    expect(steady.restartCount).toBe(0);
  });

  test('up --wait --wait-timeout must fail with Compose\'s message for a service that never becomes healthy', async () => {
    const { result, elapsed } = await timedRun(projects[7], ['up', '-d', '--wait', '--wait-timeout', '2', 'stuck']);
    expect(result.code).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    expect(elapsed).toBeLessThan(WELL_BEFORE_ANY_DEADLINE_MS);
    expect(result.stderr).toContain('error: application not healthy after 2s');
    expect(result.stderr).toContain('container tscl-w8-stuck-1 is still starting');
  });
});
