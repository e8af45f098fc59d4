/**
 * Watch's carry-out against the in-memory engine, on a project `up` started: a sync copies into
 * every running replica, a rebuild builds the image and recreates the service (and prunes the
 * image it replaced), a restart restarts the service and its `restart: true` dependents, a hook
 * runs in the containers, and a service without a running container is noted, not failed. The
 * real engine's side is covered by the watch e2e tests.
 */
import { join } from 'node:path';
import { detachedUp, fakeContext, type FakeContext } from '../../support/fake-context.js';
import { upCommand } from '../../../src/commands/up.js';
import { openEngineSession } from '../../../src/commands/engine-session.js';
import { silentProgress } from '../../../src/apply/progress.js';
import { carryOut, type CarryOutContext } from '../../../src/watch/carry-out.js';
import { decide, type BatchDecision, type ServiceDecision } from '../../../src/watch/decide.js';
import { loadWatchProject, prepareTargets, type WatchProject } from '../../../src/watch/watch-project.js';

const UP = detachedUp();

const COMPOSE = `
services:
  api:
    build: ./api
    scale: 2
    develop:
      watch:
        - { action: sync, path: ./api/src, target: /app/src }
        - { action: rebuild, path: ./api/package.json }
  worker:
    image: busybox
    depends_on:
      api: { condition: service_started, restart: true }
  idle:
    image: busybox
    profiles: [later]
`;

const FILES = {
  'compose.yaml': COMPOSE,
  'api/Dockerfile': 'FROM busybox\n',
  'api/package.json': '{}\n',
  'api/src/index.js': 'console.log(1)\n',
};

const contexts: FakeContext[] = [];
afterAll(() => {
  for (const ctx of contexts) ctx.cleanup();
});

async function started(): Promise<{ ctx: FakeContext; project: WatchProject; context: CarryOutContext }> {
  const ctx = fakeContext(FILES);
  contexts.push(ctx);
  await upCommand(ctx, [], UP);
  const project = await loadWatchProject(ctx, []);
  const session = await openEngineSession(ctx);
  const context: CarryOutContext = {
    engine: ctx.engine,
    project: project.project,
    environment: project.environment,
    signal: ctx.signal,
    forceSignal: ctx.forceSignal,
    prune: true,
    progress: () => silentProgress,
    sealKey: session.sealKey,
    withLock: (body) => body(),
    warn: (message) => ctx.warn(message),
    now: () => Date.now(),
    owners: new Map(),
  };
  return { ctx, project, context };
}

function only(service: string, decision: Partial<ServiceDecision>): BatchDecision {
  return {
    projectFiles: [],
    ignored: [],
    services: [{ service, paths: [], sync: [], remove: [], rebuild: false, restartCauses: [], execHooks: [], signals: [], execReloads: [], bindTargets: [], notes: [], ...decision }],
  };
}

describe("watch's carry-out against the in-memory engine", () => {
  test('a changed file under a sync rule must be copied into every running replica', async () => {
    const { ctx, project, context } = await started();
    const targets = await prepareTargets(ctx, project, { services: [] });
    const decision = decide([{ path: join(ctx.cwd, 'api/src/index.js'), kind: 'changed' }], targets);
    const [result] = await carryOut(decision, context);
    expect(result.errors).toEqual([]);
    expect(result.done.map((action) => action.text)).toEqual(['copied 1 file into app-api-1, app-api-2']);
    expect(ctx.engine.archives.map((archive) => `${archive.container} ${archive.path}`).sort()).toEqual(['app-api-1 /app/src', 'app-api-2 /app/src']);
  });

  test('a rebuild must build the image, recreate the replicas and remove the image they replaced', async () => {
    const { ctx, context } = await started();
    const before = ctx.engine.methods().length;
    const [result] = await carryOut(only('api', { rebuild: true }), context);
    expect(result.errors).toEqual([]);
    expect(result.done[0].text).toMatch(/^rebuilt app-api and recreated app-api-1, app-api-2$/);
    const calls = ctx.engine.methods().slice(before);
    expect(calls.filter((call) => call.startsWith('buildImage'))).toEqual(['buildImage app-api']);
    expect(calls.filter((call) => call.startsWith('createContainer')).length).toBe(2);
    expect(calls).toContain('removeImage sha256:app-api');
    expect(ctx.engine.statusOf('app').running).toEqual(['app-api-1', 'app-api-2', 'app-worker-1']);
  });

  test('a restart must restart the service and the services depending on it with restart: true', async () => {
    const { ctx, context } = await started();
    const before = ctx.engine.methods().length;
    const results = await carryOut(only('api', { restartCauses: ['api/config.yaml changed'] }), context);
    expect(results.map((result) => [result.service, result.done.map((action) => action.text)])).toEqual([
      ['api', ['restarted app-api-1, app-api-2 (api/config.yaml changed)']],
      ['worker', ['restarted app-worker-1 (depends on api with restart: true)']],
    ]);
    expect(ctx.engine.methods().slice(before).filter((call) => /^(restart|stop|start)Container/.test(call)).length).toBeGreaterThan(0);
  });

  test('a hook must run in each running replica', async () => {
    const { ctx, context } = await started();
    const [result] = await carryOut(only('api', { execHooks: [{ command: ['kill', '-HUP', '1'] }] }), context);
    expect(result.errors).toEqual([]);
    expect(ctx.engine.execs.map((exec) => `${exec.container} ${exec.options.command.join(' ')}`)).toEqual(['app-api-1 kill -HUP 1', 'app-api-2 kill -HUP 1']);
  });

  test('a service without a running container must be noted, and nothing copied', async () => {
    const { ctx, context } = await started();
    ctx.engine.exit('app-worker-1', 0);
    const [result] = await carryOut(only('worker', { sync: [{ hostPath: join(ctx.cwd, 'x'), containerPath: '/x', root: '/x' } as never] }), context);
    expect(result.notes).toEqual(['no running container: nothing was copied']);
    expect(ctx.engine.archives).toEqual([]);
  });
});
