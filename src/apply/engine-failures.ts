/**
 * How the executor reads the engine's failures: which answers mean a concurrent run is at work
 * (re-plan, P16), a resource still in use, a removal already under way; and the two failures the
 * executor branches on (a concurrent run, a rolled-back replacement).
 */
import { EngineError, TscomposeError } from '../errors.js';

/**
 * A container name is taken by a container of this project that the plan did not know about: a
 * concurrent run got there first (reliability P16). Not a failure of the user's project: the
 * caller re-observes and plans again.
 */
export class ConcurrentRunError extends TscomposeError {
  constructor(readonly containerName: string) {
    super(`another run changed project resources while container ${containerName} was being set up`);
  }
}

/** A failure that has already been partly undone (a rolled-back replacement), with what was done. */
export class RolledBackError extends TscomposeError {
  constructor(
    message: string,
    readonly rollback: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isKind(error: unknown, kind: EngineError['kind']): boolean {
  return error instanceof EngineError && error.kind === kind;
}

/** Two networks of one name (left by runs racing without a shared lock): the engine cannot pick one. */
export function isAmbiguousNetwork(error: unknown): boolean {
  return error instanceof EngineError && /network .* is ambiguous/.test(error.message);
}

/**
 * Engine answers that mean something else changed the container meanwhile: it is gone, being
 * removed, or its network went (a concurrent run removed a duplicate). Without a shared lock
 * (two users, two machines) that is another run at work: observe again and re-plan (P16).
 */
export function isConcurrentChange(error: unknown): boolean {
  if (!(error instanceof EngineError)) return false;
  return error.kind === 'not-found' || isNetworkGone(error) || /is already in progress|marked for removal/i.test(error.message);
}

/** A network the plan saw is gone (a concurrent run kept another of the same name). */
export function isNetworkGone(error: unknown): boolean {
  return error instanceof EngineError && /network \S+ not found/i.test(error.message);
}

/** Another run is removing the container already: what this step wanted. */
export function isRemovalInProgress(error: unknown): boolean {
  return error instanceof EngineError && /removal of container .* is already in progress/i.test(error.message);
}

/** The engine's words for a network or volume that something still uses. */
export function isInUse(error: unknown): boolean {
  if (!(error instanceof EngineError)) return false;
  return error.kind === 'conflict' || /in use|active endpoints/i.test(error.message);
}

/** Engine messages name containers by id; users know them by name. */
export function withName(error: unknown, id: string, name: string): unknown {
  if (!(error instanceof EngineError) || !error.message.includes(id)) return error;
  return new EngineError(error.message.split(id).join(name), {
    operation: error.operation,
    resource: name,
    ...(error.statusCode === undefined ? {} : { statusCode: error.statusCode }),
    kind: error.kind,
    cause: error,
  });
}

export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
