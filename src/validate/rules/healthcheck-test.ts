/** A healthcheck test in list form starts with NONE, CMD or CMD-SHELL (a string is a CMD-SHELL). */
import type { Finding } from '../finding.js';
import { isMapping, type Rule, type RuleInput } from '../rule.js';

const KINDS = ['NONE', 'CMD', 'CMD-SHELL'];

function* check(input: RuleInput): Iterable<Finding> {
  for (const [name, service] of input.services) {
    const healthcheck = service.healthcheck;
    if (!isMapping(healthcheck) || !Array.isArray(healthcheck.test) || healthcheck.test.length === 0) continue;
    const first = healthcheck.test[0];
    if (typeof first === 'string' && KINDS.includes(first)) {
      if (first !== 'NONE' && healthcheck.test.length === 1) {
        yield {
          path: ['services', name, 'healthcheck', 'test'],
          message: `healthcheck.test ${first} needs a command after it`,
          hint: `e.g. ["${first}", ${first === 'CMD' ? '"curl", "-f", "http://localhost"' : '"curl -f http://localhost || exit 1"'}]`,
        };
      }
      continue;
    }
    yield {
      path: ['services', name, 'healthcheck', 'test', 0],
      message: 'healthcheck.test must start either by "CMD", "CMD-SHELL" or "NONE"',
      hint: `write ["CMD", ${JSON.stringify(String(first))}, ...] to run a program, or a plain string to run it in a shell`,
    };
  }
}

export const healthcheckTest: Rule = { name: 'healthcheck-test', check };
