/**
 * Plain (unquoted, untagged) YAML scalars as Compose reads them: Compose uses go-yaml v3, whose
 * rules differ from the YAML 1.2 core schema that the `yaml` package applies. go-yaml v3:
 * - reads integers like Go's strconv.ParseInt with base 0 after removing every `_`: `1_000`,
 *   `0x1F` / `0X1F`, `-0x1F`, `0o17`, `0b101` and the YAML 1.1 octal `017` are integers;
 * - keeps integers up to 2^64 exact, and reads longer ones as floats
 *   (`123456789012345678901234567890` is 1.2345678901234568e+29);
 * - reads `2001-12-14` (and `2001-12-14T21:59:43.10-05:00`, `2001-12-14 21:59:43`) as a time,
 *   which becomes text like `2001-12-14 00:00:00 +0000 UTC` where Compose wants a string;
 * - knows only `true`/`false` (three spellings each) as booleans, as YAML 1.2 does.
 *
 * The result is a plain value for the loader's tree: a number, or a string where a JS number
 * would lose what Go keeps (digits beyond 2^53, a time, a float that looks like an integer).
 */

/** What go-yaml made of a plain scalar, when it differs in kind from a string. */
export type GoScalar =
  | { readonly kind: 'int'; readonly value: number | string }
  | { readonly kind: 'float'; readonly value: number | string }
  | { readonly kind: 'timestamp'; readonly value: string };

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's ParseInt/ParseUint syntax with base 0 (underscores already removed). */
const GO_INTEGER = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
/** go-yaml's yamlStyleFloat. */
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** The layouts go-yaml tries for a timestamp (Go's time.Parse layouts, as patterns). */
const TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,9}))?(?:(Z)|([-+])(\d{2}):(\d{2}))| (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,9}))?)?$/;

/**
 * How go-yaml resolves a plain scalar whose first character makes it a number or time candidate;
 * undefined when it stays a string (or is left to the `yaml` package: booleans, null, `.inf`).
 */
export function resolveGoScalar(source: string): GoScalar | undefined {
  const first = source.charCodeAt(0);
  const digit = first >= 48 && first <= 57;
  if (first === 46 /* . */) {
    const value = YAML_FLOAT.test(source) ? Number(source) : NaN;
    return Number.isFinite(value) ? { kind: 'float', value } : undefined;
  }
  if (!digit && first !== 43 /* + */ && first !== 45 /* - */) return undefined;
  if (digit) {
    const time = goTimestamp(source);
    if (time !== undefined) return { kind: 'timestamp', value: time };
  }
  const plain = source.includes('_') ? source.replaceAll('_', '') : source;
  const integer = goInteger(plain);
  if (integer !== undefined) {
    if (integer >= INT64_MIN && integer <= UINT64_MAX) {
      const value = Number(integer);
      return { kind: 'int', value: Number.isSafeInteger(value) ? value : integer.toString() };
    }
  }
  if (YAML_FLOAT.test(plain)) {
    const value = Number(plain);
    if (Number.isFinite(value)) return { kind: 'float', value: integralFloat(value) ?? value };
  }
  return undefined;
}

/**
 * A float with an integral value from 1e6 on (`1e6`, `2000000.0`) is text in Go's form
 * (`1e+06`): as a JS number it would print like the integer 2000000, which is what Go prints for
 * the integer but not for the float. Fields that want a number cast the text back (see
 * interpolate.ts); beyond int64 a number is unambiguous (Go integers that long are kept as digits).
 */
function integralFloat(value: number): string | undefined {
  if (!Number.isInteger(value) || Math.abs(value) < 1e6 || Math.abs(value) >= 2 ** 63) return undefined;
  const [mantissa, exponent] = value.toExponential().split('e');
  return `${mantissa}e${exponent[0]}${exponent.slice(1).padStart(2, '0')}`;
}

function goInteger(plain: string): bigint | undefined {
  const match = GO_INTEGER.exec(plain);
  if (!match) return undefined;
  const [, sign, body] = match;
  const prefix = body.length > 1 ? body[1].toLowerCase() : '';
  let magnitude: bigint;
  if (prefix === 'x' || prefix === 'b') magnitude = BigInt(`0${prefix}${body.slice(2)}`);
  else if (prefix === 'o') magnitude = BigInt(`0o${body.slice(2)}`);
  else if (body.length > 1 && body[0] === '0') magnitude = BigInt(`0o${body.slice(1)}`);
  else magnitude = BigInt(body);
  const value = sign === '-' ? -magnitude : magnitude;
  // ParseInt takes a sign; ParseUint (the range above int64) does not.
  if (value > INT64_MAX && sign !== '') return undefined;
  return value;
}

/** A date or date-time as Go's time.Time prints it (`2001-12-14 21:59:43.1 -0500 -0500`). */
function goTimestamp(source: string): string | undefined {
  if (source.length < 8 || source.charCodeAt(4) !== 45 /* - */) return undefined;
  const match = TIMESTAMP.exec(source);
  if (!match) return undefined;
  // `2001-12-14T21:59:43.1Z` (a zone is required) or `2001-12-14 21:59:43.1` (no zone: UTC).
  const [, year, month, day, tHour, tMinute, tSecond, tFraction, utc, sign, offsetHours, offsetMinutes, sHour, sMinute, sSecond, sFraction] = match;
  const hour = tHour ?? sHour ?? '0';
  const minute = tMinute ?? sMinute ?? '0';
  const second = tSecond ?? sSecond ?? '0';
  const fraction = tFraction ?? sFraction;
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const h = Number(hour);
  const mi = Number(minute);
  const s = Number(second);
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth || h > 23 || mi > 59 || s > 59) return undefined;
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const fractionText = fraction ? `.${fraction}`.replace(/0+$/, '').replace(/\.$/, '') : '';
  let zone = '+0000 UTC';
  if (sign !== undefined && !utc) {
    const offset = `${sign}${offsetHours}${offsetMinutes}`;
    // Go names a zone it made up from an offset by the offset; a zero offset is UTC here.
    if (Number(offsetHours) !== 0 || Number(offsetMinutes) !== 0) zone = `${offset} ${offset}`;
  }
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}${fractionText} ${zone}`;
}
