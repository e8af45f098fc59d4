import { isEditorTemporaryFile, PathFilter } from '../../../src/watch/ignore-rules.js';

const ROOT = '/proj/src';

describe('PathFilter: ignore patterns (dockerignore semantics)', () => {
  test('a pattern must be anchored at the root: *.md ignores top-level files only', () => {
    const filter = new PathFilter({ root: ROOT, ignore: ['*.md'] });
    expect(filter.ignores(`${ROOT}/README.md`, false)).toBe(true);
    expect(filter.ignores(`${ROOT}/docs/guide.md`, false)).toBe(false);
  });

  test('** must match at any depth', () => {
    const filter = new PathFilter({ root: ROOT, ignore: ['**/*.tmp'] });
    expect(filter.ignores(`${ROOT}/a.tmp`, false)).toBe(true);
    expect(filter.ignores(`${ROOT}/x/y/z.tmp`, false)).toBe(true);
    expect(filter.ignores(`${ROOT}/x/y/z.txt`, false)).toBe(false);
  });

  test('a pattern matching a directory must cover everything below it', () => {
    const filter = new PathFilter({ root: ROOT, ignore: ['node_modules'] });
    expect(filter.ignores(`${ROOT}/node_modules`, true)).toBe(true);
    expect(filter.ignores(`${ROOT}/node_modules/left-pad/index.js`, false)).toBe(true);
  });

  test('a ! pattern must re-include a file below an ignored directory', () => {
    const filter = new PathFilter({ root: ROOT, ignore: ['logs', '!logs/keep.log'] });
    expect(filter.ignores(`${ROOT}/logs/debug.log`, false)).toBe(true);
    expect(filter.ignores(`${ROOT}/logs/keep.log`, false)).toBe(false);
  });

  test('the last matching pattern must win', () => {
    const filter = new PathFilter({ root: ROOT, ignore: ['*.md', '!README.md', 'README.md'] });
    expect(filter.ignores(`${ROOT}/README.md`, false)).toBe(true);
    const reincluded = new PathFilter({ root: ROOT, ignore: ['*.md', '!README.md'] });
    expect(reincluded.ignores(`${ROOT}/README.md`, false)).toBe(false);
    expect(reincluded.ignores(`${ROOT}/CHANGES.md`, false)).toBe(true);
  });

  test('the root itself must never be ignored', () => {
    const filter = new PathFilter({ root: ROOT, ignore: ['**'] });
    expect(filter.ignores(ROOT, true)).toBe(false);
    expect(filter.ignores(`${ROOT}/a.js`, false)).toBe(true);
  });

  test('a path outside the root must count as ignored', () => {
    expect(new PathFilter({ root: ROOT }).ignores('/proj/other/a.js', false)).toBe(true);
    expect(new PathFilter({ root: ROOT }).ignores('/proj/src-old/a.js', false)).toBe(true);
  });
});

describe('PathFilter: .dockerignore of the build context', () => {
  const dockerignore = { context: '/proj', text: '# comment\nnode_modules\nsrc/generated\n!src/generated/keep.ts\n\n*.log\n' };

  test('its patterns must apply relative to the context, not to the rule path', () => {
    const filter = new PathFilter({ root: ROOT, dockerignore });
    expect(filter.ignores(`${ROOT}/generated/out.ts`, false)).toBe(true);
    expect(filter.ignores(`${ROOT}/app.log`, false)).toBe(false);
    expect(filter.ignores('/proj/src/app.ts', false)).toBe(false);
  });

  test('its ! negations must re-include files', () => {
    const filter = new PathFilter({ root: ROOT, dockerignore });
    expect(filter.ignores(`${ROOT}/generated/keep.ts`, false)).toBe(false);
  });

  test('it must not apply to paths outside the context', () => {
    const filter = new PathFilter({ root: '/elsewhere', dockerignore });
    expect(filter.ignores('/elsewhere/node_modules/x.js', false)).toBe(false);
  });
});

describe('PathFilter: include', () => {
  test('only files matching an include pattern must count', () => {
    const filter = new PathFilter({ root: ROOT, include: ['**/*.js'] });
    expect(filter.ignores(`${ROOT}/a/b.js`, false)).toBe(false);
    expect(filter.ignores(`${ROOT}/a/b.css`, false)).toBe(true);
  });

  test('include must never exclude a directory (what it holds may match)', () => {
    const filter = new PathFilter({ root: ROOT, include: ['**/*.js'] });
    expect(filter.ignores(`${ROOT}/a`, true)).toBe(false);
    expect(filter.prunes(`${ROOT}/a`)).toBe(false);
  });

  test('ignore must win over include', () => {
    const filter = new PathFilter({ root: ROOT, include: ['**/*.js'], ignore: ['vendor'] });
    expect(filter.ignores(`${ROOT}/vendor/lib.js`, false)).toBe(true);
  });
});

describe('PathFilter: implicit ignores', () => {
  test('.git must be ignored at any depth, files and directories', () => {
    const filter = new PathFilter({ root: ROOT });
    expect(filter.ignores(`${ROOT}/.git`, true)).toBe(true);
    expect(filter.ignores(`${ROOT}/.git/index`, false)).toBe(true);
    expect(filter.ignores(`${ROOT}/vendor/lib/.git/HEAD`, false)).toBe(true);
    expect(filter.prunes(`${ROOT}/.git`)).toBe(true);
  });

  test.each(['.main.js.swp', '.main.js.swo', '.main.js.swpx', '4913', 'main.js~', '.#main.js', '#main.js#', '.main.js.kate-swp', 'main.js___jb_tmp___', 'main.js___jb_old___'])(
    'the editor temporary file %s must be ignored',
    (name) => {
      expect(isEditorTemporaryFile(name)).toBe(true);
      expect(new PathFilter({ root: ROOT }).ignores(`${ROOT}/lib/${name}`, false)).toBe(true);
    },
  );

  test.each(['main.js', 'swap.txt', '.env', 'notes#1.md', 'file.sw'])('the ordinary file %s must not be taken for an editor file', (name) => {
    expect(isEditorTemporaryFile(name)).toBe(false);
  });

  test('.idea must be pruned', () => {
    expect(new PathFilter({ root: ROOT }).prunes(`${ROOT}/.idea`)).toBe(true);
  });
});

describe('PathFilter.prunes (may the watcher skip a directory whole?)', () => {
  test('an ignored directory without exceptions below it must be pruned', () => {
    const filter = new PathFilter({ root: ROOT, dockerignore: { context: '/proj', text: 'src/node_modules' } });
    expect(filter.prunes(`${ROOT}/node_modules`)).toBe(true);
    expect(filter.prunes(`${ROOT}/lib`)).toBe(false);
  });

  test('an ignored directory holding a re-included file must stay open', () => {
    const filter = new PathFilter({ root: ROOT, ignore: ['logs', '!logs/keep.log'] });
    expect(filter.prunes(`${ROOT}/logs`)).toBe(false);
  });

  test('a wildcard exception that may match inside must keep the directory open', () => {
    const filter = new PathFilter({ root: ROOT, ignore: ['build', '!**/keep.txt'] });
    expect(filter.prunes(`${ROOT}/build`)).toBe(false);
    const segment = new PathFilter({ root: ROOT, ignore: ['out', '!o*/keep.txt'] });
    expect(segment.prunes(`${ROOT}/out`)).toBe(false);
  });

  test('an exception elsewhere must not keep an unrelated directory open', () => {
    const filter = new PathFilter({ root: ROOT, ignore: ['node_modules', 'logs', '!logs/keep.log'] });
    expect(filter.prunes(`${ROOT}/node_modules`)).toBe(true);
  });

  test('an exception of the rule must not reopen what .dockerignore excluded', () => {
    const filter = new PathFilter({ root: ROOT, ignore: ['!node_modules/keep'], dockerignore: { context: '/proj', text: 'src/node_modules' } });
    expect(filter.prunes(`${ROOT}/node_modules`)).toBe(true);
  });
});
