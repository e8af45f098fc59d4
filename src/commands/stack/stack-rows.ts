/**
 * The rows of `stack ls`, `stack services` and `stack ps`, with docker stack's columns, JSON fields
 * and wording, so scripts written against `docker stack` read tscompose's output the same way.
 * Pure: the engine's answers and the clock come in.
 */
import type { NodeInfo, ServiceInfo, ServicePort, TaskInfo } from '../../apply/swarm-engine.js';
import { STACK_LABEL } from '../../model/stack/names.js';
import { modeName } from '../../plan/stack/compare-service.js';
import { humanDuration } from '../output/human-duration.js';

export interface StackRow {
  readonly Name: string;
  readonly Services: string;
}

export interface ServiceRow {
  readonly ID: string;
  readonly Name: string;
  readonly Mode: string;
  readonly Replicas: string;
  readonly Image: string;
  readonly Ports: string;
}

export interface TaskRow {
  readonly ID: string;
  readonly Name: string;
  readonly Image: string;
  readonly Node: string;
  readonly DesiredState: string;
  readonly CurrentState: string;
  readonly Error: string;
  readonly Ports: string;
}

/** Stacks by name ("natural" order: numbers inside names compare as numbers), with their service counts. */
export function stackRows(services: readonly ServiceInfo[]): StackRow[] {
  const counts = new Map<string, number>();
  for (const service of services) {
    const stack = service.spec.Labels?.[STACK_LABEL.namespace];
    if (stack !== undefined) counts.set(stack, (counts.get(stack) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
    .map(([name, count]) => ({ Name: name, Services: String(count) }));
}

export function serviceRows(services: readonly ServiceInfo[], noTrunc = false): ServiceRow[] {
  return [...services]
    .sort((a, b) => compare(a.spec.Name, b.spec.Name))
    .map((service) => ({
      ID: noTrunc ? service.id : service.id.slice(0, 12),
      Name: service.spec.Name,
      Mode: modeName(service.spec),
      Replicas: replicasText(service),
      Image: imageText(service.spec.TaskTemplate?.ContainerSpec?.Image ?? '', noTrunc),
      Ports: portsText(service.endpointPorts),
    }));
}

/** `2/3` running of desired; jobs add their completions, as the Docker CLI shows them. */
function replicasText(service: ServiceInfo): string {
  const running = service.runningTasks ?? 0;
  const desired = service.desiredTasks ?? 0;
  const mode = service.spec.Mode;
  if (mode && 'ReplicatedJob' in mode) return `${running}/${desired} (${service.completedTasks ?? 0}/${mode.ReplicatedJob.TotalCompletions ?? 1} completed)`;
  if (mode && 'GlobalJob' in mode) return `${running}/${desired} (${service.completedTasks ?? 0}/${desired} completed)`;
  const max = mode && 'Replicated' in mode ? service.spec.TaskTemplate?.Placement?.MaxReplicas : undefined;
  return max ? `${running}/${desired} (max ${max} per node)` : `${running}/${desired}`;
}

/** The image without its digest (unless --no-trunc). */
function imageText(image: string, noTrunc: boolean): string {
  return noTrunc ? image : image.replace(/@sha256:[0-9a-f]+$/, '');
}

/** `*:8080->80/tcp`, ports of one protocol and mode merged into ranges as the Docker CLI prints them. */
export function portsText(ports: readonly ServicePort[]): string {
  return [...ports]
    .sort((a, b) => (a.PublishedPort ?? 0) - (b.PublishedPort ?? 0) || a.TargetPort - b.TargetPort)
    .map((port) => `*:${port.PublishedPort ?? ''}->${port.TargetPort}/${port.Protocol || 'tcp'}`)
    .join(', ');
}

export interface TaskRowOptions {
  readonly noTrunc: boolean;
  /** Show node IDs rather than host names (`--no-resolve`). */
  readonly noResolve: boolean;
  readonly now: number;
}

/**
 * Tasks as `docker stack ps` lists them: by service and slot (or node), the newest first in each,
 * the older ones marked ` \_ `.
 */
export function taskRows(tasks: readonly TaskInfo[], services: readonly ServiceInfo[], nodes: readonly NodeInfo[], options: TaskRowOptions): TaskRow[] {
  const serviceNames = new Map(services.map((service) => [service.id, service.spec.Name]));
  const nodeNames = new Map(nodes.map((node) => [node.id, node.hostname]));
  const nameOf = (task: TaskInfo): string => {
    const service = options.noResolve ? task.serviceId : (serviceNames.get(task.serviceId) ?? task.serviceId);
    return `${service}.${task.slot ?? task.nodeId}`;
  };
  const sorted = [...tasks].sort((a, b) => compare(nameOf(a), nameOf(b)) || compare(b.createdAt, a.createdAt));
  let previous = '';
  return sorted.map((task) => {
    const name = nameOf(task);
    const row: TaskRow = {
      ID: options.noTrunc ? task.id : task.id.slice(0, 12),
      Name: name === previous ? ` \\_ ${name}` : name,
      Image: imageText(task.image, options.noTrunc),
      Node: options.noResolve ? task.nodeId : (nodeNames.get(task.nodeId) ?? task.nodeId),
      DesiredState: capitalise(task.desiredState),
      CurrentState: `${capitalise(task.state)} ${ago(task.timestamp, options.now)}`,
      Error: errorText(task.error, options.noTrunc),
      Ports: portsText(task.ports),
    };
    previous = name;
    return row;
  });
}

function ago(timestamp: string, now: number): string {
  const time = Date.parse(timestamp);
  if (!Number.isFinite(time)) return '';
  const text = humanDuration(Math.max(0, now - time));
  return `${text === 'Less than a second' ? 'less than a second' : text} ago`;
}

function errorText(error: string, noTrunc: boolean): string {
  if (error === '') return '';
  if (noTrunc) return error;
  // The Docker CLI quotes the error and cuts it at 30 characters.
  const cut = [...error].length > 29 ? `${[...error].slice(0, 29).join('')}…` : error;
  return JSON.stringify(cut);
}

function capitalise(text: string): string {
  return text === '' ? text : `${text[0].toUpperCase()}${text.slice(1)}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
