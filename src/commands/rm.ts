/**
 * `tscompose rm [SERVICE...]`: remove the services' stopped containers (one-off containers are
 * left to `down`, as in Compose 2.26), after a confirmation unless `-f`; `-s` stops running ones
 * first, `-v` removes their anonymous volumes too.
 */
import type { Context } from '../context.js';
import { withProjectSession } from './apply-plan.js';
import { confirm } from './confirm.js';
import { actOnContainers } from './container-actions.js';
import { loadProjectOrName, rejectUnknownServiceNames } from './project-or-name.js';
import { isOneOffContainer, projectContainersOf, UP_STATES } from '../api/service-containers.js';

export interface RmOptions {
  readonly force: boolean;
  readonly stop: boolean;
  readonly volumes: boolean;
}

export async function rmCommand(ctx: Context, services: readonly string[], options: RmOptions): Promise<void> {
  const { name, project } = await loadProjectOrName(ctx);
  rejectUnknownServiceNames(project, services);
  await withProjectSession(ctx, name, 'rm', async (session, progress) => {
    const { engine } = session;
    const containers = (await projectContainersOf(ctx, engine, name, services)).filter((container) => !isOneOffContainer(container));
    const running = containers.filter((container) => UP_STATES.has(container.status));
    if (options.stop && running.length > 0) {
      await actOnContainers(
        ctx,
        engine,
        running,
        { doing: 'Stopping', did: 'Stopped', call: (client, container) => client.stopContainer(container.id, { signal: ctx.forceSignal }) },
        progress,
      );
    }
    const removable = options.stop ? containers : containers.filter((container) => !UP_STATES.has(container.status));
    if (removable.length === 0) {
      ctx.stderr.write('No stopped containers\n');
      return;
    }
    if (!options.force) {
      ctx.stdout.write(`Going to remove ${removable.map((container) => container.name).join(', ')}\n`);
      if (!(await confirm(ctx, 'Are you sure?'))) return;
    }
    await actOnContainers(
      ctx,
      engine,
      removable,
      {
        doing: 'Removing',
        did: 'Removed',
        call: (client, container) => client.removeContainer(container.id, { force: true, volumes: options.volumes, signal: ctx.forceSignal }),
      },
      progress,
    );
  });
}
