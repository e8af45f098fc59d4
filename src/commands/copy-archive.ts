/**
 * The tar side of `cp`, as `docker cp` does it: a host path packed with its root entry renamed
 * (the name it gets at the destination), and an archive from the engine extracted on the host
 * with its root entry renamed the same way. Symbolic links are copied as links; owners are kept in
 * the archive (the engine applies them with `-a`) and restored on the host with `-a` when allowed.
 * An entry that would land outside the destination (`..`, absolute names) is refused.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import type { Stats } from 'node:fs';
import { chown, lchown, lstat, mkdir, readdir, readlink, stat, symlink, unlink, utimes } from 'node:fs/promises';
import { dirname, join, posix, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { extract, pack, type Headers } from 'tar-stream';
import { TscomposeError } from '../errors.js';

/** A tar stream of `hostPath` whose root entry is called `rootName` (`.` packs the contents only). */
export function packHostPath(hostPath: string, rootName: string, options: { readonly followLink: boolean }): NodeJS.ReadableStream {
  const archive = pack();
  const write = (headers: Headers, content?: NodeJS.ReadableStream): Promise<void> =>
    new Promise((resolveWrite, reject) => {
      const done = (error?: Error | null): void => (error ? reject(error) : resolveWrite());
      if (content === undefined) {
        archive.entry(headers, done);
        return;
      }
      const sink = archive.entry(headers, done);
      content.on('error', reject);
      content.pipe(sink);
    });
  const header = (name: string, stats: Stats, type: Headers['type']): Headers => ({
    name,
    type,
    mode: stats.mode & 0o7777,
    mtime: stats.mtime,
    uid: stats.uid,
    gid: stats.gid,
  });
  const add = async (path: string, name: string, top: boolean): Promise<void> => {
    const stats = top && options.followLink ? await stat(path) : await lstat(path);
    if (stats.isSymbolicLink()) {
      await write({ ...header(name, stats, 'symlink'), linkname: await readlink(path) });
    } else if (stats.isFile()) {
      await write({ ...header(name, stats, 'file'), size: stats.size }, createReadStream(path));
    } else if (stats.isDirectory()) {
      if (name !== '.') await write(header(name, stats, 'directory'));
      for (const child of (await readdir(path)).sort()) await add(join(path, child), name === '.' ? child : posix.join(name, child), false);
    }
    // Sockets, fifos and devices are not copied (as docker cp).
  };
  add(hostPath, rootName, true).then(
    () => archive.finalize(),
    (error: Error) => archive.destroy(error),
  );
  return archive;
}

export interface ExtractOptions {
  /** The directory entries are written under. */
  readonly into: string;
  /** The archive's root entry name, and what it becomes (`undefined` keeps every name). */
  readonly rename?: { readonly from: string; readonly to: string };
  /** `-a`: restore owners (only possible as root). */
  readonly keepOwners: boolean;
}

/** Extracts an archive from the engine into a host directory. */
export async function extractToHost(archive: NodeJS.ReadableStream, options: ExtractOptions): Promise<void> {
  const root = resolve(options.into);
  const chownAllowed = options.keepOwners && process.getuid?.() === 0;
  const directoryTimes: { path: string; mtime: Date }[] = [];
  const extractor = extract();
  extractor.on('entry', (headers, stream, next) => {
    const finish = (error?: unknown): void => {
      if (error) extractor.destroy(error as Error);
      else next();
    };
    writeEntry(headers, stream).then(() => finish(), finish);
  });

  const writeEntry = async (headers: Headers, stream: NodeJS.ReadableStream): Promise<void> => {
    const name = renamed(headers.name.replace(/\/+$/, ''), options.rename);
    const target = resolve(root, name);
    if (target !== root && !target.startsWith(`${root}${sep}`)) {
      throw new TscomposeError(`refusing to write "${headers.name}" from the container's archive: it points outside ${options.into}`);
    }
    const mtime = headers.mtime ?? new Date();
    switch (headers.type) {
      case 'directory':
        await mkdir(target, { recursive: true, mode: headers.mode });
        directoryTimes.push({ path: target, mtime });
        break;
      case 'symlink':
        await mkdir(dirname(target), { recursive: true });
        await unlink(target).catch(() => undefined);
        await symlink(headers.linkname ?? '', target);
        break;
      case 'file':
      case undefined:
        await mkdir(dirname(target), { recursive: true });
        await pipeline(stream, createWriteStream(target, { mode: headers.mode }));
        await utimes(target, mtime, mtime);
        break;
      default:
        // Hard links, devices and fifos are skipped, as on a host without the privileges to make them.
        break;
    }
    stream.resume();
    if (chownAllowed && headers.uid !== undefined && headers.gid !== undefined) {
      await (headers.type === 'symlink' ? lchown : chown)(target, headers.uid, headers.gid).catch(() => undefined);
    }
  };

  await pipeline(archive, extractor);
  // Directory times last: writing into a directory changes its time.
  for (const entry of directoryTimes.reverse()) await utimes(entry.path, entry.mtime, entry.mtime).catch(() => undefined);
}

function renamed(name: string, rename: ExtractOptions['rename']): string {
  if (rename === undefined) return name;
  if (name === rename.from) return rename.to;
  if (name.startsWith(`${rename.from}/`)) return `${rename.to}${name.slice(rename.from.length)}`;
  return name;
}
