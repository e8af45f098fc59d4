/**
 * Following containers' output (`logs -f`, attached `up`) against the in-memory engine: lines of
 * every followed container, a container that starts later, exit lines, stopped containers printed
 * once, and the end once nothing is left running. The real engine's side (and a broken
 * connection) is covered by the e2e tests.
 */
import { PassThrough } from 'node:stream';
import type { ContainerSummary } from '../../../src/apply/engine.js';
import { followLogs, type ContainerExit } from '../../../src/api/follow-logs.js';
import { LogPrinter } from '../../../src/commands/output/log-printer.js';
import { LABEL } from '../../../src/model/labels.js';
import { FakeEngine } from '../../support/fake-engine.js';

function labels(service: string, number = 1): Record<string, string> {
  return { [LABEL.project]: 'p', [LABEL.service]: service, [LABEL.containerNumber]: String(number), [LABEL.configHash]: 'hash', [LABEL.oneoff]: 'False' };
}

function follow(engine: FakeEngine, initial: readonly ContainerSummary[], signal = new AbortController().signal) {
  let text = '';
  const out = new PassThrough();
  out.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const exits: ContainerExit[] = [];
  const done = followLogs(
    engine,
    'p',
    initial,
    { printer: new LogPrinter({ out, color: false }), query: {}, timestamps: false, wanted: () => true, since: 0, onExit: (exit) => exits.push(exit) },
    signal,
  );
  return { done, exits, text: () => text };
}

/** Resolves once `condition` holds (the follower works asynchronously); fails the test after a long while. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 10_000) throw new Error('the condition never held');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('following logs against the in-memory engine', () => {
  test("each running container's lines must be printed with its prefix until every container stopped", async () => {
    const engine = new FakeEngine();
    engine.addContainer('w', 'p-web-1', labels('web'));
    engine.addContainer('d', 'p-db-1', labels('db'));
    engine.write('p-web-1', 'web started');
    const run = follow(engine, await engine.listContainers('p'));
    await until(() => engine.eventSubscribers > 0);
    engine.write('p-db-1', 'db ready');
    await until(() => run.text().includes('db ready'));
    engine.exit('p-web-1', 0);
    engine.exit('p-db-1', 3);
    await run.done;
    const lines = run.text().split('\n');
    expect(lines).toEqual(expect.arrayContaining(['web-1  | web started', 'db-1   | db ready', 'web-1 exited with code 0', 'db-1 exited with code 3']));
    expect(run.exits.map((exit) => [exit.name, exit.exitCode]).sort()).toEqual([
      ['db-1', 3],
      ['web-1', 0],
    ]);
  });

  test('a container that starts while following must be followed too', async () => {
    const engine = new FakeEngine();
    engine.addContainer('w', 'p-web-1', labels('web'));
    const run = follow(engine, await engine.listContainers('p'));
    await until(() => engine.eventSubscribers > 0);
    const worker = engine.addContainer('k', 'p-worker-1', labels('worker'), false);
    await engine.startContainer(worker.id);
    engine.write('p-worker-1', 'working');
    await until(() => run.text().includes('working'));
    engine.exit('p-worker-1', 0);
    engine.exit('p-web-1', 0);
    await run.done;
    expect(run.text()).toContain('worker-1  | working');
    expect(run.text()).toContain('worker-1 exited with code 0');
  });

  test('a stopped container must be printed once, without an exit line', async () => {
    const engine = new FakeEngine();
    engine.addContainer('j', 'p-job-1', labels('job'), false).status = 'exited';
    engine.write('p-job-1', 'finished');
    const run = follow(engine, await engine.listContainers('p'));
    await run.done;
    // The printer writes a burst of lines at the end of the tick (corked).
    await new Promise((resolve) => setImmediate(resolve));
    expect(run.text()).toBe('job-1  | finished\n');
    expect(run.exits).toEqual([]);
  });

  test('aborting must end following while containers still run', async () => {
    const engine = new FakeEngine();
    engine.addContainer('w', 'p-web-1', labels('web'));
    const abort = new AbortController();
    const run = follow(engine, await engine.listContainers('p'), abort.signal);
    await until(() => engine.eventSubscribers > 0);
    abort.abort();
    await run.done;
    expect(engine.statusOf('p')).toEqual({ running: ['p-web-1'] });
  });
});
