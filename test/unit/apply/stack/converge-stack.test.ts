/**
 * The deploy's wait on a failing update: the engine's own verdict (pause, rollback) is waited for
 * when the restart policy fails tasks faster than the engine's updater notices, and a crash loop
 * is the deploy's own verdict only when the engine carries on regardless.
 */
import { convergeStack } from '../../../../src/apply/stack/converge-stack.js';
import { silentProgress } from '../../../../src/apply/progress.js';
import type { ServiceInfo, SwarmEngine, TaskInfo } from '../../../../src/apply/swarm-engine.js';

const SERVICE_ID = 'svc1';

function failedTask(n: number): TaskInfo {
  return {
    id: `task${n}`, serviceId: SERVICE_ID, nodeId: 'node1', slot: 1, createdAt: '', updatedAt: '', timestamp: '',
    desiredState: 'shutdown', state: 'failed', message: 'started', error: 'task: non-zero exit (3)', exitCode: 3, image: 'busybox', ports: [],
  };
}

/** A swarm whose one service is updating with three failed tasks, until `pausedAfterPolls` polls have been answered. */
function failingUpdate(failureAction: string, pausedAfterPolls: number): { swarm: SwarmEngine; polls: () => number } {
  let polls = 0;
  const service = (): ServiceInfo => ({
    id: SERVICE_ID, version: 2, createdAt: '', updatedAt: '', endpointPorts: [],
    spec: { Name: 'stack_app', Mode: { Replicated: { Replicas: 2 } }, TaskTemplate: { ContainerSpec: { Image: 'busybox' } }, UpdateConfig: { FailureAction: failureAction, Monitor: 3e9 } },
    updateStatus: polls > pausedAfterPolls ? { state: 'paused', message: 'update paused due to failure or early termination of task task3' } : { state: 'updating', message: 'update in progress' },
  }) as unknown as ServiceInfo;
  const tasks = [failedTask(1), failedTask(2), failedTask(3)];
  const swarm = {
    listServices: async () => { polls += 1; return [service()]; },
    listTasks: async () => tasks,
    inspectService: async () => service(),
    taskLogs: async function* () { yield* []; },
  } as unknown as SwarmEngine;
  return { swarm, polls: () => polls };
}

/** A clock that moves 4 s per reading, so the grace periods pass in a few real polls. */
function fastClock(): () => number {
  let time = 0;
  return () => (time += 4_000);
}

const touched = [{ id: SERVICE_ID, name: 'stack_app', kind: 'update' as const, spec: { Name: 'stack_app' } as never }];

test('a crash loop during an update the engine pauses must end in the engine verdict, not the deploy own', async () => {
  const { swarm } = failingUpdate('pause', 2);
  const waited = convergeStack(swarm, touched, { progress: silentProgress, timeoutMs: 600_000, now: fastClock() });
  await expect(waited).rejects.toThrow(/update paused: update paused due to failure/);
});

test('a crash loop during an update with failure_action continue must fail the deploy at once', async () => {
  const { swarm, polls } = failingUpdate('continue', 1_000);
  const waited = convergeStack(swarm, touched, { progress: silentProgress, timeoutMs: 600_000, now: fastClock() });
  await expect(waited).rejects.toThrow(/3 tasks failed at the new spec and none is running/);
  expect(polls()).toBe(1);
});

test('a crash loop during an update the engine never judges must still fail the deploy once the grace has passed', async () => {
  const { swarm } = failingUpdate('pause', 1_000);
  const waited = convergeStack(swarm, touched, { progress: silentProgress, timeoutMs: 600_000, now: fastClock() });
  await expect(waited).rejects.toThrow(/3 tasks failed at the new spec and none is running/);
});
