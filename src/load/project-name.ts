/**
 * The project name: `-p` > COMPOSE_PROJECT_NAME (shell, then .env) > the last top-level `name:`
 * across the files (interpolated) > the project directory's base name. Explicit names (-p and
 * the variable) must already be valid; `name:` and directory names are normalised, as Compose
 * does. A `name:` that needed normalising is reported (Compose changes it silently, so two
 * projects named `MyApp` and `myapp` would share containers without the user knowing why).
 */
import path from 'node:path';
import type { Problem, SourceLocation } from '../errors.js';

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

/** A name and where it was written (the .env line of COMPOSE_PROJECT_NAME, the `name:` value). */
export interface NameSource {
  readonly value: string;
  readonly location?: SourceLocation;
}

export interface ProjectNameSources {
  /** `-p`. */
  readonly flag?: string;
  /** COMPOSE_PROJECT_NAME from the shell or the env file(s). */
  readonly variable?: NameSource;
  /** The last non-empty `name:` of the files, already interpolated. */
  readonly fromFiles?: NameSource;
  /** The absolute project directory. */
  readonly workingDir: string;
}

export type ProjectNameResult =
  | { readonly name: string; readonly normalised?: { readonly from: string; readonly location?: SourceLocation } }
  | { readonly problem: Problem };

/** The name to use, or the problem with the explicit name (or with a name that normalises to nothing). */
export function resolveProjectName(sources: ProjectNameSources): ProjectNameResult {
  const explicit: Array<NameSource | undefined> = [sources.flag === undefined ? undefined : { value: sources.flag }, sources.variable];
  for (const candidate of explicit) {
    if (candidate === undefined || candidate.value === '') continue;
    if (!isValidProjectName(candidate.value)) {
      return { problem: { path: '', message: invalidProjectNameMessage(candidate.value), ...at(candidate.location) } };
    }
    return { name: candidate.value };
  }
  const fromFiles = sources.fromFiles;
  if (fromFiles !== undefined && fromFiles.value !== '') {
    const name = normalizeProjectName(fromFiles.value);
    if (name === '') return { problem: { path: 'name', message: 'project name must not be empty', ...at(fromFiles.location) } };
    return name === fromFiles.value ? { name } : { name, normalised: { from: fromFiles.value, location: fromFiles.location } };
  }
  const name = normalizeProjectName(path.basename(sources.workingDir));
  if (name === '') {
    return {
      problem: {
        path: '',
        message: 'project name must not be empty',
        hint: `the directory name ${JSON.stringify(path.basename(sources.workingDir))} has no letter or digit; set a name with -p or name:`,
      },
    };
  }
  return { name };
}

/** The warning for a `name:` that Compose would normalise silently. */
export function normalisedNameWarning(from: string, to: string): string {
  return `project name ${JSON.stringify(from)} is not a valid project name; using ${JSON.stringify(to)} (write name: ${to} to silence this)`;
}

function at(location: SourceLocation | undefined): { location?: SourceLocation } {
  return location ? { location } : {};
}
