/**
 * reconcile(project, observed, options) -> Plan: what `up` (and `create`, with noStart) must do to
 * bring the engine to the project. Pure: no engine calls, no clock; the same input gives the same
 * plan, node for node.
 *
 * Phases, in node order:
 * 1. networks and volumes the targeted services use (networks-and-volumes.ts); a missing external
 *    one or a foreign same-name network is an error before any node exists;
 * 2. containers, service by service in dependency order: repairs of interrupted runs, scale down,
 *    recreate (create the replacement under a temporary name), scale up, while unchanged
 *    containers are left alone;
 * 3. orphans: a warning, or stop + remove with `removeOrphans`;
 * 4. the start phase (start-phase.ts), unless noStart: waits, starts, and the rest of each
 *    recreate (stop old -> start new -> remove old -> rename).
 */
import { sealedAppliedConfig, type SealKey } from '../model/applied-config.js';
import { LABEL, containerLabels, isProjectContainer, type AppliedConfigRecord } from '../model/labels.js';
import { composeConfigHash } from '../model/compose-hash.js';
import { canonicalServiceConfig, type CanonicalValue } from '../model/hash.js';
import type { Project, Service } from '../model/types.js';
import { describeConfigChange } from './config-change.js';
import { ReconcileError } from './errors.js';
import { NAMESPACE_EDGE_KINDS, referencedService, serviceGraph, volumesFromService, type ServiceGraph } from './graph.js';
import { containerName, resourceId, serviceImageReference, temporaryName } from './names.js';
import { inheritedVolumes, planRenewedVolumeRemovals } from './inherited-volumes.js';
import { addCreateVolume, planNetworksAndVolumes } from './networks-and-volumes.js';
import {
  changesSinceApplied,
  containerNumber,
  containerService,
  describeState,
  isActive,
  isOneOff,
  type ObservedContainer,
  type ObservedState,
} from './observed.js';
import { isOrphan, knownServiceNames, observedRef, orphanWarning, projectContainers, stopTimeoutSeconds } from './ownership.js';
import { PlanBuilder, type ContainerRef, type InheritedVolume, type Plan } from './plan.js';
import { newReplicaNumbers, resolveReplicas, type Replica } from './replicas.js';
import { desiredScale, projectNetwork, serviceNetworkKeys, serviceVolumeKeys } from './service-needs.js';
import { planStartPhase, type StartItem } from './start-phase.js';
import { targetServices } from './targets.js';
import { noSuchServiceMessage } from '../validate/no-such-service.js';

/** `diverged`: recreate what changed (default); `force`: recreate everything; `never`: recreate nothing. */
export type RecreatePolicy = 'diverged' | 'force' | 'never';

export interface ReconcileOptions {
  /** Written to `com.docker.compose.version`. */
  readonly toolVersion: string;
  /** Seals secret-bearing values in the recorded configs (model/applied-config.ts). */
  readonly sealKey: SealKey;
  /** Services named on the command line; empty or absent = all enabled services. */
  readonly services?: readonly string[];
  /** Only the named services, not their dependencies (`--no-deps`): those are neither touched nor waited on. */
  readonly noDeps?: boolean;
  /** For the named services (all when none are named): `--force-recreate` = force, `--no-recreate` = never. */
  readonly recreate?: RecreatePolicy;
  /** For dependencies pulled in by the named services: `--always-recreate-deps` = force. */
  readonly recreateDependencies?: RecreatePolicy;
  readonly removeOrphans?: boolean;
  /** `--scale svc=n`, overriding `scale` and `deploy.replicas`. */
  readonly scale?: Readonly<Record<string, number>>;
  /** `-V`: replacements get fresh anonymous volumes (the old ones are removed with the old container). */
  readonly renewAnonVolumes?: boolean;
  /** `--no-start` / `create`: create and recreate, start nothing. */
  readonly noStart?: boolean;
  /** `-t`: stop timeout, overriding `stop_grace_period`. */
  readonly timeoutSeconds?: number;
  /** `--wait-timeout`: the deadline put on wait nodes. */
  readonly waitTimeoutSeconds?: number;
  /** Keys of the volumes whose changed definition the user confirmed recreating (`up -y`, the prompt): P18. */
  readonly recreateVolumes?: ReadonlySet<string>;
  /**
   * This plan follows another run's change met while applying (a re-plan). A replica found
   * missing then takes the lowest free number instead of one after the highest: two runs that both
   * find it missing collide on its final name and one re-plans, instead of both creating it, each
   * under a number of its own (P16).
   */
  readonly afterConcurrentChange?: boolean;
}

interface DesiredService {
  readonly service: Service;
  /** tscompose's own record of the service (hash.ts), written sealed to the applied-config label. */
  readonly canonical: CanonicalValue;
  readonly appliedConfig: AppliedConfigRecord;
  /** Docker Compose's config hash (compose-hash.ts), written to com.docker.compose.config-hash. */
  readonly hash: string;
}

class UpReconciler {
  private readonly builder = new PlanBuilder();
  private readonly graph: ServiceGraph;
  /** Services this run converges (the named ones plus their dependencies unless noDeps). */
  private readonly targets: ReadonlySet<string>;
  /** Services named on the command line (or all): they get `recreate`, the rest `recreateDependencies`. */
  private readonly named: ReadonlySet<string>;
  private readonly containers: readonly ObservedContainer[];
  private readonly byService = new Map<string, ObservedContainer[]>();
  /** Services whose containers a volume recreation removed: why they are created again, and what each replica inherits. */
  private readonly afterVolumeRecreation = new Map<string, { cause: string; inherit: ReadonlyMap<number, InheritedVolume[]> }>();
  /** Containers the engine is removing (or failed to remove: a removal racing a start can stick). */
  private readonly removingByService = new Map<string, ObservedContainer[]>();
  private networkNodes: ReadonlyMap<string, number> = new Map();
  private volumeNodes: ReadonlyMap<string, number> = new Map();
  /** Per service: the nodes creating or renaming its containers (dependents' creates follow them). */
  private readonly createEnds = new Map<string, number[]>();
  private readonly startItems = new Map<string, StartItem[]>();
  private readonly finalRefs = new Map<string, ContainerRef[]>();
  /** Per service: the containers it keeps, by replica number (namespace checks read them). */
  private readonly keptContainers = new Map<string, ObservedContainer[]>();
  private readonly recreated = new Set<string>();
  private readonly stoppedByPlan = new Map<string, number>();
  private readonly problems: string[] = [];

  constructor(
    private readonly project: Project,
    private readonly observed: ObservedState,
    private readonly options: ReconcileOptions,
  ) {
    this.graph = serviceGraph(project.services);
    const requested = options.services ?? [];
    for (const name of requested) {
      if (project.services[name] === undefined) this.problems.push(noSuchServiceMessage([name], Object.keys(project.services)));
    }
    for (const name of Object.keys(options.scale ?? {}).sort()) {
      if (project.services[name] === undefined) this.problems.push(noSuchServiceMessage([name], Object.keys(project.services)));
    }
    this.throwProblems();
    this.named = new Set(requested.length > 0 ? requested : this.graph.services);
    this.targets = new Set(targetServices(this.graph, requested, options.noDeps));
    this.containers = projectContainers(observed, project.name);
    for (const container of this.containers) {
      const service = containerService(container);
      if (service === undefined || isOneOff(container)) continue;
      this.byService.set(service, [...(this.byService.get(service) ?? []), container]);
    }
    for (const container of observed.containers) {
      const service = containerService(container);
      // Without a name it holds nothing (the engine can list such a ghost of a failed removal for good).
      if (container.state !== 'removing' || container.name === '' || service === undefined || isOneOff(container)) continue;
      if (!isProjectContainer(container.labels, project.name)) continue;
      this.removingByService.set(service, [...(this.removingByService.get(service) ?? []), container]);
    }
  }

  plan(): Plan {
    this.checkScale();
    const needs = planNetworksAndVolumes(
      this.builder,
      this.project,
      this.observed,
      [...this.targets].map((name) => this.project.services[name]),
      this.options,
    );
    this.networkNodes = needs.networkNodes;
    this.volumeNodes = needs.volumeNodes;
    this.problems.push(...needs.problems);
    this.throwProblems();
    this.planVolumeRecreation(needs.volumesToRecreate);
    for (const name of this.graph.startOrder()) {
      if (this.targets.has(name)) this.planService(this.project.services[name]);
      else this.planUntargetedService(this.project.services[name]);
    }
    this.planOrphans();
    if (!this.options.noStart) {
      planStartPhase({
        builder: this.builder,
        graph: this.graph,
        service: (name) => this.project.services[name],
        items: this.startItems,
        finalRefs: this.finalRefs,
        waitsOn: (dependency) =>
          (this.targets.has(dependency) || this.startItems.has(dependency)) &&
          desiredScale(this.project.services[dependency], this.options.scale) > 0,
        stoppedByPlan: this.stoppedByPlan,
        waitsAlways: this.targets,
        ...(this.options.renewAnonVolumes ? { renewAnonVolumes: { observed: this.observed, project: this.project } } : {}),
        timeoutSeconds: this.options.timeoutSeconds,
        waitTimeoutSeconds: this.options.waitTimeoutSeconds,
      });
    }
    return this.builder.build();
  }

  /**
   * A volume whose changed definition the user confirmed recreating (P18): the containers that
   * mount it (directly or through volumes_from) are stopped and removed, then the volume, which is
   * created again from the file; their replicas are created afresh after it, each taking over the
   * anonymous volumes of the container it replaces. A volume also used by a service outside this
   * run is kept, with a warning: removing that service's containers is not what the run asked for.
   */
  private planVolumeRecreation(keys: readonly string[]): void {
    const accepted: string[] = [];
    const affected = new Set<string>();
    for (const key of keys) {
      const users = this.servicesUsingVolume(key);
      const outside = users.filter((name) => !this.targets.has(name));
      if (outside.length > 0) {
        const them = outside.length === 1 ? 'it' : 'them';
        this.builder.warn(
          `volume "${this.project.volumes[key].name}" is kept: it is also used by ${outside.join(', ')}, which this run does not include ` +
            `(name ${them} too to recreate the volume)`,
        );
        continue;
      }
      accepted.push(key);
      for (const name of users) affected.add(name);
    }
    if (accepted.length === 0) return;
    const names = accepted.map((key) => this.project.volumes[key].name).join(', ');
    const removals: number[] = [];
    for (const name of [...affected].sort()) {
      const service = this.project.services[name];
      const inherit = new Map<number, InheritedVolume[]>();
      for (const container of this.byService.get(name) ?? []) {
        const number = containerNumber(container) ?? 0;
        removals.push(this.stopAndRemove(container, service, resourceId.replica(name, number), `volume ${names} is recreated`));
        const image = this.observed.images[serviceImageReference(this.project.name, service)]?.volumes;
        inherit.set(number, inheritedVolumes(service, container, image, this.observed, this.project));
      }
      this.byService.set(name, []);
      this.afterVolumeRecreation.set(name, { cause: `volume ${names} was recreated`, inherit });
    }
    const volumeNodes = new Map(this.volumeNodes);
    for (const key of accepted) {
      const name = this.project.volumes[key].name;
      const remove = this.builder.add({ type: 'remove-volume', name }, resourceId.volume(key), 'its definition changed: recreate it (confirmed)', removals);
      volumeNodes.set(key, addCreateVolume(this.builder, this.project, key, this.options, 'created again from the compose file', [remove]));
    }
    this.volumeNodes = volumeNodes;
  }

  /** Services whose containers mount the volume: directly, or through volumes_from of such a service. */
  private servicesUsingVolume(key: string): string[] {
    const all = Object.values(this.project.services);
    const users = new Set(all.filter((service) => serviceVolumeKeys(service, this.project).includes(key)).map((service) => service.name));
    for (let grew = true; grew; ) {
      grew = false;
      for (const service of all) {
        if (users.has(service.name)) continue;
        if ((service.volumes_from ?? []).some((entry) => users.has(volumesFromService(entry) ?? ''))) {
          users.add(service.name);
          grew = true;
        }
      }
    }
    return [...users].sort();
  }

  private throwProblems(): void {
    if (this.problems.length > 0) throw new ReconcileError(this.problems);
  }

  private checkScale(): void {
    for (const name of this.targets) {
      const service = this.project.services[name];
      const scale = desiredScale(service, this.options.scale);
      if (service.container_name !== undefined && scale > 1) {
        this.problems.push(
          `service "${name}" sets container_name "${service.container_name}", which must be unique, so it cannot be scaled to ${scale}`,
        );
      }
    }
  }

  // ---- containers ---------------------------------------------------------------------------

  /**
   * The sealed record and Compose's hash are made when first read: only a create, or a container
   * whose record cannot be compared, reads them, and most runs of `up` change nothing. Reading the
   * hash later within the service's planning gives the same value: the services it refers to are
   * planned before it and decided.
   */
  private desired(service: Service): DesiredService {
    const canonical = canonicalServiceConfig(service, this.project);
    const { sealKey } = this.options;
    const containerOf = (name: string): string | undefined => this.keptFirstContainer(name);
    const project = this.project;
    let appliedConfig: AppliedConfigRecord | undefined;
    let hash: string | undefined;
    return {
      service,
      canonical,
      get appliedConfig() {
        return (appliedConfig ??= { text: sealedAppliedConfig('service', canonical, sealKey), keyId: sealKey.id });
      },
      get hash() {
        return (hash ??= composeConfigHash(service, project, { containerOf }));
      },
    };
  }

  /**
   * The container a `service:x` reference resolves to in Compose's hash: x's first container by
   * name, when x keeps its containers in this plan. Services are planned in dependency order, so x
   * is decided already; a recreated x gets a new id (the referring service is recreated too, and
   * its hash is computed again when its container is made).
   */
  private keptFirstContainer(name: string): string | undefined {
    if (this.recreated.has(name)) return undefined;
    const containers = this.keptContainers.get(name) ?? this.byService.get(name) ?? [];
    return [...containers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))[0]?.id;
  }

  private infrastructureNodes(service: Service): number[] {
    const nodes: number[] = [];
    for (const key of serviceNetworkKeys(service)) {
      const node = this.networkNodes.get(key);
      if (node !== undefined) nodes.push(node);
    }
    for (const key of serviceVolumeKeys(service, this.project)) {
      const node = this.volumeNodes.get(key);
      if (node !== undefined) nodes.push(node);
    }
    return nodes;
  }

  private dependencyCreateNodes(service: Service): number[] {
    return this.graph.dependencies(service.name).flatMap((edge) => this.createEnds.get(edge.service) ?? []);
  }

  private policyFor(name: string): RecreatePolicy {
    return (this.named.has(name) ? this.options.recreate : this.options.recreateDependencies) ?? 'diverged';
  }

  /** Why a container must be recreated; empty = keep it. */
  private recreateReasons(desired: DesiredService, container: ObservedContainer): string[] {
    const { service } = desired;
    const policy = this.policyFor(service.name);
    if (policy === 'never') return [];
    if (policy === 'force') return [this.named.has(service.name) ? 'forced by --force-recreate' : 'forced by --always-recreate-deps'];
    const reasons: string[] = [];
    if (container.state === 'dead') reasons.push('the container is dead');
    for (const edge of this.graph.dependencies(service.name)) {
      const kind = edge.kinds.find((candidate) => NAMESPACE_EDGE_KINDS.has(candidate));
      if (kind !== undefined && this.recreated.has(edge.service)) {
        reasons.push(`dependency ${edge.service} was recreated (${kind})`);
      }
    }
    const configChanges = this.configChanges(desired, container);
    reasons.push(...configChanges);
    const reference = serviceImageReference(this.project.name, service);
    const image = this.observed.images[reference];
    // A new image name is named above; the same name with another ID was rebuilt or pulled.
    const renamed = configChanges.some((change) => change.startsWith('image '));
    if (image !== undefined && container.imageId !== image.id && !renamed) reasons.push(`image ${reference} was rebuilt or pulled`);
    for (const key of serviceNetworkKeys(service)) {
      const name = projectNetwork(this.project, key)?.name ?? `${this.project.name}_${key}`;
      if (this.networkNodes.has(key)) reasons.push(`network ${name} not found`);
      else if (isActive(container) && !container.networks.includes(name)) reasons.push(`not connected to network ${name}`);
    }
    const stale = this.staleNamespace(service, container);
    if (stale !== undefined) reasons.push(stale);
    return reasons;
  }

  /**
   * How the container's configuration differs from the file's, in words (config-change.ts); empty
   * when it does not. A container whose applied-config record can be compared (made by tscompose,
   * under this user's key) is judged by that record, field by field: it sees a changed secret
   * content that Compose's hash misses, and ignores what never reaches the engine (depends_on,
   * profiles, develop). Any other container (made by Docker Compose, or recorded under another
   * user's key) is judged by Compose's config hash, which both tools write: so switching tools
   * recreates nothing.
   */
  private configChanges(desired: DesiredService, container: ObservedContainer): string[] {
    const changes = changesSinceApplied('service', container.labels, desired.canonical, this.options.sealKey);
    if (changes !== undefined && !changes.valuesHidden) {
      if (changes.paths.length === 0) return [];
      const words = describeConfigChange(changes.applied, changes.desired);
      return words.length > 0 ? words : ['configuration changed'];
    }
    if (container.labels[LABEL.configHash] === desired.hash) return [];
    if (changes === undefined) return ['configuration changed (created by another tool, which records no details)'];
    const words = describeConfigChange(changes.applied, changes.desired);
    if (words.length === 0) words.push('configuration changed');
    words[words.length - 1] += ' (values recorded by another user are not compared)';
    return words;
  }

  /** `network_mode: service:x` pointing at a container that is no longer x's (x recreated out of band). */
  private staleNamespace(service: Service, container: ObservedContainer): string | undefined {
    const parent = referencedService(service.network_mode);
    if (parent === undefined || this.recreated.has(parent) || container.networkMode === undefined) return undefined;
    if (!container.networkMode.startsWith('container:')) return `network_mode is not ${service.network_mode}`;
    const id = container.networkMode.slice('container:'.length);
    const parents = this.keptContainers.get(parent) ?? this.byService.get(parent) ?? [];
    if (parents.some((candidate) => candidate.id.startsWith(id) || candidate.name === id)) return undefined;
    return `network namespace of ${parent} changed`;
  }

  private labelsFor(desired: DesiredService, number: number, replaces?: string): Record<string, string> {
    const image = this.observed.images[serviceImageReference(this.project.name, desired.service)];
    return containerLabels({
      project: this.project,
      service: desired.service,
      number,
      configHash: desired.hash,
      appliedConfig: desired.appliedConfig,
      toolVersion: this.options.toolVersion,
      ...(image === undefined ? {} : { imageId: image.id }),
      ...(replaces === undefined ? {} : { replaces }),
    });
  }

  /** Stop (when it holds resources) and remove a container; returns the remove node. */
  private stopAndRemove(
    container: ObservedContainer,
    service: Service | undefined,
    resource: string,
    cause: string,
    removeAnonymousVolumes = false,
  ): number {
    let after: number[] = [];
    if (isActive(container)) {
      const existing = this.stoppedByPlan.get(container.id);
      const stop =
        existing ??
        this.builder.add(
          {
            type: 'stop-container',
            container: observedRef(container),
            ...optionalTimeout(stopTimeoutSeconds(service, this.options.timeoutSeconds)),
            ...(service === undefined ? {} : { service: service.name }),
          },
          resource,
          cause,
        );
      this.stoppedByPlan.set(container.id, stop);
      after = [stop];
    }
    return this.builder.add({ type: 'remove-container', container: observedRef(container), removeAnonymousVolumes }, resource, cause, after);
  }

  /** Whether a `restart: true` dependency of this service is recreated in this plan. */
  private recreatedRestartDependency(service: Service): string | undefined {
    return this.graph
      .dependencies(service.name)
      .find((edge) => edge.dependsOn?.restart === true && this.recreated.has(edge.service))?.service;
  }

  private planService(service: Service): void {
    const name = service.name;
    const desired = this.desired(service);
    const scale = desiredScale(service, this.options.scale);
    const observedContainers = this.byService.get(name) ?? [];
    const resolution = resolveReplicas(this.project.name, service, observedContainers);
    for (const container of resolution.unnumbered) {
      this.builder.warn(`container ${container.name} of service ${name} has no valid ${LABEL.containerNumber} label; it is left alone`);
    }
    // A discarded replacement holds the temporary name a new recreate of its replica takes: that
    // create waits for its removal (the name conflict would otherwise read as a concurrent run).
    const discarded = new Map<number, number[]>();
    for (const discard of resolution.discards) {
      const remove = this.stopAndRemove(discard.container, service, resourceId.replica(name, discard.number), discard.cause);
      discarded.set(discard.number, [...(discarded.get(discard.number) ?? []), remove]);
    }
    // A container still being removed holds its name: removed again (best effort: the engine may
    // still be at it), and every create of the service waits for that.
    const removals: number[] = [];
    for (const container of this.removingByService.get(name) ?? []) {
      removals.push(
        this.builder.add(
          { type: 'remove-container', container: observedRef(container), removeAnonymousVolumes: false },
          resourceId.replica(name, containerNumber(container) ?? 0),
          'repair: a removal that did not finish',
          [],
          { bestEffort: true },
        ),
      );
    }

    const decided = resolution.replicas.map((replica) => ({ replica, reasons: this.recreateReasons(desired, replica.container) }));
    // Scale down removes containers that would be recreated first, then the highest numbers.
    const removalOrder = [...decided].sort((a, b) => {
      const obsolete = Number(b.reasons.length > 0) - Number(a.reasons.length > 0);
      return obsolete !== 0 ? obsolete : b.replica.number - a.replica.number;
    });
    const removed = new Set(removalOrder.slice(0, Math.max(0, decided.length - scale)).map((entry) => entry.replica.number));

    const infrastructure = this.infrastructureNodes(service);
    const dependencyCreates = this.dependencyCreateNodes(service);
    const creates: number[] = [];
    const items: StartItem[] = [];
    const refs: ContainerRef[] = [];
    const kept: ObservedContainer[] = [];

    for (const { replica, reasons } of decided) {
      const resource = resourceId.replica(name, replica.number);
      if (removed.has(replica.number)) {
        if (replica.removeFirst) this.stopAndRemove(replica.removeFirst, service, resource, 'scale down');
        this.stopAndRemove(replica.container, service, resource, 'scale down');
        continue;
      }
      const repairs: number[] = [];
      if (replica.removeFirst) {
        repairs.push(this.stopAndRemove(replica.removeFirst, service, resource, replica.repairCause!));
      }
      if (reasons.length > 0) {
        const after = [...infrastructure, ...dependencyCreates, ...repairs, ...(discarded.get(replica.number) ?? []), ...removals];
        this.planRecreate(desired, replica, reasons, after, creates, items, refs);
        continue;
      }
      kept.push(replica.container);
      const finalName = replica.renameTo ?? replica.container.name;
      let after = repairs;
      if (replica.renameTo) {
        const rename = this.builder.add(
          { type: 'rename-container', container: observedRef(replica.container), newName: replica.renameTo },
          resource,
          replica.repairCause!,
          [...repairs, ...removals],
        );
        creates.push(rename);
        after = [rename];
      }
      const ref = observedRef(replica.container, finalName);
      refs.push(ref);
      const restartCause = this.recreatedRestartDependency(service);
      if (!isActive(replica.container)) {
        items.push({ number: replica.number, ref, cause: describeState(replica.container), after });
      } else if (restartCause !== undefined) {
        items.push({
          number: replica.number,
          ref,
          cause: `dependency ${restartCause} is recreated (restart: true)`,
          after,
          restartAfterStop: replica.container,
        });
      } else if (replica.container.state === 'restarting') {
        // The engine's restart back-off grows to a minute: what made it crash may be fixed by now
        // (a file it needs), so it is started now and judged by what it does then.
        items.push({ number: replica.number, ref, cause: 'in the engine\'s restart back-off: restarted now', after, restartNow: true });
      }
    }

    this.planScaleUp(desired, scale - (decided.length - removed.size), [...infrastructure, ...dependencyCreates, ...removals], creates, items, refs);

    // Dependents' creates follow this service's, or (when it creates nothing) what it follows.
    this.createEnds.set(name, creates.length > 0 ? creates : dependencyCreates);
    this.startItems.set(name, items.sort((a, b) => a.number - b.number));
    this.finalRefs.set(name, refs);
    this.keptContainers.set(name, kept);
  }

  private planRecreate(
    desired: DesiredService,
    replica: Replica,
    reasons: readonly string[],
    after: readonly number[],
    creates: number[],
    items: StartItem[],
    refs: ContainerRef[],
  ): void {
    const { service } = desired;
    const old = replica.container;
    const resource = resourceId.replica(service.name, replica.number);
    const finalName = containerName(this.project.name, service, replica.number);
    const name = temporaryName(old.id, finalName);
    const create = this.builder.add(
      {
        type: 'create-container',
        service,
        number: replica.number,
        name,
        finalName,
        labels: this.labelsFor(desired, replica.number, old.id),
        inheritVolumes: this.options.renewAnonVolumes
          ? []
          : inheritedVolumes(service, old, this.observed.images[serviceImageReference(this.project.name, service)]?.volumes, this.observed, this.project),
        replaces: { id: old.id, name: old.name },
      },
      resource,
      reasons.join(', '),
      after,
    );
    this.recreated.add(service.name);
    creates.push(create);
    const ref: ContainerRef = { kind: 'planned', createdBy: create, name };
    refs.push(ref);
    if (!this.options.noStart) {
      items.push({ number: replica.number, ref, cause: `replaces ${old.name}`, after: [create], replacement: { old, create, finalName } });
      return;
    }
    // Nothing is started: finish the recreate at once (create -> stop old -> remove old -> rename).
    const cause = `replaced by #${create}`;
    const removeAfter = [create];
    if (isActive(old)) {
      const stop =
        this.stoppedByPlan.get(old.id) ??
        this.builder.add(
          {
            type: 'stop-container',
            container: observedRef(old),
            ...optionalTimeout(stopTimeoutSeconds(service, this.options.timeoutSeconds)),
            service: service.name,
          },
          resource,
          cause,
          [create],
        );
      this.stoppedByPlan.set(old.id, stop);
      removeAfter.push(stop);
    }
    const remove = this.builder.add(
      { type: 'remove-container', container: observedRef(old), removeAnonymousVolumes: this.options.renewAnonVolumes ?? false },
      resource,
      cause,
      removeAfter,
    );
    if (this.options.renewAnonVolumes) planRenewedVolumeRemovals(this.builder, old, { observed: this.observed, project: this.project }, resource, remove);
    creates.push(this.builder.add({ type: 'rename-container', container: ref, newName: finalName }, resource, 'finalize recreate', [remove]));
  }

  private planScaleUp(
    desired: DesiredService,
    count: number,
    after: readonly number[],
    creates: number[],
    items: StartItem[],
    refs: ContainerRef[],
  ): void {
    if (count <= 0) return;
    const { service } = desired;
    const existing = this.byService.get(service.name) ?? [];
    const numbers = existing.map(containerNumber).filter((number): number is number => number !== undefined);
    const recreation = this.afterVolumeRecreation.get(service.name);
    const cause = recreation?.cause ?? (existing.length > 0 ? 'scale up' : 'not found');
    for (const number of newReplicaNumbers(numbers, count, this.options.afterConcurrentChange === true)) {
      const name = containerName(this.project.name, service, number);
      const create = this.builder.add(
        {
          type: 'create-container',
          service,
          number,
          name,
          finalName: name,
          labels: this.labelsFor(desired, number),
          inheritVolumes: this.options.renewAnonVolumes ? [] : (recreation?.inherit.get(number) ?? []),
        },
        resourceId.replica(service.name, number),
        cause,
        after,
      );
      creates.push(create);
      const ref: ContainerRef = { kind: 'planned', createdBy: create, name };
      refs.push(ref);
      items.push({ number, ref, cause: 'new container', after: [create] });
    }
  }

  /**
   * A service this run does not converge: left alone, except that its running containers are
   * restarted when a `restart: true` dependency is recreated (modern Compose), and a warning when
   * it shares the namespace of a recreated service.
   */
  private planUntargetedService(service: Service): void {
    const resolution = resolveReplicas(this.project.name, service, this.byService.get(service.name) ?? []);
    this.createEnds.set(service.name, this.dependencyCreateNodes(service));
    const refs = resolution.replicas.map((replica) => observedRef(replica.container));
    this.finalRefs.set(service.name, refs);
    this.keptContainers.set(service.name, resolution.replicas.map((replica) => replica.container));
    for (const edge of this.graph.dependencies(service.name)) {
      const kind = edge.kinds.find((candidate) => NAMESPACE_EDGE_KINDS.has(candidate));
      if (kind !== undefined && this.recreated.has(edge.service) && resolution.replicas.length > 0) {
        this.builder.warn(
          `service ${service.name} uses ${edge.service} (${kind}), which is recreated; run "up ${service.name}" to recreate it too`,
        );
      }
    }
    const dependency = this.recreatedRestartDependency(service);
    if (dependency === undefined || this.options.noStart) return;
    const items: StartItem[] = resolution.replicas
      .filter((replica) => isActive(replica.container))
      .map((replica) => ({
        number: replica.number,
        ref: observedRef(replica.container),
        cause: `dependency ${dependency} is recreated (restart: true)`,
        after: [],
        restartAfterStop: replica.container,
      }));
    if (items.length > 0) this.startItems.set(service.name, items);
  }

  private planOrphans(): void {
    const known = knownServiceNames(this.project);
    const orphans = this.containers.filter((container) => isOrphan(container, known));
    if (orphans.length === 0) return;
    if (!this.options.removeOrphans) {
      this.builder.warn(orphanWarning(orphans));
      return;
    }
    for (const orphan of orphans) {
      this.stopAndRemove(orphan, undefined, resourceId.orphan(orphan.name), 'orphan');
    }
  }
}

function optionalTimeout(seconds: number | undefined): { timeoutSeconds?: number } {
  return seconds === undefined ? {} : { timeoutSeconds: seconds };
}

/**
 * Plans `up` (or `create` with `noStart`). Throws DependencyCycleError for a cycle and
 * ReconcileError (every problem at once) for an unknown service, a missing external resource, a
 * same-name network the project does not own, or an impossible scale, before any node exists.
 */
export function reconcile(project: Project, observed: ObservedState, options: ReconcileOptions): Plan {
  return new UpReconciler(project, observed, options).plan();
}
