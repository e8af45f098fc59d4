/**
 * `tscompose push [SERVICE...]`: pushes the images of the services that build one and name it
 * (`image:`), with their `build.tags`, as Compose does; other services are skipped. With services
 * named, only those (`--include-deps`: and what they depend on). Every push runs (in parallel up
 * to `--parallel`), then failures fail the command, unless `--ignore-push-failures` makes them
 * warnings. Credentials come from the Docker CLI's configuration (docs/builds.md) and are never
 * printed. `build --push` uses the same step.
 *
 * The command's definition (its flags) is here too; cli.ts registers it with one line.
 */
import type { Command } from 'commander';
import type { Context } from '../context.js';
import type { Project } from '../model/types.js';

export interface PushOptions {
  readonly ignorePushFailures?: boolean;
  readonly includeDeps?: boolean;
  readonly quiet?: boolean;
}

/** cli.ts's wrapper that gives an action its Context and maps its errors. */
export type ActionWrapper = <T extends unknown[]>(run: (ctx: Context, ...args: T) => Promise<void>) => (...args: T) => Promise<void>;

export function definePushCommand(program: Command, action: ActionWrapper): void {
  program
    .command('push')
    .description('push the images of services (those with a build section and an image name)')
    .argument('[services...]', 'only these services')
    .option('--ignore-push-failures', 'push what can be pushed and warn about images that fail')
    .option('--include-deps', 'also push the images of the services they depend on')
    .option('-q, --quiet', 'print nothing but errors')
    .action(
      action(async (ctx, services: string[], options: PushOptions) => {
        await pushCommand(ctx, services, options);
      }),
    );
}

export async function pushCommand(ctx: Context, serviceNames: readonly string[], options: PushOptions): Promise<void> {
  const [{ loadAndValidate }, { toProject }] = await Promise.all([import('./load-project.js'), import('../model/index.js')]);
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
  const [{ ImageError }, progressModule, { pushImage }, { dockerCredentials }, { openEngine }, { createProgress }, { limitConcurrency }, { CancelledError }] =
    await Promise.all([
      import('../apply/build-services.js'),
      import('../apply/progress.js'),
      import('../apply/push-image.js'),
      import('../apply/registry-auth.js'),
      import('./engine-session.js'),
      import('./output/create-progress.js'),
      import('../apply/limit-concurrency.js'),
      import('../errors.js'),
    ]);
  const { done, failed, silentProgress, warning } = progressModule;
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
