/**
 * Finds the schema that applies at a path of the data. The schema has no oneOf/anyOf (unions are
 * `type` lists), so each path has exactly one subschema: that is what lets an error say which keys
 * were allowed ("did you mean") and what kind of value was expected.
 */
import type { PathSegment } from '../load/located.js';
import { schemaDocument, type SchemaNode } from './compiled-schema.js';

export interface SchemaAtPath {
  readonly node: SchemaNode;
  /** Name of the `$defs` entry the node came from, when it came through a `$ref`. */
  readonly def?: string;
}

const patternCache = new Map<string, RegExp>();

function regex(pattern: string): RegExp {
  let compiled = patternCache.get(pattern);
  if (!compiled) {
    compiled = new RegExp(pattern, 'u');
    patternCache.set(pattern, compiled);
  }
  return compiled;
}

function resolve(node: SchemaNode | boolean | undefined, def?: string): SchemaAtPath | undefined {
  if (node === undefined || node === false) return undefined;
  if (node === true) return { node: {}, def };
  let current: SchemaNode = node;
  let name = def;
  const defs = schemaDocument().$defs ?? {};
  // Follow $ref chains; a sibling `type` next to a $ref only repeats the target's.
  for (let hops = 0; current.$ref && hops < 16; hops++) {
    name = current.$ref.replace('#/$defs/', '');
    current = defs[name];
    if (!current) return undefined;
  }
  return { node: current, def: name };
}

/** The subschema for a mapping key of `node`: properties, then patternProperties, then additionalProperties. */
export function childForKey(node: SchemaNode, key: string): SchemaAtPath | undefined {
  if (node.properties && Object.prototype.hasOwnProperty.call(node.properties, key)) return resolve(node.properties[key]);
  for (const [pattern, child] of Object.entries(node.patternProperties ?? {})) {
    if (regex(pattern).test(key)) return resolve(child);
  }
  return resolve(node.additionalProperties ?? true);
}

/** The subschema at `path`, or undefined when the path leaves the schema. */
export function schemaAt(path: readonly PathSegment[]): SchemaAtPath | undefined {
  let here = resolve(schemaDocument());
  for (const segment of path) {
    if (!here) return undefined;
    here = typeof segment === 'number' ? resolve(here.node.items ?? true) : childForKey(here.node, segment);
  }
  return here;
}

/** The keys a closed mapping allows by name (not the `x-` extensions or pattern keys). */
export function allowedKeys(node: SchemaNode): string[] {
  return Object.keys(node.properties ?? {});
}
