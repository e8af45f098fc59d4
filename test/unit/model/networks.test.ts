import { projectFrom } from './support.js';

describe('networks', () => {
  test('a service network list must become a map to null', () => {
    const project = projectFrom('services:\n  s: {image: x, networks: [front, back]}\nnetworks: {front: {}, back: {}}\n');
    expect(project.services.s.networks).toEqual({ back: null, front: null });
  });

  test('a long attachment must keep its options', () => {
    const project = projectFrom(
      'services:\n  s:\n    image: x\n    networks:\n      back: {aliases: [api], ipv4_address: 172.28.0.10, priority: 100}\nnetworks: {back: {}}\n',
    );
    expect(project.services.s.networks).toEqual({ back: { aliases: ['api'], ipv4_address: '172.28.0.10', priority: 100 } });
  });

  test('a top-level network must keep its driver, options, IPAM and flags, with labels as a map', () => {
    const project = projectFrom(`
services:
  s: {image: x, networks: [n]}
networks:
  n:
    driver: bridge
    driver_opts: {com.docker.network.bridge.name: br0}
    internal: true
    labels: [tier=front]
    ipam:
      config: [{subnet: 172.28.0.0/16, gateway: 172.28.0.1}]
      options: {foo: bar}
`);
    expect(project.networks.n).toEqual({
      name: 'demo_n',
      driver: 'bridge',
      driver_opts: { 'com.docker.network.bridge.name': 'br0' },
      internal: true,
      labels: { tier: 'front' },
      ipam: { config: [{ subnet: '172.28.0.0/16', gateway: '172.28.0.1' }], options: { foo: 'bar' } },
    });
  });

  test('network_mode must leave the service without networks', () => {
    const project = projectFrom('services:\n  s: {image: x, network_mode: host}\n');
    expect(project.services.s.networks).toBeUndefined();
    expect(project.networks).toEqual({});
  });
});
