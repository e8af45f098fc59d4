/** `tscompose stop [SERVICE...]`: stop running containers, dependents first; `-t` overrides stop_grace_period. */
import { observe } from '../apply/observe.js';
import type { Context } from '../context.js';
import { planStop } from '../plan/lifecycle.js';
import { applyPlan, withProjectSession } from './apply-plan.js';
import { loadProjectOrName } from './project-or-name.js';

export interface StopOptions {
  readonly timeout?: number;
}

export async function stopCommand(ctx: Context, services: readonly string[], options: StopOptions): Promise<void> {
  const { name: projectName, project } = await loadProjectOrName(ctx);
  await withProjectSession(ctx, projectName, 'stop', async (session, progress) => {
    const observed = await observe(session.engine, project ?? { name: projectName }, { signal: ctx.forceSignal });
    const plan = planStop(observed, {
      projectName,
      ...(project ? { project } : {}),
      services,
      ...(options.timeout === undefined ? {} : { timeoutSeconds: options.timeout }),
    });
    await applyPlan(ctx, session, plan, progress, { ...(project ? { project } : {}), observed });
  });
}
