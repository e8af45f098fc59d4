/**
 * The image step of `up`, `create` and `run`: make sure every service's image is present locally,
 * pulling or building it as its pull policy and the command line say, before anything is
 * created. In order:
 *
 * 1. inspect each image once and decide (image-policy.ts); every impossible case (`never` with a
 *    missing image, `--no-build` with nothing to run, a build no builder can do as written) is
 *    reported together, before a single pull or build starts;
 * 2. pull, in parallel up to `--parallel`; a failed pull of an image that can be built is only a
 *    warning and the image is built instead (never a "pull access denied" error for it);
 *    any other failed pull stops here, so a pull failure leaves no partial state;
 * 3. build, in parallel up to `--parallel`, dependencies' images first (build-services.ts);
 * 4. return each service's image id: the executor writes it to the container's
 *    `com.docker.compose.image` label, so a rebuilt or re-pulled image recreates the container.
 *
 * Progress: one line per image (`Image <ref>`), announced with `progress.start` once the
 * decisions are made; give this step its own reporter and stop it when this resolves.
 */
import { CancelledError } from '../errors.js';
import type { Project, Service } from '../model/types.js';
import { serviceImageReference } from '../plan/names.js';
import type { BuildOverrides } from './build-spec.js';
import type { CredentialLookup, Engine, ImageSummary } from './engine.js';
import { ImageError } from './image-error.js';
import { decideImage, type ImageDecision, type ImageOverrides, type PullFallback } from './image-policy.js';
import { limitConcurrency } from './limit-concurrency.js';
import { done, failed, warning, working, type ProgressReporter } from './progress.js';
import { imageProgressId, PullError, pullFailureReason, pullImage } from './pull-image.js';
import { dockerCredentials } from './registry-auth.js';

export interface EnsureImagesOptions extends ImageOverrides {
  /** Written to built images' `com.docker.compose.version` label. */
  readonly toolVersion: string;
  /** The services whose containers will be created; default: every enabled service. */
  readonly services?: readonly string[];
  /** `--parallel`: cap on pulls and builds running at once. */
  readonly parallel?: number;
  /** `--quiet-pull`: no layer counts. */
  readonly quietPull?: boolean;
  /** `--dry-run`: decide and report, but neither pull nor build. */
  readonly dryRun?: boolean;
  /** Builder options (`build --no-cache`, `--pull`, `--build-arg`, DOCKER_DEFAULT_PLATFORM). */
  readonly buildOverrides?: BuildOverrides;
  readonly signal?: AbortSignal;
  /** Milliseconds since the epoch; for refresh windows. */
  readonly now?: () => number;
  /** Builder output, line by line; without it the current step shows in the progress line. */
  readonly onBuildOutput?: (service: string, line: string) => void;
  /** Warnings that are not about one image's progress (ignored build attributes). */
  readonly warn?: (message: string) => void;
  /** Each BuildKit step as a progress event of its own (JSON output). */
  readonly buildStepEvents?: boolean;
  /** The project's environment: DOCKER_BUILDKIT, build secrets, SSH_AUTH_SOCK, DOCKER_CONFIG. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** Registry credentials for pulls and builds; default: the Docker CLI's. */
  readonly credentials?: CredentialLookup;
}

export interface ServiceImage {
  /** `image:`, or `<project>-<service>` for a service that only builds. */
  readonly reference: string;
  /** `sha256:…`; empty only in a dry run for an image that is not present yet. */
  readonly id: string;
  readonly source: 'local' | 'pulled' | 'built';
}

export interface EnsuredImages {
  /** By service name: the image its containers are created from. */
  readonly services: Readonly<Record<string, ServiceImage>>;
  /** By reference, as inspected after the step (the planner's observed images). */
  readonly images: Readonly<Record<string, ImageSummary>>;
}

interface ServiceDecision {
  readonly service: Service;
  readonly reference: string;
  readonly decision: ImageDecision;
}

export async function ensureImages(
  engine: Engine,
  project: Project,
  options: EnsureImagesOptions,
  progress: ProgressReporter,
): Promise<EnsuredImages> {
  const limit = limitConcurrency(options.parallel);
  const signal = options.signal;
  const credentials = options.credentials ?? dockerCredentials({ env: options.environment ?? {} });
  const names = options.services ?? Object.keys(project.services).sort();
  const services = names.map((name) => project.services[name]).filter((service): service is Service => service !== undefined);
  const referenceOf = (service: Service): string => serviceImageReference(project.name, service);
  // Compose builds an image for every service that uses it when any service of the project has
  // the build section (two services sharing `image:`, one of them building it).
  const builderOf = (reference: string): string | undefined =>
    Object.keys(project.services)
      .sort()
      .find((name) => project.services[name].build !== undefined && referenceOf(project.services[name]) === reference);

  // 1. Inspect once per reference, decide, and report every impossible case at once.
  const references = [...new Set(services.map(referenceOf))];
  const local = new Map<string, ImageSummary | undefined>();
  await Promise.all(references.map((reference) => limit(async () => local.set(reference, await engine.inspectImage(reference, { signal })))));
  const now = (options.now ?? Date.now)();
  const decisions: ServiceDecision[] = services.map((service) => {
    const reference = referenceOf(service);
    const decision = decideImage({
      service,
      reference,
      buildable: builderOf(reference) !== undefined,
      local: local.get(reference),
      overrides: options,
      now,
    });
    return { service, reference, decision };
  });
  const problems = decisions.flatMap(({ decision }) => (decision.action === 'error' ? [decision.message] : []));
  if (problems.length > 0) throw new ImageError(problems);

  const toBuild = new Set(decisions.filter(({ decision }) => decision.action === 'build').map(({ reference }) => reference));
  const toPull = new Map<string, PullFallback>();
  for (const { reference, decision } of decisions) {
    if (decision.action !== 'pull' || toBuild.has(reference)) continue;
    toPull.set(reference, lenient(toPull.get(reference), decision.onFailure));
  }
  // Errors only: the warnings come once, when the builds start. The build machinery (and the
  // modules it needs) loads only when something is to be built.
  if (toBuild.size > 0) (await import('./build-services.js')).assertBuildable(project, [...toBuild].map((reference) => builderOf(reference)!));

  const ids = [...new Set([...toPull.keys(), ...toBuild])].sort().map(imageProgressId);
  if (ids.length > 0) progress.start(ids);

  // 2. Pull. All pulls finish (each failure is reported), then failures are sorted out.
  const pulled = new Set<string>();
  const failures: string[] = [];
  await Promise.all(
    [...toPull].map(([reference, onFailure]) =>
      limit(async () => {
        if (options.dryRun) {
          progress.event(working(imageProgressId(reference), 'Pulling'));
          progress.event(done(imageProgressId(reference), 'Pulled'));
          return;
        }
        try {
          await pullImage(engine, reference, progress, { signal, quiet: options.quietPull, credentials });
          pulled.add(reference);
        } catch (error) {
          if (signal?.aborted) throw error instanceof CancelledError ? error : new CancelledError();
          const reason = pullFailureReason(error, reference);
          const id = imageProgressId(reference);
          if (onFailure === 'build') {
            // Still working on this image (the build comes next), so not a final warning line.
            progress.event(working(id, 'Not pulled', `${reason}; building it from source instead`));
            toBuild.add(reference);
          } else if (onFailure === 'use-local') {
            progress.event(warning(id, 'Not pulled', `${reason}; using the local image`));
          } else {
            progress.event(failed(id, reason));
            failures.push((error as Error).message);
          }
        }
      }),
    ),
  );
  if (failures.length > 0) throw new PullError(failures);

  // 3. Build (the images decided above and those whose pull failed).
  const builders = [...toBuild].sort().map((reference) => builderOf(reference)!);
  const built = new Map<string, string>();
  if (builders.length > 0) {
    const { assertBuildable, buildServices } = await import('./build-services.js');
    if (options.dryRun) {
      assertBuildable(project, builders, options.warn);
      for (const reference of toBuild) {
        progress.event(working(imageProgressId(reference), 'Building'));
        progress.event(done(imageProgressId(reference), 'Built'));
      }
    } else {
      const buildIds = await buildServices(
        engine,
        project,
        builders,
        {
          ...options.buildOverrides,
          toolVersion: options.toolVersion,
          parallel: options.parallel,
          signal,
          credentials,
          ...(options.environment ? { environment: options.environment } : {}),
          ...(options.buildStepEvents ? { stepEvents: true } : {}),
          ...(options.onBuildOutput ? { onOutput: options.onBuildOutput } : {}),
        },
        progress,
      );
      for (const builder of builders) built.set(referenceOf(project.services[builder]), buildIds[builder]);
    }
  }

  // 4. What each service runs now: re-inspect what changed.
  const images: Record<string, ImageSummary> = {};
  await Promise.all(
    references.map((reference) =>
      limit(async () => {
        const changed = (pulled.has(reference) || built.has(reference)) && !options.dryRun;
        const summary = changed ? await engine.inspectImage(reference, { signal }) : local.get(reference);
        if (summary) images[reference] = summary;
      }),
    ),
  );
  const result: Record<string, ServiceImage> = {};
  for (const { service, reference } of decisions) {
    const source = built.has(reference) ? 'built' : pulled.has(reference) ? 'pulled' : 'local';
    result[service.name] = { reference, id: built.get(reference) ?? images[reference]?.id ?? '', source };
  }
  return { services: result, images };
}

/** Two services pulling one image: the more forgiving fallback applies to both. */
function lenient(current: PullFallback | undefined, next: PullFallback): PullFallback {
  const order: PullFallback[] = ['error', 'use-local', 'build'];
  if (current === undefined) return next;
  return order.indexOf(next) > order.indexOf(current) ? next : current;
}
