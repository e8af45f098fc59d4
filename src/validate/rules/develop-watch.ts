/**
 * Watch rules that copy files need to know where to (`target`), and `sync+exec` needs the command
 * to run. `rebuild` and `restart` use neither.
 */
import type { Finding } from '../finding.js';
import { isMapping, type Rule, type RuleInput } from '../rule.js';

const SYNCING = ['sync', 'sync+restart', 'sync+exec'];

function* check(input: RuleInput): Iterable<Finding> {
  for (const [name, service] of input.services) {
    const develop = service.develop;
    if (!isMapping(develop) || !Array.isArray(develop.watch)) continue;
    for (let index = 0; index < develop.watch.length; index++) {
      const rule = develop.watch[index];
      if (!isMapping(rule) || typeof rule.action !== 'string') continue;
      const path = ['services', name, 'develop', 'watch', index];
      if (SYNCING.includes(rule.action) && (typeof rule.target !== 'string' || rule.target === '')) {
        yield {
          path,
          message: 'target is required for non-rebuild actions',
          hint: `add \`target: /path/in/container\` where "${rule.action}" copies the files to`,
        };
      }
      if (rule.action === 'sync+exec' && rule.exec === undefined) {
        yield { path, message: 'exec is required for sync+exec', hint: 'add `exec: {command: ...}` to run after each sync' };
      }
    }
  }
}

export const developWatch: Rule = { name: 'develop-watch', check };
