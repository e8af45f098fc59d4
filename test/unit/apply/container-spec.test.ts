import { toContainerSpec, type ContainerSpec, type ContainerSpecInput } from '../../../src/apply/container-spec.js';
import { ConfigError, InternalError } from '../../../src/errors.js';
import type { Project, Service } from '../../../src/model/types.js';

const SECOND = 1e9;

const project: ContainerSpecInput['project'] = {
  name: 'shop',
  workingDir: '/srv/shop',
  networks: {
    default: { name: 'shop_default' },
    front: { name: 'shop_front' },
    back: { name: 'shop_back' },
    outside: { name: 'corp-net', external: true },
  },
  volumes: { data: { name: 'shop_data' }, shared: { name: 'company-shared', external: true } },
  secrets: {
    db_password: { name: 'shop_db_password', file: '/srv/shop/secrets/db.txt' },
    api_token: { name: 'shop_api_token', environment: 'API_TOKEN' },
    missing_var: { name: 'shop_missing_var', environment: 'NOT_SET_ANYWHERE' },
    swarm: { name: 'swarm', external: true },
  },
  configs: {
    nginx: { name: 'shop_nginx', file: '/srv/shop/nginx.conf' },
    motd: { name: 'shop_motd', content: 'hello\n' },
  },
};

const IDENTITY = { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'web', 'com.docker.compose.container-number': '1' };

function input(service: Partial<Service>, overrides: Partial<ContainerSpecInput> = {}): ContainerSpecInput {
  return {
    project,
    service: { name: 'web', image: 'nginx:1.25', ...service },
    number: 1,
    name: 'shop-web-1',
    finalName: 'shop-web-1',
    labels: IDENTITY,
    env: { API_TOKEN: 'tok-123' },
    containersOf: (name) => ({ db: ['shop-db-1', 'shop-db-2'], cache: ['shop-cache-1'] })[name] ?? [],
    ...overrides,
  };
}

function spec(service: Partial<Service>, overrides: Partial<ContainerSpecInput> = {}): ContainerSpec {
  return toContainerSpec(input(service, overrides));
}

function config(service: Partial<Service>, overrides: Partial<ContainerSpecInput> = {}) {
  return spec(service, overrides).create.config;
}

function host(service: Partial<Service>, overrides: Partial<ContainerSpecInput> = {}) {
  return config(service, overrides).HostConfig;
}

/** What validation refuses is a bug when it reaches the mapper: it asserts instead of reporting. */
function refused(service: Partial<Service>): string {
  try {
    spec(service);
  } catch (error) {
    if (error instanceof InternalError) return error.message;
    throw error;
  }
  throw new Error('no InternalError was thrown');
}

function problems(service: Partial<Service>, overrides: Partial<ContainerSpecInput> = {}): { path: string; message: string }[] {
  try {
    spec(service, overrides);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(({ path, message }) => ({ path, message }));
    throw error;
  }
  throw new Error('no ConfigError was thrown');
}

describe('container basics', () => {
  test('a minimal service must map to its image, name, identity labels and the default network', () => {
    expect(spec({})).toEqual({
      create: {
        name: 'shop-web-1',
        config: {
          Image: 'nginx:1.25',
          AttachStdout: true,
          AttachStderr: true,
          Labels: IDENTITY,
          HostConfig: { NetworkMode: 'shop_default', PortBindings: {}, ExtraHosts: [] },
          NetworkingConfig: { EndpointsConfig: { shop_default: { Aliases: ['shop-web-1', 'web'] } } },
        },
      },
      connect: [],
      files: [],
      warnings: [],
    });
  });

  test('a service without image must use <project>-<service>, and an explicit image input must win', () => {
    expect(config({ image: undefined }).Image).toBe('shop-web');
    expect(config({}, { image: 'sha256:abc' }).Image).toBe('sha256:abc');
  });

  test('a temporary create name must not change the aliases', () => {
    const result = spec({}, { name: '0123456789ab_shop-web-1' });
    expect(result.create.name).toBe('0123456789ab_shop-web-1');
    expect(result.create.config.NetworkingConfig?.EndpointsConfig.shop_default.Aliases).toEqual(['shop-web-1', 'web']);
  });

  test('identity labels must win over the service labels', () => {
    expect(config({ labels: { 'com.docker.compose.project': 'forged', tier: 'front' } }).Labels).toEqual({ ...IDENTITY, tier: 'front' });
  });

  test('environment values must become KEY=value and null values a bare KEY (unset over the image ENV, as Compose)', () => {
    expect(config({ environment: { A: '1', EMPTY: '', UNSET: null, 'WITH=EQ': 'x=y' } }).Env).toEqual(['A=1', 'EMPTY=', 'UNSET', 'WITH=EQ=x=y']);
  });

  test('command and entrypoint must be absent when unset and [] when explicitly empty', () => {
    expect(config({}).Cmd).toBeUndefined();
    expect(config({ command: ['sh', '-c', 'echo hi'], entrypoint: ['/init'] })).toMatchObject({ Cmd: ['sh', '-c', 'echo hi'], Entrypoint: ['/init'] });
    expect(config({ command: [], entrypoint: [] })).toMatchObject({ Cmd: [], Entrypoint: [] });
    expect(config({ entrypoint: null as unknown as string[] }).Entrypoint).toEqual([]);
  });

  test('process settings must map to their engine fields', () => {
    expect(
      config({
        user: '1000:1000',
        working_dir: '/app',
        tty: true,
        stdin_open: true,
        hostname: 'webhost',
        domainname: 'example.org',
        stop_signal: 'SIGINT',
        stop_grace_period: 20.9 * SECOND,
        platform: 'linux/amd64',
      }),
    ).toMatchObject({
      User: '1000:1000',
      WorkingDir: '/app',
      Tty: true,
      OpenStdin: true,
      Hostname: 'webhost',
      Domainname: 'example.org',
      StopSignal: 'SIGINT',
      // Whole seconds, truncated like Compose.
      StopTimeout: 20,
    });
    expect(spec({ platform: 'linux/arm64' }).create.platform).toBe('linux/arm64');
  });
});

describe('ports', () => {
  test('published ports must give ExposedPorts and PortBindings with host ip, ranges and ephemeral ports', () => {
    const result = config({
      ports: [
        { mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' },
        { mode: 'ingress', target: 9000, published: '9000', protocol: 'udp', host_ip: '127.0.0.1' },
        { mode: 'ingress', target: 5000, protocol: 'tcp' },
        { mode: 'ingress', target: 3000, published: '3000-3005', protocol: 'tcp' },
        { mode: 'ingress', target: 80, published: '8081', protocol: 'tcp', host_ip: '::1' },
      ],
    });
    expect(result.ExposedPorts).toEqual({ '80/tcp': {}, '9000/udp': {}, '5000/tcp': {}, '3000/tcp': {} });
    expect(result.HostConfig.PortBindings).toEqual({
      '80/tcp': [
        { HostIp: '', HostPort: '8080' },
        { HostIp: '::1', HostPort: '8081' },
      ],
      '9000/udp': [{ HostIp: '127.0.0.1', HostPort: '9000' }],
      '5000/tcp': [{ HostIp: '', HostPort: '' }],
      '3000/tcp': [{ HostIp: '', HostPort: '3000-3005' }],
    });
  });

  test('expose entries must be kept as written and ranges expanded', () => {
    expect(config({ expose: ['7000', '7001/udp', '7100-7102/tcp'] }).ExposedPorts).toEqual({
      '7000': {},
      '7001/udp': {},
      '7100/tcp': {},
      '7101/tcp': {},
      '7102/tcp': {},
    });
  });
});

describe('mounts', () => {
  test('a bind mount that may create its host path must use Binds with rw/ro and selinux', () => {
    expect(
      host({
        volumes: [
          { type: 'bind', source: '/srv/shop/data', target: '/data' },
          { type: 'bind', source: '/srv/shop/conf', target: '/conf', read_only: true, bind: { create_host_path: true, selinux: 'z' } },
        ],
      }).Binds,
    ).toEqual(['/srv/shop/data:/data:rw', '/srv/shop/conf:/conf:ro,z']);
  });

  test('a bind mount with create_host_path: false or propagation must use the Mount API', () => {
    expect(
      host({
        volumes: [
          { type: 'bind', source: '/srv/shop/strict', target: '/strict', bind: { create_host_path: false } },
          { type: 'bind', source: '/srv/shop/shared', target: '/shared', bind: { propagation: 'rshared' } },
        ],
      }).Mounts,
    ).toEqual([
      { Type: 'bind', Source: '/srv/shop/strict', Target: '/strict', BindOptions: {} },
      { Type: 'bind', Source: '/srv/shop/shared', Target: '/shared', BindOptions: { Propagation: 'rshared', CreateMountpoint: true } },
    ]);
  });

  test('named volumes must use the project volume name, anonymous volumes none, and options must carry over', () => {
    expect(
      host({
        volumes: [
          { type: 'volume', source: 'data', target: '/var/lib/data', read_only: true, volume: {} },
          { type: 'volume', source: 'shared', target: '/shared', volume: { nocopy: true, subpath: 'web' } },
          { type: 'volume', target: '/cache' },
        ],
      }).Mounts,
    ).toEqual([
      { Type: 'volume', Source: 'shop_data', Target: '/var/lib/data', ReadOnly: true, VolumeOptions: {} },
      { Type: 'volume', Source: 'company-shared', Target: '/shared', VolumeOptions: { NoCopy: true, Subpath: 'web' } },
      { Type: 'volume', Target: '/cache', VolumeOptions: {} },
    ]);
  });

  test('tmpfs mounts must carry size and mode, and the tmpfs list must become HostConfig.Tmpfs', () => {
    const result = host({
      volumes: [{ type: 'tmpfs', target: '/scratch', tmpfs: { size: 1_000_000, mode: 0o1777 } }],
      tmpfs: ['/run:size=64k,uid=1000', '/run2'],
    });
    expect(result.Mounts).toEqual([{ Type: 'tmpfs', Target: '/scratch', TmpfsOptions: { SizeBytes: 1_000_000, Mode: 0o1777 } }]);
    expect(result.Tmpfs).toEqual({ '/run': 'size=64k,uid=1000', '/run2': '' });
  });

  test('a named pipe or a cluster volume must be asserted away (validation refuses them with positions)', () => {
    expect(refused({ volumes: [{ type: 'npipe', source: 'a', target: 'b' }] })).toMatch(/^services\.web\.volumes\[0\]: named pipe mounts .*validation should have refused it/);
    expect(refused({ volumes: [{ type: 'cluster', source: 'c', target: '/c' }] })).toMatch(/^services\.web\.volumes\[0\]: cluster volumes/);
  });

  test('a replacement must mount the anonymous volumes the plan says it inherits', () => {
    expect(
      host(
        {
          volumes: [
            { type: 'volume', target: '/cache' },
            { type: 'volume', source: 'data', target: '/var/lib/data' },
          ],
        },
        { inheritVolumes: [{ target: '/cache/', volume: 'anon-cache' }, { target: '/var/lib/image-vol', volume: 'anon-image' }] },
      ).Mounts,
    ).toEqual([
      { Type: 'volume', Source: 'anon-cache', Target: '/cache', VolumeOptions: {} },
      { Type: 'volume', Source: 'shop_data', Target: '/var/lib/data', VolumeOptions: {} },
      // Declared by the image (VOLUME), not by the service.
      { Type: 'volume', Source: 'anon-image', Target: '/var/lib/image-vol', VolumeOptions: {} },
    ]);
  });

  test('volumes_from must resolve services to their first container and keep container: references', () => {
    expect(host({ volumes_from: ['db', 'cache:ro', 'container:legacy', 'container:other:rw'] }).VolumesFrom).toEqual([
      'shop-db-1',
      'shop-cache-1:ro',
      'legacy',
      'other:rw',
    ]);
    expect(problems({ volumes_from: ['queue'] })).toEqual([
      { path: 'services.web.volumes_from[0]', message: 'service "queue" has no container to take volumes from' },
    ]);
  });
});

describe('networks', () => {
  test('the first network by priority, then name, must be given at create and the others connected after', () => {
    const result = spec({
      networks: {
        front: { aliases: ['www'] },
        back: { ipv4_address: '172.28.5.10', ipv6_address: 'fd00::10', link_local_ips: ['169.254.8.8'] },
        default: { priority: 100 },
      },
    });
    expect(result.create.config.HostConfig.NetworkMode).toBe('shop_default');
    expect(result.create.config.NetworkingConfig).toEqual({
      EndpointsConfig: { shop_default: { Aliases: ['shop-web-1', 'web'], IPAMConfig: {} } },
    });
    expect(result.connect).toEqual([
      {
        network: 'shop_back',
        endpoint: { Aliases: ['shop-web-1', 'web'], IPAMConfig: { IPv4Address: '172.28.5.10', IPv6Address: 'fd00::10', LinkLocalIPs: ['169.254.8.8'] } },
      },
      { network: 'shop_front', endpoint: { Aliases: ['shop-web-1', 'web', 'www'], IPAMConfig: {} } },
    ]);
  });

  test('an attachment without options must carry aliases only', () => {
    expect(spec({ networks: { outside: null } }).create.config.NetworkingConfig).toEqual({
      EndpointsConfig: { 'corp-net': { Aliases: ['shop-web-1', 'web'] } },
    });
  });

  test('one-off containers without network aliases must be reachable by their name only', () => {
    expect(spec({ networks: { front: { aliases: ['www'] } } }, { useNetworkAliases: false }).create.config.NetworkingConfig).toEqual({
      EndpointsConfig: { shop_front: { Aliases: ['shop-web-1'], IPAMConfig: {} } },
    });
  });

  test('network_mode must replace networks, and service:x must point at x\'s container', () => {
    expect(spec({ network_mode: 'host' }).create.config).toMatchObject({ HostConfig: { NetworkMode: 'host' } });
    expect(spec({ network_mode: 'host' }).create.config.NetworkingConfig).toBeUndefined();
    expect(host({ network_mode: 'service:db' }).NetworkMode).toBe('container:shop-db-1');
    expect(host({ network_mode: 'container:sidecar' }).NetworkMode).toBe('container:sidecar');
    expect(config({ network_mode: 'disabled' })).toMatchObject({ NetworkDisabled: true, HostConfig: { NetworkMode: 'none' } });
  });

  test('service:x without a container must be a problem naming the field', () => {
    expect(problems({ network_mode: 'service:queue', ipc: 'service:queue' })).toEqual([
      { path: 'services.web.network_mode', message: 'service "queue" has no container to share its network namespace with' },
      { path: 'services.web.ipc', message: 'service "queue" has no container to share its ipc namespace with' },
    ]);
  });

  test('a project without networks must give network mode none', () => {
    const noNetworks = { ...project, networks: {} };
    expect(spec({}, { project: noNetworks }).create.config).toMatchObject({ HostConfig: { NetworkMode: 'none' } });
  });

  test('an undefined network must be asserted away (validation refuses it with its position)', () => {
    expect(refused({ networks: { nowhere: null } })).toMatch(/^services\.web\.networks\.nowhere: network "nowhere" is not defined/);
  });

  test('mac_address must be set on the container, and must agree with the first network\'s', () => {
    expect(config({ mac_address: '02:42:ac:11:00:02' }).MacAddress).toBe('02:42:ac:11:00:02');
    expect(spec({ networks: { front: { mac_address: '02:42:ac:11:00:03' } } }).create.config).toMatchObject({
      MacAddress: '02:42:ac:11:00:03',
      NetworkingConfig: { EndpointsConfig: { shop_front: { MacAddress: '02:42:ac:11:00:03' } } },
    });
    expect(refused({ mac_address: '02:42:ac:11:00:02', networks: { front: { mac_address: '02:42:ac:11:00:03' } } })).toMatch(
      /^services\.web\.mac_address: the service-level mac_address must equal the one set on network "front"/,
    );
  });

  test('links must name every container of the linked service as Compose does, plus external links', () => {
    const result = spec({ links: ['db:database'], external_links: ['legacy-redis:redis', 'metrics'] });
    const expected = [
      'shop-db-1:database',
      'shop-db-1:db-1',
      'shop-db-1:shop-db-1',
      'shop-db-2:database',
      'shop-db-2:db-1',
      'shop-db-2:shop-db-1',
      'legacy-redis:redis',
      'metrics:metrics',
    ];
    expect(result.create.config.HostConfig.Links).toEqual(expected);
    expect(result.create.config.NetworkingConfig?.EndpointsConfig.shop_default.Links).toEqual(expected);
  });

  test('extra_hosts and DNS settings must map to the engine fields', () => {
    expect(host({ extra_hosts: ['somehost=162.242.195.82', 'v6host=::1'], dns: ['8.8.8.8'], dns_opt: ['use-vc'], dns_search: ['example.com'] })).toMatchObject({
      ExtraHosts: ['somehost:162.242.195.82', 'v6host:::1'],
      Dns: ['8.8.8.8'],
      DnsOptions: ['use-vc'],
      DnsSearch: ['example.com'],
    });
  });
});

describe('healthcheck and restart', () => {
  test('healthcheck durations must be nanoseconds', () => {
    expect(
      config({
        healthcheck: { test: ['CMD-SHELL', 'curl -f localhost'], interval: 10 * SECOND, timeout: 3 * SECOND, retries: 4, start_period: SECOND, start_interval: SECOND / 2 },
      }).Healthcheck,
    ).toEqual({ Test: ['CMD-SHELL', 'curl -f localhost'], Interval: 10e9, Timeout: 3e9, Retries: 4, StartPeriod: 1e9, StartInterval: 5e8 });
  });

  test('disable and NONE must switch the image healthcheck off', () => {
    expect(config({ healthcheck: { disable: true } }).Healthcheck).toEqual({ Test: ['NONE'] });
    expect(config({ healthcheck: { test: ['NONE'] } }).Healthcheck).toEqual({ Test: ['NONE'] });
  });

  test('a healthcheck without test must keep the image\'s test and change the timing', () => {
    expect(config({ healthcheck: { interval: 5 * SECOND } }).Healthcheck).toEqual({ Interval: 5e9 });
  });

  test('restart must map to the policy name and retry count', () => {
    expect(host({ restart: 'on-failure:3' }).RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 3 });
    expect(host({ restart: 'unless-stopped' }).RestartPolicy).toEqual({ Name: 'unless-stopped' });
    expect(host({}).RestartPolicy).toBeUndefined();
  });

  test('deploy.restart_policy must win and use the engine names', () => {
    expect(host({ restart: 'no', deploy: { restart_policy: { condition: 'any', max_attempts: 5 } } }).RestartPolicy).toEqual({ Name: 'always', MaximumRetryCount: 5 });
    expect(host({ deploy: { restart_policy: { condition: 'none' } } }).RestartPolicy).toEqual({ Name: 'no' });
  });
});

describe('resources', () => {
  test('service-level limits must map to the engine fields', () => {
    expect(
      host({
        cpus: 0.5,
        mem_limit: 64 * 1024 * 1024,
        mem_reservation: 32 * 1024 * 1024,
        memswap_limit: 128 * 1024 * 1024,
        mem_swappiness: 0,
        pids_limit: 100,
        shm_size: 1024 * 1024,
        cpu_shares: 512,
        cpu_quota: 50000,
        cpu_period: 100000,
        cpu_rt_period: 1000 * 1000,
        cpu_rt_runtime: 950 * 1000,
        cpuset: '0-1',
        oom_kill_disable: true,
        oom_score_adj: -500,
      }),
    ).toEqual(
      expect.objectContaining({
        NanoCpus: 500_000_000,
        Memory: 67108864,
        MemoryReservation: 33554432,
        MemorySwap: 134217728,
        MemorySwappiness: 0,
        PidsLimit: 100,
        ShmSize: 1048576,
        CpuShares: 512,
        CpuQuota: 50000,
        CpuPeriod: 100000,
        CpuRealtimePeriod: 1000,
        CpuRealtimeRuntime: 950,
        CpusetCpus: '0-1',
        OomKillDisable: true,
        OomScoreAdj: -500,
      }),
    );
  });

  test('deploy.resources must win over the service-level settings', () => {
    expect(
      host({
        cpus: 2,
        mem_limit: 1,
        pids_limit: 1,
        deploy: { resources: { limits: { cpus: 0.25, memory: 512, pids: 42 }, reservations: { memory: 256, cpus: 0.1 } } },
      }),
    ).toMatchObject({ NanoCpus: 250_000_000, Memory: 512, PidsLimit: 42, MemoryReservation: 256 });
  });

  test('ulimits must give soft and hard values, sorted by name', () => {
    expect(host({ ulimits: { nproc: { single: 512 }, nofile: { soft: 1024, hard: 2048 } } }).Ulimits).toEqual([
      { Name: 'nofile', Soft: 1024, Hard: 2048 },
      { Name: 'nproc', Soft: 512, Hard: 512 },
    ]);
  });

  test('devices must map to device mappings, CDI names and GPU reservations to device requests, in Compose\'s order', () => {
    const result = host({
      devices: [
        { source: '/dev/ttyUSB0', target: '/dev/ttyUSB1', permissions: 'rwm' },
        { source: 'vendor.com/gpu=0', target: 'vendor.com/gpu=0', permissions: 'rwm' },
      ],
      device_cgroup_rules: ['c 1:3 mr'],
      deploy: {
        resources: {
          reservations: { devices: [{ capabilities: ['gpu'], driver: 'nvidia', count: 'all' }] } as never,
        },
      },
    });
    expect(result.Devices).toEqual([{ PathOnHost: '/dev/ttyUSB0', PathInContainer: '/dev/ttyUSB1', CgroupPermissions: 'rwm' }]);
    expect(result.DeviceCgroupRules).toEqual(['c 1:3 mr']);
    expect(result.DeviceRequests).toEqual([
      { Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] },
      { Driver: 'cdi', DeviceIDs: ['vendor.com/gpu=0'] },
    ]);
  });

  test('gpus must become device requests with the gpu capability added, after the other requests (as Compose sends them)', () => {
    const result = host({
      gpus: [
        { count: -1 },
        { driver: 'nvidia', count: 2, capabilities: ['compute'], options: { mode: 'x' } },
        { device_ids: ['0', '1'] },
      ],
      deploy: { resources: { reservations: { devices: [{ driver: 'other', count: 1, capabilities: ['tpu'] }] } } },
    });
    expect(result.DeviceRequests).toEqual([
      { Driver: 'other', Count: 1, Capabilities: [['tpu']] },
      { Count: -1, Capabilities: [['gpu']] },
      { Driver: 'nvidia', Count: 2, Capabilities: [['compute', 'gpu']], Options: { mode: 'x' } },
      { DeviceIDs: ['0', '1'], Capabilities: [['gpu']] },
    ]);
  });

  test('blkio_config must map weights and throttles', () => {
    const blkio = { weight: 300, weight_device: [{ path: '/dev/sda', weight: 400 }], device_read_bps: [{ path: '/dev/sda', rate: 12582912 }], device_write_iops: [{ path: '/dev/sdb', rate: 30 }] };
    expect(host({ blkio_config: blkio as never })).toMatchObject({
      BlkioWeight: 300,
      BlkioWeightDevice: [{ Path: '/dev/sda', Weight: 400 }],
      BlkioDeviceReadBps: [{ Path: '/dev/sda', Rate: 12582912 }],
      BlkioDeviceWriteIOps: [{ Path: '/dev/sdb', Rate: 30 }],
    });
  });
});

describe('security and namespaces', () => {
  test('capabilities, security options and privileges must map to the engine fields', () => {
    expect(
      host({ cap_add: ['NET_ADMIN'], cap_drop: ['MKNOD'], security_opt: ['no-new-privileges:true', 'label=disable'], privileged: true, read_only: true, init: true, group_add: ['100', 'audio'] }),
    ).toMatchObject({
      CapAdd: ['NET_ADMIN'],
      CapDrop: ['MKNOD'],
      SecurityOpt: ['no-new-privileges:true', 'label=disable'],
      Privileged: true,
      ReadonlyRootfs: true,
      Init: true,
      GroupAdd: ['100', 'audio'],
    });
  });

  test('systempaths=unconfined must clear the masked and read-only paths', () => {
    const result = host({ security_opt: ['systempaths=unconfined'] });
    expect(result).toMatchObject({ MaskedPaths: [], ReadonlyPaths: [] });
    expect(result.SecurityOpt).toBeUndefined();
  });

  test('a seccomp profile file must be sent as compact JSON, read relative to the project', () => {
    const read: string[] = [];
    const readFile = (path: string): string => {
      read.push(path);
      return '{\n  "defaultAction": "SCMP_ACT_ALLOW"\n}\n';
    };
    expect(host({ security_opt: ['seccomp:profiles/web.json', 'seccomp=unconfined'] }, { readFile }).SecurityOpt).toEqual([
      'seccomp={"defaultAction":"SCMP_ACT_ALLOW"}',
      'seccomp=unconfined',
    ]);
    expect(read).toEqual(['/srv/shop/profiles/web.json']);
  });

  test('an unreadable seccomp profile must be a problem', () => {
    const readFile = (): string => {
      throw new Error('ENOENT: no such file');
    };
    expect(problems({ security_opt: ['seccomp=/nope.json'] }, { readFile })).toEqual([
      { path: 'services.web.security_opt[0]', message: 'cannot use the seccomp profile /nope.json: ENOENT: no such file' },
    ]);
  });

  test('namespace modes must pass through, and ipc/pid service:x must point at x\'s container', () => {
    expect(host({ ipc: 'service:db', pid: 'host', uts: 'host', userns_mode: 'host', cgroup: 'private', cgroup_parent: 'tenants' })).toMatchObject({
      IpcMode: 'container:shop-db-1',
      PidMode: 'host',
      UTSMode: 'host',
      UsernsMode: 'host',
      CgroupnsMode: 'private',
      CgroupParent: 'tenants',
    });
  });

  test('logging, sysctls, runtime, storage options and annotations must pass through', () => {
    expect(
      host({
        logging: { driver: 'json-file', options: { 'max-size': '1m' } },
        sysctls: { 'net.core.somaxconn': '1024' },
        runtime: 'runc',
        storage_opt: { size: '20G' },
        annotations: { 'com.example.note': 'x' },
        volume_driver: 'local',
        isolation: 'default',
      }),
    ).toMatchObject({
      LogConfig: { Type: 'json-file', Config: { 'max-size': '1m' } },
      Sysctls: { 'net.core.somaxconn': '1024' },
      Runtime: 'runc',
      StorageOpt: { size: '20G' },
      Annotations: { 'com.example.note': 'x' },
      VolumeDriver: 'local',
      Isolation: 'default',
    });
  });

  test('credential_spec must be reported as having no effect', () => {
    expect(spec({ credential_spec: { file: 'spec.json' } as never }).warnings).toEqual(['service "web": credential_spec applies to Windows containers only; ignored']);
  });
});

describe('secrets and configs', () => {
  test('file secrets and configs must be read-only bind mounts at their default or given targets', () => {
    expect(
      host({
        secrets: [{ source: 'db_password' }, { source: 'db_password', target: 'other' }, { source: 'db_password', target: '/etc/db.pw' }],
        configs: [{ source: 'nginx' }, { source: 'nginx', target: 'etc/nginx.conf' }],
      }).Mounts,
    ).toEqual([
      { Type: 'bind', Source: '/srv/shop/secrets/db.txt', Target: '/run/secrets/db_password', ReadOnly: true },
      { Type: 'bind', Source: '/srv/shop/secrets/db.txt', Target: '/run/secrets/other', ReadOnly: true },
      { Type: 'bind', Source: '/srv/shop/secrets/db.txt', Target: '/etc/db.pw', ReadOnly: true },
      { Type: 'bind', Source: '/srv/shop/nginx.conf', Target: '/nginx', ReadOnly: true },
      { Type: 'bind', Source: '/srv/shop/nginx.conf', Target: '/etc/nginx.conf', ReadOnly: true },
    ]);
  });

  test('environment and content secrets must become files to copy in, with mode and owner', () => {
    expect(
      spec({
        secrets: [{ source: 'api_token', uid: '1000', gid: '1001', mode: 0o400 }],
        configs: [{ source: 'motd' }],
      }).files,
    ).toEqual([
      { path: '/run/secrets/api_token', content: 'tok-123', mode: 0o400, uid: 1000, gid: 1001 },
      { path: '/motd', content: 'hello\n', mode: 0o444, uid: 0, gid: 0 },
    ]);
  });

  test('uid, gid or mode on a file secret must warn that they cannot apply', () => {
    expect(spec({ secrets: [{ source: 'db_password', mode: 0o400 }, { source: 'db_password', uid: '1', target: 'x' }] }).warnings).toEqual([
      'service "web": secret files are bind-mounted, so `uid`, `gid` and `mode` cannot apply to them; the file keeps its owner and permissions from the host',
    ]);
  });

  test('a secret from an unset variable must be a problem', () => {
    expect(problems({ secrets: [{ source: 'missing_var' }] })).toEqual([
      { path: 'services.web.secrets[0]', message: 'secret "missing_var" reads the environment variable NOT_SET_ANYWHERE, which is not set' },
    ]);
  });

  test('an external secret, an unknown secret and a named owner must be asserted away (validation refuses them with positions)', () => {
    expect(refused({ secrets: [{ source: 'swarm' }] })).toMatch(/^services\.web\.secrets\[0\]: external secrets need Swarm mode/);
    expect(refused({ secrets: [{ source: 'nope' }] })).toMatch(/^services\.web\.secrets\[0\]: secret "nope" is not defined/);
    expect(refused({ secrets: [{ source: 'api_token', uid: 'www-data' }] })).toMatch(/^services\.web\.secrets\[0\]\.uid: "www-data" is not a numeric id/);
  });

  test('a volume mounted at a secret\'s target must win over the secret', () => {
    const mounts = host({ volumes: [{ type: 'volume', source: 'data', target: '/run/secrets/db_password' }], secrets: [{ source: 'db_password' }] }).Mounts;
    expect(mounts).toEqual([{ Type: 'volume', Source: 'shop_data', Target: '/run/secrets/db_password', VolumeOptions: {} }]);
  });
});

describe('problems', () => {
  test('every problem of a service must be reported in one ConfigError', () => {
    const found = problems({ secrets: [{ source: 'missing_var' }], volumes_from: ['queue'], ipc: 'service:queue' });
    expect(found.map((problem) => problem.path)).toEqual(['services.web.secrets[0]', 'services.web.volumes_from[0]', 'services.web.ipc']);
  });
});

// Keeps the fixture honest against the model's types.
export const typedProject: Pick<Project, 'name'> = project;
