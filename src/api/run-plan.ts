/**
 * Runs a plan with the executor, the one way every caller does (up, down, start/stop/restart,
 * watch's restarts, rebuilds and re-plans): its warnings first (each once per run), then the
 * resources it touches announced to the progress view, then the plan, and its result turned into
 * the one error a failed run becomes. Only Ctrl-C cancels it.
 */
import type { Engine } from '../apply/engine.js';
import { announce, execute, type ExecuteOptions, type ExecutionResult } from '../apply/execute.js';
import { executionError } from '../apply/execution-summary.js';
import type { ProgressEvent, ProgressReporter } from '../apply/progress.js';
import { CancelledError } from '../errors.js';
import type { Plan } from '../plan/plan.js';

/** Where a plan runs: the engine, the progress view, the signals and the warnings' sink. */
export interface PlanRunContext {
  readonly engine: Engine;
  readonly progress: ProgressReporter;
  /** First Ctrl-C: start nothing new. */
  readonly signal: AbortSignal;
  /** Second Ctrl-C: abort engine calls in flight. */
  readonly forceSignal: AbortSignal;
  readonly warn: (message: string) => void;
  readonly parallel?: number;
  /** `--dry-run`: show the events the plan would produce without touching the engine. */
  readonly dryRun?: boolean;
}

export interface RunPlanOptions extends Omit<ExecuteOptions, 'engine' | 'progress' | 'signal' | 'forceSignal' | 'dryRun' | 'warn' | 'concurrency'> {
  /** Events about resources the plan leaves alone (Compose's "Running"), shown before the plan runs. */
  readonly untouched?: readonly ProgressEvent[];
  /** Warnings already printed (a re-planned run does not repeat them). */
  readonly printedWarnings?: Set<string>;
  /** Called with the plan right before it runs (the CLI prints it in words for `--dry-run` and `--explain`). */
  readonly onPlan?: (plan: Plan) => void;
  /** Return the result of a run a concurrent run interrupted (`result.replan`) instead of failing, so the caller re-plans. */
  readonly replan?: boolean;
}

/** Returns the result; a cancelled run throws CancelledError, and a failed one the summary (unless a re-plan was asked for). */
export async function runPlan(plan: Plan, context: PlanRunContext, options: RunPlanOptions): Promise<ExecutionResult> {
  const { untouched = [], printedWarnings = new Set<string>(), onPlan, replan, ...rest } = options;
  for (const message of plan.warnings) {
    if (printedWarnings.has(message)) continue;
    printedWarnings.add(message);
    context.warn(message);
  }
  onPlan?.(plan);
  const executeOptions: ExecuteOptions = {
    ...rest,
    engine: context.engine,
    progress: context.progress,
    signal: context.signal,
    forceSignal: context.forceSignal,
    dryRun: context.dryRun ?? false,
    warn: context.warn,
    ...(context.parallel === undefined ? {} : { concurrency: context.parallel }),
  };
  announce(plan, executeOptions, untouched.map((event) => event.id));
  for (const event of untouched) context.progress.event(event);
  const result = await execute(plan, executeOptions);
  if (result.cancelled) throw new CancelledError();
  if (!result.ok && (result.replan === undefined || !replan)) throw executionError(result);
  return result;
}
