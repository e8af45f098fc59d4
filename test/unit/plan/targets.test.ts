import type { Dependency, Service } from '../../../src/model/types.js';
import { serviceGraph } from '../../../src/plan/graph.js';
import { targetServices } from '../../../src/plan/targets.js';

const started: Dependency = { condition: 'service_started', required: true };

function services(definitions: Record<string, Omit<Service, 'name'>>): Record<string, Service> {
  return Object.fromEntries(Object.entries(definitions).map(([name, service]) => [name, { ...service, name }]));
}

const graph = serviceGraph(
  services({
    web: { depends_on: { db: started, cache: started } },
    db: {},
    cache: {},
    admin: {},
  }),
);

describe('target services', () => {
  test('no service named must target every service, in start order', () => {
    expect(targetServices(graph, [])).toEqual(['admin', 'cache', 'db', 'web']);
  });

  test('a named service must bring its dependencies, in start order', () => {
    expect(targetServices(graph, ['web'])).toEqual(['cache', 'db', 'web']);
  });

  test('--no-deps must target the named services only, in the order named', () => {
    expect(targetServices(graph, ['web', 'admin'], true)).toEqual(['web', 'admin']);
  });

  test('a name the project does not have must be left out', () => {
    expect(targetServices(graph, ['web', 'ghost'], true)).toEqual(['web']);
    expect(targetServices(graph, ['ghost'])).toEqual([]);
  });
});
