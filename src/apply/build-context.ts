/**
 * The build context sent to the engine's classic `/build` endpoint: a tar of the context directory
 * that honours `.dockerignore` the way the Docker CLI does (Docker's pattern rules, `!` exceptions
 * re-including files under an excluded directory, the Dockerfile and .dockerignore always sent),
 * with owners reset to root and a Dockerfile from outside the context (or inline) added under a
 * generated name, as the CLI does.
 *
 * dockerode's own directory packing is not used: it matches ignore patterns against absolute paths
 * for directories, so `node_modules` in .dockerignore would still be walked and sent.
 */
import dockerignoreModule, { type Ignore } from '@balena/dockerignore';
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { lstat, readdir, readFile, readlink, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pack, type Pack } from 'tar-stream';

// The package is CommonJS: at runtime the default import is its factory function, while its
// typings describe an ES module whose `default` export holds it.
const dockerignore = dockerignoreModule as unknown as (options?: { ignorecase?: boolean }) => Ignore;

export interface BuildContextSource {
  /** Absolute context directory. */
  readonly context: string;
  /** Relative to the context, or absolute; default `Dockerfile`. */
  readonly dockerfile?: string;
  /** Dockerfile text; wins over `dockerfile`. */
  readonly dockerfileInline?: string;
}

export interface PackedBuildContext {
  /** The tar stream to send as the request body. */
  readonly archive: Readable;
  /** The Dockerfile's path inside the archive (the `dockerfile` build parameter). */
  readonly dockerfile: string;
}

/** Reads `.dockerignore` at the context root; comments and blank lines are the matcher's business. */
async function readIgnorePatterns(context: string): Promise<string> {
  const file = join(context, '.dockerignore');
  return existsSync(file) ? readFile(file, 'utf8') : '';
}

/** Context-relative path with forward slashes, or undefined when `path` is outside the context. */
function insideContext(context: string, path: string): string | undefined {
  const rel = relative(context, path);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/**
 * Packs the build context. Errors while walking (an unreadable file) surface as an error on the
 * returned stream, which fails the build request.
 */
export async function packBuildContext(source: BuildContextSource): Promise<PackedBuildContext> {
  const context = resolve(source.context);
  const contextStat = await stat(context).catch(() => undefined);
  if (!contextStat?.isDirectory()) throw new Error(`the build context ${context} is not a directory`);
  const patterns = await readIgnorePatterns(context);
  const extraEntries: { name: string; content: string }[] = [];

  let dockerfile: string;
  if (source.dockerfileInline !== undefined) {
    dockerfile = generatedDockerfileName();
    extraEntries.push({ name: dockerfile, content: source.dockerfileInline });
  } else {
    const path = resolve(context, source.dockerfile ?? 'Dockerfile');
    const rel = insideContext(context, path);
    if (rel !== undefined) {
      dockerfile = rel;
    } else {
      // Outside the context: send its content under a name that cannot clash with a real file.
      dockerfile = generatedDockerfileName();
      extraEntries.push({ name: dockerfile, content: await readFile(path, 'utf8') });
    }
  }

  // The engine needs the Dockerfile and .dockerignore even when the patterns exclude them.
  const forced = ['!.dockerignore', `!${dockerfile}`];
  const matcher = dockerignore({ ignorecase: false }).add(patterns).add(forced);
  const exceptions = [...patterns.split(/\r?\n/), ...forced]
    .map((line) => line.trim())
    .filter((line) => line.startsWith('!'))
    .map((line) => posix.normalize(line.slice(1).trim()).replace(/^\/+/, ''));

  const archive = pack();
  void writeEntries(archive, context, { matcher, exceptions }, extraEntries).then(
    () => archive.finalize(),
    (error: unknown) => archive.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  return { archive, dockerfile };
}

function generatedDockerfileName(): string {
  return `.dockerfile.${randomBytes(10).toString('hex')}`;
}

interface IgnoreRules {
  readonly matcher: { ignores(path: string): boolean };
  /** Paths of the `!` patterns: an excluded directory is walked only when one of them lies inside it. */
  readonly exceptions: readonly string[];
}

/** Docker's rule: skip an excluded directory unless an exception pattern starts with its path. */
function mayReinclude(dir: string, exceptions: readonly string[]): boolean {
  return exceptions.some((exception) => `${exception}/`.startsWith(`${dir}/`));
}

async function writeEntries(
  archive: Pack,
  context: string,
  rules: IgnoreRules,
  extraEntries: readonly { name: string; content: string }[],
): Promise<void> {
  await walk(archive, context, '', rules);
  for (const entry of extraEntries) {
    await addEntry(archive, { name: entry.name, mode: 0o644, type: 'file' }, entry.content);
  }
}

async function walk(archive: Pack, context: string, dir: string, rules: IgnoreRules): Promise<void> {
  const names = (await readdir(join(context, dir))).sort();
  for (const name of names) {
    const rel = dir === '' ? name : posix.join(dir, name);
    const absolute = join(context, rel);
    const entry = await lstat(absolute);
    const ignored = rules.matcher.ignores(rel);
    if (entry.isDirectory()) {
      // An excluded directory is skipped whole (node_modules is never even read) unless an
      // exception may re-include something inside it: then only re-included entries are sent.
      if (ignored && !mayReinclude(rel, rules.exceptions)) continue;
      if (!ignored) await addEntry(archive, header(rel, entry, 'directory'));
      await walk(archive, context, rel, rules);
      continue;
    }
    if (ignored) continue;
    if (entry.isSymbolicLink()) {
      await addEntry(archive, { ...header(rel, entry, 'symlink'), linkname: await readlink(absolute) });
    } else if (entry.isFile()) {
      await addFile(archive, header(rel, entry, 'file'), absolute, entry.size);
    }
    // Sockets, fifos and devices are not build inputs; the Docker CLI skips them too.
  }
}

function header(name: string, stat: { mode: number; mtime: Date }, type: 'file' | 'directory' | 'symlink') {
  // Owners are reset to root, as the Docker CLI does, so the image does not depend on who built it.
  return { name, type, mode: stat.mode & 0o7777, mtime: stat.mtime, uid: 0, gid: 0 };
}

function addEntry(archive: Pack, headers: Parameters<Pack['entry']>[0], content?: string): Promise<void> {
  return new Promise((resolveEntry, reject) => {
    const done = (error?: Error | null) => (error ? reject(error) : resolveEntry());
    if (content !== undefined) archive.entry(headers, content, done);
    else archive.entry(headers, done);
  });
}

function addFile(archive: Pack, headers: Parameters<Pack['entry']>[0], path: string, size: number): Promise<void> {
  return new Promise((resolveEntry, reject) => {
    const sink = archive.entry({ ...headers, size }, (error) => (error ? reject(error) : resolveEntry()));
    const input = createReadStream(path);
    input.on('error', reject);
    input.pipe(sink);
  });
}
