/**
 * One tscompose run at a time per engine and project (reliability P16, F11): two `up`s at once
 * would both plan "create p-db-1", and Compose, which has no lock, fails both with a name
 * conflict. The lock is a file under the user's state directory
 * (`$XDG_STATE_HOME/tscompose/locks/<engine>/<project>.lock`, default `~/.local/state/...`),
 * keyed by the engine's endpoint, so projects of the same name on different engines do not wait
 * on each other.
 *
 * The file is made complete under a temporary name and then hard-linked into place, which is
 * atomic and fails when a lock exists, so a lock file is never seen half-written. It records the
 * holder's pid and host; a lock whose process is gone (killed, machine rebooted) is taken over.
 * A waiting run says whom it waits for, and Ctrl-C ends the wait.
 *
 * The lock protects runs on one machine. Runs from different machines against one engine are
 * protected by the executor instead: a name conflict with a container of the project makes it
 * observe again and re-plan.
 */
import { createHash, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CancelledError } from '../errors.js';
import { abortableSleep } from './abort-signals.js';
import { stateDirectory } from './state-directory.js';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  /** Milliseconds since the epoch. */
  readonly since: number;
  /** Distinguishes this lock from a later one by a process that got the same pid. */
  readonly token: string;
}

export interface ProjectLock {
  /** Where the lock file is (for messages). */
  readonly path: string;
  release(): void;
}

export interface LockOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The engine endpoint URL (the key that separates engines). */
  readonly engineUrl: string;
  readonly project: string;
  /** The command holding the lock, shown to whoever waits for it. */
  readonly command: string;
  readonly signal?: AbortSignal;
  /** Called once when the lock is held by another run and this one starts waiting. */
  readonly onWait?: (holder: LockHolder | undefined, path: string) => void;
  /** Poll interval while waiting (tests shorten it). */
  readonly pollMs?: number;
}

export function lockDirectory(env: Readonly<Record<string, string | undefined>>, engineUrl: string): string {
  const engineKey = createHash('sha256').update(engineUrl).digest('hex').slice(0, 16);
  return join(stateDirectory(env), 'locks', engineKey);
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.token !== 'string') return undefined;
    return parsed as LockHolder;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A holder that is certainly gone: same host, process no longer running. */
function isStale(holder: LockHolder): boolean {
  return holder.host === hostname() && !isAlive(holder.pid);
}

/** True when taken, false when another lock is in place. */
function takeLock(draft: string, path: string, holder: LockHolder): boolean {
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
  }
  // A file system without hard links: exclusive create is atomic too (the content follows at once).
  try {
    writeFileSync(path, JSON.stringify(holder), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Takes the project's lock, waiting while another live run holds it. Returns undefined (after
 * `onUnavailable`) when no lock can be made at all, e.g. a read-only home directory: the run then
 * relies on re-observation alone.
 */
export async function acquireProjectLock(
  options: LockOptions,
  onUnavailable: (reason: string) => void = () => undefined,
): Promise<ProjectLock | undefined> {
  const directory = lockDirectory(options.env, options.engineUrl);
  const path = join(directory, `${options.project}.lock`);
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    command: options.command,
    since: Date.now(),
    token: randomBytes(8).toString('hex'),
  };
  const draft = `${path}.${holder.token}.tmp`;
  try {
    mkdirSync(directory, { recursive: true });
    writeFileSync(draft, JSON.stringify(holder));
  } catch (error) {
    onUnavailable(`cannot create the project lock in ${directory}: ${(error as Error).message}`);
    return undefined;
  }

  let announced = false;
  try {
    for (;;) {
      if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new CancelledError();
      try {
        if (takeLock(draft, path, holder)) break;
      } catch (error) {
        onUnavailable(`cannot take the project lock ${path}: ${(error as Error).message}`);
        return undefined;
      }
      const current = readHolder(path);
      if (current !== undefined && isStale(current)) {
        // Remove it only if it is still the same stale lock (another waiter may have replaced it).
        if (readHolder(path)?.token === current.token) {
          try {
            unlinkSync(path);
          } catch {
            // Gone already: someone else took it over.
          }
        }
        continue;
      }
      if (!announced) {
        announced = true;
        options.onWait?.(current, path);
      }
      await abortableSleep(options.pollMs ?? 200, options.signal);
    }
  } finally {
    try {
      unlinkSync(draft);
    } catch {
      // Already gone.
    }
  }

  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    // Only remove our own lock (never one taken over after we were thought dead).
    if (readHolder(path)?.token === holder.token) {
      try {
        unlinkSync(path);
      } catch {
        // Already gone.
      }
    }
  };
  // A third Ctrl-C exits at once: the lock still goes.
  process.once('exit', release);
  return { path, release };
}
