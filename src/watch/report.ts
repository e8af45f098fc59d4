/**
 * The text watch mode prints (pure): what a batch changed, what was done to which service and how
 * long it took, what failed. Colour is the caller's business (`paint`), so this stays testable.
 *
 *     watch: 3 changes: ./src/a.js, ./src/b.js, ./src/old.js (deleted)
 *       app: copied 2 files into p-app-1 (24 ms)
 *       app: deleted /app/src/old.js in p-app-1 (24 ms)
 *       web: restarted p-web-1 (bind mount ./nginx.conf) (1.1 s)
 */
import type { FileChange } from './batcher.js';
import type { ActionResult } from './carry-out.js';
import { displayPath, type WatchTargets } from './watch-targets.js';

/** How many changed paths a batch header names before it only counts. */
const LISTED_PATHS = 3;

export interface ReportPaint {
  readonly service: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly error: (text: string) => string;
}

export const plainPaint: ReportPaint = { service: String, dim: String, error: String };

/** `840 ms`, `1.2 s`, `12 s`. */
export function formatMilliseconds(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.max(0, Math.round(milliseconds))} ms`;
  if (milliseconds < 10_000) return `${(milliseconds / 1000).toFixed(1)} s`;
  return `${Math.round(milliseconds / 1000)} s`;
}

/** The header of a batch: the changed paths (relative to the project), counted when many. */
export function describeChanges(changes: readonly FileChange[], workingDir: string): string {
  if (changes.length === 1) return `${displayPath(workingDir, changes[0].path)} ${changes[0].kind === 'removed' ? 'deleted' : 'changed'}`;
  const named = changes.slice(0, LISTED_PATHS).map((change) => `${displayPath(workingDir, change.path)}${change.kind === 'removed' ? ' (deleted)' : ''}`);
  const rest = changes.length - named.length;
  return `${changes.length} changes: ${rest > 0 ? `${named.join(', ')} and ${rest} more` : named.join(', ')}`;
}

export interface ReportLines {
  /** For stdout. */
  readonly info: readonly string[];
  /** For stderr. */
  readonly errors: readonly string[];
}

/** One line per action done, note and (on stderr) failure, by service. */
export function describeResults(results: readonly ActionResult[], paint: ReportPaint = plainPaint): ReportLines {
  const info: string[] = [];
  const errors: string[] = [];
  for (const result of results) {
    const name = paint.service(result.service);
    for (const action of result.done) info.push(`  ${name}: ${action.text} ${paint.dim(`(${formatMilliseconds(action.milliseconds)})`)}`);
    for (const note of result.notes) info.push(`  ${name}: ${paint.dim(`note: ${note}`)}`);
    for (const error of result.errors) errors.push(`  ${name}: ${paint.error('error:')} ${error.replace(/\n/g, '\n    ')}`);
  }
  return { info, errors };
}

/**
 * What is watched, printed when watching starts (and after a re-plan changed it): per service its
 * rules and its watched bind mounts, the mounts left out and why, and the project files.
 */
export function describeTargets(targets: WatchTargets, paint: ReportPaint = plainPaint): string[] {
  const show = (path: string): string => displayPath(targets.workingDir, path);
  const lines: string[] = [];
  for (const service of targets.services) {
    const parts: string[] = [];
    for (const { rule } of targets.rules.filter((trigger) => trigger.service === service)) {
      parts.push(rule.target === undefined ? `${rule.action} ${show(rule.path)}` : `${rule.action} ${show(rule.path)} -> ${rule.target}`);
    }
    for (const mount of targets.mounts.filter((trigger) => trigger.service === service)) {
      const how =
        mount.policy.action === 'restart'
          ? 'restart'
          : mount.policy.action === 'signal'
            ? mount.policy.signal
            : `exec "${mount.policy.command.join(' ')}"`;
      // Paths under a rule of the service are the rule's (decide.ts), not the mount's.
      const taken = targets.rules.filter((trigger) => trigger.service === service && mount.filter.covers(trigger.rule.path)).map((trigger) => show(trigger.rule.path));
      const except = taken.length === 0 ? '' : ` (except ${[...new Set(taken)].join(', ')}: the rule's)`;
      parts.push(`reload (${how}) on ${show(mount.source)}${except}`);
    }
    lines.push(`  ${paint.service(service)}: ${parts.join('; ')}`);
  }
  for (const skipped of targets.skippedMounts) {
    lines.push(`  ${paint.service(skipped.service)}: ${paint.dim(`not reloaded on bind mount ${show(skipped.source)}: ${skipped.reason}`)}`);
  }
  if (targets.projectFiles.length > 0) {
    lines.push(`  ${paint.dim(`re-plan on changes to ${targets.projectFiles.map(show).join(', ')}`)}`);
  }
  return lines;
}
