#!/usr/bin/env node
/**
 * The `tscompose` executable (dist/cli.cjs): loads the CLI bundle (dist/cli-bundle.cjs) through
 * V8's code cache (launcher/) and runs it. CommonJS, so that Node starts it without its ES module
 * loader; it loads nothing but Node's fs, path and vm. `TSCOMPOSE_CODE_CACHE=0` runs without the cache.
 */
import { join } from 'node:path';
import { codeCacheDirectory, commandWord, worthCaching } from './launcher/code-cache.js';
import { loadBundle, nodeCompileCache, type CacheSetting } from './launcher/load-bundle.js';

// The bundle's content hash, written in by scripts/bundle.mjs.
declare const TSCOMPOSE_BUNDLE_HASH: string;

const args = process.argv.slice(2);
const bundlePath = join(__dirname, 'cli-bundle.cjs');
const dir = process.env.TSCOMPOSE_CODE_CACHE === '0' ? undefined : codeCacheDirectory(process.env, process.env.HOME);
const cache: CacheSetting | undefined =
  dir === undefined
    ? undefined
    : { dir, key: { bundleHash: TSCOMPOSE_BUNDLE_HASH, bundlePath, node: process.version, v8: process.versions.v8, arch: process.arch, command: commandWord(args) } };
const loaded = loadBundle(bundlePath, cache, nodeCompileCache());
void loaded.exports.run(process.argv).then((code) => {
  process.exitCode = code;
  if (code === 0 && worthCaching(args)) loaded.saveCache();
});
