/**
 * What a watch session watches, decided once per project (pure: the caller stats the candidate
 * paths and reads the `.dockerignore` files first, see `candidatePaths`):
 *
 * - rule triggers: each `develop.watch` rule of the watched services;
 * - mount triggers: each bind mount of the watched services whose changes reload the service
 *   (`x-tscompose-reload`, see reload-policy.ts). A bind mount whose source lies outside the
 *   project directory (`/var/run/docker.sock`, `/etc/localtime`, a home directory) is watched
 *   only when the mount itself sets `x-tscompose-reload`: watching system paths by default would
 *   be costly and never what was meant;
 * - the project's own files (compose files, `.env`, included and extended files, env_file files):
 *   a change re-plans the project.
 *
 * Overlaps are resolved in decide.ts: a path under a `develop.watch` rule of a service is handled
 * by the rule only, never also by a reload of the same service.
 *
 * Compose's checks, with its messages: `rebuild` needs a build section; `--no-build` cannot be
 * combined with a `rebuild` rule; at least one watched service must have something to watch.
 */
import { posix } from 'node:path';
import type { Problem } from '../errors.js';
import { formatPath, type PathSegment } from '../load/located.js';
import type { Mount, MountType, Project, Service, WatchRule } from '../model/types.js';
import { volumesFromService } from '../plan/graph.js';
import { PathFilter, relativeInside } from './ignore-rules.js';
import { DEFAULT_RELOAD, parseReloadPolicy, RELOAD_EXTENSION, type ReloadPolicy } from './reload-policy.js';

export type PathKind = 'file' | 'directory' | 'other' | 'missing';

export interface RuleTrigger {
  readonly service: string;
  /** Position in `develop.watch`. */
  readonly index: number;
  readonly rule: WatchRule;
  readonly filter: PathFilter;
  /** Whether `rule.path` is a file (its target is then the file's path in the container). */
  readonly file: boolean;
}

export interface MountTrigger {
  readonly service: string;
  readonly source: string;
  readonly target: string;
  readonly file: boolean;
  /** Never `none` (those mounts are not watched). */
  readonly policy: Exclude<ReloadPolicy, { action: 'none' }>;
  readonly filter: PathFilter;
}

/** A mount of a watched service, for the loop and data guards (sync and delete never write through a bind mount). */
export interface MountPoint {
  readonly type: MountType;
  /** Container path, cleaned. */
  readonly target: string;
}

/** A path the file watcher must watch: a directory (recursively) or a single file. */
export interface WatchRoot {
  readonly path: string;
  readonly directory: boolean;
}

export interface SkippedMount {
  readonly service: string;
  readonly source: string;
  readonly target: string;
  readonly reason: string;
}

export interface WatchTargets {
  /** The project directory (messages print paths relative to it). */
  readonly workingDir: string;
  /** Services with at least one trigger, sorted. */
  readonly services: readonly string[];
  readonly rules: readonly RuleTrigger[];
  readonly mounts: readonly MountTrigger[];
  /**
   * Every mount of every watched service, by service: its own and those it inherits through
   * `volumes_from: [service]` (the session adds what the engine reports for the containers, which
   * also covers `volumes_from: [container:x]`).
   */
  readonly mountPoints: Readonly<Record<string, readonly MountPoint[]>>;
  readonly projectFiles: readonly string[];
  readonly roots: readonly WatchRoot[];
  /** Bind mounts of watched services that are not watched, and why (shown when watching starts). */
  readonly skippedMounts: readonly SkippedMount[];
  readonly warnings: readonly string[];
}

export interface WatchTargetsInput {
  readonly project: Project;
  /** Services named on the command line; empty = every enabled service. */
  readonly services: readonly string[];
  /** What is at each candidate path (see candidatePaths). */
  readonly kinds: ReadonlyMap<string, PathKind>;
  /** Build context (absolute) -> text of its `.dockerignore`, for contexts that have one. */
  readonly dockerignores: ReadonlyMap<string, string>;
  /** The files the project was loaded from (absolute); a change re-plans. */
  readonly projectFiles: readonly string[];
  /** `up --watch --no-build`. */
  readonly noBuild?: boolean;
  /** Finds the source position of a path in the loaded tree, for problems. */
  readonly locate?: (path: readonly PathSegment[]) => Problem['location'];
}

export interface WatchTargetsResult {
  readonly targets: WatchTargets;
  /** Compose's command-level errors (printed as they are). */
  readonly errors: readonly string[];
  /** Problems in the file, with positions. */
  readonly problems: readonly Problem[];
}

const SYNC_ACTIONS: ReadonlySet<WatchRule['action']> = new Set(['sync', 'sync+restart', 'sync+exec']);

export function isSyncAction(action: WatchRule['action']): boolean {
  return SYNC_ACTIONS.has(action);
}

function watchedServiceNames(project: Project, services: readonly string[]): string[] {
  return (services.length > 0 ? [...services] : Object.keys(project.services)).filter((name) => project.services[name] !== undefined).sort();
}

function bindMounts(service: Service): Mount[] {
  return (service.volumes ?? []).filter((mount) => mount.type === 'bind' && mount.source !== undefined);
}

/**
 * The mounts a service's containers have as far as the model tells: its own, then those of the
 * services it names in `volumes_from` (which may inherit further; each service counted once).
 */
export function effectiveMounts(project: Project, name: string, seen: Set<string> = new Set()): Mount[] {
  const service = project.services[name];
  if (service === undefined || seen.has(name)) return [];
  seen.add(name);
  const inherited = (service.volumes_from ?? []).flatMap((entry) => {
    const source = volumesFromService(entry);
    return source === undefined ? [] : effectiveMounts(project, source, seen);
  });
  return [...(service.volumes ?? []), ...inherited];
}

/** Every path the caller must stat before calling watchTargets: rule paths and bind sources. */
export function candidatePaths(project: Project, services: readonly string[]): string[] {
  const paths = new Set<string>();
  for (const name of watchedServiceNames(project, services)) {
    const service = project.services[name];
    for (const rule of service.develop?.watch ?? []) paths.add(rule.path);
    for (const mount of bindMounts(service)) paths.add(mount.source!);
  }
  return [...paths].sort();
}

/** The local build contexts of the watched services (whose `.dockerignore` the caller reads). */
export function buildContexts(project: Project, services: readonly string[]): string[] {
  const contexts = new Set<string>();
  for (const name of watchedServiceNames(project, services)) {
    const context = project.services[name].build?.context;
    if (context !== undefined && posix.isAbsolute(context)) contexts.add(context);
  }
  return [...contexts].sort();
}

/** A container path without `.` segments or trailing slashes (as the guards compare them). */
export function cleanTarget(target: string): string {
  const cleaned = posix.normalize(target);
  return cleaned.length > 1 ? cleaned.replace(/\/+$/, '') : cleaned;
}

/** `./src` for paths in the project directory, the absolute path otherwise. */
export function displayPath(workingDir: string, path: string): string {
  const rel = relativeInside(workingDir, path);
  if (rel === undefined) return path;
  return rel === '' ? '.' : `./${rel}`;
}

export function watchTargets(input: WatchTargetsInput): WatchTargetsResult {
  const { project } = input;
  const errors: string[] = [];
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const rules: RuleTrigger[] = [];
  const mounts: MountTrigger[] = [];
  const skippedMounts: SkippedMount[] = [];
  const mountPoints: Record<string, MountPoint[]> = {};
  const show = (path: string): string => displayPath(project.workingDir, path);
  const problem = (path: PathSegment[], message: string, hint?: string): void => {
    const location = input.locate?.(path);
    problems.push({
      path: formatPath(path),
      message,
      ...(location ? { location } : {}),
      ...(hint ? { hint } : {}),
    });
  };

  for (const name of watchedServiceNames(project, input.services)) {
    const service = project.services[name];
    mountPoints[name] = effectiveMounts(project, name).map((mount) => ({ type: mount.type, target: cleanTarget(mount.target) }));
    const context = service.build?.context;
    const dockerignoreText = context === undefined ? undefined : input.dockerignores.get(context);
    const dockerignore = context !== undefined && dockerignoreText !== undefined ? { context, text: dockerignoreText } : undefined;

    (service.develop?.watch ?? []).forEach((rule, index) => {
      const at: PathSegment[] = ['services', name, 'develop', 'watch', index];
      if (rule.action === 'rebuild' && service.build === undefined) {
        errors.push(`can't watch service "${name}" with action rebuild without a build context`);
        return;
      }
      if (rule.action === 'rebuild' && input.noBuild) {
        errors.push(`--no-build is incompatible with watch action rebuild (service "${name}")`);
        return;
      }
      if (isSyncAction(rule.action) && (rule.target === undefined || rule.target === '')) {
        problem(at, `action ${rule.action} needs a target: the path in the container the files are copied to`, 'add target: /path/in/container');
        return;
      }
      if (rule.action === 'sync+exec' && (rule.exec === undefined || rule.exec.command.length === 0)) {
        problem(at, 'action sync+exec needs an exec hook to run after the files are copied', 'add exec: {command: [...]}');
        return;
      }
      const kind = input.kinds.get(rule.path) ?? 'missing';
      if (kind === 'missing' || kind === 'other') {
        warnings.push(
          `watch path ${show(rule.path)} of service "${name}" ${kind === 'missing' ? 'does not exist' : 'is neither a file nor a directory'}; it is not watched`,
        );
        return;
      }
      const normalized: WatchRule = rule.target === undefined ? rule : { ...rule, target: cleanTarget(rule.target) };
      rules.push({
        service: name,
        index,
        rule: normalized,
        file: kind === 'file',
        filter: new PathFilter({
          root: rule.path,
          ...(rule.ignore ? { ignore: rule.ignore } : {}),
          ...(rule.include ? { include: rule.include } : {}),
          ...(dockerignore ? { dockerignore } : {}),
        }),
      });
    });

    const servicePolicy = parseReloadPolicy(service.extensions?.[RELOAD_EXTENSION]).policy;
    for (const mount of bindMounts(service)) {
      const source = mount.source!;
      const target = cleanTarget(mount.target);
      const own = parseReloadPolicy(mount.extensions?.[RELOAD_EXTENSION]).policy;
      const policy = own ?? servicePolicy ?? DEFAULT_RELOAD;
      const skip = (reason: string): void => {
        skippedMounts.push({ service: name, source, target, reason });
      };
      if (policy.action === 'none') {
        skip(`${RELOAD_EXTENSION}: none`);
        continue;
      }
      // decide.ts gives a path under a rule of the service to the rule only: such a mount never reloads.
      const owner = rules.find((trigger) => trigger.service === name && trigger.filter.covers(source));
      if (owner) {
        skip(`its changes are handled by the ${owner.rule.action} rule on ${show(owner.rule.path)}`);
        continue;
      }
      if (own === undefined && relativeInside(project.workingDir, source) === undefined) {
        skip(`outside the project directory (set ${RELOAD_EXTENSION} on the mount to watch it)`);
        continue;
      }
      const kind = input.kinds.get(source) ?? 'missing';
      if (kind === 'missing') {
        skip('the source does not exist');
        continue;
      }
      if (kind === 'other') {
        skip('the source is neither a file nor a directory');
        continue;
      }
      mounts.push({
        service: name,
        source,
        target,
        file: kind === 'file',
        policy,
        filter: new PathFilter({
          root: source,
          ...(policy.ignore ? { ignore: policy.ignore } : {}),
          ...(dockerignore ? { dockerignore } : {}),
        }),
      });
    }
  }

  const services = [...new Set([...rules.map((rule) => rule.service), ...mounts.map((mount) => mount.service)])].sort();
  if (errors.length === 0 && problems.length === 0 && services.length === 0) {
    errors.push("none of the selected services is configured for watch, consider setting a 'develop' section");
  }

  const roots = new Map<string, WatchRoot>();
  for (const rule of rules) roots.set(rule.rule.path, { path: rule.rule.path, directory: !rule.file });
  for (const mount of mounts) roots.set(mount.source, { path: mount.source, directory: !mount.file });
  const projectFiles = [...new Set(input.projectFiles)].sort();
  for (const file of projectFiles) if (!roots.has(file)) roots.set(file, { path: file, directory: false });

  return {
    targets: {
      workingDir: project.workingDir,
      services,
      rules,
      mounts,
      mountPoints,
      projectFiles,
      roots: [...roots.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
      skippedMounts,
      warnings,
    },
    errors,
    problems,
  };
}
