/**
 * The engine a call talks to. It is reached through a `ConnectEngine` function that the caller
 * provides (the CLI's context, the API's options, a test's fake), so nothing here constructs an
 * engine client: by default the endpoint is resolved from the environment like the Docker CLI
 * does (DOCKER_HOST, DOCKER_CONTEXT, the current context) and the dockerode-backed engine is
 * loaded on the first call only, so that `config` never loads it.
 *
 * Calls that change a project use a session, which checks that the engine answers and adds the
 * project's lock and the key that seals the values recorded on what it creates.
 */
import { anySignal } from '../apply/abort-signals.js';
import type { Engine } from '../apply/engine.js';
import type { ProjectLock } from '../apply/project-lock.js';
import type { SealKey } from '../model/applied-config.js';

export interface EngineConnection {
  readonly engine: Engine;
  /** The endpoint's URL: separates the locks of projects of the same name on different engines. */
  readonly url: string;
}

/** Opens a connection; the caller closes `engine` when done. */
export type ConnectEngine = () => Promise<EngineConnection>;

type Env = Readonly<Record<string, string | undefined>>;

/** The engine the Docker CLI would use with this environment; its warnings (plaintext TCP, ...) go to `warn`. */
export function connectFromEnvironment(env: Env, warn: (message: string) => void): ConnectEngine {
  return async () => {
    const [{ resolveEndpoint }, { createDockerEngine }] = await Promise.all([import('../apply/endpoint.js'), import('../apply/docker-engine.js')]);
    const resolved = resolveEndpoint(env);
    for (const warning of resolved.warnings) warn(warning);
    return { engine: createDockerEngine(resolved.endpoint), url: resolved.endpoint.url };
  };
}

/** What opening a session needs: plain values, no command-line context. */
export interface SessionInputs {
  readonly connect: ConnectEngine;
  /** Where the user's state (locks, seal key) is found: XDG_STATE_HOME, HOME. */
  readonly env: Env;
  /** Ends a wait for another run's lock. */
  readonly signal: AbortSignal;
  /** Ends the first check that the engine answers (as the first signal does). */
  readonly forceSignal: AbortSignal;
  readonly warn: (message: string) => void;
}

export interface EngineSession {
  readonly engine: Engine;
  /** The endpoint's URL (the lock's key). */
  readonly url: string;
  /** Seals the values recorded on what this session creates (read from the user's state on first use). */
  readonly sealKey: SealKey;
  /** Takes the project's lock for `command` (see project-lock.ts); released by unlock() or close(). */
  lock(project: string, command: string): Promise<void>;
  /** Runs `body` holding the project's lock, released right after (watch locks per action). */
  holding<T>(project: string, command: string, body: () => Promise<T>): Promise<T>;
  /** Releases the locks taken so far, before close() (attached `up` holds it only while it converges). */
  unlock(): void;
  /** Releases the lock and the engine's connections. */
  close(): void;
}

/** An engine for calls that change a project: checked to answer first, with the project lock. */
export async function openEngineSession(inputs: SessionInputs): Promise<EngineSession> {
  const { engine, url } = await inputs.connect();
  try {
    // Fail fast, naming the endpoint and where it came from, before any other work (F1, F2). A
    // ping changes nothing, so the first Ctrl-C ends it (an engine that never answers, F2).
    await engine.ping({ signal: anySignal([inputs.signal, inputs.forceSignal]) });
  } catch (error) {
    engine.close();
    throw error;
  }
  const [{ acquireProjectLock }, { loadSealKey }] = await Promise.all([import('../apply/project-lock.js'), import('../apply/seal-key.js')]);
  let sealKey: SealKey | undefined;
  const locks: ProjectLock[] = [];
  const acquire = (project: string, command: string): Promise<ProjectLock | undefined> =>
    acquireProjectLock(
      {
        env: inputs.env,
        engineUrl: url,
        project,
        command,
        signal: inputs.signal,
        onWait: (holder, path) =>
          inputs.warn(
            holder
              ? `another tscompose run ("${holder.command}", pid ${holder.pid}) is working on project "${project}"; waiting for it to finish (lock: ${path})`
              : `another tscompose run is working on project "${project}"; waiting for it to finish (lock: ${path})`,
          ),
      },
      (reason) => inputs.warn(`${reason}; continuing without a lock`),
    );
  const unlock = (): void => {
    for (const lock of locks.splice(0)) lock.release();
  };
  return {
    engine,
    url,
    get sealKey(): SealKey {
      sealKey ??= loadSealKey(inputs.env);
      return sealKey;
    },
    async lock(project: string, command: string): Promise<void> {
      const lock = await acquire(project, command);
      if (lock) locks.push(lock);
    },
    async holding<T>(project: string, command: string, body: () => Promise<T>): Promise<T> {
      const lock = await acquire(project, command);
      try {
        return await body();
      } finally {
        lock?.release();
      }
    },
    unlock,
    close(): void {
      unlock();
      engine.close();
    },
  };
}
