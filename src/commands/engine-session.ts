/**
 * The engine a command talks to: the endpoint resolved from the command's environment like the
 * Docker CLI does (warnings printed once), and the dockerode implementation loaded only here and
 * only when a command needs an engine, so `config` and `--help` never load the client library.
 * Also the per-project lock every command that changes the engine takes.
 */
import type { Engine } from '../apply/engine.js';
import { resolveEndpoint, type EngineEndpoint } from '../apply/endpoint.js';
import { acquireProjectLock, type ProjectLock } from '../apply/project-lock.js';
import type { Context } from '../context.js';

export interface EngineSession {
  readonly engine: Engine;
  readonly endpoint: EngineEndpoint;
  /** Takes the project's lock for `command` (see project-lock.ts); released by close(). */
  lock(project: string, command: string): Promise<void>;
  /** Releases the lock and the engine's connections. */
  close(): void;
}

export async function openEngineSession(ctx: Context): Promise<EngineSession> {
  const { endpoint, warnings } = resolveEndpoint(ctx.env);
  for (const message of warnings) ctx.warn(message);
  const { createDockerEngine } = await import('../apply/docker-engine.js');
  const engine = createDockerEngine(endpoint);
  try {
    // Fail fast, naming the endpoint and where it came from, before any other work (F1, F2).
    await engine.ping({ signal: ctx.forceSignal });
  } catch (error) {
    engine.close();
    throw error;
  }
  const locks: ProjectLock[] = [];
  return {
    engine,
    endpoint,
    async lock(project: string, command: string): Promise<void> {
      const lock = await acquireProjectLock(
        {
          env: ctx.env,
          engineUrl: endpoint.url,
          project,
          command,
          signal: ctx.signal,
          onWait: (holder, path) =>
            ctx.warn(
              holder
                ? `another tscompose run ("${holder.command}", pid ${holder.pid}) is working on project "${project}"; waiting for it to finish (lock: ${path})`
                : `another tscompose run is working on project "${project}"; waiting for it to finish (lock: ${path})`,
            ),
        },
        (reason) => ctx.warn(`${reason}; continuing without a lock`),
      );
      if (lock) locks.push(lock);
    },
    close(): void {
      for (const lock of locks.splice(0)) lock.release();
      engine.close();
    },
  };
}
