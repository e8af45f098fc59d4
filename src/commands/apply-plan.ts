/**
 * What the commands that change the engine share: the project they act on, and running one plan
 * with progress output, `--dry-run`, warnings and the one way results become errors.
 */
import { announce, execute, type ExecuteOptions, type ExecutionResult } from '../apply/execute.js';
import { executionError } from '../apply/execution-summary.js';
import type { ProgressEvent, ProgressReporter } from '../apply/progress.js';
import type { Context } from '../context.js';
import { CancelledError } from '../errors.js';
import type { LoadedProject } from '../load/types.js';
import { toProject } from '../model/index.js';
import type { Project } from '../model/types.js';
import { describePlan } from '../plan/describe-plan.js';
import type { Plan } from '../plan/plan.js';
import { openEngineSession, type EngineSession } from './engine-session.js';
import { loadAndValidate } from '../api/load-project.js';
import { createProgress } from './output/create-progress.js';

export interface LoadedTarget {
  readonly project: Project;
  /** The project's environment (shell + .env): secrets from `environment:`, COMPOSE_IGNORE_ORPHANS. */
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * The whole project (every enabled service), with the services named on the command line enabled
 * whatever their profiles. Planners get the names separately: the project is not narrowed, so the
 * services left out are still known (never mistaken for orphans) and still ordered.
 */
export async function loadTarget(ctx: Context, services: readonly string[]): Promise<LoadedTarget> {
  const loaded: LoadedProject = await loadAndValidate(ctx, { services });
  return { project: toProject(loaded), environment: loaded.environment };
}

/** `COMPOSE_REMOVE_ORPHANS=1` etc.: Go's boolean spellings, as Compose reads them. */
export function truthy(value: string | undefined): boolean {
  return value !== undefined && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
}

export interface ApplyOptions extends Omit<ExecuteOptions, 'engine' | 'progress' | 'signal' | 'forceSignal' | 'dryRun' | 'warn' | 'concurrency'> {
  /** Events about resources the plan leaves alone (Compose's "Running"), shown before the plan runs. */
  readonly untouched?: readonly ProgressEvent[];
  /** Warnings already printed (a re-planned run does not repeat them). */
  readonly printedWarnings?: Set<string>;
  /** `up --explain`: print the plan in words on stderr before running it (`--dry-run` prints it on stdout). */
  readonly explain?: boolean;
}

/** The plan in words (describe-plan.ts), or that there is nothing to do. */
export function planText(plan: Plan): string {
  const lines = describePlan(plan);
  return lines.length === 0 ? 'nothing to do\n' : `${lines.join('\n')}\n`;
}

/**
 * Prints the plan's warnings, then runs it (or, with `--dry-run`, prints it and shows the events it
 * would produce without touching the engine). Returns the result; a cancelled run throws
 * CancelledError, and a failed one the summary, unless the caller wants to re-plan.
 */
export async function applyPlan(
  ctx: Context,
  session: EngineSession,
  plan: Plan,
  progress: ProgressReporter,
  options: ApplyOptions = {},
): Promise<ExecutionResult> {
  const printed = options.printedWarnings ?? new Set<string>();
  for (const message of plan.warnings) {
    if (printed.has(message)) continue;
    printed.add(message);
    ctx.warn(message);
  }
  if (ctx.options.dryRun) ctx.stdout.write(planText(plan));
  else if (options.explain) ctx.stderr.write(planText(plan));
  const executeOptions: ExecuteOptions = {
    ...options,
    engine: session.engine,
    progress,
    signal: ctx.signal,
    forceSignal: ctx.forceSignal,
    dryRun: ctx.options.dryRun,
    warn: (message) => ctx.warn(message),
    ...(ctx.options.parallel === undefined ? {} : { concurrency: ctx.options.parallel }),
  };
  const untouched = options.untouched ?? [];
  announce(plan, executeOptions, untouched.map((event) => event.id));
  for (const event of untouched) progress.event(event);
  const result = await execute(plan, executeOptions);
  if (result.cancelled) throw new CancelledError();
  if (!result.ok && result.replan === undefined) throw executionError(result);
  return result;
}

/** Runs `body` with a progress reporter that is always closed (its output flushed) before returning or throwing. */
export async function withProgress<T>(progress: ProgressReporter, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    await progress.stop();
  }
}

/**
 * The frame of a command that changes one project: an engine session, a progress view, the
 * project's lock (not for `--dry-run`, which changes nothing), all released however it ends.
 */
export async function withProjectSession<T>(
  ctx: Context,
  projectName: string,
  command: string,
  body: (session: EngineSession, progress: ProgressReporter) => Promise<T>,
): Promise<T> {
  const session = await openEngineSession(ctx);
  try {
    const progress = createProgress(ctx);
    return await withProgress(progress, async () => {
      if (!ctx.options.dryRun) await session.lock(projectName, command);
      return body(session, progress);
    });
  } finally {
    session.close();
  }
}
