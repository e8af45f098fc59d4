/**
 * Small total conversions from the loader's plain tree. Input has been validated, but the model
 * never throws on an unexpected shape: it skips what it cannot use.
 */

export type Tree = Record<string, unknown>;

export function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asTree(value: unknown): Tree {
  return isTree(value) ? value : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * A scalar as the string Compose would hold: numbers and booleans in their YAML spelling
 * (`1.0` -> `1`, `true` -> `true`), strings unchanged. Undefined for null and containers.
 */
export function scalarString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}

/** Integers beyond this magnitude can only have been floats in Go (longer integers are kept as digits). */
const INT64_LIMIT = 2 ** 63;

/**
 * A number the way Go's fmt prints it where Compose turns a value into a string (environment,
 * labels): integers in full, and what can only have been a float in Go (a fraction, or a
 * magnitude beyond int64) in Go's float format (`1.5`, `1e-05`, `1.2345678901234568e+29`).
 */
export function formatNumber(value: number): string {
  if (isGoInteger(value)) return String(value);
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return goFloatText(value);
}

/**
 * Go's shortest `%g` text of a finite float64 (fmt's `%v`, and what yaml.v3 prints): an exponent
 * of at least two digits below 1e-4 and from 1e6 on (`1.2345675e+06`), plain digits otherwise.
 */
export function goFloatText(value: number): string {
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}

/** Whether a number prints as an integer in Go: an integral value within int64. */
export function isGoInteger(value: number): boolean {
  return Number.isInteger(value) && Math.abs(value) < INT64_LIMIT;
}

export function optionalString(value: unknown): string | undefined {
  return scalarString(value);
}

export function optionalNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

export function optionalInteger(value: unknown): number | undefined {
  const number = optionalNumber(value);
  return number === undefined ? undefined : Math.trunc(number);
}

export function optionalBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** A string list from a list, or a single string turned into a one-element list (`dns: 8.8.8.8`). */
export function stringList(value: unknown): string[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const out: string[] = [];
    for (const item of value) {
      const text = scalarString(item);
      if (text !== undefined) out.push(text);
    }
    return out;
  }
  const text = scalarString(value);
  return text === undefined ? undefined : [text];
}

/** A `string -> string` map from a map (values stringified) — driver_opts, storage_opt, ... */
export function stringMap(value: unknown): Record<string, string> | undefined {
  if (!isTree(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    const text = scalarString(entry);
    if (text !== undefined) out[key] = text;
  }
  return out;
}

/** The `x-*` keys of a mapping, verbatim; undefined when there are none. */
export function extensionsOf(value: unknown): Record<`x-${string}`, unknown> | undefined {
  if (!isTree(value)) return undefined;
  let out: Record<`x-${string}`, unknown> | undefined;
  for (const key of Object.keys(value)) {
    if (!key.startsWith('x-')) continue;
    out ??= {};
    out[key as `x-${string}`] = value[key];
  }
  return out;
}

/** Drops keys whose value is undefined, so optional fields are absent rather than undefined. */
export function compact<T extends object>(value: T): T {
  // Keys, not entries: a service literal has ~100 keys, mostly undefined, and a pair per key was
  // most of the model's garbage on a large project.
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const entry = record[key];
    if (entry !== undefined) out[key] = entry;
  }
  return out as T;
}

/** A copy of a record with its keys in sorted order (deterministic output for maps). */
export function sortByKey<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key];
  return out;
}
