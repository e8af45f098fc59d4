/**
 * The loader's tree is plain JSON-like data (objects, arrays, scalars) so every stage can use
 * ordinary code on it. Source positions ride along on each object and array under a
 * non-enumerable symbol: spreads and JSON never copy them, so a position is either right or
 * absent, never stale. Code that builds a new container from old ones (merge, extends, include)
 * copies positions explicitly with the helpers below.
 */
import { isAbsolute, relative } from 'node:path';
import type { SourceLocation } from '../errors.js';

/** A step in a path through the tree: a mapping key or a sequence index. */
export type PathSegment = string | number;

interface Positions {
  /** Where the container itself starts. */
  self?: SourceLocation;
  /**
   * For a mapping that Compose would have merged into a `KEY=VALUE` sequence (two files both set
   * `labels`, say): its keys in the order of that sequence (`config --no-interpolate` prints it).
   */
  sequenceOrder?: readonly string[];
  /** Where each mapping key is written (sequences have none). */
  readonly keys: Map<PathSegment, SourceLocation>;
  /** Where each entry's value is written. */
  readonly values: Map<PathSegment, SourceLocation>;
}

/**
 * Positions as the fast YAML reader records them: plain numbers (see packPosition), in the order
 * of the entries, turned into a Positions the first time anything asks. Most containers of a large
 * file are never asked (positions serve error messages and warnings), and one object with number
 * arrays per container is a fraction of the work and garbage of two maps and two locations per entry.
 */
export class RecordedPositions {
  /** Mapping keys in the order recorded; empty for a sequence (its entries are 0, 1, ...). */
  readonly names: string[] = [];
  /** Where each mapping key is written (sequences record none). */
  readonly keys: number[] = [];
  /** Where each entry's value is written. */
  readonly values: number[] = [];

  constructor(
    readonly file: string,
    readonly self: number,
  ) {}
}

/** The most columns a packed position holds; the YAML reader leaves longer lines to the full parser. */
export const PACKED_COLUMNS = 2 ** 21;

/** A line and column as one number (line * PACKED_COLUMNS + col), for RecordedPositions. */
export function packPosition(line: number, col: number): number {
  return line * PACKED_COLUMNS + col;
}

function unpack(file: string, packed: number): SourceLocation {
  const col = packed % PACKED_COLUMNS;
  return { file, line: (packed - col) / PACKED_COLUMNS, col };
}

function materialise(recorded: RecordedPositions): Positions {
  const { file, names, keys, values } = recorded;
  const positions: Positions = { self: unpack(file, recorded.self), keys: new Map(), values: new Map() };
  if (names.length > 0) {
    for (let i = 0; i < names.length; i++) {
      positions.keys.set(names[i], unpack(file, keys[i]));
      positions.values.set(names[i], unpack(file, values[i]));
    }
  } else {
    for (let i = 0; i < values.length; i++) positions.values.set(i, unpack(file, values[i]));
  }
  return positions;
}

const POSITIONS = Symbol('tscompose.positions');

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

/** Attaches recorded positions to a container the YAML reader built. */
export function recordPositions(container: Container, recorded: RecordedPositions): void {
  Object.defineProperty(container, POSITIONS, { value: recorded, enumerable: false, writable: true });
}

function positionsOf(container: Container, create: true): Positions;
function positionsOf(container: Container, create?: false): Positions | undefined;
function positionsOf(container: Container, create = false): Positions | undefined {
  const existing = (container as { [POSITIONS]?: Positions | RecordedPositions })[POSITIONS];
  if (existing instanceof RecordedPositions) {
    const positions = materialise(existing);
    (container as { [POSITIONS]?: Positions })[POSITIONS] = positions;
    return positions;
  }
  if (existing || !create) return existing;
  const positions: Positions = { keys: new Map(), values: new Map() };
  Object.defineProperty(container, POSITIONS, { value: positions, enumerable: false, writable: true });
  return positions;
}

/** Records where a container starts. */
export function setSelfLocation(container: Container, location: SourceLocation | undefined): void {
  if (location) positionsOf(container, true).self = location;
}

/** Records where the key and the value of one entry are written. */
export function setEntryLocation(
  container: Container,
  key: PathSegment,
  location: { key?: SourceLocation; value?: SourceLocation },
): void {
  const positions = positionsOf(container, true);
  if (location.key) positions.keys.set(key, location.key);
  if (location.value) positions.values.set(key, location.value);
}

/** Records the order of the `KEY=VALUE` sequence Compose would have made of a merged mapping. */
export function setMergedSequenceOrder(mapping: Record<string, unknown>, keys: readonly string[]): void {
  positionsOf(mapping, true).sequenceOrder = keys;
}

/** The order recorded by setMergedSequenceOrder, when the mapping came from such a merge. */
export function mergedSequenceOrder(value: unknown): readonly string[] | undefined {
  return isContainer(value) && !Array.isArray(value) ? positionsOf(value)?.sequenceOrder : undefined;
}

/** Where a container starts, if known. */
export function selfLocation(container: unknown): SourceLocation | undefined {
  return isContainer(container) ? positionsOf(container)?.self : undefined;
}

/** Where one entry's key (for mappings) or value is written, if known. */
export function entryLocation(
  container: unknown,
  key: PathSegment,
  which: 'key' | 'value' = 'value',
): SourceLocation | undefined {
  if (!isContainer(container)) return undefined;
  const positions = positionsOf(container);
  if (!positions) return undefined;
  return which === 'key' ? (positions.keys.get(key) ?? positions.values.get(key)) : (positions.values.get(key) ?? positions.keys.get(key));
}

/** Copies the positions of `from[fromKey]` to `to[toKey]` (used when merge moves an entry). */
export function copyEntryLocation(from: unknown, fromKey: PathSegment, to: Container, toKey: PathSegment = fromKey): void {
  if (!isContainer(from)) return;
  const positions = positionsOf(from);
  if (!positions) return;
  setEntryLocation(to, toKey, { key: positions.keys.get(fromKey), value: positions.values.get(fromKey) });
}

/** Copies a container's own start position to another container. */
export function copySelfLocation(from: unknown, to: Container): void {
  setSelfLocation(to, selfLocation(from));
}

/**
 * The best known position for `path`: the entry itself when recorded, otherwise the nearest
 * ancestor that is. `which: 'key'` points at the key of the last segment (for "unknown key").
 */
export function locate(root: unknown, path: readonly PathSegment[], which: 'key' | 'value' = 'value'): SourceLocation | undefined {
  let best = selfLocation(root);
  let node: unknown = root;
  for (let i = 0; i < path.length; i++) {
    if (!isContainer(node)) break;
    const segment = path[i];
    const last = i === path.length - 1;
    const here = entryLocation(node, segment, last ? which : 'value');
    if (here) best = here;
    node = (node as Record<PathSegment, unknown>)[segment];
  }
  return best;
}

/** Formats a path as Compose does in messages: `services.web.ports[0]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/**
 * A deep copy of a located tree, positions included. Used where one definition is reused
 * (extends: a base service merged into several services), since merging mutates containers.
 */
export function cloneLocated<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  const source = value as unknown as Container;
  const copy: Container = Array.isArray(source) ? source.map((item) => cloneLocated(item)) : {};
  if (!Array.isArray(source)) {
    for (const key of Object.keys(source)) (copy as Record<string, unknown>)[key] = cloneLocated(source[key]);
  }
  const positions = positionsOf(source);
  if (positions) {
    const target = positionsOf(copy, true);
    target.self = positions.self;
    target.sequenceOrder = positions.sequenceOrder;
    for (const [key, location] of positions.keys) target.keys.set(key, location);
    for (const [key, location] of positions.values) target.values.set(key, location);
  }
  return copy as unknown as T;
}

/** A file name as the user typed it: relative to `cwd` when it lies below it, absolute otherwise. */
export function displayFile(file: string, cwd: string | undefined): string {
  if (cwd === undefined || !isAbsolute(file)) return file;
  const shown = relative(cwd, file);
  return shown === '' || shown.startsWith('..') || isAbsolute(shown) ? file : shown;
}

/** `file:line:col`, the prefix of a message about a place in a file. */
export function formatLocation(location: SourceLocation, cwd: string | undefined): string {
  return `${displayFile(location.file, cwd)}:${location.line}:${location.col}`;
}

/** A one-line message about a place: `compose.yaml:1:7: message` (the message alone when the place is unknown). */
export function locatedMessage(location: SourceLocation | undefined, message: string, cwd: string | undefined): string {
  return location ? `${formatLocation(location, cwd)}: ${message}` : message;
}
