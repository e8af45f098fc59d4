/**
 * The per-user cache of compiled CLI code: where it lives, what a file is keyed by, and that any
 * file that is missing, foreign, stale or broken is a miss, never an error.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  STALE_AFTER_MS,
  codeCacheDirectory,
  codeCacheFile,
  commandWord,
  readCodeCache,
  worthCaching,
  writeCodeCache,
  type CodeCacheKey,
} from '../../../src/launcher/code-cache.js';

const key: CodeCacheKey = { bundleHash: 'a'.repeat(64), bundlePath: '/opt/tscompose/dist/cli-bundle.cjs', node: 'v20.20.2', v8: '11.3.244.8-node.33', arch: 'x64', command: 'ps' };
const data = Buffer.from('compiled code');

let dir: string;

beforeEach(() => {
  dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-code-cache-')), 'tscompose');
});

afterEach(() => {
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
});

test('the cache directory must be XDG_CACHE_HOME/tscompose, else ~/.cache/tscompose', () => {
  expect(codeCacheDirectory({ XDG_CACHE_HOME: '/x/cache' }, '/home/u')).toBe('/x/cache/tscompose');
  expect(codeCacheDirectory({}, '/home/u')).toBe('/home/u/.cache/tscompose');
  // A relative XDG_CACHE_HOME is invalid by the XDG rules and ignored.
  expect(codeCacheDirectory({ XDG_CACHE_HOME: 'cache' }, '/home/u')).toBe('/home/u/.cache/tscompose');
  expect(codeCacheDirectory({}, undefined)).toBeUndefined();
  expect(codeCacheDirectory({}, 'relative')).toBeUndefined();
});

test('the command word must skip global flags and their values', () => {
  expect(commandWord(['ps'])).toBe('ps');
  expect(commandWord(['-f', 'a.yaml', '--project-name', 'x', 'up', '-d'])).toBe('up');
  expect(commandWord(['--file=a.yaml', '--dry-run', 'down'])).toBe('down');
  expect(commandWord(['__complete', 'bash'])).toBe('__complete');
  expect(commandWord([])).toBe('other');
  expect(commandWord(['../../etc'])).toBe('other');
  expect(commandWord(['--', 'ps'])).toBe('other');
});

test('help and version flags must not make a cache', () => {
  expect(worthCaching(['ps', '-a'])).toBe(true);
  expect(worthCaching(['ps', '--help'])).toBe(false);
  expect(worthCaching(['-v'])).toBe(false);
});

test('a written cache must be read back for the same key (a hit)', () => {
  expect(writeCodeCache(dir, key, data)).toBe(true);
  expect(readCodeCache(codeCacheFile(dir, key), key)).toEqual(data);
  // Private to the user.
  expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  expect(fs.statSync(codeCacheFile(dir, key)).mode & 0o777).toBe(0o600);
});

test('a missing cache must be a miss', () => {
  expect(readCodeCache(codeCacheFile(dir, key), key)).toBeUndefined();
});

test('a cache written for another build, Node or command must not be read (a stale key)', () => {
  writeCodeCache(dir, key, data);
  for (const other of [{ ...key, bundleHash: 'b'.repeat(64) }, { ...key, bundlePath: '/usr/lib/tscompose/dist/cli-bundle.cjs' }, { ...key, node: 'v20.20.3' }, { ...key, v8: '12.4' }, { ...key, command: 'up' }]) {
    // Its own file is absent, and this key's file is not accepted under the other key.
    expect(readCodeCache(codeCacheFile(dir, other), other)).toBeUndefined();
    expect(readCodeCache(codeCacheFile(dir, key), other)).toBeUndefined();
  }
});

test('a corrupted or truncated cache file must be a miss', () => {
  writeCodeCache(dir, key, data);
  const file = codeCacheFile(dir, key);
  const whole = fs.readFileSync(file);
  fs.writeFileSync(file, whole.subarray(0, 10), { mode: 0o600 });
  expect(readCodeCache(file, key)).toBeUndefined();
  fs.writeFileSync(file, Buffer.from('not a cache at all, just some bytes\n'.repeat(10)), { mode: 0o600 });
  expect(readCodeCache(file, key)).toBeUndefined();
  fs.writeFileSync(file, '', { mode: 0o600 });
  expect(readCodeCache(file, key)).toBeUndefined();
});

test('a cache file others can write must not be read', () => {
  writeCodeCache(dir, key, data);
  fs.chmodSync(codeCacheFile(dir, key), 0o666);
  expect(readCodeCache(codeCacheFile(dir, key), key)).toBeUndefined();
});

test('a directory that cannot be written must leave the cache unwritten, without an error', () => {
  // A file where the directory would be: unwritable even for root, who ignores permission bits.
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.writeFileSync(dir, 'a file');
  expect(writeCodeCache(dir, key, data)).toBe(false);
  expect(readCodeCache(codeCacheFile(dir, key), key)).toBeUndefined();
  const readOnly = path.join(path.dirname(dir), 'read-only');
  fs.mkdirSync(readOnly, { mode: 0o500 });
  if (process.getuid?.() !== 0) {
    expect(writeCodeCache(readOnly, key, data)).toBe(false);
    expect(fs.readdirSync(readOnly)).toEqual([]);
  }
});

test("writing must remove other builds' files not rewritten for a day, and keep the rest", () => {
  const now = Date.now();
  const old = (now - STALE_AFTER_MS - 60_000) / 1000;
  const otherBuild = { ...key, bundleHash: 'c'.repeat(64) };
  const otherNode = { ...key, node: 'v22.0.0' };
  writeCodeCache(dir, otherBuild, data);
  writeCodeCache(dir, otherNode, data);
  writeCodeCache(dir, { ...key, command: 'up' }, data);
  fs.utimesSync(codeCacheFile(dir, otherBuild), old, old);
  fs.utimesSync(codeCacheFile(dir, { ...key, command: 'up' }), old, old);
  fs.writeFileSync(path.join(dir, 'unrelated.txt'), 'kept');
  fs.utimesSync(path.join(dir, 'unrelated.txt'), old, old);
  writeCodeCache(dir, key, data, now);
  expect(fs.readdirSync(dir).sort()).toEqual(
    [path.basename(codeCacheFile(dir, otherNode)), path.basename(codeCacheFile(dir, key)), path.basename(codeCacheFile(dir, { ...key, command: 'up' })), 'unrelated.txt'].sort(),
  );
});
