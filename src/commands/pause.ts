/** `tscompose pause` / `unpause [SERVICE...]`: freeze or thaw the services' running containers (one-off containers are left alone, as in Compose). */
import type { Context } from '../context.js';
import { actOnContainers, withContainerSession } from './container-actions.js';
import { loadProjectOrName, rejectUnknownServiceNames } from './project-or-name.js';
import { isOneOffContainer, projectContainersOf } from '../api/service-containers.js';

export async function pauseCommand(ctx: Context, services: readonly string[], pause: boolean): Promise<void> {
  const { name, project } = await loadProjectOrName(ctx);
  rejectUnknownServiceNames(project, services);
  await withContainerSession(ctx, async (engine, progress) => {
    const wanted = pause ? 'running' : 'paused';
    const containers = (await projectContainersOf(ctx, engine, name, services)).filter(
      (container) => container.status === wanted && !isOneOffContainer(container),
    );
    await actOnContainers(
      ctx,
      engine,
      containers,
      pause
        ? { did: 'Paused', call: (client, container) => client.pauseContainer(container.id, { signal: ctx.forceSignal }) }
        : { did: 'Unpaused', call: (client, container) => client.unpauseContainer(container.id, { signal: ctx.forceSignal }) },
      progress,
    );
  });
}
