import { resourceName } from '../../../src/model/resource-names.js';
import { projectFrom } from './support.js';

describe('resource names', () => {
  test('a plain resource must be named <project>_<key>', () => {
    expect(resourceName('data', undefined, false, 'demo')).toBe('demo_data');
  });

  test('an external resource must be named after its key', () => {
    expect(resourceName('shared', undefined, true, 'demo')).toBe('shared');
  });

  test('an explicit name must win, external or not', () => {
    expect(resourceName('data', 'my-data', false, 'demo')).toBe('my-data');
    expect(resourceName('shared', 'other', true, 'demo')).toBe('other');
  });

  test('the legacy external: {name} form must name an external resource', () => {
    const project = projectFrom('services:\n  s: {image: x, volumes: ["v1:/v"]}\nvolumes:\n  v1: {external: {name: legacy}}\n');
    expect(project.volumes.v1).toEqual({ name: 'legacy', external: true });
  });

  test('volumes, secrets and configs must all be named', () => {
    const project = projectFrom(`
services:
  s: {image: x, volumes: ["v1:/v"], secrets: [sec], configs: [cfg]}
volumes: {v1: {}}
secrets: {sec: {external: true}}
configs: {cfg: {name: cfg-v2, file: ./c}}
`);
    expect(project.volumes.v1.name).toBe("demo_v1");
    expect(project.secrets.sec.name).toBe('sec');
    expect(project.configs.cfg.name).toBe('cfg-v2');
  });
});
