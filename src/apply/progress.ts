/**
 * Progress is reported as events, never printed here: apply/ says what happens to which resource
 * and commands/ picks the renderer (a listr2 view in a terminal, plain lines for pipes and CI,
 * JSON lines, or nothing). The vocabulary is Compose's, so `--progress plain` output reads the
 * same as Docker Compose's: ` Container p-web-1  Started`.
 */

/** working = in progress; done = finished well; warning / error = finished badly. */
export type ProgressState = 'working' | 'done' | 'warning' | 'error';

export interface ProgressEvent {
  /** The resource, with its kind: `Container p-web-1`, `Network p_default`, `Volume p_data`, `Image x`. */
  readonly id: string;
  readonly state: ProgressState;
  /** Compose's words: Creating, Created, Starting, Started, Waiting, Healthy, Exited, Recreate, ... */
  readonly text: string;
  /** Anything else worth a line: an error message, pull progress, the reason for a recreate. */
  readonly details?: string;
  /** For sub-resources, e.g. the layers of an image pull. */
  readonly parentId?: string;
  /**
   * Whether a done or warning event ends this resource's part in the operation (the default).
   * False when more steps for the same resource follow (a container is Created, then Started,
   * then Healthy): a terminal view keeps the line active instead of ticking it off early.
   */
  readonly final?: boolean;
}

export interface ProgressReporter {
  /** Announces the resources the operation will touch, so a terminal view can lay them out. */
  start(ids?: readonly string[]): void;
  event(event: ProgressEvent): void;
  /** Draws the final state and releases the terminal; resolves when output is flushed. */
  stop(): Promise<void>;
}

/** Runs `body` with a progress reporter that is always closed (its output flushed) before returning or throwing. */
export async function withProgress<T>(progress: ProgressReporter, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    await progress.stop();
  }
}

/** A reporter that drops everything (tests, and stages run inside another command). */
export const silentProgress: ProgressReporter = {
  start: () => undefined,
  event: () => undefined,
  stop: async () => undefined,
};

/** Shorthands for the common event shapes. */
export function working(id: string, text: string, details?: string): ProgressEvent {
  return { id, state: 'working', text, details };
}

export function done(id: string, text: string, details?: string): ProgressEvent {
  return { id, state: 'done', text, details };
}

export function warning(id: string, text: string, details?: string): ProgressEvent {
  return { id, state: 'warning', text, details };
}

export function failed(id: string, details: string): ProgressEvent {
  return { id, state: 'error', text: 'Error', details };
}
