/**
 * `tscompose push [SERVICE...]`: pushes the images of the services that build one and name it
 * (`image:`), with their `build.tags`, as Compose does; other services are skipped. With services
 * named, only those (`--include-deps`: and what they depend on). Every push runs (in parallel up
 * to `--parallel`), then failures fail the command, unless `--ignore-push-failures` makes them
 * warnings. Credentials come from the Docker CLI's configuration (docs/builds.md) and are never
 * printed. `build --push` uses the same step.
 */
import { ImageError } from '../apply/image-error.js';
import { limitConcurrency } from '../apply/limit-concurrency.js';
import { done, failed, silentProgress, warning } from '../apply/progress.js';
import { pushImage } from '../apply/push-image.js';
import { dockerCredentials } from '../apply/registry-auth.js';
import type { Context } from '../context.js';
import { CancelledError } from '../errors.js';
import { toProject } from '../model/index.js';
import type { Project } from '../model/types.js';
import { openEngine } from './engine-session.js';
import { loadAndValidate } from '../api/load-project.js';
import { createProgress } from './output/create-progress.js';

export interface PushOptions {
  readonly ignorePushFailures?: boolean;
  readonly includeDeps?: boolean;
  readonly quiet?: boolean;
}

export async function pushCommand(ctx: Context, serviceNames: readonly string[], options: PushOptions): Promise<void> {
  const loaded = await loadAndValidate(ctx, { services: serviceNames });
  const project = toProject(loaded, { services: serviceNames });
  const names = (serviceNames.length > 0 && !options.includeDeps ? [...serviceNames] : Object.keys(project.services)).sort();
  await pushProjectImages(ctx, project, names, { ...options, environment: loaded.environment });
}

/** Pushes the images of `services` that can be pushed (a build section and an `image:`). */
export async function pushProjectImages(
  ctx: Context,
  project: Project,
  services: readonly string[],
  options: PushOptions & { readonly environment: Readonly<Record<string, string | undefined>> },
): Promise<void> {
  const references: string[] = [];
  const skipped: string[] = [];
  for (const name of services) {
    const service = project.services[name];
    if (!service) continue;
    // Compose pushes only images it builds and that have a name to push to.
    if (service.build === undefined || service.image === undefined) skipped.push(name);
    else references.push(service.image, ...(service.build.tags ?? []));
  }
  const unique = [...new Set(references)].sort();
  const progress = options.quiet ? silentProgress : createProgress(ctx);
  progress.start([...unique.map((reference) => `Image ${reference}`), ...skipped.map((name) => `Service ${name}`)]);
  for (const name of skipped) progress.event(done(`Service ${name}`, 'Skipped', 'no build section or no image name'));
  if (unique.length === 0 || ctx.options.dryRun) {
    for (const reference of unique) progress.event(done(`Image ${reference}`, 'Pushed'));
    await progress.stop();
    return;
  }
  const engine = await openEngine(ctx);
  const credentials = dockerCredentials({ env: options.environment });
  const limit = limitConcurrency(ctx.options.parallel);
  const failures: string[] = [];
  try {
    await Promise.all(
      unique.map((reference) =>
        limit(async () => {
          try {
            await pushImage(engine, reference, progress, { signal: ctx.signal, credentials, quiet: options.quiet });
          } catch (error) {
            if (ctx.signal.aborted) throw new CancelledError();
            const message = (error as Error).message;
            const reason = message.replace(`could not push image ${reference}: `, '');
            if (options.ignorePushFailures) {
              progress.event(warning(`Image ${reference}`, 'Not pushed', reason));
            } else {
              progress.event(failed(`Image ${reference}`, reason));
              failures.push(message);
            }
          }
        }),
      ),
    );
  } finally {
    await progress.stop();
    engine.close();
  }
  if (failures.length > 0) throw new ImageError(failures);
}
