/**
 * Commands that read the engine's state by labels (`ps`, `logs`, `down`) work without a compose
 * file, as Compose's do: with `-p NAME` and no `-f`, only the name is needed and the file is not
 * read at all. Otherwise the project is loaded; when that fails and COMPOSE_PROJECT_NAME names the
 * project, the name is enough.
 */
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { invalidProjectNameMessage, isValidProjectName } from '../load/project-name.js';
import type { Project } from '../model/types.js';
import { loadProject } from '../api/load-project.js';
import { noSuchServiceMessage } from '../validate/no-such-service.js';

export interface ProjectOrName {
  readonly name: string;
  /** Absent when the command runs from labels only. */
  readonly project?: Project;
}

/** `whenNamed`: see LoadProjectOptions (called only when the file is read). */
export async function loadProjectOrName(ctx: Context, whenNamed?: (name: string) => Promise<void>): Promise<ProjectOrName> {
  const explicit = ctx.options.projectName;
  if (explicit !== undefined && explicit !== '' && ctx.options.files.length === 0) return { name: validName(explicit) };
  try {
    const project = await loadProject(ctx, whenNamed ? { whenNamed } : {});
    return { name: project.name, project };
  } catch (error) {
    const fromEnvironment = ctx.env.COMPOSE_PROJECT_NAME;
    if (fromEnvironment) return { name: validName(fromEnvironment) };
    throw error;
  }
}

function validName(name: string): string {
  if (!isValidProjectName(name)) throw new UsageError(invalidProjectNameMessage(name));
  return name;
}

/** Compose's check for services named on the command line, when the project is known. */
export function rejectUnknownServiceNames(project: Project | undefined, services: readonly string[]): void {
  if (!project) return;
  const unknown = services.filter((name) => project.services[name] === undefined && project.disabledServices[name] === undefined);
  if (unknown.length > 0) throw new UsageError(noSuchServiceMessage(unknown, [...Object.keys(project.services), ...Object.keys(project.disabledServices)]));
}
