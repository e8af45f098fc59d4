/**
 * Waiting for containers: the `depends_on` conditions (`service_healthy`,
 * `service_completed_successfully`) and `up --wait` (running-or-healthy, or completed for a
 * service others wait on to complete).
 *
 * Every wait has a deadline (reliability P13, F7: Compose waits forever on a healthcheck that
 * stays `starting`), and a failure names the container and says why in the user's terms: the last
 * health check output, the exit code, the last log lines.
 *
 * How: polling `inspect` with a short backoff (100 ms growing to 500 ms), not engine events. The
 * state that decides is level state (health status, RestartCount, exit code), which inspect gives
 * exactly and events give only as edges: a dropped or late-subscribed event stream loses an edge
 * and hangs the wait (F5), and RestartCount, which exposes a crash loop, is not in any event. The
 * containers waited on are few, so a few inspects per second cost nothing that matters.
 */
import { CancelledError, TscomposeError } from '../errors.js';
import { abortableSleep } from './abort-signals.js';
import type { ContainerDetails, Engine } from './engine.js';
import { done, working, type ProgressReporter } from './progress.js';

/** Used when neither `--wait-timeout` nor TSCOMPOSE_WAIT_TIMEOUT says otherwise (plus the healthcheck's start_period). */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 300;

/**
 * `up --wait` calls a container without a healthcheck ready only once it has run this long without
 * a restart: a crash-looping container is "running" most of the time (Compose reports it
 * healthy: reliability P14, F6).
 */
export const STABILITY_WINDOW_MS = 2000;

/**
 * The window for a container the engine restarts when it exits (`restart: always`,
 * `unless-stopped`, `on-failure`): the engine's own measure of a crash loop, since it counts a run
 * shorter than 10 s as a failed start (its restart back-off is reset only after 10 s of running).
 * A shorter window passes a container that crashes every few seconds (2 s passed one crashing
 * every 2.5 s).
 */
export const RESTARTING_STABILITY_WINDOW_MS = 10_000;

/** How long a crash loop's next exit is waited for, to show its exit code. */
const NEXT_EXIT_WAIT_MS = 5000;

/** The stability window of a container without a healthcheck, by its restart policy. */
export function stabilityWindowMs(details: Pick<ContainerDetails, 'restartPolicy'>): number {
  const policy = details.restartPolicy ?? '';
  return policy === '' || policy === 'no' ? STABILITY_WINDOW_MS : RESTARTING_STABILITY_WINDOW_MS;
}

const FIRST_POLL_MS = 100;
const MAX_POLL_MS = 500;
const LOG_TAIL_LINES = 10;
const HEALTH_OUTPUT_LINES = 5;

export type WaitCondition = 'service_healthy' | 'service_completed_successfully' | 'running_or_healthy';

export interface WaitedContainer {
  readonly id: string;
  /** The name users know (the final name, also while a replacement still has its temporary one). */
  readonly name: string;
}

export interface WaitTarget {
  readonly service: string;
  readonly condition: WaitCondition;
  readonly containers: readonly WaitedContainer[];
}

export interface WaitOptions {
  readonly timeoutSeconds: number;
  /** Aborting ends the wait with the signal's reason (Ctrl-C). */
  readonly signal?: AbortSignal;
  readonly progress?: ProgressReporter;
  /** How a timeout is worded: a dependency names its dependents, `up --wait` speaks as Compose does. */
  readonly describeTimeout: (seconds: number) => string;
  /** A failure is only a warning (an optional dependency): its events say so. */
  readonly optional?: boolean;
  readonly now?: () => number;
}

/** A wait that failed: the first line as Compose words it, then what the user needs to see why. */
export class WaitError extends TscomposeError {
  readonly headline: string;
  readonly diagnostics: readonly string[];
  constructor(headline: string, diagnostics: readonly string[] = []) {
    super([headline, ...diagnostics.map((line) => `  ${line}`)].join('\n'));
    this.headline = headline;
    this.diagnostics = diagnostics;
  }
}

/** The deadline for a wait: explicit seconds, else TSCOMPOSE_WAIT_TIMEOUT, else the default. */
export function waitTimeoutSeconds(explicit: number | undefined, env: Readonly<Record<string, string | undefined>>): number {
  if (explicit !== undefined && explicit > 0) return explicit;
  const fromEnv = Number(env.TSCOMPOSE_WAIT_TIMEOUT);
  if (env.TSCOMPOSE_WAIT_TIMEOUT && Number.isFinite(fromEnv) && fromEnv > 0) return fromEnv;
  return DEFAULT_WAIT_TIMEOUT_SECONDS;
}

/**
 * The deadline of a `depends_on` wait: the node's own (`--wait-timeout`), else the explicit or
 * environment default plus the healthcheck's start period, which is time the user said the
 * dependency needs.
 */
export function dependencyWaitSeconds(
  node: { readonly timeoutSeconds?: number },
  service: { readonly healthcheck?: { readonly start_period?: number } } | undefined,
  explicit: number | undefined,
  env: Readonly<Record<string, string | undefined>>,
): number {
  if (node.timeoutSeconds !== undefined) return node.timeoutSeconds;
  const period = service?.healthcheck?.start_period;
  return waitTimeoutSeconds(explicit, env) + (period === undefined ? 0 : Math.ceil(period / 1e9));
}

type Verdict = { readonly kind: 'pending'; readonly why: string } | { readonly kind: 'ready'; readonly text: string } | { readonly kind: 'failed'; readonly error: WaitError };

interface Tracker {
  readonly target: WaitTarget;
  readonly container: WaitedContainer;
  baselineRestarts?: number;
  runningSince?: { readonly startedAt: string; readonly seenAt: number };
  last?: ContainerDetails;
  verdict?: Verdict;
}

function lastLines(text: string, count: number): string[] {
  const lines = text.replace(/\s+$/, '').split('\n');
  return lines.slice(-count);
}

function healthDiagnostics(details: ContainerDetails): string[] {
  const probe = details.state.health?.log.at(-1);
  if (probe === undefined) return ['no health check has completed yet'];
  const output = probe.output.trim();
  return [`last health check: exit ${probe.exitCode}${output === '' ? ', no output' : ':'}`, ...(output === '' ? [] : lastLines(output, HEALTH_OUTPUT_LINES).map((line) => `  ${line}`))];
}

async function logDiagnostics(engine: Engine, id: string): Promise<string[]> {
  const lines: string[] = [];
  try {
    for await (const line of engine.logs(id, { tail: LOG_TAIL_LINES, signal: AbortSignal.timeout(5000) })) lines.push(line.text);
  } catch {
    return [];
  }
  if (lines.length === 0) return ['no log output'];
  return [`last ${lines.length === 1 ? 'log line' : `${lines.length} log lines`}:`, ...lines.map((line) => `  ${line}`)];
}

function exitText(details: ContainerDetails): string {
  const oom = details.state.oomKilled ? ', killed for lack of memory' : '';
  const error = details.state.error ? `: ${details.state.error}` : '';
  return `exit code ${details.state.exitCode}${oom}${error}`;
}

/**
 * The exit code of a crash loop caught while it runs again (the engine then reports exit code 0):
 * its next exit, waited for briefly; undefined when it does not come (or the wait is aborted).
 */
async function nextExitCode(engine: Engine, id: string, signal: AbortSignal | undefined): Promise<number | undefined> {
  try {
    return await engine.waitContainer(id, { condition: 'next-exit', timeoutMs: NEXT_EXIT_WAIT_MS, ...(signal ? { signal } : {}) });
  } catch {
    return undefined;
  }
}

/** Judges one inspect of one container against the target's condition. */
async function judge(engine: Engine, tracker: Tracker, details: ContainerDetails, now: number, signal?: AbortSignal): Promise<Verdict> {
  const { target, container } = tracker;
  const name = container.name;
  const state = details.state;
  tracker.baselineRestarts ??= details.restartCount;

  switch (target.condition) {
    case 'service_completed_successfully': {
      if (state.status !== 'exited' && state.status !== 'dead') return { kind: 'pending', why: `container ${name} is ${state.status}` };
      if (state.exitCode === 0) return { kind: 'ready', text: 'Exited' };
      return {
        kind: 'failed',
        error: new WaitError(`service "${target.service}" didn't complete successfully: exit ${state.exitCode}`, [
          `container ${name}: ${exitText(details)}`,
          ...(await logDiagnostics(engine, container.id)),
        ]),
      };
    }

    case 'service_healthy': {
      if (state.status === 'exited' || state.status === 'dead') {
        return {
          kind: 'failed',
          error: new WaitError(`dependency failed to start: container ${name} exited (${state.exitCode})`, [
            exitText(details),
            ...(await logDiagnostics(engine, container.id)),
          ]),
        };
      }
      if (state.health === undefined) {
        return {
          kind: 'failed',
          error: new WaitError(`dependency failed to start: container ${name} has no healthcheck configured`, [
            `add a healthcheck to service "${target.service}", or depend on it with condition: service_started`,
          ]),
        };
      }
      if (state.health.status === 'healthy') return { kind: 'ready', text: 'Healthy' };
      if (state.health.status === 'unhealthy') {
        return { kind: 'failed', error: new WaitError(`dependency failed to start: container ${name} is unhealthy`, healthDiagnostics(details)) };
      }
      return { kind: 'pending', why: `container ${name} is ${state.status === 'running' ? `still ${state.health.status}` : state.status}` };
    }

    case 'running_or_healthy': {
      if (state.status === 'restarting' || details.restartCount > tracker.baselineRestarts) {
        const times = details.restartCount === 1 ? '1 time' : `${details.restartCount} times`;
        // While it runs again the engine reports exit code 0: only a stopped container's code
        // means something, so a running one's next exit is waited for.
        const code = state.status === 'running' ? await nextExitCode(engine, container.id, signal) : state.exitCode;
        const last = state.status === 'running' ? (code === undefined ? [] : [`last exit code ${code}`]) : [`last ${exitText(details)}`];
        return {
          kind: 'failed',
          error: new WaitError(`container ${name} keeps exiting and being restarted (restarted ${times})`, [
            ...last,
            ...(await logDiagnostics(engine, container.id)),
          ]),
        };
      }
      if (state.status === 'exited' || state.status === 'dead') {
        return {
          kind: 'failed',
          error: new WaitError(`container ${name} exited (${state.exitCode})`, [exitText(details), ...(await logDiagnostics(engine, container.id))]),
        };
      }
      if (state.status !== 'running') return { kind: 'pending', why: `container ${name} is ${state.status}` };
      if (state.health !== undefined) {
        if (state.health.status === 'healthy') return { kind: 'ready', text: 'Healthy' };
        if (state.health.status === 'unhealthy') {
          return { kind: 'failed', error: new WaitError(`container ${name} is unhealthy`, healthDiagnostics(details)) };
        }
        return { kind: 'pending', why: `container ${name} is still ${state.health.status}` };
      }
      // No healthcheck: ready once it has run a while without restarting, judged by the engine's
      // clock (StartedAt) or, when clocks disagree, by how long this wait has seen it running.
      if (tracker.runningSince?.startedAt !== state.startedAt) tracker.runningSince = { startedAt: state.startedAt, seenAt: now };
      const engineUptime = now - Date.parse(state.startedAt);
      const seenUptime = now - tracker.runningSince.seenAt;
      const window = stabilityWindowMs(details);
      if (engineUptime >= window || seenUptime >= window) return { kind: 'ready', text: 'Running' };
      return { kind: 'pending', why: `container ${name} has been running for less than ${window / 1000}s` };
    }
  }
}

function containerId(name: string): string {
  return `Container ${name}`;
}

/**
 * Waits until every container of every target satisfies its condition. Throws WaitError for the
 * first failure (others still pending are reported as such) or at the deadline, and the signal's
 * reason when aborted. Emits Waiting and then Healthy / Exited / Running per container.
 */
export async function waitFor(engine: Engine, targets: readonly WaitTarget[], options: WaitOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const started = now();
  const deadline = started + options.timeoutSeconds * 1000;
  const trackers: Tracker[] = targets.flatMap((target) => target.containers.map((container) => ({ target, container })));
  for (const tracker of trackers) options.progress?.event(working(containerId(tracker.container.name), 'Waiting'));

  let delay = FIRST_POLL_MS;
  for (;;) {
    if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new CancelledError();
    const pending = trackers.filter((tracker) => tracker.verdict?.kind !== 'ready');
    if (pending.length === 0) return;
    const at = now();
    await Promise.all(
      pending.map(async (tracker) => {
        try {
          tracker.last = await engine.inspectContainer(tracker.container.id, { signal: options.signal });
        } catch (error) {
          if (options.signal?.aborted) return;
          tracker.verdict = {
            kind: 'failed',
            error: new WaitError(`container ${tracker.container.name} could not be inspected: ${(error as Error).message}`),
          };
          return;
        }
        tracker.verdict = await judge(engine, tracker, tracker.last, at, options.signal);
        if (tracker.verdict.kind === 'ready') options.progress?.event(done(containerId(tracker.container.name), tracker.verdict.text));
      }),
    );
    if (options.signal?.aborted) continue;
    const failure = trackers.find((tracker) => tracker.verdict?.kind === 'failed');
    if (failure !== undefined && failure.verdict?.kind === 'failed') {
      report(options, [failure], failure.verdict.error.headline);
      throw failure.verdict.error;
    }
    if (trackers.every((tracker) => tracker.verdict?.kind === 'ready')) return;
    if (now() >= deadline) {
      const error = timeoutError(trackers, options);
      report(options, trackers.filter((tracker) => tracker.verdict?.kind === 'pending'), error.headline);
      throw error;
    }
    await abortableSleep(Math.min(delay, Math.max(0, deadline - now())), options.signal);
    delay = Math.min(MAX_POLL_MS, Math.round(delay * 1.5));
  }
}

function report(options: WaitOptions, trackers: readonly Tracker[], details: string): void {
  for (const tracker of trackers) {
    const id = containerId(tracker.container.name);
    options.progress?.event(options.optional ? { id, state: 'warning', text: 'Warning', details } : { id, state: 'error', text: 'Error', details });
  }
}

function timeoutError(trackers: readonly Tracker[], options: WaitOptions): WaitError {
  const diagnostics: string[] = [];
  for (const tracker of trackers) {
    if (tracker.verdict?.kind !== 'pending') continue;
    diagnostics.push(tracker.verdict.why);
    if (tracker.last?.state.health !== undefined) diagnostics.push(...healthDiagnostics(tracker.last).map((line) => `  ${line}`));
    if (tracker.last !== undefined && tracker.last.restartCount > 0) diagnostics.push(`  restarted ${tracker.last.restartCount} times`);
  }
  return new WaitError(options.describeTimeout(options.timeoutSeconds), diagnostics);
}
