/**
 * One engine call per container, in parallel (`--parallel`), reported in Compose's words
 * (` Container p-web-1  Killing` / `Killed`): what `kill`, `pause`, `unpause` and `rm` do. With
 * `--dry-run` the events are shown and the engine is left alone. Every container is tried; the
 * failures are reported together at the end.
 */
import type { ContainerSummary, Engine } from '../apply/engine.js';
import { limitConcurrency } from '../apply/limit-concurrency.js';
import { done, failed, working, type ProgressReporter } from '../apply/progress.js';
import type { Context } from '../context.js';
import { TscomposeError } from '../errors.js';
import { openEngineSession } from './engine-session.js';
import { createProgress } from './output/create-progress.js';

export interface ContainerAction {
  /** Compose's word while it runs (`Killing`); absent when Compose shows only the outcome (`Paused`). */
  readonly doing?: string;
  readonly did: string;
  readonly call: (engine: Engine, container: ContainerSummary) => Promise<void>;
}

export async function actOnContainers(
  ctx: Context,
  engine: Engine,
  containers: readonly ContainerSummary[],
  action: ContainerAction,
  progress: ProgressReporter,
): Promise<void> {
  const limit = limitConcurrency(ctx.options.parallel);
  const failures: string[] = [];
  progress.start(containers.map((container) => `Container ${container.name}`));
  await Promise.all(
    containers.map((container) =>
      limit(async () => {
        const id = `Container ${container.name}`;
        if (action.doing !== undefined) progress.event(working(id, action.doing));
        try {
          if (!ctx.options.dryRun) await action.call(engine, container);
          progress.event(done(id, action.did));
        } catch (error) {
          const message = (error as Error).message.split(container.id).join(container.name);
          progress.event(failed(id, message));
          failures.push(message);
        }
      }),
    ),
  );
  if (failures.length > 0) throw new TscomposeError(failures.join('\n'));
}

/** An engine (checked to answer) and a progress view for a command that acts on containers; both released however it ends. */
export async function withContainerSession<T>(ctx: Context, body: (engine: Engine, progress: ProgressReporter) => Promise<T>): Promise<T> {
  const session = await openEngineSession(ctx);
  const progress = createProgress(ctx);
  try {
    return await body(session.engine, progress);
  } finally {
    await progress.stop();
    session.close();
  }
}
