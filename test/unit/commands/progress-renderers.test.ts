import { PassThrough } from 'node:stream';
import { PlainProgress } from '../../../src/commands/output/plain-progress.js';
import { JsonProgress } from '../../../src/commands/output/json-progress.js';
import { elapsedText, TtyProgress } from '../../../src/commands/output/tty-progress.js';
import { progressMode } from '../../../src/commands/output/create-progress.js';
import type { Context } from '../../../src/context.js';
import { done, failed, working } from '../../../src/apply/progress.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  return { stream, text: () => text };
}

describe('progress renderers', () => {
  test('plain progress must print Compose-style lines', async () => {
    const out = capture();
    const progress = new PlainProgress(out.stream);
    progress.start(['Container p-web-1']);
    progress.event(working('Container p-web-1', 'Creating'));
    progress.event(done('Container p-web-1', 'Created'));
    await progress.stop();
    expect(out.text()).toBe(' Container p-web-1  Creating\n Container p-web-1  Created\n');
  });

  test('plain progress must prefix every line in dry-run mode', () => {
    const out = capture();
    new PlainProgress(out.stream, true).event(done('Network p_default', 'Created'));
    expect(out.text()).toBe('DRY-RUN MODE -  Network p_default  Created\n');
  });

  test('json progress must print one object per event with a status word', () => {
    const out = capture();
    const progress = new JsonProgress(out.stream);
    progress.event(failed('Container p-web-1', 'port is already allocated'));
    expect(JSON.parse(out.text())).toEqual({
      id: 'Container p-web-1',
      status: 'Error',
      text: 'Error',
      details: 'port is already allocated',
    });
  });

  test('tty progress must finish when every announced resource is done and keep unannounced events', async () => {
    const out = capture();
    const progress = new TtyProgress(out.stream as unknown as NodeJS.WriteStream);
    progress.start(['Network p_default', 'Container p-web-1']);
    progress.event(done('Network p_default', 'Created'));
    progress.event(failed('Container p-web-1', 'boom'));
    progress.event(done('Volume p_late', 'Created'));
    await progress.stop();
    expect(out.text()).toContain('Network p_default  Created');
    expect(out.text()).toContain('Container p-web-1  Error boom');
    expect(out.text()).toContain(' Volume p_late  Created\n');
  });
});

describe('the terminal view', () => {
  const on = (stderr: object, progress: Context['options']['progress'] = 'auto') =>
    ({ stderr, env: {}, options: { progress, ansi: 'auto' } }) as unknown as Context;

  test('a terminal that reports 0 columns must get plain lines, not a view wrapped one character per line', () => {
    expect(progressMode(on({ isTTY: true, columns: 0 }))).toBe('plain');
    expect(progressMode(on({ isTTY: true, columns: 0 }, 'tty'))).toBe('plain');
    expect(progressMode(on({ isTTY: true, columns: 120 }))).toBe('tty');
  });

  test('every timer must use one format, seconds with one decimal', () => {
    expect([elapsedText(40), elapsedText(3_000), elapsedText(75_320)]).toEqual(['0.0s', '3.0s', '75.3s']);
  });
});
