import { problemLines } from '../support/project-from-yaml.js';

const withPorts = (ports: string): string => `services:\n  a:\n    image: x\n    ports: ${ports}\n`;

describe('rule: port syntax', () => {
  test.each([
    ['"abc:80"', 'Invalid hostPort: abc'],
    ['"99999:80"', 'Invalid hostPort: 99999'],
    ['"80:abc"', 'Invalid containerPort: abc'],
    ['"90-80:80"', 'Invalid hostPort: 90-80'],
    ['"8000-8002:80-81"', 'Invalid ranges specified for container and host Ports: 80-81 and 8000-8002'],
    ['"8080:80/xyz"', 'Invalid proto: xyz'],
    ['"nope:80:80"', 'Invalid ip address: nope'],
    ['"0"', 'port mapping is missing a target port'],
    ['100000', 'Invalid containerPort: 100000'],
  ])('%s must be rejected with "%s"', (entry, message) => {
    expect(problemLines(withPorts(`[${entry}]`))).toEqual([`services.a.ports[0]: ${message}`]);
  });

  test('every short form Compose documents must be accepted', () => {
    const ports = '["3000", "3000-3005", "8000:8000", "9090-9091:8080-8081", "49100:22", "127.0.0.1:8001:8001", "127.0.0.1:5000-5010:5000-5010", "6060:6060/udp", "[::1]:6001:6001", "8000-8010:80", 22, "53:53/UDP"]';
    expect(problemLines(withPorts(ports))).toEqual([]);
  });

  test('the long syntax must need a target and valid published port and host_ip', () => {
    const ports = '[{published: "8080"}, {target: 70000}, {target: 80, published: "x"}, {target: 80, host_ip: "local"}]';
    expect(problemLines(withPorts(ports))).toEqual([
      'services.a.ports[0]: port mapping is missing a target port',
      'services.a.ports[1].target: Invalid containerPort: 70000',
      'services.a.ports[2].published: Invalid hostPort: x',
      'services.a.ports[3].host_ip: Invalid ip address: local',
    ]);
  });

  test('a disabled service must still have valid ports (syntax is checked everywhere)', () => {
    expect(problemLines('services:\n  a: {image: x, profiles: [p], ports: ["abc:80"]}\n')).toEqual([
      'services.a.ports[0]: Invalid hostPort: abc',
    ]);
  });
});
