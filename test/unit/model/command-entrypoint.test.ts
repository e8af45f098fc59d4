import { serviceFrom } from './support.js';

const service = (body: string) => serviceFrom(`services:\n  s:\n    image: x\n${body}`);

describe('command and entrypoint', () => {
  test('strings must be shell-split', () => {
    const s = service('    command: echo "hello world"\n    entrypoint: /bin/sh -c\n');
    expect(s.command).toEqual(['echo', 'hello world']);
    expect(s.entrypoint).toEqual(['/bin/sh', '-c']);
  });

  test('lists must be kept', () => {
    expect(service('    command: ["echo", "one two"]\n').command).toEqual(['echo', 'one two']);
  });

  test('an empty string or list must be an explicit empty list', () => {
    const s = service('    command: ""\n    entrypoint: []\n');
    expect(s.command).toEqual([]);
    expect(s.entrypoint).toEqual([]);
  });

  test('unset must stay absent', () => {
    expect(service('').command).toBeUndefined();
  });
});
