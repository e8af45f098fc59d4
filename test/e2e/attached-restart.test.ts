/**
 * Containers that stop and start again while `up` is attached: a restart policy's runs are all
 * shown (Compose 2.26 loses the first line of each and their exit codes), and a broken engine
 * connection (reliability F5) is followed again from where it broke off, with a one-line notice.
 */
import { jest } from '@jest/globals';
import { resolveEndpoint } from '../../src/apply/endpoint.js';
import { CliRun, CRASH } from './attached-support.js';
import { FaultProxy } from './fault-proxy.js';
import { fixture, statusOf, TestProject } from './lifecycle-support.js';

jest.setTimeout(60_000);

const restart = new TestProject('tsca-restart', fixture('attached-restart'));
const gap = new TestProject('tsca-gap', fixture('attached-gap'));
const endpoint = resolveEndpoint(process.env).endpoint;
if (endpoint.kind !== 'unix') throw new Error('attached-restart.test.ts cuts connections on a unix socket; the engine under test is not on one');
const proxy = new FaultProxy(endpoint.socketPath);

beforeAll(async () => {
  await Promise.all([restart.cleanup(), gap.cleanup(), proxy.start()]);
});

afterAll(async () => {
  await Promise.all([restart.cleanup(), gap.cleanup(), proxy.close()]);
});

describe('attached up across restarts and broken connections', () => {
  test('every run of a restart policy must show all its lines and its exit, and up must return after the last', async () => {
    const result = await restart.run(['up']);
    expect(result.code).toBe(0);
    const runs = ['flaky-1  | run-begins', 'flaky-1  | run-ends', 'flaky-1 exited with code 2'];
    expect(result.stdout).toBe(`Attaching to flaky-1\n${[...runs, ...runs, ...runs].join('\n')}\n`);
    expect(await statusOf('tsca-restart')).toEqual(['tsca-restart-flaky-1 exited']);
  });

  test('cutting the engine connections must not end up nor lose a line: it re-subscribes, says so, and goes on', async () => {
    const run = new CliRun(gap, ['up'], { env: { DOCKER_HOST: proxy.url } });
    await run.waitFor('stdout', 'ticker-1  | tick 4\n');
    expect(proxy.cut(/\/(events|attach|logs)/)).toBeGreaterThanOrEqual(2);
    const result = await run.finished;
    expect({ code: result.code, crash: CRASH.test(result.stderr) }).toEqual({ code: 0, crash: false });
    expect(result.stderr.match(/event stream broke off; subscribed again/g)).toHaveLength(1);
    const ticks = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('ticker-1  | tick '))
      .map((line) => Number(line.slice('ticker-1  | tick '.length)));
    expect(ticks).toEqual(Array.from({ length: 16 }, (_, index) => index + 1));
    expect(result.stdout).toContain('ticker-1 exited with code 3\n');
  });
});
