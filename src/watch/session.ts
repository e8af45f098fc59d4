/**
 * A watch session: file watcher -> batcher -> decide -> carry out, one batch at a time, until
 * Ctrl-C. Batches never overlap: changes that arrive while one is handled are collected and
 * become the next batch (so a burst during a rebuild causes one more rebuild, not twenty).
 *
 * - A change to a project file re-plans first (replan.ts); a file with errors is reported with its
 *   positions and the session keeps the last good project. When the new project watches other
 *   paths, the watcher is replaced.
 * - Errors of a batch are reported and watching goes on. Only a failing watcher ends the session.
 * - Ctrl-C (`ctx.signal`) stops the watcher, lets the batch in progress finish its engine calls
 *   (a second Ctrl-C aborts them), and ends the session; the caller exits 130.
 */
import { lstat, stat } from 'node:fs/promises';
import type { ContainerSummary, Engine } from '../apply/engine.js';
import type { ProgressReporter } from '../apply/progress.js';
import type { Context } from '../context.js';
import type { SealKey } from '../model/applied-config.js';
import { CancelledError, ConfigError, TscomposeError } from '../errors.js';
import { ChangeBatcher, foldChange, systemClock, type BatchClock, type FileChange } from './batcher.js';
import { carryOut, type CarryOutContext } from './carry-out.js';
import { withContainerMounts } from './container-mounts.js';
import type { FileOwner } from './container-user.js';
import { decide, syncRoot, type BatchDecision, type ServiceDecision } from './decide.js';
import type { PathFilter } from './ignore-rules.js';
import { applyChangedProject } from './replan.js';
import { describeChanges, describeResults, describeTargets, formatMilliseconds, plainPaint, type ReportPaint } from './report.js';
import { loadWatchProject, prepareTargets, type WatchProject } from './watch-project.js';
import { displayPath, isSyncAction, type WatchTargets } from './watch-targets.js';
import { watchFiles, type FileWatcher } from './watcher.js';

/** How long a container list taken when a batch's first event arrived is used (longer bursts list again). */
const PREFETCH_MAX_AGE_MS = 2_000;

/** Where the session's text goes (the command decides streams and colour). */
export interface WatchOutput {
  /** A line of the session's report (stdout). */
  info(line: string): void;
  /** A failure, possibly several lines (stderr). */
  error(text: string): void;
  /** A configuration problem report, already rendered (stderr). */
  problems(error: ConfigError): void;
  /** Only with TSCOMPOSE_DEBUG. */
  debug?(line: string): void;
  readonly paint?: ReportPaint;
}

export interface WatchSessionOptions {
  /** The services named on the command line (empty = all). */
  readonly services: readonly string[];
  /** `--prune`: remove the images rebuilds replace. */
  readonly prune: boolean;
  /** `--quiet`: no builder output. */
  readonly quiet: boolean;
  /** `up --watch --no-build`. */
  readonly noBuild?: boolean;
  /** What re-plans keep from the command line (`up --scale`, `--no-deps`). */
  readonly replan?: { readonly scale?: Readonly<Record<string, number>>; readonly noDeps?: boolean };
  /** Seals the values recorded on the containers re-plans and rebuilds create. */
  readonly sealKey: SealKey;
  /** Runs `body` holding the project's lock (for actions that change containers). */
  readonly withLock: <T>(body: () => Promise<T>) => Promise<T>;
  /** A progress view for one plan or image step. */
  readonly progress: () => ProgressReporter;
  readonly output: WatchOutput;
  readonly clock?: BatchClock;
  readonly usePolling?: boolean;
}

export interface WatchHandle {
  /** Resolves when the session ended through Ctrl-C or stop(); rejects when the watcher failed. */
  readonly done: Promise<void>;
  /** Ends the session (watchers closed, the batch in progress awaited). */
  stop(): Promise<void>;
}

/**
 * Starts watching `initial`: checks the watch configuration (Compose's errors, problems with
 * positions), prints what is watched, runs `initial_sync` rules, and resolves once the watcher is
 * ready. The returned handle ends with Ctrl-C.
 */
export async function startWatching(ctx: Context, engine: Engine, initial: WatchProject, options: WatchSessionOptions): Promise<WatchHandle> {
  const session = new WatchSession(ctx, engine, initial, await prepareTargets(ctx, initial, { services: options.services, noBuild: options.noBuild }), options);
  await session.start();
  return session;
}

class WatchSession implements WatchHandle {
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private rejectDone!: (error: unknown) => void;
  private watcher?: FileWatcher;
  private readonly batcher: ChangeBatcher;
  private readonly pending: FileChange[] = [];
  private processing?: Promise<void>;
  private stopped = false;
  /** Set when the watcher failed: the session ends with this error. */
  private failure?: Error;
  private readonly owners = new Map<string, FileOwner>();
  /** Inodes of single-file bind-mount sources: a new inode means the file was replaced. */
  private readonly inodes = new Map<string, number>();
  private readonly paint: ReportPaint;
  private readonly onAbort = (): void => void this.stop();
  /** The project's containers, listed while the batch's quiet period runs (see openWatcher), and when. */
  private prefetched?: { readonly at: number; readonly list: Promise<ContainerSummary[] | undefined> };

  constructor(
    private readonly ctx: Context,
    private readonly engine: Engine,
    private current: WatchProject,
    private targets: WatchTargets,
    private readonly options: WatchSessionOptions,
  ) {
    this.paint = options.output.paint ?? plainPaint;
    this.done = new Promise((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // done is awaited by the caller; an early rejection must not count as unhandled meanwhile.
    this.done.catch(() => undefined);
    this.batcher = new ChangeBatcher(
      (batch) => {
        this.pending.push(...batch.changes);
        this.kick();
      },
      options.clock ?? systemClock,
    );
  }

  async start(): Promise<void> {
    for (const warning of this.targets.warnings) this.ctx.warn(warning);
    await this.recordInodes();
    await this.openWatcher();
    // Printed once the watcher is ready: from here on every change is seen.
    this.options.output.info('Watch enabled');
    for (const line of describeTargets(this.targets, this.paint)) this.options.output.info(line);
    // Changes made during the initial copy wait for it, then form the first batch.
    this.processing = this.initialSync().finally(() => {
      this.processing = undefined;
      this.kick();
    });
    await this.processing;
    if (this.ctx.signal.aborted) {
      await this.stop();
      return;
    }
    this.ctx.signal.addEventListener('abort', this.onAbort, { once: true });
  }

  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.ctx.signal.removeEventListener('abort', this.onAbort);
      this.batcher.dispose();
      await this.watcher?.close();
    }
    await this.processing?.catch(() => undefined);
    if (this.failure) this.rejectDone(this.failure);
    else this.resolveDone();
  }

  private async openWatcher(): Promise<void> {
    const previous = this.watcher;
    const targets = this.targets;
    // A path is skipped only when every trigger covering it skips it (roots may overlap).
    const covering = (path: string): PathFilter[] => [
      ...targets.rules.filter((rule) => rule.filter.covers(path)).map((rule) => rule.filter),
      ...targets.mounts.filter((mount) => mount.filter.covers(path)).map((mount) => mount.filter),
    ];
    this.watcher = watchFiles({
      roots: targets.roots,
      skip: (path, directory) => {
        const filters = covering(path);
        if (filters.length === 0) return true;
        return directory === false ? filters.every((filter) => filter.ignores(path, false)) : filters.every((filter) => filter.prunes(path));
      },
      onChange: (change) => {
        // Between batches, the first event starts listing the containers: the list is ready
        // when the quiet period ends. (During a batch the containers may be about to change.)
        if (!this.processing && !this.fresh(this.prefetched)) {
          this.prefetched = { at: this.ctx.now(), list: this.listContainers() };
        }
        this.batcher.add(change);
      },
      onError: (error) => {
        const hint =
          (error as NodeJS.ErrnoException).code === 'ENOSPC'
            ? ' (the system limit of watched directories is reached: ignore large directories in .dockerignore or the rule, or raise fs.inotify.max_user_watches)'
            : '';
        this.failure ??= new TscomposeError(`the file watcher failed: ${error.message}${hint}`, { cause: error });
        void this.stop();
      },
      ...(this.options.output.debug ? { debug: (line: string) => this.options.output.debug!(line) } : {}),
      ...(this.options.usePolling ? { usePolling: true } : {}),
    });
    await this.watcher.ready;
    await previous?.close();
  }

  /** Processes pending changes one batch at a time. */
  private kick(): void {
    if (this.processing || this.stopped || this.pending.length === 0) return;
    // `finally` runs after the assignment (it is always asynchronous), so `processing` is cleared last.
    this.processing = this.drain().finally(() => {
      this.processing = undefined;
      this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0 && !this.stopped) {
      await this.handle(foldChanges(this.pending.splice(0)));
    }
  }

  private async handle(collected: FileChange[]): Promise<void> {
    const started = this.ctx.now();
    let containers = this.fresh(this.prefetched)?.list;
    this.prefetched = undefined;
    const changes = await withoutVanished(collected);
    if (changes.length === 0) return;
    const replaced = await this.replacedFiles(changes);
    const first = decide(changes, this.targets, { replacedFiles: replaced });
    if (first.services.length === 0 && first.projectFiles.length === 0) {
      this.options.output.debug?.(`ignored: ${describeChanges(changes, this.targets.workingDir)}`);
      return;
    }
    this.options.output.info(`watch: ${describeChanges(changes.filter((change) => !first.ignored.includes(change)), this.targets.workingDir)}`);
    try {
      let rest = changes;
      if (first.projectFiles.length > 0) {
        const replanned = await this.replan();
        // The re-plan may have recreated containers: the list taken before it is stale.
        containers = undefined;
        if (replanned) rest = changes.filter((change) => !first.projectFiles.includes(change.path));
      }
      if (rest.length > 0) {
        // Decided again with the mounts the engine reports for the containers (see container-mounts.ts).
        const listed = await (containers ?? this.listContainers());
        const decision = { ...decide(rest, withContainerMounts(this.targets, listed), { replacedFiles: replaced }), projectFiles: [] };
        if (decision.services.length > 0) await this.act(decision, listed);
      }
    } catch (error) {
      if (error instanceof CancelledError || this.ctx.forceSignal.aborted) return;
      this.options.output.error(`watch: handling the changes failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.options.output.info(`  ${this.paint.dim(`done in ${formatMilliseconds(this.ctx.now() - started)}`)}`);
  }

  /**
   * A list taken for changes that then made no batch (all folded away) is not used much later:
   * the containers may have been recreated meanwhile.
   */
  private fresh<T extends { readonly at: number }>(prefetch: T | undefined): T | undefined {
    return prefetch !== undefined && this.ctx.now() - prefetch.at <= PREFETCH_MAX_AGE_MS ? prefetch : undefined;
  }

  /** The project's containers; undefined when the engine did not answer (carryOut lists again, and reports). */
  private listContainers(): Promise<ContainerSummary[] | undefined> {
    return this.engine.listContainers(this.current.project.name, { signal: this.ctx.forceSignal }).catch(() => undefined);
  }

  /**
   * Where the builder's lines go: stderr, prefixed with the service; nowhere with `--quiet` (a sink
   * all the same: without one, the progress view would show the builder's steps instead).
   */
  private buildOutput(): (service: string, line: string) => void {
    return this.options.quiet ? () => undefined : (service, line) => this.ctx.stderr.write(`[${service}] ${line}\n`);
  }

  private carryOutContext(): CarryOutContext {
    return {
      engine: this.engine,
      project: this.current.project,
      environment: this.current.environment,
      signal: this.ctx.signal,
      forceSignal: this.ctx.forceSignal,
      prune: this.options.prune,
      onBuildOutput: this.buildOutput(),
      progress: this.options.progress,
      withLock: this.options.withLock,
      sealKey: this.options.sealKey,
      warn: (message) => this.ctx.warn(message),
      now: this.ctx.now,
      ...(this.ctx.options.parallel === undefined ? {} : { parallel: this.ctx.options.parallel }),
      owners: this.owners,
    };
  }

  private async act(decision: BatchDecision, containers: ContainerSummary[] | undefined): Promise<void> {
    const results = await carryOut(decision, this.carryOutContext(), containers);
    const lines = describeResults(results, this.paint);
    for (const line of lines.info) this.options.output.info(line);
    if (lines.errors.length > 0) this.options.output.error(lines.errors.join('\n'));
    // A recreate gives containers new ids: their owners are looked up again.
    if (decision.services.some((service) => service.rebuild)) this.owners.clear();
  }

  /** Loads the project again and applies the difference; false when the files have errors. */
  private async replan(): Promise<boolean> {
    let next: WatchProject;
    let targets: WatchTargets;
    try {
      next = await loadWatchProject(this.ctx, this.options.services);
      targets = await prepareTargets(this.ctx, next, { services: this.options.services, noBuild: this.options.noBuild });
    } catch (error) {
      if (error instanceof ConfigError) {
        this.options.output.error('watch: the project has errors; still watching with the last good configuration:');
        this.options.output.problems(error);
        return false;
      }
      this.options.output.error(`watch: the project cannot be used (${error instanceof Error ? error.message : String(error)}); still watching with the last good configuration`);
      return false;
    }
    const started = this.ctx.now();
    const lines = await this.options.withLock(() =>
      applyChangedProject(
        {
          engine: this.engine,
          env: this.ctx.env,
          sealKey: this.options.sealKey,
          signal: this.ctx.signal,
          forceSignal: this.ctx.forceSignal,
          // Only the second Ctrl-C ends a pull or build while watching.
          imageSignal: this.ctx.forceSignal,
          progress: this.options.progress,
          warn: (message) => this.ctx.warn(message),
          ...(this.ctx.options.parallel === undefined ? {} : { parallel: this.ctx.options.parallel }),
        },
        next,
        {
          services: this.options.services,
          ...(this.options.replan?.noDeps ? { noDeps: true } : {}),
          ...(this.options.replan?.scale ? { scale: this.options.replan.scale } : {}),
          onBuildOutput: this.buildOutput(),
        },
      ),
    );
    for (const line of lines) this.options.output.info(`  ${this.paint.service('project')}: ${line} ${this.paint.dim(`(${formatMilliseconds(this.ctx.now() - started)})`)}`);
    const rootsChanged = JSON.stringify(targets.roots) !== JSON.stringify(this.targets.roots);
    const describedBefore = describeTargets(this.targets).join('\n');
    this.current = next;
    this.targets = targets;
    this.owners.clear();
    if (describeTargets(targets).join('\n') !== describedBefore) {
      this.options.output.info('  watching now:');
      for (const line of describeTargets(targets, this.paint)) this.options.output.info(`  ${line}`);
    }
    if (rootsChanged && !this.stopped) await this.openWatcher();
    await this.recordInodes();
    return true;
  }

  private async recordInodes(): Promise<void> {
    this.inodes.clear();
    for (const mount of this.targets.mounts) {
      if (!mount.file) continue;
      const stats = await stat(mount.source).catch(() => undefined);
      if (stats) this.inodes.set(mount.source, stats.ino);
    }
  }

  /** The single-file mount sources in the batch whose inode changed since last seen. */
  private async replacedFiles(changes: readonly FileChange[]): Promise<Set<string>> {
    const replaced = new Set<string>();
    for (const change of changes) {
      const known = this.inodes.get(change.path);
      if (known === undefined) continue;
      const stats = await stat(change.path).catch(() => undefined);
      if (stats && stats.ino !== known) {
        replaced.add(change.path);
        this.inodes.set(change.path, stats.ino);
      }
    }
    return replaced;
  }

  /** `initial_sync: true` rules: copy their whole path into the running containers before watching. */
  private async initialSync(): Promise<void> {
    const rules = this.targets.rules.filter((trigger) => trigger.rule.initial_sync === true && isSyncAction(trigger.rule.action));
    if (rules.length === 0) return;
    const containers = await this.listContainers();
    const { mountPoints } = withContainerMounts(this.targets, containers);
    const services: ServiceDecision[] = [];
    for (const service of [...new Set(rules.map((trigger) => trigger.service))]) {
      const own = rules.filter((trigger) => trigger.service === service);
      services.push({
        service,
        paths: own.map((trigger) => trigger.rule.path),
        sync: own.map((trigger) => ({ hostPath: trigger.rule.path, containerPath: trigger.rule.target!, root: syncRoot(trigger), filter: trigger.filter })),
        remove: [],
        rebuild: false,
        restartCauses: [],
        execHooks: [],
        signals: [],
        execReloads: [],
        bindTargets: (mountPoints[service] ?? []).filter((mount) => mount.type === 'bind').map((mount) => mount.target),
        notes: [],
      });
    }
    const paths = rules.map((trigger) => displayPath(this.targets.workingDir, trigger.rule.path));
    this.options.output.info(`watch: initial sync of ${[...new Set(paths)].join(', ')}`);
    try {
      await this.act({ projectFiles: [], services, ignored: [] }, containers);
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      this.options.output.error(`watch: the initial sync failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/**
 * The changes without the paths reported as changed that are gone again. Either the watcher saw
 * the path only in passing (an editor's temporary file, written and renamed away at once): it never
 * reached a container and is not worth naming; or it was deleted after its last event, and the
 * deletion is the next batch's.
 */
async function withoutVanished(changes: readonly FileChange[]): Promise<FileChange[]> {
  const present = await Promise.all(changes.map((change) => (change.kind === 'removed' ? true : lstat(change.path).then(() => true, () => false))));
  return changes.filter((_, index) => present[index]);
}

/** Several batches collected while one was handled: folded as one (see foldChange), in path order. */
function foldChanges(changes: readonly FileChange[]): FileChange[] {
  const byPath = new Map<string, FileChange>();
  for (const change of changes) foldChange(byPath, change);
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
