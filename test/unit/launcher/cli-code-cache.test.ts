/**
 * The built executable's code cache as users meet it: made on the first run of a command, used by
 * the next, holding no value a run read, and never in the way (an unwritable or broken cache
 * changes nothing but speed). Runs the unit project's own bundle (its global setup builds it).
 */
import { jest } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, unitCliPath, type CliResult } from '../../support/run-cli.js';

// Each test runs the CLI: seconds, not milliseconds, on a busy machine.
jest.setTimeout(60_000);

const SECRET = 'hunter2-7d1f0c';
const FILE_SECRET = 'from-env-file-93be51';

let root: string;
let project: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-cli-code-cache-'));
  project = path.join(root, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n    environment:\n      PASSWORD: ${DB_PASSWORD}\n    env_file: [web.env]\n');
  fs.writeFileSync(path.join(project, 'web.env'), `TOKEN=${FILE_SECRET}\n`);
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function config(cacheHome: string, env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(['config'], { cli: unitCliPath, cwd: project, env: { XDG_CACHE_HOME: cacheHome, DB_PASSWORD: SECRET, ...env } });
}

function cacheFiles(cacheHome: string): string[] {
  const dir = path.join(cacheHome, 'tscompose');
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((name) => path.join(dir, name)) : [];
}

test('the first run of a command must write its cache, and the next run must use it unchanged', async () => {
  const cacheHome = path.join(root, 'cache');
  const first = await config(cacheHome);
  expect(first.code).toBe(0);
  const files = cacheFiles(cacheHome);
  expect(files.map((file) => path.basename(file))).toEqual([expect.stringMatching(/-config\.v8$/)]);
  const before = fs.statSync(files[0]);

  const second = await config(cacheHome);
  expect(second).toEqual(first);
  // A hit leaves the file as it was (a miss or a rejection replaces it with a new one).
  const after = fs.statSync(files[0]);
  expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
});

test('the cache must hold no interpolated or env_file value', async () => {
  const cacheHome = path.join(root, 'cache');
  const result = await config(cacheHome);
  // `config` prints them: they were read and used by the run that made the cache.
  expect(result.stdout).toContain(SECRET);
  expect(result.stdout).toContain(FILE_SECRET);
  const files = cacheFiles(cacheHome);
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const content = fs.readFileSync(file);
    for (const secret of [SECRET, FILE_SECRET]) {
      expect(content.includes(Buffer.from(secret, 'latin1'))).toBe(false);
      expect(content.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
    }
  }
});

test('a cache directory that cannot be written must change nothing but speed', async () => {
  const blocked = path.join(root, 'not-a-directory');
  fs.writeFileSync(blocked, 'a file where the cache directory would be');
  const withCache = await config(path.join(root, 'cache'));
  const result = await config(blocked);
  expect(result).toEqual(withCache);
  expect(fs.readFileSync(blocked, 'utf8')).toBe('a file where the cache directory would be');
});

test('a broken cache file must be replaced, and the run must not change', async () => {
  const cacheHome = path.join(root, 'cache');
  const first = await config(cacheHome);
  const [file] = cacheFiles(cacheHome);
  const content = fs.readFileSync(file);
  const headerLength = content.indexOf('\nconfig\n') + '\nconfig\n'.length;
  fs.writeFileSync(file, Buffer.concat([content.subarray(0, headerLength), Buffer.alloc(content.length - headerLength, 0x42)]), { mode: 0o600 });

  expect(await config(cacheHome)).toEqual(first);
  expect(fs.readFileSync(file).equals(content.subarray(0, headerLength))).toBe(false);
  expect(fs.readFileSync(file).subarray(headerLength, headerLength + 64).every((byte) => byte === 0x42)).toBe(false);
  expect(await config(cacheHome)).toEqual(first);
});

test('TSCOMPOSE_CODE_CACHE=0 must run without reading or writing a cache', async () => {
  const cacheHome = path.join(root, 'cache');
  const result = await config(cacheHome, { TSCOMPOSE_CODE_CACHE: '0' });
  expect(result.code).toBe(0);
  expect(cacheFiles(cacheHome)).toEqual([]);
});

test('dist/cli.js must run the same CLI as the executable dist/cli.cjs', async () => {
  const cacheHome = path.join(root, 'cache');
  const viaModule = await runCli(['config'], { cli: unitCliPath.replace(/\.cjs$/, '.js'), cwd: project, env: { XDG_CACHE_HOME: cacheHome, DB_PASSWORD: SECRET } });
  expect(viaModule).toEqual(await config(cacheHome));
  expect(viaModule.code).toBe(0);
});
