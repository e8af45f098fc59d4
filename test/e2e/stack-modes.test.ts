/**
 * Service modes and networking of `tscompose stack deploy`: a global service runs one task per
 * node, a job runs to its completions before the deploy returns, `endpoint_mode: dnsrr` services
 * find each other's tasks by name over the stack's overlay network, and ingress/VIP settings are
 * checked in the spec the engine stores (this kernel has no IPVS, so ingress and VIPs do not route
 * here; see docs/swarm.md).
 */
import { jest } from '@jest/globals';
import { docker } from '../support/docker-cli.js';
import { BUSYBOX, TestStack } from './stack-support.js';

jest.setTimeout(180_000);

const stack = new TestStack('swarm-modes');
afterAll(() => stack.cleanup());

const SLEEPER = `["sh", "-c", "trap 'exit 0' TERM; while sleep 1; do :; done"]`;

describe('modes and networking', () => {
  beforeAll(async () => {
    await stack.cleanup();
    await stack.write({
      'compose.yaml': `
services:
  agent:
    image: ${BUSYBOX}
    command: ${SLEEPER}
    deploy: {mode: global, update_config: {monitor: 1s}}
  migrate:
    image: ${BUSYBOX}
    command: ["sh", "-c", "echo migrated"]
    deploy: {mode: replicated-job, replicas: 3, restart_policy: {condition: on-failure}}
  backend:
    image: ${BUSYBOX}
    command: ${SLEEPER}
    deploy: {replicas: 2, endpoint_mode: dnsrr, update_config: {monitor: 1s}}
  front:
    image: ${BUSYBOX}
    command: ${SLEEPER}
    ports: ["18999:80"]
    deploy: {update_config: {monitor: 1s}}
`,
    });
    await stack.deployed();
  });

  test('a global service must run one task on the node', async () => {
    expect(await docker('service', 'ls', '--filter', `name=${stack.name}_agent`, '--format', '{{.Mode}} {{.Replicas}}')).toBe('global 1/1');
  });

  test('a replicated job must have completed its runs when the deploy returns', async () => {
    const states = await docker('service', 'ps', `${stack.name}_migrate`, '--format', '{{.CurrentState}}');
    expect(states.split('\n').filter((state) => state.startsWith('Complete'))).toHaveLength(3);
  });

  test('an unchanged job must not run again on a redeploy', async () => {
    const before = (await stack.service('migrate')).Version.Index;
    await stack.deployed();
    expect((await stack.service('migrate')).Version.Index).toBe(before);
    expect((await docker('service', 'ps', `${stack.name}_migrate`, '-q')).split('\n')).toHaveLength(3);
  });

  test('dnsrr services must resolve to their tasks by name over the stack network', async () => {
    const [front] = await stack.containers('front');
    const backendTasks = (await stack.containers('backend')).length;
    const answer = await docker('exec', front, 'nslookup', `tasks.${stack.name}_backend`);
    const addresses = answer.split('\n').filter((line) => /^Address( \d+)?: 10\./.test(line));
    expect(addresses).toHaveLength(backendTasks);
    // The short name is an alias on the stack network, as docker stack sets it.
    const short = await docker('exec', front, 'nslookup', 'backend');
    expect(short.split('\n').filter((line) => /^Address( \d+)?: 10\./.test(line))).toHaveLength(backendTasks);
  });

  test('an ingress port and a virtual IP must be stored in the spec (they route only where the kernel has IPVS)', async () => {
    const front = await stack.service('front');
    expect(front.Spec.EndpointSpec.Ports).toEqual([{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 18999, PublishMode: 'ingress' }]);
    expect(front.Endpoint.VirtualIPs.length).toBeGreaterThan(0);
    expect((await stack.service('backend')).Spec.EndpointSpec.Mode).toBe('dnsrr');
  });

  test('rm must leave no container of the stack, not even those of finished job tasks (which Engine 20.10 keeps)', async () => {
    expect((await stack.run(['rm', stack.name])).code).toBe(0);
    expect(await docker('ps', '-aq', '--filter', `label=com.docker.stack.namespace=${stack.name}`)).toBe('');
  });
});
