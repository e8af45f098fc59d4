import type { NodeInfo, ServiceInfo, TaskInfo } from '../../../src/apply/swarm-engine.js';
import { serviceRows, stackRows, taskRows } from '../../../src/commands/stack/stack-rows.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');

function serviceInfo(name: string, stack: string, extra: Partial<ServiceInfo> = {}): ServiceInfo {
  return {
    id: `${name}-id-0123456789`,
    version: 1,
    createdAt: '',
    updatedAt: '',
    spec: {
      Name: name,
      Labels: { 'com.docker.stack.namespace': stack },
      TaskTemplate: { ContainerSpec: { Image: 'registry:5000/app:1@sha256:abcdef' } },
      Mode: { Replicated: { Replicas: 3 } },
    },
    runningTasks: 2,
    desiredTasks: 3,
    endpointPorts: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' }],
    ...extra,
  };
}

function task(id: string, slot: number, state: string, createdAt: string, error = ''): TaskInfo {
  return {
    id: `${id}0123456789abcdef`,
    serviceId: 's_web-id-0123456789',
    nodeId: 'node1',
    slot,
    createdAt,
    updatedAt: createdAt,
    timestamp: '2026-01-01T11:59:55Z',
    desiredState: state === 'running' ? 'running' : 'shutdown',
    state,
    message: '',
    error,
    image: 'registry:5000/app:1@sha256:abcdef',
    ports: [],
  };
}

const node: NodeInfo = { id: 'node1', hostname: 'vm', role: 'manager', availability: 'active', state: 'ready', addr: '127.0.0.1', labels: {} };

describe('stack listings', () => {
  test('ls must count services per stack, stacks in natural order', () => {
    expect(stackRows([serviceInfo('s10_a', 's10'), serviceInfo('s2_a', 's2'), serviceInfo('s2_b', 's2')])).toEqual([
      { Name: 's2', Services: '2' },
      { Name: 's10', Services: '1' },
    ]);
  });

  test('services must show running/desired, the image without its digest and the published ports', () => {
    expect(serviceRows([serviceInfo('s_web', 's')])).toEqual([
      { ID: 's_web-id-012', Name: 's_web', Mode: 'replicated', Replicas: '2/3', Image: 'registry:5000/app:1', Ports: '*:8080->80/tcp' },
    ]);
  });

  test('ps must list each slot newest first, mark the older tasks, and quote and cut errors as docker stack does', () => {
    const rows = taskRows(
      [task('old', 1, 'failed', '2026-01-01T11:00:00Z', 'starting container failed: the port is already in use'), task('new', 1, 'running', '2026-01-01T11:30:00Z')],
      [serviceInfo('s_web', 's')],
      [node],
      { noTrunc: false, noResolve: false, now: NOW },
    );
    expect(rows.map((row) => [row.ID, row.Name, row.Node, row.DesiredState, row.CurrentState, row.Error])).toEqual([
      ['new012345678', 's_web.1', 'vm', 'Running', 'Running 5 seconds ago', ''],
      ['old012345678', ' \\_ s_web.1', 'vm', 'Shutdown', 'Failed 5 seconds ago', '"starting container failed: th…"'],
    ]);
  });
});
