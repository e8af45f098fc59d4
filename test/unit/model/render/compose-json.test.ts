import { toComposeJson } from '../../../../src/model/render/compose-json.js';
import { projectFrom } from '../support.js';

const json = (yaml: string) => JSON.parse(toComposeJson(projectFrom(yaml))) as Record<string, any>;

describe('config --format json', () => {
  test('command and entrypoint must be null when unset', () => {
    const service = json('services:\n  s: {image: x}\n').services.s;
    expect(service.command).toBeNull();
    expect(service.entrypoint).toBeNull();
  });

  test('networks must carry ipam: {} and deploy resources: {} and placement: {}, like Go value structs', () => {
    const document = json('services:\n  s: {image: x, deploy: {replicas: 2}}\n');
    expect(document.networks.default).toEqual({ name: 'demo_default', ipam: {} });
    expect(document.services.s.deploy).toEqual({ replicas: 2, resources: {}, placement: {} });
  });

  test('a watch rule must carry exec: {command: null}', () => {
    const document = json('services:\n  s: {build: ., develop: {watch: [{action: rebuild, path: .}]}}\n');
    expect(document.services.s.develop.watch[0].exec).toEqual({ command: null });
  });

  test('x-* keys must be kept at the top level only', () => {
    const document = json('x-top: 1\nservices:\n  s: {image: x, x-inner: 2}\n');
    expect(document['x-top']).toBe(1);
    expect(document.services.s['x-inner']).toBeUndefined();
  });

  test('durations must print like Go and sizes as decimal strings', () => {
    const service = json('services:\n  s: {image: x, stop_grace_period: 1m, mem_limit: 512m, mem_swappiness: 60}\n').services.s;
    expect(service.stop_grace_period).toBe('1m0s');
    expect(service.mem_limit).toBe('536870912');
    expect(service.mem_swappiness).toBe('60');
  });

  test('blkio device entries must use Go field names', () => {
    const service = json('services:\n  s: {image: x, blkio_config: {weight_device: [{path: /dev/sda, weight: 400}], device_read_bps: [{path: /dev/sdb, rate: 12mb}]}}\n')
      .services.s;
    expect(service.blkio_config).toEqual({
      weight_device: [{ Path: '/dev/sda', Weight: 400 }],
      device_read_bps: [{ Path: '/dev/sdb', Rate: '12582912' }],
    });
  });

  test('false and zero must be left out unless Compose holds them in a pointer', () => {
    const service = json('services:\n  s: {image: x, privileged: false, attach: false, cpu_shares: 0, scale: 0}\n').services.s;
    expect(service).not.toHaveProperty('privileged');
    expect(service).not.toHaveProperty('cpu_shares');
    expect(service.attach).toBe(false);
    expect(service.scale).toBe(0);
  });

  test('every $ must be re-escaped as $$', () => {
    const project = projectFrom('services:\n  s: {image: x, environment: {PRICE: "5"}}\n');
    const withDollar = { ...project, services: { s: { ...project.services.s, environment: { PRICE: '$5' } } } };
    expect(JSON.parse(toComposeJson(withDollar)).services.s.environment.PRICE).toBe('$$5');
  });

  test('the top-level keys must be sorted, as Compose prints them from a map', () => {
    expect(Object.keys(json('x-a: 1\nservices:\n  s: {image: x}\n'))).toEqual(['name', 'networks', 'services', 'x-a']);
  });
});
