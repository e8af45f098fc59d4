/**
 * Compose's variable substitution (`${VAR}`, `$VAR`, `${VAR:-d}`, `${VAR-d}`, `${VAR:?e}`,
 * `${VAR?e}`, `${VAR:+a}`, `${VAR+a}`, nesting, `$$`) and its application to a whole tree.
 *
 * The dollar contract with later stages: after interpolation every `$` left in a string is a
 * literal dollar (`$$` became `$`, and values from the environment are taken as they are). The
 * `config` printer re-escapes every `$` as `$$`, as Compose does. When interpolation is off
 * (`config --no-interpolate`) strings are exactly as written and must be printed unchanged.
 *
 * A hand-written scanner instead of a regular expression: one pass per string, nested braces,
 * and no per-value regex work (the loader must stay linear on large files).
 */
import type { Problem } from '../errors.js';
import { formatPath, locate, type PathSegment } from './located.js';

/** Resolves a variable; `undefined` means unset (an empty string is set). */
export type Lookup = (name: string) => string | undefined;

/** A template that cannot be substituted; `message` is worded like Compose. */
export class SubstitutionError extends Error {
  constructor(
    message: string,
    readonly kind: 'required' | 'format',
  ) {
    super(message);
  }
}

/** Called for each `${VAR}` / `$VAR` whose variable is unset (Compose warns and uses ""). */
export type OnUnset = (name: string) => void;

function isNameStart(code: number): boolean {
  return code === 95 || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isNameChar(code: number): boolean {
  return isNameStart(code) || (code >= 48 && code <= 57);
}

/**
 * Substitutes variables in one string. Throws SubstitutionError for `${` without a valid
 * expression or an unset required variable. Defaults and alternatives are substituted only when
 * they are used (Compose evaluates them eagerly, so an unused `${B:?}` inside a default fails
 * there; that is a Compose quirk we do not copy).
 */
export function substitute(template: string, lookup: Lookup, onUnset: OnUnset): string {
  if (template.indexOf('$') < 0) return template;
  let out = '';
  let i = 0;
  const n = template.length;
  while (i < n) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, dollar);
    const next = template.charCodeAt(dollar + 1);
    if (next === 36 /* $ */) {
      out += '$';
      i = dollar + 2;
    } else if (next === 123 /* { */) {
      const close = closingBrace(template, dollar + 2);
      if (close < 0) throw formatError();
      out += braced(template.slice(dollar + 2, close), lookup, onUnset);
      i = close + 1;
    } else if (isNameStart(next)) {
      let end = dollar + 2;
      while (end < n && isNameChar(template.charCodeAt(end))) end++;
      const name = template.slice(dollar + 1, end);
      const value = lookup(name);
      if (value === undefined) onUnset(name);
      out += value ?? '';
      i = end;
    } else {
      // `$5`, `$-`, a trailing `$`: not a variable, kept as a literal dollar.
      out += '$';
      i = dollar + 1;
    }
  }
  return out;
}

/** Index of the `}` closing a `${` whose body starts at `from`; braces nest. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i;
  }
  return -1;
}

function formatError(): SubstitutionError {
  return new SubstitutionError('invalid interpolation format', 'format');
}

/** The body of `${...}`: NAME, optionally followed by one of :- - :? ? :+ + and a word. */
function braced(body: string, lookup: Lookup, onUnset: OnUnset): string {
  if (body.length === 0 || !isNameStart(body.charCodeAt(0))) throw formatError();
  let end = 1;
  while (end < body.length && isNameChar(body.charCodeAt(end))) end++;
  const name = body.slice(0, end);
  const value = lookup(name);
  if (end === body.length) {
    if (value === undefined) onUnset(name);
    return value ?? '';
  }
  let op = body[end];
  let wordStart = end + 1;
  const colon = op === ':';
  if (colon) {
    op = body[end + 1];
    wordStart = end + 2;
  }
  if (op !== '-' && op !== '?' && op !== '+') throw formatError();
  const word = body.slice(wordStart);
  if (word.includes('\n')) throw formatError();
  const missing = value === undefined || (colon && value === '');
  switch (op) {
    case '-':
      return missing ? substitute(word, lookup, onUnset) : (value as string);
    case '+':
      return missing ? '' : substitute(word, lookup, onUnset);
    default: {
      if (!missing) return value as string;
      const reason = substitute(word, lookup, onUnset);
      throw new SubstitutionError(
        reason === '' ? `required variable ${name} is missing a value` : `required variable ${name} is missing a value: ${reason}`,
        'required',
      );
    }
  }
}

type Cast = 'int' | 'float' | 'bool';

/**
 * Compose converts interpolated strings back to numbers/booleans at the paths where the schema
 * wants one (`replicas: ${N}`), otherwise schema validation would reject every variable there.
 */
function castFor(path: readonly PathSegment[]): Cast | undefined {
  const top = path[0];
  const depth = path.length;
  if (top === 'services') {
    if (depth < 3) return undefined;
    const key = path[2];
    if (depth === 3) return SERVICE_CASTS.get(key as string);
    if (key === 'deploy' && depth === 5) return DEPLOY_CASTS.get(`${path[3]}.${path[4]}`);
    if (key === 'deploy' && depth === 4 && path[3] === 'replicas') return 'int';
    if (key === 'healthcheck' && depth === 4) return path[3] === 'retries' ? 'int' : path[3] === 'disable' ? 'bool' : undefined;
    if (key === 'ulimits') return depth === 4 || (depth === 5 && (path[4] === 'hard' || path[4] === 'soft')) ? 'int' : undefined;
    if (key === 'ports' && depth === 5 && path[4] === 'target') return 'int';
    if ((key === 'configs' || key === 'secrets') && depth === 5 && path[4] === 'mode') return 'int';
    if (key === 'volumes' && depth === 5 && path[4] === 'read_only') return 'bool';
    if (key === 'volumes' && depth === 6 && path[4] === 'volume' && path[5] === 'nocopy') return 'bool';
    return undefined;
  }
  if (depth === 3 && (top === 'networks' || top === 'volumes' || top === 'secrets' || top === 'configs')) {
    const key = path[2];
    if (key === 'external') return 'bool';
    if (top === 'networks' && (key === 'internal' || key === 'attachable' || key === 'enable_ipv6')) return 'bool';
  }
  return undefined;
}

const SERVICE_CASTS = new Map<string, Cast>([
  ['cpu_count', 'int'],
  ['cpu_percent', 'float'],
  ['cpu_period', 'int'],
  ['cpu_quota', 'int'],
  ['cpu_rt_period', 'int'],
  ['cpu_rt_runtime', 'int'],
  ['cpus', 'float'],
  ['cpu_shares', 'int'],
  ['init', 'bool'],
  ['oom_kill_disable', 'bool'],
  ['oom_score_adj', 'int'],
  ['pids_limit', 'int'],
  ['privileged', 'bool'],
  ['read_only', 'bool'],
  ['scale', 'int'],
  ['stdin_open', 'bool'],
  ['tty', 'bool'],
]);

const DEPLOY_CASTS = new Map<string, Cast>([
  ['update_config.parallelism', 'int'],
  ['update_config.max_failure_ratio', 'float'],
  ['rollback_config.parallelism', 'int'],
  ['rollback_config.max_failure_ratio', 'float'],
  ['restart_policy.max_attempts', 'int'],
  ['placement.max_replicas_per_node', 'int'],
]);

const INT = /^[-+]?\d+$/;
const FLOAT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Returns the cast value, or the string unchanged when it does not parse (the validator reports
 * it). YAML 1.1 booleans (`yes`, `on`, `n`, ...) are still read as booleans, with Compose's warning.
 */
function applyCast(cast: Cast, value: string, warn: (message: string) => void): unknown {
  if (cast === 'int') return INT.test(value) ? Number(value) : value;
  if (cast === 'float') return FLOAT.test(value) ? Number(value) : value;
  switch (value.toLowerCase()) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'y':
    case 'yes':
    case 'on':
      warn(yaml11BooleanWarning(value, true));
      return true;
    case 'n':
    case 'no':
    case 'off':
      warn(yaml11BooleanWarning(value, false));
      return false;
    default:
      return value;
  }
}

/** Compose's warning for a YAML 1.1 boolean where a boolean is expected. */
export function yaml11BooleanWarning(value: string, meaning: boolean): string {
  return `${JSON.stringify(value)} for boolean is not supported by YAML 1.2, please use \`${meaning}\``;
}

export interface InterpolationReport {
  readonly problems: Problem[];
  /** Unset variable names, in first-seen order (duplicates removed by the caller). */
  readonly unset: string[];
  /** Other warnings, worded for the user (duplicates removed by the caller). */
  readonly warnings: string[];
}

/**
 * Interpolates every string value of a located tree in place (keys are never interpolated).
 * Containers are kept, so source positions survive. Problems carry the dotted path and the
 * position of the value that failed; all of them are collected.
 */
export function interpolateTree(root: Record<string, unknown>, lookup: Lookup, report: InterpolationReport): void {
  const path: PathSegment[] = [];
  const onUnset: OnUnset = (name) => report.unset.push(name);
  const visitEntry = (container: Record<PathSegment, unknown>, key: PathSegment): void => {
    const value = container[key];
    if (typeof value === 'string') {
      if (value.indexOf('$') < 0 && castFor(path) === undefined) return;
      let next: unknown = value;
      try {
        next = substitute(value, lookup, onUnset);
      } catch (error) {
        if (!(error instanceof SubstitutionError)) throw error;
        report.problems.push(substitutionProblem(error, value, root, path));
      }
      if (typeof next === 'string') {
        const cast = castFor(path);
        if (cast) next = applyCast(cast, next, (message) => report.warnings.push(message));
      }
      if (next !== value) container[key] = next;
    } else if (typeof value === 'object' && value !== null) {
      visit(value as Record<string, unknown>);
    }
  };
  const visit = (container: Record<string, unknown> | unknown[]): void => {
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i++) {
        path.push(i);
        visitEntry(container as unknown as Record<PathSegment, unknown>, i);
        path.pop();
      }
      return;
    }
    for (const key of Object.keys(container)) {
      path.push(key);
      visitEntry(container, key);
      path.pop();
    }
  };
  visit(root);
}

function substitutionProblem(error: SubstitutionError, template: string, root: unknown, path: readonly PathSegment[]): Problem {
  const where = formatPath(path);
  const location = locate(root, path);
  if (error.kind === 'format') {
    return {
      path: where,
      location,
      message: `invalid interpolation format for ${where}: ${JSON.stringify(template)}`,
      hint: 'You may need to escape any $ with another $ ($$ is a literal dollar).',
    };
  }
  return { path: where, location, message: error.message, hint: 'set the variable in the shell or in the .env file' };
}

/** Compose's warning for an unset variable. */
export function unsetWarning(name: string): string {
  return `The "${name}" variable is not set. Defaulting to a blank string.`;
}
