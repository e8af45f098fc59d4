/**
 * `tscompose start [SERVICE...]`: start existing containers (and those of their dependencies) in
 * dependency order, honouring depends_on conditions. It creates nothing: that is `up`.
 */
import { observe } from '../apply/observe.js';
import type { Context } from '../context.js';
import { planStart } from '../plan/lifecycle.js';
import { applyPlan, loadTarget, withProjectSession } from './apply-plan.js';

export interface StartOptions {
  readonly waitTimeout?: number;
}

export async function startCommand(ctx: Context, services: readonly string[], options: StartOptions = {}): Promise<void> {
  const { project, environment } = await loadTarget(ctx, services);
  await withProjectSession(ctx, project.name, 'start', async (session, progress) => {
    const observed = await observe(session.engine, project, { signal: ctx.forceSignal });
    const plan = planStart(observed, {
      project,
      services,
      ...(options.waitTimeout === undefined ? {} : { waitTimeoutSeconds: options.waitTimeout }),
    });
    await applyPlan(ctx, session, plan, progress, { project, observed, environment });
  });
}
