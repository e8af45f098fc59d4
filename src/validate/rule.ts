/**
 * A cross-field rule: one concept (undefined references, dependency cycles, port syntax, ...)
 * checked on the merged raw tree, where short and long syntax can both appear. Rules run even
 * when the schema found problems, so they must not trust the shape of anything they read.
 */
import type { Finding } from './finding.js';

export type Mapping = Readonly<Record<string, unknown>>;

export interface RuleInput {
  /** The merged, interpolated tree. */
  readonly tree: Mapping;
  /** Every service whose definition is a mapping, in file order. */
  readonly services: ReadonlyArray<readonly [name: string, service: Mapping]>;
  /** Services enabled by the active profiles (or named on the command line). */
  readonly enabled: ReadonlySet<string>;
  readonly activeProfiles: readonly string[];
}

export interface Rule {
  /** Short kebab-case name, e.g. `dependency-cycles`. */
  readonly name: string;
  /**
   * `engine`: the rule holds only when the project runs on an engine without Swarm (`up`,
   * `create`, `run`, `watch`): a swarm (`stack deploy`) supports what it refuses. See
   * validateForEngine. Absent: the rule holds for every use of the file.
   */
  readonly target?: 'engine';
  readonly check: (input: RuleInput) => Iterable<Finding>;
}

export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entries of a top-level section (`networks`, `volumes`, ...), when it is a mapping. */
export function section(tree: Mapping, key: string): Mapping {
  const value = tree[key];
  return isMapping(value) ? value : {};
}

/** Compose reads `true`, "true", "yes", "on", "y" (any case) as true. */
export function isTrue(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  return typeof value === 'string' && /^(true|yes|y|on)$/i.test(value);
}

/** Enabled services first; rules about references only look at those. */
export function enabledServices(input: RuleInput): ReadonlyArray<readonly [string, Mapping]> {
  return input.services.filter(([name]) => input.enabled.has(name));
}
