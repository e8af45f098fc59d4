import { checkBuildSupport, toBuildSpec } from '../../../src/apply/build-spec.js';
import type { Project, Service } from '../../../src/model/types.js';
import { makeProject } from '../plan/support.js';

function projectWith(service: Service): Project {
  return makeProject('demo', { [service.name]: service });
}

describe('toBuildSpec', () => {
  const web: Service = {
    name: 'web',
    image: 'registry.example/web:1',
    build: {
      context: '/srv/app',
      dockerfile: 'docker/Dockerfile',
      args: { MODE: 'prod', KEEP: 'yes' },
      target: 'runtime',
      labels: { team: 'core', 'com.docker.compose.project': 'spoofed' },
      tags: ['registry.example/web:latest', 'registry.example/web:1'],
      no_cache: true,
      network: 'host',
      extra_hosts: ['db=10.0.0.5', 'v6=::1'],
      shm_size: 67108864,
      cache_from: ['registry.example/web:cache'],
    },
  };

  test('every supported attribute must reach the engine request, tags deduplicated with the image first', () => {
    expect(toBuildSpec(projectWith(web), web, 'registry.example/web:1', '1.2.3', { args: { MODE: 'dev' } })).toEqual({
      context: '/srv/app',
      dockerfile: 'docker/Dockerfile',
      args: { MODE: 'dev', KEEP: 'yes' },
      target: 'runtime',
      labels: {
        team: 'core',
        'com.docker.compose.project': 'demo',
        'com.docker.compose.service': 'web',
        'com.docker.compose.version': '1.2.3',
        'com.docker.compose.image.builder': 'classic',
      },
      tags: ['registry.example/web:1', 'registry.example/web:latest'],
      noCache: true,
      network: 'host',
      extraHosts: ['db:10.0.0.5', 'v6:::1'],
      shmSize: 67108864,
      cacheFrom: ['registry.example/web:cache'],
    });
  });

  test('an inline Dockerfile must be sent instead of a file', () => {
    const service: Service = { name: 'app', build: { context: '/srv/app', dockerfile_inline: 'FROM scratch\n' } };
    const spec = toBuildSpec(projectWith(service), service, 'demo-app', '1');
    expect(spec.dockerfileInline).toBe('FROM scratch\n');
    expect(spec.dockerfile).toBeUndefined();
  });

  test('the service platform must win over the default platform', () => {
    const service: Service = { name: 'app', platform: 'linux/arm64', build: { context: '/srv/app' } };
    expect(toBuildSpec(projectWith(service), service, 'demo-app', '1', { defaultPlatform: 'linux/amd64' }).platform).toBe('linux/arm64');
    const plain: Service = { name: 'app', build: { context: '/srv/app' } };
    expect(toBuildSpec(projectWith(plain), plain, 'demo-app', '1', { defaultPlatform: 'linux/amd64' }).platform).toBe('linux/amd64');
  });

  test('--no-cache and --pull must apply even when the file does not ask', () => {
    const service: Service = { name: 'app', build: { context: '/srv/app' } };
    expect(toBuildSpec(projectWith(service), service, 'demo-app', '1', { noCache: true, pull: true })).toMatchObject({ noCache: true, pull: true });
  });
});

describe('toBuildSpec with BuildKit', () => {
  test('a BuildKit build must carry no builder label, and cache_to inline or registry must write the cache into the image', () => {
    const service: Service = {
      name: 'app',
      image: 'reg.example/app:1',
      build: { context: '/srv/app', cache_to: ['type=registry,ref=reg.example/app:cache'], cache_from: ['type=registry,ref=reg.example/app:cache', 'reg.example/app:old'] },
    };
    const spec = toBuildSpec(projectWith(service), service, 'reg.example/app:1', '1', {}, 'buildkit');
    expect(spec.builder).toBe('buildkit');
    expect(spec.labels).not.toHaveProperty('com.docker.compose.image.builder');
    expect(spec.args).toEqual({ BUILDKIT_INLINE_CACHE: '1' });
    expect(spec.cacheFrom).toEqual(['reg.example/app:cache', 'reg.example/app:old']);
    // The cache reference is pushed after the build, so the image is tagged with it too.
    expect(spec.tags).toEqual(['reg.example/app:1', 'reg.example/app:cache']);
  });

  test('ulimits must reach the request as the Engine API list, a single value as soft and hard', () => {
    const service: Service = { name: 'app', build: { context: '/srv/app', ulimits: { nofile: { soft: 100, hard: 200 }, nproc: { single: 50 } } } };
    expect(toBuildSpec(projectWith(service), service, 'demo-app', '1').ulimits).toEqual([
      { Name: 'nofile', Soft: 100, Hard: 200 },
      { Name: 'nproc', Soft: 50, Hard: 50 },
    ]);
  });
});

describe('checkBuildSupport', () => {
  test('the classic builder must refuse secrets, ssh and privileged with Compose\'s words', () => {
    const service: Service = { name: 'api', build: { context: '/srv/app', secrets: [{ source: 'token' }], ssh: ['default'], privileged: true } };
    const { errors } = checkBuildSupport(service, 'classic', 'linux/amd64');
    expect(errors).toEqual([
      "service \"api\": build.secrets: the classic builder doesn't support secrets, set DOCKER_BUILDKIT=1 to use BuildKit",
      "service \"api\": build.ssh: the classic builder doesn't support SSH keys, set DOCKER_BUILDKIT=1 to use BuildKit",
      "service \"api\": build.privileged: the classic builder doesn't support privileged mode, set DOCKER_BUILDKIT=1 to use BuildKit",
    ]);
  });

  test('BuildKit must take secrets and ssh, and refuse a network other than default, host or none', () => {
    const ok: Service = { name: 'api', build: { context: '/srv/app', secrets: [{ source: 'token' }], ssh: ['default'], network: 'host' } };
    expect(checkBuildSupport(ok, 'buildkit', 'linux/amd64')).toEqual({ errors: [], warnings: [] });
    const custom: Service = { name: 'api', build: { context: '/srv/app', network: 'backend' } };
    expect(checkBuildSupport(custom, 'buildkit', 'linux/amd64').errors).toEqual([
      'service "api": build.network "backend": network mode "backend" not supported by buildkit (use default, host or none, or DOCKER_BUILDKIT=0)',
    ]);
    expect(checkBuildSupport(custom, 'classic', 'linux/amd64').errors).toEqual([]);
  });

  test('a platform other than the engine\'s must be refused, naming both; the engine\'s own (with its default variant) must pass', () => {
    const arm: Service = { name: 'api', build: { context: '/srv/app', platforms: ['linux/arm64'] } };
    expect(checkBuildSupport(arm, 'buildkit', 'linux/amd64').errors).toEqual([
      'service "api": the image is for linux/arm64, but the engine builds only for its own platform, linux/amd64; remove the platform or build on a linux/arm64 engine',
    ]);
    const own: Service = { name: 'api', platform: 'linux/amd64/v1', build: { context: '/srv/app', platforms: ['linux/amd64'] } };
    expect(checkBuildSupport(own, 'buildkit', 'linux/amd64').errors).toEqual([]);
  });

  test('several platforms, a local cache and a git extra context must be errors before any builder is known', () => {
    const service: Service = {
      name: 'api',
      build: {
        context: '/srv/app',
        platforms: ['linux/amd64', 'linux/arm64'],
        cache_from: ['type=local,src=/tmp/cache'],
        additional_contexts: { src: 'https://github.com/example/app.git' },
      },
    };
    const { errors } = checkBuildSupport(service);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/build\.platforms lists 2 platforms/);
    expect(errors[1]).toMatch(/^service "api": build\.cache_from "type=local,src=\/tmp\/cache": type=local needs a BuildKit cache store of its own/);
    expect(errors[2]).toMatch(/build\.additional_contexts\.src is https:\/\/github\.com\/example\/app\.git; only directories/);
  });

  test('cache_to mode=max must be a warning (the engine exports the cache inline), and ignored by the classic builder', () => {
    const service: Service = { name: 'api', build: { context: '/srv/app', cache_to: ['type=registry,ref=reg.example/api:cache,mode=max'] } };
    expect(checkBuildSupport(service, 'buildkit', 'linux/amd64').warnings).toEqual([
      'service "api": build.cache_to "type=registry,ref=reg.example/api:cache,mode=max": the engine exports the cache inline (mode=min): only the final stage\'s steps are cached',
    ]);
    expect(checkBuildSupport(service, 'classic', 'linux/amd64').warnings).toContain('service "api": build.cache_to is ignored by the classic builder');
  });

  test('a plain build section must have nothing to report', () => {
    expect(checkBuildSupport({ name: 'api', build: { context: '/srv/app', args: { A: '1' } } }, 'buildkit', 'linux/amd64')).toEqual({ errors: [], warnings: [] });
  });
});
