/**
 * The executor's scheduling rules, on plans made by the real planner and run against an in-memory
 * engine: order along the edges, the concurrency cap, skipping after failures, best-effort nodes,
 * the rollback of a replacement that does not start, cancellation and the re-plan signal.
 */
import { EngineError } from '../../../src/errors.js';
import { execute, type ExecuteOptions } from '../../../src/apply/execute.js';
import { executionError } from '../../../src/apply/execution-summary.js';
import type { ProgressEvent, ProgressReporter } from '../../../src/apply/progress.js';
import { planDown } from '../../../src/plan/down.js';
import type { Plan } from '../../../src/plan/plan.js';
import { reconcile } from '../../../src/plan/reconcile.js';
import type { Dependency, Project } from '../../../src/model/types.js';
import { anonymousMount, container, idFor, makeProject, observe, ownNetworks, SEAL_KEY, TOOL_VERSION } from '../plan/support.js';
import { FakeEngine } from '../../support/fake-engine.js';

const started: Dependency = { condition: 'service_started', required: true };

/** a, b, c independent; d depends on all three. */
const fanIn = makeProject('p', {
  a: {},
  b: {},
  c: {},
  d: { depends_on: { a: started, b: started, c: started } },
});

function recorder(): ProgressReporter & { events: ProgressEvent[] } {
  const events: ProgressEvent[] = [];
  return { events, start: () => undefined, event: (event) => events.push(event), stop: async () => undefined };
}

function options(engine: FakeEngine, project: Project, extra: Partial<ExecuteOptions> = {}): ExecuteOptions {
  return { engine, project, environment: {}, ...extra };
}

function upPlan(project: Project, observed = observe()): Plan {
  return reconcile(project, observed, { toolVersion: TOOL_VERSION, sealKey: SEAL_KEY });
}

/** web runs with MODE=old; the project now says new: the plan recreates it. */
function changedWeb(): { current: Project; running: ReturnType<typeof container>; engine: FakeEngine; plan: Plan } {
  const old = makeProject('p', { web: { environment: { MODE: 'old' } } });
  const current = makeProject('p', { web: { environment: { MODE: 'new' } } });
  const running = container(old, 'web');
  const engine = new FakeEngine();
  engine.addContainer(running.id, running.name, { ...running.labels });
  return { current, running, engine, plan: upPlan(current, observe({ networks: ownNetworks(current), containers: [running] })) };
}

describe('execute', () => {
  test('a node must run only after every node it depends on', async () => {
    const engine = new FakeEngine();
    const result = await execute(upPlan(fanIn), options(engine, fanIn));
    expect(result.ok).toBe(true);
    const order = engine.methods();
    for (const dependency of ['p-a-1', 'p-b-1', 'p-c-1']) {
      expect(order.indexOf(`startContainer ${dependency}`)).toBeLessThan(order.indexOf('startContainer p-d-1'));
      expect(order.indexOf(`createContainer ${dependency}`)).toBeLessThan(order.indexOf('createContainer p-d-1'));
    }
    expect(order.indexOf('createNetwork p_default')).toBe(0);
  });

  test('independent nodes must run in parallel when no limit is set', async () => {
    const engine = new FakeEngine();
    engine.delayMs = 20;
    await execute(upPlan(fanIn), options(engine, fanIn));
    // The starts of a, b and c, and the create of d (which needs only their creates).
    expect(engine.maxInFlight).toBe(4);
  });

  test('the concurrency limit must cap the engine calls in flight', async () => {
    const engine = new FakeEngine();
    engine.delayMs = 20;
    const result = await execute(upPlan(fanIn), options(engine, fanIn, { concurrency: 2 }));
    expect(result.ok).toBe(true);
    expect(engine.maxInFlight).toBe(2);
  });

  test('a failed node must skip its dependents and let independent branches finish', async () => {
    const engine = new FakeEngine();
    engine.failWhen((call) =>
      call.method === 'startContainer' && call.target === 'p-a-1' ? new EngineError('port is already allocated', { operation: 'start container' }) : undefined,
    );
    const project = makeProject('p', { a: {}, b: {}, d: { depends_on: { a: started } } });
    const result = await execute(upPlan(project), options(engine, project));
    expect(result.ok).toBe(false);
    const status = Object.fromEntries(result.outcomes.map((outcome) => [`${outcome.node.op.type} ${outcome.node.resource}`, outcome.status]));
    expect(status['start-container service:a:1']).toBe('failed');
    expect(status['start-container service:d:1']).toBe('skipped');
    expect(status['start-container service:b:1']).toBe('done');
    expect(engine.methods()).not.toContain('startContainer p-d-1');
  });

  test('the failure summary must name what failed, what was done and what was not', async () => {
    const engine = new FakeEngine();
    engine.failWhen((call) =>
      call.method === 'startContainer' && call.target === 'p-a-1' ? new EngineError('port is already allocated', { operation: 'start container' }) : undefined,
    );
    const project = makeProject('p', { a: {}, d: { depends_on: { a: started } } });
    const result = await execute(upPlan(project), options(engine, project));
    expect(executionError(result).message.split('\n')).toEqual([
      'start p-a-1 failed: port is already allocated',
      'summary: 3 of 5 steps done, 1 failed, 1 not done',
      '  done: create network p_default, create p-a-1, create p-d-1',
      '  not done (a step they need failed): start p-d-1',
      'Fix the cause and run the command again: it continues from the current state.',
    ]);
  });

  test('after the first Ctrl-C, down -v must still remove the anonymous volume of a container it already removed (P5)', async () => {
    const engine = new FakeEngine();
    engine.delayMs = 30;
    const project = makeProject('p', { a: { volumes: [{ type: 'volume', target: '/anon' }] } });
    const running = container(project, 'a', { mounts: [anonymousMount('/anon')] });
    engine.addContainer(running.id, 'p-a-1', { ...running.labels });
    const graceful = new AbortController();
    // Stop (0-30 ms), then remove (30-60 ms) in flight at 45 ms.
    setTimeout(() => graceful.abort(), 45);
    const observed = observe({ networks: ownNetworks(project), containers: [running] });
    const result = await execute(planDown(observed, { projectName: 'p', project, volumes: true }), options(engine, project, { signal: graceful.signal }));
    expect(result.cancelled).toBe(true);
    expect(engine.methods()).toContain(`removeVolume ${idFor('volume:/anon')}`);
    expect(engine.methods().some((method) => method.startsWith('removeNetwork'))).toBe(false);
  });

  test('a failed best-effort node must be a warning that does not block its dependents', async () => {
    const engine = new FakeEngine();
    const project = makeProject('p', { a: {} });
    const observed = observe({ networks: ownNetworks(project), containers: [container(project, 'a')] });
    engine.addContainer(observed.containers[0].id, 'p-a-1', { ...observed.containers[0].labels });
    engine.failWhen((call) =>
      call.method === 'removeNetwork' ? new EngineError('network p_default has active endpoints', { operation: 'remove network', statusCode: 403 }) : undefined,
    );
    const events = recorder();
    const result = await execute(planDown(observed, { projectName: 'p', project }), options(engine, project, { progress: events }));
    expect(result.ok).toBe(true);
    expect(result.outcomes.find((outcome) => outcome.node.op.type === 'remove-network')?.status).toBe('warning');
    expect(events.events).toContainEqual({ id: 'Network p_default', state: 'warning', text: 'Resource is still in use', details: undefined });
  });

  test('a replacement that does not start must be removed and the old container started again', async () => {
    const { current, running, engine, plan } = changedWeb();
    engine.failWhen((call) =>
      call.method === 'startContainer' && call.target.endsWith('_p-web-1')
        ? new EngineError('port is already allocated', { operation: 'start container' })
        : undefined,
    );
    const result = await execute(plan, options(engine, current, { observed: observe({ containers: [running] }) }));

    expect(result.ok).toBe(false);
    const temporary = `${running.id.slice(0, 12)}_p-web-1`;
    expect(engine.methods()).toEqual([
      `createContainer ${temporary}`,
      'stopContainer p-web-1',
      `startContainer ${temporary}`,
      `removeContainer ${temporary}`,
      'startContainer p-web-1',
    ]);
    const failure = result.outcomes.find((outcome) => outcome.status === 'failed');
    expect(failure?.rollback).toBe('rolled back: p-web-1 runs its previous configuration again');
    expect(engine.containers.get(running.id)?.status).toBe('running');
  });

  test('a replacement removed meanwhile by a run that does not share the lock must make the run re-plan, not roll back (P16)', async () => {
    const { current, running, engine, plan } = changedWeb();
    engine.failWhen((call) =>
      call.method === 'startContainer' && call.target.endsWith('_p-web-1')
        ? new EngineError('No such container: 0123', { operation: 'start container', statusCode: 404 })
        : undefined,
    );
    const result = await execute(plan, options(engine, current));
    expect(result.replan).toMatch(/another run changed project resources while container p-web-1 was being set up/);
    expect(result.outcomes.some((outcome) => outcome.status === 'failed')).toBe(false);
    expect(engine.methods().filter((method) => method.startsWith('removeContainer'))).toEqual([]);
  });

  test('a rename a concurrent run already did must count as done (P16)', async () => {
    const { current, running, engine, plan } = changedWeb();
    engine.failWhen((call) =>
      call.method === 'renameContainer'
        ? new EngineError('Renaming a container with the same name as its current name', { operation: 'rename container', statusCode: 500 })
        : undefined,
    );
    const result = await execute(plan, options(engine, current));
    expect(result.ok).toBe(true);
  });

  test('a replacement that starts must take over the name and the old container must go', async () => {
    const { current, running, engine, plan } = changedWeb();
    const result = await execute(plan, options(engine, current));
    expect(result.ok).toBe(true);
    const temporary = `${running.id.slice(0, 12)}_p-web-1`;
    expect(engine.methods()).toEqual([
      `createContainer ${temporary}`,
      'stopContainer p-web-1',
      `startContainer ${temporary}`,
      'removeContainer p-web-1',
      `renameContainer ${temporary} -> p-web-1`,
    ]);
    expect([...engine.containers.values()].map((entry) => entry.name)).toEqual(['p-web-1']);
  });

  test('the first Ctrl-C must start nothing new and let calls in flight finish', async () => {
    const engine = new FakeEngine();
    engine.delayMs = 30;
    const graceful = new AbortController();
    const project = makeProject('p', { a: {}, d: { depends_on: { a: started } } });
    setTimeout(() => graceful.abort(), 45);
    const result = await execute(upPlan(project), options(engine, project, { signal: graceful.signal }));
    expect(result.cancelled).toBe(true);
    // network (0-30 ms) done, create a (30-60 ms) in flight at 45 ms: finished, nothing after it.
    expect(engine.methods()).toEqual(['createNetwork p_default', 'createContainer p-a-1']);
    expect(result.outcomes.filter((outcome) => outcome.status === 'cancelled').length).toBeGreaterThan(0);
  });

  test('a name taken by a container of the project must ask for a re-plan, not fail', async () => {
    const engine = new FakeEngine();
    const project = makeProject('p', { a: {} });
    engine.addContainer('other', 'p-a-1', { 'com.docker.compose.project': 'p', 'com.docker.compose.config-hash': 'abc' });
    engine.failWhen((call) =>
      call.method === 'createContainer' && call.target === 'p-a-1'
        ? new EngineError('Conflict. The container name "/p-a-1" is already in use', { operation: 'create container', statusCode: 409 })
        : undefined,
    );
    const result = await execute(upPlan(project), options(engine, project));
    expect(result.replan).toMatch(/another run changed project resources/);
    expect(result.outcomes.some((outcome) => outcome.status === 'failed')).toBe(false);
    // When re-planning does not help either, the summary must still say why the run stopped.
    expect(executionError(result).message.split('\n')[0]).toBe(
      'create p-a-1 stopped: another run changed project resources while container p-a-1 was being set up',
    );
  });

  test('a name taken by a hand-made container with the project labels but no config hash must fail, not re-plan (P6)', async () => {
    const engine = new FakeEngine();
    const project = makeProject('p', { a: {} });
    engine.addContainer('handmade', 'p-a-1', {
      'com.docker.compose.project': 'p',
      'com.docker.compose.service': 'a',
      'com.docker.compose.container-number': '1',
    });
    engine.failWhen((call) =>
      call.method === 'createContainer' ? new EngineError('Conflict.', { operation: 'create container', statusCode: 409 }) : undefined,
    );
    const result = await execute(upPlan(project), options(engine, project));
    expect(result.replan).toBeUndefined();
    expect(result.outcomes.find((outcome) => outcome.status === 'failed')?.error?.message).toMatch(/does not belong to project "p"/);
  });

  test('a name taken by a container of another owner must fail and leave that container alone', async () => {
    const engine = new FakeEngine();
    const project = makeProject('p', { a: {} });
    engine.addContainer('foreign', 'p-a-1', {});
    engine.failWhen((call) =>
      call.method === 'createContainer' ? new EngineError('Conflict.', { operation: 'create container', statusCode: 409 }) : undefined,
    );
    const result = await execute(upPlan(project), options(engine, project));
    expect(result.replan).toBeUndefined();
    expect(result.outcomes.find((outcome) => outcome.status === 'failed')?.error?.message).toMatch(/does not belong to project "p"/);
    expect(engine.methods().some((call) => call.startsWith('removeContainer'))).toBe(false);
  });

  test('a dry run must emit the events and make no engine call', async () => {
    const engine = new FakeEngine();
    const events = recorder();
    const result = await execute(upPlan(fanIn), options(engine, fanIn, { dryRun: true, progress: events }));
    expect(result.ok).toBe(true);
    expect(engine.calls).toEqual([]);
    expect(events.events.filter((event) => event.state === 'done').map((event) => `${event.id} ${event.text}`)).toContain('Container p-d-1 Started');
  });

  test('planned container references must resolve to the ids the create nodes returned', async () => {
    const engine = new FakeEngine();
    const project = makeProject('p', { a: {} });
    const starts: string[] = [];
    await execute(upPlan(project), options(engine, project, { beforeStart: async (target) => void starts.push(`${target.id} ${target.name} ${target.service}`) }));
    expect(starts).toEqual(['id1 p-a-1 a']);
  });

  test('a progress line must end only with the last step of its resource', async () => {
    const events = recorder();
    const engine = new FakeEngine();
    await execute(upPlan(fanIn), options(engine, fanIn, { progress: events }));
    const ofA = events.events.filter((event) => event.id === 'Container p-a-1' && event.state === 'done');
    expect(ofA.map((event) => [event.text, event.final])).toEqual([
      ['Created', false],
      ['Started', undefined],
    ]);
    const network = events.events.find((event) => event.id === 'Network p_default' && event.state === 'done');
    expect(network?.final).toBeUndefined();
  });

  test('when the caller reports on containers after the plan, no container line may end with the plan', async () => {
    const events = recorder();
    await execute(upPlan(fanIn), options(new FakeEngine(), fanIn, { progress: events, containerEventsFollow: true }));
    const containerDone = events.events.filter((event) => event.id.startsWith('Container ') && event.state === 'done');
    expect(containerDone.length).toBeGreaterThan(0);
    expect(containerDone.every((event) => event.final === false)).toBe(true);
  });

  describe('lifecycle hooks', () => {
    const hooked = makeProject('p', {
      web: {
        post_start: [{ command: ['sh', '-c', 'echo up'], user: 'root', privileged: true, working_dir: '/tmp', environment: { A: '1', UNSET: null } }],
        pre_stop: [{ command: ['flush'] }],
      },
    });

    test('post_start must run in the container right after its start, with its user, privileges, directory and environment', async () => {
      const engine = new FakeEngine();
      const result = await execute(upPlan(hooked), options(engine, hooked));
      expect(result.ok).toBe(true);
      const order = engine.methods();
      expect(order.indexOf('exec p-web-1 sh -c echo up')).toBe(order.indexOf('startContainer p-web-1') + 1);
      expect(engine.execs[0].options).toMatchObject({
        command: ['sh', '-c', 'echo up'],
        user: 'root',
        privileged: true,
        workingDir: '/tmp',
        env: ['A=1', 'UNSET'],
      });
    });

    test('a failing post_start must fail the start with Compose\'s words and the hook\'s last output', async () => {
      const engine = new FakeEngine();
      engine.execResult = () => ({ exitCode: 3, stdout: 'a\nb\n', stderr: 'broken\n' });
      const result = await execute(upPlan(hooked), options(engine, hooked));
      expect(result.ok).toBe(false);
      expect(executionError(result).message).toContain('start p-web-1 failed: web hook exited with status 3:\n  a\n  b\n  broken\n');
    });

    test('pre_stop must run before the stop, and a failing one must be a warning that does not keep the container running', async () => {
      const observed = observe({ networks: ownNetworks(hooked), containers: [container(hooked, 'web')] });
      const engine = new FakeEngine();
      engine.addContainer(observed.containers[0].id, 'p-web-1', { ...observed.containers[0].labels });
      engine.execResult = () => ({ exitCode: 1, stdout: '', stderr: 'flush failed\n' });
      const warnings: string[] = [];
      const result = await execute(planDown(observed, { projectName: 'p', project: hooked }), options(engine, hooked, { warn: (message) => warnings.push(message) }));
      expect(result.ok).toBe(true);
      const order = engine.methods();
      expect(order.indexOf('exec p-web-1 flush')).toBeLessThan(order.indexOf('stopContainer p-web-1'));
      expect(warnings).toEqual(['pre_stop of p-web-1: web hook exited with status 1:\nflush failed; stopping it anyway']);
    });
  });
});
