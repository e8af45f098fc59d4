import { limitConcurrency } from '../../../src/apply/limit-concurrency.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('limitConcurrency', () => {
  test('no more than the limit must run at once, even when tasks are submitted as others finish', async () => {
    const limit = limitConcurrency(2);
    let running = 0;
    let peak = 0;
    const gates = Array.from({ length: 6 }, deferred);
    const tasks = gates.map((gate, index) =>
      limit(async () => {
        running++;
        peak = Math.max(peak, running);
        await gate.promise;
        running--;
        return index;
      }),
    );
    for (const gate of gates) {
      gate.resolve();
      // A late submission while a slot is being handed over must queue too.
      void limit(async () => {
        running++;
        peak = Math.max(peak, running);
        running--;
      });
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });

  test('no limit must run everything at once', async () => {
    const limit = limitConcurrency(undefined);
    let running = 0;
    let peak = 0;
    const gate = deferred();
    const tasks = [1, 2, 3].map(() =>
      limit(async () => {
        running++;
        peak = Math.max(peak, running);
        await gate.promise;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    gate.resolve();
    await Promise.all(tasks);
    expect(peak).toBe(3);
  });

  test('a failing task must release its slot', async () => {
    const limit = limitConcurrency(1);
    await expect(limit(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit(async () => 'next')).resolves.toBe('next');
  });
});
