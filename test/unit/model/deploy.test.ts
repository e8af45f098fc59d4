import { serviceFrom } from './support.js';

const deploy = (value: string, extra = '') => serviceFrom(`services:\n  s:\n    image: x\n${extra}    deploy: ${value}\n`).deploy;

describe('deploy', () => {
  test('resources must be in bytes and CPUs numbers, count: all must be -1', () => {
    expect(
      deploy('{resources: {limits: {cpus: "0.5", memory: 512M, pids: 10}, reservations: {devices: [{capabilities: [gpu], count: all}]}}}'),
    ).toEqual({
      resources: {
        limits: { cpus: 0.5, memory: 536870912, pids: 10 },
        reservations: { devices: [{ capabilities: ['gpu'], count: -1 }] },
      },
    });
  });

  test('durations must be nanoseconds and labels a map', () => {
    expect(
      deploy('{labels: [a=1], restart_policy: {condition: on-failure, delay: 5s, window: 2m}, update_config: {delay: 10s, monitor: 1m}}'),
    ).toEqual({
      labels: { a: '1' },
      update_config: { delay: 10e9, monitor: 60e9 },
      restart_policy: { condition: 'on-failure', delay: 5e9, window: 120e9 },
    });
  });

  test('scale must be mirrored into replicas', () => {
    expect(deploy('{mode: replicated}', '    scale: 2\n')).toEqual({ mode: 'replicated', replicas: 2 });
  });

  test('placement must be kept', () => {
    expect(deploy('{placement: {constraints: [node.role==manager], preferences: [{spread: zone}], max_replicas_per_node: 2}}')).toEqual({
      placement: { constraints: ['node.role==manager'], preferences: [{ spread: 'zone' }], max_replicas_per_node: 2 },
    });
  });
});
