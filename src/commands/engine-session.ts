/**
 * The engine a command talks to: the endpoint resolved from the command's environment like the
 * Docker CLI does (DOCKER_HOST, DOCKER_CONTEXT, the current context), its warnings printed, and
 * the dockerode-backed Engine created only when a command needs one (`config` never loads it).
 * Commands that change a project use a session, which adds the project's lock.
 */
import { anySignal } from '../apply/abort-signals.js';
import type { Engine } from '../apply/engine.js';
import type { EngineEndpoint } from '../apply/endpoint.js';
import type { ProjectLock } from '../apply/project-lock.js';
import type { SealKey } from '../model/applied-config.js';
import type { Context } from '../context.js';

async function connect(ctx: Context): Promise<{ engine: Engine; endpoint: EngineEndpoint }> {
  const [{ resolveEndpoint }, { createDockerEngine }] = await Promise.all([
    import('../apply/endpoint.js'),
    import('../apply/docker-engine.js'),
  ]);
  const resolved = resolveEndpoint(ctx.env);
  for (const warning of resolved.warnings) ctx.warn(warning);
  return { engine: createDockerEngine(resolved.endpoint), endpoint: resolved.endpoint };
}

/** An engine for commands that only read or build; the caller closes it when done. */
export async function openEngine(ctx: Context): Promise<Engine> {
  return (await connect(ctx)).engine;
}

export interface EngineSession {
  readonly engine: Engine;
  readonly endpoint: EngineEndpoint;
  /** Seals the values recorded on what this session creates (read from the user's state on first use). */
  readonly sealKey: SealKey;
  /** Takes the project's lock for `command` (see project-lock.ts); released by close(). */
  lock(project: string, command: string): Promise<void>;
  /** Releases the locks taken so far, before close() (attached `up` holds it only while it converges). */
  unlock(): void;
  /** Releases the lock and the engine's connections. */
  close(): void;
}

/** An engine for commands that change a project: checked to answer first, with the project lock. */
export async function openEngineSession(ctx: Context): Promise<EngineSession> {
  const { engine, endpoint } = await connect(ctx);
  try {
    // Fail fast, naming the endpoint and where it came from, before any other work (F1, F2). A
    // ping changes nothing, so the first Ctrl-C ends it (an engine that never answers, F2).
    await engine.ping({ signal: anySignal([ctx.signal, ctx.forceSignal]) });
  } catch (error) {
    engine.close();
    throw error;
  }
  const [{ acquireProjectLock }, { loadSealKey }] = await Promise.all([import('../apply/project-lock.js'), import('../apply/seal-key.js')]);
  let sealKey: SealKey | undefined;
  const locks: ProjectLock[] = [];
  const unlock = (): void => {
    for (const lock of locks.splice(0)) lock.release();
  };
  return {
    engine,
    endpoint,
    get sealKey(): SealKey {
      sealKey ??= loadSealKey(ctx.env);
      return sealKey;
    },
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
    unlock,
    close(): void {
      unlock();
      engine.close();
    },
  };
}
