/**
 * A push-to-pull bridge: event-driven producers (engine streams) push items, a `for await` loop
 * pulls them. The producer is paused while the consumer lags behind, so a chatty container cannot
 * fill memory, and breaking out of the loop tells the producer to stop.
 */
export interface AsyncQueueHooks {
  /** Called when more than `highWaterMark` items wait: pause the source. */
  readonly pause?: () => void;
  /** Called when the backlog has drained. */
  readonly resume?: () => void;
  /** Called once when the consumer stops early (break/return/throw in the loop). */
  readonly cancel?: () => void;
  readonly highWaterMark?: number;
}

export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiter?: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void };
  private ended = false;
  private failure?: { error: unknown };
  private paused = false;
  private readonly highWaterMark: number;

  constructor(private readonly hooks: AsyncQueueHooks = {}) {
    this.highWaterMark = hooks.highWaterMark ?? 1000;
  }

  push(item: T): void {
    if (this.ended) return;
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
    if (!this.paused && this.items.length >= this.highWaterMark) {
      this.paused = true;
      this.hooks.pause?.();
    }
  }

  /** No more items: the loop finishes after the backlog. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.settleWaiter();
  }

  /** The loop throws `error` after the backlog. */
  fail(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = { error };
    this.settleWaiter();
  }

  private settleWaiter(): void {
    if (!this.waiter || this.items.length > 0) return;
    const { resolve, reject } = this.waiter;
    this.waiter = undefined;
    if (this.failure) reject(this.failure.error);
    else resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length > 0) {
          const value = this.items.shift() as T;
          if (this.paused && this.items.length === 0) {
            this.paused = false;
            this.hooks.resume?.();
          }
          return Promise.resolve({ value, done: false });
        }
        if (this.failure) return Promise.reject(this.failure.error);
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.waiter = { resolve, reject };
        });
      },
      return: () => {
        if (!this.ended) {
          this.ended = true;
          this.items.length = 0;
          this.hooks.cancel?.();
        }
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
