/**
 * Networks, named volumes, secrets, configs and models used by an enabled service must be
 * declared at the top level. The network `default` is implicit.
 */
import { didYouMean } from '../did-you-mean.js';
import type { Finding } from '../finding.js';
import { enabledServices, isMapping, section, type Rule, type RuleInput } from '../rule.js';
import {
  fileReferences,
  modelReferences,
  networkReferences,
  volumeReferences,
  type Reference,
} from '../service-references.js';

function* undefinedOnes(
  service: string,
  kind: 'network' | 'volume' | 'secret' | 'config' | 'model',
  references: readonly Reference[],
  declared: ReadonlySet<string>,
): Iterable<Finding> {
  for (const reference of references) {
    if (declared.has(reference.name)) continue;
    yield {
      path: reference.path,
      at: reference.at,
      message: `service "${service}" refers to undefined ${kind} ${reference.name}`,
      hint: didYouMean(reference.name, [...declared]) ?? `declare it under the top-level \`${kind}s:\``,
    };
  }
}

function* check(input: RuleInput): Iterable<Finding> {
  const declared = (kind: string): Set<string> => new Set(Object.keys(section(input.tree, kind)));
  const networks = declared('networks').add('default');
  const volumes = declared('volumes');
  const secrets = declared('secrets');
  const configs = declared('configs');
  const models = declared('models');
  for (const [name, service] of enabledServices(input)) {
    const base = ['services', name];
    yield* undefinedOnes(name, 'network', networkReferences(name, service), networks);
    yield* undefinedOnes(name, 'volume', volumeReferences(name, service), volumes);
    yield* undefinedOnes(name, 'secret', fileReferences(base, service, 'secrets'), secrets);
    yield* undefinedOnes(name, 'config', fileReferences(base, service, 'configs'), configs);
    yield* undefinedOnes(name, 'model', modelReferences(name, service), models);
    if (isMapping(service.build)) {
      yield* undefinedOnes(name, 'secret', fileReferences([...base, 'build'], service.build, 'secrets'), secrets);
    }
  }
}

export const undefinedResources: Rule = { name: 'undefined-resources', check };
