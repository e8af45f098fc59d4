/**
 * `tscompose events [SERVICE...]`: the project's container events as they happen, until Ctrl-C.
 * `--json` prints one object per line exactly as Compose does (keys sorted, the time in RFC 3339
 * with nanoseconds, Compose's labels left out of the attributes); the text form is Compose's
 * line, with the attributes sorted. One-off containers' events are left out, as in Compose.
 */
import type { ContainerEvent } from '../apply/engine.js';
import type { Context } from '../context.js';
import { CancelledError } from '../errors.js';
import { LABEL } from '../model/labels.js';
import { openEngine } from './engine-session.js';
import { goJson } from './output/go-json.js';
import { loadProjectOrName, rejectUnknownServiceNames } from './project-or-name.js';

export async function eventsCommand(ctx: Context, services: readonly string[], options: { readonly json: boolean }): Promise<void> {
  const { name, project } = await loadProjectOrName(ctx);
  rejectUnknownServiceNames(project, services);
  const engine = await openEngine(ctx);
  try {
    for await (const event of engine.containerEvents(name, { signal: ctx.signal })) {
      if (event.attributes[LABEL.oneoff] === 'True') continue;
      const service = event.attributes[LABEL.service] ?? '';
      if (services.length > 0 && !services.includes(service)) continue;
      ctx.stdout.write(options.json ? `${eventJson(event, service)}\n` : `${eventText(event)}\n\n`);
    }
  } finally {
    engine.close();
  }
  // The stream ends only when the engine goes away or on Ctrl-C.
  if (ctx.signal.aborted) throw new CancelledError();
}

function ownAttributes(event: ContainerEvent): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const key of Object.keys(event.attributes).sort()) {
    if (!key.startsWith('com.docker.compose.')) attributes[key] = event.attributes[key];
  }
  return attributes;
}

export function eventJson(event: ContainerEvent, service: string): string {
  return goJson({
    action: event.action,
    attributes: ownAttributes(event),
    id: event.id,
    service,
    time: rfc3339Nano(event.timeNano),
    type: 'container',
  });
}

export function eventText(event: ContainerEvent): string {
  const attributes = Object.entries(ownAttributes(event)).map(([key, value]) => `${key}=${value}`);
  return `${localTimestamp(event.timeNano)} container ${event.action} ${event.id} (${attributes.join(', ')})`;
}

interface LocalTime {
  readonly date: string;
  readonly time: string;
  readonly nanos: string;
  readonly offsetMinutes: number;
}

function localTime(timeNano: bigint): LocalTime {
  const millis = Number(timeNano / 1_000_000n);
  const date = new Date(millis);
  const two = (value: number): string => String(value).padStart(2, '0');
  return {
    date: `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`,
    time: `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`,
    nanos: String(timeNano % 1_000_000_000n).padStart(9, '0'),
    offsetMinutes: -date.getTimezoneOffset(),
  };
}

/** Go's time.RFC3339Nano in local time: trailing zeros of the fraction dropped, `Z` for UTC. */
export function rfc3339Nano(timeNano: bigint): string {
  const local = localTime(timeNano);
  const fraction = local.nanos.replace(/0+$/, '');
  const offset = local.offsetMinutes;
  const zone =
    offset === 0
      ? 'Z'
      : `${offset > 0 ? '+' : '-'}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
  return `${local.date}T${local.time}${fraction === '' ? '' : `.${fraction}`}${zone}`;
}

/** Compose's `2006-01-02 15:04:05.000000`, local time. */
function localTimestamp(timeNano: bigint): string {
  const local = localTime(timeNano);
  return `${local.date} ${local.time}.${local.nanos.slice(0, 6)}`;
}
