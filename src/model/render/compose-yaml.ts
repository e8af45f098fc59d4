/** `config --format yaml`: the Compose document written the way Compose (Go's yaml.v3) writes it. */
import type { Project } from '../types.js';
import { composeDocument } from './compose-document.js';
import { emitGoYaml } from './go-yaml-emitter.js';

export function toComposeYaml(project: Project): string {
  return escapeDollars(emitGoYaml(composeDocument(project, 'yaml')));
}

/** Compose re-escapes every `$` of its output as `$$`, so the text reads back unchanged. */
export function escapeDollars(text: string): string {
  return text.replaceAll('$', '$$$$');
}
