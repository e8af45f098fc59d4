import { serviceFrom } from './support.js';

describe('labels, annotations and sysctls', () => {
  test('the list form must become a map and a valueless label must be empty', () => {
    const s = serviceFrom('services:\n  s: {image: x, labels: [a=1, "b=", c]}\n', 's', { environment: { c: 'ignored' } });
    expect(s.labels).toEqual({ a: '1', b: '', c: '' });
  });

  test('map values must be strings', () => {
    const s = serviceFrom('services:\n  s: {image: x, labels: {flag: true, num: 42}, sysctls: {net.core.somaxconn: 1024}}\n');
    expect(s.labels).toEqual({ flag: 'true', num: '42' });
    expect(s.sysctls).toEqual({ 'net.core.somaxconn': '1024' });
  });

  test('annotations and sysctls must accept the list form too', () => {
    const s = serviceFrom('services:\n  s: {image: x, annotations: [a=b], sysctls: [net.ipv4.ip_forward=1]}\n');
    expect(s.annotations).toEqual({ a: 'b' });
    expect(s.sysctls).toEqual({ 'net.ipv4.ip_forward': '1' });
  });
});
