/**
 * `tscompose restart [SERVICE...]`: restart the containers as they are (configuration changes are
 * not applied: that is `up`), dependencies first, and the services that depend on them with
 * `restart: true` unless `--no-deps`.
 */
import { observe } from '../apply/observe.js';
import type { Context } from '../context.js';
import { planRestart } from '../plan/lifecycle.js';
import { applyPlan, withProjectSession } from './apply-plan.js';
import { loadProjectOrName } from './project-or-name.js';

export interface RestartOptions {
  readonly noDeps: boolean;
  readonly timeout?: number;
}

export async function restartCommand(ctx: Context, services: readonly string[], options: RestartOptions): Promise<void> {
  const { name: projectName, project } = await loadProjectOrName(ctx);
  await withProjectSession(ctx, projectName, 'restart', async (session, progress) => {
    const observed = await observe(session.engine, project ?? { name: projectName }, { signal: ctx.forceSignal });
    const plan = planRestart(observed, {
      projectName,
      ...(project ? { project } : {}),
      services,
      noDeps: options.noDeps,
      ...(options.timeout === undefined ? {} : { timeoutSeconds: options.timeout }),
    });
    await applyPlan(ctx, session, plan, progress, { ...(project ? { project } : {}), observed });
  });
}
