/**
 * `logs --since` / `--until` values, converted the way the Docker CLI converts them before they
 * reach the engine (the engine itself only takes Unix seconds or RFC 3339): a Go duration is
 * relative to now (`10m`, `1h30m`), a date or date-time without a zone is local time, and a
 * plain number is already Unix seconds.
 */
import { UsageError } from '../errors.js';
import { parseDuration } from '../model/durations.js';

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Unix seconds with nanoseconds (`1700000000.123456789`), what the engine's log API reads. */
export function toEngineTime(option: string, value: string, now: number): string {
  const text = value.trim();
  if (/^\d+(?:\.\d{1,9})?$/.test(text)) return text;
  const duration = text === '' || text === '0' ? undefined : parseDuration(text);
  if (duration !== undefined) return unixText(now - duration / 1e6);
  const match = DATE_TIME.exec(text);
  if (match) {
    const [, date, time = '00:00:00', fraction = '', zone = ''] = match;
    const withSeconds = time.length === 5 ? `${time}:00` : time;
    // Without a zone, ECMAScript reads a date-time as local time (as Docker does); a bare date it
    // would read as UTC, so the time is always spelled out.
    const milliseconds = Date.parse(`${date}T${withSeconds}${zone}`);
    if (!Number.isNaN(milliseconds)) return `${Math.floor(milliseconds / 1000)}.${fraction.padEnd(9, '0')}`;
  }
  throw new UsageError(
    `invalid ${option} value ${JSON.stringify(value)}: use a duration (10m, 1h30m), a date-time (2024-01-02T15:04:05Z) or Unix seconds`,
  );
}

/** RFC 3339 (the engine's StartedAt, with up to nine fraction digits) as Unix seconds text. */
export function rfc3339ToUnixText(value: string): string | undefined {
  const match = DATE_TIME.exec(value);
  if (!match) return undefined;
  const [, date, time = '00:00:00', fraction = '', zone = 'Z'] = match;
  const milliseconds = Date.parse(`${date}T${time}${zone}`);
  return Number.isNaN(milliseconds) ? undefined : `${Math.floor(milliseconds / 1000)}.${fraction.padEnd(9, '0')}`;
}

/** Milliseconds since the epoch as `seconds.nanoseconds`. */
function unixText(milliseconds: number): string {
  const seconds = Math.floor(milliseconds / 1000);
  const nanoseconds = Math.min(999_999_999, Math.max(0, Math.round((milliseconds - seconds * 1000) * 1e6)));
  return `${seconds}.${String(nanoseconds).padStart(9, '0')}`;
}
