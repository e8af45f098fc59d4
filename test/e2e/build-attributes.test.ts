/**
 * The build section against the real engine, with BuildKit (the default) and, where both apply,
 * the classic builder (DOCKER_BUILDKIT=0): what each attribute does is checked in the image the
 * build made, or in the engine's state, never in tscompose's own words alone.
 */
import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { docker, inspect } from '../support/docker-cli.js';
import { buildProject, imageExists, removeBuildProjects, uniqueText } from './build-support.js';

jest.setTimeout(180_000);

afterAll(removeBuildProjects);

const BUILDERS = [
  ['BuildKit', { DOCKER_BUILDKIT: undefined }],
  ['the classic builder', { DOCKER_BUILDKIT: '0' }],
] as const;

describe('the build section', () => {
  test.each(BUILDERS)(
    'with %s, the Dockerfile outside the context, its own ignore file, args, target, labels and tags must shape the image',
    async (builder, env) => {
      const project = buildProject(`build-attr-section-${builder === 'BuildKit' ? 'bk' : 'classic'}`, {
        'ctx/keep.txt': 'keep',
        'ctx/ignored-by-dockerfile.txt': 'x',
        'ctx/ignored-by-context.txt': 'x',
        'ctx/.dockerignore': 'ignored-by-context.txt\n',
        'docker/app.Dockerfile': [
          'FROM tscompose-test/busybox:latest AS base',
          'ARG GREETING=default',
          'RUN echo "$GREETING" > /greeting',
          'COPY . /ctx',
          'RUN cd /ctx && find . | sort > /listing',
          'FROM base AS final',
          'RUN echo final > /stage',
          'FROM base AS other',
          'RUN echo other > /stage',
          '',
        ].join('\n'),
        'docker/app.Dockerfile.dockerignore': 'ignored-by-dockerfile.txt\n',
      });
      const image = `tscompose-test/${project.name}:1`;
      project.write({
        'compose.yaml': [
          'services:',
          '  app:',
          `    image: ${image}`,
          '    build:',
          '      context: ctx',
          '      dockerfile: ../docker/app.Dockerfile',
          '      target: final',
          '      args: {GREETING: from-compose}',
          '      labels: {org.example.team: builds}',
          `      tags: ["tscompose-test/${project.name}:extra"]`,
          '',
        ].join('\n'),
      });
      const result = await project.cli(['--progress', 'plain', 'build'], env);
      expect(result.code).toBe(0);
      // Each builder's own output, per service.
      expect(result.stderr).toMatch(builder === 'BuildKit' ? /^\[app\] #\d+ \[base 2\/4\] RUN echo "from-compose" > \/greeting$/m : /^\[app\] Step \d+\/\d+ : FROM /m);
      expect(await project.read(image, '/greeting', '/stage')).toBe('from-compose\nfinal');
      expect((await project.read(image, '/listing')).split('\n')).toEqual(['.', './.dockerignore', './ignored-by-context.txt', './keep.txt']);
      const inspected = await inspect('image', image);
      expect(inspected.RepoTags).toEqual(expect.arrayContaining([image, `tscompose-test/${project.name}:extra`]));
      expect(inspected.Config.Labels['org.example.team']).toBe('builds');
      expect(inspected.Config.Labels['com.docker.compose.image.builder']).toBe(builder === 'BuildKit' ? undefined : 'classic');
    },
  );

  test('dockerfile_inline must be built with either builder', async () => {
    const project = buildProject('build-attr-inline', {
      'compose.yaml': 'services:\n  app:\n    image: tscompose-test/build-attr-inline:1\n    build:\n      context: .\n      dockerfile_inline: |\n        FROM tscompose-test/busybox:latest\n        RUN echo inline > /inline\n',
    });
    for (const [, env] of BUILDERS) {
      expect((await project.cli(['build', '--no-cache'], env)).code).toBe(0);
      expect(await project.read('tscompose-test/build-attr-inline:1', '/inline')).toBe('inline');
    }
  });

  test('network none and host, and extra_hosts, must apply to the RUN steps with either builder', async () => {
    const project = buildProject('build-attr-network');
    const dockerfile = 'FROM tscompose-test/busybox:latest\nRUN cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d " " | sort > /interfaces && cat /etc/hosts > /hosts\n';
    project.write({
      'Dockerfile': dockerfile,
      'compose.yaml': [
        'services:',
        '  none:',
        '    image: tscompose-test/build-attr-network:none',
        '    build: {context: ., network: none, no_cache: true}',
        '  host:',
        '    image: tscompose-test/build-attr-network:host',
        '    build: {context: ., network: host, no_cache: true, extra_hosts: ["db.internal=10.1.2.3"]}',
        '',
      ].join('\n'),
    });
    // The host's interfaces, without the veth pairs other containers come and go with.
    const stable = (list: string) => list.split('\n').filter((name) => !name.startsWith('veth'));
    const hostInterfaces = stable(execFileSync('sh', ['-c', 'cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d " " | sort'], { encoding: 'utf8' }).trim());
    expect(hostInterfaces.length).toBeGreaterThan(1);
    for (const [, env] of BUILDERS) {
      expect((await project.cli(['build'], env)).code).toBe(0);
      expect(await project.read('tscompose-test/build-attr-network:none', '/interfaces')).toBe('lo');
      expect(stable(await project.read('tscompose-test/build-attr-network:host', '/interfaces'))).toEqual(hostInterfaces);
      expect(await project.read('tscompose-test/build-attr-network:host', '/hosts')).toMatch(/^10\.1\.2\.3\s+db\.internal$/m);
    }
  });

  test('the classic builder must apply shm_size, ulimits and --memory; BuildKit on this engine must say it ignores them', async () => {
    const project = buildProject('build-attr-limits', {
      'Dockerfile': 'FROM tscompose-test/busybox:latest\nRUN df -k /dev/shm | tail -n 1 | awk \'{print $2}\' > /shm && ulimit -n > /nofile && cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory.max 2>/dev/null | head -n 1 > /memory\n',
      'compose.yaml': 'services:\n  app:\n    image: tscompose-test/build-attr-limits:1\n    build:\n      context: .\n      no_cache: true\n      shm_size: 96m\n      ulimits: {nofile: {soft: 1234, hard: 2345}}\n',
    });
    const classic = await project.cli(['build', '-m', '64m'], { DOCKER_BUILDKIT: '0' });
    expect(classic.code).toBe(0);
    expect(await project.read('tscompose-test/build-attr-limits:1', '/shm', '/nofile', '/memory')).toBe(`${96 * 1024}\n1234\n${64 * 1024 * 1024}`);
    const buildkit = await project.cli(['build', '-m', '64m']);
    expect(buildkit.code).toBe(0);
    expect(buildkit.stderr).toContain(
      'service "app": build.shm_size and build.ulimits are ignored by this engine\'s BuildKit (Engine 23 and later apply them); DOCKER_BUILDKIT=0 builds with them',
    );
    expect(buildkit.stderr).toContain('--memory is not supported by BuildKit; it is ignored');
  });
});

describe('BuildKit features', () => {
  test('a cache mount must keep what a step left in it for the next build', async () => {
    const cacheId = uniqueText('build-attr-cache');
    const project = buildProject('build-attr-cache', {
      'Dockerfile': [
        'FROM tscompose-test/busybox:latest',
        'ARG RUN_NUMBER',
        `RUN --mount=type=cache,id=${cacheId},target=/cache (cat /cache/last 2>/dev/null || echo none) > /found && echo "run-$RUN_NUMBER" > /cache/last`,
        '',
      ].join('\n'),
      'compose.yaml': 'services:\n  app:\n    image: tscompose-test/build-attr-cache:1\n    build: .\n',
    });
    expect((await project.cli(['build', '--build-arg', 'RUN_NUMBER=1'])).code).toBe(0);
    expect(await project.read('tscompose-test/build-attr-cache:1', '/found')).toBe('none');
    expect((await project.cli(['build', '--build-arg', 'RUN_NUMBER=2'])).code).toBe(0);
    expect(await project.read('tscompose-test/build-attr-cache:1', '/found')).toBe('run-1');
  });

  test('build secrets from a file and from the environment must reach the step and never land in the image\'s layers or history', async () => {
    const fromFile = uniqueText('file-secret');
    const fromEnv = uniqueText('env-secret');
    const project = buildProject('build-attr-secret', {
      'token.txt': fromFile,
      'Dockerfile': [
        'FROM tscompose-test/busybox:latest',
        'RUN --mount=type=secret,id=token,required --mount=type=secret,id=api_key,required cat /run/secrets/token /run/secrets/api_key | wc -c > /length',
        '',
      ].join('\n'),
      'compose.yaml': [
        'services:',
        '  app:',
        '    image: tscompose-test/build-attr-secret:1',
        '    build:',
        '      context: .',
        '      secrets: [token, {source: key, target: api_key}]',
        'secrets:',
        '  token: {file: ./token.txt}',
        '  key: {environment: API_KEY}',
        '',
      ].join('\n'),
    });
    // No cache: secrets are not part of a step's cache key, so an earlier run's step would be reused.
    const result = await project.cli(['--progress', 'plain', 'build', '--no-cache'], { API_KEY: fromEnv });
    expect(result.code).toBe(0);
    expect(await project.read('tscompose-test/build-attr-secret:1', '/length')).toBe(String(fromFile.length + fromEnv.length));
    const saved = execFileSync('docker', ['save', 'tscompose-test/build-attr-secret:1'], { maxBuffer: 256 * 1024 * 1024 });
    const history = await docker('history', '--no-trunc', 'tscompose-test/build-attr-secret:1');
    for (const secret of [fromFile, fromEnv]) {
      expect(saved.includes(Buffer.from(secret))).toBe(false);
      expect(history).not.toContain(secret);
      expect(result.stdout + result.stderr).not.toContain(secret);
    }
  });

  test('a secret whose environment variable is unset must fail before the build, naming it', async () => {
    const project = buildProject('build-attr-secret-unset', {
      'Dockerfile': 'FROM tscompose-test/busybox:latest\nRUN --mount=type=secret,id=key true\n',
      'compose.yaml': 'services:\n  app:\n    image: tscompose-test/build-attr-secret-unset:1\n    build: {context: ., secrets: [key]}\nsecrets:\n  key: {environment: BUILD_ATTR_UNSET_KEY}\n',
    });
    const result = await project.cli(['build'], { BUILD_ATTR_UNSET_KEY: undefined });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('service "app": build secret "key" reads the environment variable BUILD_ATTR_UNSET_KEY, which is not set');
    expect(await imageExists('tscompose-test/build-attr-secret-unset:1')).toBe(false);
  });

  test('ssh: a key file given as an id must be usable by ssh-add in the step, through a forwarded agent', async () => {
    const project = buildProject('build-attr-ssh');
    const key = join(project.dir, 'deploy_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'build-attr-ssh', '-f', key]);
    // ssh-add from the host, with the libraries it loads, runs in the busybox image.
    const tools = join(project.dir, 'ctx', 'tools');
    mkdirSync(tools, { recursive: true });
    copyFileSync(execFileSync('sh', ['-c', 'command -v ssh-add'], { encoding: 'utf8' }).trim(), join(tools, 'ssh-add'));
    const libraries = execFileSync('ldd', [join(tools, 'ssh-add')], { encoding: 'utf8' }).match(/\/\S+\.so[.\d]*/g) ?? [];
    for (const library of libraries) copyFileSync(library, join(tools, library.split('/').pop()!));
    const loader = libraries.find((library) => library.includes('ld-linux'))!.split('/').pop();
    project.write({
      'ctx/Dockerfile': `FROM tscompose-test/busybox:latest\nCOPY tools /tools\nRUN --mount=type=ssh,id=deploy,required /tools/${loader} --library-path /tools /tools/ssh-add -l > /keys\n`,
      'compose.yaml': 'services:\n  app:\n    image: tscompose-test/build-attr-ssh:1\n    build:\n      context: ctx\n      ssh: [deploy=./deploy_key]\n',
    });
    // No cache: the key is not part of the step's cache key, and an earlier run's key would be found.
    expect((await project.cli(['build', '--no-cache'])).code).toBe(0);
    const fingerprint = execFileSync('ssh-keygen', ['-l', '-f', `${key}.pub`], { encoding: 'utf8' }).trim();
    expect(await project.read('tscompose-test/build-attr-ssh:1', '/keys')).toBe(fingerprint);
    // The agent started for the key is gone once the build is.
    expect(execFileSync('sh', ['-c', `pgrep -f "[s]sh-agent -D -a .*tscompose-ssh" || true`], { encoding: 'utf8' }).trim()).toBe('');
    // `default` without an agent is an error before anything is built.
    const noAgent = await project.cli(['build', '--ssh', 'default'], { SSH_AUTH_SOCK: undefined });
    expect(noAgent.code).toBe(1);
    expect(noAgent.stderr).toContain('build.ssh "default" forwards your ssh agent, but SSH_AUTH_SOCK is not set');
  });

  test('the classic builder must refuse a Dockerfile that needs BuildKit, naming the feature, and build nothing', async () => {
    const project = buildProject('build-attr-needs-bk', {
      'Dockerfile': 'FROM tscompose-test/busybox:latest\nRUN --mount=type=cache,target=/c true\n',
      'compose.yaml': 'services:\n  app:\n    image: tscompose-test/build-attr-needs-bk:1\n    build: .\n',
    });
    const result = await project.cli(['build'], { DOCKER_BUILDKIT: '0' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('service "app": the Dockerfile needs BuildKit (it uses RUN --mount (line 2)), and DOCKER_BUILDKIT=0 selects the classic builder');
    expect(await imageExists('tscompose-test/build-attr-needs-bk:1')).toBe(false);
  });
});

describe('extra build contexts', () => {
  test.each(BUILDERS)('with %s, a directory, a docker-image:// and a service: context (built first) must be usable by FROM and COPY --from', async (builder, env) => {
    const suffix = builder === 'BuildKit' ? 'bk' : 'classic';
    const project = buildProject(`build-attr-contexts-${suffix}`, {
      'base/Dockerfile': 'FROM tscompose-test/busybox:latest\nRUN echo from-base > /base.txt\n',
      'assets/asset.txt': 'from-directory',
      'app/Dockerfile': 'FROM basectx\nCOPY --from=assets /asset.txt /asset.txt\nCOPY --from=busybox /bin/busybox /copied-busybox\n',
    });
    project.write({
      'compose.yaml': [
        'services:',
        '  base:',
        `    image: tscompose-test/build-attr-contexts-${suffix}-base:1`,
        '    build: base',
        '  app:',
        `    image: tscompose-test/build-attr-contexts-${suffix}-app:1`,
        '    build:',
        '      context: app',
        '      additional_contexts:',
        '        basectx: service:base',
        '        assets: ./assets',
        '        busybox: docker-image://tscompose-test/busybox:latest',
        '',
      ].join('\n'),
    });
    // Only app is named: base is built first because app needs its image.
    const result = await project.cli(['build', 'app'], env);
    expect(result.code).toBe(0);
    expect(await project.read(`tscompose-test/build-attr-contexts-${suffix}-app:1`, '/base.txt', '/asset.txt')).toBe('from-base\nfrom-directory');
    expect(await docker('run', '--rm', '--label', `com.docker.compose.project=${project.name}`, `tscompose-test/build-attr-contexts-${suffix}-app:1`, 'ls', '/copied-busybox')).toBe('/copied-busybox');
    // The throw-away image the directory became is gone.
    expect(await docker('images', '-q', `tscompose-context/${project.name}-app-assets`)).toBe('');
  });
});

describe('refusals and failures', () => {
  test('a platform other than the engine\'s own must be refused before anything is built', async () => {
    const project = buildProject('build-attr-platform', {
      'Dockerfile': 'FROM tscompose-test/busybox:latest\n',
      'compose.yaml': 'services:\n  app:\n    image: tscompose-test/build-attr-platform:1\n    build: {context: ., platforms: [linux/s390x]}\n',
    });
    const engine = await docker('version', '--format', '{{.Server.Os}}/{{.Server.Arch}}');
    const result = await project.cli(['build']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`service "app": the image is for linux/s390x, but the engine builds only for its own platform, ${engine}`);
    expect(await imageExists('tscompose-test/build-attr-platform:1')).toBe(false);
  });

  test('a git context the engine cannot fetch must fail naming the URL and the reason', async () => {
    const project = buildProject('build-attr-git', {
      'compose.yaml': 'services:\n  app:\n    image: tscompose-test/build-attr-git:1\n    build: https://git.invalid.example/app.git#main\n',
    });
    for (const [, env] of BUILDERS) {
      const result = await project.cli(['build'], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: could not build image tscompose-test\/build-attr-git:1: .*git\.invalid\.example/m);
    }
  });

  test('build.privileged must be refused with the reason, before anything is built', async () => {
    const project = buildProject('build-attr-privileged', {
      'Dockerfile': 'FROM tscompose-test/busybox:latest\n',
      'compose.yaml': 'services:\n  app:\n    image: tscompose-test/build-attr-privileged:1\n    build: {context: ., privileged: true}\n',
    });
    const result = await project.cli(['build']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("build.privileged needs BuildKit's security.insecure entitlement, which the engine's /build endpoint cannot grant");
  });

  test('a failed step must show its command and last output lines, and up --build must stop before creating anything', async () => {
    const project = buildProject('build-attr-failure', {
      'Dockerfile': 'FROM tscompose-test/busybox:latest\nRUN echo preparing && echo "missing dependency: libfoo" >&2 && exit 7\n',
      'compose.yaml': 'services:\n  app:\n    image: tscompose-test/build-attr-failure:1\n    build: .\n  db:\n    image: tscompose-test/busybox:latest\n    command: sleep 60\n',
    });
    const result = await project.cli(['up', '-d', '--build']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: could not build image tscompose-test\/build-attr-failure:1: .*exit code: 7$/m);
    expect(result.stderr).toContain('the failed step: [2/2] RUN echo preparing && echo "missing dependency: libfoo" >&2 && exit 7');
    expect(result.stderr).toMatch(/its last output lines:\n(?: {2}.*\n)*? {2}missing dependency: libfoo\n/);
    const filter = `label=com.docker.compose.project=${project.name}`;
    expect(await docker('ps', '-aq', '--filter', filter)).toBe('');
    expect(await docker('network', 'ls', '-q', '--filter', filter)).toBe('');
  });

  test('--progress json must report each BuildKit step under its image, with its end', async () => {
    const project = buildProject('build-attr-json', {
      'Dockerfile': 'FROM tscompose-test/busybox:latest\nRUN echo json-step-output\n',
      'compose.yaml': 'services:\n  app:\n    image: tscompose-test/build-attr-json:1\n    build: {context: ., no_cache: true}\n',
    });
    const result = await project.cli(['--progress', 'json', 'build']);
    expect(result.code).toBe(0);
    const events = result.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, string>);
    const parent = 'Image tscompose-test/build-attr-json:1';
    const run = events.filter((event) => event.parent_id === parent && event.text === '[2/2] RUN echo json-step-output');
    expect(run.map((event) => event.status)).toEqual(['Working', 'Working', 'Done']);
    expect(run[1].details).toBe('json-step-output');
    expect(run[2].details).toMatch(/^DONE \d+\.\ds$/);
    expect(events.at(-1)).toEqual({ id: parent, status: 'Done', text: 'Built', details: '2 steps, 1 cached' });
  });
});
