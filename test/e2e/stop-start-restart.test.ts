/**
 * stop, start and restart: stop signal, grace period and -t (T12), order, start with conditions,
 * restart of `restart: true` dependents and --no-deps, restart not applying changes, and the
 * commands working with only -p.
 */
import { jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from '../support/docker-cli.js';
import { eventsDuring, killSignals } from './container-events.js';
import { fixture, TestProject, type ContainerState } from './lifecycle-support.js';

jest.setTimeout(90_000);

const project = new TestProject('tscl-ssr', fixture('stop-start'));
const emptyDir = mkdtempSync(join(tmpdir(), 'tscl-empty-'));

async function services(): Promise<Record<string, ContainerState>> {
  return Object.fromEntries((await project.containers()).map((container) => [container.service, container]));
}

async function timed(args: string[]): Promise<number> {
  const started = Date.now();
  await project.ok(args);
  return Date.now() - started;
}

beforeAll(async () => {
  await project.cleanup();
  await project.ok(['up', '-d']);
});

afterAll(async () => {
  await project.cleanup();
  rmSync(emptyDir, { recursive: true, force: true });
});

describe('P12: stop signal, grace period and -t, then SIGKILL (T12)', () => {
  test('stop must wait for stop_grace_period, then kill a container that ignores its stop signal', async () => {
    const { result: elapsed, events } = await eventsDuring('tscl-ssr-stubborn-1', 'stop', () => timed(['stop', 'stubborn']));
    const { stubborn, app } = await services();
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    expect(stubborn.status).toBe('exited');
    expect(stubborn.exitCode).toBe(137);
    // The engine's own clock, not a stopwatch around a CLI run on a busy machine: SIGTERM, then
    // SIGKILL after the 2 s grace period, well before the 10 s the engine's default would take.
    expect(killSignals(events)).toEqual(['15', '9']);
    const [term, kill] = events.filter((event) => event.action === 'kill').map((event) => event.timeMs);
    expect(kill - term).toBeGreaterThanOrEqual(2000);
    expect(kill - term).toBeLessThan(6000);
    // Only the service named.
    expect(app.status).toBe('running');
  });

  test('stop must send the stop_signal of the service', async () => {
    const { events } = await eventsDuring('tscl-ssr-polite-1', 'stop', () => project.ok(['stop', 'polite']));
    const { polite } = await services();
    // SIGUSR1 (10) ended it by itself: exit code 0, no SIGKILL after a grace period.
    expect(killSignals(events)).toEqual(['10']);
    expect(polite.exitCode).toBe(0);
  });

  test('-t must override stop_grace_period', async () => {
    // Its grace period is 60 s: only -t 0 makes the stop this quick, even on a busy machine.
    const elapsed = await timed(['stop', '-t', '0', 'stubborn-long']);
    expect(elapsed).toBeLessThan(30_000);
    expect((await services())['stubborn-long'].exitCode).toBe(137);
  });

  test('stop must stop dependents before their dependencies', async () => {
    await project.ok(['stop', 'db', 'app', 'other']);
    const { db, app, other } = await services();
    expect([db.status, app.status, other.status]).toEqual(['exited', 'exited', 'exited']);
    expect(Date.parse(app.finishedAt)).toBeLessThanOrEqual(Date.parse(db.finishedAt));
    expect(Date.parse(other.finishedAt)).toBeLessThanOrEqual(Date.parse(db.finishedAt));
  });
});

describe('start', () => {
  test('start SERVICE must start its dependencies first and wait for their conditions', async () => {
    const result = await project.ok(['start', 'app']);
    const { db, app, other } = await services();
    expect([db.status, app.status, other.status]).toEqual(['running', 'running', 'exited']);
    const lines = result.stderr.split('\n');
    expect(lines.indexOf(' Container tscl-ssr-db-1  Healthy')).toBeGreaterThan(-1);
    expect(lines.indexOf(' Container tscl-ssr-db-1  Healthy')).toBeLessThan(lines.indexOf(' Container tscl-ssr-app-1  Started'));
  });

  test('start of a service that has no container must fail and start nothing', async () => {
    await docker('rm', '-f', 'tscl-ssr-other-1');
    const result = await project.run(['start', 'other']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('service "other" has no container to start');
    await project.ok(['up', '-d', 'other']);
  });
});

describe('restart', () => {
  test('restart must also restart the services that depend on it with restart: true', async () => {
    const before = await services();
    await project.ok(['restart', '-t', '0', 'db']);
    const after = await services();
    expect(after.db.startedAt).not.toBe(before.db.startedAt);
    expect(after.app.startedAt).not.toBe(before.app.startedAt);
    expect(after.other.startedAt).toBe(before.other.startedAt);
  });

  test('restart --no-deps must restart only the services named', async () => {
    const before = await services();
    await project.ok(['restart', '--no-deps', '-t', '0', 'db']);
    const after = await services();
    expect(after.db.startedAt).not.toBe(before.db.startedAt);
    expect(after.app.startedAt).toBe(before.app.startedAt);
  });

  test('restart must not apply configuration changes', async () => {
    const before = await services();
    await project.ok(['restart', '-t', '0', 'app'], { env: { MODE: 'b' } });
    const after = await services();
    expect(after.app.id).toBe(before.app.id);
    expect(after.app.env).toContain('MODE=a');
    expect(after.app.startedAt).not.toBe(before.app.startedAt);
  });

  test('restart and stop must work with only -p and no compose file', async () => {
    const before = await services();
    await project.ok(['restart', '-t', '0', 'other'], { cwd: emptyDir });
    expect((await services()).other.startedAt).not.toBe(before.other.startedAt);
    await project.ok(['stop', '-t', '0'], { cwd: emptyDir });
    expect(Object.values(await services()).map((container) => container.status)).toEqual(['exited', 'exited', 'exited', 'exited', 'exited', 'exited']);
  });
});
