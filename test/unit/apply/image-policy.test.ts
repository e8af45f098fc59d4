import {
  decideImage,
  decidePullCommand,
  isLatestTag,
  parsePullPolicy,
  refreshDue,
  type ImageDecisionInput,
  type ImageOverrides,
  type LocalImage,
} from '../../../src/apply/image-policy.js';
import type { Service } from '../../../src/model/types.js';

const NOW = Date.parse('2026-06-15T12:00:00Z');
const HOUR = 3_600_000;
const LOCAL: LocalImage = { id: 'sha256:local', created: '2026-06-15T11:00:00Z' };
const BUILD = { context: '/srv/app', dockerfile: 'Dockerfile' };

function service(fields: Partial<Service>): Service {
  return { name: 'web', ...fields };
}

function decide(
  fields: Partial<Service>,
  local: LocalImage | undefined,
  overrides: ImageOverrides = {},
  extra: Partial<ImageDecisionInput> = {},
) {
  const svc = service(fields);
  return decideImage({
    service: svc,
    reference: svc.image ?? 'demo-web',
    buildable: svc.build !== undefined,
    local,
    overrides,
    now: NOW,
    ...extra,
  });
}

describe('parsePullPolicy', () => {
  test('an unset, missing, if_not_present or bare refresh policy must mean missing', () => {
    for (const value of [undefined, 'missing', 'if_not_present', 'refresh']) expect(parsePullPolicy(value)).toEqual({ kind: 'missing' });
  });

  test('daily, weekly and every_<duration> must become refresh windows', () => {
    expect(parsePullPolicy('daily')).toEqual({ kind: 'refresh', everyMs: 24 * HOUR, text: 'daily' });
    expect(parsePullPolicy('weekly')).toEqual({ kind: 'refresh', everyMs: 7 * 24 * HOUR, text: 'weekly' });
    expect(parsePullPolicy('every_1d12h')).toEqual({ kind: 'refresh', everyMs: 36 * HOUR, text: 'every_1d12h' });
    expect(parsePullPolicy('every_2w').kind === 'refresh' && parsePullPolicy('every_2w')).toMatchObject({ everyMs: 14 * 24 * HOUR });
    expect(parsePullPolicy('every_90s')).toMatchObject({ everyMs: 90_000 });
  });
});

describe('decideImage: the default policy (missing)', () => {
  test('an image present locally must be used as is', () => {
    expect(decide({ image: 'nginx:1.27' }, LOCAL)).toMatchObject({ action: 'use-local' });
  });

  test('a missing image that cannot be built must be pulled, and a failed pull must be an error', () => {
    expect(decide({ image: 'nginx:1.27' }, undefined)).toEqual({ action: 'pull', reason: 'missing locally', onFailure: 'error' });
  });

  test('a missing image of a service with image and build must be pulled first, and built when the pull fails', () => {
    expect(decide({ image: 'registry.example/app:1', build: BUILD }, undefined)).toMatchObject({ action: 'pull', onFailure: 'build' });
  });

  test('a missing image another service builds must fall back to that build', () => {
    expect(decide({ image: 'shared:1' }, undefined, {}, { buildable: true })).toMatchObject({ action: 'pull', onFailure: 'build' });
  });

  test('a build-only service with no local image must be built without a pull', () => {
    expect(decide({ build: BUILD }, undefined)).toEqual({ action: 'build', reason: 'missing locally' });
  });

  test('a build-only service with a local image must not be rebuilt', () => {
    expect(decide({ build: BUILD }, LOCAL)).toMatchObject({ action: 'use-local' });
  });
});

describe('decideImage: explicit policies', () => {
  test('always must pull even a present image, and fail when the pull fails', () => {
    expect(decide({ image: 'nginx:1.27', pull_policy: 'always' }, LOCAL)).toEqual({ action: 'pull', reason: 'pull_policy: always', onFailure: 'error' });
  });

  test('always with a build section must keep the local image when the pull fails', () => {
    expect(decide({ image: 'app:1', build: BUILD, pull_policy: 'always' }, LOCAL)).toMatchObject({ action: 'pull', onFailure: 'use-local' });
  });

  test('always with a build section and no local image must build when the pull fails', () => {
    expect(decide({ image: 'app:1', build: BUILD, pull_policy: 'always' }, undefined)).toMatchObject({ action: 'pull', onFailure: 'build' });
  });

  test('never with a missing image that cannot be built must be an error naming the service and image', () => {
    const decision = decide({ image: 'tsc/missing:1.0', pull_policy: 'never' }, undefined);
    expect(decision.action).toBe('error');
    expect(decision.action === 'error' && decision.message).toBe(
      'service "web": image tsc/missing:1.0 is not present locally, and pull_policy: never forbids pulling it',
    );
  });

  test('never must build a missing image that can be built, and never pull it', () => {
    expect(decide({ image: 'app:1', build: BUILD, pull_policy: 'never' }, undefined)).toMatchObject({ action: 'build' });
  });

  test('never must use a present image', () => {
    expect(decide({ image: 'app:1', pull_policy: 'never' }, LOCAL)).toMatchObject({ action: 'use-local' });
  });

  test('build must always build, even when the image is present', () => {
    expect(decide({ image: 'app:1', build: BUILD, pull_policy: 'build' }, LOCAL)).toEqual({ action: 'build', reason: 'pull_policy: build' });
  });

  test('build without a build section must be an error', () => {
    expect(decide({ image: 'app:1', pull_policy: 'build' }, LOCAL)).toEqual({
      action: 'error',
      message: 'service "web" has pull_policy: build but no build section',
    });
  });
});

describe('decideImage: refresh windows', () => {
  test('a daily image tagged an hour ago must not be pulled', () => {
    expect(decide({ image: 'nginx:1.27', pull_policy: 'daily' }, LOCAL)).toMatchObject({ action: 'use-local' });
  });

  test('a daily image tagged two days ago must be pulled, keeping the local one when the pull fails', () => {
    const old: LocalImage = { id: 'sha256:old', created: '2026-06-13T12:00:00Z' };
    expect(decide({ image: 'nginx:1.27', pull_policy: 'daily' }, old)).toEqual({ action: 'pull', reason: 'refresh due (daily)', onFailure: 'use-local' });
  });

  test('the last tag time must win over the build time', () => {
    const retagged: LocalImage = { id: 'sha256:x', created: '2020-01-01T00:00:00Z', lastTagTime: '2026-06-15T11:30:00Z' };
    expect(refreshDue(retagged, 24 * HOUR, NOW)).toBe(false);
    expect(refreshDue({ ...retagged, lastTagTime: undefined }, 24 * HOUR, NOW)).toBe(true);
  });

  test('every_30m must be due after 30 minutes', () => {
    const image: LocalImage = { id: 'sha256:x', created: '2026-06-15T11:30:00Z' };
    expect(decide({ image: 'nginx:1.27', pull_policy: 'every_30m' }, image)).toMatchObject({ action: 'pull' });
    expect(decide({ image: 'nginx:1.27', pull_policy: 'every_31m' }, image)).toMatchObject({ action: 'use-local' });
  });

  test('a missing refresh image must be pulled like a missing one', () => {
    expect(decide({ image: 'nginx:1.27', pull_policy: 'weekly' }, undefined)).toMatchObject({ action: 'pull', onFailure: 'error' });
  });
});

describe('decideImage: command-line overrides', () => {
  test('--pull always must replace the service policy', () => {
    expect(decide({ image: 'nginx:1.27', pull_policy: 'never' }, LOCAL, { pull: 'always' })).toMatchObject({ action: 'pull', reason: '--pull always' });
  });

  test('--pull never must fail for a missing image and say why', () => {
    const decision = decide({ image: 'nginx:1.27' }, undefined, { pull: 'never' });
    expect(decision.action === 'error' && decision.message).toMatch(/--pull never forbids pulling it$/);
  });

  test('--pull policy must keep the service policy', () => {
    expect(decide({ image: 'nginx:1.27', pull_policy: 'always' }, LOCAL, { pull: 'policy' })).toMatchObject({ action: 'pull' });
  });

  test('--build must build every service with a build section, whatever its policy', () => {
    expect(decide({ image: 'app:1', build: BUILD, pull_policy: 'always' }, LOCAL, { build: true })).toEqual({ action: 'build', reason: '--build' });
  });

  test('--build must not affect a service without a build section', () => {
    expect(decide({ image: 'nginx:1.27' }, LOCAL, { build: true })).toMatchObject({ action: 'use-local' });
  });

  test('--no-build must fail for a missing build-only image, before anything is created', () => {
    const decision = decide({ build: BUILD }, undefined, { noBuild: true });
    expect(decision).toEqual({
      action: 'error',
      message: 'service "web": image demo-web is not present locally, and --no-build forbids building it',
    });
  });

  test('--no-build must make a failed pull of a buildable image an error', () => {
    expect(decide({ image: 'app:1', build: BUILD }, undefined, { noBuild: true })).toMatchObject({ action: 'pull', onFailure: 'error' });
  });

  test('--no-build must use a present image even with pull_policy: build', () => {
    expect(decide({ image: 'app:1', build: BUILD, pull_policy: 'build' }, LOCAL, { noBuild: true })).toMatchObject({ action: 'use-local' });
  });
});

describe('decidePullCommand', () => {
  test('an unset policy must pull even a present image', () => {
    expect(decidePullCommand(service({ image: 'nginx:1.27' }), LOCAL, {})).toEqual({ action: 'pull' });
  });

  test('missing must skip a present image unless its tag is latest', () => {
    expect(decidePullCommand(service({ image: 'nginx:1.27' }), LOCAL, { policy: 'missing' })).toEqual({
      action: 'skip',
      reason: 'Image is already present locally',
    });
    expect(decidePullCommand(service({ image: 'nginx' }), LOCAL, { policy: 'missing' })).toEqual({ action: 'pull' });
  });

  test('a build-only service must be skipped', () => {
    expect(decidePullCommand(service({ build: BUILD }), undefined, {})).toEqual({ action: 'skip', reason: 'No image to be pulled' });
  });

  test('never and build policies must be skipped', () => {
    expect(decidePullCommand(service({ image: 'a:1', pull_policy: 'never' }), undefined, {})).toMatchObject({ action: 'skip' });
    expect(decidePullCommand(service({ image: 'a:1', build: BUILD, pull_policy: 'build' }), undefined, {})).toMatchObject({ action: 'skip' });
  });

  test('--ignore-buildable must skip images that can be built', () => {
    expect(decidePullCommand(service({ image: 'a:1', build: BUILD }), undefined, { ignoreBuildable: true })).toEqual({
      action: 'skip',
      reason: 'Image can be built',
    });
  });

  test('--policy always must pull a present image whose service says missing', () => {
    expect(decidePullCommand(service({ image: 'a:1', pull_policy: 'missing' }), LOCAL, { policy: 'always' })).toEqual({ action: 'pull' });
  });
});

describe('isLatestTag', () => {
  test('references without a tag, or tagged latest, must count as latest', () => {
    expect(isLatestTag('nginx')).toBe(true);
    expect(isLatestTag('nginx:latest')).toBe(true);
    expect(isLatestTag('localhost:5000/team/app')).toBe(true);
    expect(isLatestTag('localhost:5000/team/app:2')).toBe(false);
    expect(isLatestTag('nginx@sha256:abc')).toBe(false);
  });
});
