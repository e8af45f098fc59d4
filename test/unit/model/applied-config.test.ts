/** Recorded configs: secret-bearing values sealed, and still comparable (model/applied-config.ts). */
import { comparableConfigs, sealedAppliedConfig, sealKeyFromSecret } from '../../../src/model/applied-config.js';
import { diffConfigs, toCanonical } from '../../../src/model/hash.js';

const key = sealKeyFromSecret('ab'.repeat(32));
const otherKey = sealKeyFromSecret('cd'.repeat(32));
const canary = 'canary-Wm41rT';

const service = toCanonical({
  image: 'app',
  environment: { PASSWORD: canary, MODE: 'prod', BARE: null },
  pre_stop: [{ command: ['sh', '-c', 'true'], environment: { TOKEN: canary } }],
  secrets: [{ source: 'key', definition: { name: 'p_key', content: `sha256:${canary}` } }],
  configs: [{ source: 'conf', definition: { name: 'p_conf', file: '/srv/conf' } }],
});

describe('applied config', () => {
  test('a recorded service must hold no environment value, hook environment value or inline content', () => {
    const text = sealedAppliedConfig('service', service, key);
    expect(text).not.toContain(canary);
    expect(text).not.toContain('prod');
    const record = JSON.parse(text);
    expect(record.environment.BARE).toBeNull();
    expect(record.configs[0].definition.file).toBe('/srv/conf');
    expect(record.image).toBe('app');
  });

  test('a recorded volume must hold no driver option value', () => {
    const text = sealedAppliedConfig('resource', toCanonical({ name: 'p_share', driver_opts: { o: `password=${canary}` } }), key);
    expect(text).not.toContain(canary);
    expect(JSON.parse(text).driver_opts.o).toMatch(/^hmac-sha256:[0-9a-f]{32}$/);
  });

  test('the same value must seal the same way under one key and differently under another', () => {
    expect(sealedAppliedConfig('service', service, key)).toBe(sealedAppliedConfig('service', service, key));
    expect(sealedAppliedConfig('service', service, key)).not.toBe(sealedAppliedConfig('service', service, otherKey));
  });

  test('a changed value must show as a changed path under the same key', () => {
    const recorded = JSON.parse(sealedAppliedConfig('service', service, key));
    const desired = toCanonical({ ...(service as object), environment: { PASSWORD: 'new', MODE: 'prod', BARE: null } });
    const configs = comparableConfigs('service', recorded, key.id, desired, key);
    expect(diffConfigs(configs.applied, configs.desired)).toEqual(['environment.PASSWORD']);
    expect(configs.valuesHidden).toBe(false);
  });

  test('a record from before sealing (clear values, no key) must compare and name the changed value', () => {
    const desired = toCanonical({ ...(service as object), environment: { PASSWORD: canary, MODE: 'dev', BARE: null } });
    const configs = comparableConfigs('service', service, undefined, desired, key);
    expect(diffConfigs(configs.applied, configs.desired)).toEqual(['environment.MODE']);
    expect(JSON.stringify(configs)).not.toContain(canary);
  });

  test('a record sealed under another key must not report equal values as changed', () => {
    const recorded = JSON.parse(sealedAppliedConfig('service', service, otherKey));
    const configs = comparableConfigs('service', recorded, otherKey.id, service, key);
    expect(diffConfigs(configs.applied, configs.desired)).toEqual([]);
    expect(configs.valuesHidden).toBe(true);
  });

  test('the key id must not reveal the key', () => {
    expect(key.id).toMatch(/^[0-9a-f]{12}$/);
    expect(key.secret).not.toContain(key.id);
  });
});
