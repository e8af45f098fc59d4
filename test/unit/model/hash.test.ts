import {
  canonicalJson,
  canonicalServiceConfig,
  configHash,
  contentDigest,
  diffConfigs,
  serviceConfigHash,
} from '../../../src/model/hash.js';
import type { Project, Service } from '../../../src/model/types.js';

const project: Project = {
  name: 'golden',
  workingDir: '/srv/golden',
  configFiles: ['/srv/golden/compose.yaml'],
  envFiles: [],
  envFilesRequested: false,
  services: {},
  disabledServices: {},
  networks: { default: { name: 'golden_default' } },
  volumes: { data: { name: 'golden_data' } },
  secrets: { token: { name: 'golden_token', file: '/srv/golden/token.txt' } },
  configs: { site: { name: 'golden_site', content: 'server { listen 80; }' } },
  extensions: {},
};

/** A fixed service touching most kinds of fields. Its hash must never change. */
const service: Service = {
  name: 'web',
  image: 'nginx:1.27',
  command: ['nginx', '-g', 'daemon off;'],
  environment: { MODE: 'production', EMPTY: null },
  ports: [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }],
  volumes: [
    { type: 'volume', source: 'data', target: '/data' },
    { type: 'bind', source: '/srv/golden/html', target: '/usr/share/nginx/html', read_only: true },
  ],
  networks: { default: null },
  healthcheck: { test: ['CMD', 'true'], interval: 5_000_000_000, retries: 3 },
  labels: { 'com.example.tier': 'front' },
  restart: 'unless-stopped',
  stop_grace_period: 2_000_000_000,
  secrets: [{ source: 'token' }],
  configs: [{ source: 'site', target: '/etc/nginx/conf.d/site.conf' }],
  deploy: { replicas: 2, resources: { limits: { memory: 268_435_456 } } },
  depends_on: { db: { condition: 'service_healthy', required: true } },
  build: { context: '/srv/golden' },
  pull_policy: 'missing',
  profiles: ['web'],
};

describe('config hash', () => {
  test('the hash of a fixed service must never change (golden: changing it recreates every user container)', () => {
    expect(serviceConfigHash(service, project)).toBe('caec2a9e17acf94b48d08e995f8f97bff6c1081886227e45fe5322800763ffea');
  });

  test('the hash must not depend on the order keys were written in', () => {
    const reordered = Object.fromEntries(Object.entries(service).reverse()) as unknown as Service;
    const environment = { EMPTY: null, MODE: 'production' };
    expect(serviceConfigHash({ ...reordered, environment }, project)).toBe(serviceConfigHash(service, project));
  });

  test.each([
    ['build', { build: { context: '/elsewhere' } }],
    ['pull_policy', { pull_policy: 'always' }],
    ['scale', { scale: 5 }],
    ['deploy.replicas', { deploy: { replicas: 7, resources: { limits: { memory: 268_435_456 } } } }],
    ['depends_on', { depends_on: {} }],
    ['profiles', { profiles: ['other'] }],
    ['develop', { develop: { watch: [{ path: '/srv/golden/src', action: 'sync' as const, target: '/app' }] } }],
    ['attach', { attach: false }],
    ['x-* extensions', { extensions: { 'x-note': 'hi' } }],
    [
      'x-* keys nested in ports, healthcheck, secrets and resources',
      {
        ports: [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp', extensions: { 'x-port': 1 } }],
        healthcheck: { test: ['CMD', 'true'], interval: 5_000_000_000, retries: 3, extensions: { 'x-hc': 1 } },
        secrets: [{ source: 'token', extensions: { 'x-secret': 1 } }],
        deploy: { replicas: 2, resources: { limits: { memory: 268_435_456, extensions: { 'x-limit': 1 } } } },
      },
    ],
  ])('a change of %s must not change the hash', (_field, change) => {
    expect(serviceConfigHash({ ...service, ...change }, project)).toBe(serviceConfigHash(service, project));
  });

  test('x-* keys of a network entry must not change the hash', () => {
    const attached = { ...service, networks: { default: { aliases: ['www'] } } };
    const annotated = { ...service, networks: { default: { aliases: ['www'], extensions: { 'x-net': 1 } } } };
    expect(serviceConfigHash(annotated, project)).toBe(serviceConfigHash(attached, project));
  });

  test('a changed environment value must change the hash', () => {
    expect(serviceConfigHash({ ...service, environment: { MODE: 'debug', EMPTY: null } }, project)).not.toBe(
      serviceConfigHash(service, project),
    );
  });

  test.each([
    ['gpus', { gpus: [{ count: -1 }] }],
    ['post_start', { post_start: [{ command: ['echo', 'started'] }] }],
    ['pre_stop', { pre_stop: [{ command: ['echo', 'stopping'], user: 'root' }] }],
  ])('setting %s must change the hash (as in Compose)', (_field, change) => {
    expect(serviceConfigHash({ ...service, ...change }, project)).not.toBe(serviceConfigHash(service, project));
  });

  test('changed inline config content must change the hash (Compose misses it, #13045)', () => {
    const changed: Project = { ...project, configs: { site: { name: 'golden_site', content: 'server { listen 81; }' } } };
    expect(serviceConfigHash(service, changed)).not.toBe(serviceConfigHash(service, project));
  });

  test('inline content must appear only as a digest in the canonical config', () => {
    const text = canonicalJson(canonicalServiceConfig(service, project));
    expect(text).not.toContain('listen 80');
    expect(text).toContain(contentDigest('server { listen 80; }'));
  });

  test('canonical JSON must sort keys at every level and drop undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: [{ z: 1, y: null }] } })).toBe('{"a":{"c":[{"y":null,"z":1}]},"b":1}');
  });

  test('the hash must be the SHA-256 of the canonical JSON', () => {
    expect(configHash({ a: 1 })).toBe('015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
  });
});

describe('diffConfigs', () => {
  test('equal configs must have no differences', () => {
    expect(diffConfigs({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
  });

  test('a changed map entry must be named by its dotted path', () => {
    expect(diffConfigs({ environment: { MODE: 'a', X: '1' } }, { environment: { MODE: 'b', X: '1' } })).toEqual(['environment.MODE']);
  });

  test('added and removed keys must be named', () => {
    expect(diffConfigs({ environment: { A: '1' } }, { environment: { B: '1' }, user: 'app' })).toEqual([
      'environment.A',
      'environment.B',
      'user',
    ]);
  });

  test('keys that are not identifiers must be quoted', () => {
    expect(diffConfigs({ labels: { 'com.example.tier': 'a' } }, { labels: { 'com.example.tier': 'b' } })).toEqual([
      'labels["com.example.tier"]',
    ]);
  });

  test('a list of scalars must be named as a whole', () => {
    expect(diffConfigs({ command: ['a', 'b'] }, { command: ['a', 'c'] })).toEqual(['command']);
  });

  test('lists of objects of the same length must be compared element by element', () => {
    expect(
      diffConfigs(
        { ports: [{ target: 80, published: '8080' }, { target: 443 }] },
        { ports: [{ target: 80, published: '9090' }, { target: 443 }] },
      ),
    ).toEqual(['ports[0].published']);
  });

  test('lists of objects of different lengths must be named as a whole', () => {
    expect(diffConfigs({ ports: [{ target: 80 }] }, { ports: [{ target: 80 }, { target: 81 }] })).toEqual(['ports']);
  });
});
