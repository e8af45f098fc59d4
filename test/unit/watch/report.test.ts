import { describeChanges, describeResults, formatMilliseconds } from '../../../src/watch/report.js';

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
