/**
 * `tscompose wait SERVICE...`: block until the first of the services' running containers stops,
 * print its exit code and exit with it; `--down-project` then takes the project down (orphans
 * included). This is what Compose's help promises; Compose 2.26 itself waits for every container.
 */
import type { Context } from '../context.js';
import { CancelledError, ExitCodeError, UsageError } from '../errors.js';
import { openEngine } from './engine-session.js';
import { loadProjectOrName, rejectUnknownServiceNames } from './project-or-name.js';
import { projectContainersOf, UP_STATES } from '../api/service-containers.js';

export async function waitCommand(ctx: Context, services: readonly string[], options: { readonly downProject: boolean }): Promise<void> {
  const { name, project } = await loadProjectOrName(ctx);
  rejectUnknownServiceNames(project, services);
  const engine = await openEngine(ctx);
  let first: { name: string; exitCode: number };
  try {
    const containers = (await projectContainersOf(ctx, engine, name, services)).filter((container) => UP_STATES.has(container.status));
    if (containers.length === 0) throw new UsageError(`no containers for project "${name}"`);
    const stopped = new AbortController();
    const onInterrupt = (): void => stopped.abort();
    ctx.signal.addEventListener('abort', onInterrupt, { once: true });
    try {
      first = await Promise.race(
        containers.map(async (container) => ({
          name: container.name,
          exitCode: await engine.waitContainer(container.id, { condition: 'not-running', signal: stopped.signal }),
        })),
      );
    } catch (error) {
      if (ctx.signal.aborted) throw new CancelledError();
      throw error;
    } finally {
      ctx.signal.removeEventListener('abort', onInterrupt);
      stopped.abort();
    }
  } finally {
    engine.close();
  }
  ctx.stdout.write(`container "${first.name}" exited with status code ${first.exitCode}\n`);
  if (options.downProject) {
    const { downCommand } = await import('./down.js');
    await downCommand(ctx, [], { removeOrphans: true, volumes: false });
  }
  if (first.exitCode !== 0) throw new ExitCodeError(first.exitCode);
}
