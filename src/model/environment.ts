/**
 * Key/value attributes written as a list (`- KEY=value`, `- KEY`) or as a map (`KEY: value`,
 * `KEY:`). Compose turns both into a map; what a key written without a value means depends on
 * the attribute:
 * - `environment`: taken from the shell/.env environment, or `null` (unset in the container) when unset there;
 * - `build.args`: taken from the environment, or dropped when unset there;
 * - `labels`, `annotations`, `sysctls`, `deploy.labels`: the empty string.
 */
import { isTree, scalarString } from './scalars.js';

/** Key -> value, or null for a key written without a value. */
export type RawMapping = Map<string, string | null>;

/** Reads the list or the map form; later entries win, as Compose's merge leaves them. */
export function readMapping(value: unknown): RawMapping {
  const out: RawMapping = new Map();
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = scalarString(item);
      if (text === undefined) continue;
      const equals = text.indexOf('=');
      if (equals === -1) out.set(text, null);
      else out.set(text.slice(0, equals), text.slice(equals + 1));
    }
  } else if (isTree(value)) {
    for (const [key, entry] of Object.entries(value)) {
      out.set(key, entry === null || entry === undefined ? null : (scalarString(entry) ?? null));
    }
  }
  return out;
}

/** `environment`: valueless keys resolved from `environment`, else `null`. Keys sorted. */
export function resolveEnvironment(
  value: unknown,
  environment: Readonly<Record<string, string>>,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [key, entry] of sortedEntries(readMapping(value))) {
    out[key] = entry ?? (Object.prototype.hasOwnProperty.call(environment, key) ? environment[key] : null);
  }
  return out;
}

/** `build.args`: valueless keys resolved from `environment`, dropped when unset. Keys sorted. */
export function resolveBuildArgs(value: unknown, environment: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of sortedEntries(readMapping(value))) {
    if (entry !== null) out[key] = entry;
    else if (Object.prototype.hasOwnProperty.call(environment, key)) out[key] = environment[key];
  }
  return out;
}

/** `labels` and the like: valueless keys become `""`. Keys sorted. */
export function labelMapping(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of sortedEntries(readMapping(value))) out[key] = entry ?? '';
  return out;
}

function sortedEntries<V>(map: Map<string, V>): [string, V][] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `labelMapping` for an optional attribute: undefined when absent or null. */
export function optionalLabels(value: unknown): Record<string, string> | undefined {
  return value === undefined || value === null ? undefined : labelMapping(value);
}
