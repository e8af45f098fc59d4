/**
 * The sending side of BuildKit's FileSync `DiffCopy`: how the build context and the Dockerfile
 * reach the engine without a tar. The engine asks for a directory by name (`context`,
 * `dockerfile`) with include/exclude patterns; we answer with one STAT packet per entry (in the
 * order BuildKit's validator insists on: depth first, each directory's entries in byte order,
 * a directory before its contents), an empty STAT to end the listing, then the contents of the
 * files it requests (it skips those whose stat matches what it kept from an earlier build, which
 * is what makes a rebuild of a large context cheap).
 *
 * A synced directory may be partly virtual: files that exist only in the transfer (an inline
 * Dockerfile, the effective ignore file).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { ignoreMatcher } from '../build-context.js';
import { PACKET, type FileStat, type Packet } from './wire.js';

export interface SyncedDir {
  /** The real directory behind the root; undefined for a directory that is all virtual. */
  readonly root?: string;
  /** Files that exist only in the transfer, or replace a real one: path -> content. */
  readonly files?: Readonly<Record<string, Buffer>>;
}

/** What the engine asked for (the call's metadata). */
export interface TransferRequest {
  readonly includePatterns?: readonly string[];
  readonly excludePatterns?: readonly string[];
  readonly followPaths?: readonly string[];
}

/** One entry of the listing: its stat, and where a regular file's bytes come from. */
export interface SyncEntry {
  readonly stat: FileStat;
  readonly source?: { readonly path: string } | { readonly content: Buffer };
}

// Go's os.FileMode bits, which is what the stat's mode carries (not st_mode).
const GO_MODE = {
  dir: 2 ** 31,
  symlink: 2 ** 27,
  device: 2 ** 26,
  namedPipe: 2 ** 25,
  setuid: 2 ** 23,
  setgid: 2 ** 22,
  charDevice: 2 ** 21,
  sticky: 2 ** 20,
} as const;

const S_IFMT = 0o170000;

/** st_mode -> Go FileMode (sockets have no bit: fsutil clears theirs before sending). */
export function goFileMode(stMode: number): number {
  let mode = stMode & 0o777;
  if (stMode & 0o4000) mode += GO_MODE.setuid;
  if (stMode & 0o2000) mode += GO_MODE.setgid;
  if (stMode & 0o1000) mode += GO_MODE.sticky;
  switch (stMode & S_IFMT) {
    case 0o040000:
      mode += GO_MODE.dir;
      break;
    case 0o120000:
      mode += GO_MODE.symlink;
      break;
    case 0o010000:
      mode += GO_MODE.namedPipe;
      break;
    case 0o020000:
      mode += GO_MODE.device + GO_MODE.charDevice;
      break;
    case 0o060000:
      mode += GO_MODE.device;
      break;
  }
  return mode;
}

/** Byte-wise order of UTF-8 names, as Go sorts them (JS string order differs above U+FFFF). */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** A virtual file's modification time: changes with its content, so a cached copy is not reused wrongly. */
function contentTime(content: Buffer): bigint {
  return BigInt(`0x${createHash('sha256').update(content).digest('hex').slice(0, 12)}`);
}


interface Child {
  readonly name: string;
  readonly kind: 'real' | 'file' | 'dir';
  /** The real path, for real entries. */
  readonly path?: string;
  readonly content?: Buffer;
}

/**
 * Lists what to send for `request`, in the receiver's order. Include patterns follow Go's
 * filepath.Match on path prefixes, exclude patterns Docker's .dockerignore rules (as fsutil's walk
 * does); symlinks named in followPaths add their targets to the includes.
 */
export async function listEntries(dir: SyncedDir, request: TransferRequest = {}): Promise<SyncEntry[]> {
  const files = dir.files ?? {};
  const includes =
    request.includePatterns === undefined && request.followPaths === undefined
      ? undefined
      : [...(request.includePatterns ?? []).map(cleanPattern), ...(dir.root ? await followLinks(dir.root, request.followPaths ?? []) : (request.followPaths ?? []).map(cleanPattern))];
  const excludes = request.excludePatterns && request.excludePatterns.length > 0 ? ignoreMatcher(request.excludePatterns) : undefined;
  const entries: SyncEntry[] = [];
  const inodes = new Map<string, string>();
  let lastIncludedDir: string | undefined;

  const childrenOf = async (rel: string): Promise<Child[]> => {
    const children = new Map<string, Child>();
    if (dir.root !== undefined) {
      const real = join(dir.root, rel);
      const names = await readdir(real).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' && rel !== '') return [];
        throw error;
      });
      for (const name of names) children.set(name, { name, kind: 'real', path: join(real, name) });
    }
    const prefix = rel === '' ? '' : `${rel}/`;
    for (const [path, content] of Object.entries(files)) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length).split('/');
      if (rest.length === 1) children.set(rest[0], { name: rest[0], kind: 'file', content });
      else if (!children.has(rest[0])) children.set(rest[0], { name: rest[0], kind: 'dir' });
    }
    return [...children.values()].sort((a, b) => byteOrder(a.name, b.name));
  };

  const visit = async (rel: string): Promise<void> => {
    for (const child of await childrenOf(rel)) {
      const path = rel === '' ? child.name : `${rel}/${child.name}`;
      const info = child.kind === 'real' ? await lstat(child.path!, { bigint: true }).catch(() => undefined) : undefined;
      if (child.kind === 'real' && !info) continue; // removed while we walked
      const isDir = child.kind === 'dir' || Boolean(info?.isDirectory());

      if (includes !== undefined && !(lastIncludedDir !== undefined && path.startsWith(`${lastIncludedDir}/`))) {
        let matched = false;
        let partial = true;
        for (const pattern of includes) {
          const result = matchPrefix(pattern, path);
          if (!result.matched) continue;
          matched = true;
          if (!result.partial) {
            partial = false;
            break;
          }
        }
        if (!matched) continue;
        if (!partial && isDir) lastIncludedDir = path;
      }
      if (excludes?.ignores(path)) {
        if (!isDir || !excludes.mayReinclude(path)) continue;
      }

      if (child.kind === 'file') {
        const content = child.content!;
        entries.push({
          stat: { path, mode: 0o644, uid: 0, gid: 0, size: BigInt(content.length), modTime: contentTime(content), linkname: '' },
          source: { content },
        });
        continue;
      }
      if (child.kind === 'dir' && !info) {
        entries.push({ stat: { path, mode: GO_MODE.dir + 0o755, uid: 0, gid: 0, size: 0n, modTime: 0n, linkname: '' } });
        await visit(path);
        continue;
      }
      const stat = info!;
      const mode = goFileMode(Number(stat.mode));
      // Owners are reset to root, as the Docker CLI does, so the image does not depend on who built it.
      const base = { path, mode, uid: 0, gid: 0, modTime: stat.mtimeNs };
      if (stat.isDirectory()) {
        entries.push({ stat: { ...base, size: 0n, linkname: '' } });
        await visit(path);
      } else if (stat.isSymbolicLink()) {
        entries.push({ stat: { ...base, size: stat.size, linkname: await readlink(child.path!) } });
      } else if (stat.isSocket()) {
        continue; // not a build input; fsutil sends it as an empty entry, which COPY cannot use either
      } else {
        // A second name of a file already listed goes as a hard link to the first.
        const inode = `${stat.dev}:${stat.ino}`;
        const first = stat.nlink > 1n ? inodes.get(inode) : undefined;
        if (stat.nlink > 1n && first === undefined) inodes.set(inode, path);
        const device = stat.isCharacterDevice() || stat.isBlockDevice() ? { devmajor: (stat.rdev >> 8n) & 0xfffn, devminor: (stat.rdev & 0xffn) | ((stat.rdev >> 12n) & 0xfff00n) } : {};
        entries.push({
          stat: { ...base, ...device, size: first === undefined ? stat.size : 0n, linkname: first ?? '' },
          ...(stat.isFile() && first === undefined ? { source: { path: child.path! } } : {}),
        });
      }
    }
  };
  await visit('');
  return entries;
}

function cleanPattern(pattern: string): string {
  const cleaned = posix.normalize(pattern).replace(/\/+$/, '');
  return cleaned === '' ? '.' : cleaned;
}

/**
 * fsutil's include test: a pattern with more path segments than the path is cut to the path's
 * depth and matched as a prefix ("partial": the directory leads to what is included).
 */
export function matchPrefix(pattern: string, path: string): { matched: boolean; partial: boolean } {
  const depth = path.split('/').length;
  const segments = pattern.split('/');
  const partial = segments.length > depth;
  const cut = partial ? segments.slice(0, depth).join('/') : pattern;
  return { matched: goPathMatch(cut, path), partial };
}

/** Go's filepath.Match: `*` and `?` stop at `/`, `[...]` classes (with `^`), `\` escapes. */
export function goPathMatch(pattern: string, name: string): boolean {
  let source = '^';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]);
    else if (char === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return false; // Go: ErrBadPattern, which matches nothing
      let body = pattern.slice(i + 1, end);
      const negated = body.startsWith('^');
      if (negated) body = body.slice(1);
      source += `[${negated ? '^' : ''}${body.replace(/[\]\\]/g, '\\$&')}]`;
      i = end;
    } else source += escapeRegExp(char);
  }
  return new RegExp(`${source}$`, 's').test(name);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * fsutil's FollowLinks: each path, with every symlink along it replaced by its target (inside
 * `root`; an absolute target counts from `root`), plus the links themselves.
 */
async function followLinks(root: string, paths: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  const follow = async (path: string, depth: number): Promise<void> => {
    const parts = posix.normalize(path).split('/').filter((part) => part !== '' && part !== '.');
    if (parts.length === 0 || parts[0] === '..' || depth > 40) return;
    for (let i = 1; i <= parts.length; i++) {
      const current = parts.slice(0, i).join('/');
      const info = await lstat(join(root, current)).catch(() => undefined);
      if (info?.isSymbolicLink()) {
        found.add(current);
        const target = posix.normalize(await readlink(join(root, current)));
        const base = target.startsWith('/') ? target : posix.join('/', posix.dirname(current), target);
        await follow(posix.join(base, ...parts.slice(i)), depth + 1);
        return;
      }
    }
    found.add(parts.join('/'));
  };
  for (const path of paths) await follow(path, 0);
  return [...found];
}

/** The packets that carry a file's bytes, in chunks of 32 KiB as fsutil sends them, then the empty end packet. */
export async function* fileData(id: number, source: SyncEntry['source']): AsyncGenerator<Packet> {
  if (source && 'content' in source) {
    for (let offset = 0; offset < source.content.length; offset += 32 * 1024) {
      yield { type: PACKET.DATA, ID: id, data: source.content.subarray(offset, offset + 32 * 1024) };
    }
  } else if (source) {
    for await (const chunk of createReadStream(source.path, { highWaterMark: 32 * 1024 })) {
      yield { type: PACKET.DATA, ID: id, data: chunk as Buffer };
    }
  }
  yield { type: PACKET.DATA, ID: id };
}

/** The listing's packets: one STAT per entry, then the empty STAT that ends it. */
export function statPackets(entries: readonly SyncEntry[]): Packet[] {
  return [...entries.map((entry) => ({ type: PACKET.STAT, stat: entry.stat })), { type: PACKET.STAT }];
}
