import type { FileChange } from '../../../src/watch/batcher.js';
import { decide } from '../../../src/watch/decide.js';
import { at, targetsFor, WORKING_DIR } from './support.js';

const changed = (path: string, directory = false): FileChange => ({ path: at(path), kind: 'changed', directory });
const removed = (path: string, directory = false): FileChange => ({ path: at(path), kind: 'removed', directory });

function targets(yaml: string, kinds: Record<string, 'file' | 'directory'>, dockerignores: Record<string, string> = {}) {
  const result = targetsFor(yaml, { kinds, dockerignores });
  if (result.errors.length > 0 || result.problems.length > 0) throw new Error([...result.errors, ...result.problems.map((p) => p.message)].join('\n'));
  return result.targets;
}

const ACTIONS = `
services:
  app:
    build: .
    develop:
      watch:
        - {path: ./src, target: /app/src, action: sync, ignore: ["*.tmp"]}
        - {path: ./conf, target: /app/conf, action: sync+restart}
        - {path: ./hooks, target: /app/hooks, action: sync+exec, exec: {command: [touch, /tmp/hooked]}}
        - {path: ./Procfile, action: restart}
        - {path: ./package.json, action: rebuild}
`;
const ACTION_KINDS = { src: 'directory', conf: 'directory', hooks: 'directory', Procfile: 'file', 'package.json': 'file' } as const;

describe('decide: develop.watch actions', () => {
  const watched = targets(ACTIONS, ACTION_KINDS);

  test('sync must copy a changed file to its place under the target', () => {
    const [app] = decide([changed('src/lib/a.js')], watched).services;
    expect(app.sync.map((entry) => [entry.hostPath, entry.containerPath])).toEqual([[at('src/lib/a.js'), '/app/src/lib/a.js']]);
    expect(app.restartCauses).toEqual([]);
  });

  test('sync must delete a removed file in the container', () => {
    const [app] = decide([removed('src/old.js')], watched).services;
    expect(app.remove).toEqual(['/app/src/old.js']);
    expect(app.sync).toEqual([]);
  });

  test('a removed directory must be deleted once, not file by file', () => {
    const [app] = decide([removed('src/d', true), removed('src/d/a.js'), removed('src/d/e/b.js')], watched).services;
    expect(app.remove).toEqual(['/app/src/d']);
  });

  test('a new directory must be copied whole, its files not a second time', () => {
    const [app] = decide([changed('src/d', true), changed('src/d/a.js'), changed('src/z.js')], watched).services;
    expect(app.sync.map((entry) => entry.containerPath)).toEqual(['/app/src/d', '/app/src/z.js']);
  });

  test('a path the rule ignores must do nothing', () => {
    const decision = decide([changed('src/scratch.tmp')], watched);
    expect(decision.services).toEqual([]);
    expect(decision.ignored).toEqual([changed('src/scratch.tmp')]);
  });

  test('sync+restart must copy, then restart', () => {
    const [app] = decide([changed('conf/app.ini')], watched).services;
    expect(app.sync.map((entry) => entry.containerPath)).toEqual(['/app/conf/app.ini']);
    expect(app.restartCauses).toEqual(['sync+restart rule on ./conf']);
  });

  test('sync+exec must copy and carry the hook', () => {
    const [app] = decide([changed('hooks/x.sh')], watched).services;
    expect(app.sync).toHaveLength(1);
    expect(app.execHooks).toEqual([{ command: ['touch', '/tmp/hooked'] }]);
  });

  test('restart on a file rule must restart only', () => {
    const [app] = decide([changed('Procfile')], watched).services;
    expect(app.restartCauses).toEqual(['restart rule on ./Procfile']);
    expect(app.sync).toEqual([]);
  });

  test('a rebuild must supersede every other action of the service', () => {
    const [app] = decide([changed('package.json'), changed('src/a.js'), changed('conf/x.ini')], watched).services;
    expect(app).toMatchObject({ rebuild: true, sync: [], remove: [], restartCauses: [], execHooks: [] });
    expect(app.notes).toEqual(['the rebuild recreates the containers, so nothing else is done to them']);
  });

  test('a change to the compose file must ask for a re-plan', () => {
    const decision = decide([changed('compose.yaml')], watched);
    expect(decision.projectFiles).toEqual([at('compose.yaml')]);
    expect(decision.services).toEqual([]);
  });

  test('.dockerignore of the build context must apply to rules', () => {
    const withIgnore = targets(ACTIONS, ACTION_KINDS, { [WORKING_DIR]: 'src/generated\n!src/generated/keep.js\n' });
    expect(decide([changed('src/generated/out.js')], withIgnore).services).toEqual([]);
    expect(decide([changed('src/generated/keep.js')], withIgnore).services).toHaveLength(1);
  });
});

describe('decide: bind-mount reloads', () => {
  const RELOADS = `
services:
  proxy:
    image: nginx
    x-tscompose-reload: {action: signal, signal: SIGHUP}
    volumes:
      - ./nginx.conf:/etc/nginx/nginx.conf:ro
      - type: bind
        source: ./html
        target: /usr/share/nginx/html
        x-tscompose-reload: none
  api:
    image: api
    volumes: [./api:/srv/api]
    depends_on:
      proxy: {condition: service_started, restart: true}
  worker:
    image: worker
    x-tscompose-reload: {action: exec, command: [kill, -USR2, "1"], user: root}
    volumes: [./jobs:/jobs]
`;
  const watched = targets(RELOADS, { 'nginx.conf': 'file', html: 'directory', api: 'directory', jobs: 'directory' });

  test('a change under a bind mount must restart that service by default', () => {
    const decision = decide([changed('api/routes/users.js')], watched);
    expect(decision.services.map((service) => [service.service, service.restartCauses])).toEqual([['api', ['bind mount ./api']]]);
  });

  test('only the service whose mount holds the change must reload', () => {
    const decision = decide([changed('jobs/nightly.sh')], watched);
    expect(decision.services.map((service) => service.service)).toEqual(['worker']);
    expect(decision.services[0].execReloads).toEqual([{ command: ['kill', '-USR2', '1'], user: 'root', cause: 'bind mount ./jobs' }]);
  });

  test('a signal policy must send the signal instead of restarting', () => {
    const [proxy] = decide([changed('nginx.conf')], watched).services;
    expect(proxy.signals).toEqual([{ signal: 'SIGHUP', cause: 'bind mount ./nginx.conf' }]);
    expect(proxy.restartCauses).toEqual([]);
  });

  test('a single-file mount whose file was replaced must restart even with a signal policy', () => {
    const [proxy] = decide([changed('nginx.conf')], watched, { replacedFiles: new Set([at('nginx.conf')]) }).services;
    expect(proxy.signals).toEqual([]);
    expect(proxy.restartCauses).toEqual(['bind mount ./nginx.conf (the file was replaced: the running container still sees the old one)']);
  });

  test('a mount with reloads turned off must do nothing', () => {
    expect(decide([changed('html/index.html')], watched).services).toEqual([]);
  });

  test('editor temporary files under a mount must do nothing', () => {
    expect(decide([changed('api/.users.js.swp'), changed('api/users.js~')], watched).services).toEqual([]);
  });

  test('a restart must make a signal for the same service pointless', () => {
    const both = targets(
      `
services:
  web:
    image: nginx
    volumes:
      - type: bind
        source: ./conf
        target: /conf
        x-tscompose-reload: {action: signal, signal: HUP}
      - ./static:/static
`,
      { conf: 'directory', static: 'directory' },
    );
    const [web] = decide([changed('conf/a'), changed('static/b')], both).services;
    expect(web.restartCauses).toEqual(['bind mount ./static']);
    expect(web.signals).toEqual([]);
  });
});

describe('decide: overlapping bind mounts and develop.watch rules', () => {
  const OVERLAP = `
services:
  app:
    image: node
    volumes:
      - ./src:/app/src
      - ./data:/app/out/data
      - cache:/app/cache
    develop:
      watch:
        - {path: ./src, target: /app/src-copy, action: sync}
        - {path: ./out, target: /app/out, action: sync}
        - {path: ., target: /app, action: sync, include: ["cache", "cache/**"]}
volumes:
  cache: {}
`;
  const watched = targets(OVERLAP, { src: 'directory', data: 'directory', out: 'directory', '.': 'directory' });

  test('a path under a rule of the service must be handled by the rule only, never also reload it', () => {
    const [app] = decide([changed('src/index.js')], watched).services;
    expect(app.sync.map((entry) => entry.containerPath)).toEqual(['/app/src-copy/index.js']);
    expect(app.restartCauses).toEqual([]);
  });

  test('a sync must never write inside a bind mount of the service (it would write the host file again: a loop)', () => {
    const [app] = decide([changed('out/data/x.json')], watched).services;
    expect(app.sync).toEqual([]);
    expect(app.notes).toEqual(['not copying ./out/data/x.json to /app/out/data/x.json: that is inside the bind mount at /app/out/data (it would write the host file again)']);
  });

  test('a delete must never reach into a bind mount (it would delete host files)', () => {
    const [app] = decide([removed('out/data/x.json')], watched).services;
    expect(app.remove).toEqual([]);
    expect(app.notes[0]).toMatch(/^not deleting \/app\/out\/data\/x.json: it is inside the bind mount at \/app\/out\/data/);
  });

  test('a delete must never remove a mount point or a directory holding one', () => {
    const [app] = decide([removed('cache', true)], watched).services;
    expect(app.remove).toEqual([]);
    expect(app.notes).toEqual(['not deleting /app/cache: the volume mount at /app/cache is there']);
  });

  test('the bind-mount targets must travel with the decision (directory copies skip them too)', () => {
    const [app] = decide([changed('out/report.txt')], watched).services;
    expect(app.bindTargets).toEqual(['/app/src', '/app/out/data']);
  });
});
