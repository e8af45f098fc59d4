/**
 * Stack unit tests start from an inline compose file, modelled as the loader would give it, with
 * the stack name as the project name (as `stack deploy` loads it).
 */
import { desiredStack, type DesiredStack } from '../../../src/model/stack/desired-stack.js';
import type { ImageChoice } from '../../../src/model/stack/service-spec.js';
import type { Project } from '../../../src/model/types.js';
import { projectFrom } from '../model/support.js';

export const STACK = 'demo';

export function stackProject(yaml: string): Project {
  return projectFrom(yaml, { name: STACK });
}

export function stackFrom(
  yaml: string,
  contents: { secrets?: Record<string, string>; configs?: Record<string, string> } = {},
  images?: Record<string, ImageChoice>,
): DesiredStack {
  return desiredStack({
    stack: STACK,
    project: stackProject(yaml),
    contents: { secrets: contents.secrets ?? {}, configs: contents.configs ?? {} },
    ...(images ? { images } : {}),
  });
}

export function base64(text: string): string {
  return Buffer.from(text).toString('base64');
}

export function lines(...text: string[]): string {
  return text.join('\n');
}
