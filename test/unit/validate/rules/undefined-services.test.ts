import { problemLines } from '../support/project-from-yaml.js';

describe('rule: undefined services', () => {
  test('a depends_on entry naming no service must be reported at the entry', () => {
    expect(problemLines('services:\n  a:\n    image: x\n    depends_on: [nope]\n')).toEqual([
      'services.a.depends_on[0]: service "a" depends on undefined service "nope"',
    ]);
  });

  test('the long depends_on syntax must be checked too', () => {
    expect(problemLines('services:\n  a:\n    image: x\n    depends_on:\n      nope: {condition: service_healthy}\n')).toEqual([
      'services.a.depends_on.nope: service "a" depends on undefined service "nope"',
    ]);
  });

  test('links, network_mode, ipc, pid and volumes_from must name defined services', () => {
    const yaml = `services:
  a:
    image: x
    links: ["l1:alias"]
    network_mode: service:n1
    ipc: service:i1
    pid: service:p1
    volumes_from: [v1, "v2:ro", "container:not-a-service"]
`;
    expect(problemLines(yaml)).toEqual([
      'services.a.links[0]: service "a" depends on undefined service "l1"',
      'services.a.network_mode: service "a" depends on undefined service "n1"',
      'services.a.ipc: service "a" depends on undefined service "i1"',
      'services.a.pid: service "a" depends on undefined service "p1"',
      'services.a.volumes_from[0]: service "a" depends on undefined service "v1"',
      'services.a.volumes_from[1]: service "a" depends on undefined service "v2"',
    ]);
  });

  test('a required dependency on a service disabled by profiles must name the profile', () => {
    const yaml = 'services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    profiles: [tools, debug]\n';
    expect(problemLines(yaml)).toEqual([
      'services.a.depends_on[0]: service "b" is required by "a" but is disabled. Can be enabled by profiles [tools, debug]',
    ]);
  });

  test('the same dependency must be accepted once its profile is active', () => {
    const yaml = 'services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    profiles: [debug]\n';
    expect(problemLines(yaml, { profiles: ['debug'] })).toEqual([]);
  });

  test('required: false must allow a missing or disabled dependency', () => {
    const yaml = `services:
  a:
    image: x
    depends_on:
      b: {condition: service_started, required: false}
      gone: {condition: service_started, required: false}
  b:
    image: x
    profiles: [debug]
`;
    expect(problemLines(yaml)).toEqual([]);
  });

  test('a disabled service must not be checked for its own references', () => {
    expect(problemLines('services:\n  a:\n    image: x\n  b:\n    profiles: [p]\n    image: x\n    depends_on: [nope]\n')).toEqual([]);
  });
});
