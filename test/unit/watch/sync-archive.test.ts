/** The archive a sync sends, built from a real temporary tree and read back with tar-stream. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract, type Headers } from 'tar-stream';
import { PathFilter } from '../../../src/watch/ignore-rules.js';
import { buildSyncArchive, linkArchive } from '../../../src/watch/sync-archive.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tscompose-sync-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function entries(archive: Buffer): Promise<(Headers & { content: string })[]> {
  const out: (Headers & { content: string })[] = [];
  await new Promise<void>((resolve, reject) => {
    const reader = extract();
    reader.on('entry', (headers, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        out.push({ ...headers, content: Buffer.concat(chunks).toString('utf8') });
        next();
      });
    });
    reader.on('finish', () => resolve());
    reader.on('error', reject);
    reader.end(archive);
  });
  return out;
}

const owner = { uid: 1000, gid: 1000, description: 'user "app" (1000:1000)' };

describe('buildSyncArchive', () => {
  test('a file must be written at its container path, owned by the container user', async () => {
    writeFileSync(join(dir, 'a.txt'), 'hello');
    const result = await buildSyncArchive([{ hostPath: join(dir, 'a.txt'), containerPath: '/app/a.txt', root: '/app', filter: new PathFilter({ root: dir }) }], owner, []);
    expect(result).toMatchObject({ files: 1, directories: 0 });
    const [entry] = await entries(result.archive);
    expect(entry).toMatchObject({ name: 'app/a.txt', type: 'file', uid: 1000, gid: 1000, content: 'hello' });
  });

  test('a symbolic link pointing outside the tree must be written as a link, never as the content', async () => {
    writeFileSync(join(dir, 'secret'), 'top secret');
    mkdirSync(join(dir, 'src'));
    symlinkSync(join(dir, 'secret'), join(dir, 'src', 'link'));
    const result = await buildSyncArchive([{ hostPath: join(dir, 'src', 'link'), containerPath: '/app/link', root: '/app', filter: new PathFilter({ root: join(dir, 'src') }) }], owner, []);
    const [entry] = await entries(result.archive);
    expect(entry).toMatchObject({ name: 'app/link', type: 'symlink', linkname: join(dir, 'secret'), content: '' });
  });

  test('a relative link climbing above the extraction point must be left out of the archive and returned for one of its own', async () => {
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'a.txt'), 'a');
    symlinkSync('../outside.txt', join(dir, 'src', 'up'));
    symlinkSync('inside.txt', join(dir, 'src', 'near'));
    symlinkSync('../../../../etc/hostname', join(dir, 'src', 'above-root'));
    const filter = new PathFilter({ root: join(dir, 'src') });
    const result = await buildSyncArchive([{ hostPath: join(dir, 'src'), containerPath: '/app/src', root: '/app/src', filter }], owner, [], { base: '/app/src' });
    expect((await entries(result.archive)).map((entry) => `${entry.type} ${entry.name}${entry.linkname ? ` -> ${entry.linkname}` : ''}`)).toEqual([
      'directory .',
      'file a.txt',
      'symlink near -> inside.txt',
    ]);
    expect(result.linksAboveBase.map((link) => `${link.containerPath} -> ${link.target}`)).toEqual(['/app/src/up -> ../outside.txt']);
    expect(result.refusedLinks.map((link) => `${link.containerPath} -> ${link.target}`)).toEqual(['/app/src/above-root -> ../../../../etc/hostname']);
    const links = await entries(await linkArchive(result.linksAboveBase, owner));
    expect(links).toMatchObject([{ name: 'app/src/up', type: 'symlink', linkname: '../outside.txt', uid: 1000, gid: 1000 }]);
  });

  test('a directory must be copied with what its rule does not ignore', async () => {
    mkdirSync(join(dir, 'src', 'd', 'node_modules'), { recursive: true });
    writeFileSync(join(dir, 'src', 'd', 'a.js'), 'a');
    writeFileSync(join(dir, 'src', 'd', 'a.tmp'), 't');
    writeFileSync(join(dir, 'src', 'd', 'node_modules', 'x.js'), 'x');
    const filter = new PathFilter({ root: join(dir, 'src'), ignore: ['**/*.tmp', 'd/node_modules'] });
    const result = await buildSyncArchive([{ hostPath: join(dir, 'src', 'd'), containerPath: '/app/d', root: '/app', filter }], owner, []);
    expect((await entries(result.archive)).map((entry) => `${entry.type} ${entry.name}`)).toEqual(['directory app/d', 'file app/d/a.js']);
  });

  test('nothing must be written at or below a bind mount target', async () => {
    mkdirSync(join(dir, 'src', 'data'), { recursive: true });
    writeFileSync(join(dir, 'src', 'data', 'db.json'), '{}');
    writeFileSync(join(dir, 'src', 'main.js'), 'm');
    const result = await buildSyncArchive([{ hostPath: join(dir, 'src'), containerPath: '/app', root: '/app', filter: new PathFilter({ root: join(dir, 'src') }) }], owner, ['/app/data']);
    expect((await entries(result.archive)).map((entry) => entry.name)).toEqual(['app', 'app/main.js']);
  });

  test('names must be relative to the extraction point when one is given', async () => {
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'a.txt'), 'a');
    const filter = new PathFilter({ root: join(dir, 'src') });
    const result = await buildSyncArchive([{ hostPath: join(dir, 'src'), containerPath: '/app/src', root: '/app/src', filter }], owner, [], { base: '/app/src' });
    expect((await entries(result.archive)).map((entry) => `${entry.type} ${entry.name}`)).toEqual(['directory .', 'file a.txt']);
  });

  test('with createParents, the directories between the extraction point and an entry must be written, owned by the container user', async () => {
    mkdirSync(join(dir, 'src', 'lib'), { recursive: true });
    writeFileSync(join(dir, 'src', 'lib', 'a.js'), 'a');
    writeFileSync(join(dir, 'src', 'b.js'), 'b');
    const filter = new PathFilter({ root: join(dir, 'src') });
    const result = await buildSyncArchive(
      [
        { hostPath: join(dir, 'src', 'lib', 'a.js'), containerPath: '/opt/made/here/lib/a.js', root: '/opt/made/here', filter },
        { hostPath: join(dir, 'src', 'b.js'), containerPath: '/opt/made/here/b.js', root: '/opt/made/here', filter },
      ],
      owner,
      [],
      { base: '/opt', createParents: true },
    );
    const written = await entries(result.archive);
    expect(written.map((entry) => `${entry.type} ${entry.name} ${entry.uid}:${entry.gid}`)).toEqual([
      'directory made 1000:1000',
      'directory made/here 1000:1000',
      'directory made/here/lib 1000:1000',
      'file made/here/lib/a.js 1000:1000',
      'file made/here/b.js 1000:1000',
    ]);
    expect(written.filter((entry) => entry.type === 'directory').map((entry) => entry.mode)).toEqual([0o755, 0o755, 0o755]);
    // The parents are not what was synced.
    expect(result).toMatchObject({ files: 2, directories: 0 });
  });

  test('without createParents, only the entries must be written (an existing directory keeps its owner)', async () => {
    writeFileSync(join(dir, 'a.txt'), 'a');
    const result = await buildSyncArchive([{ hostPath: join(dir, 'a.txt'), containerPath: '/app/src/a.txt', root: '/app/src', filter: new PathFilter({ root: dir }) }], owner, [], { base: '/app/src' });
    expect((await entries(result.archive)).map((entry) => entry.name)).toEqual(['a.txt']);
  });

  test('no parent directory must be written for an entry inside a bind mount', async () => {
    writeFileSync(join(dir, 'a.txt'), 'a');
    const result = await buildSyncArchive([{ hostPath: join(dir, 'a.txt'), containerPath: '/project/src/a.txt', root: '/project/src', filter: new PathFilter({ root: dir }) }], owner, ['/project'], { createParents: true });
    expect(await entries(result.archive)).toEqual([]);
  });

  test('a path that disappeared since the event must be skipped', async () => {
    const result = await buildSyncArchive([{ hostPath: join(dir, 'gone.txt'), containerPath: '/app/gone.txt', root: '/app', filter: new PathFilter({ root: dir }) }], owner, []);
    expect(result).toMatchObject({ files: 0, directories: 0 });
  });
});
