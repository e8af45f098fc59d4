/**
 * Dependencies must not form a cycle; each cycle is reported once with its whole path
 * (`a -> b -> c -> a`), at the entry that closes it in the first service of the cycle. Edges
 * come from depends_on and from the attributes that imply a dependency (links, network_mode,
 * ipc, pid, volumes_from), between enabled services.
 */
import type { Finding } from '../finding.js';
import { enabledServices, type Rule, type RuleInput } from '../rule.js';
import { serviceDependencies, type ServiceDependency } from '../service-references.js';

function* check(input: RuleInput): Iterable<Finding> {
  const edges = new Map<string, ServiceDependency[]>();
  for (const [name, service] of enabledServices(input)) {
    edges.set(
      name,
      serviceDependencies(name, service).filter((dependency) => input.enabled.has(dependency.name)),
    );
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const seen = new Set<string>();
  const findings: Finding[] = [];

  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const edge of edges.get(name) ?? []) {
      const target = edge.name;
      if (state.get(target) === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(target)), target];
        // The same cycle reached from another start is one cycle: key it by its rotation that
        // starts at the smallest name.
        const ring = cycle.slice(0, -1);
        const start = ring.indexOf([...ring].sort()[0]);
        const key = [...ring.slice(start), ...ring.slice(0, start)].join(' -> ');
        if (!seen.has(key)) {
          seen.add(key);
          const first = cycle[0];
          const closing = (edges.get(first) ?? []).find((candidate) => candidate.name === cycle[1]) ?? edge;
          findings.push({
            path: closing.path,
            at: closing.at,
            message: `dependency cycle detected: ${cycle.join(' -> ')}`,
            hint: 'remove one of these dependencies (or mark it `required: false` and drop it from depends_on)',
          });
        }
      } else if (state.get(target) === undefined && edges.has(target)) {
        visit(target);
      }
    }
    stack.pop();
    state.set(name, 'done');
  };

  for (const name of edges.keys()) if (!state.has(name)) visit(name);
  yield* findings;
}

export const dependencyCycles: Rule = { name: 'dependency-cycles', check };
