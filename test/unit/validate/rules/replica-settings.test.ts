import { problemLines } from '../support/project-from-yaml.js';

describe('rule: settings given twice', () => {
  test('scale and deploy.replicas with different values must be reported', () => {
    expect(problemLines('services:\n  a: {image: x, scale: 2, deploy: {replicas: 3}}\n')).toEqual([
      "services.a.scale: can't set distinct values on 'scale' and 'deploy.replicas'",
    ]);
  });

  test('cpus, mem_limit, mem_reservation and pids_limit must agree with deploy.resources', () => {
    const yaml = `services:
  a:
    image: x
    cpus: 1
    mem_limit: 1g
    mem_reservation: 100m
    pids_limit: 10
    deploy:
      resources:
        limits: {cpus: "2", memory: 2g, pids: 20}
        reservations: {memory: 200m}
`;
    expect(problemLines(yaml)).toEqual([
      "services.a.cpus: can't set distinct values on 'cpus' and 'deploy.resources.limits.cpus'",
      "services.a.mem_limit: can't set distinct values on 'mem_limit' and 'deploy.resources.limits.memory'",
      "services.a.mem_reservation: can't set distinct values on 'mem_reservation' and 'deploy.resources.reservations.memory'",
      "services.a.pids_limit: can't set distinct values on 'pids_limit' and 'deploy.resources.limits.pids'",
    ]);
  });

  test('equal values written differently must be accepted', () => {
    const yaml = 'services:\n  a: {image: x, scale: "2", cpus: 0.5, mem_limit: 1g, deploy: {replicas: 2, resources: {limits: {cpus: "0.50", memory: 1024M}}}}\n';
    expect(problemLines(yaml)).toEqual([]);
  });
});
