import { serviceFrom } from './support.js';

const extraHosts = (value: string) => serviceFrom(`services:\n  s:\n    image: x\n    extra_hosts: ${value}\n`).extra_hosts;

describe('extra_hosts', () => {
  test('host:ip and host=ip must both become host=ip, sorted', () => {
    expect(extraHosts('["web:10.0.0.1", "api=10.0.0.2", "gw:host-gateway"]')).toEqual([
      'api=10.0.0.2',
      'gw=host-gateway',
      'web=10.0.0.1',
    ]);
  });

  test('IPv6 addresses must be split at the first colon and lose their brackets', () => {
    expect(extraHosts('["v6:::1", "v6b=[2001:db8::1]"]')).toEqual(['v6=::1', 'v6b=2001:db8::1']);
  });

  test('the map form must give the same entries', () => {
    expect(extraHosts('{web: 10.0.0.1, v6: "::1"}')).toEqual(['v6=::1', 'web=10.0.0.1']);
  });

  test('duplicates must be kept once', () => {
    expect(extraHosts('["a:1.1.1.1", "a=1.1.1.1"]')).toEqual(['a=1.1.1.1']);
  });
});
