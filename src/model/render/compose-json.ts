/** `config --format json`: the Compose document as Compose's Go JSON encoder writes it. */
import type { Project } from '../types.js';
import { composeDocument } from './compose-document.js';
import { escapeDollars } from './compose-yaml.js';

export function toComposeJson(project: Project): string {
  return escapeDollars(JSON.stringify(composeDocument(project, 'json'), null, 2));
}
