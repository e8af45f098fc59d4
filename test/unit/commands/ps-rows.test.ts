import type { ContainerSummary } from '../../../src/apply/engine.js';
import { humanDuration } from '../../../src/commands/output/human-duration.js';
import {
  displayablePorts,
  ellipsis,
  goTimeString,
  psJsonLine,
  psTable,
  toPsEntry,
} from '../../../src/commands/output/ps-rows.js';
import { goQuote } from '../../../src/commands/output/go-json.js';
import { renderPsTemplate } from '../../../src/commands/output/ps-template.js';
import { renderTable } from '../../../src/commands/output/table.js';

const CREATED = Date.parse('2026-06-15T12:00:00Z') / 1000;
const NOW = CREATED * 1000 + 5_000;

function container(fields: Partial<ContainerSummary> = {}): ContainerSummary {
  return {
    id: 'bd9a24c3f16de3c1b0053971fec0535b5b8e4e55f71ee8c82315874aa9643350',
    name: 'demo-web-1',
    image: 'tscompose-test/busybox:latest',
    imageId: 'sha256:33098b9ad776',
    command: "sh -c 'echo hello from web; sleep 300'",
    status: 'running',
    statusText: 'Up 3 seconds (healthy)',
    labels: { 'com.docker.compose.service': 'web', 'com.docker.compose.project': 'demo', 'com.docker.compose.container-number': '1' },
    created: CREATED,
    networks: ['demo_default'],
    networkMode: 'demo_default',
    mounts: [
      { type: 'volume', name: 'demo_data', driver: 'local', source: '/var/lib/docker/volumes/demo_data/_data', destination: '/data', readOnly: false },
      { type: 'bind', source: '/tmp', destination: '/hosttmp', readOnly: false },
    ],
    ports: [
      { privatePort: 8080, publicPort: 32770, hostIp: '::', protocol: 'tcp' },
      { privatePort: 80, publicPort: 18982, hostIp: '127.0.0.1', protocol: 'tcp' },
      { privatePort: 9000, protocol: 'tcp' },
      { privatePort: 8080, publicPort: 32770, hostIp: '0.0.0.0', protocol: 'tcp' },
    ],
    ...fields,
  };
}

describe('ps entries', () => {
  test('the JSON entry must carry Compose fields, in its key order and its value shapes', () => {
    const entry = toPsEntry(container(), { health: 'healthy', exitCode: 0 }, { now: NOW });
    expect(Object.keys(entry)).toEqual([
      'Command', 'CreatedAt', 'ExitCode', 'Health', 'ID', 'Image', 'Labels', 'LocalVolumes', 'Mounts', 'Name', 'Names',
      'Networks', 'Ports', 'Project', 'Publishers', 'RunningFor', 'Service', 'Size', 'State', 'Status',
    ]);
    expect(entry).toMatchObject({
      Command: '"sh -c \'echo hello f…"',
      ExitCode: 0,
      Health: 'healthy',
      ID: 'bd9a24c3f16d',
      Labels: 'com.docker.compose.container-number=1,com.docker.compose.project=demo,com.docker.compose.service=web',
      LocalVolumes: '1',
      Mounts: 'demo_data,/tmp',
      Name: 'demo-web-1',
      Project: 'demo',
      RunningFor: '5 seconds ago',
      Service: 'web',
      Size: '0B',
      State: 'running',
      Ports: '9000/tcp, 127.0.0.1:18982->80/tcp, 0.0.0.0:32770->8080/tcp, :::32770->8080/tcp',
    });
    expect(entry.Publishers).toEqual([
      { URL: '127.0.0.1', TargetPort: 80, PublishedPort: 18982, Protocol: 'tcp' },
      { URL: '0.0.0.0', TargetPort: 8080, PublishedPort: 32770, Protocol: 'tcp' },
      { URL: '::', TargetPort: 8080, PublishedPort: 32770, Protocol: 'tcp' },
      { URL: '', TargetPort: 9000, PublishedPort: 0, Protocol: 'tcp' },
    ]);
  });

  test('--no-trunc must keep the full ID and command', () => {
    const entry = toPsEntry(container(), { health: '', exitCode: 0 }, { now: NOW, noTrunc: true });
    expect(entry.ID).toHaveLength(64);
    expect(entry.Command).toBe('"sh -c \'echo hello from web; sleep 300\'"');
  });

  test('a container without ports must have null publishers, as Compose prints', () => {
    expect(toPsEntry(container({ ports: [] }), { health: '', exitCode: 3 }, { now: NOW }).Publishers).toBeNull();
  });

  test('JSON lines must escape like Go (<, >, & as \\u003c, \\u003e, \\u0026)', () => {
    const line = psJsonLine(toPsEntry(container({ command: 'a > b && c' }), { health: '', exitCode: 0 }, { now: NOW }));
    expect(line).toContain('"Command":"\\"a \\u003e b \\u0026\\u0026 c\\""');
    expect(line).toContain('127.0.0.1:18982-\\u003e80/tcp');
    expect(JSON.parse(line).Command).toBe('"a > b && c"');
  });

  test('the table must have Compose columns, aligned like the Docker CLI', () => {
    const web = toPsEntry(container(), { health: '', exitCode: 0 }, { now: NOW });
    const job = toPsEntry(
      container({ name: 'demo-longer-name-1', command: 'true', statusText: 'Exited (3) 2 seconds ago', ports: [], labels: { 'com.docker.compose.service': 'longer-name' } }),
      { health: '', exitCode: 3 },
      { now: NOW },
    );
    expect(psTable([job, web]).split('\n')).toEqual([
      'NAME                 IMAGE                           COMMAND                  SERVICE       CREATED         STATUS                     PORTS',
      'demo-longer-name-1   tscompose-test/busybox:latest   "true"                   longer-name   5 seconds ago   Exited (3) 2 seconds ago   ',
      'demo-web-1           tscompose-test/busybox:latest   "sh -c \'echo hello f…"   web           5 seconds ago   Up 3 seconds (healthy)     9000/tcp, 127.0.0.1:18982->80/tcp, 0.0.0.0:32770->8080/tcp, :::32770->8080/tcp',
      '',
    ]);
  });

  test('an empty table must still print the header with cells at least ten wide', () => {
    expect(psTable([])).toBe('NAME      IMAGE     COMMAND   SERVICE   CREATED   STATUS    PORTS\n');
  });

  test('templates must substitute fields and leave other text alone', () => {
    const entry = toPsEntry(container(), { health: 'healthy', exitCode: 0 }, { now: NOW });
    const render = (format: string) => renderPsTemplate(format, [{ entry, labels: {} }]);
    expect(render('{{.Name}}\\t{{ .Health }}')).toBe('demo-web-1\thealthy\n');
    expect(render('{{json .State}}')).toBe('"running"\n');
    expect(render('yaml')).toBe('yaml\n');
    expect(() => render('{{.Nope}}')).toThrow(/can't evaluate field Nope/);
  });
});

describe('ps formatting helpers', () => {
  test('ports published on their own numbers must be grouped into ranges', () => {
    expect(
      displayablePorts([
        { privatePort: 9001, publicPort: 9001, hostIp: '0.0.0.0', protocol: 'tcp' },
        { privatePort: 9000, publicPort: 9000, hostIp: '0.0.0.0', protocol: 'tcp' },
        { privatePort: 7000, protocol: 'tcp' },
        { privatePort: 7001, protocol: 'tcp' },
        { privatePort: 53, protocol: 'udp' },
      ]),
    ).toBe('53/udp, 7000-7001/tcp, 0.0.0.0:9000-9001->9000-9001/tcp');
  });

  test('commands must be cut at twenty characters with an ellipsis and quoted like Go', () => {
    expect(ellipsis('12345678901234567890', 20)).toBe('12345678901234567890');
    expect(ellipsis('123456789012345678901', 20)).toBe('1234567890123456789…');
    expect(goQuote('say "hi"\u001b')).toBe('"say \\"hi\\"\\x1b"');
  });

  test('creation times must print like Go, with offset and zone', () => {
    expect(goTimeString(CREATED * 1000)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4} \S+$/);
  });

  test('elapsed times must use the Docker CLI words and thresholds', () => {
    expect(humanDuration(500)).toBe('Less than a second');
    expect(humanDuration(1_000)).toBe('1 second');
    expect(humanDuration(59_000)).toBe('59 seconds');
    expect(humanDuration(90_000)).toBe('About a minute');
    expect(humanDuration(45 * 60_000)).toBe('45 minutes');
    expect(humanDuration(80 * 60_000)).toBe('About an hour');
    expect(humanDuration(47 * 3_600_000)).toBe('47 hours');
    expect(humanDuration(3 * 86_400_000)).toBe('3 days');
    expect(humanDuration(20 * 86_400_000)).toBe('2 weeks');
    expect(humanDuration(90 * 86_400_000)).toBe('3 months');
    expect(humanDuration(800 * 86_400_000)).toBe('2 years');
  });

  test('tables must pad every column but the last, counting characters not bytes', () => {
    expect(renderTable([['A', 'B', 'C'], ['é…', 'x', 'tail']], { minWidth: 0, padding: 2 })).toBe('A   B  C\né…  x  tail\n');
  });
});
