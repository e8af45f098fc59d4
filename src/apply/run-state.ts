/**
 * What a plan's run knows as it goes: the containers its create steps made (a planned reference
 * resolves to them), the current container of each replica (what `service:x` names, updated as
 * containers are created and removed), and which containers a recreate replaces.
 */
import { TscomposeError } from '../errors.js';
import { isProjectContainer } from '../model/labels.js';
import { parseTemporaryName } from '../plan/names.js';
import { containerNumber, containerService, isOneOff, type ObservedState } from '../plan/observed.js';
import type { ContainerRef, CreateContainerOp, PlanNode } from '../plan/plan.js';

export class RunState {
  /** create node id -> the new container's id. */
  private readonly created = new Map<number, string>();
  /** service -> replica number -> current container id (what `service:x` resolves to). */
  private readonly current = new Map<string, Map<number, string>>();
  /** Containers a recreate replaces. */
  private readonly replacedIds = new Set<string>();
  private readonly createOps = new Map<number, CreateContainerOp>();

  constructor(nodes: readonly PlanNode[], projectName: string | undefined, observed: ObservedState | undefined) {
    for (const node of nodes) {
      if (node.op.type !== 'create-container') continue;
      this.createOps.set(node.id, node.op);
      if (node.op.replaces) this.replacedIds.add(node.op.replaces.id);
    }
    for (const container of observed?.containers ?? []) {
      if (projectName === undefined || !isProjectContainer(container.labels, projectName) || isOneOff(container)) continue;
      const service = containerService(container);
      const number = containerNumber(container);
      if (service === undefined || number === undefined) continue;
      const replicas = this.current.get(service) ?? new Map<number, string>();
      // A container under a temporary name only stands for its replica when nothing else does.
      if (!replicas.has(number) || parseTemporaryName(container.name) === undefined) replicas.set(number, container.id);
      this.current.set(service, replicas);
    }
  }

  /** Resolves a reference to a container id (a planned one must have been created by now). */
  resolve(ref: ContainerRef): string {
    if (ref.kind === 'observed') return ref.id;
    const id = this.created.get(ref.createdBy);
    if (id === undefined) throw new TscomposeError(`container ${ref.name} was not created (plan node #${ref.createdBy} did not run)`);
    return id;
  }

  /** The id of a referenced container when it exists yet. */
  idOf(ref: ContainerRef): string | undefined {
    return ref.kind === 'observed' ? ref.id : this.created.get(ref.createdBy);
  }

  /** The name users know: a replacement's final name, also while it has its temporary one. */
  displayName(ref: ContainerRef): string {
    if (ref.kind === 'observed') return ref.name;
    return this.createOps.get(ref.createdBy)?.finalName ?? ref.name;
  }

  /** Whether a recreate replaces this container (stopping and removing it is part of "Recreate"). */
  isReplaced(id: string): boolean {
    return this.replacedIds.has(id);
  }

  /** A create step made a container (in a dry run, a stand-in id). */
  recordCreated(nodeId: number, id: string): void {
    this.created.set(nodeId, id);
  }

  /** The container is now the replica's current one. */
  setCurrent(service: string, number: number, id: string): void {
    const replicas = this.current.get(service) ?? new Map<number, string>();
    replicas.set(number, id);
    this.current.set(service, replicas);
  }

  /** The container is gone. */
  forget(id: string): void {
    for (const replicas of this.current.values()) {
      for (const [number, candidate] of replicas) if (candidate === id) replicas.delete(number);
    }
  }

  /** The current containers of a service, first replica first: what `service:x` resolves to. */
  containersOf(service: string): string[] {
    const replicas = this.current.get(service);
    if (replicas === undefined) return [];
    return [...replicas.entries()].sort(([a], [b]) => a - b).map(([, id]) => id);
  }
}
