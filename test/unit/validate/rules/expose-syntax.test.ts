import { problemLines } from '../support/project-from-yaml.js';

describe('rule: expose syntax', () => {
  test('entries that are not ports must be rejected', () => {
    expect(problemLines('services:\n  a: {image: x, expose: ["abc", "80/xyz", "0", "1-2-3"]}\n')).toEqual([
      'services.a.expose[0]: invalid exposed port "abc"',
      'services.a.expose[1]: invalid exposed port "80/xyz"',
      'services.a.expose[2]: invalid exposed port "0"',
      'services.a.expose[3]: invalid exposed port "1-2-3"',
    ]);
  });

  test('ports, ranges and protocols must be accepted', () => {
    expect(problemLines('services:\n  a: {image: x, expose: [80, "8080", "9000-9010", "53/udp", "5000/TCP"]}\n')).toEqual([]);
  });
});
