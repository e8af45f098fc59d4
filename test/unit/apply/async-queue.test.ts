import { AsyncQueue } from '../../../src/apply/async-queue.js';

async function drain<T>(queue: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of queue) items.push(item);
  return items;
}

describe('AsyncQueue', () => {
  test('items pushed before and after the consumer waits must all arrive in order', async () => {
    const queue = new AsyncQueue<number>();
    queue.push(1);
    const drained = drain(queue);
    queue.push(2);
    setTimeout(() => {
      queue.push(3);
      queue.end();
    }, 10);
    expect(await drained).toEqual([1, 2, 3]);
  });

  test('a failure must reach the consumer after the backlog', async () => {
    const queue = new AsyncQueue<string>();
    queue.push('a');
    queue.fail(new Error('connection lost'));
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const item of queue) seen.push(item);
      })(),
    ).rejects.toThrow('connection lost');
    expect(seen).toEqual(['a']);
  });

  test('the producer must be paused at the high-water mark and resumed once drained', async () => {
    const calls: string[] = [];
    const queue = new AsyncQueue<number>({ highWaterMark: 2, pause: () => calls.push('pause'), resume: () => calls.push('resume') });
    queue.push(1);
    expect(calls).toEqual([]);
    queue.push(2);
    expect(calls).toEqual(['pause']);
    queue.end();
    expect(await drain(queue)).toEqual([1, 2]);
    expect(calls).toEqual(['pause', 'resume']);
  });

  test('breaking out of the loop must cancel the producer once and drop later items', async () => {
    let cancelled = 0;
    const queue = new AsyncQueue<number>({ cancel: () => cancelled++ });
    queue.push(1);
    queue.push(2);
    for await (const item of queue) {
      expect(item).toBe(1);
      break;
    }
    queue.push(3);
    expect(cancelled).toBe(1);
    expect(await drain(queue)).toEqual([]);
  });
});
