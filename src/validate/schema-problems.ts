/**
 * Turns ajv's errors into findings worded like Compose's ("must be a list", "Additional property
 * foo is not allowed", "must be one of the following: ..."), each on the exact node, with a hint
 * when we can tell what the user meant.
 */
import type { PathSegment } from '../load/located.js';
import { type SchemaError } from './compiled-schema.js';
import { didYouMean } from './did-you-mean.js';
import { type Finding, valueAt } from './finding.js';
import { allowedKeys, schemaAt, type SchemaAtPath } from './schema-walk.js';

/** JSON pointer -> path segments; array indexes become numbers (as in the located tree). */
function pointerToPath(tree: unknown, pointer: string): PathSegment[] {
  if (pointer === '') return [];
  const path: PathSegment[] = [];
  let node = tree;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment: PathSegment = Array.isArray(node) ? Number(key) : key;
    path.push(segment);
    node = typeof node === 'object' && node !== null ? (node as Record<PathSegment, unknown>)[segment] : undefined;
  }
  return path;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'string',
  number: 'number',
  integer: 'integer',
  boolean: 'boolean',
  null: 'null',
  array: 'list',
  object: 'mapping',
};

/** "a string", "a string or list", "a string, number, boolean or null" (Compose's wording). */
function describeTypes(types: readonly string[]): string {
  // integer is a number; say "number" once when both appear
  const names = [...new Set(types.map((type) => TYPE_NAMES[type] ?? type))];
  if (names.includes('number') && names.includes('integer')) names.splice(names.indexOf('integer'), 1);
  // "a string, list or null" reads better than "a null, string or list"
  if (names.includes('null')) names.push(...names.splice(names.indexOf('null'), 1));
  const first = names[0];
  const article = first === 'null' ? '' : /^[aeiou]/.test(first) ? 'an ' : 'a ';
  const list = names.length === 1 ? first : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  return `${article}${list}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'mapping';
  return typeof value;
}

function quote(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** What a value of one of our `$defs` must look like, for type and pattern errors. */
interface Expectation {
  /** Message when the value has the wrong JSON type. */
  readonly type?: string;
  /** Message when a string does not match the def's pattern. */
  readonly pattern?: (value: string) => string;
  readonly hint?: string;
}

const DURATION_HINT = 'write a number with a unit (ns, us, ms, s, m, h), e.g. "30s" or "1m30s"';

const EXPECTATIONS: Readonly<Record<string, Expectation>> = {
  integer_like: { type: 'must be an integer', pattern: (v) => `must be an integer, got ${quote(v)}` },
  number_like: { type: 'must be a number', pattern: (v) => `must be a number, got ${quote(v)}` },
  boolean_like: {
    type: 'must be a boolean',
    pattern: (v) => `must be a boolean, got ${quote(v)}`,
    hint: 'use true or false',
  },
  // Compose says "must be a string" for `interval: 90`: YAML made it a number.
  duration: { type: 'must be a string', pattern: (v) => `invalid duration ${quote(v)}`, hint: DURATION_HINT },
  microseconds_or_duration: {
    pattern: (v) => `invalid duration ${quote(v)}`,
    hint: 'write microseconds as an integer, or a duration with a unit, e.g. "950ms"',
  },
  byte_size: {
    type: 'must be a number of bytes or a size string',
    pattern: (v) => `invalid size: '${v}'`,
    hint: 'write bytes, or a number with a unit (b, k, m, g, t), e.g. "512m" or "1.5g"',
  },
  restart_policy: {
    pattern: (v) => `invalid restart policy '${v}'`,
    hint: 'use one of: "no", always, on-failure, on-failure:<max retries>, unless-stopped',
  },
  pull_policy: {
    pattern: (v) => `invalid pull policy ${quote(v)}`,
    hint: 'use one of: always, never, missing, build, refresh, daily, weekly, every_<duration> (e.g. every_12h)',
  },
  gpus: {
    type: 'must be "all" or a list of device requests',
    pattern: () => 'must be "all" or a list of device requests',
  },
  external: {
    pattern: (v) => `must be a boolean, got ${quote(v)}`,
    hint: 'use external: true, and set the existing name with `name:`',
  },
  key_value_pairs: { hint: 'use a mapping (KEY: value) or a list of "KEY=value" strings' },
};

/** Keys users write at the wrong place or under another name, with where they belong. */
const MISPLACED_KEYS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  service: {
    env: 'environment',
    envs: 'environment',
    memory: 'mem_limit (or deploy.resources.limits.memory)',
    replicas: 'deploy.replicas',
    resources: 'deploy.resources',
    cmd: 'command',
    workdir: 'working_dir',
    depends: 'depends_on',
    healthCheck: 'healthcheck',
    watch: 'develop.watch',
  },
};

const NAMED_MAPS: Readonly<Record<string, string>> = {
  services: 'service',
  networks: 'network',
  volumes: 'volume',
  secrets: 'secret',
  configs: 'config',
  models: 'model',
  depends_on: 'service',
};

const TOP_LEVEL_HINT =
  'top-level keys are name, services, networks, volumes, secrets, configs, include, models and x-* extensions';

/** The same misspelling in 500 services is looked up once per schema node. */
type HintCache = Map<object, Map<string, string | undefined>>;

function keyHint(here: SchemaAtPath | undefined, key: string, cache: HintCache): string | undefined {
  if (!here) return undefined;
  let hints = cache.get(here.node);
  if (!hints) cache.set(here.node, (hints = new Map()));
  if (!hints.has(key)) hints.set(key, didYouMean(key, allowedKeys(here.node)));
  return hints.get(key);
}

function additionalProperty(tree: unknown, parent: PathSegment[], key: string, cache: HintCache): Finding {
  const path = [...parent, key];
  const here = schemaAt(parent);
  let hint = keyHint(here, key, cache);
  const misplaced = here?.def ? MISPLACED_KEYS[here.def]?.[key] : undefined;
  if (misplaced) hint = `did you mean \`${misplaced}\`?`;
  if (parent.length === 0 && !hint) {
    const value = valueAt(tree, path);
    const looksLikeService =
      typeof value === 'object' && value !== null && !Array.isArray(value) && ('image' in value || 'build' in value);
    hint = looksLikeService
      ? `\`${key}\` looks like a service: move it under \`services:\` (the version 1 layout is not supported)`
      : TOP_LEVEL_HINT;
  }
  return { path, message: `Additional property ${key} is not allowed`, hint, at: 'key' };
}

function invalidName(parent: PathSegment[], name: string): Finding {
  const last = parent[parent.length - 1];
  const kind = typeof last === 'string' ? NAMED_MAPS[last] : undefined;
  if (kind) {
    return {
      path: [...parent, name],
      message: `invalid ${kind} name ${JSON.stringify(name)}`,
      hint: 'names may only contain letters, digits, ".", "_" and "-"',
      at: 'key',
    };
  }
  if (last === 'ulimits') {
    return {
      path: [...parent, name],
      message: `invalid ulimit name ${JSON.stringify(name)}`,
      hint: 'ulimit names are lowercase, e.g. nofile or nproc',
      at: 'key',
    };
  }
  return { path: [...parent, name], message: `invalid key ${JSON.stringify(name)}`, at: 'key' };
}

function typeError(tree: unknown, path: PathSegment[], expected: readonly string[]): Finding {
  const here = schemaAt(path);
  const expectation = here?.def ? EXPECTATIONS[here.def] : undefined;
  const value = valueAt(tree, path);
  const message = expectation?.type ?? `must be ${describeTypes(expected)}`;
  let hint = expectation?.hint;
  if (!hint && expected.includes('array') && !expected.includes('string') && typeof value === 'string') {
    hint = `write it as a list, e.g. [${JSON.stringify(value)}]`;
  }
  if (!hint && expected.includes('string') && (typeof value === 'number' || typeof value === 'boolean')) {
    // YAML read `user: 1000` or `tag: 1.10` as a number; quoting keeps it text (and keeps 1.10).
    hint = `put it in quotes to make it a string: "${String(value)}"`;
  }
  if (!hint && here?.def === 'service' && typeof value === 'string') {
    hint = `a service is a mapping of settings, e.g. {image: ${JSON.stringify(value)}}`;
  }
  if (!hint && expected.includes('object') && value !== null && typeof value !== 'object' && !expected.includes('string')) {
    hint = `found ${kindOf(value)} ${quote(value)}`;
  }
  return { path, message, hint };
}

function patternError(tree: unknown, path: PathSegment[], pattern: string): Finding {
  const here = schemaAt(path);
  const expectation = here?.def ? EXPECTATIONS[here.def] : undefined;
  const value = String(valueAt(tree, path));
  if (expectation?.pattern) return { path, message: expectation.pattern(value), hint: expectation.hint };
  return { path, message: `invalid value ${quote(value)}`, hint: `expected a value matching ${pattern}` };
}

function enumError(tree: unknown, path: PathSegment[], allowed: readonly unknown[]): Finding {
  const value = valueAt(tree, path);
  const list = allowed.map((item) => JSON.stringify(item)).join(', ');
  const hint = typeof value === 'string' ? didYouMean(value, allowed.map(String)) : undefined;
  return { path, message: `must be one of the following: ${list}`, hint };
}

const REQUIRED_HINTS: Readonly<Record<string, string>> = {
  condition: 'add `condition: service_started` (or service_healthy, service_completed_successfully)',
  type: 'the long syntax needs `type:` bind, volume, tmpfs, image, npipe or cluster',
  soft: 'set both `soft:` and `hard:`, or one number for both',
  hard: 'set both `soft:` and `hard:`, or one number for both',
};

function toFinding(tree: unknown, error: SchemaError, cache: HintCache): Finding | undefined {
  const path = pointerToPath(tree, error.instancePath);
  const params = error.params;
  switch (error.keyword) {
    case 'additionalProperties':
      return additionalProperty(tree, path, String(params.additionalProperty), cache);
    case 'propertyNames':
      return invalidName(path, String(params.propertyName));
    case 'type': {
      const expected = String(params.type).split(',');
      return typeError(tree, path, expected);
    }
    case 'pattern':
      return patternError(tree, path, String(params.pattern));
    case 'enum':
      return enumError(tree, path, params.allowedValues as unknown[]);
    case 'required': {
      const missing = String(params.missingProperty);
      return { path, message: `${missing} is required`, hint: REQUIRED_HINTS[missing], at: 'key' };
    }
    case 'minimum':
    case 'exclusiveMinimum':
      return { path, message: `must be at least ${String(params.limit)}` };
    case 'maximum':
    case 'exclusiveMaximum':
      return { path, message: `must be at most ${String(params.limit)}` };
    default:
      return { path, message: error.message ?? `fails the schema's ${error.keyword} rule` };
  }
}

/** Every schema error as a finding; errors of a `propertyNames` subschema fold into one per key. */
export function schemaFindings(tree: unknown, errors: readonly SchemaError[]): Finding[] {
  const findings: Finding[] = [];
  const cache: HintCache = new Map();
  for (const error of errors) {
    if (error.propertyName !== undefined) continue;
    const finding = toFinding(tree, error, cache);
    if (finding) findings.push(finding);
  }
  return findings;
}
