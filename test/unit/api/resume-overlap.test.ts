import type { LogLine } from '../../../src/apply/engine.js';
import { RecentLines, RESUME_OVERLAP_MS, skipPrinted } from '../../../src/api/resume-overlap.js';

const T0 = Date.parse('2026-12-03T10:00:00.000Z');
const stamp = (offsetMs: number): string => new Date(T0 + offsetMs).toISOString().replace(/Z$/, '000000Z');
const line = (text: string, offsetMs: number, stream: LogLine['stream'] = 'stdout'): LogLine => ({ stream, text, timestamp: stamp(offsetMs) });

async function* from(lines: LogLine[]): AsyncIterable<LogLine> {
  yield* lines;
}

async function resume(printed: Array<[string, number]>, resumed: LogLine[]): Promise<string[]> {
  const recent = new RecentLines();
  for (const [text, arrivedAt] of printed) recent.remember({ stream: 'stdout', text }, T0 + arrivedAt);
  const resumeAt = T0 + printed[printed.length - 1][1];
  const out: string[] = [];
  for await (const next of skipPrinted(from(resumed), recent.since(resumeAt))) out.push(next.text);
  return out;
}

describe('resuming a broken output stream', () => {
  test('a last line the engine stamped after it arrived must not be printed again', async () => {
    const out = await resume(
      [['tick 3', -1000], ['tick 4', 0]],
      [line('tick 4', 5), line('tick 5', 1000), line('tick 6', 2000)],
    );
    expect(out).toEqual(['tick 5', 'tick 6']);
  });

  test('printed lines stamped inside the overlap must all be dropped, the new ones kept', async () => {
    const out = await resume(
      [['a', -600], ['b', -300], ['c', 0]],
      [line('a', -601), line('b', -302), line('c', -1), line('d', 40)],
    );
    expect(out).toEqual(['d']);
  });

  test('a printed line stamped before the overlap began must not make a new identical line vanish', async () => {
    // "same" arrived 1.2 s before the break and was stamped then: the resumed stream starts after
    // it, so the "same" it delivers is a new line.
    const out = await resume([['same', -1200], ['other', 0]], [line('other', -2), line('same', 500)]);
    expect(out).toEqual(['same']);
  });

  test('identical lines must be matched one for one, in order', async () => {
    const out = await resume(
      [['ping', -200], ['ping', -100], ['ping', 0]],
      [line('ping', -201), line('ping', -101), line('ping', -1), line('ping', 100)],
    );
    expect(out).toEqual(['ping']);
  });

  test('a line on the other stream with the same text must not count as printed', async () => {
    const out = await resume([['x', 0]], [line('x', 1, 'stderr'), line('y', 2)]);
    expect(out).toEqual(['x', 'y']);
  });

  test('once a new line came, later lines must be printed even when they repeat printed ones', async () => {
    const out = await resume([['a', -100], ['b', 0]], [line('b', 1), line('new', 2), line('a', 3)]);
    expect(out).toEqual(['new', 'a']);
  });

  test('the remembered lines must reach back only as far as the resumed stream does', () => {
    const recent = new RecentLines();
    recent.remember({ stream: 'stdout', text: 'old' }, T0 - RESUME_OVERLAP_MS - 1000);
    recent.remember({ stream: 'stdout', text: 'new' }, T0);
    expect(recent.since(T0).map((entry) => entry.text)).toEqual(['new']);
  });
});
