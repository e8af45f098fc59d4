import { loadError, loadIn, project, services } from './load-helpers.js';

const file = 'services:\n  s:\n    image: "img:${TAG}"\n    profiles: ["${P:-all}"]\n';

describe('the project env file', () => {
  test('.env in the project directory must feed interpolation and be reported', async () => {
    const dir = project({ 'compose.yaml': file, '.env': 'TAG=fromdotenv\n' });
    const result = await loadIn(dir, { env: { P: 'x' }, profiles: ['x'] });
    expect(services(result).s.image).toBe('img:fromdotenv');
    expect(result.envFiles).toEqual([`${dir}/.env`]);
    expect(result.environment.TAG).toBe('fromdotenv');
  });

  test('--env-file must replace .env, later files winning, relative to the current directory', async () => {
    const dir = project({ 'compose.yaml': file, '.env': 'TAG=dotenv\n', 'a.env': 'TAG=a\nOTHER=1\n', 'b.env': 'TAG=b-${OTHER}\n' });
    const result = await loadIn(dir, { envFiles: ['a.env', 'b.env'], profiles: ['all'] });
    expect(services(result).s.image).toBe('img:b-1');
    expect(result.envFiles).toEqual([`${dir}/a.env`, `${dir}/b.env`]);
  });

  test('a missing --env-file must fail like Compose', async () => {
    const dir = project({ 'compose.yaml': file });
    expect((await loadError(dir, { envFiles: ['nope.env'] })).problems[0].message).toBe(`Couldn't find env file: ${dir}/nope.env`);
  });

  test('the shell must win over .env', async () => {
    const dir = project({ 'compose.yaml': file, '.env': 'TAG=dotenv\n' });
    const result = await loadIn(dir, { env: { TAG: 'shell' }, profiles: ['all'] });
    expect(services(result).s.image).toBe('img:shell');
    expect(result.environment.TAG).toBe('shell');
  });

  test('COMPOSE_PROFILES and COMPOSE_PROJECT_NAME from .env must be honoured, --profile replacing COMPOSE_PROFILES', async () => {
    const dir = project({
      'compose.yaml': 'services:\n  a: {image: x, profiles: [pa]}\n  b: {image: x, profiles: [pb]}\n',
      '.env': 'COMPOSE_PROFILES=pa\nCOMPOSE_PROJECT_NAME=fromenv\n',
    });
    const fromEnv = await loadIn(dir);
    expect([fromEnv.name, fromEnv.enabledServices]).toEqual(['fromenv', ['a']]);
    expect((await loadIn(dir, { profiles: ['pb'] })).enabledServices).toEqual(['b']);
  });

  test('a malformed .env line must be reported at its position in that file', async () => {
    const dir = project({ 'compose.yaml': file, '.env': 'OK=1\nBAD KEY=2\n' });
    const problem = (await loadError(dir)).problems[0];
    expect(problem.location).toEqual({ file: `${dir}/.env`, line: 2, col: 1 });
    expect(problem.message).toContain('key cannot contain a space');
  });
});
