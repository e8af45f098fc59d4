/**
 * `tscompose watch` with the sync action (reliability P17): edits, new files and deletions are
 * mirrored into the container through the archive API, ignored paths are not, symbolic links
 * arrive as links, files belong to the container's user, and initial_sync copies what changed
 * while nobody was watching.
 */
import { jest } from '@jest/globals';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { docker } from '../support/docker-cli.js';
import { contentBecomes, execIn, sleep, WatchProject } from './watch-support.js';

jest.setTimeout(120_000);

const project = new WatchProject('tscw-sync', 'watch-sync');
const app = 'tscw-sync-app-1';

beforeAll(async () => {
  await project.start(['watch']);
});

afterAll(async () => {
  await project.cleanup();
});

/** Waits until the watch reported a batch that mentions `text`. */
async function batchDone(from: ReturnType<WatchProject['mark']>, text: RegExp): Promise<string> {
  await project.waitFor(text, 15_000, from);
  return project.waitFor(/done in \d/, 15_000, from);
}

describe('P17: watch: sync', () => {
  test('initial_sync must copy the rule\'s files when watching starts', async () => {
    expect(await execIn(app, 'cat', '/app/seed/seeded.txt')).toBe('seeded');
  });

  test('a rule without initial_sync must not copy files that existed before watching', async () => {
    expect(await execIn(app, 'ls', '/app/late/before.txt')).toBeUndefined();
  });

  test('an edited file must be copied into every replica', async () => {
    project.write('src/edited.txt', 'v1\n');
    expect(await contentBecomes(app, '/app/src/edited.txt', 'v1')).toBe('v1');
    expect(await contentBecomes('tscw-sync-app-2', '/app/src/edited.txt', 'v1')).toBe('v1');
  });

  test('a new file in a new directory must be copied', async () => {
    mkdirSync(project.path('src/deep/er'), { recursive: true });
    writeFileSync(project.path('src/deep/er/new.txt'), 'fresh\n');
    expect(await contentBecomes(app, '/app/src/deep/er/new.txt', 'fresh')).toBe('fresh');
  });

  test('a deleted file must be deleted in the container', async () => {
    project.write('src/doomed.txt', 'bye\n');
    await contentBecomes(app, '/app/src/doomed.txt', 'bye');
    const from = project.mark();
    rmSync(project.path('src/doomed.txt'));
    await batchDone(from, /doomed\.txt deleted/);
    expect(await execIn(app, 'ls', '/app/src/doomed.txt')).toBeUndefined();
  });

  test('paths the rule, .dockerignore, editors and git produce must not be copied; a ! exception must', async () => {
    mkdirSync(project.path('src/cache'), { recursive: true });
    mkdirSync(project.path('src/.git'), { recursive: true });
    project.write('src/scratch.tmp', 'tmp');
    project.write('src/cache/blob', 'cached');
    project.write('src/generated/out.txt', 'generated');
    project.write('src/.git/HEAD', 'ref');
    project.write('src/.edited.txt.swp', 'swap');
    project.write('src/edited.txt~', 'backup');
    project.write('src/generated/keep.txt', 'kept\n');
    // The re-included file arrives; by then the others (written first) were handled too.
    await contentBecomes(app, '/app/src/generated/keep.txt', 'kept');
    await sleep(300);
    const listing = await execIn(app, 'find', '/app/src');
    for (const path of ['scratch.tmp', 'cache', 'generated/out.txt', '.git', '.edited.txt.swp', 'edited.txt~']) {
      expect(listing).not.toContain(`/app/src/${path}`);
    }
  });

  test('a rule with include must copy only the files it includes', async () => {
    project.write('inc/skipped.txt', 'not included\n');
    project.write('inc/taken.js', 'included\n');
    expect(await contentBecomes(app, '/app/inc/taken.js', 'included')).toBe('included');
    await sleep(300);
    expect(await execIn(app, 'ls', '/app/inc/skipped.txt')).toBeUndefined();
  });

  test('a symbolic link to a file outside the tree must arrive as the link, never as the file\'s content (P17)', async () => {
    writeFileSync(project.path('outside-secret.txt'), 'secret\n');
    symlinkSync(project.path('outside-secret.txt'), project.path('src/link'));
    const target = await contentBecomesLink(app, '/app/src/link');
    expect(target).toBe(project.path('outside-secret.txt'));
    expect(await execIn(app, 'cat', '/app/src/link')).toBeUndefined();
  });

  test('synced files must belong to the service\'s user, even without a passwd entry for it', async () => {
    project.write('src/owned.txt', 'mine\n');
    await contentBecomes(app, '/app/src/owned.txt', 'mine');
    expect(await docker('exec', app, 'stat', '-c', '%u:%g', '/app/src/owned.txt')).toBe('4242:4343');
  });

  test('directories a sync creates for its target must belong to the service\'s user, who can then write there', async () => {
    project.write('nested/n.txt', 'nested\n');
    expect(await contentBecomes(app, '/opt/made/here/n.txt', 'nested')).toBe('nested');
    expect(await docker('exec', app, 'stat', '-c', '%n %u:%g %a', '/opt', '/opt/made', '/opt/made/here')).toBe(
      ['/opt 4242:4343 755', '/opt/made 4242:4343 755', '/opt/made/here 4242:4343 755'].join('\n'),
    );
    // The container runs as 4242:4343: its user can create files in its own sync target.
    await docker('exec', app, 'sh', '-c', 'echo mine > /opt/made/here/written-by-app.txt');
    expect(await execIn(app, 'cat', '/opt/made/here/written-by-app.txt')).toBe('mine');
  });

  test('a save by rename must copy the file, and neither delete nor name the temporary file', async () => {
    const from = project.mark();
    project.write('src/renamed.txt.new', 'renamed\n');
    // Still within the quiet period: the temporary file belongs to the same batch as the rename.
    await sleep(20);
    renameSync(project.path('src/renamed.txt.new'), project.path('src/renamed.txt'));
    const output = await batchDone(from, /renamed\.txt/);
    expect(output).toMatch(/^watch: \.\/src\/renamed\.txt changed$/m);
    expect(output).not.toMatch(/renamed\.txt\.new|deleted/);
    expect(await execIn(app, 'cat', '/app/src/renamed.txt')).toBe('renamed');
  });

  test('a batch must say what changed, what was done to which service, and how long it took', async () => {
    const from = project.mark();
    project.write('src/reported.txt', 'r\n');
    const output = await batchDone(from, /reported\.txt/);
    expect(output).toMatch(/^watch: \.\/src\/reported\.txt changed$/m);
    expect(output).toMatch(/^ {2}app: copied 1 file into tscw-sync-app-1, tscw-sync-app-2 \(\d+ ms\)$/m);
  });
});

/** The target of a symbolic link in the container, once it exists. */
async function contentBecomesLink(container: string, path: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const target = await execIn(container, 'readlink', path);
    if (target) return target;
    if (Date.now() > deadline) throw new Error(`${path} is not a link in ${container}`);
    await sleep(100);
  }
}
