/**
 * What the schema check and the rules report before positions are attached: the path of the
 * offending node, a plain message, and what to do about it.
 */
import type { PathSegment } from '../load/located.js';

export interface Finding {
  readonly path: readonly PathSegment[];
  readonly message: string;
  readonly hint?: string;
  /** Point at the mapping key instead of its value (unknown or misplaced keys). */
  readonly at?: 'key' | 'value';
}

/** The value at `path`, or undefined when the path does not exist. */
export function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let node = root;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PathSegment, unknown>)[segment];
  }
  return node;
}
