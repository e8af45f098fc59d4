/**
 * The project as watch mode uses it: loaded and validated like every command does (load-project),
 * plus the checks only watch needs (the `x-tscompose-reload` extension, the rules' targets), with
 * positions for every problem; and the file-system facts the pure target computation needs (what
 * is at each watched path, the build contexts' `.dockerignore`).
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { loadAndValidate } from '../api/load-project.js';
import type { Context } from '../context.js';
import { ConfigError, UsageError } from '../errors.js';
import { locate } from '../load/located.js';
import type { LoadedProject } from '../load/types.js';
import { toProject } from '../model/index.js';
import type { Project } from '../model/types.js';
import { reloadExtensionProblems } from './reload-policy.js';
import { buildContexts, candidatePaths, watchTargets, type PathKind, type WatchTargets } from './watch-targets.js';

export interface WatchProject {
  readonly loaded: LoadedProject;
  readonly project: Project;
  /** The project's environment (shell + .env). */
  readonly environment: Readonly<Record<string, string>>;
}

/** load -> validate -> model, plus the reload extension's checks. Throws ConfigError with positions. */
export async function loadWatchProject(ctx: Context, services: readonly string[]): Promise<WatchProject> {
  const loaded = await loadAndValidate(ctx, { services, target: 'engine' });
  const problems = reloadExtensionProblems(loaded.tree);
  if (problems.length > 0) throw new ConfigError(problems, loaded.sources);
  return { loaded, project: toProject(loaded), environment: loaded.environment };
}

async function kindOf(path: string): Promise<PathKind> {
  try {
    const stats = await stat(path);
    return stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : 'other';
  } catch {
    return 'missing';
  }
}

/**
 * The files whose change re-plans: every file the loader read (compose files, included and
 * extended files, env files, env_file files) and, when no `--env-file` was given, the project's
 * `.env` even before it exists. Nothing when the project came from stdin (it cannot be read again).
 */
export function projectFilesOf(ctx: Context, loaded: LoadedProject): string[] {
  if (loaded.configFiles.includes('-')) return [];
  const files = new Set([...loaded.sources.keys()].filter((file) => isAbsolute(file)));
  for (const file of loaded.configFiles) files.add(file);
  for (const file of loaded.envFiles) files.add(file);
  if (ctx.options.envFiles.length === 0) files.add(join(loaded.workingDir, '.env'));
  return [...files].sort();
}

export interface PrepareOptions {
  readonly services: readonly string[];
  readonly noBuild?: boolean;
}

/** Computes what to watch; Compose's errors as a UsageError, file problems as a ConfigError. */
export async function prepareTargets(ctx: Context, current: WatchProject, options: PrepareOptions): Promise<WatchTargets> {
  const { project, loaded } = current;
  const paths = candidatePaths(project, options.services);
  const kinds = new Map<string, PathKind>(await Promise.all(paths.map(async (path) => [path, await kindOf(path)] as const)));
  const dockerignores = new Map<string, string>();
  for (const context of buildContexts(project, options.services)) {
    const text = await readFile(join(context, '.dockerignore'), 'utf8').catch(() => undefined);
    if (text !== undefined) dockerignores.set(context, text);
  }
  const result = watchTargets({
    project,
    services: options.services,
    kinds,
    dockerignores,
    projectFiles: projectFilesOf(ctx, loaded),
    ...(options.noBuild ? { noBuild: true } : {}),
    locate: (path) => locate(loaded.tree, path),
  });
  if (result.problems.length > 0) throw new ConfigError(result.problems, loaded.sources);
  if (result.errors.length > 0) throw new UsageError(result.errors.join('\n'));
  return result.targets;
}
