/**
 * The one place where the first stages are chained, for every command that needs the project:
 * load (files, .env, interpolation, merge) -> validate (every problem at once) -> model. Loader
 * warnings are printed as they would be by Compose; problems become one ConfigError that the CLI
 * prints with code frames.
 */
import type { Context } from '../context.js';
import { ConfigError, UsageError, type Problem } from '../errors.js';
import { load } from '../load/index.js';
import { locatedMessage } from '../load/located.js';
import type { LoadedProject, LoadOptions } from '../load/types.js';
import { toProject } from '../model/index.js';
import type { Project } from '../model/types.js';
import { sortProblems, validate } from '../validate/index.js';
import { SECURITY_WARNINGS_OFF, securityWarnings } from '../validate/security-warnings.js';
import { noSuchServiceMessage } from '../validate/no-such-service.js';

export interface LoadProjectOptions {
  /** Services named on the command line: they are enabled whatever their profiles, and the result is narrowed to them and their dependencies. */
  readonly services?: readonly string[];
  /** false for `config --no-interpolate`. */
  readonly interpolate?: boolean;
}

/** The options the loader gets from the command line and the environment. */
export function loadOptionsFor(ctx: Context, options: LoadProjectOptions = {}): LoadOptions {
  return {
    cwd: ctx.cwd,
    env: ctx.env,
    files: ctx.options.files,
    projectName: ctx.options.projectName,
    projectDirectory: ctx.options.projectDirectory,
    envFiles: ctx.options.envFiles,
    profiles: ctx.options.profiles,
    services: options.services ?? [],
    interpolate: options.interpolate ?? true,
    readStdin: () => readAll(ctx.stdin),
  };
}

/** Loads and validates the project files; prints the loader's warnings. */
export async function loadAndValidate(ctx: Context, options: LoadProjectOptions = {}): Promise<LoadedProject> {
  const loaded = await load(loadOptionsFor(ctx, options));
  for (const warning of loaded.warnings) ctx.warn(warning);
  const problems = projectProblems(loaded);
  if (problems.length > 0) throw new ConfigError(problems, loaded.sources);
  rejectUnknownServices(loaded, options.services ?? []);
  warnAboutHostAccess(ctx, loaded);
  return loaded;
}

/** One line per service with host-level access (privileged, docker.sock, ...), unless turned off. */
function warnAboutHostAccess(ctx: Context, loaded: LoadedProject): void {
  const off = ctx.env[SECURITY_WARNINGS_OFF];
  if (off !== undefined && /^(1|true|yes)$/i.test(off)) return;
  for (const warning of securityWarnings(loaded)) {
    ctx.warn(locatedMessage(warning.location, warning.message, ctx.cwd));
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
export async function loadProject(ctx: Context, options: LoadProjectOptions = {}): Promise<Project> {
  const loaded = await loadAndValidate(ctx, options);
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
