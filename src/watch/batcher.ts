/**
 * Turns the file watcher's stream of events into batches: events are collected per path (folded,
 * see foldChange) and handed over once no new event arrived for a quiet period. Pure apart from
 * the clock, which is injected so tests drive time by hand.
 *
 * Why 50 ms (Docker Compose waits 500 ms): inotify reports a write within a millisecond, and the
 * events of one save (an editor's temporary file, its rename over the original, vim's `4913`
 * probe) or of one burst (`git checkout`, a formatter rewriting a tree, `npm install`) follow each
 * other within a few milliseconds (up to about 25 ms measured on a busy machine); 50 ms of silence
 * reliably marks the end of such a burst while keeping the quiet period a small part of a sync.
 * A burst that goes on keeps extending the batch (there is no maximum age), so a branch switch is
 * one batch, not dozens: one rebuild, never a rebuild per file.
 */

export type ChangeKind = 'changed' | 'removed';

/** One path that changed: created or modified (`changed`), or deleted (`removed`). */
export interface FileChange {
  /** Absolute path. */
  readonly path: string;
  readonly kind: ChangeKind;
  /** Whether the path is (or, when removed, was) a directory; undefined when unknown. */
  readonly directory?: boolean;
  /**
   * Set when the watcher saw the path appear (it did not know it before): it exists in no container
   * yet, so if it goes again before the batch is handed over, there is nothing to delete.
   */
  readonly created?: boolean;
}

/**
 * Folds `change` into the changes collected for the next batch (by path). The latest event says
 * what the path is now: a file deleted and written again is `changed`, one written and then
 * deleted is `removed`. A path that appeared and went within the same collection never reached a
 * container: it is dropped, so nothing is deleted for it and the batch does not name it (an editor
 * that saves by writing `a.txt.new` and renaming it over `a.txt`).
 */
export function foldChange(pending: Map<string, FileChange>, change: FileChange): void {
  const previous = pending.get(change.path);
  pending.delete(change.path);
  if (previous === undefined) {
    pending.set(change.path, change);
    return;
  }
  if (change.kind === 'removed') {
    if (previous.created !== true) pending.set(change.path, change);
    return;
  }
  // Written again after a deletion: the path existed before, so it is a change, not a creation.
  // Seen as a change, then reported as new by the watcher: new (the change was its first write).
  const created = previous.kind === 'removed' ? false : previous.created === true || change.created === true;
  const { created: _ignored, ...rest } = change;
  pending.set(change.path, created ? { ...rest, created: true } : rest);
}

export interface ChangeBatch {
  /** One entry per path, sorted by path. */
  readonly changes: readonly FileChange[];
  /** When the first event of the batch arrived (the clock's milliseconds), for latency reports. */
  readonly firstEventAt: number;
}

/** The timer functions the batcher uses (the real ones, or a test's fake). */
export interface BatchClock {
  now(): number;
  setTimeout(callback: () => void, milliseconds: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: BatchClock = {
  now: () => Date.now(),
  setTimeout: (callback, milliseconds) => setTimeout(callback, milliseconds),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The quiet period after which collected events become a batch. */
export const QUIET_PERIOD_MS = 50;

export class ChangeBatcher {
  private readonly pending = new Map<string, FileChange>();
  private firstEventAt = 0;
  private timer: unknown;
  private disposed = false;

  constructor(
    private readonly onBatch: (batch: ChangeBatch) => void,
    private readonly clock: BatchClock = systemClock,
    private readonly quietPeriodMs: number = QUIET_PERIOD_MS,
  ) {}

  /** Records an event and restarts the quiet period. */
  add(change: FileChange): void {
    if (this.disposed) return;
    if (this.pending.size === 0) this.firstEventAt = this.clock.now();
    foldChange(this.pending, change);
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.flush(), this.quietPeriodMs);
  }

  /** Hands over what was collected now, without waiting for the quiet period (no-op when empty). */
  flush(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0 || this.disposed) return;
    const changes = [...this.pending.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    this.pending.clear();
    this.onBatch({ changes, firstEventAt: this.firstEventAt });
  }

  /** Drops what was collected and stops the timer; later events are ignored. */
  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
