/**
 * The one place where the first stages are chained, for every command that needs the project:
 * load (files, .env, interpolation, merge) -> validate (every problem at once) -> model. Loader
 * warnings are printed as they would be by Compose; problems become one ConfigError that the CLI
 * prints with code frames.
 */
import { ConfigError, UsageError, type Problem } from '../errors.js';
import { load } from '../load/index.js';
import { locatedMessage } from '../load/located.js';
import type { LoadedProject, LoadOptions } from '../load/types.js';
import { toProject } from '../model/index.js';
import type { Project } from '../model/types.js';
import { sortProblems, validate, validateForEngine } from '../validate/index.js';
import { SECURITY_WARNINGS_OFF, securityWarnings } from '../validate/security-warnings.js';
import { noSuchServiceMessage } from '../validate/no-such-service.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Where a project is read from: the global flags (`-f`, `-p`, `--project-directory`, `--profile`, `--env-file`). */
export interface ProjectFlags {
  /** `-f`, repeatable; `-` reads stdin. Empty means discovery (or COMPOSE_FILE). */
  readonly files: readonly string[];
  readonly projectName?: string;
  readonly projectDirectory?: string;
  readonly profiles: readonly string[];
  readonly envFiles: readonly string[];
}

/** What loading needs from its caller (a command's context is one, the API builds one from its options). */
export interface ProjectSource {
  readonly cwd: string;
  readonly env: Env;
  readonly options: ProjectFlags;
  /** Read for `-f -`. */
  readonly stdin?: NodeJS.ReadableStream;
  /** The loader's warnings (unset variables, obsolete `version`, host access). */
  warn(message: string): void;
}

export interface LoadProjectOptions {
  /** Services named on the command line: they are enabled whatever their profiles, and the result is narrowed to them and their dependencies. */
  readonly services?: readonly string[];
  /** false for `config --no-interpolate`. */
  readonly interpolate?: boolean;
  /**
   * What the project is loaded for. `engine` (up, create, run, watch): what an engine without
   * Swarm cannot run is a problem too (validateForEngine), before anything touches the engine.
   * `config`: those are warnings. Absent: not checked (ps, logs, down, stack deploy).
   */
  readonly target?: 'engine' | 'config';
  /**
   * Called, and awaited, once the project's name is known and before the project is validated
   * and modelled: a command that only reads the engine sends its request here, and the engine
   * answers while the file is checked (the answer is used only if the file is valid).
   */
  readonly whenNamed?: (name: string) => Promise<void>;
}

/** The options the loader gets from the command line and the environment. */
export function loadOptionsFor(source: ProjectSource, options: LoadProjectOptions = {}): LoadOptions {
  return {
    cwd: source.cwd,
    env: source.env,
    files: source.options.files,
    projectName: source.options.projectName,
    projectDirectory: source.options.projectDirectory,
    envFiles: source.options.envFiles,
    profiles: source.options.profiles,
    services: options.services ?? [],
    interpolate: options.interpolate ?? true,
    readStdin: () => (source.stdin ? readAll(source.stdin) : Promise.resolve('')),
  };
}

/** Loads and validates the project files; prints the loader's warnings. */
export async function loadAndValidate(source: ProjectSource, options: LoadProjectOptions = {}): Promise<LoadedProject> {
  const loaded = await load(loadOptionsFor(source, options));
  await options.whenNamed?.(loaded.name);
  for (const warning of loaded.warnings) source.warn(warning);
  const engine = options.target === undefined ? [] : validateForEngine(loaded);
  const problems = options.target === 'engine' ? sortProblems([...projectProblems(loaded), ...engine], loaded.configFiles) : projectProblems(loaded);
  if (problems.length > 0) throw new ConfigError(problems, loaded.sources);
  rejectUnknownServices(loaded, options.services ?? []);
  if (options.target === 'config') {
    for (const problem of engine) source.warn(locatedMessage(problem.location, `${problem.path}: ${problem.message} (up would refuse it)`, source.cwd));
  }
  warnAboutHostAccess(source, loaded);
  return loaded;
}

/** One line per service with host-level access (privileged, docker.sock, ...), unless turned off. */
function warnAboutHostAccess(source: ProjectSource, loaded: LoadedProject): void {
  const off = source.env[SECURITY_WARNINGS_OFF];
  if (off !== undefined && /^(1|true|yes)$/i.test(off)) return;
  for (const warning of securityWarnings(loaded)) {
    source.warn(locatedMessage(warning.location, warning.message, source.cwd));
  }
}

/** Every problem of a loaded project: the loader's value problems and validation's, in one list, by position. */
export function projectProblems(loaded: LoadedProject): Problem[] {
  return sortProblems([...loaded.problems, ...withoutProblemsAt(validate(loaded), loaded.problems)], loaded.configFiles);
}

/**
 * Validation problems about values whose interpolation already failed are noise (the value is
 * still the raw `${...}` text): drop those at or below the failed paths.
 */
function withoutProblemsAt(problems: readonly Problem[], failed: readonly Problem[]): Problem[] {
  if (failed.length === 0) return [...problems];
  const paths = failed.map((problem) => problem.path);
  const covered = (path: string): boolean =>
    paths.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
  return problems.filter((problem) => !covered(problem.path));
}

/** load -> validate -> model. */
export async function loadProject(source: ProjectSource, options: LoadProjectOptions = {}): Promise<Project> {
  const loaded = await loadAndValidate(source, options);
  return toProject(loaded, { services: options.services });
}

/** Compose's message for a service named on the command line that the project does not have. */
export function rejectUnknownServices(loaded: LoadedProject, services: readonly string[]): void {
  const defined = loaded.tree.services;
  const known = typeof defined === 'object' && defined !== null ? Object.keys(defined) : [];
  const unknown = services.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new UsageError(noSuchServiceMessage(unknown, known));
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
