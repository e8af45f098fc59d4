/**
 * What the commands that change the engine share: the project they act on, and running one plan
 * with progress output, `--dry-run`, warnings and the one way results become errors.
 */
import type { Engine } from '../apply/engine.js';
import type { ExecutionResult } from '../apply/execute.js';
import { withProgress, type ProgressReporter } from '../apply/progress.js';
import { runPlan, type PlanRunContext, type RunPlanOptions } from '../api/run-plan.js';
import type { Context } from '../context.js';
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
  const loaded: LoadedProject = await loadAndValidate(ctx, { services, target: 'engine' });
  return { project: toProject(loaded), environment: loaded.environment };
}

export { truthy } from './truthy.js';

export interface ApplyOptions extends Omit<RunPlanOptions, 'onPlan' | 'replan'> {
  /** `up --explain`: print the plan in words on stderr before running it (`--dry-run` prints it on stdout). */
  readonly explain?: boolean;
}

/** The plan in words (describe-plan.ts), or that there is nothing to do. */
export function planText(plan: Plan): string {
  const lines = describePlan(plan);
  return lines.length === 0 ? 'nothing to do\n' : `${lines.join('\n')}\n`;
}

/** Where the command's plans run: its engine, progress view, Ctrl-C signals, warnings and flags. */
export function planRunContext(ctx: Context, engine: Engine, progress: ProgressReporter): PlanRunContext {
  return {
    engine,
    progress,
    signal: ctx.signal,
    forceSignal: ctx.forceSignal,
    dryRun: ctx.options.dryRun,
    warn: (message) => ctx.warn(message),
    ...(ctx.options.parallel === undefined ? {} : { parallel: ctx.options.parallel }),
  };
}

/**
 * Prints the plan's warnings, then runs it (or, with `--dry-run`, prints it and shows the events it
 * would produce without touching the engine). Returns the result; a cancelled run throws
 * CancelledError, and a failed one the summary, unless the caller wants to re-plan.
 */
export function applyPlan(
  ctx: Context,
  session: EngineSession,
  plan: Plan,
  progress: ProgressReporter,
  options: ApplyOptions = {},
): Promise<ExecutionResult> {
  const { explain, ...rest } = options;
  return runPlan(plan, planRunContext(ctx, session.engine, progress), {
    ...rest,
    onPlan: (planned) => {
      if (ctx.options.dryRun) ctx.stdout.write(planText(planned));
      else if (explain) ctx.stderr.write(planText(planned));
    },
    replan: true,
  });
}

export { withProgress } from '../apply/progress.js';

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
