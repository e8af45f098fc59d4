/**
 * Durations as Compose reads and prints them: Go's time.ParseDuration syntax (`1m30s`, `1.5h`,
 * `500ms`, `100us`) in, nanoseconds in the model, Go's Duration.String() out (`1m30s`, `2h0m0s`,
 * `1.5s`, `100µs`), because `config` prints what Go prints.
 */
import type { Duration } from './types.js';

const NANOSECONDS_PER_UNIT: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5 micro sign
  'μs': 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const COMPONENT = /^(\d*)(?:\.(\d*))?([a-zµμ]+)/;

/**
 * Parses Go duration text; a plain number is taken as nanoseconds (what Go's decoder does with an
 * integer). Returns undefined when the text is not a duration.
 */
export function parseDuration(value: unknown): Duration | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value !== 'string') return undefined;
  let text = value.trim();
  let sign = 1;
  if (text.startsWith('-') || text.startsWith('+')) {
    if (text.startsWith('-')) sign = -1;
    text = text.slice(1);
  }
  if (text === '0') return 0;
  if (text === '') return undefined;
  let total = 0;
  while (text !== '') {
    const match = COMPONENT.exec(text);
    if (!match) return undefined;
    const [whole, integer, fraction = '', unitName] = match;
    if (integer === '' && fraction === '') return undefined;
    const unit = NANOSECONDS_PER_UNIT[unitName];
    if (unit === undefined) return undefined;
    total += Number(integer || '0') * unit;
    // Go scales the fraction in floating point and truncates.
    if (fraction !== '') total += Math.trunc((Number(fraction) / 10 ** fraction.length) * unit);
    text = text.slice(whole.length);
  }
  return sign * total;
}

/** Go's Duration.String(): `0s`, `1.5µs`, `250ms`, `1m30s`, `2h0m0s`. */
export function formatDuration(duration: Duration): string {
  if (duration === 0) return '0s';
  const negative = duration < 0;
  let rest = Math.abs(Math.trunc(duration));
  let text: string;
  if (rest < 1e9) {
    // Below a second Go switches to the largest unit that keeps an integer part.
    if (rest < 1e3) text = `${rest}ns`;
    else if (rest < 1e6) text = `${withFraction(rest, 3)}µs`;
    else text = `${withFraction(rest, 6)}ms`;
  } else {
    const seconds = withFraction(rest % 60e9, 9);
    rest = Math.floor(rest / 60e9);
    if (rest === 0) {
      text = `${seconds}s`;
    } else {
      const minutes = rest % 60;
      const hours = Math.floor(rest / 60);
      text = hours > 0 ? `${hours}h${minutes}m${seconds}s` : `${minutes}m${seconds}s`;
    }
  }
  return negative ? `-${text}` : text;
}

/** `value / 10^digits` written with the trailing zeros of the fraction dropped. */
function withFraction(value: number, digits: number): string {
  const scale = 10 ** digits;
  const integer = Math.floor(value / scale);
  const fraction = value % scale;
  if (fraction === 0) return String(integer);
  return `${integer}.${String(fraction).padStart(digits, '0').replace(/0+$/, '')}`;
}
