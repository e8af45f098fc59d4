/**
 * A project being loaded: the main project, or a project pulled in by `include` (which has its
 * own project directory and environment). Relative paths in its files, `extends.file` and
 * `include` paths resolve against `workingDir`; values are interpolated from `env`.
 */
import type { Lookup } from './interpolate.js';

export interface Scope {
  readonly workingDir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly lookup: Lookup;
  /** Compose files on the include chain that led here, for cycle detection. */
  readonly includeChain: readonly string[];
  /** Merged trees of files named by `extends.file` (undefined = could not be read), by path. */
  readonly extendsFiles: Map<string, Record<string, unknown> | undefined>;
}

export function makeScope(workingDir: string, env: Readonly<Record<string, string>>, includeChain: readonly string[] = []): Scope {
  return {
    workingDir,
    env,
    lookup: (name) => (Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined),
    includeChain,
    extendsFiles: new Map(),
  };
}
