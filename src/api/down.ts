/**
 * Taking a project down: stop and remove its containers (dependents first), its networks, with
 * `volumes` its volumes, with `rmi` its images. Ownership is decided by labels only, so it works
 * with only the project's name and no compose file, and never removes what the project does not
 * own: a same-name volume without this project's label survives (reliability P2; Docker Compose
 * deletes it). The caller holds the project's lock.
 */
import type { Engine } from '../apply/engine.js';
import { observe } from '../apply/observe.js';
import { done, warning, working, type ProgressReporter } from '../apply/progress.js';
import { EngineError } from '../errors.js';
import { LABEL } from '../model/labels.js';
import type { Project } from '../model/types.js';
import { planDown } from '../plan/down.js';
import { serviceImageReference } from '../plan/names.js';
import type { Plan } from '../plan/plan.js';
import { runPlan, type PlanRunContext } from './run-plan.js';

export interface DownRequest {
  readonly projectName: string;
  /** Absent when only the name is known (no compose file): the project's containers decide. */
  readonly project?: Project;
  /** Only these services (empty = all). */
  readonly services: readonly string[];
  readonly removeOrphans: boolean;
  /** Also the project's named volumes and its containers' anonymous volumes. */
  readonly volumes: boolean;
  /** `local`: the images built for services without an `image:` name; `all`: every image the services use. */
  readonly rmi?: 'local' | 'all';
  /** Seconds a container gets to stop before it is killed (default: its stop_grace_period). */
  readonly timeoutSeconds?: number;
  /** Called with the plan right before it runs (`--dry-run` prints it). */
  readonly onPlan?: (plan: Plan) => void;
}

export async function takeDown(run: PlanRunContext, request: DownRequest): Promise<void> {
  const { engine, projectName, project } = { ...run, ...request };
  // The image list is read before the containers that name their images are gone.
  const images = request.rmi ? await imagesToRemove(engine, projectName, project, request.rmi === 'local') : [];
  const observed = await observe(engine, project ?? { name: projectName }, { signal: run.forceSignal });
  const plan = planDown(observed, {
    projectName,
    ...(project ? { project } : {}),
    services: request.services,
    removeOrphans: request.removeOrphans,
    volumes: request.volumes,
    ...(request.timeoutSeconds === undefined ? {} : { timeoutSeconds: request.timeoutSeconds }),
  });
  const quiet = images.length > 0 ? { ...plan, warnings: plan.warnings.filter((message) => !message.startsWith('No resource found')) } : plan;
  await runPlan(quiet, run, { ...(project ? { project } : {}), observed, replan: true, ...(request.onPlan ? { onPlan: request.onPlan } : {}) });
  await removeImages(run, images);
}

/**
 * `rmi: 'all'`: every image the services use; `'local'`: only images without a name of the
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

async function removeImages(run: PlanRunContext, images: readonly string[]): Promise<void> {
  const progress: ProgressReporter = run.progress;
  for (const image of images) {
    const id = `Image ${image}`;
    if (run.dryRun) {
      progress.event(done(id, 'Removed'));
      continue;
    }
    progress.event(working(id, 'Removing'));
    try {
      await run.engine.removeImage(image, { signal: run.forceSignal });
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
