/**
 * How an attached `up` stops its services on Ctrl-C and for the abort flags (reliability P9): the
 * targeted services are stopped, not removed, dependents first, each with its stop_grace_period
 * (or `-t`); once `ctx.forceSignal` aborts (the second Ctrl-C), whatever still runs is killed at
 * once, also in the middle of the graceful stop.
 *
 * It runs after the first Ctrl-C, so nothing here listens to `ctx.signal`, and it takes no project
 * lock: a stop must never wait behind another run (that is how Compose's Ctrl-C hangs start).
 */
import type { Engine } from '../../apply/engine.js';
import { announce, execute, type ExecuteOptions } from '../../apply/execute.js';
import { executionError } from '../../apply/execution-summary.js';
import { observe, toObservedContainer } from '../../apply/observe.js';
import { done, failed, working, type ProgressReporter } from '../../apply/progress.js';
import type { Context } from '../../context.js';
import { EngineError } from '../../errors.js';
import type { Project } from '../../model/types.js';
import { containerService, isOneOff } from '../../plan/observed.js';
import { planStop } from '../../plan/lifecycle.js';

export interface GracefulStopOptions {
  readonly engine: Engine;
  readonly project: Project;
  readonly services: readonly string[];
  /** `-t`: overrides every service's stop_grace_period. */
  readonly timeoutSeconds?: number;
  readonly progress: ProgressReporter;
}

export async function stopGracefully(ctx: Context, options: GracefulStopOptions): Promise<void> {
  const { engine, project, services, progress } = options;
  if (ctx.forceSignal.aborted) return killServices(ctx, options);
  const observed = await observe(engine, { name: project.name });
  const plan = planStop(observed, {
    projectName: project.name,
    project,
    services,
    ...(options.timeoutSeconds === undefined ? {} : { timeoutSeconds: options.timeoutSeconds }),
  });
  const executeOptions: ExecuteOptions = {
    engine,
    progress,
    project,
    observed,
    forceSignal: ctx.forceSignal,
    warn: (message) => ctx.warn(message),
    ...(ctx.options.parallel === undefined ? {} : { concurrency: ctx.options.parallel }),
  };
  announce(plan, executeOptions);
  const result = await execute(plan, executeOptions);
  if (ctx.forceSignal.aborted) return killServices(ctx, options);
  if (!result.ok) ctx.warn(executionError(result).message);
}

/** The second Ctrl-C: SIGKILL to every container of the services that still runs. */
async function killServices(_ctx: Context, options: GracefulStopOptions): Promise<void> {
  const { engine, project, services, progress } = options;
  const wanted = new Set(services);
  const containers = (await engine.listContainers(project.name))
    .map(toObservedContainer)
    .filter((container) => !isOneOff(container) && wanted.has(containerService(container) ?? ''))
    .filter((container) => container.state === 'running' || container.state === 'restarting' || container.state === 'paused');
  await Promise.all(
    containers.map(async (container) => {
      const id = `Container ${container.name}`;
      progress.event(working(id, 'Killing'));
      try {
        await engine.killContainer(container.id);
        progress.event(done(id, 'Killed'));
      } catch (error) {
        // Stopped meanwhile (409 "is not running") or gone: what the kill was for.
        if (error instanceof EngineError && (error.kind === 'conflict' || error.kind === 'not-found')) progress.event(done(id, 'Killed'));
        else progress.event(failed(id, error instanceof Error ? error.message : String(error)));
      }
    }),
  );
}
