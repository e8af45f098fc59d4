/**
 * `tscompose build [SERVICE...]`: builds the images of the services that have a build section,
 * whatever is already present locally, tagged `image:` or `<project>-<service>`. With services
 * named, only those (and with `--with-dependencies`, what they depend on too). BuildKit builds
 * unless the engine lacks it or DOCKER_BUILDKIT=0 (see docs/builds.md). Output: a terminal shows
 * one line per image with its current step; plain output streams the builder's own lines per
 * service (`[web] #5 [2/3] RUN make`); `--progress json` has an event per BuildKit step.
 * `--push` pushes each image once everything is built.
 */
import { resolve } from 'node:path';
import { assertBuildable, buildServices } from '../apply/build-services.js';
import { done, silentProgress, working } from '../apply/progress.js';
import { imageProgressId } from '../apply/pull-image.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { toProject } from '../model/index.js';
import { parseSize } from '../model/sizes.js';
import { serviceImageReference } from '../plan/names.js';
import { parseBuildArgs } from './build-args.js';
import { openEngine } from './engine-session.js';
import { loadAndValidate } from '../api/load-project.js';
import { createProgress, progressMode } from './output/create-progress.js';
import { pushProjectImages } from './push.js';
import { toolVersion } from '../tool-version.js';

export interface BuildOptions {
  readonly noCache?: boolean;
  readonly pull?: boolean;
  readonly buildArg?: readonly string[];
  readonly quiet?: boolean;
  readonly withDependencies?: boolean;
  /** `--push`: push the images once built. */
  readonly push?: boolean;
  /** `--ssh`: `default`, `id=socket` or `id=key[,key]`, repeatable. */
  readonly ssh?: readonly string[];
  /** `-m, --memory`: a size (`512m`). */
  readonly memory?: string;
}

/** `--ssh id=./key` is relative to where the command runs. */
function resolveSsh(entries: readonly string[] | undefined, cwd: string): string[] | undefined {
  return entries?.map((entry) => {
    const equals = entry.indexOf('=');
    if (equals < 0) return entry;
    const paths = entry.slice(equals + 1).split(',').map((path) => resolve(cwd, path));
    return `${entry.slice(0, equals)}=${paths.join(',')}`;
  });
}

export async function buildCommand(ctx: Context, serviceNames: readonly string[], options: BuildOptions): Promise<void> {
  const loaded = await loadAndValidate(ctx, { services: serviceNames });
  const project = toProject(loaded, { services: serviceNames });
  // Narrowed to the named services plus their dependencies.
  const candidates = serviceNames.length > 0 && !options.withDependencies ? [...serviceNames] : Object.keys(project.services);
  const services = candidates.filter((name) => project.services[name]?.build !== undefined).sort();
  if (services.length === 0) return;
  let memory: number | undefined;
  if (options.memory !== undefined) {
    memory = parseSize(options.memory);
    if (memory === undefined) throw new UsageError(`invalid --memory ${JSON.stringify(options.memory)}: use a size such as 512m or 2g`);
  }

  const quiet = options.quiet === true;
  const mode = progressMode(ctx);
  const progress = quiet ? silentProgress : createProgress(ctx);
  const ids = [...new Set(services.map((name) => imageProgressId(serviceImageReference(project.name, project.services[name]))))].sort();

  if (ctx.options.dryRun) {
    assertBuildable(project, services, ctx.warn);
    progress.start(ids);
    for (const id of ids) {
      progress.event(working(id, 'Building'));
      progress.event(done(id, 'Built'));
    }
    await progress.stop();
    return;
  }

  const engine = await openEngine(ctx);
  progress.start(ids);
  try {
    const ssh = resolveSsh(options.ssh, ctx.cwd);
    await buildServices(
      engine,
      project,
      services,
      {
        toolVersion: toolVersion(),
        noCache: options.noCache,
        pull: options.pull,
        args: parseBuildArgs(options.buildArg, ctx.env),
        ...(ssh ? { ssh } : {}),
        ...(memory !== undefined ? { memory } : {}),
        ...(ctx.env.DOCKER_DEFAULT_PLATFORM ? { defaultPlatform: ctx.env.DOCKER_DEFAULT_PLATFORM } : {}),
        environment: loaded.environment,
        parallel: ctx.options.parallel,
        signal: ctx.signal,
        warn: (message) => ctx.warn(message),
        ...(!quiet && mode === 'json' ? { stepEvents: true } : {}),
        // Plain output streams the builder's own lines; a terminal view shows only the current step.
        ...(!quiet && mode === 'plain' ? { onOutput: (service: string, line: string) => ctx.stderr.write(`[${service}] ${line}\n`) } : {}),
      },
      progress,
    );
  } finally {
    await progress.stop();
    engine.close();
  }
  if (options.push) await pushProjectImages(ctx, project, services, { quiet, environment: loaded.environment });
}
