/**
 * The project name: `-p` > COMPOSE_PROJECT_NAME (shell, then .env) > the last top-level `name:`
 * across the files (interpolated) > the project directory's base name. Explicit names (-p and
 * the variable) must already be valid; `name:` and directory names are normalised, as Compose does.
 */
import path from 'node:path';
import { UsageError } from '../errors.js';

const VALID = /^[a-z0-9][a-z0-9_-]*$/;

/** Compose's normalisation: lowercase, keep [a-z0-9_-], drop leading `_` and `-`. */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

export function isValidProjectName(name: string): boolean {
  return VALID.test(name);
}

export function invalidProjectNameMessage(name: string): string {
  return `invalid project name ${JSON.stringify(name)}: must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`;
}

export interface ProjectNameSources {
  /** `-p`. */
  readonly flag?: string;
  /** COMPOSE_PROJECT_NAME from the shell or the env file(s). */
  readonly variable?: string;
  /** The last non-empty `name:` of the files, already interpolated. */
  readonly fromFiles?: string;
  /** The absolute project directory. */
  readonly workingDir: string;
}

/** Throws UsageError for an invalid explicit name or a name that normalises to nothing. */
export function resolveProjectName(sources: ProjectNameSources): string {
  for (const explicit of [sources.flag, sources.variable]) {
    if (explicit === undefined || explicit === '') continue;
    if (!isValidProjectName(explicit)) throw new UsageError(invalidProjectNameMessage(explicit));
    return explicit;
  }
  if (sources.fromFiles !== undefined && sources.fromFiles !== '') {
    const normalised = normalizeProjectName(sources.fromFiles);
    if (normalised === '') throw new UsageError('project name must not be empty');
    return normalised;
  }
  const fromDir = normalizeProjectName(path.basename(sources.workingDir));
  if (fromDir === '') throw new UsageError('project name must not be empty');
  return fromDir;
}
