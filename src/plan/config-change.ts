/**
 * What changed between the canonical config a container was created from and the project's, in
 * words a person reads in a plan: `image "app:1" -> "app:2", environment MODE changed, DEBUG added`.
 *
 * Values are shown only for the fields listed in SHOWN_VALUES, which never hold secrets. Every
 * other field is named, never shown: environment variables, labels and the like by key, secrets
 * and configs by name, lists (command, ports, volumes) as a whole.
 */
import { diffConfigs } from '../model/hash.js';

/** Fields whose old and new values may be printed: plain settings, never user data or secrets. */
const SHOWN_VALUES: ReadonlySet<string> = new Set([
  'image',
  'restart',
  'user',
  'working_dir',
  'hostname',
  'domainname',
  'platform',
  'network_mode',
  'pid',
  'ipc',
  'uts',
  'userns_mode',
  'cgroup',
  'isolation',
  'runtime',
  'stop_signal',
  'stop_grace_period',
  'init',
  'privileged',
  'read_only',
  'tty',
  'stdin_open',
  'container_name',
  'mem_limit',
  'memswap_limit',
  'mem_reservation',
  'cpus',
  'cpu_shares',
  'shm_size',
]);

/** Maps whose keys are names (shown) and whose values are not (environment values may be secrets). */
const KEYED_MAPS: Readonly<Record<string, string>> = {
  environment: 'environment',
  labels: 'label',
  annotations: 'annotation',
  sysctls: 'sysctl',
  networks: 'network',
  ulimits: 'ulimit',
};

/** Lists of references whose entries are named by their `source`. */
const NAMED_REFERENCES: Readonly<Record<string, string>> = { secrets: 'secret', configs: 'config' };

const VALUE_MAX = 60;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A path from diffConfigs split into its top-level field and the rest: `environment.MODE` -> [environment, MODE]. */
function splitPath(path: string): { field: string; key?: string; index?: number; rest: string } {
  const match = /^([A-Za-z_][A-Za-z0-9_-]*)(.*)$/.exec(path);
  if (match === null) return { field: path, rest: '' };
  const [, field, rest] = match;
  const keyed = /^(?:\.([A-Za-z_][A-Za-z0-9_-]*)|\[("(?:[^"\\]|\\.)*")\])/.exec(rest);
  if (keyed !== null) return { field, key: keyed[1] ?? (JSON.parse(keyed[2]) as string), rest };
  const indexed = /^\[([0-9]+)\]/.exec(rest);
  if (indexed !== null) return { field, index: Number(indexed[1]), rest };
  return { field, rest };
}

function shownValue(value: unknown): string {
  if (value === undefined || value === null) return 'unset';
  const text = JSON.stringify(value);
  return text.length > VALUE_MAX ? `${text.slice(0, VALUE_MAX - 1)}…` : text;
}

/** `MODE, LEVEL changed, DEBUG added, OLD removed` for the keys of one map. */
function keyChanges(keys: readonly string[], before: unknown, after: unknown): string {
  const changed: string[] = [];
  const added: string[] = [];
  const removed: string[] = [];
  for (const key of keys) {
    const had = isObject(before) && key in before;
    const has = isObject(after) && key in after;
    if (had && !has) removed.push(key);
    else if (has && !had) added.push(key);
    else changed.push(key);
  }
  return [
    changed.length > 0 ? `${changed.join(', ')} changed` : '',
    added.length > 0 ? `${added.join(', ')} added` : '',
    removed.length > 0 ? `${removed.join(', ')} removed` : '',
  ]
    .filter((part) => part !== '')
    .join(', ');
}

function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.filter((key) => diffConfigs(before[key], after[key]).length > 0);
}

function referenceName(list: unknown, index: number): string | undefined {
  if (!Array.isArray(list)) return undefined;
  const entry: unknown = list[index];
  return isObject(entry) && typeof entry.source === 'string' ? entry.source : undefined;
}

/**
 * The changes from `before` (the applied config a container records) to `after` (the project's
 * canonical config), worded; empty when they are equal.
 */
export function describeConfigChange(before: unknown, after: unknown): string[] {
  const paths = diffConfigs(before, after);
  if (paths.length === 1 && paths[0] === '(everything)') return ['the whole configuration changed'];
  const previous = isObject(before) ? before : {};
  const next = isObject(after) ? after : {};
  // Per field, in the order the diff found them (key order).
  const fields = new Map<string, string[]>();
  for (const path of paths) {
    const { field } = splitPath(path);
    fields.set(field, [...(fields.get(field) ?? []), path]);
  }
  const words: string[] = [];
  // The image first: it is what a person looks for.
  const ordered = [...fields].sort(([a], [b]) => Number(b === 'image') - Number(a === 'image'));
  for (const [field, fieldPaths] of ordered) {
    const old = previous[field];
    const current = next[field];
    if (SHOWN_VALUES.has(field)) {
      words.push(`${field} ${shownValue(old)} -> ${shownValue(current)}`);
      continue;
    }
    const noun = KEYED_MAPS[field];
    if (noun !== undefined && (old === undefined || isObject(old)) && (current === undefined || isObject(current))) {
      // A map that appeared or went is worded key by key, like one that changed.
      const keys = changedKeys(old ?? {}, current ?? {});
      if (keys.length > 0) {
        words.push(`${noun} ${keyChanges(keys, old, current)}`);
        continue;
      }
    }
    const reference = NAMED_REFERENCES[field];
    if (reference !== undefined) {
      const names = fieldPaths.map((path) => {
        const { index } = splitPath(path);
        return index === undefined ? undefined : (referenceName(current, index) ?? referenceName(old, index));
      });
      if (names.every((name) => name !== undefined)) {
        words.push(`${reference} ${[...new Set(names)].join(', ')} changed`);
        continue;
      }
      words.push(`${field} changed`);
      continue;
    }
    if (old === undefined) words.push(`${field} added`);
    else if (current === undefined) words.push(`${field} removed`);
    else {
      // `healthcheck.interval`; a list is named as a whole (`ports`, not `ports[0].published`).
      const named = [...new Set(fieldPaths.map((path) => path.replace(/\[.*$/, '')))];
      words.push(`${named.join(', ')} changed`);
    }
  }
  return words;
}
