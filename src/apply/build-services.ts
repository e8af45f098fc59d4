/**
 * Builds the images of several services at once: each image once (services sharing an `image:`
 * share the build), in parallel up to `--parallel`, except that an image waits for the images of
 * the services it depends on (a Dockerfile may start `FROM` a sibling's image) and of the
 * services its `additional_contexts` name (`service:NAME`, which builds NAME first). The builder
 * is chosen once (builder-choice.ts), and everything that cannot be built as written is reported
 * together before the first build starts. The first failure interrupts the builds still running,
 * and is what the caller gets.
 */
import { CancelledError } from '../errors.js';
import { ImageError } from './image-error.js';
import { isRemoteContext } from '../model/paths.js';
import type { Project, Service } from '../model/types.js';
import { serviceGraph } from '../plan/graph.js';
import { serviceImageReference } from '../plan/names.js';
import { chooseBuilder } from './builder-choice.js';
import { buildImage } from './build-image.js';
import { cacheExports, checkBuildSupport, samePlatform, type BuildOverrides } from './build-spec.js';
import type { CredentialLookup, Engine } from './engine.js';
import { limitConcurrency } from './limit-concurrency.js';
import { classicBuilderProblem, dockerfileText, prepareBuild } from './prepare-build.js';
import { warning, type ProgressReporter } from './progress.js';
import { imageProgressId } from './pull-image.js';
import { pushImage } from './push-image.js';
import { dockerCredentials } from './registry-auth.js';

export interface BuildServicesOptions extends BuildOverrides {
  readonly toolVersion: string;
  /** Cap on builds running at once; undefined = no cap. */
  readonly parallel?: number;
  readonly signal?: AbortSignal;
  /** Every line a builder prints, with the service it builds for. */
  readonly onOutput?: (service: string, line: string) => void;
  /** Each BuildKit step as a progress event of its own (JSON output). */
  readonly stepEvents?: boolean;
  /** Attributes a builder ignores, and the line saying the classic builder is used. */
  readonly warn?: (message: string) => void;
  /** The project's environment: DOCKER_BUILDKIT, build secrets, SSH_AUTH_SOCK, DOCKER_CONFIG. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** Registry credentials; default: the Docker CLI's (config.json, credential helpers). */
  readonly credentials?: CredentialLookup;
}

/** `reg:5000/app:1` -> `reg:5000/app`: how a Dockerfile names an image, with or without its tag. */
function repositoryOf(reference: string): string {
  const slash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  return colon > slash ? reference.slice(0, colon) : reference;
}


/**
 * A service of the project, also one left out by the command line's selection: a `service:NAME`
 * context needs NAME's image even when NAME is not a dependency.
 */
function serviceOf(project: Project, name: string): Service | undefined {
  return project.services[name] ?? project.disabledServices[name];
}

/**
 * Checks what no builder can do, for the services about to be built; throws an ImageError before
 * anything is built when a build could not come out right.
 */
export function assertBuildable(project: Project, services: readonly string[], warn?: (message: string) => void): void {
  const errors: string[] = [];
  for (const name of services) {
    const support = checkBuildSupport(serviceOf(project, name)!);
    errors.push(...support.errors);
    for (const message of support.warnings) warn?.(message);
  }
  if (errors.length > 0) throw new ImageError(errors);
}

/** The services `service:NAME` contexts name, directly or through each other. */
function contextServices(project: Project, name: string): string[] {
  return Object.values(serviceOf(project, name)?.build?.additional_contexts ?? {})
    .filter((location) => location.startsWith('service:'))
    .map((location) => location.slice('service:'.length));
}

/** `services` plus the services with a build section that their `service:` contexts need built first. */
export function withContextServices(project: Project, services: readonly string[]): string[] {
  const all = new Set(services);
  const queue = [...services];
  while (queue.length > 0) {
    for (const needed of contextServices(project, queue.shift()!)) {
      if (serviceOf(project, needed)?.build !== undefined && !all.has(needed)) {
        all.add(needed);
        queue.push(needed);
      }
    }
  }
  return [...all].sort();
}

/**
 * Builds the given services (each must have a build section) and returns the new image id of
 * each. The image ids for the progress view are `imageProgressId(reference)`.
 */
export async function buildServices(
  engine: Engine,
  project: Project,
  requested: readonly string[],
  options: BuildServicesOptions,
  progress: ProgressReporter,
): Promise<Record<string, string>> {
  const environment = options.environment ?? {};
  const services = withContextServices(project, requested);
  for (const name of services) {
    for (const needed of contextServices(project, name)) {
      if (!serviceOf(project, needed)) throw new ImageError([`service "${name}": build.additional_contexts names service:${needed}, which the project does not have`]);
    }
  }
  assertBuildable(project, services, options.warn);
  const choice = await chooseBuilder(engine, environment, options.signal);
  if (choice.notice) options.warn?.(choice.notice);
  if (options.memory !== undefined && choice.builder === 'buildkit') options.warn?.('--memory is not supported by BuildKit; it is ignored');
  const errors: string[] = [];
  const takesDefault = services.some((name) => serviceOf(project, name)!.platform === undefined && !serviceOf(project, name)!.build!.platforms?.length);
  if (takesDefault && options.defaultPlatform !== undefined && !samePlatform(options.defaultPlatform, choice.platform)) {
    errors.push(`DOCKER_DEFAULT_PLATFORM is ${options.defaultPlatform}, but the engine builds only for its own platform, ${choice.platform}; unset it or build on a ${options.defaultPlatform} engine`);
  }
  for (const name of services) {
    const support = checkBuildSupport(serviceOf(project, name)!, choice.builder, choice.platform);
    errors.push(...support.errors);
    for (const message of support.warnings) options.warn?.(message);
    const build = serviceOf(project, name)!.build!;
    if (choice.builder === 'buildkit' && choice.buildkitLimits === false && (build.shm_size !== undefined || build.ulimits !== undefined)) {
      options.warn?.(`service "${name}": build.shm_size and build.ulimits are ignored by this engine's BuildKit (Engine 23 and later apply them); DOCKER_BUILDKIT=0 builds with them`);
    }
    if (choice.builder === 'classic') {
      const problem = await classicBuilderProblem(serviceOf(project, name)!, choice.reason ?? 'the classic builder is used').catch((error: Error) => error.message);
      if (problem) errors.push(problem);
    }
  }
  if (errors.length > 0) throw new ImageError(errors);
  const credentials = options.credentials ?? dockerCredentials({ env: environment });

  const referenceOf = (name: string): string => serviceImageReference(project.name, serviceOf(project, name)!);
  // The first service (by name) of each reference does the build; the others get its image.
  const owners = new Map<string, string>();
  for (const name of [...services].sort()) if (!owners.has(referenceOf(name))) owners.set(referenceOf(name), name);

  const graph = serviceGraph(project.services);
  // A build waits for a dependency's image only when it may use it: its Dockerfile or build args
  // name that image (FROM, COPY --from, an ARG for either). Unrelated builds run in parallel.
  const mentions = new Map<string, string>();
  for (const name of services) {
    const service = serviceOf(project, name)!;
    const text = await dockerfileText(service).catch(() => undefined);
    mentions.set(name, text === undefined ? '' : [text, ...Object.values(service.build!.args ?? {})].join('\n'));
  }
  const usesImageOf = (owner: string, dependency: string): boolean => {
    const text = mentions.get(owner);
    if (text === undefined || text === '' && isRemoteContext(serviceOf(project, owner)!.build!.context)) return true;
    return text.includes(repositoryOf(referenceOf(dependency)));
  };
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
        [...(graph.has(owner) ? graph.withDependencies([owner]).filter((dependency) => usesImageOf(owner, dependency)) : []), ...contextServices(project, owner)]
          .map(referenceOf)
          .filter((dependency) => dependency !== reference && owners.has(dependency)),
      ),
    ];
    const running = (async () => {
      try {
        await Promise.all(waitFor.map(build));
        return await limit(async () => {
          if (interrupt.signal.aborted) throw interrupt.signal.reason;
          const service = serviceOf(project, owner)!;
          const prepared = await prepareBuild(engine, project, service, reference, {
            builder: choice.builder,
            toolVersion: options.toolVersion,
            overrides: options,
            environment,
            imageOf: referenceOf,
            credentials,
            signal: interrupt.signal,
          });
          try {
            const id = await buildImage(engine, prepared.spec, progress, {
              signal: interrupt.signal,
              credentials,
              ...(options.stepEvents ? { stepEvents: true } : {}),
              ...(options.onOutput ? { onOutput: (line: string) => options.onOutput!(owner, line) } : {}),
            });
            // cache_to type=registry: the image carries its cache inline; publish it under that name.
            for (const cacheRef of choice.builder === 'buildkit' ? cacheExports(service.build!) : []) {
              await pushImage(engine, cacheRef, progress, { signal: interrupt.signal, credentials, quiet: true });
            }
            return id;
          } finally {
            await prepared.release();
          }
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
