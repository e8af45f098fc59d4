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
  /** Ignore patterns to use instead of the context's own files (readIgnoreFile). */
  readonly ignorePatterns?: string;
}

export interface PackedBuildContext {
  /** The tar stream to send as the request body. */
  readonly archive: Readable;
  /** The Dockerfile's path inside the archive (the `dockerfile` build parameter). */
  readonly dockerfile: string;
}

/**
 * The ignore file that applies to a build: `<Dockerfile>.dockerignore` next to the Dockerfile
 * wins over `.dockerignore` at the context root (Docker's rule since BuildKit 0.10 and CLI 23;
 * tscompose applies it on older engines too). Comments and blank lines are the matcher's business.
 */
export async function readIgnoreFile(context: string, dockerfilePath?: string): Promise<{ readonly path?: string; readonly patterns: string }> {
  const candidates = [...(dockerfilePath !== undefined ? [`${dockerfilePath}.dockerignore`] : []), join(context, '.dockerignore')];
  for (const path of candidates) {
    if (existsSync(path)) return { path, patterns: await readFile(path, 'utf8') };
  }
  return { patterns: '' };
}

export interface IgnoreMatcher {
  /** Whether a context-relative path (forward slashes) is excluded. */
  ignores(path: string): boolean;
  /** Docker's rule: an excluded directory is walked only when an exception pattern lies inside it. */
  mayReinclude(dir: string): boolean;
}

/** Docker's .dockerignore semantics (patterns, `**`, `!` exceptions) over lines of patterns. */
export function ignoreMatcher(lines: readonly string[]): IgnoreMatcher {
  const matcher = dockerignore({ ignorecase: false }).add([...lines]);
  const exceptions = lines
    .map((line) => line.trim())
    .filter((line) => line.startsWith('!'))
    .map((line) => posix.normalize(line.slice(1).trim()).replace(/^\/+/, ''));
  return {
    ignores: (path) => matcher.ignores(path),
    mayReinclude: (dir) => exceptions.some((exception) => `${exception}/`.startsWith(`${dir}/`)),
  };
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

  const patterns =
    source.ignorePatterns ?? (await readIgnoreFile(context, source.dockerfileInline === undefined ? resolve(context, source.dockerfile ?? 'Dockerfile') : undefined)).patterns;
  // The engine needs the Dockerfile and .dockerignore even when the patterns exclude them.
  const rules = ignoreMatcher([...patterns.split(/\r?\n/), '!.dockerignore', `!${dockerfile}`]);
  const generated = extraEntries.length > 0;
  if (generated) {
    // As the Docker CLI does: the generated Dockerfile is named in the .dockerignore sent along,
    // so the engine drops it from the context once read and `COPY . /` does not copy it.
    const own = existsSync(join(context, '.dockerignore')) ? await readFile(join(context, '.dockerignore'), 'utf8') : '';
    extraEntries.push({ name: '.dockerignore', content: `${own}${own === '' || own.endsWith('\n') ? '' : '\n'}${dockerfile}\n` });
  }

  const archive = pack();
  void writeEntries(archive, context, generated ? withoutRootIgnoreFile(rules) : rules, extraEntries).then(
    () => archive.finalize(),
    (error: unknown) => archive.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  return { archive, dockerfile };
}

/** The context's own .dockerignore is not sent when a rewritten one is. */
function withoutRootIgnoreFile(rules: IgnoreMatcher): IgnoreMatcher {
  return { ignores: (path) => path === '.dockerignore' || rules.ignores(path), mayReinclude: (dir) => rules.mayReinclude(dir) };
}

function generatedDockerfileName(): string {
  return `.dockerfile.${randomBytes(10).toString('hex')}`;
}

async function writeEntries(archive: Pack, context: string, rules: IgnoreMatcher, extraEntries: readonly { name: string; content: string }[]): Promise<void> {
  await walk(archive, context, '', rules);
  for (const entry of extraEntries) {
    await addEntry(archive, { name: entry.name, mode: 0o644, type: 'file' }, entry.content);
  }
}

async function walk(archive: Pack, root: string, dir: string, rules: IgnoreMatcher): Promise<void> {
  const names = (await readdir(join(root, dir))).sort();
  for (const name of names) {
    const rel = dir === '' ? name : posix.join(dir, name);
    const absolute = join(root, rel);
    const entry = await lstat(absolute);
    const ignored = rules.ignores(rel);
    if (entry.isDirectory()) {
      // An excluded directory is skipped whole (node_modules is never even read) unless an
      // exception may re-include something inside it: then only re-included entries are sent.
      if (ignored && !rules.mayReinclude(rel)) continue;
      if (!ignored) await addEntry(archive, header(rel, entry, 'directory'));
      await walk(archive, root, rel, rules);
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
