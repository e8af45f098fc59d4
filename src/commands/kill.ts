/**
 * `tscompose kill [SERVICE...]`: send a signal (default SIGKILL) to the running containers of the
 * services, one-off containers included, as Compose does. Orphans (containers of services the file
 * no longer has) only with `--remove-orphans`. Nothing to kill is not an error.
 */
import type { Context } from '../context.js';
import { actOnContainers, withContainerSession } from './container-actions.js';
import { loadProjectOrName, rejectUnknownServiceNames } from './project-or-name.js';
import { projectContainersOf, serviceOf, UP_STATES } from '../api/service-containers.js';

export interface KillOptions {
  readonly signal: string;
  readonly removeOrphans: boolean;
}

export async function killCommand(ctx: Context, services: readonly string[], options: KillOptions): Promise<void> {
  const { name, project } = await loadProjectOrName(ctx);
  rejectUnknownServiceNames(project, services);
  await withContainerSession(ctx, async (engine, progress) => {
    const known = project ? new Set([...Object.keys(project.services), ...Object.keys(project.disabledServices)]) : undefined;
    const containers = (await projectContainersOf(ctx, engine, name, services))
      .filter((container) => UP_STATES.has(container.status))
      .filter((container) => options.removeOrphans || known === undefined || known.has(serviceOf(container)));
    if (containers.length === 0) {
      ctx.stderr.write('no container to kill\n');
      return;
    }
    await actOnContainers(
      ctx,
      engine,
      containers,
      { doing: 'Killing', did: 'Killed', call: (client, container) => client.killContainer(container.id, { killSignal: options.signal, signal: ctx.forceSignal }) },
      progress,
    );
  });
}
