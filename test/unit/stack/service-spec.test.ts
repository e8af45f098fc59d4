import { stackFrom, lines, base64 } from './support.js';

function specOf(yaml: string, service = 'web', contents = {}) {
  const stack = stackFrom(yaml, contents);
  return stack.services.find((entry) => entry.name === service)!.spec;
}

describe('compose service -> swarm ServiceSpec', () => {
  test('a service must map field by field as docker stack converts it, with sorted lists and the stack labels', () => {
    const spec = specOf(
      lines(
        'services:',
        '  web:',
        '    image: registry.example:5000/web',
        '    entrypoint: ["/bin/sh", "-c"]',
        '    command: "httpd -f"',
        '    environment: {B: "2", A: "1", UNSET: null}',
        '    labels: [tier=front]',
        '    hostname: web-host',
        '    working_dir: /srv',
        '    user: "1000"',
        '    init: true',
        '    read_only: true',
        '    stop_signal: SIGINT',
        '    stop_grace_period: 3s',
        '    extra_hosts: ["db.local:10.0.0.5"]',
        '    dns: [1.1.1.1]',
        '    dns_search: [example.org]',
        '    sysctls: {net.core.somaxconn: "1024"}',
        '    cap_add: [NET_ADMIN]',
        '    cap_drop: [MKNOD]',
        '    ulimits: {nofile: {soft: 100, hard: 200}, nproc: 50}',
        '    logging: {driver: json-file, options: {max-size: 1m}}',
        '    healthcheck: {test: "true", interval: 2s, retries: 3}',
        '    ports: ["8080:80", {target: 443, published: 8443, mode: host}]',
        '    deploy:',
        '      replicas: 3',
        '      labels: {team: a}',
        '      resources:',
        '        limits: {cpus: "0.5", memory: 64M, pids: 100}',
        '        reservations: {cpus: "0.25", memory: 32M, generic_resources: [{discrete_resource_spec: {kind: gpu, value: 1}}]}',
        '      restart_policy: {condition: on-failure, delay: 1s, max_attempts: 3, window: 10s}',
        '      update_config: {order: start-first, failure_action: rollback, monitor: 2s}',
        '      placement: {constraints: [node.role==worker], preferences: [{spread: node.labels.zone}], max_replicas_per_node: 2}',
      ),
    );
    expect(spec).toEqual({
      Name: 'demo_web',
      Labels: { team: 'a', 'com.docker.stack.namespace': 'demo', 'com.docker.stack.image': 'registry.example:5000/web' },
      TaskTemplate: {
        ContainerSpec: {
          Image: 'registry.example:5000/web:latest',
          Labels: { tier: 'front', 'com.docker.stack.namespace': 'demo' },
          Command: ['/bin/sh', '-c'],
          Args: ['httpd', '-f'],
          Hostname: 'web-host',
          Env: ['A=1', 'B=2', 'UNSET'],
          Dir: '/srv',
          User: '1000',
          Init: true,
          ReadOnly: true,
          StopSignal: 'SIGINT',
          StopGracePeriod: 3e9,
          Healthcheck: { Test: ['CMD-SHELL', 'true'], Interval: 2e9, Retries: 3 },
          Hosts: ['10.0.0.5 db.local'],
          DNSConfig: { Nameservers: ['1.1.1.1'], Search: ['example.org'] },
          Sysctls: { 'net.core.somaxconn': '1024' },
          CapabilityAdd: ['NET_ADMIN'],
          CapabilityDrop: ['MKNOD'],
          Ulimits: [
            { Name: 'nofile', Soft: 100, Hard: 200 },
            { Name: 'nproc', Soft: 50, Hard: 50 },
          ],
        },
        Resources: {
          Limits: { NanoCPUs: 500000000, MemoryBytes: 64 * 1024 * 1024, Pids: 100 },
          Reservations: { NanoCPUs: 250000000, MemoryBytes: 32 * 1024 * 1024, GenericResources: [{ DiscreteResourceSpec: { Kind: 'gpu', Value: 1 } }] },
        },
        RestartPolicy: { Condition: 'on-failure', Delay: 1e9, MaxAttempts: 3, Window: 10e9 },
        Placement: { Constraints: ['node.role==worker'], Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }], MaxReplicas: 2 },
        Networks: [{ Target: 'demo_default', Aliases: ['web'] }],
        LogDriver: { Name: 'json-file', Options: { 'max-size': '1m' } },
      },
      Mode: { Replicated: { Replicas: 3 } },
      UpdateConfig: { Parallelism: 1, FailureAction: 'rollback', Monitor: 2e9, Order: 'start-first' },
      EndpointSpec: {
        Ports: [
          { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' },
          { Protocol: 'tcp', TargetPort: 443, PublishedPort: 8443, PublishMode: 'host' },
        ],
      },
    });
  });

  test.each([
    ['always', { Condition: 'any' }],
    ['unless-stopped', { Condition: 'any' }],
    ['on-failure:4', { Condition: 'on-failure', MaxAttempts: 4 }],
    // docker stack sends nothing here, which the engine reads as "any".
    ['"no"', { Condition: 'none' }],
  ])('restart: %s without deploy.restart_policy must become the restart condition %j', (restart, policy) => {
    expect(specOf(`services:\n  web:\n    image: x\n    restart: ${restart}\n`).TaskTemplate.RestartPolicy).toEqual(policy);
  });

  test.each([
    ['global', undefined, { Global: {} }],
    ['replicated-job', 4, { ReplicatedJob: { MaxConcurrent: 4, TotalCompletions: 4 } }],
    ['global-job', undefined, { GlobalJob: {} }],
    ['replicated', undefined, { Replicated: {} }],
  ])('deploy.mode %s must map to the engine mode', (mode, replicas, expected) => {
    const deploy = `    deploy: {mode: ${mode}${replicas === undefined ? '' : `, replicas: ${replicas}`}, update_config: {parallelism: 2}}\n`;
    const spec = specOf(`services:\n  web:\n    image: x\n${deploy}`);
    expect(spec.Mode).toEqual(expected);
    // Jobs take no update config (the engine refuses one; the checks report it at its position).
    expect(spec.UpdateConfig === undefined).toBe(mode.endsWith('-job'));
  });

  test('volumes, service tmpfs and mounts must become swarm mounts with the stack label on named volumes', () => {
    const spec = specOf(
      lines(
        'services:',
        '  web:',
        '    image: x',
        '    tmpfs: ["/run:size=64k,mode=1770"]',
        '    volumes:',
        '      - data:/data:nocopy',
        '      - ./site:/site:ro',
        '      - /anon',
        '      - {type: tmpfs, target: /cache, tmpfs: {size: 1024}}',
        '      - {type: volume, source: ext, target: /ext}',
        'volumes:',
        '  data: {driver: local, driver_opts: {type: none}, labels: {keep: "yes"}}',
        '  ext: {external: true}',
      ),
    );
    expect(spec.TaskTemplate.ContainerSpec.Mounts).toEqual([
      {
        Type: 'volume',
        Source: 'demo_data',
        Target: '/data',
        VolumeOptions: { NoCopy: true, Labels: { keep: 'yes', 'com.docker.stack.namespace': 'demo' }, DriverConfig: { Name: 'local', Options: { type: 'none' } } },
      },
      { Type: 'bind', Source: '/projects/demo/site', Target: '/site', ReadOnly: true },
      { Type: 'volume', Target: '/anon' },
      { Type: 'tmpfs', Target: '/cache', TmpfsOptions: { SizeBytes: 1024 } },
      { Type: 'volume', Source: 'ext', Target: '/ext' },
      { Type: 'tmpfs', Target: '/run', TmpfsOptions: { SizeBytes: 65536, Mode: 0o1770 } },
    ]);
  });

  test('secrets and configs must be mounted by their content-addressed names, at the targets docker stack uses', () => {
    const spec = specOf(
      lines(
        'services:',
        '  web:',
        '    image: x',
        '    secrets: [pw, {source: key, target: /etc/key, uid: "10", mode: 0400}]',
        '    configs: [conf]',
        'secrets:',
        '  pw: {file: ./pw.txt}',
        '  key: {environment: KEY, name: fixed-key}',
        'configs:',
        '  conf: {content: hello}',
      ),
      'web',
      { secrets: { pw: base64('secret'), key: base64('k') }, configs: { conf: base64('hello') } },
    );
    const container = spec.TaskTemplate.ContainerSpec;
    expect(container.Secrets).toEqual([
      { File: { Name: 'pw', UID: '0', GID: '0', Mode: 0o444 }, SecretName: expect.stringMatching(/^demo_pw-[0-9a-f]{10}$/) },
      { File: { Name: '/etc/key', UID: '10', GID: '0', Mode: 0o400 }, SecretName: 'fixed-key' },
    ].sort((a, b) => (a.SecretName < b.SecretName ? -1 : 1)));
    expect(container.Configs).toEqual([{ File: { Name: 'conf', UID: '0', GID: '0', Mode: 0o444 }, ConfigName: expect.stringMatching(/^demo_conf-[0-9a-f]{10}$/) }]);
  });

  test('networks must carry the service name as an alias on user networks, and none on the engine\'s own', () => {
    const spec = specOf(
      lines(
        'services:',
        '  web:',
        '    image: x',
        '    networks: {front: {aliases: [www]}, outside: null}',
        'networks:',
        '  front: {}',
        '  outside: {external: true, name: host}',
      ),
    );
    expect(spec.TaskTemplate.Networks).toEqual([
      { Target: 'demo_front', Aliases: ['www', 'web'] },
      { Target: 'host' },
    ]);
  });

  test('an image with only a build section must be the name the build gives it', () => {
    const stack = stackFrom('services:\n  web:\n    build: .\n');
    expect(stack.services[0].spec.TaskTemplate.ContainerSpec.Image).toBe('demo-web:latest');
    expect(stack.services[0].builds).toBe(true);
  });
});
