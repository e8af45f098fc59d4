import { ChangeBatcher, foldChange, QUIET_PERIOD_MS, type BatchClock, type ChangeBatch, type FileChange } from '../../../src/watch/batcher.js';

/** A clock the test advances by hand: timers fire only when their time has come. */
class FakeClock implements BatchClock {
  private time = 1_000;
  private timers = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, milliseconds: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + milliseconds, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  advance(milliseconds: number): void {
    const until = this.time + milliseconds;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, timer]) => timer.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = until;
  }
}

function setup(): { clock: FakeClock; batches: ChangeBatch[]; batcher: ChangeBatcher } {
  const clock = new FakeClock();
  const batches: ChangeBatch[] = [];
  const batcher = new ChangeBatcher((batch) => batches.push(batch), clock);
  return { clock, batches, batcher };
}

describe('ChangeBatcher', () => {
  test('a change must be handed over once the quiet period has passed, not before', () => {
    const { clock, batches, batcher } = setup();
    batcher.add({ path: '/p/a', kind: 'changed' });
    clock.advance(QUIET_PERIOD_MS - 1);
    expect(batches).toHaveLength(0);
    clock.advance(1);
    expect(batches).toEqual([{ changes: [{ path: '/p/a', kind: 'changed' }], firstEventAt: 1_000 }]);
  });

  test('a burst with gaps shorter than the quiet period must become one batch', () => {
    const { clock, batches, batcher } = setup();
    for (let i = 0; i < 40; i++) {
      batcher.add({ path: `/p/f${String(i).padStart(2, '0')}`, kind: 'changed' });
      clock.advance(QUIET_PERIOD_MS - 10);
    }
    expect(batches).toHaveLength(0);
    clock.advance(10);
    expect(batches).toHaveLength(1);
    expect(batches[0].changes).toHaveLength(40);
    expect(batches[0].firstEventAt).toBe(1_000);
  });

  test('changes separated by more than the quiet period must become separate batches', () => {
    const { clock, batches, batcher } = setup();
    batcher.add({ path: '/p/a', kind: 'changed' });
    clock.advance(QUIET_PERIOD_MS + 5);
    batcher.add({ path: '/p/b', kind: 'changed' });
    clock.advance(QUIET_PERIOD_MS);
    expect(batches.map((batch) => batch.changes.map((change) => change.path))).toEqual([['/p/a'], ['/p/b']]);
  });

  test('the last event for a path must win (deleted then written again is a change)', () => {
    const { clock, batches, batcher } = setup();
    batcher.add({ path: '/p/a', kind: 'changed' });
    batcher.add({ path: '/p/a', kind: 'removed' });
    batcher.add({ path: '/p/b', kind: 'removed' });
    batcher.add({ path: '/p/b', kind: 'changed' });
    clock.advance(QUIET_PERIOD_MS);
    expect(batches[0].changes).toEqual([
      { path: '/p/a', kind: 'removed' },
      { path: '/p/b', kind: 'changed' },
    ]);
  });

  test('a path that appeared and went again within one batch must be dropped (an editor\'s save by rename)', () => {
    const { clock, batches, batcher } = setup();
    batcher.add({ path: '/p/a.txt.new', kind: 'changed', directory: false, created: true });
    batcher.add({ path: '/p/a.txt', kind: 'changed', directory: false });
    batcher.add({ path: '/p/a.txt.new', kind: 'removed', directory: false });
    clock.advance(QUIET_PERIOD_MS);
    expect(batches[0].changes).toEqual([{ path: '/p/a.txt', kind: 'changed', directory: false }]);
  });

  test('a path first seen as changed, then reported as new, must count as new', () => {
    const { clock, batches, batcher } = setup();
    batcher.add({ path: '/p/tmp', kind: 'changed' });
    batcher.add({ path: '/p/tmp', kind: 'changed', created: true });
    batcher.add({ path: '/p/tmp', kind: 'removed' });
    batcher.add({ path: '/p/keep', kind: 'changed' });
    clock.advance(QUIET_PERIOD_MS);
    expect(batches[0].changes.map((change) => change.path)).toEqual(['/p/keep']);
  });

  test('a path deleted and created again must stay a deletion when it goes once more (it existed before the batch)', () => {
    const { clock, batches, batcher } = setup();
    batcher.add({ path: '/p/a', kind: 'removed' });
    batcher.add({ path: '/p/a', kind: 'changed', created: true });
    batcher.add({ path: '/p/a', kind: 'removed' });
    clock.advance(QUIET_PERIOD_MS);
    expect(batches[0].changes).toEqual([{ path: '/p/a', kind: 'removed' }]);
  });

  test('a path deleted and created again must be a change without the created mark', () => {
    const pending = new Map<string, FileChange>();
    foldChange(pending, { path: '/p/a', kind: 'removed' });
    foldChange(pending, { path: '/p/a', kind: 'changed', created: true });
    expect([...pending.values()]).toEqual([{ path: '/p/a', kind: 'changed' }]);
  });

  test('a batch must list its paths sorted, each once', () => {
    const { clock, batches, batcher } = setup();
    for (const path of ['/p/c', '/p/a', '/p/c', '/p/b']) batcher.add({ path, kind: 'changed' });
    clock.advance(QUIET_PERIOD_MS);
    expect(batches[0].changes.map((change) => change.path)).toEqual(['/p/a', '/p/b', '/p/c']);
  });

  test('after dispose no batch must be handed over', () => {
    const { clock, batches, batcher } = setup();
    batcher.add({ path: '/p/a', kind: 'changed' });
    batcher.dispose();
    batcher.add({ path: '/p/b', kind: 'changed' });
    clock.advance(10 * QUIET_PERIOD_MS);
    expect(batches).toHaveLength(0);
  });

  test('the quiet period must be well below Compose\'s 500 ms', () => {
    expect(QUIET_PERIOD_MS).toBeLessThanOrEqual(100);
  });
});
