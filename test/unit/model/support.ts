/**
 * Unit tests of the model feed it what the loader would: a located tree parsed from inline YAML
 * (no interpolation, so no `$` in these snippets), in a project directory that does not need to
 * exist (the model never touches the file system).
 */
import { parseYaml } from '../../../src/load/parse-yaml.js';
import type { LoadedProject } from '../../../src/load/types.js';
import { toProject, type ToProjectOptions } from '../../../src/model/index.js';
import type { Project, Service } from '../../../src/model/types.js';

export const WORKING_DIR = '/projects/demo';
export const HOME = '/home/dev';

export interface LoadedOptions {
  readonly name?: string;
  readonly environment?: Record<string, string>;
  /** Enabled services; default: every service without `profiles`. */
  readonly enabled?: readonly string[];
}

export function loadedFrom(yaml: string, options: LoadedOptions = {}): LoadedProject {
  const file = `${WORKING_DIR}/compose.yaml`;
  const { documents, problems } = parseYaml(yaml, file);
  if (problems.length > 0) throw new Error(problems.map((problem) => problem.message).join('\n'));
  const tree = (documents[0] ?? {}) as Record<string, unknown>;
  const services = (tree.services ?? {}) as Record<string, { profiles?: unknown[] } | null>;
  const enabled =
    options.enabled ?? Object.keys(services).filter((name) => !(services[name]?.profiles?.length ?? 0));
  return {
    tree,
    name: options.name ?? 'demo',
    workingDir: WORKING_DIR,
    configFiles: [file],
    envFiles: [],
    envFilesRequested: false,
    environment: { HOME, ...options.environment },
    activeProfiles: [],
    enabledServices: enabled,
    sources: new Map([[file, yaml]]),
    warnings: [],
    problems: [],
  };
}

export function projectFrom(yaml: string, options: LoadedOptions & ToProjectOptions = {}): Project {
  return toProject(loadedFrom(yaml, options), { services: options.services });
}

/** The one service of a snippet (or the named one). */
export function serviceFrom(yaml: string, name?: string, options: LoadedOptions = {}): Service {
  const project = projectFrom(yaml, options);
  const services = { ...project.services, ...project.disabledServices };
  const key = name ?? Object.keys(services)[0];
  return services[key];
}
