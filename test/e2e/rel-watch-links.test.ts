/**
 * Watch sync and symbolic links that point out of the synced tree (P17). The engine refuses an
 * archive holding a relative link that climbs above the directory it is extracted in (`invalid
 * symlink`): one such link used to fail its whole batch, so the files next to it were never
 * copied, and `initial_sync` failed for as long as the link existed. Links still arrive as links,
 * never as the content they point to; one that climbs above the container's root cannot be
 * represented at all and is left out with a note.
 */
import { jest } from '@jest/globals';
import { symlinkSync, writeFileSync } from 'node:fs';
import { docker } from '../support/docker-cli.js';
import { contentBecomes, eventually, execIn, WatchProject } from './watch-support.js';

jest.setTimeout(120_000);

const project = new WatchProject('rel-wlinks', 'rel-watch-links');
const app = 'rel-wlinks-app-1';

/** The target of a symbolic link in the container, once it is there. */
function linkBecomes(path: string): Promise<string> {
  return eventually(() => execIn(app, 'readlink', path), 10_000, `${app}:${path} is a link`);
}

beforeAll(async () => {
  writeFileSync(project.path('outside.txt'), 'the host file\n');
  symlinkSync('../outside.txt', project.path('src/up'));
  await project.start(['watch']);
});

afterAll(async () => {
  await project.cleanup();
});

describe('P17: watch: links out of the tree', () => {
  test('initial_sync must copy the files next to a link that climbs out of the tree, and the link as a link', async () => {
    expect(await contentBecomes(app, '/app/src/a.txt', 'alpha')).toBe('alpha');
    expect(await linkBecomes('/app/src/up')).toBe('../outside.txt');
    expect(project.stderr).not.toContain('initial sync failed');
  });

  test('a batch holding such links must still copy its files; a link above the container\'s root must be left out with a note', async () => {
    const from = project.mark();
    symlinkSync('../outside.txt', project.path('src/up-again'));
    symlinkSync('../../../../../../../../../../etc/hostname', project.path('src/above-root'));
    writeFileSync(project.path('src/b.txt'), 'beta\n');
    expect(await contentBecomes(app, '/app/src/b.txt', 'beta')).toBe('beta');
    expect(await linkBecomes('/app/src/up-again')).toBe('../outside.txt');
    const output = await project.waitFor(/above-root/, 10_000, from);
    expect(output).toMatch(/not copied: \/app\/src\/above-root -> \.\.\/\.\.\/.*: the link points above the container's root directory/);
    expect(await execIn(app, 'ls', '/app/src/above-root')).toBeUndefined();
    expect(await docker('exec', app, 'cat', '/app/src/b.txt')).toBe('beta');
  });
});
