/**
 * Waits until the services a deploy created or changed have converged, for all of them at once
 * (docker stack waits one service after another, names them by ID, and waits forever):
 *
 * - replicated: as many tasks running at the new spec as replicas; global: one per eligible node
 *   (the engine's desired count); a task with a healthcheck counts once it is healthy (the engine
 *   reports it as starting until then); jobs: their completions done;
 * - an update counts once the engine says it completed (it monitored the new tasks itself); a
 *   new service once its tasks have stayed up for its monitor period (default 5 s);
 * - it fails at once when the engine pauses an update, when it rolled one back (docker stack
 *   exits 0 there), when a job's task fails, and when a service keeps failing tasks at its new
 *   spec with none running (a crash loop docker stack waits on forever; during an update the
 *   engine pauses or rolls back itself, it is given a few seconds to); otherwise at the deadline. A failure names each failing task's error and its last output lines.
 */
import { TscomposeError } from '../../errors.js';
import { modeName } from '../../plan/stack/compare-service.js';
import type { CallOptions } from '../engine.js';
import { done, failed, working, type ProgressReporter } from '../progress.js';
import type { ServiceInfo, SwarmEngine, TaskInfo } from '../swarm-engine.js';
import { abortableSleep as sleep } from '../abort-signals.js';
import type { TouchedService } from './execute-stack.js';

export interface ConvergeOptions extends CallOptions {
  readonly progress: ProgressReporter;
  /** The whole wait's deadline. */
  readonly timeoutMs: number;
  readonly now: () => number;
  /** Output lines of a failing task to show. */
  readonly logLines?: number;
}

/** A stack that did not converge: the message names every failing service, task and output. */
export class StackConvergeError extends TscomposeError {}

const POLL_START_MS = 250;
const POLL_MAX_MS = 1000;
const DEFAULT_MONITOR_NS = 5e9;
/** Failed tasks at the new spec, with none running, that make a crash loop. */
const CRASH_LOOP_FAILURES = 3;
/** How long a rollback the deploy asked for is waited on. */
const ROLLBACK_WAIT_MS = 120_000;
/** How long a task may stay pending with the scheduler's error before the deploy fails (scheduling retries within seconds). */
const STUCK_MS = 10_000;
const FAILED_STATES: ReadonlySet<string> = new Set(['failed', 'rejected']);
/**
 * How long a crash loop during an update whose failure_action the engine carries out (pause, the
 * default, or rollback) is left to the engine: it pauses or rolls back once its updater has seen
 * the failure, which can come after the restart policy has failed a few tasks.
 */
const ENGINE_VERDICT_GRACE_MS = 10_000;

interface Watch {
  readonly service: TouchedService;
  readonly resource: string;
  /** Tasks seen pending with an error (no suitable node, ...), since when. */
  readonly stuckSince: Map<string, number>;
  /** What the progress view last showed, so a poll that changes nothing prints nothing. */
  reported?: string;
  /** When the tasks were first seen in a crash loop during an update the engine judges itself. */
  crashLoopSince?: number;
  /** When the tasks were first seen converged (a new service must stay so for its monitor period). */
  stableSince?: number;
  /** Set once converged or failed. */
  outcome?: { readonly ok: boolean; readonly message: string; readonly tasks: readonly TaskInfo[] };
  lastText?: string;
}

export async function convergeStack(swarm: SwarmEngine, touched: readonly TouchedService[], options: ConvergeOptions): Promise<void> {
  const { progress, now } = options;
  const start = now();
  const call: CallOptions = options.signal ? { signal: options.signal } : {};
  const watches: Watch[] = touched.map((service) => ({ service, resource: `Service ${service.name}`, stuckSince: new Map() }));
  let delay = POLL_START_MS;
  while (watches.some((watch) => !watch.outcome)) {
    if (options.signal?.aborted) return;
    const pending = watches.filter((watch) => !watch.outcome);
    const ids = pending.map((watch) => watch.service.id);
    const [services, current, all] = await Promise.all([
      swarm.listServices({ id: ids }, { ...call, status: true }),
      swarm.listTasks({ service: ids, upToDate: true }, call),
      swarm.listTasks({ service: ids }, call),
    ]);
    const elapsed = now() - start;
    for (const watch of pending) {
      const info = services.find((service) => service.id === watch.service.id);
      if (!info) {
        watch.outcome = { ok: false, message: 'the service was removed while the deploy waited for it', tasks: [] };
        continue;
      }
      const mine = (task: TaskInfo): boolean => task.serviceId === info.id;
      evaluate(watch, info, current.filter(mine), all.filter(mine), now());
      if (!watch.outcome && elapsed > options.timeoutMs) {
        watch.outcome = { ok: false, message: `not converged after ${Math.round(options.timeoutMs / 1000)}s (${watch.lastText ?? 'waiting'})`, tasks: all.filter(mine) };
      }
      report(watch, progress);
    }
    if (watches.some((watch) => !watch.outcome)) {
      await sleep(delay, options.signal);
      delay = Math.min(delay * 2, POLL_MAX_MS);
    }
  }
  const failures = watches.filter((watch) => watch.outcome && !watch.outcome.ok);
  if (failures.length === 0) return;
  await Promise.all(failures.map((watch) => rollBackIfAsked(swarm, watch, options)));
  const sections = await Promise.all(failures.map((watch) => describeFailure(swarm, watch, options)));
  throw new StackConvergeError(sections.join('\n'));
}

function evaluate(watch: Watch, info: ServiceInfo, current: readonly TaskInfo[], all: readonly TaskInfo[], time: number): void {
  const mode = modeName(info.spec);
  const update = info.updateStatus;
  if (update?.state === 'paused') {
    watch.outcome = {
      ok: false,
      message: `update paused: ${update.message} (failure_action: pause leaves the service as it is: fix the file and deploy again, or roll back with docker service rollback ${info.spec.Name})`,
      tasks: all,
    };
    return;
  }
  if (update?.state === 'rollback_completed' || update?.state === 'rollback_paused') {
    watch.outcome = { ok: false, message: `the update failed and was rolled back (failure_action: rollback): ${update.message}`, tasks: all };
    return;
  }
  if (update?.state === 'rollback_started') {
    watch.lastText = 'Rolling back';
    return;
  }

  if (mode === 'replicated-job' || mode === 'global-job') {
    const iteration = (task: TaskInfo): boolean => task.jobIteration === undefined || task.jobIteration === info.jobIteration;
    const completed = current.filter((task) => iteration(task) && task.state === 'complete').length;
    const failedTasks = current.filter((task) => iteration(task) && FAILED_STATES.has(task.state));
    const wanted = mode === 'replicated-job' ? totalCompletions(info) : (info.desiredTasks ?? 0);
    watch.lastText = `${completed}/${wanted} completed`;
    if (failedTasks.length > 0 && info.spec.TaskTemplate.RestartPolicy?.Condition !== 'any' && info.spec.TaskTemplate.RestartPolicy?.Condition !== 'on-failure') {
      watch.outcome = { ok: false, message: `the job failed (${failedTasks.length} task${failedTasks.length === 1 ? '' : 's'})`, tasks: all };
    } else if (wanted > 0 && completed >= wanted) {
      watch.outcome = { ok: true, message: 'Completed', tasks: [] };
    }
    return;
  }

  const wanted = mode === 'global' ? (info.desiredTasks ?? 0) : replicas(info);
  const running = current.filter((task) => task.desiredState === 'running' && task.state === 'running').length;
  const stuck = stuckTask(watch, current, all, time);
  if (stuck) {
    watch.outcome = { ok: false, message: `a task cannot be placed: ${stuck.error}${placementHint(stuck.error, info)}`, tasks: all };
    return;
  }
  const failedNow = current.filter((task) => FAILED_STATES.has(task.state));
  watch.lastText = `${running}/${wanted} running`;
  const monitorMs = (info.spec.UpdateConfig?.Monitor || DEFAULT_MONITOR_NS) / 1e6;
  const crashLoop = running === 0 && wanted > 0 && failedNow.length >= CRASH_LOOP_FAILURES;
  if (!crashLoop) watch.crashLoopSince = undefined;
  else if (update?.state === 'updating' && engineJudgesFailures(info)) {
    watch.crashLoopSince ??= time;
    if (time - watch.crashLoopSince < Math.max(ENGINE_VERDICT_GRACE_MS, 2 * monitorMs)) {
      watch.lastText = `Updating ${running}/${wanted}, tasks failing`;
      return;
    }
  }
  if (crashLoop) {
    watch.outcome = { ok: false, message: `${failedNow.length} tasks failed at the new spec and none is running`, tasks: all };
    return;
  }
  const updating = update?.state === 'updating';
  if (running < wanted || updating) {
    watch.stableSince = undefined;
    if (updating) watch.lastText = `Updating ${running}/${wanted}`;
    return;
  }
  // Converged means only the new tasks run: the old ones a start-first update replaced have stopped.
  if (all.some(isStopping)) {
    watch.lastText = `${running}/${wanted} running, old tasks stopping`;
    return;
  }
  // The engine monitored the new tasks of a completed update; a new service is watched here.
  if (update?.state === 'completed' || wanted === 0) {
    watch.outcome = { ok: true, message: 'Converged', tasks: [] };
    return;
  }
  watch.stableSince ??= time;
  if (time - watch.stableSince >= monitorMs) watch.outcome = { ok: true, message: 'Converged', tasks: [] };
  else watch.lastText = `${running}/${wanted} running, checking they stay up`;
}

/** Whether the engine's updater pauses or rolls back a failing update by itself (pause is its default). */
function engineJudgesFailures(info: ServiceInfo): boolean {
  const action = info.spec.UpdateConfig?.FailureAction ?? 'pause';
  return action === 'pause' || action === 'rollback';
}

/**
 * A failure the engine does not see (a task that cannot be placed, a crash loop, the deadline) on
 * an update whose failure_action is rollback: the deploy asks for the rollback itself, and waits
 * for it, as the engine would have done.
 */
async function rollBackIfAsked(swarm: SwarmEngine, watch: Watch, options: ConvergeOptions): Promise<void> {
  const outcome = watch.outcome!;
  if (watch.service.kind !== 'update' || watch.lastText === 'Rolling back' || /rolled back/.test(outcome.message)) return;
  const current = await swarm.inspectService(watch.service.id, options);
  if (!current || current.spec.UpdateConfig?.FailureAction !== 'rollback' || !current.previousSpec) return;
  options.progress.event(working(watch.resource, 'Rolling back'));
  await swarm.updateService(current.id, current.version, current.spec, { ...(options.signal ? { signal: options.signal } : {}), rollback: true });
  const deadline = options.now() + ROLLBACK_WAIT_MS;
  let state = '';
  while (options.now() < deadline && !options.signal?.aborted) {
    state = (await swarm.inspectService(current.id, options))?.updateStatus?.state ?? '';
    if (state === 'rollback_completed' || state === 'rollback_paused') break;
    await sleep(POLL_MAX_MS, options.signal);
  }
  const result = state === 'rollback_completed' ? 'rolled back to the previous spec' : `asked to roll back (the rollback is ${state.replace('_', ' ') || 'pending'})`;
  watch.outcome = { ...outcome, message: `${outcome.message}; ${result} (failure_action: rollback)` };
  options.progress.event(failed(watch.resource, watch.outcome.message));
}

/** A task that has stayed pending with the scheduler's error (no suitable node, ...) for STUCK_MS. */
function stuckTask(watch: Watch, current: readonly TaskInfo[], all: readonly TaskInfo[], time: number): TaskInfo | undefined {
  // While an old task is still stopping, a new one may wait for its port or its resources.
  const stopping = all.some(isStopping);
  const pending = stopping ? [] : current.filter((task) => task.state === 'pending' && task.error !== '');
  for (const id of [...watch.stuckSince.keys()]) if (!pending.some((task) => task.id === id)) watch.stuckSince.delete(id);
  for (const task of pending) {
    const since = watch.stuckSince.get(task.id) ?? time;
    watch.stuckSince.set(task.id, since);
    if (time - since >= STUCK_MS) return task;
  }
  return undefined;
}

/** A task told to stop (replaced, scaled away) whose container still runs. */
function isStopping(task: TaskInfo): boolean {
  return task.desiredState !== 'running' && task.desiredState !== 'ready' && ['assigned', 'accepted', 'preparing', 'starting', 'running'].includes(task.state);
}

/** What to do about a placement failure the file can cause. */
function placementHint(error: string, info: ServiceInfo): string {
  if (/host-mode port already in use/.test(error) && info.spec.UpdateConfig?.Order === 'start-first') {
    return ' (with a host-mode port, order: start-first cannot start a new task on a node where the old one still holds the port: use order: stop-first, or more nodes than replicas)';
  }
  if (/host-mode port already in use/.test(error)) return ' (a host-mode port can be published by one task per node: use fewer replicas than nodes, or mode: ingress)';
  if (/constraint/.test(error)) return ' (check deploy.placement.constraints against docker node ls and the nodes\' labels)';
  return '';
}

function replicas(info: ServiceInfo): number {
  const mode = info.spec.Mode;
  return mode && 'Replicated' in mode ? (mode.Replicated.Replicas ?? 1) : 0;
}

function totalCompletions(info: ServiceInfo): number {
  const mode = info.spec.Mode;
  return mode && 'ReplicatedJob' in mode ? (mode.ReplicatedJob.TotalCompletions ?? 1) : 0;
}

function report(watch: Watch, progress: ProgressReporter): void {
  const text = watch.outcome ? `${watch.outcome.ok}:${watch.outcome.message}` : watch.lastText;
  if (text === undefined || text === watch.reported) return;
  watch.reported = text;
  if (watch.outcome?.ok) progress.event(done(watch.resource, watch.outcome.message));
  else if (watch.outcome) progress.event(failed(watch.resource, watch.outcome.message));
  else if (watch.lastText) progress.event(working(watch.resource, watch.lastText));
}

/** The service, why it failed, its failing tasks' errors (newest first, three at most) and the newest one's output. */
async function describeFailure(swarm: SwarmEngine, watch: Watch, options: ConvergeOptions): Promise<string> {
  const outcome = watch.outcome!;
  const lines = [`service ${watch.service.name} did not converge: ${outcome.message}`];
  const failing = [...outcome.tasks]
    .filter((task) => FAILED_STATES.has(task.state) || task.error !== '' || (task.state !== 'running' && task.desiredState === 'running'))
    .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1))
    .slice(0, 3);
  for (const task of failing) {
    const where = task.slot !== undefined ? `${watch.service.name}.${task.slot}` : watch.service.name;
    lines.push(`  task ${where} (${task.id.slice(0, 12)}): ${task.state}${task.error ? `: ${task.error}` : task.message ? `: ${task.message}` : ''}`);
  }
  const newest = failing.find((task) => task.containerId !== undefined);
  if (newest) {
    const output = await lastOutput(swarm, newest.id, options.logLines ?? 10, options.signal);
    if (output.length > 0) lines.push(`  its last output:`, ...output.map((line) => `    ${line}`));
  }
  return lines.join('\n');
}

async function lastOutput(swarm: SwarmEngine, taskId: string, tail: number, signal: AbortSignal | undefined): Promise<string[]> {
  const lines: string[] = [];
  try {
    for await (const line of swarm.taskLogs(taskId, { tail, ...(signal ? { signal } : {}) })) lines.push(line.text);
  } catch {
    // The output is a help, not the answer: a task whose logs are gone still has its error above.
  }
  return lines.slice(-tail);
}
