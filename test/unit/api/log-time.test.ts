import { rfc3339ToUnixText, toEngineTime } from '../../../src/api/log-time.js';
import { mergeByTimestamp, timestampKey } from '../../../src/api/merge-by-timestamp.js';
import { parseBuildArgs } from '../../../src/commands/build-args.js';
import type { LogLine } from '../../../src/apply/engine.js';

const NOW = Date.parse('2026-06-15T12:00:00.250Z');

describe('--since / --until values', () => {
  test('a duration must count back from now', () => {
    expect(toEngineTime('--since', '10m', NOW)).toBe(`${NOW / 1000 - 600 - 0.25}.250000000`);
    expect(toEngineTime('--since', '1h30m', NOW)).toBe(`${Math.floor(NOW / 1000) - 5400}.250000000`);
  });

  test('Unix seconds must pass through', () => {
    expect(toEngineTime('--until', '1700000000', NOW)).toBe('1700000000');
    expect(toEngineTime('--until', '1700000000.5', NOW)).toBe('1700000000.5');
  });

  test('an RFC 3339 time must keep its nanoseconds', () => {
    expect(toEngineTime('--since', '2026-06-15T11:00:00.123456789Z', NOW)).toBe(`${Date.parse('2026-06-15T11:00:00Z') / 1000}.123456789`);
    expect(toEngineTime('--since', '2026-06-15T11:00:00+02:00', NOW)).toBe(`${Date.parse('2026-06-15T09:00:00Z') / 1000}.000000000`);
  });

  test('a date without a zone must be local time, as the Docker CLI reads it', () => {
    expect(toEngineTime('--since', '2026-06-15', NOW)).toBe(`${new Date(2026, 5, 15).getTime() / 1000}.000000000`);
  });

  test('anything else must be a usage error naming the option', () => {
    expect(() => toEngineTime('--since', 'yesterday', NOW)).toThrow('invalid --since value "yesterday"');
  });

  test("the engine's StartedAt / FinishedAt must convert exactly", () => {
    expect(rfc3339ToUnixText('2026-06-15T11:00:00.5Z')).toBe(`${Date.parse('2026-06-15T11:00:00Z') / 1000}.500000000`);
    expect(rfc3339ToUnixText('garbage')).toBeUndefined();
  });
});

describe('mergeByTimestamp', () => {
  async function* lines(...stamps: string[]): AsyncIterable<LogLine> {
    for (const timestamp of stamps) yield { stream: 'stdout', text: timestamp, timestamp };
  }

  test('lines of several containers must come out in the order they were written', async () => {
    const merged: string[] = [];
    for await (const { name, line } of mergeByTimestamp([
      { name: 'a', lines: lines('2026-06-15T12:00:00.1Z', '2026-06-15T12:00:02Z') },
      { name: 'b', lines: lines('2026-06-15T12:00:00.105Z', '2026-06-15T12:00:01.999999999Z') },
      { name: 'c', lines: lines() },
    ])) {
      merged.push(`${name} ${line.text}`);
    }
    expect(merged).toEqual([
      'a 2026-06-15T12:00:00.1Z',
      'b 2026-06-15T12:00:00.105Z',
      'b 2026-06-15T12:00:01.999999999Z',
      'a 2026-06-15T12:00:02Z',
    ]);
  });

  test('timestamps with dropped trailing zeros must sort by value', () => {
    expect(timestampKey('2026-06-15T12:00:00.1Z') < timestampKey('2026-06-15T12:00:00.105Z')).toBe(true);
    expect(timestampKey('2026-06-15T12:00:00Z') < timestampKey('2026-06-15T12:00:00.000000001Z')).toBe(true);
  });
});

describe('--build-arg', () => {
  test('KEY=VALUE must set, and KEY alone must come from the environment or be dropped', () => {
    expect(parseBuildArgs(['A=1', 'B=', 'FROM_ENV', 'UNSET', 'C=x=y'], { FROM_ENV: 'env' })).toEqual({ A: '1', B: '', FROM_ENV: 'env', C: 'x=y' });
  });

  test('an empty key must be a usage error', () => {
    expect(() => parseBuildArgs(['=1'], {})).toThrow('invalid --build-arg "=1"');
  });
});
