/**
 * Builds the images of several services at once: each image once (services sharing an `image:`
 * share the build), in parallel up to `--parallel`, except that an image waits for the images of
 * the services it depends on (a Dockerfile may start `FROM` a sibling's image). The first failure
 * interrupts the builds still running, and is what the caller gets.
 */
import { TscomposeError, CancelledError } from '../errors.js';
import type { Project } from '../model/types.js';
import { serviceGraph } from '../plan/graph.js';
import { serviceImageReference } from '../plan/names.js';
import { buildImage } from './build-image.js';
import { checkBuildSupport, toBuildSpec, type BuildOverrides } from './build-spec.js';
import type { Engine } from './engine.js';
import { limitConcurrency } from './limit-concurrency.js';
import { warning, type ProgressReporter } from './progress.js';
import { imageProgressId } from './pull-image.js';

export interface BuildServicesOptions extends BuildOverrides {
  readonly toolVersion: string;
  /** Cap on builds running at once; undefined = no cap. */
  readonly parallel?: number;
  readonly signal?: AbortSignal;
  /** Every line a builder prints, with the service it builds for. */
  readonly onOutput?: (service: string, line: string) => void;
  /** Attributes the classic builder ignores. */
  readonly warn?: (message: string) => void;
}

/** One error for everything wrong, so the user fixes it in one go. */
export class ImageError extends TscomposeError {
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} problems with images:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/**
 * Checks what the classic builder cannot do, for the services about to be built; throws an
 * ImageError before anything is built when a build could not come out right.
 */
export function assertBuildable(project: Project, services: readonly string[], warn?: (message: string) => void): void {
  const errors: string[] = [];
  for (const name of services) {
    const support = checkBuildSupport(project.services[name]);
    errors.push(...support.errors);
    for (const message of support.warnings) warn?.(message);
  }
  if (errors.length > 0) throw new ImageError(errors);
}

/**
 * Builds the given services (each must have a build section) and returns the new image id of
 * each. The image ids for the progress view are `imageProgressId(reference)`.
 */
export async function buildServices(
  engine: Engine,
  project: Project,
  services: readonly string[],
  options: BuildServicesOptions,
  progress: ProgressReporter,
): Promise<Record<string, string>> {
  assertBuildable(project, services, options.warn);
  const referenceOf = (name: string): string => serviceImageReference(project.name, project.services[name]);
  // The first service (by name) of each reference does the build; the others get its image.
  const owners = new Map<string, string>();
  for (const name of [...services].sort()) if (!owners.has(referenceOf(name))) owners.set(referenceOf(name), name);

  const graph = serviceGraph(project.services);
  const limit = limitConcurrency(options.parallel);
  const interrupt = new AbortController();
  const onCallerAbort = (): void => interrupt.abort(new CancelledError());
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (options.signal?.aborted) onCallerAbort();

  let firstFailure: unknown;
  const builds = new Map<string, Promise<string>>();
  const build = (reference: string): Promise<string> => {
    const existing = builds.get(reference);
    if (existing) return existing;
    const owner = owners.get(reference)!;
    const waitFor = [
      ...new Set(
        graph
          .withDependencies([owner])
          .map(referenceOf)
          .filter((dependency) => dependency !== reference && owners.has(dependency)),
      ),
    ];
    const running = (async () => {
      try {
        await Promise.all(waitFor.map(build));
        return await limit(async () => {
          if (interrupt.signal.aborted) throw interrupt.signal.reason;
          const spec = toBuildSpec(project, project.services[owner], reference, options.toolVersion, options);
          return buildImage(engine, spec, progress, {
            signal: interrupt.signal,
            ...(options.onOutput ? { onOutput: (line: string) => options.onOutput!(owner, line) } : {}),
          });
        });
      } catch (error) {
        // Stopped because another build failed (or Ctrl-C): not a failure of its own.
        if (interrupt.signal.aborted) progress.event(warning(imageProgressId(reference), 'Interrupted'));
        throw error;
      }
    })();
    running.catch((error: unknown) => {
      if (firstFailure === undefined && !interrupt.signal.aborted) {
        firstFailure = error;
        interrupt.abort(new CancelledError());
      }
    });
    builds.set(reference, running);
    return running;
  };

  try {
    const results = await Promise.allSettled([...owners.keys()].map(build));
    if (firstFailure !== undefined) throw firstFailure;
    const rejected = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (rejected) throw rejected.reason;
  } finally {
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
  const ids: Record<string, string> = {};
  for (const name of services) ids[name] = await builds.get(referenceOf(name))!;
  return ids;
}
