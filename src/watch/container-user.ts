/**
 * Who should own the files a sync copies into a container: the user the container runs as, so
 * the application can change or delete them afterwards (Docker Compose's `CopyUIDGID`).
 *
 * The engine extracts the archive as root and applies the owners written in it, so nothing here
 * depends on what the image contains: a numeric `user: "1000:1000"` is used as it is (Compose
 * fails on it when the image's /etc/passwd lacks the entry, docker/compose#12467), and a name is
 * looked up in the container's own /etc/passwd and /etc/group, read through the archive API (no
 * `getent` or shell needed in the image). When a name cannot be resolved, the files are owned by
 * root and the caller says so.
 */
import { extract } from 'tar-stream';
import type { Engine } from '../apply/engine.js';

export interface FileOwner {
  readonly uid: number;
  readonly gid: number;
  /** For messages: `root`, `user "app" (1000:1000)`, `uid 1000 (1000:0)`. */
  readonly description: string;
  /** Set when the user could not be resolved and root was used instead. */
  readonly fallbackReason?: string;
}

export const ROOT_OWNER: FileOwner = { uid: 0, gid: 0, description: 'root' };

interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** `name:x:uid:gid:...` lines; malformed lines are skipped. */
export function parsePasswd(text: string): PasswdEntry[] {
  const entries: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(':');
    if (fields.length < 4 || !/^[0-9]+$/.test(fields[2]) || !/^[0-9]+$/.test(fields[3])) continue;
    entries.push({ name: fields[0], uid: Number(fields[2]), gid: Number(fields[3]) });
  }
  return entries;
}

/** `name:x:gid:members` lines -> name -> gid. */
export function parseGroup(text: string): Map<string, number> {
  const groups = new Map<string, number>();
  for (const line of text.split('\n')) {
    const fields = line.trim().split(':');
    if (fields.length < 3 || !/^[0-9]+$/.test(fields[2])) continue;
    groups.set(fields[0], Number(fields[2]));
  }
  return groups;
}

const NUMERIC = /^[0-9]+$/;

/**
 * Resolves a container's `User` (`''`, `name`, `uid`, `name:group`, `uid:gid`, ...) against the
 * text of its /etc/passwd and /etc/group (undefined when the files are missing). Pure.
 */
export function resolveOwner(user: string, passwd: string | undefined, group: string | undefined): FileOwner {
  const trimmed = user.trim();
  if (trimmed === '' || trimmed === 'root' || trimmed === '0' || trimmed === '0:0') return ROOT_OWNER;
  const [userPart, groupPart] = trimmed.split(':', 2);
  const users = parsePasswd(passwd ?? '');
  const entry = NUMERIC.test(userPart) ? users.find((candidate) => candidate.uid === Number(userPart)) : users.find((candidate) => candidate.name === userPart);
  let uid: number;
  if (NUMERIC.test(userPart)) uid = Number(userPart);
  else if (entry) uid = entry.uid;
  else return { ...ROOT_OWNER, fallbackReason: `user "${userPart}" is not in the container's /etc/passwd` };

  let gid: number;
  if (groupPart === undefined || groupPart === '') gid = entry?.gid ?? 0;
  else if (NUMERIC.test(groupPart)) gid = Number(groupPart);
  else {
    const found = parseGroup(group ?? '').get(groupPart);
    if (found === undefined) return { ...ROOT_OWNER, fallbackReason: `group "${groupPart}" is not in the container's /etc/group` };
    gid = found;
  }
  const description = NUMERIC.test(userPart) ? `uid ${uid} (${uid}:${gid})` : `user "${userPart}" (${uid}:${gid})`;
  return { uid, gid, description };
}

/** The content of the single file in a tar archive from `getArchive`, or undefined. */
async function firstFileOf(archive: Buffer): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const reader = extract();
    let content: string | undefined;
    reader.on('entry', (headers, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (content === undefined && headers.type === 'file') content = Buffer.concat(chunks).toString('utf8');
        next();
      });
      stream.resume();
    });
    reader.on('finish', () => resolve(content));
    reader.on('error', reject);
    reader.end(archive);
  });
}

async function readContainerFile(engine: Engine, id: string, path: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    return await firstFileOf(await engine.getArchive(id, path, signal ? { signal } : {}));
  } catch {
    return undefined;
  }
}

/** The owner for files synced into container `id` (one inspect; the passwd files only for names). */
export async function containerOwner(engine: Engine, id: string, signal?: AbortSignal): Promise<FileOwner> {
  const details = await engine.inspectContainer(id, signal ? { signal } : {});
  const user = details.user ?? '';
  const [userPart, groupPart = ''] = user.split(':', 2);
  const needsFiles = (userPart !== '' && !NUMERIC.test(userPart)) || (groupPart !== '' && !NUMERIC.test(groupPart)) || (NUMERIC.test(userPart) && groupPart === '');
  if (!needsFiles) return resolveOwner(user, undefined, undefined);
  const [passwd, group] = await Promise.all([
    readContainerFile(engine, id, '/etc/passwd', signal),
    groupPart !== '' && !NUMERIC.test(groupPart) ? readContainerFile(engine, id, '/etc/group', signal) : Promise.resolve(undefined),
  ]);
  return resolveOwner(user, passwd, group);
}
