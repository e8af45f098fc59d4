/**
 * An enabled service needs an image to run or a build to make one (provider services need
 * neither). When a key of the service is a misspelling of `image` or `build`, the schema already
 * reports it with "did you mean"; a second problem about the same mistake would only be noise.
 */
import { closestMatch } from '../did-you-mean.js';
import type { Finding } from '../finding.js';
import { enabledServices, type Rule, type RuleInput } from '../rule.js';

const WANTED = ['image', 'build'];

function* check(input: RuleInput): Iterable<Finding> {
  for (const [name, service] of enabledServices(input)) {
    if (service.build !== undefined || service.provider !== undefined) continue;
    // An empty image (`image: ${TAG}` with TAG unset) is no image, as in Compose.
    if (service.image === '') {
      yield {
        path: ['services', name, 'image'],
        message: `service "${name}" has neither an image nor a build context specified`,
        hint: 'the image is empty: set the variable it is made of, or write the image name',
      };
      continue;
    }
    if (service.image !== undefined) continue;
    if (Object.keys(service).some((key) => closestMatch(key, WANTED) !== undefined)) continue;
    yield {
      path: ['services', name],
      at: 'key',
      message: `service "${name}" has neither an image nor a build context specified`,
      hint: 'add `image: <name>` to run an existing image, or `build: <directory>` to build one',
    };
  }
}

export const imageOrBuild: Rule = { name: 'image-or-build', check };
