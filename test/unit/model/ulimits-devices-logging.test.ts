import { serviceFrom } from './support.js';

describe('ulimits', () => {
  test('a number must set both limits, a mapping soft and hard', () => {
    const s = serviceFrom('services:\n  s: {image: x, ulimits: {nproc: 65535, nofile: {soft: 1024, hard: 2048}}}\n');
    expect(s.ulimits).toEqual({ nofile: { soft: 1024, hard: 2048 }, nproc: { single: 65535 } });
  });
});

describe('devices', () => {
  test('short entries must become long with rwm by default', () => {
    const s = serviceFrom('services:\n  s: {image: x, devices: ["/dev/a", "/dev/b:/dev/c", "/dev/d:/dev/e:r"]}\n');
    expect(s.devices).toEqual([
      { source: '/dev/a', target: '/dev/a', permissions: 'rwm' },
      { source: '/dev/b', target: '/dev/c', permissions: 'rwm' },
      { source: '/dev/d', target: '/dev/e', permissions: 'r' },
    ]);
  });
});

describe('logging', () => {
  test('options must be strings', () => {
    const s = serviceFrom('services:\n  s: {image: x, logging: {driver: json-file, options: {max-file: 3}}}\n');
    expect(s.logging).toEqual({ driver: 'json-file', options: { 'max-file': '3' } });
  });
});

describe('string lists', () => {
  test('tmpfs, dns and dns_search given as a string must become lists', () => {
    const s = serviceFrom('services:\n  s: {image: x, tmpfs: /run, dns: 8.8.8.8, dns_search: example.com}\n');
    expect([s.tmpfs, s.dns, s.dns_search]).toEqual([['/run'], ['8.8.8.8'], ['example.com']]);
  });
});
