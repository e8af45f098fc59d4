/**
 * `ps` output in Docker Compose's shapes (checked against `docker compose ps` 2.26): the table
 * (NAME, IMAGE, COMMAND, SERVICE, CREATED, STATUS, PORTS), one JSON object per line with
 * Compose's fields and Go's escaping (templates: ps-template.ts). Pure: the containers and the
 * clock come in as data.
 */
import type { ContainerSummary, PublishedPort } from '../../apply/engine.js';
import { LABEL } from '../../model/labels.js';
import { goJson, goQuote } from './go-json.js';
import { humanDuration } from './human-duration.js';
import { renderTable } from './table.js';
import type { InspectedState } from '../../api/ps.js';

/** What `docker compose ps --format json` prints per container, keys in its (sorted) order. */
export interface PsEntry {
  readonly Command: string;
  readonly CreatedAt: string;
  readonly ExitCode: number;
  readonly Health: string;
  readonly ID: string;
  readonly Image: string;
  readonly Labels: string;
  readonly LocalVolumes: string;
  readonly Mounts: string;
  readonly Name: string;
  readonly Names: string;
  readonly Networks: string;
  readonly Ports: string;
  readonly Project: string;
  readonly Publishers: readonly Publisher[] | null;
  readonly RunningFor: string;
  readonly Service: string;
  readonly Size: string;
  readonly State: string;
  readonly Status: string;
}

export interface Publisher {
  readonly URL: string;
  readonly TargetPort: number;
  readonly PublishedPort: number;
  readonly Protocol: string;
}

/** What only an inspect tells: health of a running container, exit code of a stopped one. */
export interface PsFormatOptions {
  /** Milliseconds since the epoch. */
  readonly now: number;
  /** `--no-trunc`: full IDs and commands. */
  readonly noTrunc?: boolean;
}

/**
 * Fields the default table does not show are computed when read (a template or JSON reads them):
 * the labels of a container tscompose made include its recorded configuration, and the creation
 * time in a named zone builds an Intl formatter, per container.
 */
export function toPsEntry(container: ContainerSummary, inspected: InspectedState, options: PsFormatOptions): PsEntry {
  const ports = sortPorts(container.ports);
  const command = container.command ?? '';
  return {
    Command: goQuote(options.noTrunc ? command : ellipsis(command, 20)),
    get CreatedAt() {
      return goTimeString(container.created * 1000);
    },
    ExitCode: inspected.exitCode,
    Health: inspected.health,
    ID: options.noTrunc ? container.id : container.id.slice(0, 12),
    Image: container.image,
    get Labels() {
      return Object.keys(container.labels)
        .sort()
        .map((key) => `${key}=${container.labels[key]}`)
        .join(',');
    },
    get LocalVolumes() {
      return String(container.mounts.filter((mount) => mount.driver === 'local').length);
    },
    get Mounts() {
      return container.mounts.map((mount) => mount.name ?? mount.source).join(',');
    },
    Name: container.name,
    Names: container.name,
    get Networks() {
      return [...container.networks].sort().join(',');
    },
    Ports: displayablePorts(ports),
    Project: container.labels[LABEL.project] ?? '',
    get Publishers() {
      return ports.length === 0
        ? null
        : ports.map((port) => ({ URL: port.hostIp ?? '', TargetPort: port.privatePort, PublishedPort: port.publicPort ?? 0, Protocol: port.protocol }));
    },
    RunningFor: `${humanDuration(Math.max(0, options.now - container.created * 1000))} ago`,
    Service: container.labels[LABEL.service] ?? '',
    Size: '0B',
    State: container.status,
    Status: container.statusText,
  };
}

export const PS_TABLE_HEADER = ['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'] as const;

export function psTable(entries: readonly PsEntry[]): string {
  return renderTable([
    [...PS_TABLE_HEADER],
    ...entries.map((entry) => [entry.Name, entry.Image, entry.Command, entry.Service, entry.RunningFor, entry.Status, entry.Ports]),
  ]);
}

/** One line of JSON, escaped like Go's encoding/json (`<`, `>`, `&` as \u003c...). */
export function psJsonLine(entry: PsEntry): string {
  return goJson(entry);
}

/** Sorted the way the engine's list is read by Compose: container port, then address, host port, protocol. */
function sortPorts(ports: readonly PublishedPort[]): PublishedPort[] {
  return [...ports].sort(
    (a, b) =>
      a.privatePort - b.privatePort ||
      compare(a.hostIp ?? '', b.hostIp ?? '') ||
      (a.publicPort ?? 0) - (b.publicPort ?? 0) ||
      compare(a.protocol, b.protocol),
  );
}

/**
 * The Docker CLI's PORTS column: ports published on the same number (and unpublished ones) are
 * grouped into ranges, `8000-8001/tcp`; mappings to other host ports are listed one by one,
 * `127.0.0.1:18982->80/tcp`.
 */
export function displayablePorts(ports: readonly PublishedPort[]): string {
  const groups = new Map<string, { first: number; last: number }>();
  const result: string[] = [];
  const mappings: string[] = [];
  for (const port of sortPorts(ports)) {
    let key = port.protocol;
    if (port.hostIp !== undefined && port.hostIp !== '') {
      if (port.publicPort !== port.privatePort) {
        mappings.push(`${port.hostIp}:${port.publicPort ?? 0}->${port.privatePort}/${port.protocol}`);
        continue;
      }
      key = `${port.hostIp}/${port.protocol}`;
    }
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { first: port.privatePort, last: port.privatePort });
    } else if (port.privatePort === group.last + 1) {
      group.last = port.privatePort;
    } else {
      result.push(formGroup(key, group));
      groups.set(key, { first: port.privatePort, last: port.privatePort });
    }
  }
  for (const [key, group] of groups) result.push(formGroup(key, group));
  return [...result, ...mappings].join(', ');
}

function formGroup(key: string, group: { first: number; last: number }): string {
  const slash = key.lastIndexOf('/');
  const ip = slash < 0 ? '' : key.slice(0, slash);
  const protocol = slash < 0 ? key : key.slice(slash + 1);
  const range = group.first === group.last ? `${group.first}` : `${group.first}-${group.last}`;
  return ip === '' ? `${range}/${protocol}` : `${ip}:${range}->${range}/${protocol}`;
}

/** The Docker CLI's ellipsis: at most `max` characters, the last one `…` when cut. */
export function ellipsis(text: string, max: number): string {
  const characters = [...text];
  if (characters.length <= max) return text;
  return `${characters.slice(0, max - 1).join('')}…`;
}

/** Go's time.Time.String() in local time: `2026-11-23 18:20:55 +0000 UTC`. */
export function goTimeString(milliseconds: number): string {
  const date = new Date(milliseconds);
  const two = (value: number): string => String(value).padStart(2, '0');
  const offsetMinutes = -date.getTimezoneOffset();
  const sign = offsetMinutes < 0 ? '-' : '+';
  const offset = `${sign}${two(Math.floor(Math.abs(offsetMinutes) / 60))}${two(Math.abs(offsetMinutes) % 60)}`;
  const zone =
    offsetMinutes === 0
      ? 'UTC'
      : (new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? offset);
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())} ${offset} ${zone}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
