/**
 * Push and pull through real registries on loopback (Debian's docker-registry, started by
 * scripts/ensure-registry.sh: an open one, and one that needs basic auth). Every test uses
 * repositories of its own, named with a per-run suffix, so reruns and parallel runs never see
 * each other's images.
 */
import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { docker } from '../support/docker-cli.js';
import { repoRoot } from '../support/run-cli.js';
import { buildProject, imageExists, removeBuildProjects, uniqueText } from './build-support.js';

jest.setTimeout(180_000);

const OPEN = process.env.TSCOMPOSE_REGISTRY ?? '127.0.0.1:5055';
const AUTH = process.env.TSCOMPOSE_AUTH_REGISTRY ?? '127.0.0.1:5056';
const USER = process.env.TSCOMPOSE_AUTH_REGISTRY_USER ?? 'tscompose';
const PASSWORD = process.env.TSCOMPOSE_AUTH_REGISTRY_PASSWORD ?? 'tscompose-test-password';
const RUN = uniqueText('run').toLowerCase();

/** Tags pushed or pulled by the tests; removed locally afterwards (the registries keep theirs). */
const tags: string[] = [];
const tag = (registry: string, name: string): string => {
  const reference = `${registry}/build-reg/${RUN}/${name}:1`;
  tags.push(reference);
  return reference;
};

beforeAll(() => {
  execFileSync('bash', [join(repoRoot, 'scripts', 'ensure-registry.sh')], { stdio: 'ignore' });
});

afterAll(async () => {
  await removeBuildProjects();
  for (const reference of tags) await docker('image', 'rm', '-f', reference).catch(() => undefined);
});

/** A DOCKER_CONFIG directory holding `config`. */
function dockerConfig(dir: string, config: object): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

const basicAuth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

function compose(services: Record<string, { image: string; dockerfile?: string; extra?: string[] }>): string {
  const lines = ['services:'];
  for (const [name, service] of Object.entries(services)) {
    lines.push(`  ${name}:`, `    image: ${service.image}`);
    if (service.dockerfile !== undefined) {
      lines.push('    build:', '      context: .', '      dockerfile_inline: |', ...service.dockerfile.split('\n').map((line) => `        ${line}`), ...(service.extra ?? []).map((line) => `      ${line}`));
    } else {
      lines.push(...(service.extra ?? []).map((line) => `    ${line}`));
    }
  }
  return `${lines.join('\n')}\n`;
}

describe('push and pull', () => {
  test('build --push, then pull with the local image removed, must run the image from the registry', async () => {
    const image = tag(OPEN, 'app');
    const project = buildProject('build-reg-roundtrip', {
      'compose.yaml': compose({ app: { image, dockerfile: 'FROM tscompose-test/busybox:latest\nRUN echo from-registry > /origin\nCMD ["sleep", "300"]' } }),
    });
    expect((await project.cli(['build', '--push'])).code).toBe(0);
    const built = await docker('image', 'inspect', '--format', '{{.Id}}', image);
    await docker('image', 'rm', image);
    const pulled = await project.cli(['--progress', 'plain', 'pull']);
    expect(pulled.code).toBe(0);
    expect(pulled.stderr).toContain(' app  Pulled');
    expect(await docker('image', 'inspect', '--format', '{{.Id}}', image)).toBe(built);
    expect((await project.cli(['up', '-d', '--no-build'])).code).toBe(0);
    expect(await docker('exec', `${project.name}-app-1`, 'cat', '/origin')).toBe('from-registry');
  });

  test('up --pull always must replace the local image with the registry\'s', async () => {
    const image = tag(OPEN, 'always');
    const project = buildProject('build-reg-always');
    const write = (content: string) =>
      project.write({ 'compose.yaml': compose({ app: { image, dockerfile: `FROM tscompose-test/busybox:latest\nRUN echo ${content} > /content\nCMD ["sleep", "300"]` } }) });
    write('pushed');
    expect((await project.cli(['build', '--push'])).code).toBe(0);
    // The local image moves on; the registry still has the pushed one.
    write('local-only');
    expect((await project.cli(['build'])).code).toBe(0);
    expect((await project.cli(['up', '-d', '--pull', 'always'])).code).toBe(0);
    expect(await docker('exec', `${project.name}-app-1`, 'cat', '/content')).toBe('pushed');
  });

  test('pull_policy: missing must pull an absent image and keep a present one', async () => {
    const image = tag(OPEN, 'missing');
    const project = buildProject('build-reg-missing', {
      'publish.yaml': compose({ app: { image, dockerfile: 'FROM tscompose-test/busybox:latest\nRUN echo published > /content\nCMD ["sleep", "300"]' } }),
      'compose.yaml': compose({ app: { image, extra: ['pull_policy: missing'] } }),
    });
    expect((await project.cli(['-f', 'publish.yaml', 'build', '--push'])).code).toBe(0);
    await docker('image', 'rm', image);
    const first = await project.cli(['--progress', 'plain', 'up', '-d']);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(`Image ${image}  Pulled`);
    expect(await docker('exec', `${project.name}-app-1`, 'cat', '/content')).toBe('published');
    // Present now: the next run must not pull.
    const second = await project.cli(['--progress', 'plain', 'up', '-d', '--force-recreate']);
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain('Pulling');
  });

  test('push must skip services without a build section, and --ignore-push-failures must push what it can', async () => {
    const open = tag(OPEN, 'pushable');
    const closed = tag(AUTH, 'refused');
    const project = buildProject('build-reg-failures', {
      'compose.yaml': compose({
        good: { image: open, dockerfile: 'FROM tscompose-test/busybox:latest\nRUN echo good > /good' },
        bad: { image: closed, dockerfile: 'FROM tscompose-test/busybox:latest\nRUN echo bad > /bad' },
        runner: { image: 'tscompose-test/busybox:latest' },
      }),
    });
    const noCredentials = { DOCKER_CONFIG: dockerConfig(join(project.dir, 'empty-config'), {}) };
    expect((await project.cli(['build'], noCredentials)).code).toBe(0);
    const strict = await project.cli(['--progress', 'plain', 'push'], noCredentials);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(' Service runner  Skipped');
    expect(strict.stderr).toMatch(new RegExp(`^error: could not push image ${closed.replace(/[.]/g, '\\.')}: .*no basic auth credentials \\(log in with: docker login ${AUTH.replace(/[.]/g, '\\.')}\\)$`, 'm'));
    const lenient = await project.cli(['--progress', 'plain', 'push', '--ignore-push-failures'], noCredentials);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toContain(`Image ${closed}  Not pushed`);
    expect(((await (await fetch(`http://${OPEN}/v2/build-reg/${RUN}/pushable/tags/list`)).json()) as { tags: string[] }).tags).toEqual(['1']);
  });
});

describe('a registry with basic auth', () => {
  test('push and pull must use the credentials of DOCKER_CONFIG, and never print them', async () => {
    const image = tag(AUTH, 'private');
    const project = buildProject('build-reg-auth', {
      'compose.yaml': compose({ app: { image, dockerfile: 'FROM tscompose-test/busybox:latest\nRUN echo private > /content' } }),
    });
    const env = { DOCKER_CONFIG: dockerConfig(join(project.dir, 'docker-config'), { auths: { [AUTH]: { auth: basicAuth } } }) };
    const pushed = await project.cli(['--progress', 'plain', 'build', '--push'], env);
    expect(pushed.code).toBe(0);
    expect(pushed.stderr).toContain(`Image ${image}  Pushed`);
    await docker('image', 'rm', image);
    const pulled = await project.cli(['--progress', 'plain', 'pull'], env);
    expect(pulled.code).toBe(0);
    expect(await imageExists(image)).toBe(true);
    for (const output of [pushed, pulled]) {
      expect(output.stdout + output.stderr).not.toContain(PASSWORD);
      expect(output.stdout + output.stderr).not.toContain(basicAuth);
    }
  });

  test('a credential helper must give the credentials, also to BuildKit for a private base image', async () => {
    const base = tag(AUTH, 'base');
    const child = tag(OPEN, 'child');
    const project = buildProject('build-reg-helper', {
      'base.yaml': compose({ base: { image: base, dockerfile: 'FROM tscompose-test/busybox:latest\nRUN echo private-base > /base' } }),
      'compose.yaml': compose({ child: { image: child, dockerfile: `FROM ${base}\nRUN cat /base > /child` } }),
    });
    const bin = join(project.dir, 'bin');
    mkdirSync(bin);
    const helper = join(bin, 'docker-credential-buildreg');
    // The helper protocol: the server on stdin, JSON on stdout.
    writeFileSync(helper, `#!/bin/sh\nread server\n[ "$server" = "${AUTH}" ] || { echo "credentials not found in native keychain"; exit 1; }\necho '{"ServerURL":"${AUTH}","Username":"${USER}","Secret":"${PASSWORD}"}'\n`);
    chmodSync(helper, 0o755);
    const env = {
      DOCKER_CONFIG: dockerConfig(join(project.dir, 'docker-config'), { credHelpers: { [AUTH]: 'buildreg' } }),
      PATH: `${bin}:${process.env.PATH}`,
    };
    expect((await project.cli(['-f', 'base.yaml', 'build', '--push'], env)).code).toBe(0);
    await docker('image', 'rm', base);
    const built = await project.cli(['--progress', 'plain', 'build'], env);
    expect(built.code).toBe(0);
    expect(built.stderr).toMatch(new RegExp(`#\\d+ \\[internal\\] load metadata for ${base.replace(/[.]/g, '\\.')}`));
    expect(await project.read(child, '/child')).toBe('private-base');
    expect(built.stdout + built.stderr).not.toContain(PASSWORD);
  });
});

describe('registry caches', () => {
  test('cache_to type=registry must publish the image with its cache inline, and cache_from must import it', async () => {
    const cache = tag(OPEN, 'cache');
    const image = tag(OPEN, 'cached');
    const dockerfile = `FROM tscompose-test/busybox:latest\nRUN echo ${RUN} > /layer`;
    const project = buildProject('build-reg-cache', {
      'export.yaml': compose({ app: { image, dockerfile, extra: [`cache_to: ["type=registry,ref=${cache}"]`] } }),
      'compose.yaml': compose({ app: { image, dockerfile, extra: [`cache_from: ["${cache}"]`] } }),
    });
    expect((await project.cli(['-f', 'export.yaml', 'build'])).code).toBe(0);
    // The pushed image carries BuildKit's inline cache in its configuration.
    const manifest = (await (
      await fetch(`http://${OPEN}/v2/build-reg/${RUN}/cache/manifests/1`, { headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' } })
    ).json()) as { config: { digest: string } };
    const config = await (await fetch(`http://${OPEN}/v2/build-reg/${RUN}/cache/blobs/${manifest.config.digest}`)).text();
    expect(config).toContain('moby.buildkit.cache.v0');
    const imported = await project.cli(['--progress', 'plain', 'build'], {});
    expect(imported.code).toBe(0);
    expect(imported.stderr).toMatch(new RegExp(`#\\d+ importing cache manifest from ${cache.replace(/[.]/g, '\\.')}`));
    expect(imported.stderr).toMatch(/^\[app\] #(\d+) \[2\/2\] RUN [^\n]*\n(?:.*\n)*?\[app\] #\1 CACHED$/m);
  });
});
