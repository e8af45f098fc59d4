/**
 * The plan in words (`--dry-run`, `up --explain`): one line per action, the worded cause, no node
 * numbers, and never a value of the environment, a secret or a config.
 */
import type { Dependency, Service } from '../../../src/model/types.js';
import { describeConfigChange } from '../../../src/plan/config-change.js';
import { describePlan } from '../../../src/plan/describe-plan.js';
import { planDown } from '../../../src/plan/down.js';
import { planRestart, planStart, planStop } from '../../../src/plan/lifecycle.js';
import { reconcile, type ReconcileOptions } from '../../../src/plan/reconcile.js';
import { canonicalServiceConfig } from '../../../src/model/hash.js';
import { SEAL_KEY, TOOL_VERSION, container, containerOf, makeProject, observe, ownNetworks, ownVolume } from './support.js';

const healthy: Dependency = { condition: 'service_healthy', required: true };

function up(options: Partial<ReconcileOptions> = {}): ReconcileOptions {
  return { toolVersion: TOOL_VERSION, sealKey: SEAL_KEY, ...options };
}

const app = makeProject(
  'app',
  {
    db: { image: 'db:1', volumes: [{ type: 'volume', source: 'data', target: '/data' }], healthcheck: { test: ['CMD', 'true'] } },
    web: { image: 'app:2', environment: { MODE: 'prod', TOKEN: 's3cr3t-value' }, depends_on: { db: healthy } },
  },
  { volumes: { data: { name: 'app_data' } } },
);

function running(overrides: { db?: Parameters<typeof container>[2]; web?: Parameters<typeof container>[2] } = {}) {
  return observe({
    networks: ownNetworks(app),
    volumes: [ownVolume(app, 'data')],
    containers: [container(app, 'db', overrides.db), container(app, 'web', overrides.web)],
  });
}

/** A web container created from an older definition of the service. */
function oldWeb(change: Partial<Service>) {
  return { labels: containerOf(app, { ...app.services.web, ...change }).labels };
}

describe('describePlan: up', () => {
  test('a fresh project must be created line by line, without node numbers', () => {
    expect(describePlan(reconcile(app, observe(), up()))).toEqual([
      'create network app_default: not found',
      'create volume app_data: not found',
      'create db (app-db-1): not found',
      'create web (app-web-1): not found',
      'wait for db to be healthy (web depends on it)',
    ]);
  });

  test('a recreate must be one line naming the new image and the changed variable', () => {
    const observed = running({ web: oldWeb({ image: 'app:1', environment: { MODE: 'dev', TOKEN: 's3cr3t-value' } }) });
    expect(describePlan(reconcile(app, observed, up()))).toEqual([
      'recreate web (app-web-1): image "app:1" -> "app:2", environment MODE changed',
      'wait for db to be healthy (web depends on it)',
    ]);
  });

  test('a stopped container must be started with the engine\'s words for its state', () => {
    const observed = running({ db: { state: 'exited', statusText: 'Exited (0) 3 minutes ago' } });
    expect(describePlan(reconcile(app, observed, up()))).toEqual([
      'start db (app-db-1): exited (0) 3 minutes ago',
      'wait for db to be healthy (web depends on it)',
    ]);
  });

  test('an unchanged project must have nothing to do, although up still waits on its dependencies', () => {
    const plan = reconcile(app, running(), up());
    expect(plan.nodes.map((node) => node.op.type)).toEqual(['wait-dependency']);
    expect(describePlan(plan)).toEqual([]);
  });

  test('environment values must never be printed, only the names of what changed', () => {
    const observed = running({ web: oldWeb({ environment: { MODE: 'prod', TOKEN: 'old-s3cr3t', GONE: 'x-value' } }) });
    const lines = describePlan(reconcile(app, observed, up())).join('\n');
    expect(lines).toContain('recreate web (app-web-1): environment TOKEN changed, GONE removed');
    expect(lines).not.toMatch(/s3cr3t|x-value|prod/);
  });

  test('a changed secret must be named, its content never printed', () => {
    const secret = (content: string) =>
      makeProject('app', { web: { secrets: [{ source: 'api_key' }] } }, { secrets: { api_key: { name: 'app_api_key', content } } });
    const before = secret('old-key-material');
    const after = secret('new-key-material');
    const observed = observe({ networks: ownNetworks(after), containers: [containerOf(before, before.services.web)] });
    const lines = describePlan(reconcile(after, observed, up()));
    expect(lines).toEqual(['recreate web (app-web-1): secret api_key changed']);
    expect(lines.join('\n')).not.toContain('key-material');
  });

  test('a rebuilt image must say so, and --force-recreate must name the flag', () => {
    const rebuilt = { ...running(), images: { 'app:2': { id: 'sha256:rebuilt' } } };
    expect(describePlan(reconcile(app, rebuilt, up()))[0]).toBe('recreate web (app-web-1): image app:2 was rebuilt or pulled');
    expect(describePlan(reconcile(app, running(), up({ recreate: 'force' }))).slice(0, 2)).toEqual([
      'recreate db (app-db-1): forced by --force-recreate',
      'recreate web (app-web-1): forced by --force-recreate',
    ]);
  });

  test('a restart: true dependent must be one restart line saying why', () => {
    const project = makeProject('app', { db: { environment: { V: '2' } }, web: { depends_on: { db: { ...healthy, restart: true } } } });
    const observed = observe({
      networks: ownNetworks(project),
      containers: [containerOf(project, { ...project.services.db, environment: { V: '1' } }), container(project, 'web')],
    });
    expect(describePlan(reconcile(project, observed, up()))).toEqual([
      'recreate db (app-db-1): environment V changed',
      'restart web (app-web-1): dependency db is recreated (restart: true)',
      'wait for db to be healthy (web depends on it)',
    ]);
  });

  test('scaling down and removing orphans must be remove lines', () => {
    const project = makeProject('app', { web: { scale: 1 } });
    const observed = observe({
      networks: ownNetworks(project),
      containers: [
        container(project, 'web'),
        container(project, 'web', { number: 2 }),
        containerOf(project, { name: 'old', image: 'busybox' }),
      ],
    });
    expect(describePlan(reconcile(project, observed, up({ removeOrphans: true })))).toEqual([
      'remove web (app-web-2): scale down',
      'remove orphan container app-old-1: its service is not in the compose file',
    ]);
  });

  test('a container created by another tool must be recreated once, saying why the fields are not named', () => {
    const observed = running({ web: { labels: { 'com.docker.compose.config-hash': 'compose', 'io.tscompose.applied-config': undefined } } });
    expect(describePlan(reconcile(app, observed, up()))[0]).toBe(
      'recreate web (app-web-1): configuration changed (created by another tool, which records no details)',
    );
  });
});

describe('describePlan: down, stop, start, restart', () => {
  test('down must list what it removes, without repeating the command as a cause', () => {
    expect(describePlan(planDown(running(), { projectName: 'app', project: app, volumes: true }))).toEqual([
      'remove web (app-web-1)',
      'remove db (app-db-1)',
      'remove network app_default',
      'remove volume app_data',
    ]);
  });

  test('stop, start and restart must be worded by what they do', () => {
    expect(describePlan(planStop(running(), { projectName: 'app', project: app, services: ['web'] }))).toEqual(['stop web (app-web-1)']);
    const stopped = running({ db: { state: 'exited', statusText: 'Exited (137) 2 hours ago' }, web: { state: 'created', statusText: 'Created' } });
    expect(describePlan(planStart(stopped, { project: app }))).toEqual([
      'start db (app-db-1): exited (137) 2 hours ago',
      'wait for db to be healthy (web depends on it)',
      'start web (app-web-1): created',
    ]);
    expect(describePlan(planRestart(running(), { projectName: 'app', project: app }))).toEqual(['restart db (app-db-1)', 'restart web (app-web-1)']);
  });

  test('an empty plan must describe as nothing', () => {
    expect(describePlan({ nodes: [], warnings: [] })).toEqual([]);
  });
});

describe('describeConfigChange', () => {
  const canonical = (service: Partial<Service>) => canonicalServiceConfig({ name: 'web', image: 'app:1', ...service }, makeProject('app', {}));

  test('maps must be worded key by key: changed, added, removed', () => {
    expect(
      describeConfigChange(
        canonical({ environment: { A: '1', B: '2' }, labels: { 'com.example.tier': 'front' } }),
        canonical({ environment: { A: '9', C: '3' }, labels: { 'com.example.tier': 'back' } }),
      ),
    ).toEqual(['environment A changed, C added, B removed', 'label com.example.tier changed']);
  });

  test('a list must be named as a whole, a nested setting by its path', () => {
    expect(
      describeConfigChange(
        canonical({ command: ['a', 'secret-arg'], healthcheck: { test: ['CMD', 'true'], interval: 1_000_000_000 } }),
        canonical({ command: ['b'], healthcheck: { test: ['CMD', 'true'], interval: 2_000_000_000 } }),
      ),
    ).toEqual(['command changed', 'healthcheck.interval changed']);
  });

  test('plain settings must show both values, and a setting that appears must say it was unset', () => {
    expect(describeConfigChange(canonical({ restart: 'no' }), canonical({ restart: 'always', user: '1000' }))).toEqual([
      'restart "no" -> "always"',
      'user unset -> "1000"',
    ]);
  });

  test('an environment that appears must name its variables', () => {
    expect(describeConfigChange(canonical({}), canonical({ environment: { MODE: 'x' } }))).toEqual(['environment MODE added']);
  });

  test('equal configs must describe no change', () => {
    expect(describeConfigChange(canonical({ environment: { A: '1' } }), canonical({ environment: { A: '1' } }))).toEqual([]);
  });
});
