/** The confirmation of a volume recreation (P18): only yes means yes, and without a terminal nothing is asked. */
import { PassThrough } from 'node:stream';
import type { Context } from '../../../src/context.js';
import { confirmVolumeRecreation, isYes, volumeQuestion } from '../../../src/commands/confirm-volumes.js';

const diverged = [{ key: 'data', name: 'p_data', changes: 'labels' }];

function context(terminal: boolean, answer?: string): { ctx: Context; asked: () => string } {
  const stdin = Object.assign(new PassThrough(), { isTTY: terminal });
  const stderr = Object.assign(new PassThrough(), { isTTY: terminal });
  let asked = '';
  let answered = false;
  stderr.on('data', (chunk: Buffer) => {
    asked += chunk.toString();
    // Once: readline on a terminal echoes what is typed to the same stream.
    if (answer !== undefined && !answered) {
      answered = true;
      stdin.write(`${answer}\n`);
    }
  });
  const ctx = { stdin, stderr, signal: new AbortController().signal, options: { dryRun: false } } as unknown as Context;
  return { ctx, asked: () => asked };
}

describe('confirming a volume recreation (P18)', () => {
  test('only y and yes must count as yes; the default is no', () => {
    expect(['y', 'Y', 'yes', ' YES '].map(isYes)).toEqual([true, true, true, true]);
    expect(['', 'n', 'no', 'yep', 'sure'].map(isYes)).toEqual([false, false, false, false, false]);
  });

  test('without a terminal and without -y nothing must be asked and the volume kept', async () => {
    const { ctx, asked } = context(false);
    expect([...(await confirmVolumeRecreation(ctx, diverged, false))]).toEqual([]);
    expect(asked()).toBe('');
  });

  test('-y must confirm every changed volume without asking', async () => {
    const { ctx, asked } = context(true);
    expect([...(await confirmVolumeRecreation(ctx, diverged, true))]).toEqual(['data']);
    expect(asked()).toBe('');
  });

  test('on a terminal the question must be Compose\'s, and the answer decide', async () => {
    const yes = context(true, 'y');
    expect([...(await confirmVolumeRecreation(yes.ctx, diverged, false))]).toEqual(['data']);
    expect(yes.asked()).toContain(volumeQuestion(diverged[0]));
    expect(volumeQuestion(diverged[0])).toBe('? Volume "p_data" exists but doesn\'t match configuration in compose file (labels). Recreate (data will be lost)? (y/N) ');
    const no = context(true, '');
    expect([...(await confirmVolumeRecreation(no.ctx, diverged, false))]).toEqual([]);
  });
});
