/**
 * Runs a plan made during watching (a restart, a rebuild's recreate, a re-plan) with the
 * executor, and turns its result into the one error a batch reports. Plans run under the
 * project's lock (the caller holds it), and only Ctrl-C cancels them.
 */
import type { Engine } from '../apply/engine.js';
import { execute, type ExecutionResult } from '../apply/execute.js';
import { executionError } from '../apply/execution-summary.js';
import type { ProgressReporter } from '../apply/progress.js';
import { CancelledError } from '../errors.js';
import type { Project } from '../model/types.js';
import type { ObservedState } from '../plan/observed.js';
import type { Plan } from '../plan/plan.js';

export interface PlanRunContext {
  readonly engine: Engine;
  readonly progress: ProgressReporter;
  /** First Ctrl-C: start nothing new. */
  readonly signal: AbortSignal;
  /** Second Ctrl-C: abort engine calls in flight. */
  readonly forceSignal: AbortSignal;
  readonly warn: (message: string) => void;
  readonly parallel?: number;
}

export async function runPlan(
  plan: Plan,
  context: PlanRunContext,
  state: { readonly project: Project; readonly observed: ObservedState; readonly environment: Readonly<Record<string, string>> },
): Promise<ExecutionResult> {
  for (const message of plan.warnings) context.warn(message);
  if (plan.nodes.length === 0) return { outcomes: [], cancelled: false, ok: true };
  const result = await execute(plan, {
    engine: context.engine,
    progress: context.progress,
    signal: context.signal,
    forceSignal: context.forceSignal,
    warn: context.warn,
    project: state.project,
    observed: state.observed,
    environment: state.environment,
    ...(context.parallel === undefined ? {} : { concurrency: context.parallel }),
  });
  if (result.cancelled) throw new CancelledError();
  if (!result.ok) throw executionError(result);
  return result;
}
