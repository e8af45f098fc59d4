import { imageNames, profileNames, servicesInDependencyOrder } from '../../../../src/model/render/listings.js';
import { projectFrom } from '../support.js';

const project = projectFrom(`
services:
  zeta: {image: aaa, depends_on: [alpha]}
  alpha: {image: zzz, links: [mid]}
  mid: {build: ., profiles: [zprof, aprof]}
  off: {image: x, profiles: [other]}
`, { enabled: ['zeta', 'alpha', 'mid'] });

describe('config listings', () => {
  test('services must be listed after their dependencies', () => {
    expect(servicesInDependencyOrder(project)).toEqual(['mid', 'alpha', 'zeta']);
  });

  test('profiles of all services, enabled or not, must be listed once, sorted', () => {
    expect(profileNames(project)).toEqual(['aprof', 'other', 'zprof']);
  });

  test('a service without image must be listed as <project>-<service>', () => {
    expect(imageNames(project)).toEqual(['zzz', 'demo-mid', 'aaa']);
  });
});
