import { parseProfileList, selectProfiles } from '../../../src/load/profiles.js';
import { loadError, loadIn, project } from './load-helpers.js';

const services = {
  a: { image: 'x', profiles: ['pa'] },
  b: { image: 'x', profiles: ['pb'] },
  c: { image: 'x', profiles: ['pb', 'pc'] },
  d: { image: 'x' },
};

describe('profiles', () => {
  test('services without profiles must always be enabled', () => {
    expect(selectProfiles(services, []).enabled).toEqual(['d']);
  });

  test('a service must be enabled when one of its profiles is active', () => {
    expect(selectProfiles(services, ['pc']).enabled).toEqual(['c', 'd']);
  });

  test('"*" must enable every service', () => {
    expect(selectProfiles(services, ['*']).enabled).toEqual(['a', 'b', 'c', 'd']);
  });

  test('a service named on the command line must be enabled and activate its profiles', () => {
    const selection = selectProfiles(services, [], ['c']);
    expect(selection.enabled).toEqual(['b', 'c', 'd']);
    expect(selection.activeProfiles.sort()).toEqual(['pb', 'pc']);
  });

  test('an unknown service named on the command line must be reported', () => {
    expect(selectProfiles(services, [], ['nope']).unknown).toEqual(['nope']);
  });

  test('malformed services or profiles must not crash the selection', () => {
    expect(selectProfiles({ a: null, b: 'str', c: { profiles: 'p' } }, []).enabled).toEqual(['a', 'b', 'c']);
    expect(selectProfiles(undefined, ['x']).enabled).toEqual([]);
  });

  test('COMPOSE_PROFILES must be a comma list with blanks ignored', () => {
    expect(parseProfileList(' a, b ,,')).toEqual(['a', 'b']);
  });

  test('load() must combine --profile, COMPOSE_PROFILES and named services', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  a: {image: x, profiles: [pa]}\n  b: {image: x, profiles: [pb]}\n  d: {image: x}\n' });
    expect((await loadIn(dir, { env: { COMPOSE_PROFILES: 'pa' } })).enabledServices).toEqual(['a', 'd']);
    expect((await loadIn(dir, { env: { COMPOSE_PROFILES: 'pa' }, profiles: ['pb'] })).enabledServices).toEqual(['b', 'd']);
    const named = await loadIn(dir, { services: ['b'] });
    expect([named.enabledServices, named.activeProfiles]).toEqual([['b', 'd'], ['pb']]);
    expect((await loadError(dir, { services: ['nope'] })).problems[0].message).toBe('no such service: nope');
  });
});
