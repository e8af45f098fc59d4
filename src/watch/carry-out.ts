/**
 * The acting half of watch: carries out a BatchDecision against the engine and says what was done
 * to which service, how long it took, and what failed (explained). One failing service never
 * stops the others; a failure is reported and watching goes on.
 *
 * Order, as in Docker Compose: copies and deletes first (all services and replicas in parallel),
 * then rebuilds, then restarts (one restart plan: dependency order, and the services that depend
 * on a restarted one with `restart: true` follow), then commands and signals. Rebuilds and
 * restarts change the project's containers, so they run under the project's lock; copies,
 * commands and signals do not need it.
 */
import { posix } from 'node:path';
import { converge } from '../api/converge.js';
import type { ContainerSummary, Engine } from '../apply/engine.js';
import { mapEnvironment } from '../apply/container-spec.js';
import { observe } from '../apply/observe.js';
import type { ProgressReporter } from '../apply/progress.js';
import { CancelledError, EngineError } from '../errors.js';
import type { SealKey } from '../model/applied-config.js';
import { LABEL } from '../model/labels.js';
import type { Project } from '../model/types.js';
import { serviceGraph } from '../plan/graph.js';
import { planRestart } from '../plan/lifecycle.js';
import { containerOwner, type FileOwner } from './container-user.js';
import type { BatchDecision, ServiceDecision, SyncEntry } from './decide.js';
import { explainCopyFailure, explainDeleteFailure, explainExecFailure } from './explain-failure.js';
import { RELOAD_EXTENSION } from './reload-policy.js';
import { runPlan } from '../api/run-plan.js';
import { buildSyncArchive, linkArchive, type SyncArchive } from './sync-archive.js';

export interface DoneAction {
  /** What was done, e.g. `copied 2 files into p-app-1`. */
  readonly text: string;
  readonly milliseconds: number;
}

export interface ActionResult {
  readonly service: string;
  readonly done: readonly DoneAction[];
  /** Failures, explained. */
  readonly errors: readonly string[];
  /** What was left out on purpose, and why. */
  readonly notes: readonly string[];
}

export interface CarryOutContext {
  readonly engine: Engine;
  readonly project: Project;
  readonly environment: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  readonly forceSignal: AbortSignal;
  /** Remove the image a rebuild replaced when nothing else uses or names it (`--prune`). */
  readonly prune: boolean;
  /** Builder output, line by line (a sink that drops it with `--quiet`). */
  readonly onBuildOutput?: (service: string, line: string) => void;
  /** A progress view for one plan (restarts, recreates). */
  readonly progress: () => ProgressReporter;
  /** Seals the values recorded on the containers a rebuild recreates. */
  readonly sealKey: SealKey;
  /** Runs `body` holding the project's lock. */
  readonly withLock: <T>(body: () => Promise<T>) => Promise<T>;
  readonly warn: (message: string) => void;
  readonly now: () => number;
  readonly parallel?: number;
  /** Owners of synced files by container id (kept across batches: a container's user does not change). */
  readonly owners: Map<string, FileOwner>;
}

interface Replica {
  readonly id: string;
  readonly name: string;
}

function runningReplicas(containers: readonly ContainerSummary[], service: string): Replica[] {
  return containers
    .filter((container) => container.labels[LABEL.service] === service && container.labels[LABEL.oneoff] !== 'True' && container.status === 'running')
    .sort((a, b) => Number(a.labels[LABEL.containerNumber] ?? 0) - Number(b.labels[LABEL.containerNumber] ?? 0))
    .map((container) => ({ id: container.id, name: container.name }));
}

/** The engine's 404 for a container that is gone (its other 404 here: the extraction directory is missing). */
const NO_SUCH_CONTAINER = /no such container/i;

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function names(replicas: readonly Replica[]): string {
  return replicas.map((replica) => replica.name).join(', ');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class ResultBuilder {
  readonly done: DoneAction[] = [];
  readonly errors: string[] = [];
  readonly notes: string[];
  constructor(
    readonly service: string,
    private readonly now: () => number,
    notes: readonly string[] = [],
  ) {
    this.notes = [...notes];
  }
  /** Records an action that started at `startedAt` (the context clock) and just finished. */
  record(text: string, startedAt: number): void {
    this.done.push({ text, milliseconds: this.now() - startedAt });
  }
  build(): ActionResult {
    return { service: this.service, done: this.done, errors: this.errors, notes: this.notes };
  }
}

/**
 * `containers`: the project's containers when the caller already listed them (the session starts
 * listing when a batch's first event arrives, during the quiet period); listed here otherwise.
 */
export async function carryOut(decision: BatchDecision, context: CarryOutContext, containers?: readonly ContainerSummary[]): Promise<ActionResult[]> {
  const { engine, project } = context;
  const results = new Map<string, ResultBuilder>();
  const resultOf = (service: string, notes?: readonly string[]): ResultBuilder => {
    let builder = results.get(service);
    if (!builder) results.set(service, (builder = new ResultBuilder(service, context.now, notes)));
    return builder;
  };
  for (const service of decision.services) resultOf(service.service, service.notes);
  const listed = containers ?? (await engine.listContainers(project.name, { signal: context.forceSignal }));

  // 1. Copies and deletes, every service and replica at once.
  await Promise.all(
    decision.services
      .filter((service) => service.sync.length > 0 || service.remove.length > 0)
      .map((service) => syncService(service, runningReplicas(listed, service.service), context, resultOf(service.service))),
  );

  // 2. Rebuilds.
  const rebuilds = decision.services.filter((service) => service.rebuild).map((service) => service.service);
  if (rebuilds.length > 0) await rebuildServices(rebuilds, listed, context, resultOf);

  // 3. Restarts (with their restart: true dependents).
  const restarts = decision.services.filter((service) => service.restartCauses.length > 0);
  if (restarts.length > 0) await restartServices(restarts, context, resultOf);

  // 4. Hooks, commands and signals.
  const after = restarts.length > 0 ? await engine.listContainers(project.name, { signal: context.forceSignal }) : listed;
  await Promise.all(
    decision.services
      .filter((service) => service.execHooks.length + service.execReloads.length + service.signals.length > 0)
      .map((service) => runCommandsAndSignals(service, runningReplicas(after, service.service), context, resultOf(service.service))),
  );

  return [...results.values()].map((builder) => builder.build()).sort((a, b) => (a.service < b.service ? -1 : 1));
}

async function ownerOf(context: CarryOutContext, replica: Replica, result: ResultBuilder): Promise<FileOwner> {
  let owner = context.owners.get(replica.id);
  if (!owner) {
    owner = await containerOwner(context.engine, replica.id, context.forceSignal);
    context.owners.set(replica.id, owner);
    if (owner.fallbackReason) result.notes.push(`files copied into ${replica.name} are owned by root: ${owner.fallbackReason}`);
  }
  return owner;
}

async function syncService(service: ServiceDecision, replicas: readonly Replica[], context: CarryOutContext, result: ResultBuilder): Promise<void> {
  if (replicas.length === 0) {
    result.notes.push('no running container: nothing was copied');
    return;
  }
  const startedAt = context.now();
  // Archives by owner, rule directory and extraction point: replicas of a service normally share them.
  const archives = new Map<string, Promise<SyncArchive>>();
  const archive = (entries: readonly SyncEntry[], owner: FileOwner, root: string, base: string): Promise<SyncArchive> => {
    const key = `${owner.uid}:${owner.gid}:${root}:${base}`;
    if (!archives.has(key)) archives.set(key, buildSyncArchive(entries, owner, service.bindTargets, { base, createParents: base !== root }));
    return archives.get(key)!;
  };
  const groups = new Map<string, SyncEntry[]>();
  for (const entry of service.sync) groups.set(entry.root, [...(groups.get(entry.root) ?? []), entry]);
  const counts = { files: 0, directories: 0 };
  const refused = new Set<string>();
  const synced: Replica[] = [];
  const cleaned: Replica[] = [];
  const deleteIn = async (replica: Replica): Promise<void> => {
    try {
      const outcome = await context.engine.exec(replica.id, {
        command: ['rm', '-rf', '--', ...service.remove],
        // Deleting is mirroring what the sync wrote as the engine (root); the app's user may not be allowed to.
        user: '0:0',
        signal: context.forceSignal,
      });
      if (outcome.exitCode !== 0) {
        result.errors.push(explainDeleteFailure({ exitCode: outcome.exitCode, output: `${outcome.stderr}\n${outcome.stdout}` }, { container: replica.name, paths: service.remove }));
      } else cleaned.push(replica);
    } catch (error) {
      if (context.forceSignal.aborted) throw new CancelledError();
      result.errors.push(explainDeleteFailure({ error }, { container: replica.name, paths: service.remove }));
    }
  };
  const copyInto = async (replica: Replica): Promise<void> => {
    let owner: FileOwner | undefined;
    try {
      const resolved = await ownerOf(context, replica, result);
      owner = resolved;
      const copied = { files: 0, directories: 0 };
      for (const [root, entries] of groups) {
        const sent = await sendArchive(context, replica, root, (base) => archive(entries, resolved, root, base));
        copied.files += sent.files;
        copied.directories += sent.directories;
        if (sent.linksAboveBase.length > 0) {
          await context.engine.putArchive(replica.id, '/', await linkArchive(sent.linksAboveBase, resolved), { signal: context.forceSignal });
          copied.files += sent.linksAboveBase.length;
        }
        for (const link of sent.refusedLinks) {
          refused.add(`not copied: ${link.containerPath} -> ${link.target}: the link points above the container's root directory, which the engine refuses`);
        }
      }
      if (copied.files + copied.directories > 0) {
        synced.push(replica);
        Object.assign(counts, copied);
      }
    } catch (error) {
      if (context.forceSignal.aborted) throw new CancelledError();
      result.errors.push(
        explainCopyFailure(error, {
          container: replica.name,
          paths: service.sync.map((entry) => entry.containerPath),
          owner: owner ?? { uid: 0, gid: 0, description: "the container's user" },
        }),
      );
    }
  };
  // Copies first: what was written is what the user waits to see; a deletion (an exec, as slow as
  // a copy) must not delay it. The order is safe: a deleted path is never also copied (decide.ts
  // keeps the last event per path), and a copied directory holds nothing deleted on the host.
  await Promise.all(
    replicas.map(async (replica) => {
      if (service.sync.length > 0) await copyInto(replica);
      if (service.remove.length > 0) await deleteIn(replica);
    }),
  );
  result.notes.push(...refused);
  const order = (list: Replica[]): Replica[] => replicas.filter((replica) => list.includes(replica));
  if (synced.length > 0) {
    const what = [counts.files > 0 ? plural(counts.files, 'file') : '', counts.directories > 0 ? plural(counts.directories, 'directory', 'directories') : '']
      .filter(Boolean)
      .join(' and ');
    result.record(`copied ${what} into ${names(order(synced))}`, startedAt);
  }
  if (cleaned.length > 0) result.record(`deleted ${service.remove.join(', ')} in ${names(order(cleaned))}`, startedAt);
}

/**
 * Extracts a rule's archive in the rule's directory when it exists (the engine accepts a volume
 * there even under `read_only: true`). When it does not, at its nearest existing ancestor, with the
 * missing directories in the archive (owned by the container's user: the engine would create them
 * as root). Each level costs one call, and only until the directory exists.
 */
async function sendArchive(context: CarryOutContext, replica: Replica, root: string, archiveAt: (base: string) => Promise<SyncArchive>): Promise<SyncArchive> {
  for (let base = root; ; base = posix.dirname(base)) {
    const built = await archiveAt(base);
    if (built.files + built.directories === 0) return built;
    try {
      await context.engine.putArchive(replica.id, base, built.archive, { signal: context.forceSignal });
      return built;
    } catch (error) {
      const missingDirectory = error instanceof EngineError && error.kind === 'not-found' && !NO_SUCH_CONTAINER.test(error.message);
      if (!missingDirectory || base === '/') throw error;
    }
  }
}

async function rebuildServices(
  services: readonly string[],
  before: readonly ContainerSummary[],
  context: CarryOutContext,
  resultOf: (service: string) => ResultBuilder,
): Promise<void> {
  const { engine, project } = context;
  const previousImages = new Set(
    before.filter((container) => services.includes(container.labels[LABEL.service] ?? '') && container.labels[LABEL.oneoff] !== 'True').map((container) => container.imageId),
  );
  const startedAt = context.now();
  try {
    await context.withLock(async () => {
      const { images, plan } = await converge(
        {
          engine,
          project,
          environment: context.environment,
          sealKey: context.sealKey,
          signal: context.signal,
          forceSignal: context.forceSignal,
          imageSignal: context.forceSignal,
          progress: context.progress,
          warn: context.warn,
          ...(context.parallel === undefined ? {} : { parallel: context.parallel }),
        },
        {
          services,
          noDeps: true,
          recreate: 'force',
          recreateDependencies: 'never',
          images: { build: true, ...(context.onBuildOutput ? { onBuildOutput: context.onBuildOutput } : {}) },
        },
      );
      for (const service of services) {
        const replicas = plan.nodes.flatMap((node) => (node.op.type === 'create-container' && node.op.service.name === service ? [node.op.finalName] : []));
        resultOf(service).record(`rebuilt ${images.services[service]?.reference ?? 'the image'} and recreated ${replicas.join(', ') || 'its containers'}`, startedAt);
      }
      // The recreate already stopped and started the services depending on these with
      // `restart: true` (or sharing their namespaces): report them.
      for (const node of plan.nodes) {
        if (node.op.type !== 'stop-container' || node.op.container.kind !== 'observed') continue;
        const dependent = node.resource.split(':')[1];
        if (dependent === undefined || services.includes(dependent)) continue;
        resultOf(dependent).record(`restarted ${node.op.container.name} (${node.cause})`, startedAt);
      }
      if (context.prune) await pruneReplaced(engine, previousImages, new Set(Object.values(images.services).map((image) => image.id)), context);
    });
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    for (const service of services) resultOf(service).errors.push(`rebuild failed: ${messageOf(error)}`);
  }
}

function restartedNames(plan: ReturnType<typeof planRestart>, service: string): string {
  return plan.nodes
    .flatMap((node) => (node.op.type === 'restart-container' && node.resource.startsWith(`service:${service}:`) && node.op.container.kind === 'observed' ? [node.op.container.name] : []))
    .join(', ');
}

async function restartServices(
  services: readonly ServiceDecision[],
  context: CarryOutContext,
  resultOf: (service: string) => ResultBuilder,
): Promise<void> {
  const { engine, project } = context;
  const names = services.map((service) => service.service);
  // planRestart adds the services depending on these with `restart: true`, transitively.
  const dependents = serviceGraph(project.services)
    .withDependents(names, (edge) => edge.dependsOn?.restart === true)
    .filter((name) => !names.includes(name));
  const progress = context.progress();
  const startedAt = context.now();
  try {
    await context.withLock(async () => {
      const observed = await observe(engine, project, { signal: context.forceSignal });
      const plan = planRestart(observed, { projectName: project.name, project, services: names });
      await runPlan(plan, planContext(context, progress), { project, observed, environment: context.environment });
      for (const service of services) {
        const restarted = restartedNames(plan, service.service);
        const result = resultOf(service.service);
        if (restarted === '') result.notes.push('no container to restart');
        else result.record(`restarted ${restarted} (${service.restartCauses.join('; ')})`, startedAt);
      }
      for (const dependent of dependents) {
        const upstream = names.filter((service) => project.services[dependent]?.depends_on?.[service]?.restart === true);
        const restarted = restartedNames(plan, dependent);
        if (restarted !== '') resultOf(dependent).record(`restarted ${restarted} (depends on ${upstream.join(', ') || names.join(', ')} with restart: true)`, startedAt);
      }
    });
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    for (const service of names) resultOf(service).errors.push(`restart failed: ${messageOf(error)}`);
  } finally {
    await progress.stop();
  }
}

async function runCommandsAndSignals(service: ServiceDecision, replicas: readonly Replica[], context: CarryOutContext, result: ResultBuilder): Promise<void> {
  if (replicas.length === 0) {
    result.notes.push('no running container: no command run, no signal sent');
    return;
  }
  const { engine } = context;
  const commands = [
    ...service.execHooks.map((hook) => ({
      command: hook.command,
      user: hook.user,
      workingDir: hook.working_dir,
      privileged: hook.privileged,
      // As for post_start/pre_stop (Compose runs both through one hook runner): a variable listed
      // without a value is sent bare, so the command runs with it unset.
      env: mapEnvironment(hook.environment) ?? [],
      why: 'sync+exec',
      setting: 'the exec hook of the rule',
    })),
    ...service.execReloads.map((reload) => ({
      command: reload.command,
      user: reload.user,
      workingDir: reload.working_dir,
      privileged: undefined,
      env: [],
      why: reload.cause,
      setting: RELOAD_EXTENSION,
    })),
  ];
  for (const entry of commands) {
    const startedAt = context.now();
    const ran: Replica[] = [];
    const explain = async (replica: Replica, failure: Parameters<typeof explainExecFailure>[0]): Promise<string> => {
      // Who it ran as: a command without its own user runs as the container's (looked up only now, on failure).
      const user = entry.user !== undefined && entry.user !== '' ? { configured: entry.user } : { container: await userOfContainer(context, replica) };
      return explainExecFailure(failure, { container: replica.name, command: entry.command, user, setting: entry.setting });
    };
    await Promise.all(
      replicas.map(async (replica) => {
        try {
          const outcome = await engine.exec(replica.id, {
            command: entry.command,
            ...(entry.user === undefined ? {} : { user: entry.user }),
            ...(entry.workingDir === undefined ? {} : { workingDir: entry.workingDir }),
            ...(entry.privileged === undefined ? {} : { privileged: entry.privileged }),
            ...(entry.env.length > 0 ? { env: entry.env } : {}),
            signal: context.forceSignal,
          });
          if (outcome.exitCode === 0) ran.push(replica);
          else result.errors.push(await explain(replica, { exitCode: outcome.exitCode, output: `${outcome.stdout}\n${outcome.stderr}` }));
        } catch (error) {
          if (context.forceSignal.aborted) throw new CancelledError();
          result.errors.push(await explain(replica, { error }));
        }
      }),
    );
    if (ran.length > 0) result.record(`ran "${entry.command.join(' ')}" in ${names(replicas.filter((replica) => ran.includes(replica)))} (${entry.why})`, startedAt);
  }
  for (const { signal, cause } of service.signals) {
    const startedAt = context.now();
    const sent: Replica[] = [];
    await Promise.all(
      replicas.map(async (replica) => {
        try {
          await engine.killContainer(replica.id, { killSignal: signal, signal: context.forceSignal });
          sent.push(replica);
        } catch (error) {
          if (context.forceSignal.aborted) throw new CancelledError();
          result.errors.push(`cannot send ${signal} to ${replica.name}: ${messageOf(error)}`);
        }
      }),
    );
    if (sent.length > 0) result.record(`sent ${signal} to ${names(replicas.filter((replica) => sent.includes(replica)))} (${cause})`, startedAt);
  }
}

/** The container's Config.User ('' = root), or undefined when it cannot be inspected. */
async function userOfContainer(context: CarryOutContext, replica: Replica): Promise<string | undefined> {
  const details = await context.engine.inspectContainer(replica.id, { signal: context.forceSignal }).catch(() => undefined);
  return details === undefined ? undefined : (details.user ?? '');
}

/** Removes the images a rebuild replaced, when no tag names them and no container uses them. */
async function pruneReplaced(engine: Engine, previous: ReadonlySet<string>, current: ReadonlySet<string>, context: CarryOutContext): Promise<void> {
  for (const id of previous) {
    if (id === '' || current.has(id)) continue;
    const image = await engine.inspectImage(id, { signal: context.forceSignal }).catch(() => undefined);
    if (!image || image.repoTags.length > 0) continue;
    // Not forced: an image another container still uses stays.
    await engine.removeImage(id, { signal: context.forceSignal }).catch(() => undefined);
  }
}

function planContext(context: CarryOutContext, progress: ProgressReporter) {
  return {
    engine: context.engine,
    progress,
    signal: context.signal,
    forceSignal: context.forceSignal,
    warn: context.warn,
    ...(context.parallel === undefined ? {} : { parallel: context.parallel }),
  };
}
