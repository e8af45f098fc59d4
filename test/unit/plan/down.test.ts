import { LABEL } from '../../../src/model/labels.js';
import { ReconcileError } from '../../../src/plan/errors.js';
import { planDown, type DownOptions } from '../../../src/plan/down.js';
import { formatPlan } from '../../../src/plan/plan.js';
import {
  anonymousMount,
  container,
  containerOf,
  externalHexVolumeProject,
  foreignNetwork,
  foreignVolume,
  idFor,
  makeProject,
  observe,
  ownNetwork,
  ownVolume,
  text,
} from './support.js';

const project = makeProject(
  'p',
  {
    db: { volumes: [{ type: 'volume', source: 'data', target: '/data' }, { type: 'volume', target: '/anon' }] },
    web: { depends_on: { db: { condition: 'service_healthy', required: true } }, networks: { default: null, back: null } },
  },
  {
    networks: { back: { name: 'p_back' }, shared: { name: 'shared', external: true } },
    volumes: { data: { name: 'p_data' }, ext: { name: 'ext', external: true } },
  },
);

const running = observe({
  containers: [container(project, 'db', { mounts: [anonymousMount('/anon', 'db-anon')] }), container(project, 'web')],
  networks: [ownNetwork(project, 'default'), ownNetwork(project, 'back'), foreignNetwork('shared')],
  volumes: [ownVolume(project, 'data'), foreignVolume('ext')],
});

function down(options: Partial<DownOptions> = {}): DownOptions {
  return { projectName: 'p', project, ...options };
}

describe('planDown', () => {
  test('down must stop dependents first, remove containers, then networks, and keep volumes (P1)', () => {
    expect(formatPlan(planDown(running, down()))).toBe(
      text(
        '[] -> #1 service:web:1, stop-container p-web-1, down',
        '[1] -> #2 service:web:1, remove-container p-web-1, down',
        '[1] -> #3 service:db:1, stop-container p-db-1, down',
        '[3] -> #4 service:db:1, remove-container p-db-1, down',
        '[2,4] -> #5 network:back, remove-network p_back, down (best effort)',
        '[2,4] -> #6 network:default, remove-network p_default, down (best effort)',
      ),
    );
  });

  test('down -v must remove the project\'s labelled volumes and the anonymous volumes of removed containers', () => {
    const lines = formatPlan(planDown(running, down({ volumes: true }))).split('\n');
    expect(lines.filter((line) => line.includes('volume'))).toEqual([
      '[1] -> #2 service:web:1, remove-container p-web-1 with anonymous volumes, down',
      '[3] -> #4 service:db:1, remove-container p-db-1 with anonymous volumes, down',
      '[2,4] -> #7 volume:data, remove-volume p_data, down -v (best effort)',
      `[4] -> #8 volume:${idFor('volume:db-anon')}, remove-volume ${idFor('volume:db-anon')}, anonymous volume of a removed container (best effort)`,
    ]);
  });

  test('down -v must not remove a same-name volume without the project label, and say it kept it (P2a)', () => {
    const state = { ...running, volumes: [foreignVolume('p_data')] };
    const plan = planDown(state, down({ volumes: true }));
    expect(formatPlan(plan)).not.toContain('p_data');
    expect(plan.warnings).toEqual([
      'volume "p_data" was kept: it was not created by tscompose or Docker Compose, so it is not this project\'s to remove.',
    ]);
  });

  test('down -v must not remove another project\'s volume that shares the name, and say whose it is (P2b)', () => {
    const state = { ...running, volumes: [foreignVolume('p_data', { [LABEL.project]: 'other', [LABEL.volume]: 'data' })] };
    const plan = planDown(state, down({ volumes: true }));
    expect(formatPlan(plan)).not.toContain('p_data');
    expect(plan.warnings).toEqual(['volume "p_data" was kept: it belongs to project "other".']);
  });

  test('down without -v, and down -v of the project\'s own or external volumes, must warn about no volume', () => {
    const foreign = { ...running, volumes: [foreignVolume('p_data'), foreignVolume('ext')] };
    expect(planDown(foreign, down()).warnings).toEqual([]);
    expect(planDown(running, down({ volumes: true })).warnings).toEqual([]);
  });

  test('down -v must never remove an external volume or network, even one carrying the project label (P3)', () => {
    const state = {
      ...running,
      networks: [...running.networks, foreignNetwork('shared', { [LABEL.project]: 'p' })],
      volumes: [foreignVolume('ext', { [LABEL.project]: 'p', [LABEL.volume]: 'ext' })],
    };
    const printed = formatPlan(planDown(state, down({ volumes: true })));
    expect(printed).not.toContain('remove-volume ext');
    expect(printed).not.toContain('remove-network shared');
  });

  describe('a volume with an anonymous-looking (64 hex) name', () => {
    // `docker volume create` without a name makes one; a project can mount it as an external volume.
    const { project: withExternal, hexName, hexMounts } = externalHexVolumeProject();
    const mounted = observe({ containers: [container(withExternal, 'app', { mounts: hexMounts })], volumes: [foreignVolume(hexName)] });
    const removedVolumes = (printed: string): string[] =>
      printed
        .split('\n')
        .filter((line) => line.includes('remove-volume'))
        .map((line) => line.replace(/.*remove-volume ([0-9a-z_]+).*/, '$1'));

    test('down -v must not remove it when the project declares it external (P3)', () => {
      expect(removedVolumes(formatPlan(planDown(mounted, { projectName: 'p', project: withExternal, volumes: true })))).toEqual([
        idFor('volume:/anon'),
      ]);
    });

    test('down -v without a compose file must not remove it when the container records it as a named volume (P3)', () => {
      expect(removedVolumes(formatPlan(planDown(mounted, { projectName: 'p', volumes: true })))).toEqual([idFor('volume:/anon')]);
    });

    test('down -v must not remove it when it is labelled for another project', () => {
      const state = { ...mounted, volumes: [foreignVolume(idFor('volume:/anon'), { [LABEL.project]: 'other', [LABEL.volume]: 'data' })] };
      expect(removedVolumes(formatPlan(planDown(state, { projectName: 'p', project: withExternal, volumes: true })))).toEqual([]);
    });

    test('down -v must leave the mounts of a container that records no config to the engine when there is no compose file', () => {
      const state = observe({
        containers: [
          container(withExternal, 'app', {
            mounts: [anonymousMount('/anon')],
            labels: { 'io.tscompose.applied-config': undefined, [LABEL.configHash]: 'compose-hash' },
          }),
        ],
      });
      const printed = formatPlan(planDown(state, { projectName: 'p', volumes: true }));
      expect(printed).toContain('remove-container p-app-1 with anonymous volumes');
      expect(removedVolumes(printed)).toEqual([]);
    });
  });

  test('a network the project does not own must never be removed', () => {
    const state = { ...running, networks: [foreignNetwork('p_default')] };
    expect(formatPlan(planDown(state, down()))).not.toContain('remove-network');
  });

  test('down without a compose file must remove everything labelled, ordered by the depends_on labels (P11)', () => {
    expect(formatPlan(planDown(running, { projectName: 'p', volumes: true }))).toBe(
      text(
        '[] -> #1 service:web:1, stop-container p-web-1, down',
        '[1] -> #2 service:web:1, remove-container p-web-1 with anonymous volumes, down',
        '[1] -> #3 service:db:1, stop-container p-db-1, down',
        '[3] -> #4 service:db:1, remove-container p-db-1 with anonymous volumes, down',
        '[2,4] -> #5 network:back, remove-network p_back, down (best effort)',
        '[2,4] -> #6 network:default, remove-network p_default, down (best effort)',
        '[2,4] -> #7 volume:data, remove-volume p_data, down -v (best effort)',
        `[4] -> #8 volume:${idFor('volume:db-anon')}, remove-volume ${idFor('volume:db-anon')}, anonymous volume of a removed container (best effort)`,
      ),
    );
  });

  test('stopped containers must be removed without a stop, with their service timeout for running ones', () => {
    const graceful = makeProject('p', { web: { stop_grace_period: 30_000_000_000 }, job: {} });
    const state = observe({ containers: [container(graceful, 'web'), container(graceful, 'job', { state: 'exited' })] });
    expect(formatPlan(planDown(state, { projectName: 'p', project: graceful }))).toBe(
      text(
        '[] -> #1 service:job:1, remove-container p-job-1, down',
        '[] -> #2 service:web:1, stop-container p-web-1 timeout 30s, down',
        '[2] -> #3 service:web:1, remove-container p-web-1, down',
      ),
    );
  });

  test('orphans must be warned about and kept, unless --remove-orphans', () => {
    const orphan = containerOf(project, { name: 'old', image: 'busybox' }, { state: 'exited' });
    const state = observe({ containers: [orphan] });
    const kept = planDown(state, down());
    expect(formatPlan(kept)).toBe('');
    expect(kept.warnings[0]).toMatch(/^Found orphan containers \(\[p-old-1\]\)/);
    expect(formatPlan(planDown(state, down({ removeOrphans: true })))).toBe('[] -> #1 orphan:p-old-1, remove-container p-old-1, orphan');
  });

  test('containers of a disabled profile must be removed with the project', () => {
    const profiled = makeProject('p', { web: {} }, { disabledServices: { debug: {} } });
    const state = observe({ containers: [container(profiled, 'debug')] });
    expect(formatPlan(planDown(state, { projectName: 'p', project: profiled }))).toContain('remove-container p-debug-1');
  });

  test('down web must remove only web\'s containers', () => {
    const printed = formatPlan(planDown(running, down({ services: ['web'] })));
    expect(printed).toContain('remove-container p-web-1');
    expect(printed).not.toContain('p-db-1');
  });

  test('a second down must find nothing and say so (P11)', () => {
    expect(planDown(observe(), down())).toEqual({ nodes: [], warnings: ['No resource found to remove for project "p".'] });
  });

  test('resources of another project must never be planned (P6)', () => {
    const other = makeProject('p1', { web: {} });
    const state = observe({ containers: [container(other, 'web')], networks: [ownNetwork(other, 'default')] });
    expect(planDown(state, down({ volumes: true, removeOrphans: true })).nodes).toEqual([]);
  });

  test('a container with the project labels but no config hash must never be removed, orphan or not (P6)', () => {
    const handmade = container(project, 'web', { name: 'byhand', labels: { [LABEL.configHash]: undefined } });
    const state = observe({ containers: [handmade] });
    expect(planDown(state, down({ volumes: true, removeOrphans: true })).nodes).toEqual([]);
  });

  test('down of an unknown service must be an error', () => {
    expect(() => planDown(running, down({ services: ['nope'] }))).toThrow(new ReconcileError(['no such service: nope']));
  });
});
