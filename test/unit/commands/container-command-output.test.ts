/** What the container commands print, checked against Docker Compose 2.26's output on the same data. */
import type { ContainerEvent, ContainerSummary } from '../../../src/apply/engine.js';
import { containerPathOf } from '../../../src/commands/cp.js';
import { eventJson, eventText, rfc3339Nano } from '../../../src/commands/events.js';
import { resolveEnvironment } from '../../../src/commands/exec.js';
import { listProjects } from '../../../src/commands/ls.js';
import { binarySize, humanSize } from '../../../src/commands/output/human-size.js';
import { byReplica } from '../../../src/api/service-containers.js';
import { statsRow } from '../../../src/commands/stats.js';
import { topTable } from '../../../src/commands/top.js';

function summary(name: string, status: ContainerSummary['status'], labels: Record<string, string>): ContainerSummary {
  return { id: `${name}-id-0123456789abcdef`, name, image: 'busybox', imageId: 'sha256:1', status, statusText: '', labels, created: 0, networks: [], networkMode: '', mounts: [], ports: [] };
}

describe('ls', () => {
  test('ls must count the states of each project and join its compose files, projects by name', () => {
    const project = (name: string, files: string) => ({ 'com.docker.compose.project': name, 'com.docker.compose.project.config_files': files });
    expect(
      listProjects([
        summary('b-web-1', 'running', project('b', '/b/compose.yaml')),
        summary('a-web-1', 'running', project('a', '/a/compose.yaml,/a/override.yaml')),
        summary('a-db-1', 'exited', project('a', '/a/compose.yaml,/a/override.yaml')),
        summary('a-web-2', 'running', project('a', '/a/compose.yaml,/a/override.yaml')),
        summary('stray', 'running', {}),
      ]),
    ).toEqual([
      { Name: 'a', Status: 'exited(1), running(2)', ConfigFiles: '/a/compose.yaml,/a/override.yaml' },
      { Name: 'b', Status: 'running(1)', ConfigFiles: '/b/compose.yaml' },
    ]);
  });
});

describe('events', () => {
  const event: ContainerEvent = {
    type: 'container',
    action: 'kill',
    id: 'aeef8079a4a0',
    attributes: { name: 'p-db-1', image: 'busybox', signal: '15', 'com.docker.compose.service': 'db', 'com.docker.compose.project': 'p' },
    time: 1_765_030_854_162,
    timeNano: 1_765_030_854_162_933_782n,
  };

  test('events --json must print the keys sorted, the time with nanoseconds and no Compose labels', () => {
    const tz = process.env.TZ;
    process.env.TZ = 'UTC';
    try {
      expect(eventJson(event, 'db')).toBe(
        '{"action":"kill","attributes":{"image":"busybox","name":"p-db-1","signal":"15"},"id":"aeef8079a4a0","service":"db","time":"2025-12-06T14:20:54.162933782Z","type":"container"}',
      );
      expect(eventText(event)).toBe('2025-12-06 14:20:54.162933 container kill aeef8079a4a0 (image=busybox, name=p-db-1, signal=15)');
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  test('the RFC 3339 time must drop the trailing zeros of the fraction, as Go does', () => {
    const tz = process.env.TZ;
    process.env.TZ = 'UTC';
    try {
      expect(rfc3339Nano(1_765_030_854_100_000_000n)).toBe('2025-12-06T14:20:54.1Z');
      expect(rfc3339Nano(1_765_030_854_000_000_000n)).toBe('2025-12-06T14:20:54Z');
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });
});

describe('top', () => {
  test('top must lay out the processes as Compose does: padded cells, the last title unpadded', () => {
    const table = topTable({
      titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'],
      processes: [['root', '13950', '13930', '0', '13:30', '?', '00:00:00', 'httpd -f -p 80']],
    });
    expect(table).toBe(
      'UID    PID     PPID    C    STIME   TTY   TIME       CMD\n' + 'root   13950   13930   0    13:30   ?     00:00:00   httpd -f -p 80   \n',
    );
  });
});

describe('sizes and stats', () => {
  test('sizes must print as the Docker CLI prints them', () => {
    expect(humanSize(1_985_631)).toBe('1.99MB');
    expect(humanSize(766)).toBe('766B');
    expect(humanSize(1020)).toBe('1.02kB');
    expect(binarySize(331_776)).toBe('324KiB');
    expect(binarySize(25_329_614_848)).toBe('23.59GiB');
  });

  test('a stats row must compute the CPU and memory percentages as docker stats does', () => {
    const row = statsRow(summary('p-web-1', 'running', {}), {
      cpuTotal: 3_000_000,
      previousCpuTotal: 1_000_000,
      systemCpu: 200_000_000,
      previousSystemCpu: 100_000_000,
      onlineCpus: 2,
      memoryUsage: 331_776,
      memoryLimit: 25_329_614_848,
      networkRx: 766,
      networkTx: 0,
      blockRead: 0,
      blockWrite: 4096,
      pids: 1,
    }, false);
    expect(row).toEqual({
      BlockIO: '0B / 4.1kB',
      CPUPerc: '4.00%',
      Container: 'p-web-1-id-0',
      ID: 'p-web-1-id-0',
      MemPerc: '0.00%',
      MemUsage: '324KiB / 23.59GiB',
      Name: 'p-web-1',
      NetIO: '766B / 0B',
      PIDs: '1',
    });
  });
});

describe('arguments', () => {
  test('cp must tell a service path from a host path as docker cp does', () => {
    expect(containerPathOf('web:/etc/hosts')).toEqual({ service: 'web', path: '/etc/hosts' });
    expect(containerPathOf('./web:x')).toBeUndefined();
    expect(containerPathOf('/abs/a:b')).toBeUndefined();
    expect(containerPathOf('-')).toBeUndefined();
    expect(containerPathOf('plain')).toBeUndefined();
  });

  test('-e KEY must take our value, and be left out when we have none', () => {
    expect(resolveEnvironment(['A=1', 'HOME', 'UNSET_HERE'], { HOME: '/root' })).toEqual(['A=1', 'HOME=/root']);
  });

  test('replicas must come in number order, one-off containers last', () => {
    const web = (name: string, number: string, oneoff = 'False') =>
      summary(name, 'running', { 'com.docker.compose.container-number': number, 'com.docker.compose.oneoff': oneoff });
    const sorted = [web('p-web-run-1', '1', 'True'), web('p-web-10', '10'), web('p-web-2', '2')].sort(byReplica).map((container) => container.name);
    expect(sorted).toEqual(['p-web-2', 'p-web-10', 'p-web-run-1']);
  });
});
