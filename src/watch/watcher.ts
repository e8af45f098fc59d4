/**
 * The file watcher: the only module that imports chokidar. It reports raw changes under the watch
 * roots and knows nothing about services, rules or containers.
 *
 * - Directories are watched recursively; `skip` is passed to chokidar as its `ignored` function,
 *   so a directory the triggers prune (`node_modules` in `.dockerignore`, `.git`) is never opened:
 *   a large dependency tree costs no watches and no file descriptors.
 * - A single file (a compose file, `.env`, a single-file bind mount, a rule whose path is a file)
 *   is watched through its directory, without descending into it: an editor that saves by writing
 *   a new file and renaming it over the old one replaces the inode, and a watch on the old inode
 *   would go quiet after the first save.
 * - Symbolic links are reported as links and never followed (a link out of the tree stays out).
 * - A directory the process cannot read is skipped with a debug note instead of failing the whole
 *   watch (docker/compose#13262).
 * - `usePolling` is for file systems that deliver no inotify events (WSL2's /mnt/c, some network
 *   mounts).
 */
import { watch, type FSWatcher } from 'chokidar';
import { accessSync, constants, lstatSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FileChange } from './batcher.js';
import type { WatchRoot } from './watch-targets.js';

export interface FileWatcherOptions {
  readonly roots: readonly WatchRoot[];
  /**
   * Whether a path below a directory root needs no watching: for a directory (or an unknown kind),
   * whether it may be skipped whole; for a file, whether its changes are ignored.
   */
  readonly skip: (path: string, directory: boolean | undefined) => boolean;
  readonly onChange: (change: FileChange) => void;
  /** Errors the watcher cannot recover from (a watch limit reached, ...). */
  readonly onError: (error: Error) => void;
  readonly debug?: (message: string) => void;
  readonly usePolling?: boolean;
  /** Whether a directory can be listed (tests replace it; the default asks the file system). */
  readonly canRead?: (directory: string) => boolean;
}

export interface FileWatcher {
  /** Resolves once the initial scan is done: changes from then on are reported. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

function readable(directory: string): boolean {
  try {
    accessSync(directory, constants.R_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const PERMISSION_CODES = new Set(['EACCES', 'EPERM']);

/**
 * `directory/entry` when `directory` is a real directory (not a link to one: links are never
 * followed) and the entry exists as a file or a symbolic link; else undefined.
 */
function confirmChange(directory: string, entry: string): string | undefined {
  const parent = lstatSync(directory, { throwIfNoEntry: false });
  if (!parent?.isDirectory()) return undefined;
  const path = join(directory, entry);
  const stats = lstatSync(path, { throwIfNoEntry: false });
  return stats && (stats.isFile() || stats.isSymbolicLink()) ? path : undefined;
}

export function watchFiles(options: FileWatcherOptions): FileWatcher {
  const canRead = options.canRead ?? readable;
  const directoryRoots = options.roots.filter((root) => root.directory).map((root) => root.path);
  const fileRoots = new Set(options.roots.filter((root) => !root.directory).map((root) => root.path));
  const parents = new Set([...fileRoots].map((file) => dirname(file)));
  const rootSet = new Set(directoryRoots);
  const reported = new Set<string>();

  const base = {
    ignoreInitial: true,
    followSymlinks: false,
    ignorePermissionErrors: true,
    awaitWriteFinish: false,
    // chokidar's atomic mode holds every deletion back 100 ms to see whether the file comes back;
    // the batcher already folds a delete followed by a write into one change.
    atomic: false,
    persistent: true,
    ...(options.usePolling ? { usePolling: true, interval: 200 } : {}),
  } as const;

  const skipUnreadable = (path: string): boolean => {
    if (canRead(path)) return false;
    if (!reported.has(path)) {
      reported.add(path);
      options.debug?.(`not watching ${path}: the directory cannot be read`);
    }
    return true;
  };

  const instances: FSWatcher[] = [];
  const subscribe = (instance: FSWatcher, accept: (path: string, directory: boolean | undefined) => boolean): void => {
    instances.push(instance);
    const report = (kind: FileChange['kind'], directory: boolean, created = false) => (path: string) => {
      if (accept(path, directory)) options.onChange({ path, kind, directory, ...(created ? { created } : {}) });
    };
    // chokidar drops a file's change that follows the previous one within a few milliseconds when
    // the file was replaced by rename (it is re-watching the new inode): two quick saves of an
    // editor that writes a new file and renames it over the old one would lose the second one.
    // Every raw event of a watched directory is therefore also checked: an entry that exists as
    // a file or link is reported as changed (duplicates are folded by the batcher). Deletions and
    // new directories are left to chokidar, which reports them reliably. The check is synchronous
    // (two lstat calls, microseconds): the raw event is the earliest news of a save, and an
    // asynchronous check would queue behind chokidar's own stats in libuv's small thread pool,
    // adding milliseconds (tens on a busy machine) to every sync.
    instance.on('raw', (_event, entry, details) => {
      const watched = (details as { watchedPath?: string } | undefined)?.watchedPath;
      if (!entry || !watched) return;
      const path = confirmChange(watched, entry);
      if (path !== undefined && accept(path, false)) options.onChange({ path, kind: 'changed', directory: false });
    });
    // chokidar reports `add` only for a path it did not know: it appeared since it last looked.
    instance.on('add', report('changed', false, true));
    instance.on('change', report('changed', false));
    instance.on('addDir', report('changed', true, true));
    instance.on('unlink', report('removed', false));
    instance.on('unlinkDir', report('removed', true));
    instance.on('error', (error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      const code = (failure as NodeJS.ErrnoException).code;
      if (code !== undefined && PERMISSION_CODES.has(code)) {
        options.debug?.(`not watching ${(failure as NodeJS.ErrnoException).path ?? 'a path'}: ${failure.message}`);
        return;
      }
      options.onError(failure);
    });
  };

  if (directoryRoots.length > 0) {
    const instance = watch(directoryRoots, {
      ...base,
      ignored: (path: string, stats?: Stats) => {
        if (rootSet.has(path)) return stats?.isDirectory() === true && skipUnreadable(path);
        const directory = stats === undefined ? undefined : stats.isDirectory();
        if (directory === true && skipUnreadable(path)) return true;
        return options.skip(path, directory);
      },
    });
    subscribe(instance, (path, directory) => !rootSet.has(path) && isBelowRoot(path) && !options.skip(path, directory));
  }
  if (fileRoots.size > 0) {
    // Each file's directory, without descending: only the files themselves are reported.
    const instance = watch([...parents], { ...base, depth: 0, ignored: (path: string) => !parents.has(path) && !fileRoots.has(path) });
    subscribe(instance, (path) => fileRoots.has(path));
  }

  function isBelowRoot(path: string): boolean {
    return directoryRoots.some((root) => path.startsWith(`${root}/`));
  }

  const ready = Promise.all(instances.map((instance) => new Promise<void>((resolve) => instance.once('ready', () => resolve())))).then(() => undefined);
  return {
    ready,
    async close(): Promise<void> {
      await Promise.all(instances.map((instance) => instance.close()));
    },
  };
}
