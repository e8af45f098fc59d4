import { locate } from '../../../src/load/located.js';
import { loadError, loadIn, project, services } from './load-helpers.js';

describe('env_file folded into environment', () => {
  test('the short form must be read relative to the project directory and removed', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  s:\n    image: x\n    env_file: e.env\n', 'e.env': 'A=1\nB="two ${A}"\n' });
    expect(services(await loadIn(dir)).s).toEqual({ image: 'x', environment: { A: '1', B: 'two 1' } });
  });

  test('environment must win over env files, and later env files over earlier ones', async () => {
    const dir = project({
      'compose.yaml': 'services:\n  s:\n    image: x\n    env_file: [a.env, b.env]\n    environment: [A=env, C]\n',
      'a.env': 'A=a\nB=a\nC=a\n',
      'b.env': 'B=b\n',
    });
    expect(services(await loadIn(dir)).s.environment).toEqual(['A=env', 'C', 'B=b']);
  });

  test('the shell environment must win over earlier keys when an env file value refers to them', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  s: {image: x, env_file: e.env}\n', 'e.env': 'FOO=1\nBAR="two ${FOO}"\n' });
    expect(services(await loadIn(dir, { env: { FOO: '9' } })).s.environment).toEqual({ FOO: '1', BAR: 'two 9' });
  });

  test('required: false must skip a missing file; a missing required file must fail like Compose', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  s:\n    image: x\n    env_file:\n      - path: nope.env\n        required: false\n' });
    expect(services(await loadIn(dir)).s).toEqual({ image: 'x' });
    const strict = project({ 'compose.yaml': 'services:\n  s:\n    image: x\n    env_file: [nope.env]\n' });
    const problem = (await loadError(strict)).problems[0];
    expect(problem).toMatchObject({
      path: 'services.s.env_file[0]',
      message: `env file ${strict}/nope.env not found: stat ${strict}/nope.env: no such file or directory`,
      location: { file: `${strict}/compose.yaml`, line: 4, col: 16 },
    });
  });

  test('format: raw must take values literally', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  s:\n    image: x\n    env_file: [{path: r.env, format: raw}]\n', 'r.env': 'A="quoted $X" # not a comment\n' });
    expect(services(await loadIn(dir)).s.environment).toEqual({ A: '"quoted $X" # not a comment' });
  });

  test('values from an env file must point at their line in that file', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  s: {image: x, env_file: e.env}\n', 'e.env': '# c\nA=1\n' });
    const result = await loadIn(dir);
    expect(locate(result.tree, ['services', 's', 'environment', 'A'])).toEqual({ file: `${dir}/e.env`, line: 2, col: 1 });
    expect(result.sources.get(`${dir}/e.env`)).toBe('# c\nA=1\n');
  });

  test('a service disabled by a profile must keep its env_file unread', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  s: {image: x, profiles: [off], env_file: nope.env}\n' });
    expect(services(await loadIn(dir)).s.env_file).toBe('nope.env');
  });

  test('an env file that is a directory must fail like Compose', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  s: {image: x, env_file: d}\n', 'd/keep': '' });
    expect((await loadError(dir)).problems[0].message).toBe(`read ${dir}/d: is a directory`);
  });
});
