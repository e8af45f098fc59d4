/**
 * `tscompose down`: stop and remove the project's containers (dependents first), its networks,
 * with `-v` its volumes, with `--rmi` its images. Ownership is decided by labels only, so it works
 * with only `-p NAME` and no compose file, and never removes what the project does not own: a
 * same-name volume without this project's label survives `down -v` (reliability P2; Docker
 * Compose deletes it).
 */
import type { Engine } from '../apply/engine.js';
import { observe } from '../apply/observe.js';
import { done, warning, working, type ProgressReporter } from '../apply/progress.js';
import type { Context } from '../context.js';
import { EngineError, UsageError } from '../errors.js';
import { LABEL } from '../model/labels.js';
import type { Project } from '../model/types.js';
import { planDown } from '../plan/down.js';
import { serviceImageReference } from '../plan/names.js';
import { applyPlan, truthy, withProjectSession } from './apply-plan.js';
import { loadProjectOrName } from './project-or-name.js';

export interface DownOptions {
  /** undefined when the flag was not given (COMPOSE_REMOVE_ORPHANS decides). */
  readonly removeOrphans?: boolean;
  readonly volumes: boolean;
  readonly rmi?: string;
  readonly timeout?: number;
}

export async function downCommand(ctx: Context, services: readonly string[], options: DownOptions): Promise<void> {
  if (options.rmi !== undefined && options.rmi !== 'local' && options.rmi !== 'all') {
    throw new UsageError(`invalid value for --rmi: "${options.rmi}"`);
  }
  const { name: projectName, project } = await loadProjectOrName(ctx);
  await withProjectSession(ctx, projectName, 'down', async (session, progress) => {
    // The image list is read before the containers that name their images are gone.
    const images = options.rmi ? await imagesToRemove(session.engine, projectName, project, options.rmi === 'local') : [];
    const observed = await observe(session.engine, project ?? { name: projectName }, { signal: ctx.forceSignal });
    const plan = planDown(observed, {
      projectName,
      ...(project ? { project } : {}),
      services,
      removeOrphans: options.removeOrphans ?? truthy(ctx.env.COMPOSE_REMOVE_ORPHANS),
      volumes: options.volumes,
      ...(options.timeout === undefined ? {} : { timeoutSeconds: options.timeout }),
    });
    const quiet = images.length > 0 ? { ...plan, warnings: plan.warnings.filter((message) => !message.startsWith('No resource found')) } : plan;
    await applyPlan(ctx, session, quiet, progress, { ...(project ? { project } : {}), observed });
    await removeImages(session.engine, images, progress, ctx);
  });
}

/**
 * `--rmi all`: every image the services use; `--rmi local`: only images without a name of the
 * user's (services with no `image:`, built as `<project>-<service>`). Without a compose file, the
 * images of the project's containers.
 */
async function imagesToRemove(engine: Engine, projectName: string, project: Project | undefined, localOnly: boolean): Promise<string[]> {
  const references = new Set<string>();
  if (project) {
    for (const service of [...Object.values(project.services), ...Object.values(project.disabledServices)]) {
      if (localOnly && service.image !== undefined) continue;
      references.add(serviceImageReference(projectName, service));
    }
  } else {
    for (const container of await engine.listContainers(projectName)) {
      const local = `${projectName}-${container.labels[LABEL.service] ?? ''}`;
      if (localOnly && container.image !== local) continue;
      references.add(container.image);
    }
  }
  return [...references].sort();
}

async function removeImages(engine: Engine, images: readonly string[], progress: ProgressReporter, ctx: Context): Promise<void> {
  for (const image of images) {
    const id = `Image ${image}`;
    if (ctx.options.dryRun) {
      progress.event(done(id, 'Removed'));
      continue;
    }
    progress.event(working(id, 'Removing'));
    try {
      await engine.removeImage(image, { signal: ctx.forceSignal });
      progress.event(done(id, 'Removed'));
    } catch (error) {
      if (error instanceof EngineError && error.kind === 'not-found') {
        progress.event(done(id, 'Removed'));
        continue;
      }
      // An image another container still uses stays; that is not a failure of down.
      progress.event(warning(id, 'Warning', (error as Error).message));
    }
  }
}
