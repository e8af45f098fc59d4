/**
 * `tscompose build [SERVICE...]`: builds the images of the services that have a build section,
 * whatever is already present locally, tagged `image:` or `<project>-<service>`. With services
 * named, only those (and with `--with-dependencies`, what they depend on too). The builder's
 * output streams line by line in plain mode (`[service] Step 1/4 : FROM ...`); a terminal shows
 * one line per image with its current step.
 */
import { assertBuildable, buildServices } from '../apply/build-services.js';
import { done, silentProgress, working } from '../apply/progress.js';
import { imageProgressId } from '../apply/pull-image.js';
import type { Context } from '../context.js';
import { serviceImageReference } from '../plan/names.js';
import { parseBuildArgs } from './build-args.js';
import { openEngine } from './engine-session.js';
import { loadProject } from '../api/load-project.js';
import { createProgress, progressMode } from './output/create-progress.js';
import { toolVersion } from '../tool-version.js';

export interface BuildOptions {
  readonly noCache?: boolean;
  readonly pull?: boolean;
  readonly buildArg?: readonly string[];
  readonly quiet?: boolean;
  readonly withDependencies?: boolean;
}

export async function buildCommand(ctx: Context, serviceNames: readonly string[], options: BuildOptions): Promise<void> {
  const project = await loadProject(ctx, { services: serviceNames });
  // loadProject narrows to the named services plus their dependencies.
  const candidates = serviceNames.length > 0 && !options.withDependencies ? [...serviceNames] : Object.keys(project.services);
  const services = candidates.filter((name) => project.services[name]?.build !== undefined).sort();
  if (services.length === 0) return;

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
    await buildServices(
      engine,
      project,
      services,
      {
        toolVersion: toolVersion(),
        noCache: options.noCache,
        pull: options.pull,
        args: parseBuildArgs(options.buildArg, ctx.env),
        ...(ctx.env.DOCKER_DEFAULT_PLATFORM ? { defaultPlatform: ctx.env.DOCKER_DEFAULT_PLATFORM } : {}),
        parallel: ctx.options.parallel,
        signal: ctx.signal,
        warn: (message) => ctx.warn(message),
        // Plain output streams the builder's own lines; a terminal view shows only the current step.
        ...(!quiet && mode === 'plain' ? { onOutput: (service: string, line: string) => ctx.stderr.write(`[${service}] ${line}\n`) } : {}),
      },
      progress,
    );
  } finally {
    await progress.stop();
    engine.close();
  }
}
