import { describeChanges, describeResults, describeTargets, formatMilliseconds } from '../../../src/watch/report.js';
import { targetsFor } from './support.js';

describe('describeChanges', () => {
  test('one change must name its path and what happened', () => {
    expect(describeChanges([{ path: '/p/src/a.js', kind: 'changed' }], '/p')).toBe('./src/a.js changed');
    expect(describeChanges([{ path: '/p/src/a.js', kind: 'removed' }], '/p')).toBe('./src/a.js deleted');
  });

  test('many changes must be counted, the first three named', () => {
    const changes = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ path: `/p/${name}`, kind: 'changed' as const }));
    expect(describeChanges(changes, '/p')).toBe('5 changes: ./a, ./b, ./c and 2 more');
  });

  test('a path outside the project must be shown absolute', () => {
    expect(describeChanges([{ path: '/etc/x.conf', kind: 'changed' }, { path: '/p/y', kind: 'removed' }], '/p')).toBe('2 changes: /etc/x.conf, ./y (deleted)');
  });
});

describe('formatMilliseconds', () => {
  test.each([
    [12.4, '12 ms'],
    [999, '999 ms'],
    [1234, '1.2 s'],
    [42_000, '42 s'],
  ])('%d ms must read %s', (milliseconds, text) => {
    expect(formatMilliseconds(milliseconds)).toBe(text);
  });
});

describe('describeResults', () => {
  test('done actions must go to info with their time, errors to the error lines', () => {
    const lines = describeResults([
      { service: 'app', done: [{ text: 'copied 2 files into p-app-1', milliseconds: 31 }], errors: [], notes: ['no running container: nothing was copied'] },
      { service: 'web', done: [], errors: ['cannot copy /x into p-web-1: boom\nsecond line'], notes: [] },
    ]);
    expect(lines.info).toEqual(['  app: copied 2 files into p-app-1 (31 ms)', '  app: note: no running container: nothing was copied']);
    expect(lines.errors).toEqual(['  web: error: cannot copy /x into p-web-1: boom\n    second line']);
  });
});

describe('describeTargets', () => {
  test('a bind mount a develop.watch rule takes over must not be listed as reloading, but as handled by the rule', () => {
    const { targets } = targetsFor(`
services:
  one:
    image: x
    volumes: ["./shared:/shared"]
    develop:
      watch:
        - {path: ./shared, target: /copy, action: sync}
  two:
    image: x
    volumes: ["./shared:/mnt/shared"]
`, { kinds: { shared: 'directory' } });
    expect(describeTargets(targets)).toEqual([
      '  one: sync ./shared -> /copy',
      '  two: reload (restart) on ./shared',
      '  one: not reloaded on bind mount ./shared: its changes are handled by the sync rule on ./shared',
      '  re-plan on changes to ./.env, ./compose.yaml',
    ]);
    expect(targets.mounts.map((mount) => mount.service)).toEqual(['two']);
  });

  test('a bind mount with a rule on part of it must say which part the rule takes', () => {
    const { targets } = targetsFor(`
services:
  web:
    image: x
    volumes: ["./site:/site"]
    develop:
      watch:
        - {path: ./site/assets, target: /copy, action: sync}
`, { kinds: { site: 'directory', 'site/assets': 'directory' } });
    expect(describeTargets(targets)[0]).toBe("  web: sync ./site/assets -> /copy; reload (restart) on ./site (except ./site/assets: the rule's)");
  });
});
