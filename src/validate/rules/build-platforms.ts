/**
 * A service built for a list of platforms must run on one of them: when both `platform` and a
 * non-empty `build.platforms` are set, the list must include the platform (Compose 2.26 refuses
 * the file with the same words).
 */
import type { Finding } from '../finding.js';
import { enabledServices, isMapping, type Rule, type RuleInput } from '../rule.js';

function* check(input: RuleInput): Iterable<Finding> {
  for (const [name, service] of enabledServices(input)) {
    const { platform, build } = service;
    if (typeof platform !== 'string' || platform === '' || !isMapping(build)) continue;
    const platforms = build.platforms;
    if (!Array.isArray(platforms) || platforms.length === 0 || platforms.includes(platform)) continue;
    yield {
      path: ['services', name, 'build', 'platforms'],
      message: `service.build.platforms MUST include service.platform "${platform}"`,
      hint: `add "${platform}" to build.platforms, or change platform: to one of them`,
    };
  }
}

export const buildPlatforms: Rule = { name: 'build-platforms', check };
