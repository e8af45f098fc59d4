/**
 * A plan's run in Compose's progress vocabulary: which resource each step reports under
 * (`Container p-web-1`, `Network p_default`, `Volume "p_data"`), the words for doing and done
 * (Creating/Created, Recreate/Recreated, ...), and whether a done event ends the resource's line or
 * more steps for it follow (a container is Created, then Started, then Healthy).
 */
import type { PlanNode } from '../plan/plan.js';
import { silentProgress, type ProgressEvent, type ProgressReporter } from './progress.js';
import type { RunState } from './run-state.js';

export function containerId(name: string): string {
  return `Container ${name}`;
}

export class PlanProgress implements ProgressReporter {
  /** Progress id -> plan nodes not yet finished that report under it (see ProgressEvent.final). */
  private readonly unfinished = new Map<string, number>();
  private readonly view: ProgressReporter;

  constructor(
    private readonly nodes: readonly PlanNode[],
    private readonly state: RunState,
    view: ProgressReporter | undefined,
    /** The caller reports more about the containers after the plan (`up --wait`). */
    private readonly containerEventsFollow: boolean,
  ) {
    this.view = view ?? silentProgress;
    for (const node of nodes) {
      for (const id of this.reportingIds(node)) this.unfinished.set(id, (this.unfinished.get(id) ?? 0) + 1);
    }
  }

  start(ids?: readonly string[]): void {
    this.view.start(ids);
  }

  event(event: ProgressEvent): void {
    this.view.event(this.withFinality(event));
  }

  stop(): Promise<void> {
    return this.view.stop();
  }

  /** The progress id a node reports under, or undefined for steps that are part of another's story. */
  displayId(node: PlanNode): string | undefined {
    const op = node.op;
    switch (op.type) {
      case 'create-network':
      case 'remove-network':
        return `Network ${op.name}`;
      case 'create-volume':
        // Compose quotes the name when creating, not when removing.
        return `Volume "${op.name}"`;
      case 'remove-volume':
        return `Volume ${op.name}`;
      case 'create-container':
        return containerId(op.finalName);
      case 'stop-container':
      case 'remove-container':
        return op.container.kind === 'observed' && this.state.isReplaced(op.container.id) ? undefined : containerId(this.state.displayName(op.container));
      case 'rename-container':
        return op.container.kind === 'planned' ? undefined : containerId(op.newName);
      case 'start-container':
      case 'restart-container':
        return containerId(this.state.displayName(op.container));
      case 'wait-dependency':
        return undefined;
    }
  }

  /** The ids a terminal view should lay out before anything happens. */
  displayIds(): string[] {
    const ids = new Set<string>();
    for (const node of this.nodes) {
      if (node.op.type === 'wait-dependency') {
        for (const ref of node.op.containers) ids.add(containerId(this.state.displayName(ref)));
        continue;
      }
      const id = this.displayId(node);
      if (id !== undefined) ids.add(id);
    }
    return [...ids];
  }

  /** A node is over: its resources' next done event may be their last. */
  finish(node: PlanNode): void {
    for (const id of this.reportingIds(node)) this.unfinished.set(id, (this.unfinished.get(id) ?? 1) - 1);
  }

  /** Compose's words for a step in progress and done. */
  words(node: PlanNode): [string, string] {
    const op = node.op;
    switch (op.type) {
      case 'create-network':
      case 'create-volume':
        return ['Creating', 'Created'];
      case 'create-container':
        return op.replaces ? ['Recreate', 'Recreated'] : ['Creating', 'Created'];
      case 'start-container':
        return ['Starting', 'Started'];
      case 'stop-container':
        return ['Stopping', 'Stopped'];
      case 'restart-container':
        return ['Restarting', 'Started'];
      case 'remove-container':
      case 'remove-network':
      case 'remove-volume':
        return ['Removing', 'Removed'];
      case 'rename-container':
        return ['Renaming', 'Renamed'];
      case 'wait-dependency':
        return ['Waiting', 'Healthy'];
    }
  }

  /** The progress ids a node's events are reported under. */
  private reportingIds(node: PlanNode): string[] {
    if (node.op.type === 'wait-dependency') return node.op.containers.map((ref) => containerId(this.state.displayName(ref)));
    const id = this.displayId(node);
    return id === undefined ? [] : [id];
  }

  /** Marks a done/warning event as not final while other steps for the same resource remain. */
  private withFinality(event: ProgressEvent): ProgressEvent {
    if (event.state === 'working' || event.state === 'error' || event.final !== undefined) return event;
    const more = (this.unfinished.get(event.id) ?? 0) > 0 || (this.containerEventsFollow && event.id.startsWith('Container '));
    return more ? { ...event, final: false } : event;
  }
}
