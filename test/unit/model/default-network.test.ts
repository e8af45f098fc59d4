import { projectFrom } from './support.js';

describe('the default network', () => {
  test('a service without networks must join default, which must be created as <project>_default', () => {
    const project = projectFrom('services:\n  s: {image: x}\n');
    expect(project.services.s.networks).toEqual({ default: null });
    expect(project.networks).toEqual({ default: { name: 'demo_default' } });
  });

  test('default must not be added when no service uses it', () => {
    const project = projectFrom('services:\n  s: {image: x, networks: [front]}\nnetworks: {front: {}}\n');
    expect(Object.keys(project.networks)).toEqual(['front']);
  });

  test('a user-defined default network must keep its settings', () => {
    const project = projectFrom('services:\n  s: {image: x}\nnetworks:\n  default: {name: custom, driver: overlay}\n');
    expect(project.networks.default).toEqual({ name: 'custom', driver: 'overlay' });
  });
});
