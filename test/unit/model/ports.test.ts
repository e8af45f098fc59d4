import { parsePortSpec } from '../../../src/model/ports.js';
import { serviceFrom } from './support.js';

const ports = (list: string) => serviceFrom(`services:\n  s:\n    image: x\n    ports: ${list}\n`).ports;

describe('ports', () => {
  test('a published port must become a long entry with a string published port', () => {
    expect(ports('["8080:80"]')).toEqual([{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]);
  });

  test('a bare container port must have no published port', () => {
    expect(ports('[3000]')).toEqual([{ mode: 'ingress', target: 3000, protocol: 'tcp' }]);
  });

  test('ranges must expand to one entry per port, keeping the host address and protocol', () => {
    expect(ports('["127.0.0.1:9000-9001:9000-9001/udp"]')).toEqual([
      { mode: 'ingress', host_ip: '127.0.0.1', target: 9000, published: '9000', protocol: 'udp' },
      { mode: 'ingress', host_ip: '127.0.0.1', target: 9001, published: '9001', protocol: 'udp' },
    ]);
  });

  test('a host range for one container port must stay a range to allocate from', () => {
    expect(ports('["6060-6062:6060"]')).toEqual([{ mode: 'ingress', target: 6060, published: '6060-6062', protocol: 'tcp' }]);
  });

  test('an IPv6 host address must lose its brackets', () => {
    expect(ports('["[::1]:6000:6000"]')).toEqual([
      { mode: 'ingress', host_ip: '::1', target: 6000, published: '6000', protocol: 'tcp' },
    ]);
  });

  test('expanded entries must be ordered like Compose, by the text port/protocol', () => {
    expect(parsePortSpec('8-10').map((port) => port.target)).toEqual([10, 8, 9]);
  });

  test('identical entries must be kept once', () => {
    expect(ports('["80:80", "80:80", "81:80"]')).toHaveLength(2);
  });

  test('long entries must get mode ingress and protocol tcp by default', () => {
    expect(ports('[{target: 443, published: 8443, host_ip: 127.0.0.1, app_protocol: https, name: web}]')).toEqual([
      { name: 'web', mode: 'ingress', host_ip: '127.0.0.1', target: 443, published: '8443', protocol: 'tcp', app_protocol: 'https' },
    ]);
  });

  test('a malformed entry must give nothing rather than throw', () => {
    expect(parsePortSpec('80:abc')).toEqual([]);
    expect(parsePortSpec('8000-8001:9000-9002')).toEqual([]);
  });
});
