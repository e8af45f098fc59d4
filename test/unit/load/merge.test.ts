import { locate } from '../../../src/load/located.js';
import { loadIn, project, services } from './load-helpers.js';

/** Loads compose.yaml + override.yaml (in that order) and returns service `s`. */
async function merged(base: string, override: string): Promise<Record<string, unknown>> {
  const dir = project({ 'compose.yaml': `services:\n  s:\n${base}`, 'override.yaml': `services:\n  s:\n${override}` });
  return services(await loadIn(dir, { files: ['compose.yaml', 'override.yaml'] })).s;
}

describe('merging override files', () => {
  test('scalars must be replaced and mappings merged deeply', async () => {
    const s = await merged('    image: a\n    deploy: {resources: {limits: {cpus: "1"}}}\n', '    image: b\n    deploy: {resources: {limits: {memory: 1g}}}\n');
    expect(s).toEqual({ image: 'b', deploy: { resources: { limits: { cpus: '1', memory: '1g' } } } });
  });

  test('command, entrypoint and healthcheck.test must be replaced, not appended', async () => {
    const s = await merged('    command: ["a", "b"]\n    entrypoint: [x]\n    healthcheck: {test: [CMD, a], retries: 3}\n', '    command: c\n    entrypoint: [y]\n    healthcheck: {test: [CMD, b]}\n');
    expect(s).toEqual({ command: 'c', entrypoint: ['y'], healthcheck: { test: ['CMD', 'b'], retries: 3 } });
  });

  test('environment must merge by key across list and mapping forms, later value winning', async () => {
    const s = await merged('    environment: [A=1, B=2]\n', '    environment: {A: override, C: null}\n');
    expect(s.environment).toEqual(['A=override', 'B=2', 'C']);
  });

  test('two environment mappings must stay a mapping', async () => {
    const s = await merged('    environment: {A: 1, B: 2}\n', '    environment: {A: 3}\n');
    expect(s.environment).toEqual({ A: 3, B: 2 });
  });

  test('labels, sysctls and build.args must merge by key', async () => {
    const s = await merged('    labels: [a=1]\n    build: {context: ., args: [X=1]}\n', '    labels: {a: 2, b: 3}\n    build: {args: {X: 2}}\n');
    expect(s.labels).toEqual(['a=2', 'b=3']);
    expect(s.build).toEqual({ context: '.', args: ['X=2'] });
  });

  test('dns, tmpfs and env_file must be appended, a string counting as one entry, duplicates dropped', async () => {
    // A service disabled by a profile keeps env_file unread, so the merged list stays visible.
    const s = await merged('    profiles: [off]\n    dns: 1.1.1.1\n    tmpfs: /run\n    env_file: a.env\n', '    dns: [8.8.8.8, 1.1.1.1]\n    tmpfs: [/tmp]\n    env_file: [b.env, a.env]\n');
    expect(s.dns).toEqual(['1.1.1.1', '8.8.8.8']);
    expect(s.tmpfs).toEqual(['/run', '/tmp']);
    expect(s.env_file).toEqual(['a.env', 'b.env']);
  });

  test('ports must be appended and identical ports kept once', async () => {
    const s = await merged('    ports: ["80:80"]\n', '    ports: ["81:80", "80:80", {target: 80, published: "80"}]\n');
    expect(s.ports).toEqual([{ target: 80, published: '80' }, '81:80']);
  });

  test('volumes must be unique by container path, the later one winning in place', async () => {
    const s = await merged('    volumes: ["./x:/data", "/other"]\n', '    volumes: ["./y:/data/", {type: volume, source: v, target: /v}]\n');
    expect(s.volumes).toEqual(['./y:/data/', '/other', { type: 'volume', source: 'v', target: '/v' }]);
  });

  test('secrets and configs must be unique by target', async () => {
    const s = await merged('    secrets: [a]\n    configs: [c]\n', '    secrets: [{source: a, mode: 0400}]\n    configs: [{source: x, target: /c}]\n');
    expect(s.secrets).toEqual([{ source: 'a', mode: 256 }]);
    expect(s.configs).toEqual([{ source: 'x', target: '/c' }]);
  });

  test('expose, cap_add and profiles must be deduplicated by value', async () => {
    const s = await merged('    expose: ["80"]\n    cap_add: [NET_ADMIN]\n    profiles: [a]\n', '    expose: [80, "81"]\n    cap_add: [NET_ADMIN, SYS_TIME]\n    profiles: [a, b]\n');
    expect(s).toEqual({ expose: [80, '81'], cap_add: ['NET_ADMIN', 'SYS_TIME'], profiles: ['a', 'b'] });
  });

  test('depends_on and networks in list and mapping forms must merge as mappings', async () => {
    const s = await merged('    depends_on: [db]\n    networks: [front]\n', '    depends_on: {db: {condition: service_healthy}, cache: {condition: service_started}}\n    networks: {back: {aliases: [b]}}\n');
    expect(s.depends_on).toEqual({ db: { condition: 'service_healthy', required: true }, cache: { condition: 'service_started' } });
    expect(s.networks).toEqual({ front: null, back: { aliases: ['b'] } });
  });

  test('two depends_on lists must be appended without duplicates', async () => {
    const s = await merged('    depends_on: [db]\n', '    depends_on: [db, cache]\n');
    expect(s.depends_on).toEqual(['db', 'cache']);
  });

  test('build as a string must merge with build as a mapping', async () => {
    const s = await merged('    build: ./app\n', '    build: {dockerfile: Dev.Dockerfile}\n');
    expect(s.build).toEqual({ context: './app', dockerfile: 'Dev.Dockerfile' });
  });

  test('logging options must merge only when the driver is the same', async () => {
    expect((await merged('    logging: {driver: json-file, options: {a: "1"}}\n', '    logging: {options: {b: "2"}}\n')).logging).toEqual({
      driver: 'json-file',
      options: { a: '1', b: '2' },
    });
    expect((await merged('    logging: {driver: json-file, options: {a: "1"}}\n', '    logging: {driver: syslog, options: {b: "2"}}\n')).logging).toEqual({
      driver: 'syslog',
      options: { b: '2' },
    });
  });

  test('ulimits entries must be replaced by the override', async () => {
    const s = await merged('    ulimits: {nofile: {soft: 1, hard: 2}, nproc: 10}\n', '    ulimits: {nofile: {soft: 3}}\n');
    expect(s.ulimits).toEqual({ nofile: { soft: 3 }, nproc: 10 });
  });

  test('x- extensions must be replaced whole, not merged', async () => {
    const s = await merged('    x-meta: {a: 1, b: 2}\n', '    x-meta: {c: 3}\n');
    expect(s['x-meta']).toEqual({ c: 3 });
  });

  test('a null override must keep the base value', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  s: {image: a}\n', 'override.yaml': 'services:\n  s:\n' });
    expect(services(await loadIn(dir, { files: ['compose.yaml', 'override.yaml'] })).s).toEqual({ image: 'a' });
  });

  test('!reset must remove a value and !override must replace without merging', async () => {
    const s = await merged(
      '    image: a\n    ports: ["80:80"]\n    environment: {A: "1", B: "2"}\n    volumes: [/a, /b]\n',
      '    ports: !reset []\n    environment: {A: !reset null}\n    volumes: !override [/only]\n',
    );
    expect(s).toEqual({ image: 'a', environment: { B: '2' }, volumes: ['/only'] });
  });

  test('!reset in a file with nothing to reset must simply drop the key', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  s:\n    image: a\n    ports: !reset []\n' });
    expect(services(await loadIn(dir)).s).toEqual({ image: 'a' });
  });

  test('the documents of a multi-document file must be merged in order', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  a: {image: x, environment: [A=1]}\n---\nservices:\n  a: {environment: [A=2]}\n  b: {image: y}\n' });
    expect(services(await loadIn(dir))).toEqual({ a: { image: 'x', environment: ['A=2'] }, b: { image: 'y' } });
  });

  test('network ipam configs must merge by subnet', async () => {
    const dir = project({
      'compose.yaml': 'services: {s: {image: x}}\nnetworks:\n  n:\n    ipam: {config: [{subnet: 10.0.0.0/24, gateway: 10.0.0.1}]}\n',
      'override.yaml': 'networks:\n  n:\n    ipam: {config: [{subnet: 10.0.0.0/24, ip_range: 10.0.0.0/25}, {subnet: 10.1.0.0/24}]}\n',
    });
    const tree = (await loadIn(dir, { files: ['compose.yaml', 'override.yaml'] })).tree as any;
    expect(tree.networks.n.ipam.config).toEqual([{ subnet: '10.0.0.0/24', gateway: '10.0.0.1', ip_range: '10.0.0.0/25' }, { subnet: '10.1.0.0/24' }]);
  });

  test('every merged value must point at the file and line that defined it', async () => {
    const dir = project({
      'compose.yaml': 'services:\n  s:\n    image: a\n    environment: [A=1]\n    ports: ["80:80"]\n',
      'override.yaml': 'services:\n  s:\n    restart: always\n    environment: {B: "2"}\n    ports: ["81:81"]\n',
    });
    const result = await loadIn(dir, { files: ['compose.yaml', 'override.yaml'] });
    const base = `${dir}/compose.yaml`;
    const over = `${dir}/override.yaml`;
    expect(locate(result.tree, ['services', 's', 'image'])).toEqual({ file: base, line: 3, col: 12 });
    expect(locate(result.tree, ['services', 's', 'restart'])).toEqual({ file: over, line: 3, col: 14 });
    expect(locate(result.tree, ['services', 's', 'environment', 0])).toEqual({ file: base, line: 4, col: 19 });
    expect(locate(result.tree, ['services', 's', 'environment', 1])).toEqual({ file: over, line: 4, col: 19 });
    expect(locate(result.tree, ['services', 's', 'ports', 0])).toEqual({ file: base, line: 5, col: 13 });
    expect(locate(result.tree, ['services', 's', 'ports', 1])).toEqual({ file: over, line: 5, col: 13 });
  });

  test('a value of the wrong type must not crash the merge; the later value wins for the validator', async () => {
    const s = await merged('    ports: "80:80"\n    environment: 42\n    build: [x]\n    depends_on: {db: {}}\n', '    ports: ["81:81"]\n    environment: [A=1]\n    build: {context: .}\n    depends_on: [1, 2]\n');
    expect(s.ports).toEqual(['81:81']);
    expect(s.environment).toEqual([42, 'A=1']);
    expect(s.build).toEqual({ context: '.' });
    expect(s.depends_on).toEqual([1, 2]);
  });
});
