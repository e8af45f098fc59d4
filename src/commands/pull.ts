/**
 * `tscompose pull [SERVICE...]`: pulls the services' images. An explicit pull, so an image is
 * pulled even when present unless its policy says otherwise (`never`, `build`, or `missing` with
 * a tag other than `latest`). A failed pull of an image that can be built is a warning with the
 * `tscompose build` command to run, never an error; other failures fail the command after every
 * pull has been tried, unless `--ignore-pull-failures`.
 */
import type { ImageSummary } from '../apply/engine.js';
import { decidePullCommand } from '../apply/image-policy.js';
import { limitConcurrency } from '../apply/limit-concurrency.js';
import { done, failed, silentProgress, warning, working } from '../apply/progress.js';
import { PullError, pullFailureReason, pullImage } from '../apply/pull-image.js';
import { dockerCredentials } from '../apply/registry-auth.js';
import type { Context } from '../context.js';
import { CancelledError } from '../errors.js';
import { serviceImageReference } from '../plan/names.js';
import { openEngine } from './engine-session.js';
import { loadProject } from '../api/load-project.js';
import { createProgress } from './output/create-progress.js';

export interface PullOptions {
  readonly ignorePullFailures?: boolean;
  readonly ignoreBuildable?: boolean;
  readonly includeDeps?: boolean;
  readonly policy?: 'missing' | 'always';
  readonly quiet?: boolean;
}

export async function pullCommand(ctx: Context, serviceNames: readonly string[], options: PullOptions): Promise<void> {
  const project = await loadProject(ctx, { services: serviceNames });
  const names = (serviceNames.length > 0 && !options.includeDeps ? [...serviceNames] : Object.keys(project.services)).sort();
  const referenceOf = (name: string): string => serviceImageReference(project.name, project.services[name]);
  const buildable = (reference: string): string | undefined =>
    Object.keys(project.services)
      .sort()
      .find((name) => project.services[name].build !== undefined && referenceOf(name) === reference);

  const progress = options.quiet ? silentProgress : createProgress(ctx);
  const engine = await openEngine(ctx);
  const limit = limitConcurrency(ctx.options.parallel);
  const credentials = dockerCredentials({ env: ctx.env });
  const mustBuild: string[] = [];
  const failures: string[] = [];
  try {
    const references = [...new Set(names.map(referenceOf))];
    const local = new Map<string, ImageSummary | undefined>();
    await Promise.all(references.map((reference) => limit(async () => local.set(reference, await engine.inspectImage(reference, { signal: ctx.signal })))));

    // One pull per image, whichever services use it.
    const toPull = new Map<string, string>();
    const skipped = new Map<string, string>();
    for (const name of names) {
      const reference = referenceOf(name);
      const decision = decidePullCommand(project.services[name], local.get(reference), options);
      if (decision.action === 'pull') toPull.set(reference, name);
      else if (!skipped.has(reference)) skipped.set(reference, decision.reason);
    }
    for (const reference of toPull.keys()) skipped.delete(reference);
    // Compose names the lines of `pull` after the service (the first one using the image).
    const lineOf = new Map<string, string>();
    for (const name of names) if (!lineOf.has(referenceOf(name))) lineOf.set(referenceOf(name), name);
    const progressId = (reference: string): string => lineOf.get(reference)!;
    progress.start([...new Set([...toPull.keys(), ...skipped.keys()])].map(progressId).sort());
    for (const [reference, reason] of skipped) progress.event(done(progressId(reference), `Skipped - ${reason}`));

    await Promise.all(
      [...toPull].map(([reference]) =>
        limit(async () => {
          const id = progressId(reference);
          if (ctx.options.dryRun) {
            progress.event(working(id, 'Pulling'));
            progress.event(done(id, 'Pulled'));
            return;
          }
          try {
            await pullImage(engine, reference, progress, { signal: ctx.signal, progressId: id, credentials });
          } catch (error) {
            if (ctx.signal.aborted) throw new CancelledError();
            const reason = pullFailureReason(error, reference);
            const builder = buildable(reference);
            if (builder !== undefined && local.get(reference) !== undefined) {
              progress.event(warning(id, 'Not pulled', `${reason}; the local image is kept`));
            } else if (builder !== undefined) {
              progress.event(warning(id, 'Not pulled', `${reason}; it can be built instead`));
              mustBuild.push(builder);
            } else if (options.ignorePullFailures) {
              progress.event(warning(id, 'Not pulled', reason));
            } else {
              progress.event(failed(id, reason));
              failures.push((error as Error).message);
            }
          }
        }),
      ),
    );
  } finally {
    await progress.stop();
    engine.close();
  }
  if (mustBuild.length > 0) {
    ctx.warn(`some service images must be built from source; run: tscompose build ${[...new Set(mustBuild)].sort().join(' ')}`);
  }
  if (failures.length > 0) throw new PullError(failures);
}
