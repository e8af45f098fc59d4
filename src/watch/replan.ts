/**
 * A change to the compose file or `.env` while watching: load the project again and apply only
 * the difference, with the converge step `up` uses (images -> observe -> reconcile -> execute).
 * Services whose configuration did not change keep their containers; changed ones are recreated,
 * and the plan says why. A file that no longer loads is reported with its positions by the
 * caller, which keeps watching with the last good project.
 */
import { converge, type ConvergeRun } from '../api/converge.js';
import type { Project } from '../model/types.js';
import type { Plan } from '../plan/plan.js';
import type { WatchProject } from './watch-project.js';

export interface ReplanOptions {
  /** The services named on the command line (empty = all); their dependencies come along unless noDeps. */
  readonly services: readonly string[];
  readonly noDeps?: boolean;
  /** `up --scale`, kept for every re-plan so a re-plan never scales a service back. */
  readonly scale?: Readonly<Record<string, number>>;
  readonly onBuildOutput?: (service: string, line: string) => void;
}

/** Applies `next` (already loaded and checked); returns one line per container created, recreated or removed. */
export async function applyChangedProject(run: Omit<ConvergeRun, 'project' | 'environment'>, next: WatchProject, options: ReplanOptions): Promise<string[]> {
  const { plan } = await converge(
    { ...run, project: next.project, environment: next.environment },
    {
      services: options.services,
      ...(options.noDeps ? { noDeps: true } : {}),
      recreate: 'diverged',
      recreateDependencies: 'diverged',
      removeOrphans: false,
      ...(options.scale ? { scale: options.scale } : {}),
      images: options.onBuildOutput ? { onBuildOutput: options.onBuildOutput } : {},
    },
  );
  return describePlanChanges(plan, next.project);
}

/** `recreated p-web-1 (config hash changed: environment.MODE)`, `created p-new-1`, `removed p-old-1`. */
export function describePlanChanges(plan: Plan, project: Project): string[] {
  const lines: string[] = [];
  const replaced = new Set<string>();
  for (const node of plan.nodes) {
    if (node.op.type !== 'create-container') continue;
    if (node.op.replaces) {
      replaced.add(node.op.replaces.id);
      lines.push(`recreated ${node.op.finalName} (${node.cause})`);
    } else lines.push(`created ${node.op.finalName} (${node.cause})`);
  }
  for (const node of plan.nodes) {
    if (node.op.type !== 'remove-container' || node.op.container.kind !== 'observed' || replaced.has(node.op.container.id)) continue;
    lines.push(`removed ${node.op.container.name} (${node.cause})`);
  }
  for (const node of plan.nodes) {
    if (node.op.type === 'start-container' && node.op.container.kind === 'observed' && !replaced.has(node.op.container.id)) {
      lines.push(`started ${node.op.container.name} (${node.cause})`);
    }
  }
  if (lines.length === 0) lines.push(`nothing to change: every service of project ${project.name} is up to date`);
  return lines;
}
