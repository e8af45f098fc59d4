/**
 * The container mapping against the reference implementation: Docker Compose creates the services
 * of test/fixtures/engine-parity/compose.yaml, tscompose creates the same services (written out
 * below as the model the loader produces for that file) through toContainerSpec and the
 * DockerEngine, and `docker inspect` of both must agree on everything but ids, names and hashes.
 */
import { jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { toContainerSpec } from '../../src/apply/container-spec.js';
import type { Engine } from '../../src/apply/engine.js';
import type { Project, Service } from '../../src/model/types.js';
import { docker } from '../support/docker-cli.js';
import { projectLabels, realEngine, removeProject, TEST_IMAGE } from './engine-support.js';

// Docker Compose and the engine each create four containers, networks and volumes.
jest.setTimeout(120_000);

const run = promisify(execFile);
const OURS = 'tsce-parity';
const REFERENCE = 'tsce-parity-ref';
const FIXTURE = fileURLToPath(new URL('../fixtures/engine-parity', import.meta.url));
const SECOND = 1e9;
const MIB = 1024 * 1024;
const SERVICES = ['web', 'store', 'side', 'linker'] as const;

let dir: string;
let engine: Engine;
const reference = new Map<string, Record<string, any>>();
const ours = new Map<string, Record<string, any>>();

/** The model of compose.yaml, as the loader gives it for project `tsce-parity` in `dir`. */
function model(): { project: Pick<Project, 'name' | 'workingDir' | 'networks' | 'volumes' | 'secrets' | 'configs'>; services: Record<string, Service> } {
  const project = {
    name: OURS,
    workingDir: dir,
    networks: {
      default: { name: `${OURS}_default` },
      front: { name: `${OURS}_front` },
      back: { name: `${OURS}_back`, ipam: { config: [{ subnet: '10.213.57.0/24' }] } },
    } as Project['networks'],
    volumes: { named: { name: `${OURS}_named` } },
    secrets: { s1: { name: `${OURS}_s1`, file: join(dir, 'secret.txt') } },
    configs: { c1: { name: `${OURS}_c1`, file: join(dir, 'config.txt') } },
  };
  const web: Service = {
    name: 'web',
    image: TEST_IMAGE,
    command: ['sh', '-c', 'sleep 1000'],
    entrypoint: ['/bin/sh', '-c', 'exec "$@"', '--'],
    environment: { A: '1', EMPTY: '' },
    ports: [
      { mode: 'ingress', target: 80, published: '18080', protocol: 'tcp' },
      { mode: 'ingress', host_ip: '127.0.0.1', target: 9000, published: '19000', protocol: 'udp' },
      { mode: 'ingress', host_ip: '127.0.0.1', target: 9001, published: '19001', protocol: 'udp' },
      { mode: 'ingress', target: 5000, protocol: 'tcp' },
    ],
    expose: ['7000', '7001/udp'],
    volumes: [
      { type: 'bind', source: join(dir, 'data'), target: '/data', bind: { create_host_path: true } },
      { type: 'bind', source: join(dir, 'data'), target: '/nocreate', bind: { create_host_path: false } },
      { type: 'volume', source: 'named', target: '/named', read_only: true, volume: {} },
      { type: 'volume', target: '/anon', volume: {} },
      { type: 'tmpfs', target: '/tmpfs', tmpfs: { size: 1000000, mode: 0o1777 } },
      { type: 'volume', source: 'named', target: '/named-nocopy', volume: { nocopy: true } },
    ],
    tmpfs: ['/run:size=64k', '/run2'],
    networks: { front: { aliases: ['w1', 'w2'] }, back: { ipv4_address: '10.213.57.10' } },
    healthcheck: { test: ['CMD-SHELL', 'true'], interval: 10 * SECOND, timeout: 3 * SECOND, retries: 4, start_period: SECOND },
    restart: 'on-failure:3',
    cpus: 0.5,
    mem_limit: 64 * MIB,
    mem_reservation: 32 * MIB,
    memswap_limit: 128 * MIB,
    pids_limit: 100,
    shm_size: MIB,
    cpu_shares: 512,
    ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: { single: 512 } },
    sysctls: { 'net.core.somaxconn': '1024' },
    cap_add: ['NET_ADMIN'],
    cap_drop: ['MKNOD'],
    security_opt: ['no-new-privileges:true'],
    init: true,
    read_only: true,
    user: '1000:1000',
    working_dir: '/data',
    tty: true,
    stdin_open: true,
    logging: { driver: 'json-file', options: { 'max-size': '1m' } },
    extra_hosts: ['somehost=162.242.195.82'],
    dns: ['8.8.8.8'],
    dns_opt: ['use-vc'],
    dns_search: ['example.com'],
    hostname: 'webhost',
    domainname: 'example.org',
    labels: { 'my.label': 'x' },
    stop_signal: 'SIGINT',
    stop_grace_period: 20 * SECOND,
    group_add: ['100'],
    ipc: 'shareable',
    secrets: [{ source: 's1', target: '/run/secrets/s1' }, { source: 's1', target: '/run/secrets/other' }],
    configs: [{ source: 'c1' }, { source: 'c1', target: '/etc/c1.txt' }],
  };
  const store: Service = {
    name: 'store',
    image: TEST_IMAGE,
    volumes: [
      { type: 'volume', target: '/cache', volume: {} },
      { type: 'volume', source: 'named', target: '/shared', volume: {} },
    ],
    restart: 'unless-stopped',
    healthcheck: { disable: true },
    networks: { default: null },
  };
  const side: Service = { name: 'side', image: TEST_IMAGE, network_mode: 'service:web', ipc: 'service:web', volumes_from: ['store:ro'] };
  const linker: Service = { name: 'linker', image: TEST_IMAGE, links: ['store:cachebox'], networks: { default: null } };
  return { project, services: { web, store, side, linker } };
}

async function inspectAll(project: string, into: Map<string, Record<string, any>>): Promise<void> {
  for (const service of SERVICES) {
    const [details] = JSON.parse(await docker('inspect', `${project}-${service}-1`)) as Record<string, any>[];
    into.set(service, details);
  }
}

async function compose(...args: string[]): Promise<void> {
  await run('docker-compose', ['-p', REFERENCE, '-f', join(dir, 'compose.yaml'), ...args], { cwd: dir });
}

beforeAll(async () => {
  await Promise.all([removeProject(OURS), removeProject(REFERENCE)]);
  dir = mkdtempSync(join(tmpdir(), 'tsce-parity-'));
  cpSync(FIXTURE, dir, { recursive: true });

  // The reference first; it is removed before ours is created (both use the same fixed subnet,
  // chosen outside the pools the engine hands out so that other projects on the engine do not clash).
  await compose('up', '--no-start');
  await inspectAll(REFERENCE, reference);
  await compose('down', '--volumes');

  engine = realEngine();
  const { project, services } = model();
  for (const [key, network] of Object.entries(project.networks)) {
    await engine.createNetwork({
      name: network.name,
      ipam: network.ipam ? { config: network.ipam.config?.map((pool) => ({ subnet: pool.subnet as string })) } : undefined,
      labels: projectLabels(OURS, { 'com.docker.compose.network': key }),
    });
  }
  await engine.createVolume({ name: `${OURS}_named`, labels: projectLabels(OURS, { 'com.docker.compose.volume': 'named' }) });
  const created = new Map<string, string>();
  for (const name of SERVICES) {
    const spec = toContainerSpec({
      project,
      service: services[name],
      number: 1,
      name: `${OURS}-${name}-1`,
      finalName: `${OURS}-${name}-1`,
      labels: projectLabels(OURS, { 'com.docker.compose.service': name }),
      env: {},
      containersOf: (service) => (created.has(service) ? [created.get(service) as string] : []),
      readFile: (path) => readFileSync(path, 'utf8'),
    });
    const id = await engine.createContainer(spec.create);
    for (const { network, endpoint } of spec.connect) await engine.connectNetwork(network, id, endpoint);
    created.set(name, `${OURS}-${name}-1`);
  }
  await inspectAll(OURS, ours);
});

afterAll(async () => {
  engine?.close();
  await Promise.all([removeProject(OURS), removeProject(REFERENCE)]);
  rmSync(dir, { recursive: true, force: true });
});

const byKey = (key: string) => (a: Record<string, any>, b: Record<string, any>) => String(a[key]).localeCompare(String(b[key]));

/**
 * What must agree: the create-time configuration as the engine stored it. Project names become
 * `P`, the fixture copy `<dir>`, container ids their names, anonymous volume names `<anonymous>`; the labels Compose adds
 * for its own bookkeeping (hashes, version, files) are left out, as the planner writes those.
 */
function comparable(details: Record<string, any>, project: string, all: Map<string, Record<string, any>>): Record<string, any> {
  let text = JSON.stringify(details);
  for (const other of all.values()) text = text.split(other.Id).join(other.Name.slice(1));
  text = text.split(dir).join('<dir>').split(project).join('P').replace(/\b[0-9a-f]{64}\b/g, '<anonymous>');
  const c = JSON.parse(text);
  const shortId = details.Id.slice(0, 12);
  const labels = Object.fromEntries(
    Object.entries(c.Config.Labels as Record<string, string>).filter(
      ([key]) => !key.startsWith('com.docker.compose.') || key === 'com.docker.compose.project' || key === 'com.docker.compose.service',
    ),
  );
  const { Hostname, Env, Labels: _labels, Image: _image, ...config } = c.Config;
  return {
    Config: { ...config, Hostname: Hostname === shortId ? '<id>' : Hostname, Env: [...Env].sort(), Labels: labels },
    HostConfig: {
      ...c.HostConfig,
      Mounts: c.HostConfig.Mounts ? [...c.HostConfig.Mounts].sort(byKey('Target')) : null,
      Ulimits: c.HostConfig.Ulimits ? [...c.HostConfig.Ulimits].sort(byKey('Name')) : null,
    },
    Networks: Object.fromEntries(
      Object.entries(c.NetworkSettings.Networks as Record<string, any>).map(([name, network]) => [
        name,
        {
          IPAMConfig: network.IPAMConfig,
          Links: network.Links,
          Aliases: (network.Aliases as string[] | null)?.filter((alias) => alias !== shortId) ?? null,
          MacAddress: network.MacAddress,
          DriverOpts: network.DriverOpts,
        },
      ]),
    ),
    Mounts: [...c.Mounts].sort(byKey('Destination')),
  };
}

describe('containers created by tscompose and by Docker Compose', () => {
  test.each(['web', 'store', 'linker'] as const)('%s must inspect the same', (service) => {
    const expected = comparable(reference.get(service) as Record<string, any>, REFERENCE, reference);
    const actual = comparable(ours.get(service) as Record<string, any>, OURS, ours);
    expect(actual).toEqual(expected);
  });

  test('side must inspect the same, except that volumes_from store:ro stays read-only', () => {
    const expected = comparable(reference.get('side') as Record<string, any>, REFERENCE, reference);
    const actual = comparable(ours.get('side') as Record<string, any>, OURS, ours);
    // Docker Compose drops the access mode of `volumes_from: [service:ro]` and mounts read-write;
    // tscompose keeps what the file says.
    expect(expected.HostConfig.VolumesFrom).toEqual(['P-store-1']);
    expect(actual.HostConfig.VolumesFrom).toEqual(['P-store-1:ro']);
    expect(actual.Mounts.map((mount: { RW: boolean }) => mount.RW)).toEqual([false, false]);
    const readWrite = (details: Record<string, any>) => ({
      ...details,
      HostConfig: { ...details.HostConfig, VolumesFrom: ['P-store-1'] },
      Mounts: details.Mounts.map((mount: Record<string, unknown>) => ({ ...mount, RW: true })),
    });
    expect(readWrite(actual)).toEqual(expected);
  });
});
