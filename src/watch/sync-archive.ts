/**
 * The tar archive a sync sends to the engine's archive API (extracted at `/`): one entry per
 * changed file, a synced directory with everything below it that its rule does not ignore.
 *
 * - Symbolic links are written as links, with their target as it is, never followed: a link to
 *   a file outside the watched tree does not copy that file's content (reliability P17).
 * - Owners are the container user's (see container-user.ts); modes and times are the host's.
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
}

function withinAny(path: string, ancestors: readonly string[]): boolean {
  return ancestors.some((ancestor) => path === ancestor || ancestor === '/' || path.startsWith(`${ancestor}/`));
}

/**
 * Builds the archive for `entries`, with names relative to `base` (the directory it is extracted
 * at; every entry must lie below it, or be it).
 */
export async function buildSyncArchive(entries: readonly SyncEntry[], owner: FileOwner, bindTargets: readonly string[], base = '/'): Promise<SyncArchive> {
  const archive = pack();
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    archive.on('data', (chunk: Buffer) => chunks.push(chunk));
    archive.on('end', () => resolve(Buffer.concat(chunks)));
    archive.on('error', reject);
  });
  const counts = { files: 0, directories: 0 };

  const write = (headers: Headers, content?: Buffer): Promise<void> =>
    new Promise((resolve, reject) => {
      const callback = (error?: Error | null): void => (error ? reject(error) : resolve());
      if (content !== undefined) archive.entry(headers, content, callback);
      else archive.entry(headers, callback);
    });

  const header = (containerPath: string, stats: Stats, type: Headers['type']): Headers => ({
    name: posix.relative(base, containerPath) || '.',
    type,
    mode: stats.mode & 0o7777,
    mtime: stats.mtime,
    uid: owner.uid,
    gid: owner.gid,
  });

  const add = async (entry: SyncEntry, hostPath: string, containerPath: string): Promise<void> => {
    if (withinAny(containerPath, bindTargets)) return;
    const stats = await lstat(hostPath).catch(() => undefined);
    if (!stats) return;
    if (stats.isSymbolicLink()) {
      await write({ ...header(containerPath, stats, 'symlink'), linkname: await readlink(hostPath) });
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

  for (const entry of entries) await add(entry, entry.hostPath, entry.containerPath);
  archive.finalize();
  return { archive: await finished, ...counts };
}
