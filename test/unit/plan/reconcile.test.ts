import { composeConfigHash } from '../../../src/model/compose-hash.js';
import { LABEL } from '../../../src/model/labels.js';
import type { Dependency } from '../../../src/model/types.js';
import { DependencyCycleError, ReconcileError } from '../../../src/plan/errors.js';
import { formatPlan, type CreateContainerOp, type Plan, type StartContainerOp } from '../../../src/plan/plan.js';
import { divergedVolumes } from '../../../src/plan/networks-and-volumes.js';
import { reconcile, type ReconcileOptions } from '../../../src/plan/reconcile.js';
import {
  TOOL_VERSION,
  anonymousMount,
  container,
  containerOf,
  externalHexVolumeProject,
  foreignNetwork,
  foreignVolume,
  idFor,
  makeProject,
  observe,
  ownNetworks,
  ownVolume,
  SEAL_KEY,
  text,
} from './support.js';

const healthy: Dependency = { condition: 'service_healthy', required: true };
const started: Dependency = { condition: 'service_started', required: true };

function plan(...args: Parameters<typeof reconcile>): Plan {
  return reconcile(...args);
}

function up(options: Partial<ReconcileOptions> = {}): ReconcileOptions {
  return { toolVersion: TOOL_VERSION, sealKey: SEAL_KEY, ...options };
}

/** db <- web (healthy), with a named volume: the project most tests start from. */
const app = makeProject(
  'p',
  {
    db: {
      environment: { MODE: 'b' },
      volumes: [
        { type: 'volume', source: 'data', target: '/var/lib/db' },
        { type: 'volume', target: '/anon' },
      ],
      healthcheck: { test: ['CMD', 'true'] },
    },
    web: { depends_on: { db: healthy }, ports: [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }] },
  },
  { volumes: { data: { name: 'p_data' } } },
);

/** Everything of `app` exists as tscompose created it. */
function appUp(overrides: { db?: Parameters<typeof container>[2]; web?: Parameters<typeof container>[2] } = {}) {
  return observe({
    networks: ownNetworks(app),
    volumes: [ownVolume(app, 'data')],
    containers: [
      container(app, 'db', { mounts: [anonymousMount('/anon')], ...overrides.db }),
      container(app, 'web', overrides.web),
    ],
  });
}

describe('reconcile: creating', () => {
  test('a fresh project must create networks and volumes, then containers and starts in dependency order', () => {
    expect(formatPlan(plan(app, observe(), up()))).toBe(
      text(
        '[] -> #1 network:default, create-network p_default, not found',
        '[] -> #2 volume:data, create-volume p_data, not found',
        '[1,2] -> #3 service:db:1, create-container p-db-1, not found',
        '[1,3] -> #4 service:web:1, create-container p-web-1, not found',
        '[3] -> #5 service:db:1, start-container p-db-1 (#3), new container',
        '[5] -> #6 wait:db:service_healthy, wait-dependency db service_healthy for web, depends_on: service_healthy',
        '[4,6] -> #7 service:web:1, start-container p-web-1 (#4), new container',
      ),
    );
  });

  test('created containers must carry the identity labels, the config hash and the applied config', () => {
    const create = plan(app, observe(), up()).nodes[2].op as CreateContainerOp;
    expect(create.labels[LABEL.project]).toBe('p');
    expect(create.labels[LABEL.service]).toBe('db');
    expect(create.labels[LABEL.containerNumber]).toBe('1');
    expect(create.labels[LABEL.configHash]).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(create.labels['io.tscompose.applied-config'])).toMatchObject({ environment: { MODE: expect.stringMatching(/^hmac-sha256:/) } });
    expect(create.labels['io.tscompose.applied-config-key']).toBe(SEAL_KEY.id);
  });

  test('no environment value, env_file value, hook environment or inline secret may appear in any label', () => {
    const canary = 'canary-Zq83hV';
    const project = makeProject(
      'p',
      {
        web: {
          environment: { PASSWORD: canary, EMPTY: null },
          post_start: [{ command: ['true'], environment: { TOKEN: canary } }],
          secrets: [{ source: 'key' }],
          volumes: [{ type: 'volume', source: 'share', target: '/share' }],
        },
      },
      {
        secrets: { key: { name: 'p_key', content: canary } },
        volumes: { share: { name: 'p_share', driver: 'local', driver_opts: { o: `password=${canary}` } } },
      },
    );
    const labels = plan(project, observe(), up()).nodes.flatMap((node) => ('labels' in node.op ? [node.op.labels] : []));
    expect(labels.length).toBeGreaterThan(0);
    for (const set of labels) expect(JSON.stringify(set)).not.toContain(canary);
  });

  test('a changed environment value must be named though the record holds no value', () => {
    const old = { ...app.services.db, environment: { MODE: 'a' } };
    const observed = appUp({ db: { labels: containerOf(app, old).labels } });
    expect(plan(app, observed, up()).nodes.find((node) => node.op.type === 'create-container')?.cause).toBe(
      'environment MODE changed',
    );
  });

  test('a record sealed under another key must name only the variables that came or went', () => {
    const old = { ...app.services.db, environment: { MODE: 'a', GONE: 'x' } };
    const labels = { ...containerOf(app, old).labels, 'io.tscompose.applied-config-key': 'another-key' };
    expect(plan(app, appUp({ db: { labels } }), up()).nodes.find((node) => node.op.type === 'create-container')?.cause).toBe(
      'environment GONE removed (values recorded by another user are not compared)',
    );
  });

  test('a network or volume no service uses must not be created', () => {
    const project = makeProject('p', { web: {} }, { networks: { unused: { name: 'p_unused' } }, volumes: { idle: { name: 'p_idle' } } });
    expect(formatPlan(plan(project, observe(), up()))).toBe(
      text(
        '[] -> #1 network:default, create-network p_default, not found',
        '[1] -> #2 service:web:1, create-container p-web-1, not found',
        '[2] -> #3 service:web:1, start-container p-web-1 (#2), new container',
      ),
    );
  });

  test('independent services must start in parallel (no edge between them)', () => {
    const project = makeProject('p', { a: {}, b: {} });
    expect(formatPlan(plan(project, observe({ networks: ownNetworks(project) }), up()))).toBe(
      text(
        '[] -> #1 service:a:1, create-container p-a-1, not found',
        '[] -> #2 service:b:1, create-container p-b-1, not found',
        '[1] -> #3 service:a:1, start-container p-a-1 (#1), new container',
        '[2] -> #4 service:b:1, start-container p-b-1 (#2), new container',
      ),
    );
  });

  test('--no-start must create containers and start nothing', () => {
    expect(formatPlan(plan(app, observe({ networks: ownNetworks(app), volumes: [ownVolume(app, 'data')] }), up({ noStart: true })))).toBe(
      text(
        '[] -> #1 service:db:1, create-container p-db-1, not found',
        '[1] -> #2 service:web:1, create-container p-web-1, not found',
      ),
    );
  });
});

describe('reconcile: leaving things alone', () => {
  test('an unchanged running project must change nothing: only the dependency waits Compose also does (P7)', () => {
    const result = plan(app, appUp(), up());
    expect(formatPlan(result)).toBe('[] -> #1 wait:db:service_healthy, wait-dependency db service_healthy for web, depends_on: service_healthy');
    expect(result.warnings).toEqual([]);
  });

  test('an unchanged project without dependency conditions must give an empty plan (P7)', () => {
    const plain = makeProject('p', { db: {}, web: { depends_on: { db: started } } });
    expect(formatPlan(plan(plain, observe({ networks: ownNetworks(plain), containers: [container(plain, 'db'), container(plain, 'web')] }), up()))).toBe('');
  });

  test('--no-recreate must keep a changed container', () => {
    const old = { ...app.services.db, environment: { MODE: 'a' } };
    const observed = appUp({ db: { labels: containerOf(app, old).labels } });
    expect(formatPlan(plan(app, observed, up({ recreate: 'never' })))).toBe('[] -> #1 wait:db:service_healthy, wait-dependency db service_healthy for web, depends_on: service_healthy');
  });

  test('a stopped unchanged container must be started, not recreated', () => {
    expect(formatPlan(plan(app, appUp({ web: { state: 'exited' } }), up()))).toBe(
      text(
        '[] -> #1 wait:db:service_healthy, wait-dependency db service_healthy for web, depends_on: service_healthy',
        '[1] -> #2 service:web:1, start-container p-web-1, exited',
      ),
    );
  });

  test('an unchanged container in the engine\'s restart back-off must be restarted now, not left to wait', () => {
    expect(formatPlan(plan(app, appUp({ web: { state: 'restarting' } }), up()))).toBe(
      text(
        '[] -> #1 wait:db:service_healthy, wait-dependency db service_healthy for web, depends_on: service_healthy',
        "[1] -> #2 service:web:1, restart-container p-web-1, in the engine's restart back-off: restarted now",
      ),
    );
  });

  test('a paused container must be left alone', () => {
    expect(formatPlan(plan(app, appUp({ web: { state: 'paused' } }), up()))).toBe('[] -> #1 wait:db:service_healthy, wait-dependency db service_healthy for web, depends_on: service_healthy');
  });
});

describe('reconcile: recreating', () => {
  const oldDb = { ...app.services.db, environment: { MODE: 'a' } };
  const changedDb = () => appUp({ db: { labels: containerOf(app, oldDb).labels } });

  test('a changed environment must recreate with cause environment.MODE, keeping the old container until the new one started (P15)', () => {
    const dbId = idFor('p-db-1').slice(0, 12);
    expect(formatPlan(plan(app, changedDb(), up()))).toBe(
      text(
        `[] -> #1 service:db:1, create-container ${dbId}_p-db-1 inheriting /anon, environment MODE changed`,
        '[1] -> #2 service:db:1, stop-container p-db-1, replaced by #1',
        `[1,2] -> #3 service:db:1, start-container ${dbId}_p-db-1 (#1) rollback to p-db-1, replaces p-db-1`,
        '[3] -> #4 service:db:1, remove-container p-db-1, replaced by #1',
        `[4] -> #5 service:db:1, rename-container ${dbId}_p-db-1 (#1) -> p-db-1, finalize recreate`,
        // web is left running, but waits on the new db's health, as Compose does.
        '[3] -> #6 wait:db:service_healthy, wait-dependency db service_healthy for web, depends_on: service_healthy',
      ),
    );
  });

  test('the replacement start must carry what rolls the recreate back', () => {
    const start = plan(app, changedDb(), up()).nodes[2].op as StartContainerOp;
    expect(start.rollback).toEqual({
      replacement: { kind: 'planned', createdBy: 1, name: `${idFor('p-db-1').slice(0, 12)}_p-db-1` },
      previous: { id: idFor('p-db-1'), name: 'p-db-1' },
      restartPrevious: true,
      restartDependents: [],
    });
  });

  test('a dependent without restart: true must not be stopped or recreated when its dependency is recreated', () => {
    const nodes = plan(app, changedDb(), up()).nodes;
    expect(nodes.filter((node) => node.resource.startsWith('service:web'))).toEqual([]);
  });

  test('the replacement must be labelled with the container it replaces', () => {
    const create = plan(app, changedDb(), up()).nodes[0].op as CreateContainerOp;
    expect(create.labels[LABEL.replace]).toBe(idFor('p-db-1'));
    expect(create.replaces).toEqual({ id: idFor('p-db-1'), name: 'p-db-1' });
    expect(create.finalName).toBe('p-db-1');
  });

  test('-V must give the replacement fresh anonymous volumes and remove the old ones with the old container (P5)', () => {
    expect(formatPlan(plan(app, changedDb(), up({ renewAnonVolumes: true })))).toBe(
      text(
        `[] -> #1 service:db:1, create-container ${idFor('p-db-1').slice(0, 12)}_p-db-1, environment MODE changed`,
        '[1] -> #2 service:db:1, stop-container p-db-1, replaced by #1',
        `[1,2] -> #3 service:db:1, start-container ${idFor('p-db-1').slice(0, 12)}_p-db-1 (#1) rollback to p-db-1, replaces p-db-1`,
        '[3] -> #4 service:db:1, remove-container p-db-1 with anonymous volumes, replaced by #1',
        `[4] -> #5 service:db:1, remove-volume ${idFor('volume:/anon')}, anonymous volume renewed (-V) (best effort)`,
        `[4] -> #6 service:db:1, rename-container ${idFor('p-db-1').slice(0, 12)}_p-db-1 (#1) -> p-db-1, finalize recreate`,
        '[3] -> #7 wait:db:service_healthy, wait-dependency db service_healthy for web, depends_on: service_healthy',
      ),
    );
  });

  test('a replacement must inherit only anonymous volumes the new config or the image still has', () => {
    const project = makeProject('p', { db: { volumes: [{ type: 'volume', target: '/keep' }, { type: 'bind', source: '/srv', target: '/bound' }] } });
    const old = { ...project.services.db, environment: { X: '1' } };
    const observed = observe({
      networks: ownNetworks(project),
      containers: [
        containerOf(project, old, {
          labels: { [LABEL.configHash]: 'old' },
          mounts: [anonymousMount('/keep'), anonymousMount('/bound'), anonymousMount('/from-image'), anonymousMount('/dropped')],
        }),
      ],
      images: { busybox: { id: 'sha256:image', volumes: ['/from-image'] } },
    });
    const create = plan(project, observed, up()).nodes[0].op as CreateContainerOp;
    expect(create.inheritVolumes.map((volume) => volume.target)).toEqual(['/from-image', '/keep']);
    expect(create.inheritVolumes[1].volume).toBe(idFor('volume:/keep'));
  });

  test('-V and a recreate must never treat an external volume with a 64-hex name as anonymous (P3)', () => {
    const { project, hexName, hexMounts } = externalHexVolumeProject();
    const old = { ...project.services.app, environment: { X: '1' } };
    const observed = observe({
      networks: ownNetworks(project),
      volumes: [foreignVolume(hexName)],
      containers: [containerOf(project, old, { mounts: hexMounts })],
    });
    const renewed = plan(project, observed, up({ renewAnonVolumes: true }));
    expect(renewed.nodes.filter((node) => node.op.type === 'remove-volume').map((node) => (node.op as { name: string }).name)).toEqual([
      idFor('volume:/anon'),
    ]);
    const recreated = plan(project, observed, up()).nodes[0].op as CreateContainerOp;
    expect(recreated.inheritVolumes).toEqual([{ target: '/anon', volume: idFor('volume:/anon') }]);
  });

  test('a rebuilt or pulled image must recreate, saying the image was rebuilt or pulled', () => {
    const observed = { ...appUp(), images: { busybox: { id: 'sha256:new' } } };
    const causes = plan(app, observed, up()).nodes.filter((node) => node.op.type === 'create-container').map((node) => node.cause);
    expect(causes).toEqual(['image busybox was rebuilt or pulled', 'image busybox was rebuilt or pulled']);
  });

  test('--force-recreate must recreate unchanged containers', () => {
    const causes = plan(app, appUp(), up({ recreate: 'force' }))
      .nodes.filter((node) => node.op.type === 'create-container')
      .map((node) => `${node.resource} ${node.cause}`);
    expect(causes).toEqual(['service:db:1 forced by --force-recreate', 'service:web:1 forced by --force-recreate']);
  });

  test('a container created by another tool with a different config hash must be recreated, saying so', () => {
    const observed = appUp({ web: { labels: { [LABEL.configHash]: 'compose-hash', 'io.tscompose.applied-config': undefined } } });
    expect(plan(app, observed, up()).nodes[0].cause).toBe('configuration changed (created by another tool, which records no details)');
  });

  test('a container created by Docker Compose from the same file must be kept (it carries the same config hash)', () => {
    const observed = appUp({ web: { labels: { 'io.tscompose.applied-config': undefined, 'io.tscompose.applied-config-key': undefined } } });
    expect(plan(app, observed, up()).nodes.filter((node) => node.op.type === 'create-container')).toEqual([]);
  });

  test("a container tscompose made must be judged by its own record: a stale config hash alone recreates nothing", () => {
    const observed = appUp({ web: { labels: { [LABEL.configHash]: 'hash-of-an-earlier-depends_on' } } });
    expect(plan(app, observed, up()).nodes.filter((node) => node.op.type === 'create-container')).toEqual([]);
  });

  test('the config hash a new container gets must be the one Docker Compose writes for the service', () => {
    const create = plan(app, observe({}), up()).nodes.find((node) => node.op.type === 'create-container')!.op as CreateContainerOp;
    expect(create.labels[LABEL.configHash]).toBe(composeConfigHash(app.services[create.service.name], app, { containerOf: () => undefined }));
  });

  test('several changed fields must all be named', () => {
    const old = { ...app.services.web, ports: [], labels: { 'com.example.tier': 'front' } };
    const observed = appUp({ web: { labels: containerOf(app, old).labels } });
    expect(plan(app, observed, up()).nodes[0].cause).toBe('label com.example.tier removed, ports changed');
  });

  test('a stopped changed container must be recreated without a stop, and not restarted on rollback', () => {
    const result = plan(app, appUp({ db: { state: 'exited', labels: containerOf(app, oldDb).labels } }), up());
    expect(result.nodes.map((node) => node.op.type)).toEqual([
      'create-container',
      'start-container',
      'remove-container',
      'rename-container',
      'wait-dependency',
    ]);
    expect((result.nodes[1].op as StartContainerOp).rollback?.restartPrevious).toBe(false);
  });

  test('--no-start must recreate as create -> stop old -> remove old -> rename, starting nothing', () => {
    const id12 = idFor('p-db-1').slice(0, 12);
    expect(formatPlan(plan(app, changedDb(), up({ noStart: true })))).toBe(
      text(
        `[] -> #1 service:db:1, create-container ${id12}_p-db-1 inheriting /anon, environment MODE changed`,
        '[1] -> #2 service:db:1, stop-container p-db-1, replaced by #1',
        '[1,2] -> #3 service:db:1, remove-container p-db-1, replaced by #1',
        `[3] -> #4 service:db:1, rename-container ${id12}_p-db-1 (#1) -> p-db-1, finalize recreate`,
      ),
    );
  });

  test('a container missing from an existing network must be recreated', () => {
    const observed = appUp({ web: { networks: [] } });
    expect(plan(app, observed, up()).nodes[0].cause).toBe('not connected to network p_default');
  });

  test('an existing container must be recreated when its network has to be created again', () => {
    const observed = { ...appUp(), networks: [] };
    const result = plan(app, observed, up());
    expect(result.nodes[0].op.type).toBe('create-network');
    expect(result.nodes.filter((node) => node.op.type === 'create-container').map((node) => node.cause)).toEqual([
      'network p_default not found',
      'network p_default not found',
    ]);
  });
});

describe('reconcile: dependents', () => {
  const project = makeProject('p', {
    db: { environment: { MODE: 'b' } },
    web: { depends_on: { db: { condition: 'service_started', required: true, restart: true } } },
    worker: { depends_on: { db: started } },
  });
  const oldDb = { ...project.services.db, environment: { MODE: 'a' } };
  const observed = observe({
    networks: ownNetworks(project),
    containers: [containerOf(project, oldDb), container(project, 'web'), container(project, 'worker')],
  });

  test('a restart: true dependent must be stopped before and started after its dependency is recreated', () => {
    const id12 = idFor('p-db-1').slice(0, 12);
    expect(formatPlan(plan(project, observed, up()))).toBe(
      text(
        `[] -> #1 service:db:1, create-container ${id12}_p-db-1, environment MODE changed`,
        '[1] -> #2 service:web:1, stop-container p-web-1, dependency db is being recreated',
        '[1,2] -> #3 service:db:1, stop-container p-db-1, replaced by #1',
        `[1,2,3] -> #4 service:db:1, start-container ${id12}_p-db-1 (#1) rollback to p-db-1, replaces p-db-1`,
        '[4] -> #5 service:db:1, remove-container p-db-1, replaced by #1',
        `[5] -> #6 service:db:1, rename-container ${id12}_p-db-1 (#1) -> p-db-1, finalize recreate`,
        '[2,4] -> #7 service:web:1, start-container p-web-1, dependency db is recreated (restart: true)',
      ),
    );
  });

  test('a failed replacement must restart the dependents it stopped', () => {
    const start = plan(project, observed, up()).nodes[3].op as StartContainerOp;
    expect(start.rollback?.restartDependents).toEqual([{ kind: 'observed', id: idFor('p-web-1'), name: 'p-web-1' }]);
  });

  test('a restart: true dependent must be restarted even when only its dependency is named (up db)', () => {
    const nodes = plan(project, observed, up({ services: ['db'] })).nodes.filter((node) => node.resource === 'service:web:1');
    expect(nodes.map((node) => node.op.type)).toEqual(['stop-container', 'start-container']);
  });

  test('a restart: true dependent that changed too must be stopped once and replaced after its dependency', () => {
    const oldWeb = { ...project.services.web, environment: { OLD: '1' } };
    const state = observe({
      networks: ownNetworks(project),
      containers: [containerOf(project, oldDb), containerOf(project, oldWeb), container(project, 'worker')],
    });
    const web = plan(project, state, up())
      .nodes.filter((node) => node.resource === 'service:web:1')
      .map((node) => `#${node.id} [${node.dependsOn.join(',')}] ${node.op.type}: ${node.cause}`);
    expect(web).toEqual([
      '#2 [1] create-container: environment OLD removed',
      '#3 [1] stop-container: dependency db is being recreated',
      '#8 [2,3,5] start-container: replaces p-web-1',
      '#9 [8] remove-container: replaced by #2',
      '#10 [9] rename-container: finalize recreate',
    ]);
  });

  test('a service sharing the network namespace of a recreated service must be recreated with it', () => {
    const shared = makeProject('p', { vpn: { environment: { V: '2' } }, app: { network_mode: 'service:vpn' } });
    const oldVpn = { ...shared.services.vpn, environment: { V: '1' } };
    const state = observe({
      networks: ownNetworks(shared),
      containers: [containerOf(shared, oldVpn), container(shared, 'app', { networkMode: `container:${idFor('p-vpn-1')}` })],
    });
    const result = plan(shared, state, up());
    const app = result.nodes.filter((node) => node.resource === 'service:app:1').map((node) => `${node.op.type}: ${node.cause}`);
    expect(app).toEqual([
      'create-container: dependency vpn was recreated (network_mode)',
      'stop-container: dependency vpn is being recreated',
      'start-container: replaces p-app-1',
      'remove-container: replaced by #2',
      'rename-container: finalize recreate',
    ]);
  });

  test('a container joined to a namespace that is no longer its parent must be recreated', () => {
    const shared = makeProject('p', { vpn: {}, app: { network_mode: 'service:vpn' } });
    const state = observe({
      networks: ownNetworks(shared),
      containers: [container(shared, 'vpn'), container(shared, 'app', { networkMode: 'container:0123456789ab' })],
    });
    expect(plan(shared, state, up()).nodes[0].cause).toBe('network namespace of vpn changed');
  });
});

describe('reconcile: depends_on waits', () => {
  test('a service_completed_successfully dependency must be waited on after it starts', () => {
    const project = makeProject('p', {
      migrate: {},
      web: { depends_on: { migrate: { condition: 'service_completed_successfully', required: true } } },
    });
    const observed = observe({ networks: ownNetworks(project), containers: [container(project, 'migrate', { state: 'exited' })] });
    expect(formatPlan(plan(project, observed, up()))).toBe(
      text(
        '[] -> #1 service:web:1, create-container p-web-1, not found',
        '[] -> #2 service:migrate:1, start-container p-migrate-1, exited',
        '[2] -> #3 wait:migrate:service_completed_successfully, wait-dependency migrate service_completed_successfully for web, depends_on: service_completed_successfully',
        '[1,3] -> #4 service:web:1, start-container p-web-1 (#1), new container',
      ),
    );
  });

  test('an optional dependency (required: false) must be a best-effort wait', () => {
    const project = makeProject('p', { db: {}, web: { depends_on: { db: { condition: 'service_healthy', required: false } } } });
    const wait = plan(project, observe({ networks: ownNetworks(project) }), up()).nodes.find((node) => node.op.type === 'wait-dependency');
    expect(wait?.bestEffort).toBe(true);
    expect(formatPlan({ nodes: [wait!], warnings: [] })).toContain('db service_healthy (optional) for web');
  });

  test('dependents waiting on the same condition must share one wait, required if any of them requires it', () => {
    const project = makeProject('p', {
      db: {},
      a: { depends_on: { db: { condition: 'service_healthy', required: false } } },
      b: { depends_on: { db: healthy } },
    });
    const waits = plan(project, observe({ networks: ownNetworks(project) }), up()).nodes.filter((node) => node.op.type === 'wait-dependency');
    expect(waits).toHaveLength(1);
    expect(waits[0].bestEffort).toBe(false);
    expect(waits[0].op).toMatchObject({ required: true, dependents: ['a', 'b'] });
  });

  test('a wait must watch the containers the dependency has after the plan, with the --wait-timeout deadline', () => {
    const result = plan(app, appUp({ web: { state: 'exited' } }), up({ waitTimeoutSeconds: 30 }));
    expect(result.nodes[0].op).toEqual({
      type: 'wait-dependency',
      service: 'db',
      condition: 'service_healthy',
      containers: [{ kind: 'observed', id: idFor('p-db-1'), name: 'p-db-1' }],
      required: true,
      dependents: ['web'],
      timeoutSeconds: 30,
    });
  });

  test('a dependency scaled to 0 must not be waited on', () => {
    const project = makeProject('p', { db: { scale: 0 }, web: { depends_on: { db: healthy } } });
    const types = plan(project, observe({ networks: ownNetworks(project) }), up()).nodes.map((node) => node.op.type);
    expect(types).toEqual(['create-container', 'start-container']);
  });

  test('transitive order must hold through a service that has nothing to start', () => {
    const project = makeProject('p', { a: {}, b: { depends_on: { a: started } }, c: { depends_on: { b: started } } });
    const observed = observe({ networks: ownNetworks(project), containers: [container(project, 'b')] });
    expect(formatPlan(plan(project, observed, up()))).toBe(
      text(
        '[] -> #1 service:a:1, create-container p-a-1, not found',
        '[1] -> #2 service:c:1, create-container p-c-1, not found',
        '[1] -> #3 service:a:1, start-container p-a-1 (#1), new container',
        '[2,3] -> #4 service:c:1, start-container p-c-1 (#2), new container',
      ),
    );
  });
});

describe('reconcile: selection', () => {
  test('up web must also converge web\'s dependencies, and nothing else', () => {
    const project = makeProject('p', { db: {}, web: { depends_on: { db: started } }, other: {} });
    const resources = plan(project, observe({ networks: ownNetworks(project) }), up({ services: ['web'] })).nodes.map((node) => node.resource);
    expect(new Set(resources)).toEqual(new Set(['service:db:1', 'service:web:1']));
  });

  test('--no-deps must neither touch nor wait on the dependencies', () => {
    expect(formatPlan(plan(app, observe({ networks: ownNetworks(app) }), up({ services: ['web'], noDeps: true })))).toBe(
      text(
        '[] -> #1 service:web:1, create-container p-web-1, not found',
        '[1] -> #2 service:web:1, start-container p-web-1 (#1), new container',
      ),
    );
  });

  test('dependencies pulled in by a named service must follow the dependencies policy', () => {
    const causes = plan(app, appUp(), up({ services: ['web'], recreate: 'force' })).nodes.filter(
      (node) => node.op.type === 'create-container',
    );
    expect(causes.map((node) => node.resource)).toEqual(['service:web:1']);
  });

  test('an unknown service must be an error before anything is planned', () => {
    expect(() => plan(app, observe(), up({ services: ['nope'], scale: { ghost: 2 } }))).toThrow(
      new ReconcileError(['no such service: nope', 'no such service: ghost']),
    );
  });

  test('a dependency cycle must be rejected with the whole path', () => {
    const project = makeProject('p', { a: { depends_on: { b: started } }, b: { depends_on: { c: started } }, c: { depends_on: { a: started } } });
    expect(() => plan(project, observe(), up())).toThrow(new DependencyCycleError(['a', 'b', 'c', 'a']));
  });
});

describe('reconcile: scaling', () => {
  const project = makeProject('p', { web: {} });
  const replicas = (...numbers: number[]) =>
    observe({ networks: ownNetworks(project), containers: numbers.map((number) => container(project, 'web', { number })) });

  test('scale up must number new replicas after the highest existing number', () => {
    expect(formatPlan(plan(project, replicas(1, 3), up({ scale: { web: 4 } })))).toBe(
      text(
        '[] -> #1 service:web:4, create-container p-web-4, scale up',
        '[] -> #2 service:web:5, create-container p-web-5, scale up',
        '[1] -> #3 service:web:4, start-container p-web-4 (#1), new container',
        '[2] -> #4 service:web:5, start-container p-web-5 (#2), new container',
      ),
    );
  });

  test('a re-plan after a concurrent change must give a missing replica the lowest free number, not one after the highest', () => {
    // Another run had removed replica 1 while recreating it: creating p-web-3 instead would leave
    // three replicas once that run finishes; p-web-1 collides with it and one of the two re-plans.
    const creates = (afterConcurrentChange: boolean) =>
      plan(project, replicas(2), up({ scale: { web: 2 }, afterConcurrentChange }))
        .nodes.filter((node) => node.op.type === 'create-container')
        .map((node) => (node.op as CreateContainerOp).name);
    expect(creates(true)).toEqual(['p-web-1']);
    expect(creates(false)).toEqual(['p-web-3']);
  });

  test('a re-plan after a concurrent change must fill every gap before numbering after the highest', () => {
    const creates = plan(project, replicas(2, 4), up({ scale: { web: 5 }, afterConcurrentChange: true }))
      .nodes.filter((node) => node.op.type === 'create-container')
      .map((node) => (node.op as CreateContainerOp).name);
    expect(creates).toEqual(['p-web-1', 'p-web-3', 'p-web-5']);
  });

  test('scale down must remove the highest numbers and keep the lowest', () => {
    expect(formatPlan(plan(project, replicas(1, 2, 3), up({ scale: { web: 1 } })))).toBe(
      text(
        '[] -> #1 service:web:2, stop-container p-web-2, scale down',
        '[1] -> #2 service:web:2, remove-container p-web-2, scale down',
        '[] -> #3 service:web:3, stop-container p-web-3, scale down',
        '[3] -> #4 service:web:3, remove-container p-web-3, scale down',
      ),
    );
  });

  test('scale down must remove containers that would be recreated before up-to-date ones', () => {
    const old = { ...project.services.web, environment: { OLD: '1' } };
    const observed = observe({
      networks: ownNetworks(project),
      containers: [containerOf(project, old, { number: 1 }), container(project, 'web', { number: 2 })],
    });
    const removed = plan(project, observed, up({ scale: { web: 1 } })).nodes.map((node) => `${node.resource} ${node.op.type}`);
    expect(removed).toEqual(['service:web:1 stop-container', 'service:web:1 remove-container']);
  });

  test('deploy.replicas must set the scale, and --scale must override it', () => {
    const replicated = makeProject('p', { web: { deploy: { replicas: 2 } } });
    const creates = (options: ReconcileOptions) =>
      plan(replicated, observe({ networks: ownNetworks(replicated) }), options).nodes.filter((node) => node.op.type === 'create-container').length;
    expect(creates(up())).toBe(2);
    expect(creates(up({ scale: { web: 3 } }))).toBe(3);
  });

  test('container_name with a scale above 1 must be refused', () => {
    const named = makeProject('p', { web: { container_name: 'web' } });
    expect(() => plan(named, observe(), up({ scale: { web: 2 } }))).toThrow(ReconcileError);
  });
});

describe('reconcile: repairs (P8, F4)', () => {
  const project = makeProject('p', { web: {} });
  const oldId = idFor('p-web-1');
  const tempName = `${oldId.slice(0, 12)}_p-web-1`;

  test('a container left under a temporary name must get its name back', () => {
    const observed = observe({ networks: ownNetworks(project), containers: [container(project, 'web', { name: tempName, id: idFor('new') })] });
    expect(formatPlan(plan(project, observed, up()))).toBe(
      `[] -> #1 service:web:1, rename-container ${tempName} -> p-web-1, repair: temporary name left by an interrupted recreate`,
    );
  });

  test('a stopped container under a temporary name must be renamed, then started', () => {
    const observed = observe({
      networks: ownNetworks(project),
      containers: [container(project, 'web', { name: tempName, id: idFor('new'), state: 'created' })],
    });
    expect(formatPlan(plan(project, observed, up()))).toBe(
      text(
        `[] -> #1 service:web:1, rename-container ${tempName} -> p-web-1, repair: temporary name left by an interrupted recreate`,
        '[1] -> #2 service:web:1, start-container p-web-1, created',
      ),
    );
  });

  test('a replacement that never started must be discarded and the old container kept', () => {
    const observed = observe({
      networks: ownNetworks(project),
      containers: [
        container(project, 'web', { id: oldId, state: 'exited' }),
        container(project, 'web', { name: tempName, id: idFor('new'), state: 'created' }),
      ],
    });
    expect(formatPlan(plan(project, observed, up()))).toBe(
      text(
        `[] -> #1 service:web:1, remove-container ${tempName}, repair: replacement left by an interrupted recreate`,
        '[] -> #2 service:web:1, start-container p-web-1, exited',
      ),
    );
  });

  test('a replacement that never started must be removed before a further change recreates under the same temporary name', () => {
    const observed = observe({
      networks: ownNetworks(project),
      containers: [
        containerOf(project, { ...project.services.web, environment: { MODE: 'before' } }, { id: oldId }),
        container(project, 'web', { name: tempName, id: idFor('new'), state: 'created' }),
      ],
    });
    const nodes = plan(project, observed, up()).nodes;
    const discard = nodes.find((node) => node.op.type === 'remove-container' && node.op.container.name === tempName)!;
    const create = nodes.find((node) => node.op.type === 'create-container')!;
    expect((create.op as CreateContainerOp).name).toBe(tempName);
    expect(create.dependsOn).toContain(discard.id);
  });

  test('a container left removing (a removal that raced a start) must be removed again before its name is taken', () => {
    const observed = observe({
      networks: ownNetworks(project),
      containers: [container(project, 'web', { id: idFor('stuck'), state: 'removing' })],
    });
    expect(formatPlan(plan(project, observed, up()))).toBe(
      text(
        '[] -> #1 service:web:1, remove-container p-web-1, repair: a removal that did not finish (best effort)',
        '[1] -> #2 service:web:1, create-container p-web-1, not found',
        '[2] -> #3 service:web:1, start-container p-web-1 (#2), new container',
      ),
    );
  });

  test('a nameless container the engine lists as removing must be left alone: it holds no name', () => {
    const observed = observe({
      networks: ownNetworks(project),
      containers: [container(project, 'web'), container(project, 'web', { name: '', id: idFor('ghost'), state: 'removing' })],
    });
    expect(formatPlan(plan(project, observed, up()))).toBe('');
  });

  test('a replacement that already runs must finish its recreate: remove the old one, then rename', () => {
    const observed = observe({
      networks: ownNetworks(project),
      containers: [
        container(project, 'web', { id: oldId, state: 'exited' }),
        container(project, 'web', { name: tempName, id: idFor('new'), state: 'running' }),
      ],
    });
    expect(formatPlan(plan(project, observed, up()))).toBe(
      text(
        '[] -> #1 service:web:1, remove-container p-web-1, repair: finish a recreate that was interrupted after the replacement started',
        `[1] -> #2 service:web:1, rename-container ${tempName} -> p-web-1, repair: finish a recreate that was interrupted after the replacement started`,
      ),
    );
  });

  test('duplicate containers for one replica must be reduced to the one holding the name', () => {
    const observed = observe({
      networks: ownNetworks(project),
      containers: [container(project, 'web'), container(project, 'web', { name: 'p_web_1', id: idFor('dup') })],
    });
    expect(formatPlan(plan(project, observed, up()))).toBe(
      text('[] -> #1 service:web:1, stop-container p_web_1, duplicate of replica 1', '[1] -> #2 service:web:1, remove-container p_web_1, duplicate of replica 1'),
    );
  });
});

describe('reconcile: orphans', () => {
  const project = makeProject('p', { web: {} }, { disabledServices: { debug: {} } });
  const orphan = containerOf(project, { name: 'migrate', image: 'busybox' });
  const observed = observe({
    networks: ownNetworks(project),
    containers: [container(project, 'web'), orphan, container(project, 'debug')],
  });

  test('an orphan must be reported with Compose\'s warning and left alone', () => {
    const result = plan(project, observed, up());
    expect(formatPlan(result)).toBe('');
    expect(result.warnings).toEqual([
      'Found orphan containers ([p-migrate-1]) for this project. If you removed or renamed this service in your compose file, ' +
        'you can run this command with the --remove-orphans flag to clean it up.',
    ]);
  });

  test('--remove-orphans must stop and remove orphans, never a disabled service\'s container', () => {
    expect(formatPlan(plan(project, observed, up({ removeOrphans: true })))).toBe(
      text('[] -> #1 orphan:p-migrate-1, stop-container p-migrate-1, orphan', '[1] -> #2 orphan:p-migrate-1, remove-container p-migrate-1, orphan'),
    );
  });

  test('a finished one-off container must count as an orphan, a running one must not', () => {
    const oneOffs = observe({
      networks: ownNetworks(project),
      containers: [
        container(project, 'web'),
        container(project, 'web', { name: 'p-web-run-1', id: idFor('run1'), oneoff: true, state: 'exited' }),
        container(project, 'web', { name: 'p-web-run-2', id: idFor('run2'), oneoff: true, state: 'running' }),
      ],
    });
    expect(plan(project, oneOffs, up()).warnings[0]).toContain('([p-web-run-1])');
  });

  test('containers of another project must never be touched (P6)', () => {
    const other = makeProject('p2', { web: {} });
    const mixed = observe({ networks: ownNetworks(project), containers: [container(project, 'web'), container(other, 'web')] });
    expect(plan(project, mixed, up({ removeOrphans: true }))).toEqual({ nodes: [], warnings: [] });
  });
});

describe('reconcile: networks and volumes', () => {
  test('a missing external network and volume must both be reported before anything is created (P3)', () => {
    const project = makeProject(
      'p',
      { web: { networks: { shared: null }, volumes: [{ type: 'volume', source: 'cache', target: '/cache' }] } },
      { networks: { shared: { name: 'shared', external: true } }, volumes: { cache: { name: 'cache', external: true } } },
    );
    expect(() => plan(project, observe(), up())).toThrow(
      new ReconcileError(['network shared declared as external, but could not be found', 'external volume "cache" not found']),
    );
  });

  test('existing external resources must be used, never created', () => {
    const project = makeProject(
      'p',
      { web: { networks: { shared: null } } },
      { networks: { shared: { name: 'shared', external: true } } },
    );
    const result = plan(project, observe({ networks: [foreignNetwork('shared')] }), up());
    expect(result.nodes.map((node) => node.op.type)).toEqual(['create-container', 'start-container']);
  });

  test('a same-name network the project does not own must be refused (P4)', () => {
    expect(() => plan(app, observe({ networks: [foreignNetwork('p_default')] }), up())).toThrow(
      new ReconcileError([
        'network "p_default" already exists but was not created by tscompose or Docker Compose. ' +
          'Set "external: true" to use an existing network, or remove it.',
      ]),
    );
  });

  test('a same-name network of another project with the same key must be reused with a warning', () => {
    const network = foreignNetwork('p_default', { [LABEL.project]: 'other', [LABEL.network]: 'default' });
    const result = plan(app, observe({ networks: [network], volumes: [ownVolume(app, 'data')] }), up());
    expect(result.nodes.some((node) => node.op.type === 'create-network')).toBe(false);
    expect(result.warnings).toEqual([
      'a network with name p_default exists but was not created for project "p". Set "external: true" to use an existing network.',
    ]);
  });

  test('a same-name volume without labels must be reused with Compose\'s warning, not created (P2)', () => {
    const result = plan(app, observe({ networks: ownNetworks(app), volumes: [foreignVolume('p_data')] }), up());
    expect(result.nodes.some((node) => node.op.type === 'create-volume')).toBe(false);
    expect(result.warnings).toEqual([
      'volume "p_data" already exists but was not created by tscompose or Docker Compose. Use "external: true" to use an existing volume.',
    ]);
  });

  test('a volume of another project must be reused with a warning naming that project', () => {
    const volume = foreignVolume('p_data', { [LABEL.project]: 'a', [LABEL.volume]: 'data' });
    expect(plan(app, observe({ networks: ownNetworks(app), volumes: [volume] }), up()).warnings).toEqual([
      'volume "p_data" already exists but was created for project "a" (expected "p"). Use "external: true" to use an existing volume.',
    ]);
  });

  const changedVolume = makeProject('p', app.services, { volumes: { data: { name: 'p_data', driver_opts: { type: 'tmpfs' } } } });
  function withRecordedVolume() {
    const volume = { ...ownVolume(app, 'data') };
    volume.labels = { ...volume.labels, 'io.tscompose.applied-config': '{"name":"p_data"}' };
    return { ...appUp(), volumes: [volume] };
  }

  test('a changed volume definition must be reported and not recreated without confirmation (P18)', () => {
    const result = plan(changedVolume, withRecordedVolume(), up());
    expect(result.nodes.some((node) => node.op.type.endsWith('-volume'))).toBe(false);
    expect(result.warnings).toEqual([
      'volume "p_data" differs from the compose file (driver_opts); it is kept as it is, with its data. Run "up -y" to recreate it (its data will be lost)',
    ]);
    expect(divergedVolumes(changedVolume, withRecordedVolume(), Object.values(changedVolume.services), SEAL_KEY)).toEqual([
      { key: 'data', name: 'p_data', changes: 'driver_opts' },
    ]);
  });

  test('a confirmed volume recreation must remove what mounts it, then the volume, then create both again, anonymous volumes carried over (P18)', () => {
    const result = plan(changedVolume, withRecordedVolume(), up({ recreateVolumes: new Set(['data']) }));
    expect(result.warnings).toEqual([]);
    const lines = formatPlan(result).split('\n');
    expect(lines.slice(0, 5)).toEqual([
      '[] -> #1 service:db:1, stop-container p-db-1, volume p_data is recreated',
      '[1] -> #2 service:db:1, remove-container p-db-1, volume p_data is recreated',
      '[2] -> #3 volume:data, remove-volume p_data, its definition changed: recreate it (confirmed)',
      '[3] -> #4 volume:data, create-volume p_data, created again from the compose file',
      `[4] -> #5 service:db:1, create-container p-db-1 inheriting /anon, volume p_data was recreated`,
    ]);
    expect(result.nodes.filter((node) => node.resource === 'service:web:1').map((node) => node.op.type)).toEqual([]);
  });

  test('a volume also used by a service outside the run must be kept, saying which (P18)', () => {
    const mount = { type: 'volume' as const, source: 'data', target: '/d' };
    const shared = makeProject('p', { a: { volumes: [mount] }, b: { volumes: [mount] } }, { volumes: { data: { name: 'p_data', driver_opts: { type: 'tmpfs' } } } });
    const volume = { ...ownVolume(shared, 'data') };
    volume.labels = { ...volume.labels, 'io.tscompose.applied-config': '{"name":"p_data"}' };
    const observed = observe({ networks: ownNetworks(shared), volumes: [volume], containers: [container(shared, 'a'), container(shared, 'b')] });
    const result = plan(shared, observed, up({ recreateVolumes: new Set(['data']), services: ['a'] }));
    expect(result.nodes.map((node) => node.op.type)).toEqual([]);
    expect(result.warnings).toEqual(['volume "p_data" is kept: it is also used by b, which this run does not include (name it too to recreate the volume)']);
  });

  test('a created network and volume must carry the identity labels over the user\'s', () => {
    const project = makeProject('p', { web: { volumes: [{ type: 'volume', source: 'data', target: '/d' }] } }, {
      volumes: { data: { name: 'p_data', labels: { [LABEL.project]: 'spoofed', team: 'a' } } },
    });
    const nodes = plan(project, observe(), up()).nodes;
    expect(nodes[1].op).toMatchObject({
      type: 'create-volume',
      labels: { [LABEL.project]: 'p', [LABEL.volume]: 'data', team: 'a' },
    });
    expect(nodes[0].op).toMatchObject({ type: 'create-network', labels: { [LABEL.project]: 'p', [LABEL.network]: 'default' } });
  });
});

describe('reconcile: stop timeouts', () => {
  test('stop_grace_period must become the stop timeout, and -t must override it', () => {
    const project = makeProject('p', { web: { stop_grace_period: 2_500_000_000, environment: { A: '2' } } });
    const old = { ...project.services.web, environment: { A: '1' } };
    const observed = observe({ networks: ownNetworks(project), containers: [containerOf(project, old)] });
    const stop = (options: ReconcileOptions) => plan(project, observed, options).nodes.find((node) => node.op.type === 'stop-container')!.op;
    expect(stop(up())).toMatchObject({ timeoutSeconds: 3 });
    expect(stop(up({ timeoutSeconds: 0 }))).toMatchObject({ timeoutSeconds: 0 });
  });
});
