/**
 * The tar archive a sync sends to the engine's archive API (extracted at `/`): one entry per
 * changed file, a synced directory with everything below it that its rule does not ignore.
 *
 * - Symbolic links are written as links, with their target as it is, never followed: a link to
 *   a file outside the watched tree does not copy that file's content (reliability P17). The
 *   engine refuses a whole archive for one relative link that climbs above the directory it is
 *   extracted in (`invalid symlink`), so such links are left out of it and returned: the caller
 *   sends them in an archive of their own extracted at `/` (linkArchive). One that climbs even
 *   above `/` is refused there too; it is returned as refused, and nothing is sent for it.
 * - Owners are the container user's (see container-user.ts); modes and times are the host's.
 * - With `createParents` (the caller extracts above a directory it found missing), every
 *   directory between the extraction point and an entry is written too, 0755 and owned by the
 *   container's user, as `mkdir -p` run by that user would leave them: the engine would create
 *   them as root, and the user could not write in its own sync target later.
 * - Nothing is written at or below a bind mount of the service (see decide.ts).
 * - Sockets, fifos and devices are skipped; a path that disappeared since the event is skipped.
 */
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, posix } from 'node:path';
import { pack, type Headers } from 'tar-stream';
import type { FileOwner } from './container-user.js';
import type { SyncEntry } from './decide.js';

export interface SyncArchive {
  readonly archive: Buffer;
  /** Regular files and symbolic links written. */
  readonly files: number;
  readonly directories: number;
  /** Links whose relative target climbs above the extraction point: for linkArchive. */
  readonly linksAboveBase: readonly SyncLink[];
  /** Links whose relative target climbs above the container's root: the engine accepts them nowhere. */
  readonly refusedLinks: readonly SyncLink[];
}

export interface SyncLink {
  readonly containerPath: string;
  readonly target: string;
  readonly mode: number;
  readonly mtime: Date;
}

/** Whether a relative link target, followed from `directory`, climbs above `base` (both container paths). */
function climbsAbove(base: string, directory: string, target: string): boolean {
  if (posix.isAbsolute(target)) return false;
  let depth = posix.relative(base, directory).split('/').filter((segment) => segment !== '').length;
  for (const segment of target.split('/')) {
    if (segment === '..') depth--;
    else if (segment !== '.' && segment !== '') depth++;
    if (depth < 0) return true;
  }
  return false;
}

/** A tar packer, the promise of its bytes once finalized, and an entry writer that waits for each entry. */
function packer(): { archive: ReturnType<typeof pack>; finished: Promise<Buffer>; write: (headers: Headers, content?: Buffer) => Promise<void> } {
  const archive = pack();
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    archive.on('data', (chunk: Buffer) => chunks.push(chunk));
    archive.on('end', () => resolve(Buffer.concat(chunks)));
    archive.on('error', reject);
  });
  const write = (headers: Headers, content?: Buffer): Promise<void> =>
    new Promise((resolve, reject) => {
      const callback = (error?: Error | null): void => (error ? reject(error) : resolve());
      if (content !== undefined) archive.entry(headers, content, callback);
      else archive.entry(headers, callback);
    });
  return { archive, finished, write };
}

/** An archive of links alone, extracted at `/` (their directories exist by then: the main archive made them). */
export async function linkArchive(links: readonly SyncLink[], owner: FileOwner): Promise<Buffer> {
  const { archive, finished, write } = packer();
  for (const link of links) {
    await write({ name: posix.relative('/', link.containerPath), type: 'symlink', linkname: link.target, mode: link.mode, mtime: link.mtime, uid: owner.uid, gid: owner.gid });
  }
  archive.finalize();
  return finished;
}

function withinAny(path: string, ancestors: readonly string[]): boolean {
  return ancestors.some((ancestor) => path === ancestor || ancestor === '/' || path.startsWith(`${ancestor}/`));
}

export interface SyncArchiveOptions {
  /** The directory the archive is extracted at (every entry lies below it, or is it); default `/`. */
  readonly base?: string;
  /** Write the directories between `base` and each entry (they do not exist in the container). */
  readonly createParents?: boolean;
}

/** Builds the archive for `entries`, with names relative to the extraction point. */
export async function buildSyncArchive(entries: readonly SyncEntry[], owner: FileOwner, bindTargets: readonly string[], options: SyncArchiveOptions = {}): Promise<SyncArchive> {
  const base = options.base ?? '/';
  const { archive, finished, write } = packer();
  const counts = { files: 0, directories: 0 };
  const linksAboveBase: SyncLink[] = [];
  const refusedLinks: SyncLink[] = [];

  const header = (containerPath: string, stats: Stats, type: Headers['type']): Headers => ({
    name: posix.relative(base, containerPath) || '.',
    type,
    mode: stats.mode & 0o7777,
    mtime: stats.mtime,
    uid: owner.uid,
    gid: owner.gid,
  });

  const written = new Set<string>();
  const writeParents = async (containerPath: string): Promise<void> => {
    const parents: string[] = [];
    for (let parent = posix.dirname(containerPath); parent !== base && parent !== '/'; parent = posix.dirname(parent)) parents.unshift(parent);
    for (const parent of parents) {
      if (written.has(parent)) continue;
      written.add(parent);
      await write({ name: posix.relative(base, parent), type: 'directory', mode: 0o755, mtime: new Date(), uid: owner.uid, gid: owner.gid });
    }
  };

  const add = async (entry: SyncEntry, hostPath: string, containerPath: string, top = false): Promise<void> => {
    if (withinAny(containerPath, bindTargets)) return;
    const stats = await lstat(hostPath).catch(() => undefined);
    if (!stats) return;
    if (top && options.createParents) await writeParents(containerPath);
    if (stats.isSymbolicLink()) {
      const target = await readlink(hostPath);
      const directory = posix.dirname(containerPath);
      if (climbsAbove(base, directory, target)) {
        const link = { containerPath, target, mode: stats.mode & 0o7777, mtime: stats.mtime };
        (climbsAbove('/', directory, target) ? refusedLinks : linksAboveBase).push(link);
        return;
      }
      await write({ ...header(containerPath, stats, 'symlink'), linkname: target });
      counts.files++;
    } else if (stats.isFile()) {
      const content = await readFile(hostPath).catch(() => undefined);
      if (content === undefined) return;
      await write({ ...header(containerPath, stats, 'file'), size: content.length }, content);
      counts.files++;
    } else if (stats.isDirectory()) {
      await write(header(containerPath, stats, 'directory'));
      counts.directories++;
      const names = await readdir(hostPath).catch(() => [] as string[]);
      for (const name of names.sort()) {
        const childHost = join(hostPath, name);
        const childStats = await lstat(childHost).catch(() => undefined);
        if (!childStats) continue;
        const directory = childStats.isDirectory();
        if (entry.filter.ignores(childHost, directory)) continue;
        await add(entry, childHost, posix.join(containerPath, name));
      }
    }
  };

  for (const entry of entries) await add(entry, entry.hostPath, entry.containerPath, true);
  archive.finalize();
  return { archive: await finished, ...counts, linksAboveBase, refusedLinks };
}
