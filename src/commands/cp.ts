/**
 * `tscompose cp SERVICE:SRC DEST` and `cp SRC SERVICE:DEST`: files between a service's containers
 * and the host, with `docker cp`'s rules (a directory destination receives the source under its
 * own name, `SRC/.` copies a directory's contents, a missing destination is created with the
 * source's content, `-` is a tar stream on stdin or stdout). Into the service: every container of
 * it (`--all` adds one-off containers), or the one `--index` names; out of it: the first (or
 * `--index`) container, stopped ones included. `-a` keeps owners, `-L` follows a link named as
 * the source.
 */
import { lstat, stat } from 'node:fs/promises';
import { basename, posix, resolve } from 'node:path';
import type { ContainerSummary, Engine } from '../apply/engine.js';
import { done, working } from '../apply/progress.js';
import type { Context } from '../context.js';
import { TscomposeError, UsageError } from '../errors.js';
import { packHostPath, extractToHost } from './copy-archive.js';
import { withContainerSession } from './container-actions.js';
import { loadProjectOrName, rejectUnknownServiceNames } from './project-or-name.js';
import { byReplica, isOneOffContainer, pickServiceContainer, projectContainersOf } from '../api/service-containers.js';

export interface CpOptions {
  readonly archive: boolean;
  readonly followLink: boolean;
  readonly index?: number;
  readonly all: boolean;
}

interface ContainerPath {
  readonly service: string;
  readonly path: string;
}

/** `SERVICE:PATH`, or undefined for a host path (absolute and `./x:y` paths are the host's, as for docker cp). */
export function containerPathOf(argument: string): ContainerPath | undefined {
  if (argument === '-' || argument.startsWith('/') || argument.startsWith('.')) return undefined;
  const colon = argument.indexOf(':');
  if (colon <= 0) return undefined;
  return { service: argument.slice(0, colon), path: argument.slice(colon + 1) };
}

const DIRECTORY = 2 ** 31;
const SYMLINK = 2 ** 27;

export async function cpCommand(ctx: Context, source: string, destination: string, options: CpOptions): Promise<void> {
  const from = containerPathOf(source);
  const to = containerPathOf(destination);
  if ((from === undefined) === (to === undefined)) {
    throw new UsageError('cp copies between a service and the host: one of SOURCE and DESTINATION must be SERVICE:PATH, the other a local path or -');
  }
  const { name, project } = await loadProjectOrName(ctx);
  rejectUnknownServiceNames(project, [(from ?? to)!.service]);
  await withContainerSession(ctx, async (engine, progress) => {
    if (from) {
      const container = await pickServiceContainer(ctx, engine, name, from.service, { stopped: true, ...(options.index === undefined ? {} : { index: options.index }) });
      const id = `${container.name} copy ${container.name}:${from.path} to ${destination}`;
      progress.event(working(id, 'Copying'));
      if (!ctx.options.dryRun) await copyFromContainer(ctx, engine, container, from.path, destination, options);
      progress.event(done(id, 'Copied'));
      return;
    }
    const containers = await targetContainers(ctx, engine, name, to!.service, options);
    await Promise.all(
      containers.map(async (container) => {
        const id = `${container.name} copy ${source} to ${container.name}:${to!.path}`;
        progress.event(working(id, 'Copying'));
        if (!ctx.options.dryRun) await copyToContainer(ctx, engine, container, source, to!.path, options);
        progress.event(done(id, 'Copied'));
      }),
    );
  });
}

async function targetContainers(ctx: Context, engine: Engine, project: string, service: string, options: CpOptions): Promise<ContainerSummary[]> {
  if (options.index !== undefined && options.index > 0) return [await pickServiceContainer(ctx, engine, project, service, { stopped: true, index: options.index })];
  const containers = (await projectContainersOf(ctx, engine, project, [service]))
    .filter((container) => options.all || !isOneOffContainer(container))
    .sort(byReplica);
  if (containers.length === 0) throw new UsageError(`no container found for service "${service}"`);
  return containers;
}

async function copyToContainer(ctx: Context, engine: Engine, container: ContainerSummary, source: string, target: string, options: CpOptions): Promise<void> {
  const call = { signal: ctx.forceSignal, ...(options.archive ? { copyUidGid: true } : {}) };
  if (source === '-') {
    // A tar stream on stdin is extracted as it is, into a directory.
    await engine.extractArchive(container.id, target, ctx.stdin, call);
    return;
  }
  const hostPath = resolve(ctx.cwd, source);
  const local = await (options.followLink ? stat(hostPath) : lstat(hostPath)).catch(() => undefined);
  if (local === undefined) throw new TscomposeError(`could not copy ${source}: no such file or directory`);
  const contentsOnly = source.endsWith('/.') && local.isDirectory();
  const existing = await engine.statContainerPath(container.id, target, { signal: ctx.forceSignal });
  if (existing !== undefined && (existing.mode & DIRECTORY) !== 0) {
    await engine.extractArchive(container.id, target, packHostPath(hostPath, contentsOnly ? '.' : basename(hostPath), options), call);
    return;
  }
  if (existing !== undefined && local.isDirectory()) throw new TscomposeError(`cannot copy directory ${source} onto the file ${container.name}:${target}`);
  if (existing === undefined && target.endsWith('/')) throw new TscomposeError(`the directory ${container.name}:${target} does not exist`);
  await engine.extractArchive(container.id, posix.dirname(target), packHostPath(hostPath, posix.basename(target), options), call);
}

async function copyFromContainer(ctx: Context, engine: Engine, container: ContainerSummary, source: string, destination: string, options: CpOptions): Promise<void> {
  const call = { signal: ctx.forceSignal };
  let path = source;
  let stat = await engine.statContainerPath(container.id, path, call);
  if (stat === undefined) throw new TscomposeError(`could not find ${source} in container ${container.name}`);
  if (options.followLink && (stat.mode & SYMLINK) !== 0) {
    path = posix.resolve(posix.dirname(source), stat.linkTarget);
    stat = await engine.statContainerPath(container.id, path, call);
    if (stat === undefined) throw new TscomposeError(`${source} in container ${container.name} is a link to ${path}, which does not exist`);
  }
  const archive = await engine.archiveStream(container.id, path, call);
  if (destination === '-') {
    await new Promise<void>((resolveCopy, reject) => {
      archive.on('error', reject);
      archive.on('end', resolveCopy);
      archive.pipe(ctx.stdout, { end: false });
    });
    return;
  }
  const rootName = posix.basename(path.replace(/\/\.$/, '').replace(/\/+$/, '')) || '/';
  const sourceIsDirectory = (stat.mode & DIRECTORY) !== 0;
  const hostPath = resolve(ctx.cwd, destination);
  const local = await lstat(hostPath).catch(() => undefined);
  const keepOwners = options.archive;
  if (local?.isDirectory()) {
    const into = source.endsWith('/.') && sourceIsDirectory ? '.' : posix.basename(source.replace(/\/+$/, '')) || rootName;
    await extractToHost(archive, { into: hostPath, rename: { from: rootName, to: into }, keepOwners });
    return;
  }
  if (local !== undefined && sourceIsDirectory) throw new TscomposeError(`cannot copy directory ${container.name}:${source} onto the file ${destination}`);
  if (local === undefined && destination.endsWith('/')) throw new TscomposeError(`the directory ${destination} does not exist`);
  await extractToHost(archive, { into: resolve(hostPath, '..'), rename: { from: rootName, to: basename(hostPath) }, keepOwners });
}
