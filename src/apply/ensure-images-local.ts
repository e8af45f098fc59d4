/**
 * The images seam of `up`: before anything is created, every image the run needs must exist on
 * the engine. The full version (pull policies, `build:`, `--pull`, `--build`) lives in images.ts;
 * this stand-in only checks that the images are present and says clearly what to do when one is
 * not. `up` calls `ensureImages(options)` and nothing else, so replacing this file by the full
 * implementation with the same signature changes one import.
 */
import { UsageError } from '../errors.js';
import type { Project } from '../model/types.js';
import { serviceImageReference } from '../plan/names.js';
import type { Engine } from './engine.js';
import type { ProgressReporter } from './progress.js';

export type PullOption = 'always' | 'missing' | 'never' | 'build' | 'policy';

export interface EnsureImagesOptions {
  readonly engine: Engine;
  readonly project: Project;
  /** The services whose containers this run may create (named ones plus dependencies). */
  readonly services: readonly string[];
  /** `--build`: build images of services with `build:` before starting. */
  readonly build?: boolean;
  /** `--no-build`: never build, even when the image is missing. */
  readonly noBuild?: boolean;
  /** `--pull`; `policy` (the default) follows each service's `pull_policy`. */
  readonly pull?: PullOption;
  readonly quietPull?: boolean;
  readonly progress?: ProgressReporter;
  readonly signal?: AbortSignal;
  readonly dryRun?: boolean;
}

export async function ensureImages(options: EnsureImagesOptions): Promise<void> {
  const { engine, project } = options;
  const services = options.services.map((name) => project.services[name]).filter((service) => service !== undefined);
  if (options.build && services.some((service) => service.build !== undefined)) {
    throw new UsageError('--build needs image building, which this version of tscompose does not have yet; build the images with docker build');
  }
  const byReference = new Map<string, string[]>();
  for (const service of services) {
    if ((service.scale ?? service.deploy?.replicas) === 0) continue;
    const reference = serviceImageReference(project.name, service);
    byReference.set(reference, [...(byReference.get(reference) ?? []), service.name]);
  }
  const references = [...byReference.keys()].sort();
  const found = await Promise.all(references.map((reference) => engine.inspectImage(reference, { signal: options.signal })));
  const missing = references.filter((_, index) => found[index] === undefined);
  if (missing.length === 0) return;
  const lines = missing.map((reference) => {
    const users = byReference.get(reference)!;
    const service = project.services[users[0]];
    const how = service.build !== undefined ? `docker build -t ${reference} ${service.build.context}` : `docker pull ${reference}`;
    return `image "${reference}" (service ${users.join(', ')}) is not present on the engine; get it first, e.g. with: ${how}`;
  });
  throw new UsageError(lines.join('\n'));
}
