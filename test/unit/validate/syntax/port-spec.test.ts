import { parsePortRange, parsePortSpec } from '../../../../src/validate/syntax/port-spec.js';

describe('port spec', () => {
  test('a full spec must give address, ranges and protocol', () => {
    expect(parsePortSpec('127.0.0.1:5000-5001:6000-6001/udp')).toEqual({
      ok: true,
      hostIp: '127.0.0.1',
      published: { start: 5000, end: 5001 },
      target: { start: 6000, end: 6001 },
      protocol: 'udp',
    });
  });

  test('bracketed and bare IPv6 host addresses must be read', () => {
    expect(parsePortSpec('[::1]:80:80')).toMatchObject({ ok: true, hostIp: '::1' });
    expect(parsePortSpec('::1:80:80')).toMatchObject({ ok: true, hostIp: '::1' });
  });

  test('a container port alone must have no published port and tcp', () => {
    expect(parsePortSpec('3000')).toEqual({ ok: true, target: { start: 3000, end: 3000 }, protocol: 'tcp' });
  });

  test('ranges must be ordered and within 0..65535', () => {
    expect(parsePortRange('80-90')).toEqual({ start: 80, end: 90 });
    expect(parsePortRange('90-80')).toBeUndefined();
    expect(parsePortRange('65536')).toBeUndefined();
    expect(parsePortRange('+80')).toBeUndefined();
  });

  test('an empty container port must be reported like the engine does', () => {
    expect(parsePortSpec('80:')).toMatchObject({ ok: false, message: 'No port specified: 80:<empty>' });
  });
});
