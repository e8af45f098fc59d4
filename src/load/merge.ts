/**
 * Merging one Compose tree into another (override files, extra YAML documents, `extends`), with
 * Compose's per-key rules, then Compose's "unicity" pass that removes redefinitions from
 * sequences (later definition wins, at the earlier one's place).
 *
 * Both passes are driven by rule tables keyed by path patterns (`services.*.environment`),
 * compiled once into a trie so that each node costs one map lookup. `!reset` removes a value,
 * `!override` replaces it without merging. Merging mutates and returns the base; values taken
 * from the override keep their own source positions (copied explicitly, see located.ts), so an
 * error found later points at the file that defined the value.
 *
 * Malformed input (a string where a mapping is expected, ...) never throws here: the later value
 * wins and the validator reports it.
 */
import path from 'node:path';
import type { SourceLocation } from '../errors.js';
import {
  copyEntryLocation,
  copySelfLocation,
  entryLocation,
  mergedSequenceOrder,
  selfLocation,
  setEntryLocation,
  setMergedSequenceOrder,
  setSelfLocation,
} from './located.js';
import { isOverride, mayHoldResets, RESET } from './parse-yaml.js';
import { isClean } from './bind-paths.js';

type Mapping = Record<string, unknown>;

export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type MergeRule = 'replace' | 'sequence' | 'build' | 'depends_on' | 'networks' | 'logging' | 'ipam_config';

interface RuleNode<R> {
  rule?: R;
  readonly children: Map<string, RuleNode<R>>;
}

function compile<R>(table: ReadonlyArray<readonly [string, R]>): RuleNode<R> {
  const root: RuleNode<R> = { children: new Map() };
  for (const [pattern, rule] of table) {
    let node = root;
    for (const segment of pattern.split('.')) {
      let next = node.children.get(segment);
      if (!next) {
        next = { children: new Map() };
        node.children.set(segment, next);
      }
      node = next;
    }
    node.rule = rule;
  }
  return root;
}

function child<R>(node: RuleNode<R> | undefined, key: string): RuleNode<R> | undefined {
  if (!node) return undefined;
  return node.children.get(key) ?? node.children.get('*');
}

/** Compose's merge rules (override/merge.go in compose-go), as path patterns. */
const MERGE_RULES = compile<MergeRule>([
  ['networks.*.ipam.config', 'ipam_config'],
  ['networks.*.labels', 'sequence'],
  ['volumes.*.labels', 'sequence'],
  ['services.*.annotations', 'sequence'],
  ['services.*.build', 'build'],
  ['services.*.build.args', 'sequence'],
  ['services.*.build.additional_contexts', 'sequence'],
  ['services.*.build.extra_hosts', 'sequence'],
  ['services.*.build.labels', 'sequence'],
  ['services.*.command', 'replace'],
  ['services.*.depends_on', 'depends_on'],
  ['services.*.deploy.labels', 'sequence'],
  ['services.*.dns', 'sequence'],
  ['services.*.dns_opt', 'sequence'],
  ['services.*.dns_search', 'sequence'],
  ['services.*.entrypoint', 'replace'],
  ['services.*.env_file', 'sequence'],
  ['services.*.environment', 'sequence'],
  ['services.*.extra_hosts', 'sequence'],
  ['services.*.healthcheck.test', 'replace'],
  ['services.*.labels', 'sequence'],
  ['services.*.logging', 'logging'],
  ['services.*.networks', 'networks'],
  ['services.*.sysctls', 'sequence'],
  ['services.*.tmpfs', 'sequence'],
  // Compose means to merge ulimits but its code ends up replacing them; so do we.
  ['services.*.ulimits.*', 'replace'],
]);

/** Where merging starts: a whole file, or one service (extends). */
export const ROOT_RULES = MERGE_RULES;
export const SERVICE_RULES = child(child(MERGE_RULES, 'services'), '*') as RuleNode<MergeRule>;
export type MergeRules = RuleNode<MergeRule>;

/** Where a value sits, so that converted containers can keep a position. */
interface Slot {
  readonly parent: unknown;
  readonly key: string | number;
}

function valueLocation(slot: Slot): SourceLocation | undefined {
  return entryLocation(slot.parent, slot.key);
}

/**
 * Merges `over` into `base` (both mappings) following the rules at `rules` and returns `base`.
 * `base` is mutated; `over` must not be used afterwards (its containers are adopted).
 */
export function mergeMappings(base: Mapping, over: Mapping, rules: MergeRules | undefined = ROOT_RULES): Mapping {
  for (const key of Object.keys(over)) {
    const value = over[key];
    if (value === RESET) {
      delete base[key];
      continue;
    }
    if (!Object.prototype.hasOwnProperty.call(base, key) || key.startsWith('x-')) {
      base[key] = stripResets(value);
      copyEntryLocation(over, key, base);
      continue;
    }
    const merged = mergeValue(base[key], value, child(rules, key), { parent: base, key }, { parent: over, key });
    if (merged !== base[key]) {
      base[key] = merged;
      // A value that is (or was built from) the override points at the override; a base
      // container merged in place keeps its own position.
      copyEntryLocation(over, key, base);
    }
  }
  return base;
}

function mergeValue(base: unknown, over: unknown, rules: MergeRules | undefined, baseSlot: Slot, overSlot: Slot): unknown {
  if (isOverride(over)) return stripResets(over);
  switch (rules?.rule) {
    case 'replace':
      return stripResets(over);
    case 'sequence':
      return mergeSequenceLike(base, over, baseSlot, overSlot);
    case 'build':
      return mergeBuild(base, over, rules, baseSlot, overSlot);
    case 'depends_on':
      return mergeNamedList(base, over, rules, baseSlot, overSlot, () => ({ condition: 'service_started', required: true }));
    case 'networks':
      return mergeNamedList(base, over, rules, baseSlot, overSlot, () => null);
    case 'logging':
      if (isMapping(base) && isMapping(over) && 'driver' in base && 'driver' in over && base.driver !== over.driver) {
        return stripResets(over);
      }
      break;
    case 'ipam_config':
      if (Array.isArray(base) && Array.isArray(over)) return mergeIpamConfig(base, over);
      break;
    default:
      break;
  }
  if (over === null || over === undefined) return base;
  if (isMapping(base) && isMapping(over)) return mergeMappings(base, over, rules);
  if (Array.isArray(base) && Array.isArray(over)) return appendItems(base, over);
  return stripResets(over);
}

function appendItems(base: unknown[], over: unknown[]): unknown[] {
  over.forEach((item, index) => {
    if (item === RESET) return;
    base.push(stripResets(item));
    copyEntryLocation(over, index, base, base.length - 1);
  });
  return base;
}

/**
 * `environment`, `labels`, `dns`, ...: Compose turns both sides into `KEY=VALUE` sequences and
 * appends. Two mappings stay a mapping here (same meaning, and keys keep their positions), which
 * remembers the order of Compose's sequence: each side's keys sorted, the base's first, a
 * redefined key at its first place (Compose's unicity pass), a reset key gone.
 */
function mergeSequenceLike(base: unknown, over: unknown, baseSlot: Slot, overSlot: Slot): unknown {
  if (over === null || over === undefined) return base;
  if (isMapping(base) && isMapping(over)) {
    const order = [...(mergedSequenceOrder(base) ?? Object.keys(base).sort()), ...Object.keys(over).sort()];
    const merged = mergeMappings(base, over, undefined);
    setMergedSequenceOrder(merged, [...new Set(order)].filter((key) => Object.prototype.hasOwnProperty.call(merged, key)));
    return merged;
  }
  const out: unknown[] = [];
  setSelfLocation(out, selfLocation(base) ?? valueLocation(baseSlot));
  appendAsSequence(out, base, baseSlot);
  appendAsSequence(out, over, overSlot);
  return out;
}

function appendAsSequence(out: unknown[], value: unknown, slot: Slot): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (item === RESET) return;
      out.push(item);
      copyEntryLocation(value, index, out, out.length - 1);
    });
  } else if (isMapping(value)) {
    for (const key of mergedSequenceOrder(value) ?? Object.keys(value).sort()) {
      const entry = value[key];
      if (entry === RESET) continue;
      out.push(entry === null || entry === undefined ? key : `${key}=${scalarText(entry)}`);
      setEntryLocation(out, out.length - 1, { value: entryLocation(value, key, 'key') });
    }
  } else if (value !== null && value !== undefined && value !== RESET) {
    out.push(value);
    setEntryLocation(out, out.length - 1, { value: valueLocation(slot) });
  }
}

function scalarText(value: unknown): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function mergeBuild(base: unknown, over: unknown, rules: MergeRules, baseSlot: Slot, overSlot: Slot): unknown {
  if (over === null || over === undefined) return base;
  if (typeof base === 'string' && typeof over === 'string') return over;
  const left = typeof base === 'string' ? contextMapping(base, baseSlot) : base;
  const right = typeof over === 'string' ? contextMapping(over, overSlot) : over;
  if (isMapping(left) && isMapping(right)) return mergeMappings(left, right, rules);
  return stripResets(over);
}

function contextMapping(context: string, slot: Slot): Mapping {
  const out: Mapping = { context };
  const location = valueLocation(slot);
  setSelfLocation(out, location);
  setEntryLocation(out, 'context', { key: location, value: location });
  return out;
}

/**
 * `depends_on` and service `networks`: a list of names or a mapping. Two lists are appended
 * (duplicates go in the unicity pass); otherwise lists become mappings and mappings merge.
 */
function mergeNamedList(
  base: unknown,
  over: unknown,
  rules: MergeRules,
  baseSlot: Slot,
  overSlot: Slot,
  defaultEntry: () => unknown,
): unknown {
  if (over === null || over === undefined) return base;
  if (Array.isArray(base) && Array.isArray(over)) return appendItems(base, over);
  const left = Array.isArray(base) ? namesToMapping(base, defaultEntry) : base;
  const right = Array.isArray(over) ? namesToMapping(over, defaultEntry) : over;
  if (isMapping(left) && isMapping(right)) {
    if (left !== base) setSelfLocation(left, selfLocation(base) ?? valueLocation(baseSlot));
    if (right !== over) setSelfLocation(right, selfLocation(over) ?? valueLocation(overSlot));
    return mergeMappings(left, right, rules);
  }
  return stripResets(over);
}

function namesToMapping(names: unknown[], defaultEntry: () => unknown): Mapping | unknown[] {
  if (!names.every((name) => typeof name === 'string')) return names;
  const out: Mapping = {};
  names.forEach((name, index) => {
    out[name as string] = defaultEntry();
    const location = entryLocation(names, index);
    setEntryLocation(out, name as string, { key: location, value: location });
  });
  return out;
}

/** `networks.*.ipam.config`: entries with the same subnet are merged, others appended. */
function mergeIpamConfig(base: unknown[], over: unknown[]): unknown[] {
  over.forEach((entry, index) => {
    if (entry === RESET) return;
    const match = isMapping(entry) ? base.findIndex((b) => isMapping(b) && b.subnet === entry.subnet) : -1;
    if (match >= 0 && isMapping(entry)) {
      mergeMappings(base[match] as Mapping, entry, undefined);
    } else {
      base.push(stripResets(entry));
      copyEntryLocation(over, index, base, base.length - 1);
    }
  });
  return base;
}

/** Removes `!reset` values left in content that had nothing to reset. */
export function stripResets(value: unknown): unknown {
  // Walking a whole project for a tag no file used was a tenth of loading a large one.
  if (typeof value !== 'object' || value === null || !mayHoldResets()) return value;
  if (Array.isArray(value)) {
    if (!value.includes(RESET)) {
      for (const item of value) stripResets(item);
      return value;
    }
    const out: unknown[] = [];
    copySelfLocation(value, out);
    value.forEach((item, index) => {
      if (item === RESET) return;
      out.push(stripResets(item));
      copyEntryLocation(value, index, out, out.length - 1);
    });
    return out;
  }
  const mapping = value as Mapping;
  for (const key of Object.keys(mapping)) {
    if (mapping[key] === RESET) delete mapping[key];
    else stripResets(mapping[key]);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Unicity: after each merge Compose removes redefinitions from some sequences.

type Indexer = (item: unknown) => string | undefined;

const keyValue: Indexer = (item) => (typeof item === 'string' ? item.split('=', 1)[0] : undefined);
const plainValue: Indexer = (item) => (typeof item === 'string' || typeof item === 'number' ? String(item) : undefined);

function cleanTarget(target: string): string {
  if (target !== '' && isClean(target)) return target;
  const cleaned = path.posix.normalize(target);
  return cleaned.length > 1 && cleaned.endsWith('/') ? cleaned.slice(0, -1) : cleaned;
}

const volumeTarget: Indexer = (item) => {
  if (isMapping(item)) return typeof item.target === 'string' ? cleanTarget(item.target) : undefined;
  if (typeof item !== 'string') return undefined;
  const parts = item.split(':');
  return cleanTarget(parts.length === 1 ? parts[0] : parts[1]);
};

const deviceTarget: Indexer = (item) => {
  if (isMapping(item)) return typeof item.target === 'string' ? item.target : undefined;
  if (typeof item !== 'string') return undefined;
  const parts = item.split(':');
  return parts.length === 1 ? parts[0] : parts[1];
};

function mountTarget(defaultDir: string): Indexer {
  return (item) => {
    if (typeof item === 'string') return `${defaultDir}/${item}`;
    if (isMapping(item)) {
      if (typeof item.target === 'string') return item.target;
      if (typeof item.source === 'string') return `${defaultDir}/${item.source}`;
    }
    return undefined;
  };
}

const envFilePath: Indexer = (item) => {
  if (typeof item === 'string') return item;
  if (isMapping(item) && typeof item.path === 'string') return item.path;
  return undefined;
};

/** `host_ip:published:target/protocol`, for both syntaxes, so that `80:80` twice is one port. */
const portKey: Indexer = (item) => {
  if (typeof item === 'number') return `0.0.0.0::${item}/tcp`;
  if (isMapping(item)) {
    if (item.target === undefined) return undefined;
    const hostIp = typeof item.host_ip === 'string' ? item.host_ip : '0.0.0.0';
    const published = item.published === undefined || item.published === null ? '' : String(item.published);
    const protocol = typeof item.protocol === 'string' ? item.protocol : 'tcp';
    return `${hostIp}:${published}:${String(item.target)}/${protocol}`;
  }
  if (typeof item !== 'string') return undefined;
  const slash = item.lastIndexOf('/');
  const protocol = slash >= 0 ? item.slice(slash + 1) : 'tcp';
  const address = slash >= 0 ? item.slice(0, slash) : item;
  const colon = address.lastIndexOf(':');
  if (colon < 0) return `0.0.0.0::${address}/${protocol}`;
  const target = address.slice(colon + 1);
  const rest = address.slice(0, colon);
  const hostColon = rest.lastIndexOf(':');
  const published = hostColon >= 0 ? rest.slice(hostColon + 1) : rest;
  const hostIp = hostColon >= 0 ? rest.slice(0, hostColon).replace(/^\[|\]$/g, '') : '0.0.0.0';
  return `${hostIp || '0.0.0.0'}:${published}:${target}/${protocol}`;
};

/** Compose's unicity table (override/uncity.go), relative to one service. */
const SERVICE_UNIQUE = compile<Indexer>([
  ['annotations', keyValue],
  ['build.args', keyValue],
  ['build.additional_contexts', keyValue],
  ['build.tags', keyValue],
  ['build.labels', keyValue],
  ['cap_add', keyValue],
  ['cap_drop', keyValue],
  ['configs', mountTarget('')],
  ['deploy.labels', keyValue],
  ['devices', deviceTarget],
  ['dns', keyValue],
  ['dns_opt', keyValue],
  ['dns_search', keyValue],
  ['environment', keyValue],
  ['env_file', envFilePath],
  ['expose', plainValue],
  ['labels', keyValue],
  ['links', keyValue],
  ['networks.*.aliases', keyValue],
  ['networks.*.link_local_ips', keyValue],
  ['ports', portKey],
  ['profiles', keyValue],
  ['secrets', mountTarget('/run/secrets')],
  ['sysctls', keyValue],
  ['tmpfs', keyValue],
  ['volumes', volumeTarget],
  // Not in Compose's table, but Compose turns both into mappings, which has the same effect.
  ['depends_on', keyValue],
  ['networks', keyValue],
]);

const NETWORK_UNIQUE = compile<Indexer>([['labels', keyValue]]);

/** Removes redefinitions from the sequences listed above, in every service and network. */
export function enforceUnicity(tree: Mapping): void {
  const services = tree.services;
  if (isMapping(services)) {
    for (const name of Object.keys(services)) {
      const service = services[name];
      if (isMapping(service)) uniqueIn(service, SERVICE_UNIQUE);
    }
  }
  const networks = tree.networks;
  if (isMapping(networks)) {
    for (const name of Object.keys(networks)) {
      const network = networks[name];
      if (isMapping(network)) uniqueIn(network, NETWORK_UNIQUE);
    }
  }
}

function uniqueIn(container: Mapping, rules: RuleNode<Indexer>): void {
  for (const [key, node] of rules.children) {
    if (key === '*') {
      for (const name of Object.keys(container)) {
        const value = container[name];
        if (isMapping(value)) uniqueIn(value, node);
      }
      continue;
    }
    const value = container[key];
    if (node.rule && Array.isArray(value) && value.length > 1) {
      const deduped = dedupe(value, node.rule);
      if (deduped !== value) container[key] = deduped;
    }
    if (node.children.size > 0 && isMapping(value)) uniqueIn(value, node);
  }
}

function dedupe(items: unknown[], indexer: Indexer): unknown[] {
  const seen = new Map<string, number>();
  let out: unknown[] | undefined;
  items.forEach((item, index) => {
    const key = indexer(item);
    const earlier = key === undefined ? undefined : seen.get(key);
    if (earlier === undefined) {
      if (key !== undefined) seen.set(key, out ? out.length : index);
      if (out) {
        out.push(item);
        copyEntryLocation(items, index, out, out.length - 1);
      }
      return;
    }
    if (!out) {
      // First duplicate: copy what came before, positions included.
      out = items.slice(0, index);
      copySelfLocation(items, out);
      for (let i = 0; i < index; i++) copyEntryLocation(items, i, out, i);
    }
    out[earlier] = item;
    copyEntryLocation(items, index, out, earlier);
  });
  return out ?? items;
}
