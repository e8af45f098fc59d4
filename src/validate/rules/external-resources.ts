/**
 * An external resource exists already: tscompose never creates it, so settings that only matter
 * when creating it are contradictions (`volumes.v: conflicting parameters "external" and "driver"
 * specified`). Compose checks this for volumes; we check networks, secrets and configs too.
 */
import type { Finding } from '../finding.js';
import { isMapping, isTrue, section, type Rule, type RuleInput } from '../rule.js';

const CREATION_SETTINGS: Readonly<Record<string, readonly string[]>> = {
  volumes: ['driver', 'driver_opts', 'labels'],
  networks: ['driver', 'driver_opts', 'ipam'],
  secrets: ['file', 'environment', 'driver', 'driver_opts', 'template_driver'],
  configs: ['file', 'environment', 'content', 'template_driver'],
};

function* check(input: RuleInput): Iterable<Finding> {
  for (const [kind, settings] of Object.entries(CREATION_SETTINGS)) {
    for (const [name, definition] of Object.entries(section(input.tree, kind))) {
      if (!isMapping(definition)) continue;
      // the legacy `external: {name: x}` form means external too
      const external = isMapping(definition.external) || isTrue(definition.external);
      if (!external) continue;
      for (const setting of settings) {
        if (definition[setting] === undefined) continue;
        yield {
          path: [kind, name, setting],
          at: 'key',
          message: `${kind}.${name}: conflicting parameters "external" and "${setting}" specified`,
          hint: `an external ${kind.slice(0, -1)} already exists and is never created: remove \`${setting}\`, or remove \`external\``,
        };
      }
    }
  }
}

export const externalResources: Rule = { name: 'external-resources', check };
