import { serviceFrom } from './support.js';

const service = (body: string, environment: Record<string, string> = {}) =>
  serviceFrom(`services:\n  s:\n    image: x\n${body}`, undefined, { environment });

describe('gpus', () => {
  test('gpus: all must be one request for every device', () => {
    expect(service('    gpus: all\n').gpus).toEqual([{ count: -1 }]);
  });

  test('a request without count or device_ids must ask for every device, as Compose does', () => {
    expect(service('    gpus: [{driver: nvidia}, {device_ids: ["0"]}, {count: 2, capabilities: [compute]}]\n').gpus).toEqual([
      { driver: 'nvidia', count: -1 },
      { device_ids: ['0'] },
      { count: 2, capabilities: ['compute'] },
    ]);
  });

  test('deploy reservations must follow the same count rule', () => {
    expect(service('    deploy: {resources: {reservations: {devices: [{capabilities: [gpu]}]}}}\n').deploy?.resources?.reservations?.devices).toEqual([
      { capabilities: ['gpu'], count: -1 },
    ]);
  });
});

describe('post_start and pre_stop', () => {
  test('a string command must be shell-split and every field kept', () => {
    expect(
      service('    post_start:\n      - command: echo "two words"\n        user: root\n        privileged: true\n        working_dir: /tmp\n').post_start,
    ).toEqual([{ command: ['echo', 'two words'], user: 'root', privileged: true, working_dir: '/tmp' }]);
  });

  test('a valueless environment entry must stay unset, not be read from the shell (Compose 2.26)', () => {
    expect(service('    pre_stop:\n      - command: [true]\n        environment: [A=1, FROM_SHELL]\n', { FROM_SHELL: 'x' }).pre_stop).toEqual([
      { command: ['true'], environment: { A: '1', FROM_SHELL: null } },
    ]);
  });

  test('the hooks must keep their order', () => {
    expect(service('    post_start: [{command: [a]}, {command: [b]}]\n').post_start?.map((hook) => hook.command[0])).toEqual(['a', 'b']);
  });
});
