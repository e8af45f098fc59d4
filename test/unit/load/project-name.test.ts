import { UsageError } from '../../../src/errors.js';
import { normalizeProjectName } from '../../../src/load/project-name.js';
import { loadIn, project } from './load-helpers.js';

const file = 'services:\n  s: {image: x}\n';

describe('the project name', () => {
  test.each([
    ['My.Project_X', 'myproject_x'],
    ['My App', 'myapp'],
    ['_x', 'x'],
    ['--a-b', 'a-b'],
  ])('%j must normalise to %j', (name, expected) => {
    expect(normalizeProjectName(name)).toBe(expected);
  });

  test('-p must win over COMPOSE_PROJECT_NAME, name: and the directory', async () => {
    const dir = project({ 'compose.yaml': `name: fromfile\n${file}`, '.env': 'COMPOSE_PROJECT_NAME=fromdotenv\n' });
    expect((await loadIn(dir, { projectName: 'flag', env: { COMPOSE_PROJECT_NAME: 'shell' } })).name).toBe('flag');
    expect((await loadIn(dir, { env: { COMPOSE_PROJECT_NAME: 'shell' } })).name).toBe('shell');
    expect((await loadIn(dir)).name).toBe('fromdotenv');
  });

  test('the last name: across files must win, interpolated and normalised', async () => {
    const dir = project({ 'a.yaml': `name: first\n${file}`, 'b.yaml': 'name: "${APP} Stack"\n' });
    expect((await loadIn(dir, { files: ['a.yaml', 'b.yaml'], env: { APP: 'Shop' } })).name).toBe('shopstack');
  });

  test('the directory name must be the fallback, normalised', async () => {
    const dir = project({ 'compose.yaml': file }, '_My.Dir');
    expect((await loadIn(dir)).name).toBe('mydir');
  });

  test('an invalid -p must be rejected with Compose\'s message, not normalised', async () => {
    const dir = project({ 'compose.yaml': file });
    await expect(loadIn(dir, { projectName: 'Bad Name' })).rejects.toThrow(
      new UsageError('invalid project name "Bad Name": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number'),
    );
    await expect(loadIn(dir, { env: { COMPOSE_PROJECT_NAME: '-bad' } })).rejects.toThrow('invalid project name "-bad"');
  });

  test('a directory name with no usable character must fail', async () => {
    const dir = project({ 'compose.yaml': file }, '__');
    await expect(loadIn(dir)).rejects.toThrow('project name must not be empty');
  });
});
