import { normalizeProjectName } from '../../../src/load/project-name.js';
import { loadError, loadIn, project } from './load-helpers.js';

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
    const error = await loadError(dir, { projectName: 'Bad Name' });
    expect(error.problems).toEqual([
      {
        path: '',
        message:
          'invalid project name "Bad Name": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number',
      },
    ]);
    expect((await loadError(dir, { env: { COMPOSE_PROJECT_NAME: '-bad' } })).problems[0].message).toMatch(/^invalid project name "-bad"/);
  });

  test('an invalid COMPOSE_PROJECT_NAME in .env must point at its line', async () => {
    const dir = project({ 'compose.yaml': file, '.env': 'A=1\nCOMPOSE_PROJECT_NAME=My App\n' });
    expect((await loadError(dir)).problems[0]).toMatchObject({
      message: expect.stringMatching(/^invalid project name "My App"/),
      location: { file: `${dir}/.env`, line: 2, col: 1 },
    });
  });

  test('a directory name with no usable character must fail', async () => {
    const dir = project({ 'compose.yaml': file }, '__');
    expect((await loadError(dir)).problems[0].message).toBe('project name must not be empty');
  });

  test('a name: that needs normalising must warn where it is written, saying what it became', async () => {
    const dir = project({ 'compose.yaml': `name: "My Project!"\n${file}` });
    const result = await loadIn(dir);
    expect(result.name).toBe('myproject');
    expect(result.warnings).toEqual([
      'compose.yaml:1:7: project name "My Project!" is not a valid project name; using "myproject" (write name: myproject to silence this)',
    ]);
  });

  test('a valid name: must load without a warning', async () => {
    const dir = project({ 'compose.yaml': `name: my-project\n${file}` });
    expect((await loadIn(dir)).warnings).toEqual([]);
  });
});
