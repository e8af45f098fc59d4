/**
 * `--parallel N` / COMPOSE_PARALLEL_LIMIT: at most N engine operations at once. Tasks queue in
 * the order they were submitted; undefined (or a non-positive limit) means no cap.
 */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function limitConcurrency(limit: number | undefined): Limiter {
  if (limit === undefined || !(limit > 0)) return (task) => task();
  let running = 0;
  const waiting: (() => void)[] = [];
  // A finishing task hands its slot straight to the next waiter, so a task submitted in between
  // cannot take it too and exceed the limit.
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
