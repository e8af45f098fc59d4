/**
 * Values as Go's text/template sees them, so `--format` templates print what the Docker CLI and
 * Compose print: a struct is `{a b}`, a map `map[k:v]`, a nil slice `[]`, a missing map key
 * `<no value>`, nil `<nil>`. Plain data converts with `toGoValue`; a struct can carry methods
 * (`.Label "x"`).
 */
import { goJson } from './go-json.js';

export type GoMethod = (...args: GoValue[]) => GoValue;

/** A struct: fields in declaration order, and methods callable from a template. */
export class GoStruct {
  constructor(
    /** For messages: `*formatter.ContainerContext`. */
    readonly typeName: string,
    readonly fields: Readonly<Record<string, GoValue>>,
    readonly methods: Readonly<Record<string, GoMethod>> = {},
  ) {}
}

/** A map (printed with sorted keys); a missing key reads as no value. */
export class GoMap {
  constructor(
    readonly entries: ReadonlyMap<string, GoValue>,
    readonly methods: Readonly<Record<string, GoMethod>> = {},
  ) {}
}

/** A nil slice: prints `[]`, encodes as JSON `null`, has length 0. */
export class GoNilSlice {}

export const NIL_SLICE = new GoNilSlice();

/** `undefined` is Go's invalid value (a missing map key): it prints `<no value>`. */
export type GoValue = undefined | null | boolean | number | string | GoValue[] | GoMap | GoStruct | GoNilSlice;

/** Plain data (JSON-like) as Go values: objects become structs in their key order, null stays nil. */
export function toGoValue(value: unknown, typeName = 'struct'): GoValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item) => toGoValue(item));
  if (value instanceof GoStruct || value instanceof GoMap || value instanceof GoNilSlice) return value;
  if (typeof value === 'object') {
    const fields: Record<string, GoValue> = {};
    for (const [key, member] of Object.entries(value)) fields[key] = toGoValue(member);
    return new GoStruct(typeName, fields);
  }
  return String(value);
}

/** The type name Go would report, for error messages. */
export function goTypeName(value: GoValue): string {
  if (value === undefined) return 'invalid value';
  if (value === null) return 'nil';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float64';
  if (Array.isArray(value) || value instanceof GoNilSlice) return 'slice';
  if (value instanceof GoMap) return 'map';
  return value.typeName;
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  // Go's %v for a float64 is %g: the shortest representation, exponent from 1e21 on.
  return String(value).replace(/e\+?(-?)(\d)$/, 'e$10$2').replace(/e\+?(-?\d\d+)$/, (match, exponent: string) => `e${exponent.startsWith('-') ? '' : '+'}${exponent}`);
}

/** fmt's %v: how a template prints a value. */
export function printValue(value: GoValue): string {
  if (value === undefined) return '<no value>';
  if (value === null) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return formatNumber(value);
  if (value instanceof GoNilSlice) return '[]';
  if (Array.isArray(value)) return `[${value.map(printValue).join(' ')}]`;
  if (value instanceof GoMap) {
    const keys = [...value.entries.keys()].sort();
    return `map[${keys.map((key) => `${key}:${printValue(value.entries.get(key))}`).join(' ')}]`;
  }
  return `{${Object.values(value.fields).map(printValue).join(' ')}}`;
}

/** Go's template truth: false, 0, nil, empty strings, slices and maps are false. */
export function isTrue(value: GoValue): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (value instanceof GoNilSlice) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof GoMap) return value.entries.size > 0;
  return true;
}

/** The plain data encoding/json would see. */
export function toPlain(value: GoValue): unknown {
  if (value === undefined || value === null || value instanceof GoNilSlice) return null;
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof GoMap) {
    const keys = [...value.entries.keys()].sort();
    return Object.fromEntries(keys.map((key) => [key, toPlain(value.entries.get(key))]));
  }
  if (value instanceof GoStruct) return Object.fromEntries(Object.entries(value.fields).map(([key, member]) => [key, toPlain(member)]));
  return value;
}

/** The Docker CLI's `json` template function: encoding/json's output. */
export function jsonOf(value: GoValue): string {
  return goJson(toPlain(value));
}
