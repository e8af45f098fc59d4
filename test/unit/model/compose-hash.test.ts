/**
 * Docker Compose's config hash: what `up` changes in the service before hashing (the golden corpus
 * checks the JSON itself against Compose's `config --hash`, test/unit/config/hash-corpus.test.ts).
 */
import { createHash } from 'node:crypto';
import { composeConfigHash, goJson, hashNamesContainers } from '../../../src/model/compose-hash.js';
import type { Project, Service } from '../../../src/model/types.js';

const base: Service = { name: 'web', image: 'busybox', networks: { default: null } };
const project: Pick<Project, 'services'> = { services: { web: base, db: { name: 'db', image: 'busybox' } } };
const ids: Record<string, string> = { db: 'f'.repeat(64) };
const run = { containerOf: (service: string) => ids[service] };

const hash = (service: Partial<Service>, withRun = true): string =>
  composeConfigHash({ ...base, ...service }, project, withRun ? run : undefined);

describe("Compose's config hash", () => {
  test('the hash must be SHA-256 of the service JSON Compose marshals', () => {
    const json = '{"command":null,"entrypoint":null,"image":"busybox","networks":{"default":null}}';
    expect(hash({})).toBe(createHash('sha256').update(json).digest('hex'));
  });

  test.each([
    ['build', { build: { context: '/elsewhere' } }],
    ['pull_policy', { pull_policy: 'always' }],
    ['scale', { scale: 3 }],
  ])('%s must not change the hash', (_field, change) => {
    expect(hash(change as Partial<Service>)).toBe(hash({}));
  });

  test('deploy.replicas must not change the hash, but the rest of deploy must', () => {
    expect(hash({ deploy: { replicas: 3 } })).toBe(hash({ deploy: { replicas: 1 } }));
    expect(hash({ deploy: { replicas: 3 } })).not.toBe(hash({}));
  });

  test('depends_on and profiles must change the hash, as in Compose 2.26', () => {
    expect(hash({ depends_on: { db: { condition: 'service_started', required: true } } })).not.toBe(hash({}));
    expect(hash({ profiles: ['debug'] })).not.toBe(hash({}));
  });

  test('an optional dependency on a service outside the run must be left out by up, not by config --hash', () => {
    const optional = { depends_on: { cache: { condition: 'service_started' as const, required: false } } };
    expect(hash(optional)).toBe(hash({ depends_on: {} }));
    expect(hash(optional, false)).not.toBe(hash({ depends_on: {} }, false));
  });

  test('network_mode, ipc and pid service:x must be hashed as the id of x first container', () => {
    expect(hash({ network_mode: 'service:db', networks: undefined })).toBe(hash({ network_mode: `container:${ids.db}`, networks: undefined }));
    expect(hash({ ipc: 'service:db' })).toBe(hash({ ipc: `container:${ids.db}` }));
    expect(hash({ pid: 'service:db' })).toBe(hash({ pid: `container:${ids.db}` }));
  });

  test('volumes_from must be hashed as container ids without their mode, as Compose 2.26 does', () => {
    expect(hash({ volumes_from: ['db:ro', 'container:legacy:rw'] })).toBe(hash({ volumes_from: [ids.db, 'legacy'] }, false));
  });

  test('a reference to a service without a container yet must be hashed as written', () => {
    expect(hash({ ipc: 'service:cache' })).toBe(hash({ ipc: 'service:cache' }, false));
  });

  test('hashNamesContainers must tell which services need the ids of other containers', () => {
    expect(hashNamesContainers({ ...base, network_mode: 'service:db' })).toBe(true);
    expect(hashNamesContainers({ ...base, volumes_from: ['db'] })).toBe(true);
    expect(hashNamesContainers({ ...base, volumes_from: ['container:legacy'], network_mode: 'host' })).toBe(false);
  });
});

describe("Go's JSON", () => {
  test('<, >, & and the line separators must be escaped as Go escapes them', () => {
    expect(goJson({ label: 'a <b> & c\u2028' })).toBe('{"label":"a \\u003cb\\u003e \\u0026 c\\u2028"}');
  });

  test('map keys that look like integers must be sorted byte-wise, as Go sorts them', () => {
    expect(goJson({ b: 1, '9': 2, '10': 3 })).toBe('{"10":3,"9":2,"b":1}');
  });

  test('struct order must be kept and undefined members left out', () => {
    expect(goJson({ z: 1, a: undefined, m: [null, 'x'] })).toBe('{"z":1,"m":[null,"x"]}');
  });
});
