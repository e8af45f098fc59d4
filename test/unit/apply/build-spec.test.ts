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

describe('checkBuildSupport', () => {
  test('secrets, ssh and additional contexts must be errors naming the attribute and the service', () => {
    const service: Service = {
      name: 'api',
      image: 'api:1',
      build: {
        context: '/srv/app',
        secrets: [{ source: 'token' }],
        ssh: ['default'],
        additional_contexts: { base: '/srv/base' },
      },
    };
    const { errors, warnings } = checkBuildSupport(service);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/^service "api": build\.secrets needs BuildKit/);
    expect(errors[1]).toMatch(/^service "api": build\.ssh needs BuildKit/);
    expect(errors[2]).toMatch(/^service "api": build\.additional_contexts needs BuildKit/);
    expect(warnings).toEqual([]);
  });

  test('cache_to and privileged must only be warnings', () => {
    const service: Service = { name: 'api', build: { context: '/srv/app', cache_to: ['type=local,dest=/tmp/c'], privileged: true } };
    const { errors, warnings } = checkBuildSupport(service);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      "service \"api\": build.cache_to needs BuildKit, which tscompose's classic builder cannot drive; it is ignored",
      "service \"api\": build.privileged needs BuildKit, which tscompose's classic builder cannot drive; it is ignored",
    ]);
  });

  test('a git context and several platforms must be errors', () => {
    const service: Service = { name: 'api', build: { context: 'https://github.com/example/app.git', platforms: ['linux/amd64', 'linux/arm64'] } };
    const { errors } = checkBuildSupport(service);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/remote \(git or URL\) context/);
    expect(errors[1]).toMatch(/build\.platforms lists 2 platforms/);
  });

  test('a plain build section must have nothing to report', () => {
    expect(checkBuildSupport({ name: 'api', build: { context: '/srv/app', args: { A: '1' } } })).toEqual({ errors: [], warnings: [] });
  });
});
