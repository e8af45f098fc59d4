/** `config --format yaml`: the Compose document written the way Compose (Go's yaml.v3) writes it. */
import { Document, isScalar, visit } from 'yaml';
import type { Project } from './types.js';
import { composeDocument } from './compose-document.js';
import { goScalarStyle } from './go-yaml-style.js';

export function toComposeYaml(project: Project): string {
  return escapeDollars(toYamlText(composeDocument(project, 'yaml')));
}

/** Plain data -> YAML text with yaml.v3's layout: 2-space indent, indented sequences, no folding. */
export function toYamlText(data: unknown): string {
  const document = new Document(data, { keepSourceTokens: false });
  visit(document, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && typeof pair.key.value === 'string') {
        pair.key.type = goScalarStyle(pair.key.value, true);
      }
    },
    Scalar(_key, node) {
      if (typeof node.value === 'string' && node.type === undefined) node.type = goScalarStyle(node.value);
    },
  });
  // Go's double-quoted style escapes like JSON for everything Compose prints (no folding, \n, \t).
  return document.toString({
    indent: 2,
    indentSeq: true,
    lineWidth: 0,
    minContentWidth: 0,
    nullStr: 'null',
    doubleQuotedAsJSON: true,
  });
}

/** Compose re-escapes every `$` of its output as `$$`, so the text reads back unchanged. */
export function escapeDollars(text: string): string {
  return text.replaceAll('$', '$$$$');
}
