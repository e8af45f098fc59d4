import { problemLines } from '../support/project-from-yaml.js';

describe('rule: network_mode with networks', () => {
  test('network_mode together with networks must be reported at networks', () => {
    expect(problemLines('services:\n  a: {image: x, network_mode: host, networks: [default]}\n')).toEqual([
      'services.a.networks: service "a" declares mutually exclusive `network_mode` and `networks`',
    ]);
  });

  test('network_mode alone must be accepted', () => {
    expect(problemLines('services:\n  a: {image: x, network_mode: none}\n')).toEqual([]);
  });
});
