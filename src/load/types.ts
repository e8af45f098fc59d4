/**
 * The loader's contract with the stages after it. The loader does all of the file reading
 * (compose files, .env, env_file, extends/include targets); validate/ and model/ are pure.
 */
import type { Problem } from '../errors.js';
import type { YamlBudgets } from './parse-yaml.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface LoadOptions {
  /** Where the command runs; discovery starts here. */
  readonly cwd: string;
  /** The shell environment (wins over .env for interpolation). */
  readonly env: Env;
  /** `-f` values in order; empty = COMPOSE_FILE or discovery. `-` = stdin. */
  readonly files: readonly string[];
  /** `-p`; validated, never normalised (Compose rejects a bad -p). */
  readonly projectName?: string;
  readonly projectDirectory?: string;
  /** `--env-file` values; they replace the implicit .env. */
  readonly envFiles: readonly string[];
  /** `--profile` values (COMPOSE_PROFILES from the shell or .env is added by the loader). */
  readonly profiles: readonly string[];
  /** Services named on the command line: enabled even when their profiles are not active. */
  readonly services: readonly string[];
  /** false for `config --no-interpolate`. */
  readonly interpolate: boolean;
  /** Reads all of stdin (for `-f -`). */
  readonly readStdin: () => Promise<string>;
  readonly budgets?: YamlBudgets;
}

export interface LoadedProject {
  /**
   * The merged configuration: every file and YAML document merged with Compose's rules, values
   * interpolated, `include` and `extends` resolved (relative paths of content that came from
   * another directory already made absolute), `!reset`/`!override` applied, `version` removed,
   * and `env_file` of the enabled services folded into their `environment` (env_file values lose
   * to environment values, as in Compose). Otherwise the syntax is as the user wrote it (short
   * forms stay short). Every object and array carries source positions (see located.ts).
   *
   * Details later stages rely on:
   * - Dollars: after interpolation every `$` in a string is a literal dollar (`$$` became `$`);
   *   `config` prints each `$` as `$$`, as Compose does. With `interpolate: false` strings are
   *   exactly as written (`${VAR}`, `$$`) and must be printed unchanged.
   * - Interpolated values at paths where Compose wants a number or boolean (`cpus`, `replicas`,
   *   `ports[].target`, `privileged`, `external`, ...) are cast back (`"3"` -> 3).
   * - Merging may change a form where Compose does: `environment`/`labels`/... given as a list in
   *   one file and a mapping in another become a `KEY=VALUE` list; `depends_on`/`networks` in
   *   mixed forms become a mapping; `build: ./x` merged with a mapping becomes `{context: ./x}`.
   * - `env_file` is removed from enabled services once folded (entries point at their env file
   *   line); disabled services keep `env_file` unread, and so do all services with
   *   `interpolate: false`. `include` is removed once resolved.
   * - `environment`, `labels`, ... merged from two mappings stay a mapping that remembers the
   *   order of the `KEY=VALUE` sequence Compose would have made (located.ts: mergedSequenceOrder).
   * - No `!reset` marker is ever left in the tree. `name` is kept as written (interpolated);
   *   the project name to use is `name` below.
   * - Malformed values (a string where a list is expected, ...) are left in place for the
   *   validator; the loader never throws a TypeError on them.
   */
  readonly tree: Record<string, unknown>;
  /** The project name: -p > COMPOSE_PROJECT_NAME > name: > directory name (normalised). */
  readonly name: string;
  /** The project directory (absolute): base for relative paths. */
  readonly workingDir: string;
  /** Absolute paths of the compose files, in order (stdin is reported as `-`). */
  readonly configFiles: readonly string[];
  /** Absolute paths of the env files that were read for interpolation (.env or --env-file). */
  readonly envFiles: readonly string[];
  /** Whether those were asked for (--env-file, COMPOSE_ENV_FILES) rather than the implicit .env. */
  readonly envFilesRequested: boolean;
  /** Variables for interpolation and for valueless `environment` entries: .env < shell, plus COMPOSE_PROJECT_NAME = name. */
  readonly environment: Readonly<Record<string, string>>;
  /** Profiles that are active (--profile, COMPOSE_PROFILES, and those of services named on the CLI). */
  readonly activeProfiles: readonly string[];
  /** Services enabled by profiles or named on the CLI (their dependencies are not added). */
  readonly enabledServices: readonly string[];
  /** File path -> text, for code frames in error messages. */
  readonly sources: ReadonlyMap<string, string>;
  /** Non-fatal messages (version obsolete, unset variables, ...), already worded for the user. */
  readonly warnings: readonly string[];
  /**
   * Problems that did not stop loading: interpolation errors (`${V:?msg}` unset, bad syntax),
   * whose values are left as written, and secret or config files that the enabled services use
   * but that do not exist. The caller reports them together with validation's
   * problems (dropping validation problems about the same values), so one run shows everything.
   */
  readonly problems: readonly Problem[];
}
