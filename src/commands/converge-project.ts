/**
 * One converge of the project from the command line, as `up` and watch's first run do it: the
 * orphan settings from the flags and the environment, the project's lock, then the converge step
 * (api/converge.ts) with the command's progress view and, for `--dry-run` and `--explain`, the
 * plan printed in words.
 */
import { converge, type ConvergeOptions, type Converged } from '../api/converge.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import type { Plan } from '../plan/plan.js';
import { planText, truthy, type LoadedTarget } from './apply-plan.js';
import { confirmVolumeRecreation } from './confirm-volumes.js';
import type { EngineSession } from './engine-session.js';
import { createProgress, progressMode } from './output/create-progress.js';

/**
 * `--remove-orphans` (or COMPOSE_REMOVE_ORPHANS when the flag is not given) and
 * COMPOSE_IGNORE_ORPHANS from the project's environment, which cannot be combined.
 */
export function orphanSettings(ctx: Context, target: LoadedTarget, removeOrphansFlag: boolean | undefined): { removeOrphans: boolean; ignoreOrphans: boolean } {
  const ignoreOrphans = truthy(target.environment.COMPOSE_IGNORE_ORPHANS);
  const removeOrphans = removeOrphansFlag ?? truthy(ctx.env.COMPOSE_REMOVE_ORPHANS);
  if (ignoreOrphans && removeOrphans) throw new UsageError('cannot combine COMPOSE_IGNORE_ORPHANS and --remove-orphans');
  return { removeOrphans, ignoreOrphans };
}

/**
 * Takes the project's lock (not for `--dry-run`, which changes nothing) and converges it. A volume
 * whose definition changed is recreated when `yes` says so or the user confirms it on a terminal.
 */
export async function convergeProject(
  ctx: Context,
  session: EngineSession,
  target: LoadedTarget,
  options: ConvergeOptions & { readonly explain?: boolean; readonly yes?: boolean },
): Promise<Converged> {
  const { explain, yes, ...convergeOptions } = options;
  if (!ctx.options.dryRun) await session.lock(target.project.name, 'up');
  const onPlan = ctx.options.dryRun ? (plan: Plan) => ctx.stdout.write(planText(plan)) : explain ? (plan: Plan) => ctx.stderr.write(planText(plan)) : undefined;
  return converge(
    {
      engine: session.engine,
      project: target.project,
      environment: target.environment,
      env: ctx.env,
      sealKey: session.sealKey,
      signal: ctx.signal,
      forceSignal: ctx.forceSignal,
      progress: () => createProgress(ctx),
      warn: (message) => ctx.warn(message),
      dryRun: ctx.options.dryRun,
      ...(progressMode(ctx) === 'json' ? { buildStepEvents: true } : {}),
      ...(ctx.options.parallel === undefined ? {} : { parallel: ctx.options.parallel }),
    },
    {
      ...convergeOptions,
      ...(onPlan ? { onPlan } : {}),
      confirmVolumes: (diverged) => confirmVolumeRecreation(ctx, diverged, yes ?? false),
    },
  );
}
