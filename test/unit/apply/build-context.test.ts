import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { extract, type Headers } from 'tar-stream';
import { packBuildContext } from '../../../src/apply/build-context.js';
import { containerFilesArchive } from '../../../src/apply/container-files.js';
import { tempTree } from '../../support/temp-tree.js';

const tree = tempTree('tsce-context-');
const files = (entries: Record<string, string>): void => tree.files(entries);

interface Entry {
  readonly header: Headers;
  readonly content: string;
}

async function entries(archive: Readable | Buffer): Promise<Map<string, Entry>> {
  const found = new Map<string, Entry>();
  const reader = extract();
  const done = new Promise<void>((resolve, reject) => {
    reader.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        found.set(header.name, { header, content: Buffer.concat(chunks).toString() });
        next();
      });
    });
    reader.on('finish', resolve);
    reader.on('error', reject);
  });
  if (Buffer.isBuffer(archive)) reader.end(archive);
  else archive.pipe(reader);
  await done;
  return found;
}

describe('packBuildContext', () => {
  test('excluded files and directories must not be sent', async () => {
    files({ Dockerfile: 'FROM x', 'app.js': '', '.dockerignore': 'node_modules\n*.log\n', 'node_modules/dep/index.js': '', 'debug.log': '', 'src/deep.log': '' });
    const packed = await packBuildContext({ context: tree.root });
    expect([...(await entries(packed.archive)).keys()].sort()).toEqual(['.dockerignore', 'Dockerfile', 'app.js', 'src', 'src/deep.log']);
    expect(packed.dockerfile).toBe('Dockerfile');
  });

  test('an exception must re-include a file inside an excluded directory', async () => {
    files({ Dockerfile: '', '.dockerignore': 'vendor\n!vendor/keep/me.txt\n', 'vendor/drop.txt': '', 'vendor/keep/me.txt': 'kept' });
    const names = [...(await entries((await packBuildContext({ context: tree.root })).archive)).keys()];
    expect(names.sort()).toEqual(['.dockerignore', 'Dockerfile', 'vendor/keep/me.txt']);
  });

  test('the Dockerfile and .dockerignore must be sent even when excluded', async () => {
    files({ 'build/App.Dockerfile': 'FROM x', '.dockerignore': '*\n', 'app.js': '' });
    const packed = await packBuildContext({ context: tree.root, dockerfile: 'build/App.Dockerfile' });
    expect([...(await entries(packed.archive)).keys()].sort()).toEqual(['.dockerignore', 'build/App.Dockerfile']);
    expect(packed.dockerfile).toBe('build/App.Dockerfile');
  });

  test('owners must be tree.root and modes and symlinks kept', async () => {
    files({ Dockerfile: '', 'run.sh': '#!/bin/sh' });
    const { chmodSync } = await import('node:fs');
    chmodSync(join(tree.root, 'run.sh'), 0o750);
    symlinkSync('run.sh', join(tree.root, 'link'));
    const found = await entries((await packBuildContext({ context: tree.root })).archive);
    expect(found.get('run.sh')?.header).toMatchObject({ mode: 0o750, uid: 0, gid: 0, type: 'file' });
    expect(found.get('link')?.header).toMatchObject({ type: 'symlink', linkname: 'run.sh' });
  });

  test('a Dockerfile outside the context must be added under a generated name', async () => {
    files({ 'ctx/app.js': '', 'elsewhere/Dockerfile': 'FROM outside' });
    const packed = await packBuildContext({ context: join(tree.root, 'ctx'), dockerfile: join(tree.root, 'elsewhere', 'Dockerfile') });
    expect(packed.dockerfile).toMatch(/^\.dockerfile\.[0-9a-f]{20}$/);
    const found = await entries(packed.archive);
    expect(found.get(packed.dockerfile)?.content).toBe('FROM outside');
  });

  test('a generated Dockerfile must be named in the .dockerignore sent along, so the engine drops it from the context', async () => {
    files({ 'ctx/app.js': '', 'ctx/.dockerignore': '*.log', 'elsewhere/Dockerfile': 'FROM outside' });
    const packed = await packBuildContext({ context: join(tree.root, 'ctx'), dockerfile: join(tree.root, 'elsewhere', 'Dockerfile') });
    const found = await entries(packed.archive);
    expect(found.get('.dockerignore')?.content).toBe(`*.log\n${packed.dockerfile}\n`);
  });

  test('an inline Dockerfile must be added under a generated name', async () => {
    files({ 'app.js': '' });
    const packed = await packBuildContext({ context: tree.root, dockerfileInline: 'FROM inline\n' });
    expect((await entries(packed.archive)).get(packed.dockerfile)?.content).toBe('FROM inline\n');
  });

  test('a missing context directory must be a clear error', async () => {
    await expect(packBuildContext({ context: join(tree.root, 'absent') })).rejects.toThrow(`the build context ${join(tree.root, 'absent')} is not a directory`);
  });

  test('a Dockerfile-specific ignore file must win over the context\'s .dockerignore', async () => {
    files({ 'app.Dockerfile': 'FROM x', 'app.Dockerfile.dockerignore': 'secret.txt\n', '.dockerignore': 'public.txt\n', 'secret.txt': '', 'public.txt': '' });
    const packed = await packBuildContext({ context: tree.root, dockerfile: 'app.Dockerfile' });
    const names = [...(await entries(packed.archive)).keys()];
    expect(names).toContain('public.txt');
    expect(names).not.toContain('secret.txt');
  });

});

describe('containerFilesArchive', () => {
  test('files must be written at their absolute path with mode and owner', async () => {
    const archive = await containerFilesArchive([
      { path: '/run/secrets/db_password', content: 'pw', mode: 0o400, uid: 1000, gid: 1000 },
      { path: '/config.json', content: '{}', mode: 0o444, uid: 0, gid: 0 },
    ]);
    const found = await entries(archive);
    expect(found.get('run/secrets/db_password')).toEqual({ header: expect.objectContaining({ mode: 0o400, uid: 1000, gid: 1000, type: 'file' }), content: 'pw' });
    expect(found.get('config.json')?.content).toBe('{}');
    expect(found.has('run') || found.has('run/')).toBe(false);
  });
});
