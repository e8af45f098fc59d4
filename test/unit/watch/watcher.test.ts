/**
 * The file watcher against a real temporary directory (no engine): what it reports, and what it
 * never opens.
 */
import { jest } from '@jest/globals';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { foldChange, type FileChange } from '../../../src/watch/batcher.js';
import { watchFiles, type FileWatcher } from '../../../src/watch/watcher.js';

jest.setTimeout(60_000);

let dir: string;
let watcher: FileWatcher | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tscompose-watcher-'));
});

afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Waits until `predicate` holds for the changes seen so far. */
async function until(changes: FileChange[], predicate: (seen: FileChange[]) => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate(changes)) {
    if (Date.now() > deadline) throw new Error(`not seen in time; seen: ${JSON.stringify(changes)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The distinct paths reported (a change may be reported twice; the batcher folds them). */
const paths = (changes: readonly FileChange[]): string[] => [...new Set(changes.map((change) => change.path))];

const settle = (milliseconds = 300): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe('watchFiles', () => {
  test('changes, new directories and deletions under a directory root must be reported', async () => {
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'a.js'), '1');
    const changes: FileChange[] = [];
    watcher = watchFiles({ roots: [{ path: join(dir, 'src'), directory: true }], skip: () => false, onChange: (change) => changes.push(change), onError: (error) => { throw error; } });
    await watcher.ready;
    writeFileSync(join(dir, 'src', 'a.js'), '2');
    mkdirSync(join(dir, 'src', 'd'));
    writeFileSync(join(dir, 'src', 'd', 'b.js'), 'b');
    await until(changes, (seen) => seen.some((change) => change.path === join(dir, 'src', 'd', 'b.js')));
    unlinkSync(join(dir, 'src', 'a.js'));
    await until(changes, (seen) => seen.some((change) => change.kind === 'removed'));
    expect(changes).toEqual(
      expect.arrayContaining([
        { path: join(dir, 'src', 'a.js'), kind: 'changed', directory: false },
        // New paths are marked as such (a deletion within the same batch then deletes nothing).
        { path: join(dir, 'src', 'd'), kind: 'changed', directory: true, created: true },
        { path: join(dir, 'src', 'd', 'b.js'), kind: 'changed', directory: false, created: true },
        { path: join(dir, 'src', 'a.js'), kind: 'removed', directory: false },
      ]),
    );
  });

  test('a directory the triggers prune must never be opened, and nothing below it reported', async () => {
    const modules = join(dir, 'src', 'node_modules');
    for (let i = 0; i < 50; i++) mkdirSync(join(modules, `pkg${i}`, 'lib'), { recursive: true });
    const asked: string[] = [];
    const changes: FileChange[] = [];
    watcher = watchFiles({
      roots: [{ path: join(dir, 'src'), directory: true }],
      skip: (path) => {
        asked.push(path);
        return path === modules;
      },
      onChange: (change) => changes.push(change),
      onError: (error) => {
        throw error;
      },
    });
    await watcher.ready;
    writeFileSync(join(modules, 'pkg1', 'lib', 'index.js'), 'x');
    writeFileSync(join(dir, 'src', 'app.js'), 'x');
    await until(changes, (seen) => seen.some((change) => change.path.endsWith('app.js')));
    await settle();
    expect(asked.filter((path) => path.startsWith(`${modules}/`))).toEqual([]);
    expect(paths(changes)).toEqual([join(dir, 'src', 'app.js')]);
  });

  test('a single file replaced by rename must be reported every time, not only the first', async () => {
    const file = join(dir, 'nginx.conf');
    writeFileSync(file, 'one');
    const changes: FileChange[] = [];
    watcher = watchFiles({ roots: [{ path: file, directory: false }], skip: () => false, onChange: (change) => changes.push(change), onError: (error) => { throw error; } });
    await watcher.ready;
    for (const content of ['two', 'three']) {
      const before = changes.length;
      writeFileSync(`${file}.tmp`, content);
      renameSync(`${file}.tmp`, file);
      await until(changes, (seen) => seen.slice(before).some((change) => change.path === file && change.kind === 'changed'));
    }
    writeFileSync(file, 'in place');
    await until(changes, (seen) => seen.filter((change) => change.path === file && change.kind === 'changed').length >= 3);
  });

  test('a file in a watched directory saved twice by rename in quick succession must be reported both times', async () => {
    mkdirSync(join(dir, 'src'));
    const file = join(dir, 'src', 'a.js');
    writeFileSync(file, 'zero');
    const changes: FileChange[] = [];
    watcher = watchFiles({ roots: [{ path: join(dir, 'src'), directory: true }], skip: () => false, onChange: (change) => changes.push(change), onError: (error) => { throw error; } });
    await watcher.ready;
    for (const content of ['one', 'two', 'three']) {
      const before = changes.length;
      writeFileSync(`${file}.new`, content);
      renameSync(`${file}.new`, file);
      await until(changes, (seen) => seen.slice(before).some((change) => change.path === file && change.kind === 'changed'), 2_000);
    }
  });

  test('a temporary file written, then renamed over the original, must fold away: only the original changed', async () => {
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'a.txt'), '1');
    const changes: FileChange[] = [];
    watcher = watchFiles({ roots: [{ path: join(dir, 'src'), directory: true }], skip: () => false, onChange: (change) => changes.push(change), onError: (error) => { throw error; } });
    await watcher.ready;
    writeFileSync(join(dir, 'src', 'a.txt.new'), '2');
    // A slow editor: the watcher sees the temporary file appear before it is renamed.
    await until(changes, (seen) => seen.some((change) => change.path === join(dir, 'src', 'a.txt.new')));
    renameSync(join(dir, 'src', 'a.txt.new'), join(dir, 'src', 'a.txt'));
    // Both sides of the rename, however slowly a loaded machine delivers them.
    await until(changes, (seen) => seen.some((change) => change.path === join(dir, 'src', 'a.txt.new') && change.kind === 'removed'));
    await until(changes, (seen) => seen.some((change) => change.path === join(dir, 'src', 'a.txt')));
    await settle();
    const folded = new Map<string, FileChange>();
    for (const change of changes) foldChange(folded, change);
    expect([...folded.values()]).toEqual([{ path: join(dir, 'src', 'a.txt'), kind: 'changed', directory: false }]);
  });

  test('other files next to a watched file must not be reported', async () => {
    const file = join(dir, 'compose.yaml');
    writeFileSync(file, 'services: {}');
    const changes: FileChange[] = [];
    watcher = watchFiles({ roots: [{ path: file, directory: false }], skip: () => false, onChange: (change) => changes.push(change), onError: (error) => { throw error; } });
    await watcher.ready;
    writeFileSync(join(dir, 'notes.txt'), 'x');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(file, 'services: {a: {image: x}}');
    await until(changes, (seen) => seen.length > 0);
    await settle();
    expect(paths(changes)).toEqual([file]);
  });

  test('a symbolic link to a directory outside the tree must not be followed (P17)', async () => {
    const outside = join(dir, 'outside');
    mkdirSync(outside);
    mkdirSync(join(dir, 'src'));
    symlinkSync(outside, join(dir, 'src', 'link'));
    const changes: FileChange[] = [];
    watcher = watchFiles({ roots: [{ path: join(dir, 'src'), directory: true }], skip: () => false, onChange: (change) => changes.push(change), onError: (error) => { throw error; } });
    await watcher.ready;
    writeFileSync(join(outside, 'secret.txt'), 'x');
    writeFileSync(join(dir, 'src', 'marker.txt'), 'x');
    await until(changes, (seen) => seen.some((change) => change.path.endsWith('marker.txt')));
    await settle();
    // The link itself may be reported (it is copied as a link); nothing behind it ever is.
    expect(paths(changes).filter((path) => path !== join(dir, 'src', 'link'))).toEqual([join(dir, 'src', 'marker.txt')]);
  });

  test('a directory that cannot be read must be skipped with a debug note, the rest still watched', async () => {
    const locked = join(dir, 'src', 'locked');
    mkdirSync(locked, { recursive: true });
    const notes: string[] = [];
    const changes: FileChange[] = [];
    watcher = watchFiles({
      roots: [{ path: join(dir, 'src'), directory: true }],
      skip: () => false,
      onChange: (change) => changes.push(change),
      onError: (error) => {
        throw error;
      },
      debug: (line) => notes.push(line),
      canRead: (path) => path !== locked,
    });
    await watcher.ready;
    writeFileSync(join(locked, 'a.txt'), 'x');
    writeFileSync(join(dir, 'src', 'b.txt'), 'x');
    await until(changes, (seen) => seen.some((change) => change.path.endsWith('b.txt')));
    await settle();
    expect(notes).toEqual([`not watching ${locked}: the directory cannot be read`]);
    expect(paths(changes)).toEqual([join(dir, 'src', 'b.txt')]);
  });
});
