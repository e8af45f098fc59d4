/**
 * Loading the CLI bundle through V8's code cache: the cache is made after a run, used on the next,
 * replaced when V8 rejects it, and never changes what the bundle does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { codeCacheFile, type CodeCacheKey } from '../../../src/launcher/code-cache.js';
import { loadBundle, type CacheSetting } from '../../../src/launcher/load-bundle.js';

const key: CodeCacheKey = { bundleHash: 'd'.repeat(64), bundlePath: '', node: process.version, v8: process.versions.v8, arch: process.arch, command: 'ps' };

// V8 keeps each compiled script in memory and would answer a second compile of the same source
// from there, never looking at the cached data; each CLI run is a new process, so turn that off.
v8.setFlagsFromString('--no-compilation-cache');

let root: string;
let bundle: string;
let cache: CacheSetting;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-load-bundle-'));
  bundle = path.join(root, 'cli-bundle.cjs');
  // A bundle in the shape the build emits: CommonJS, with a function compiled only when run.
  fs.writeFileSync(
    bundle,
    [
      '"use strict";',
      "const { basename } = require('node:path');",
      'function answer(argv) { return argv.length + basename(__filename).length; }',
      'exports.run = async (argv) => answer(argv);',
      '',
    ].join('\n'),
  );
  cache = { dir: path.join(root, 'cache', 'tscompose'), key: { ...key, bundlePath: bundle } };
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

test('a first run must miss, save the cache, and the next run must hit it', async () => {
  const first = loadBundle(bundle, cache);
  expect(first.cache).toBe('miss');
  expect(await first.exports.run(['a', 'b'])).toBe(2 + 'cli-bundle.cjs'.length);
  expect(first.saveCache()).toBe(true);
  expect(fs.existsSync(codeCacheFile(cache.dir, cache.key))).toBe(true);

  const second = loadBundle(bundle, cache);
  expect(second.cache).toBe('hit');
  expect(await second.exports.run(['a', 'b'])).toBe(2 + 'cli-bundle.cjs'.length);
  // A hit writes nothing.
  expect(second.saveCache()).toBe(false);
});

test('a cache V8 rejects must be ignored and replaced', async () => {
  loadBundle(bundle, cache).saveCache();
  const file = codeCacheFile(cache.dir, cache.key);
  const content = fs.readFileSync(file);
  // The header stays valid; the compiled code after it is garbage.
  const headerLength = content.indexOf('\nps\n') + 4;
  fs.writeFileSync(file, Buffer.concat([content.subarray(0, headerLength), Buffer.alloc(content.length - headerLength, 0x5a)]), { mode: 0o600 });

  const loaded = loadBundle(bundle, cache);
  expect(loaded.cache).toBe('rejected');
  expect(await loaded.exports.run(['x'])).toBe(1 + 'cli-bundle.cjs'.length);
  expect(loaded.saveCache()).toBe(true);
  expect(loadBundle(bundle, cache).cache).toBe('hit');
});

test('a cache of another bundle of the same key must be rejected, not run', async () => {
  loadBundle(bundle, cache).saveCache();
  // Same key, other source (a rebuilt bundle whose hash the key did not catch): V8 checks the source.
  fs.writeFileSync(bundle, 'exports.run = async () => 42;\n');
  const loaded = loadBundle(bundle, cache);
  expect(loaded.cache).toBe('rejected');
  expect(await loaded.exports.run([])).toBe(42);
});

test('without a cache setting the bundle must run and nothing must be written', async () => {
  const loaded = loadBundle(bundle, undefined);
  expect(loaded.cache).toBe('off');
  expect(await loaded.exports.run([])).toBe('cli-bundle.cjs'.length);
  expect(loaded.saveCache()).toBe(false);
  expect(fs.existsSync(path.join(root, 'cache'))).toBe(false);
});

test("with Node's own compile cache the bundle must be required as a module, its cache under the directory", async () => {
  const enabled: string[] = [];
  const loaded = loadBundle(bundle, cache, (dir) => enabled.push(dir));
  expect(loaded.cache).toBe('node');
  expect(enabled).toEqual([path.join(cache.dir, 'node')]);
  expect(await loaded.exports.run(['a'])).toBe(1 + 'cli-bundle.cjs'.length);
  expect(loaded.saveCache()).toBe(false);
});
