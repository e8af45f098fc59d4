/**
 * decide(batch, targets) -> what to do to which service. Pure: no file is read, no engine called;
 * the same batch gives the same decision.
 *
 * Per changed path and watched service:
 * - every `develop.watch` rule of the service whose path holds the change, and whose filter does
 *   not ignore it, contributes its action (a sync copies or deletes the path; `sync+restart` also
 *   restarts, `sync+exec` also runs the hook, `restart` restarts, `rebuild` rebuilds);
 * - otherwise every watched bind mount of the service holding the change reloads the service
 *   (restart, signal or exec, per `x-tscompose-reload`). A path under a rule of the service is the
 *   rule's business only: a source directory both synced and bind-mounted is never also
 *   restarted, which is what keeps the two from fighting;
 * - a path that is one of the project's files asks for a re-plan.
 *
 * Then per service, the strongest action wins: a rebuild recreates the containers (nothing else
 * is done to them), a restart makes signal and exec reloads pointless. Hooks of `sync+exec` run
 * after the copy (and after a restart, when there is one).
 *
 * Guards (never write through or delete a mount): a sync never writes to a container path inside
 * a bind mount of the service (that would write the host file again, and the watcher would see it:
 * a loop); a delete never removes a mount point or a directory holding one (`rm -rf` would empty a
 * volume or a host directory).
 *
 * A single-file bind mount whose file was replaced (a new inode: editors that save by writing a
 * temporary file and renaming it over the original) cannot be picked up by a signal or a command:
 * the container still sees the old file. Such a reload becomes a restart, which mounts the new file.
 */
import { posix } from 'node:path';
import type { WatchRule } from '../model/types.js';
import type { FileChange } from './batcher.js';
import type { PathFilter } from './ignore-rules.js';
import { relativeInside } from './ignore-rules.js';
import { displayPath, isSyncAction, type MountPoint, type MountTrigger, type RuleTrigger, type WatchTargets } from './watch-targets.js';

export interface SyncEntry {
  /** Absolute host path (a file, a directory or a symlink). */
  readonly hostPath: string;
  /** Absolute container path. */
  readonly containerPath: string;
  /**
   * The rule's directory in the container (its target, or the target's directory for a file
   * rule): the archive is extracted there when it exists, so a sync into a volume or tmpfs works
   * even when the container's root filesystem is read-only.
   */
  readonly root: string;
  /** For walking a synced directory: what its rule ignores. */
  readonly filter: PathFilter;
}

export type ExecHook = NonNullable<WatchRule['exec']>;

export interface ExecReload {
  readonly command: readonly string[];
  readonly user?: string;
  readonly working_dir?: string;
  /** What asked for it, e.g. `bind mount ./nginx.conf`. */
  readonly cause: string;
}

export interface ServiceDecision {
  readonly service: string;
  /** The changed paths (absolute) that concern this service. */
  readonly paths: readonly string[];
  readonly sync: readonly SyncEntry[];
  /** Container paths to delete. */
  readonly remove: readonly string[];
  readonly rebuild: boolean;
  /** Non-empty = restart; why (for the report). */
  readonly restartCauses: readonly string[];
  readonly execHooks: readonly ExecHook[];
  readonly signals: readonly { readonly signal: string; readonly cause: string }[];
  readonly execReloads: readonly ExecReload[];
  /** Bind-mount containers paths a sync must not write below (see the guards). */
  readonly bindTargets: readonly string[];
  /** What was left out, and why (guards, superseded actions). */
  readonly notes: readonly string[];
}

export interface BatchDecision {
  /** Project files (absolute) in the batch: re-plan first. */
  readonly projectFiles: readonly string[];
  /** Services with something to do, by name. */
  readonly services: readonly ServiceDecision[];
  /** Changes no trigger acted on (ignored by every filter that covers them). */
  readonly ignored: readonly FileChange[];
}

export interface DecideOptions {
  /** Single-file bind-mount sources whose file was replaced by a new one (a new inode). */
  readonly replacedFiles?: ReadonlySet<string>;
}

interface Draft {
  paths: Set<string>;
  sync: Map<string, SyncEntry>;
  remove: Set<string>;
  rebuild: boolean;
  restartCauses: string[];
  execHooks: Map<string, ExecHook>;
  signals: Map<string, string>;
  execReloads: Map<string, ExecReload>;
  notes: string[];
}

function draft(): Draft {
  return {
    paths: new Set(),
    sync: new Map(),
    remove: new Set(),
    rebuild: false,
    restartCauses: [],
    execHooks: new Map(),
    signals: new Map(),
    execReloads: new Map(),
    notes: [],
  };
}

/** Whether `path` is `ancestor` or lies below it (container or host paths, `/`-separated). */
function within(path: string, ancestor: string): boolean {
  return path === ancestor || ancestor === '/' || path.startsWith(`${ancestor}/`);
}

function containerPathFor(trigger: RuleTrigger, hostPath: string): string {
  const rel = relativeInside(trigger.rule.path, hostPath) ?? '';
  return rel === '' ? trigger.rule.target! : posix.join(trigger.rule.target!, rel);
}

/** The directory a rule syncs into (see SyncEntry.root). */
export function syncRoot(trigger: RuleTrigger): string {
  return trigger.file ? posix.dirname(trigger.rule.target!) : trigger.rule.target!;
}

function addUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

export function decide(changes: readonly FileChange[], targets: WatchTargets, options: DecideOptions = {}): BatchDecision {
  const show = (path: string): string => displayPath(targets.workingDir, path);
  const projectFiles = new Set(targets.projectFiles);
  const drafts = new Map<string, Draft>();
  const draftOf = (service: string): Draft => {
    let entry = drafts.get(service);
    if (!entry) drafts.set(service, (entry = draft()));
    return entry;
  };
  const changedProjectFiles: string[] = [];
  const ignored: FileChange[] = [];

  for (const change of changes) {
    let acted = false;
    if (projectFiles.has(change.path)) {
      changedProjectFiles.push(change.path);
      acted = true;
    }
    for (const service of targets.services) {
      const rules = targets.rules.filter((trigger) => trigger.service === service && trigger.filter.covers(change.path));
      if (rules.length > 0) {
        for (const trigger of rules) {
          if (trigger.filter.ignores(change.path, change.directory)) continue;
          applyRule(draftOf(service), trigger, change, targets.mountPoints[service] ?? [], show);
          acted = true;
        }
        continue;
      }
      for (const mount of targets.mounts) {
        if (mount.service !== service || !mount.filter.covers(change.path) || mount.filter.ignores(change.path, change.directory)) continue;
        applyReload(draftOf(service), mount, change, options.replacedFiles?.has(mount.source) ?? false, show);
        acted = true;
      }
    }
    if (!acted) ignored.push(change);
  }

  const services = [...drafts.entries()]
    .filter(([, entry]) => entry.paths.size > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([service, entry]) => finish(service, entry, targets.mountPoints[service] ?? []));
  return { projectFiles: changedProjectFiles, services, ignored };
}

function applyRule(entry: Draft, trigger: RuleTrigger, change: FileChange, mounts: readonly MountPoint[], show: (path: string) => string): void {
  const { rule } = trigger;
  const source = `${rule.action} rule on ${show(rule.path)}`;
  entry.paths.add(change.path);
  if (rule.action === 'rebuild') {
    entry.rebuild = true;
    return;
  }
  if (isSyncAction(rule.action)) {
    const containerPath = containerPathFor(trigger, change.path);
    const bind = mounts.find((mount) => mount.type === 'bind' && within(containerPath, mount.target));
    if (change.kind === 'removed') {
      const holder = mounts.find((mount) => within(mount.target, containerPath));
      if (bind) entry.notes.push(`not deleting ${containerPath}: it is inside the bind mount at ${bind.target} (that would delete host files)`);
      else if (holder) entry.notes.push(`not deleting ${containerPath}: the ${holder.type} mount at ${holder.target} is there`);
      else entry.remove.add(containerPath);
    } else if (bind) {
      entry.notes.push(`not copying ${show(change.path)} to ${containerPath}: that is inside the bind mount at ${bind.target} (it would write the host file again)`);
    } else {
      entry.sync.set(containerPath, { hostPath: change.path, containerPath, root: syncRoot(trigger), filter: trigger.filter });
    }
  }
  if (rule.action === 'sync+restart' || rule.action === 'restart') addUnique(entry.restartCauses, source);
  if (rule.action === 'sync+exec' && rule.exec) entry.execHooks.set(JSON.stringify(rule.exec), rule.exec);
}

function applyReload(entry: Draft, mount: MountTrigger, change: FileChange, replaced: boolean, show: (path: string) => string): void {
  entry.paths.add(change.path);
  const cause = `bind mount ${show(mount.source)}`;
  const { policy } = mount;
  if (policy.action === 'restart') {
    addUnique(entry.restartCauses, cause);
    return;
  }
  if (mount.file && replaced) {
    addUnique(entry.restartCauses, `${cause} (the file was replaced: the running container still sees the old one)`);
    return;
  }
  if (policy.action === 'signal') {
    if (!entry.signals.has(policy.signal)) entry.signals.set(policy.signal, cause);
    return;
  }
  const key = JSON.stringify([policy.command, policy.user, policy.working_dir]);
  if (!entry.execReloads.has(key)) {
    entry.execReloads.set(key, {
      command: policy.command,
      ...(policy.user === undefined ? {} : { user: policy.user }),
      ...(policy.working_dir === undefined ? {} : { working_dir: policy.working_dir }),
      cause,
    });
  }
}

function finish(service: string, entry: Draft, mounts: readonly MountPoint[]): ServiceDecision {
  const bindTargets = mounts.filter((mount) => mount.type === 'bind').map((mount) => mount.target);
  const notes = [...entry.notes];
  if (entry.rebuild) {
    if (entry.sync.size + entry.remove.size + entry.restartCauses.length + entry.signals.size + entry.execReloads.size + entry.execHooks.size > 0) {
      notes.push('the rebuild recreates the containers, so nothing else is done to them');
    }
    return {
      service,
      paths: [...entry.paths].sort(),
      sync: [],
      remove: [],
      rebuild: true,
      restartCauses: [],
      execHooks: [],
      signals: [],
      execReloads: [],
      bindTargets,
      notes,
    };
  }
  const restart = entry.restartCauses.length > 0;
  // A synced directory is copied whole; its files listed separately would be copied twice.
  const syncPaths = [...entry.sync.keys()];
  const sync = [...entry.sync.values()]
    .filter((item) => !syncPaths.some((other) => other !== item.containerPath && within(item.containerPath, other)))
    .sort((a, b) => (a.containerPath < b.containerPath ? -1 : 1));
  const removePaths = [...entry.remove];
  const remove = removePaths.filter((path) => !removePaths.some((other) => other !== path && within(path, other))).sort();
  return {
    service,
    paths: [...entry.paths].sort(),
    sync,
    remove,
    rebuild: false,
    restartCauses: entry.restartCauses,
    execHooks: [...entry.execHooks.values()],
    signals: restart ? [] : [...entry.signals.entries()].map(([signal, cause]) => ({ signal, cause })),
    execReloads: restart ? [] : [...entry.execReloads.values()],
    bindTargets,
    notes,
  };
}
