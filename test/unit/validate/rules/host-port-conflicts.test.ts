import { problemLines } from '../support/project-from-yaml.js';

describe('rule: host port conflicts', () => {
  test('two services publishing one host port must be reported at the second', () => {
    expect(problemLines('services:\n  a: {image: x, ports: ["8080:80"]}\n  b: {image: x, ports: [{target: 81, published: 8080}]}\n')).toEqual([
      'services.b.ports[0]: host port 8080/tcp is already published by service "a"',
    ]);
  });

  test('overlapping ranges and one service publishing a port twice must be reported', () => {
    expect(problemLines('services:\n  a: {image: x, ports: ["8000-8005:8000-8005", "8003:80"]}\n')).toEqual([
      'services.a.ports[1]: host port 8003/tcp is already published by services.a.ports[0]',
    ]);
  });

  test('different protocols, different host addresses and host port pools must not clash', () => {
    const yaml = `services:
  a: {image: x, ports: ["53:53/udp", "127.0.0.1:8080:80", "9000-9009:80"]}
  b: {image: x, ports: ["53:53/tcp", "127.0.0.2:8080:80", "9000-9009:81"]}
`;
    expect(problemLines(yaml)).toEqual([]);
  });

  test('a fixed host port on several replicas must be reported', () => {
    expect(problemLines('services:\n  a: {image: x, scale: 3, ports: ["8080:80"]}\n')).toEqual([
      'services.a.ports[0]: host port 8080/tcp can\'t be published by 3 replicas of service "a"',
    ]);
  });

  test('services disabled by profiles must not clash with enabled ones', () => {
    expect(problemLines('services:\n  a: {image: x, ports: ["80:80"]}\n  b: {image: x, profiles: [alt], ports: ["80:80"]}\n')).toEqual([]);
  });
});
