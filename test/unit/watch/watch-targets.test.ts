import { targetsFor, at } from './support.js';

describe('watchTargets: Compose checks', () => {
  test('a rebuild rule without a build section must fail with Compose\'s message', () => {
    const { errors } = targetsFor(`
services:
  app:
    image: x
    develop:
      watch: [{path: ./src, action: rebuild}]
`, { kinds: { src: 'directory' } });
    expect(errors).toEqual(['can\'t watch service "app" with action rebuild without a build context']);
  });

  test('a sync rule must not need a build section', () => {
    const { errors, targets } = targetsFor(`
services:
  app:
    image: x
    develop:
      watch: [{path: ./src, action: sync, target: /app}]
`, { kinds: { src: 'directory' } });
    expect(errors).toEqual([]);
    expect(targets.services).toEqual(['app']);
  });

  test('--no-build must be refused with a rebuild rule', () => {
    const { errors } = targetsFor(`
services:
  app:
    build: .
    develop:
      watch: [{path: ./src, action: rebuild}]
`, { kinds: { src: 'directory' }, noBuild: true });
    expect(errors).toEqual(['--no-build is incompatible with watch action rebuild (service "app")']);
  });

  test('a project with nothing to watch must fail with Compose\'s message', () => {
    const { errors } = targetsFor(`
services:
  app:
    image: x
`);
    expect(errors).toEqual(["none of the selected services is configured for watch, consider setting a 'develop' section"]);
  });

  test('only the selected services must be watched', () => {
    const { errors } = targetsFor(`
services:
  app:
    image: x
    develop:
      watch: [{path: ./src, action: sync, target: /app}]
  db:
    image: y
`, { kinds: { src: 'directory' }, services: ['db'] });
    expect(errors).toEqual(["none of the selected services is configured for watch, consider setting a 'develop' section"]);
  });

  test('a sync rule without a target must be a problem at its position', () => {
    const { problems } = targetsFor(`
services:
  app:
    image: x
    develop:
      watch: [{path: ./src, action: sync}]
`, { kinds: { src: 'directory' } });
    expect(problems.map((problem) => [problem.path, problem.message])).toEqual([
      ['services.app.develop.watch[0]', 'action sync needs a target: the path in the container the files are copied to'],
    ]);
  });

  test('a missing watch path must be a warning, not an error', () => {
    const { errors, targets } = targetsFor(`
services:
  app:
    image: x
    develop:
      watch: [{path: ./src, action: sync, target: /app}, {path: ./lib, action: sync, target: /lib}]
`, { kinds: { src: 'directory' } });
    expect(errors).toEqual([]);
    expect(targets.warnings).toEqual(['watch path ./lib of service "app" does not exist; it is not watched']);
    expect(targets.rules.map((rule) => rule.rule.path)).toEqual([at('src')]);
  });
});

describe('watchTargets: bind mounts', () => {
  const yaml = `
services:
  web:
    image: nginx
    volumes:
      - ./nginx.conf:/etc/nginx/nginx.conf:ro
      - /var/run/docker.sock:/var/run/docker.sock
      - type: bind
        source: ./src
        target: /app/src
        x-tscompose-reload: none
      - type: bind
        source: /etc/ssl/certs
        target: /certs
        x-tscompose-reload: {action: signal, signal: HUP}
      - data:/data
volumes:
  data: {}
`;
  const kinds = { 'nginx.conf': 'file', '/var/run/docker.sock': 'other', src: 'directory', '/etc/ssl/certs': 'directory' } as const;

  test('a bind mount inside the project directory must reload with a restart by default', () => {
    const { targets } = targetsFor(yaml, { kinds });
    expect(targets.mounts.find((mount) => mount.source === at('nginx.conf'))).toMatchObject({ service: 'web', file: true, policy: { action: 'restart' } });
  });

  test('a bind mount outside the project directory must be watched only when the mount asks for it', () => {
    const { targets } = targetsFor(yaml, { kinds });
    expect(targets.mounts.map((mount) => mount.source)).toEqual([at('nginx.conf'), '/etc/ssl/certs']);
    expect(targets.mounts[1].policy).toEqual({ action: 'signal', signal: 'SIGHUP' });
    expect(targets.skippedMounts.find((mount) => mount.source === '/var/run/docker.sock')?.reason).toMatch(/outside the project directory/);
  });

  test('a mount with x-tscompose-reload: none must not be watched', () => {
    const { targets } = targetsFor(yaml, { kinds });
    expect(targets.skippedMounts.find((mount) => mount.source === at('src'))?.reason).toBe('x-tscompose-reload: none');
  });

  test('the service-level policy must apply to its mounts, and a mount\'s own must win', () => {
    const { targets } = targetsFor(`
services:
  web:
    image: nginx
    x-tscompose-reload: {action: exec, command: nginx -s reload}
    volumes:
      - ./conf.d:/etc/nginx/conf.d
      - type: bind
        source: ./html
        target: /usr/share/nginx/html
        x-tscompose-reload: restart
`, { kinds: { 'conf.d': 'directory', html: 'directory' } });
    expect(targets.mounts.map((mount) => [mount.source, mount.policy])).toEqual([
      [at('conf.d'), { action: 'exec', command: ['nginx', '-s', 'reload'] }],
      [at('html'), { action: 'restart' }],
    ]);
  });

  test('a service with x-tscompose-reload: none must watch none of its mounts', () => {
    const { errors, targets } = targetsFor(`
services:
  web:
    image: nginx
    x-tscompose-reload: none
    volumes: [./conf.d:/etc/nginx/conf.d]
`, { kinds: { 'conf.d': 'directory' } });
    expect(targets.mounts).toEqual([]);
    expect(errors).toHaveLength(1);
  });

  test('every mount must be listed as a mount point for the guards (named volumes too)', () => {
    const { targets } = targetsFor(yaml, { kinds });
    expect(targets.mountPoints.web.map((mount) => `${mount.type}:${mount.target}`)).toEqual([
      'bind:/etc/nginx/nginx.conf',
      'bind:/var/run/docker.sock',
      'bind:/app/src',
      'bind:/certs',
      'volume:/data',
    ]);
  });
});

describe('watchTargets: mounts inherited through volumes_from', () => {
  const yaml = `
services:
  holder:
    image: x
    x-tscompose-reload: none
    volumes: [".:/project", "cache:/cache"]
  middle:
    image: x
    volumes_from: ["holder:ro"]
    volumes: [/scratch]
  app:
    image: x
    volumes_from: [middle, "container:elsewhere"]
    develop:
      watch: [{path: ./src, target: /project/src/copy, action: sync}]
volumes:
  cache: {}
`;

  test('the mount points must include the mounts a service inherits through volumes_from, transitively', () => {
    const { targets } = targetsFor(yaml, { kinds: { src: 'directory', '.': 'directory' } });
    expect(targets.mountPoints.app.map((mount) => `${mount.type}:${mount.target}`)).toEqual(['volume:/scratch', 'bind:/project', 'volume:/cache']);
  });

  test('an inherited bind mount must not reload the service that inherits it (its reload is the holder\'s to configure)', () => {
    const { targets } = targetsFor(yaml, { kinds: { src: 'directory', '.': 'directory' } });
    expect(targets.mounts).toEqual([]);
  });
});

describe('watchTargets: roots', () => {
  test('rule paths, mount sources and project files must be the roots, files marked as files', () => {
    const { targets } = targetsFor(`
services:
  web:
    image: nginx
    volumes: [./nginx.conf:/etc/nginx/nginx.conf]
    develop:
      watch: [{path: ./src, action: sync, target: /app}]
`, { kinds: { 'nginx.conf': 'file', src: 'directory' } });
    expect(targets.roots).toEqual([
      { path: at('.env'), directory: false },
      { path: at('compose.yaml'), directory: false },
      { path: at('nginx.conf'), directory: false },
      { path: at('src'), directory: true },
    ]);
  });
});
