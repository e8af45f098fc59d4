/**
 * `tscompose down`: the flags, checked, turned into one call of api/down.ts (stop and remove the
 * project's containers, networks, with `-v` its volumes, with `--rmi` its images), in a session
 * holding the project's lock. With only `-p NAME` and no compose file, the labels decide.
 */
import { takeDown } from '../api/down.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { planRunContext, planText, truthy, withProjectSession } from './apply-plan.js';
import { loadProjectOrName } from './project-or-name.js';

export interface DownOptions {
  /** undefined when the flag was not given (COMPOSE_REMOVE_ORPHANS decides). */
  readonly removeOrphans?: boolean;
  readonly volumes: boolean;
  readonly rmi?: string;
  readonly timeout?: number;
}

export async function downCommand(ctx: Context, services: readonly string[], options: DownOptions): Promise<void> {
  const rmi = options.rmi;
  if (rmi !== undefined && rmi !== 'local' && rmi !== 'all') throw new UsageError(`invalid value for --rmi: "${rmi}"`);
  const { name: projectName, project } = await loadProjectOrName(ctx);
  await withProjectSession(ctx, projectName, 'down', (session, progress) =>
    takeDown(planRunContext(ctx, session.engine, progress), {
      projectName,
      ...(project ? { project } : {}),
      services,
      removeOrphans: options.removeOrphans ?? truthy(ctx.env.COMPOSE_REMOVE_ORPHANS),
      volumes: options.volumes,
      ...(rmi === undefined ? {} : { rmi }),
      ...(options.timeout === undefined ? {} : { timeoutSeconds: options.timeout }),
      ...(ctx.options.dryRun ? { onPlan: (plan) => ctx.stdout.write(planText(plan)) } : {}),
    }),
  );
}
