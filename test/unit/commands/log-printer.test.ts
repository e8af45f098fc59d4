import { PassThrough } from 'node:stream';
import { passOn } from '../../../src/api/follow-logs.js';
import { LogPrinter, type LogPrinterOptions } from '../../../src/commands/output/log-printer.js';

function printer(options: Partial<LogPrinterOptions> = {}): { printer: LogPrinter; text: () => string; writes: () => number } {
  const out = new PassThrough();
  let text = '';
  let writes = 0;
  out.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
    writes++;
  });
  return { printer: new LogPrinter({ out, color: false, ...options }), text: () => text, writes: () => writes };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('LogPrinter', () => {
  test('prefixes must be padded to the longest registered name plus one, like Compose', async () => {
    const { printer: logs, text } = printer();
    logs.register('web-1', 'web');
    logs.register('longer-name-1', 'longer-name');
    logs.line('web-1', { stream: 'stdout', text: 'hello' });
    logs.line('longer-name-1', { stream: 'stderr', text: 'ready' });
    await flush();
    expect(text()).toBe('web-1          | hello\nlonger-name-1  | ready\n');
  });

  test('a single container must get the two-space prefix Compose prints', async () => {
    const { printer: logs, text } = printer();
    logs.register('web-1', 'web');
    logs.line('web-1', { stream: 'stdout', text: 'hello' });
    await flush();
    expect(text()).toBe('web-1  | hello\n');
  });

  test('colours must be absent when colour is off (NO_COLOR, --no-color, a pipe)', async () => {
    const { printer: logs, text } = printer({ color: false });
    logs.register('web-1', 'web');
    logs.line('web-1', { stream: 'stdout', text: 'plain' });
    await flush();
    expect(text()).not.toMatch(/\u001b\[/);
  });

  test('colour must paint only the prefix, one colour per service in Compose order', async () => {
    const { printer: logs, text } = printer({ color: true });
    logs.register('db-1', 'db');
    logs.register('web-1', 'web');
    logs.register('web-2', 'web');
    logs.line('db-1', { stream: 'stdout', text: 'a' });
    logs.line('web-1', { stream: 'stdout', text: 'b' });
    logs.line('web-2', { stream: 'stdout', text: 'c' });
    await flush();
    expect(text()).toBe('\u001b[36mdb-1   | \u001b[39ma\n\u001b[33mweb-1  | \u001b[39mb\n\u001b[33mweb-2  | \u001b[39mc\n');
  });

  test('--no-log-prefix must print the bare lines', async () => {
    const { printer: logs, text } = printer({ prefix: false });
    logs.register('web-1', 'web');
    logs.line('web-1', { stream: 'stdout', text: 'bare' });
    await flush();
    expect(text()).toBe('bare\n');
  });

  test('timestamps must follow the prefix when asked for, and be dropped otherwise', async () => {
    const line = { stream: 'stdout' as const, text: 'x', timestamp: '2026-01-02T03:04:05.000000001Z' };
    const withStamps = printer({ timestamps: true });
    withStamps.printer.line('web-1', line);
    const without = printer();
    without.printer.line('web-1', line);
    await flush();
    expect(withStamps.text()).toBe('web-1  | 2026-01-02T03:04:05.000000001Z x\n');
    expect(without.text()).toBe('web-1  | x\n');
  });

  test('partial lines must wait for their newline, and never mix with another container mid-line', async () => {
    const { printer: logs, text, writes } = printer();
    logs.register('a-1', 'a');
    logs.register('b-1', 'b');
    logs.write('a-1', 'hal');
    logs.write('b-1', 'whole\n');
    logs.write('a-1', 'f line\r\nand a tail');
    logs.end('a-1');
    logs.end('b-1');
    await flush();
    expect(text()).toBe('b-1  | whole\na-1  | half line\na-1  | and a tail\n');
    expect(writes()).toBe(3);
  });

  test('a stream passed on must be printed until it ends', async () => {
    const { printer: logs, text } = printer();
    async function* lines() {
      yield { stream: 'stdout' as const, text: 'one' };
      yield { stream: 'stdout' as const, text: 'two' };
    }
    await passOn(logs, 'job-1', lines());
    logs.exited('job-1', 3);
    await flush();
    expect(text()).toBe('job-1  | one\njob-1  | two\njob-1 exited with code 3\n');
  });
});

describe('LogPrinter while held', () => {
  test('held output must be printed in order on release, with prefixes padded to every name registered by then', async () => {
    const { printer: logs, text } = printer();
    logs.hold();
    logs.register('db-1', 'db');
    logs.line('db-1', { stream: 'stdout', text: 'first' });
    logs.register('longer-1', 'longer');
    logs.exited('db-1', 0);
    await flush();
    expect(text()).toBe('');
    logs.release();
    logs.line('longer-1', { stream: 'stdout', text: 'live' });
    await flush();
    expect(text()).toBe('db-1      | first\ndb-1 exited with code 0\nlonger-1  | live\n');
  });

  test('past the hold limit, the oldest lines must be dropped and the drop said once on release', async () => {
    const { printer: logs, text } = printer({ holdLimit: 2 });
    logs.hold();
    for (const word of ['a', 'b', 'c', 'd']) logs.line('x-1', { stream: 'stdout', text: word });
    logs.release();
    await flush();
    expect(text()).toBe('(2 earlier lines of container output not shown here; "logs" has them)\nx-1  | c\nx-1  | d\n');
  });

  test('stderr lines must go to the err stream when one is given', async () => {
    const err = new PassThrough();
    let errText = '';
    err.setEncoding('utf8').on('data', (chunk: string) => (errText += chunk));
    const { printer: logs, text } = printer({ err });
    logs.line('web-1', { stream: 'stderr', text: 'oops' });
    logs.line('web-1', { stream: 'stdout', text: 'fine' });
    await flush();
    expect(errText).toBe('web-1  | oops\n');
    expect(text()).toBe('web-1  | fine\n');
  });
});
