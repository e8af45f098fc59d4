import type { Dependency, Service } from '../../../src/model/types.js';
import { DependencyCycleError } from '../../../src/plan/errors.js';
import { declaredDependencies, graphFromDependsOnLabels, serviceGraph } from '../../../src/plan/graph.js';

const started: Dependency = { condition: 'service_started', required: true };

function services(definitions: Record<string, Omit<Service, 'name'>>): Record<string, Service> {
  return Object.fromEntries(Object.entries(definitions).map(([name, service]) => [name, { ...service, name }]));
}

describe('service graph', () => {
  const graph = serviceGraph(
    services({
      proxy: { depends_on: { web: started, api: started } },
      web: { depends_on: { db: started } },
      api: { depends_on: { db: started, cache: started } },
      db: {},
      cache: {},
    }),
  );

  test('levels must put dependencies first and group what can start in parallel', () => {
    expect(graph.levels()).toEqual([['cache', 'db'], ['api', 'web'], ['proxy']]);
  });

  test('stop order must be the reverse: dependents first', () => {
    expect(graph.stopOrder()).toEqual(['proxy', 'api', 'web', 'cache', 'db']);
  });

  test('selecting a service must bring its dependencies along, in start order (up web)', () => {
    expect(graph.withDependencies(['web'])).toEqual(['db', 'web']);
    expect(graph.withDependencies(['proxy'])).toEqual(['cache', 'db', 'api', 'web', 'proxy']);
  });

  test('dependents must be found transitively through the edges a filter keeps', () => {
    expect(graph.withDependents(['db'])).toEqual(['db', 'api', 'web', 'proxy']);
    expect(graph.withDependents(['db'], (edge) => edge.service !== 'db')).toEqual(['db']);
  });

  test('a cycle must be reported with its whole path', () => {
    const cyclic = services({ a: { depends_on: { b: started } }, b: { depends_on: { c: started } }, c: { depends_on: { a: started } }, d: {} });
    expect(() => serviceGraph(cyclic)).toThrow('dependency cycle detected: a -> b -> c -> a');
  });

  test('the reported cycle must not depend on the order services were written in', () => {
    const forward = services({ x: { depends_on: { y: started } }, y: { depends_on: { x: started } } });
    const backward = services({ y: { depends_on: { x: started } }, x: { depends_on: { y: started } } });
    const cycleOf = (definitions: Record<string, Service>) => {
      try {
        serviceGraph(definitions);
      } catch (error) {
        return (error as DependencyCycleError).cycle;
      }
      return undefined;
    };
    expect(cycleOf(forward)).toEqual(['x', 'y', 'x']);
    expect(cycleOf(backward)).toEqual(['x', 'y', 'x']);
  });

  test('a service depending on itself must be a cycle', () => {
    expect(() => serviceGraph(services({ a: { network_mode: 'service:a' } }))).toThrow(new DependencyCycleError(['a', 'a']));
  });

  test('network_mode, ipc, pid, volumes_from and links must count as dependencies', () => {
    const edges = declaredDependencies({
      name: 'app',
      network_mode: 'service:vpn',
      ipc: 'service:shm',
      pid: 'service:shm',
      volumes_from: ['data:ro', 'container:legacy'],
      links: ['db:database'],
      depends_on: { db: { condition: 'service_healthy', required: false } },
    });
    expect(edges).toEqual([
      { service: 'data', kinds: ['volumes_from'] },
      { service: 'db', kinds: ['depends_on', 'links'], dependsOn: { condition: 'service_healthy', required: false } },
      { service: 'shm', kinds: ['ipc', 'pid'] },
      { service: 'vpn', kinds: ['network_mode'] },
    ]);
  });

  test('a dependency on a service that is not enabled must be ignored', () => {
    const partial = serviceGraph(services({ web: { depends_on: { debug: { condition: 'service_started', required: false } } } }));
    expect(partial.dependencies('web')).toEqual([]);
  });

  test('without a compose file the order must come from the depends_on labels', () => {
    const fromLabels = graphFromDependsOnLabels(
      new Map([
        ['web', 'db:service_healthy:true'],
        ['db', ''],
      ]),
    );
    expect(fromLabels.stopOrder()).toEqual(['web', 'db']);
    expect(fromLabels.dependencies('web')[0].dependsOn).toEqual({ condition: 'service_healthy', required: true, restart: true });
  });
});
