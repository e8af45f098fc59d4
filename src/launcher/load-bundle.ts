/**
 * Loads the CLI bundle (one CommonJS file) with V8's code cache. Node 20 has no compile cache for
 * modules, but a `vm.Script` takes cached data and, after running, produces data that include
 * every function the run compiled; Node 22 and later cache modules themselves
 * (`module.enableCompileCache`), which is used when present.
 */
import { readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { codeCacheFile, readCodeCache, writeCodeCache, type CodeCacheKey } from './code-cache.js';

/** What the bundle exports to its launcher (src/cli.ts's `run`). */
export interface CliBundle {
  run(argv: string[]): Promise<number>;
}

export interface LoadedBundle {
  readonly exports: CliBundle;
  /** How the cache was used: `hit`, `miss` (none or unreadable), `rejected` (by V8), `node` (Node's own cache), `off`. */
  readonly cache: 'hit' | 'miss' | 'rejected' | 'node' | 'off';
  /** After the run, on a miss or a rejection: write what this run compiled for the next one. False when nothing was written. */
  saveCache(): boolean;
}

export interface CacheSetting {
  readonly dir: string;
  readonly key: CodeCacheKey;
}

/** Node ≥ 22's `module.enableCompileCache`, when this Node has it. */
type EnableCompileCache = (dir: string) => unknown;

export function nodeCompileCache(): EnableCompileCache | undefined {
  const enable = (nodeModule as { enableCompileCache?: EnableCompileCache }).enableCompileCache;
  return typeof enable === 'function' ? enable : undefined;
}

const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) {';
const WRAPPER_END = '\n})';

/**
 * Runs the bundle at `path` and returns its exports. `cache` undefined: no cache at all.
 * `enableCompileCache`: Node's own compile cache (pass nodeCompileCache()); then the bundle is
 * required as a module and Node keeps the cache under `<dir>/node`.
 */
export function loadBundle(path: string, cache: CacheSetting | undefined, enableCompileCache?: EnableCompileCache): LoadedBundle {
  const requireFromBundle = nodeModule.createRequire(path);
  if (cache !== undefined && enableCompileCache !== undefined) {
    try {
      enableCompileCache(join(cache.dir, 'node'));
    } catch {
      // Runs without it.
    }
    return { exports: requireFromBundle(path) as CliBundle, cache: 'node', saveCache: () => false };
  }
  // The build keeps the bundle ASCII (scripts/bundle.mjs), so latin1 reads it as the one-byte string V8 prefers.
  const source = readFileSync(path, 'latin1');
  const data = cache === undefined ? undefined : readCodeCache(codeCacheFile(cache.dir, cache.key), cache.key);
  const script = new Script(WRAPPER_START + source + WRAPPER_END, { filename: path, cachedData: data });
  const module = { exports: {} as CliBundle };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, requireFromBundle, module, path, dirname(path));
  const state = cache === undefined ? 'off' : data === undefined ? 'miss' : script.cachedDataRejected === true ? 'rejected' : 'hit';
  return {
    exports: module.exports,
    cache: state,
    saveCache: () => {
      if (cache === undefined || (state !== 'miss' && state !== 'rejected')) return false;
      try {
        return writeCodeCache(cache.dir, cache.key, script.createCachedData());
      } catch {
        // The command has succeeded; a cache that cannot be made must not turn that into a crash.
        return false;
      }
    },
  };
}
