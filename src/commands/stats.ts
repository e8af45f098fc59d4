/**
 * `tscompose stats [SERVICE...]`: the resource use of the project's containers, as `docker stats`
 * shows it (same columns, units and JSON fields), redrawn every half second until Ctrl-C, or
 * once with `--no-stream`. `-a` adds stopped containers; `--format` takes `table`, `json`,
 * `table TEMPLATE` or a template.
 */
import type { ContainerStatsSample, ContainerSummary, Engine } from '../apply/engine.js';
import { abortableSleep } from '../apply/abort-signals.js';
import type { Context } from '../context.js';
import { CancelledError } from '../errors.js';
import { openEngine } from './engine-session.js';
import { binarySize, humanSize } from './output/human-size.js';
import { renderFormatTemplate } from './output/format-template.js';
import { goJson } from './output/go-json.js';
import { GoMap, toGoValue } from './output/go-values.js';
import { loadProjectOrName, rejectUnknownServiceNames } from './project-or-name.js';
import { projectContainersOf } from '../api/service-containers.js';

export interface StatsOptions {
  readonly all: boolean;
  readonly noStream: boolean;
  readonly noTrunc: boolean;
  readonly format: string;
}

/** One row, with `docker stats`' field names (JSON keys sorted as Go prints them). */
export interface StatsRow {
  readonly BlockIO: string;
  readonly CPUPerc: string;
  readonly Container: string;
  readonly ID: string;
  readonly MemPerc: string;
  readonly MemUsage: string;
  readonly Name: string;
  readonly NetIO: string;
  readonly PIDs: string;
}

const HEADERS: Readonly<Record<keyof StatsRow, string>> = {
  Container: 'CONTAINER',
  ID: 'CONTAINER ID',
  Name: 'NAME',
  CPUPerc: 'CPU %',
  MemUsage: 'MEM USAGE / LIMIT',
  MemPerc: 'MEM %',
  NetIO: 'NET I/O',
  BlockIO: 'BLOCK I/O',
  PIDs: 'PIDS',
};

const DEFAULT_TABLE = 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}';
const REFRESH_MS = 500;

export async function statsCommand(ctx: Context, services: readonly string[], options: StatsOptions): Promise<void> {
  const { name, project } = await loadProjectOrName(ctx);
  rejectUnknownServiceNames(project, services);
  const engine = await openEngine(ctx);
  try {
    const containers = (await projectContainersOf(ctx, engine, name, services)).filter((container) => options.all || container.status === 'running');
    if (options.noStream) {
      const samples = await Promise.all(containers.map((container) => oneSample(engine, container, ctx.signal)));
      ctx.stdout.write(render(containers, samples, options));
      return;
    }
    await streamStats(ctx, engine, containers, options);
  } finally {
    engine.close();
  }
}

async function oneSample(engine: Engine, container: ContainerSummary, signal: AbortSignal): Promise<ContainerStatsSample | undefined> {
  if (container.status !== 'running') return undefined;
  for await (const sample of engine.containerStats(container.id, { stream: false, signal })) return sample;
  return undefined;
}

async function streamStats(ctx: Context, engine: Engine, containers: readonly ContainerSummary[], options: StatsOptions): Promise<void> {
  const latest = new Map<string, ContainerStatsSample>();
  const readers = containers
    .filter((container) => container.status === 'running')
    .map(async (container) => {
      for await (const sample of engine.containerStats(container.id, { stream: true, signal: ctx.signal })) latest.set(container.id, sample);
    });
  const reading = Promise.all(readers).catch(() => undefined);
  // A reader gone away (`stats | head`) ends the run, like Ctrl-C.
  const stop = new AbortController();
  const onInterrupt = (): void => stop.abort();
  ctx.signal.addEventListener('abort', onInterrupt, { once: true });
  ctx.stdout.once('error', onInterrupt);
  // The first reading of every container takes about a second: no table of zeros before it.
  for (let waited = 0; latest.size < readers.length && waited < 2000 && !stop.signal.aborted; waited += 100) {
    await abortableSleep(100, stop.signal).catch(() => undefined);
  }
  while (!stop.signal.aborted) {
    // Clear the screen and go home, as docker stats does, then the table.
    ctx.stdout.write(`\x1b[2J\x1b[H${render(containers, containers.map((container) => latest.get(container.id)), options)}`);
    await abortableSleep(REFRESH_MS, stop.signal).catch(() => undefined);
  }
  ctx.signal.removeEventListener('abort', onInterrupt);
  if (!ctx.signal.aborted) return;
  await reading;
  throw new CancelledError();
}

export function statsRow(container: ContainerSummary, sample: ContainerStatsSample | undefined, noTrunc: boolean): StatsRow {
  const id = noTrunc ? container.id : container.id.slice(0, 12);
  const s = sample ?? zero;
  const cpuDelta = s.cpuTotal - s.previousCpuTotal;
  const systemDelta = s.systemCpu - s.previousSystemCpu;
  const cpu = systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * s.onlineCpus * 100 : 0;
  const memory = s.memoryLimit > 0 ? (s.memoryUsage / s.memoryLimit) * 100 : 0;
  return {
    BlockIO: `${humanSize(s.blockRead)} / ${humanSize(s.blockWrite)}`,
    CPUPerc: `${cpu.toFixed(2)}%`,
    Container: id,
    ID: id,
    MemPerc: `${memory.toFixed(2)}%`,
    MemUsage: `${binarySize(s.memoryUsage)} / ${binarySize(s.memoryLimit)}`,
    Name: container.name,
    NetIO: `${humanSize(s.networkRx)} / ${humanSize(s.networkTx)}`,
    PIDs: String(s.pids),
  };
}

const zero: ContainerStatsSample = {
  cpuTotal: 0,
  systemCpu: 0,
  previousCpuTotal: 0,
  previousSystemCpu: 0,
  onlineCpus: 0,
  memoryUsage: 0,
  memoryLimit: 0,
  networkRx: 0,
  networkTx: 0,
  blockRead: 0,
  blockWrite: 0,
  pids: 0,
};

function render(containers: readonly ContainerSummary[], samples: readonly (ContainerStatsSample | undefined)[], options: StatsOptions): string {
  const rows = containers.map((container, index) => statsRow(container, samples[index], options.noTrunc));
  const format = options.format === 'table' ? DEFAULT_TABLE : options.format;
  if (format === 'json') return rows.map((row) => `${goJson(row)}\n`).join('');
  return renderFormatTemplate(format, rows.map((row) => toGoValue(row, '*formatter.statsContext')), new GoMap(new Map(Object.entries(HEADERS))));
}
