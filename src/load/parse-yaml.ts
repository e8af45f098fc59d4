/**
 * YAML text -> located plain trees, one per document. We walk yaml's AST ourselves instead of
 * calling toJS() so that (1) every mapping entry and sequence item records its file:line:col,
 * (2) alias expansion is counted against a budget (a 500-byte alias bomb must fail fast), and
 * (3) Compose's `!reset` / `!override` tags and `<<` merge keys keep their meaning.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Document, Node as YamlNode, Scalar } from 'yaml';
import type { Problem, SourceLocation } from '../errors.js';
import { parseSimpleYaml } from './fast-yaml.js';
import { resolveGoScalar } from './go-scalars.js';
import { copyEntryLocation, formatPath, setEntryLocation, setSelfLocation, type PathSegment } from './located.js';

let yamlPackage: typeof Yaml | undefined;

/**
 * The `yaml` package, loaded when the first file needs the full path: most runs never do, and
 * loading it costs about as much as parsing a large file on the fast path.
 */
function yaml(): typeof Yaml {
  return (yamlPackage ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
}

/** Limits that keep hostile input from exhausting CPU or memory. */
export interface YamlBudgets {
  /** Largest accepted file, in bytes. */
  readonly maxFileBytes: number;
  /** Deepest accepted nesting of mappings and sequences. */
  readonly maxDepth: number;
  /** Most nodes that alias expansion may materialise across one file. */
  readonly maxAliasNodes: number;
}

export const DEFAULT_YAML_BUDGETS: YamlBudgets = {
  maxFileBytes: 10 * 1024 * 1024,
  maxDepth: 500,
  maxAliasNodes: 100_000,
};

/** Value of a key tagged `!reset`: the merge removes the key. */
export const RESET: unique symbol = Symbol('tscompose.reset');

/** Whether this process has read a `!reset` tag; until then no tree can hold RESET. */
let resetRead = false;

/** False while no tree can hold RESET: the merge then need not look for it. */
export function mayHoldResets(): boolean {
  return resetRead;
}

function reset(): typeof RESET {
  resetRead = true;
  return RESET;
}
const OVERRIDE = Symbol('tscompose.override');

/** True when a mapping or sequence was tagged `!override` (replace instead of merge). */
export function isOverride(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { [OVERRIDE]?: boolean })[OVERRIDE] === true;
}

/** Marks a container as tagged `!override`. */
export function markOverride(value: object): void {
  Object.defineProperty(value, OVERRIDE, { value: true, enumerable: false });
}

export interface ParsedYaml {
  /** One located plain tree per YAML document (an empty document gives `null`). */
  readonly documents: unknown[];
  /** Syntax errors and budget violations; when non-empty, `documents` must not be used. */
  readonly problems: Problem[];
}

/** Parses a whole file; never throws for bad input, reports problems instead. */
export function parseYaml(text: string, file: string, budgets: YamlBudgets = DEFAULT_YAML_BUDGETS): ParsedYaml {
  if (Buffer.byteLength(text) > budgets.maxFileBytes) {
    return {
      documents: [],
      problems: [
        {
          path: '',
          location: { file, line: 1, col: 1 },
          message: `file is larger than ${budgets.maxFileBytes} bytes`,
          hint: 'set TSCOMPOSE_MAX_FILE_SIZE (bytes) to raise the limit if this file is legitimate',
        },
      ],
    };
  }
  const tooDeep = flowDepthExceeded(text, budgets.maxDepth);
  if (tooDeep >= 0) {
    const before = text.slice(0, tooDeep);
    const line = before.split('\n').length;
    return {
      documents: [],
      problems: [
        {
          path: '',
          location: { file, line, col: tooDeep - before.lastIndexOf('\n') },
          message: `nesting is deeper than ${budgets.maxDepth} levels`,
          hint: 'flatten the structure',
        },
      ],
    };
  }
  // Most compose files take the fast path; whatever it does not handle is parsed in full below.
  const simple = parseSimpleYaml(text, file);
  if (simple !== undefined) return { documents: [simple], problems: [] };
  return parseYamlFully(text, file, budgets);
}

/** The full path: the `yaml` package's parser and composer, then a walk that builds the located tree. */
export function parseYamlFully(text: string, file: string, budgets: YamlBudgets = DEFAULT_YAML_BUDGETS): ParsedYaml {
  const lineCounter = new (yaml().LineCounter)();
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  const composer = new (yaml().Composer)({ merge: true, uniqueKeys: true, prettyErrors: false });
  const docs: Document.Parsed[] = [];
  for (const doc of composer.compose(new (yaml().Parser)(lineCounter.addNewLine).parse(text), true, text.length)) docs.push(doc);

  const problems: Problem[] = [];
  for (const doc of docs) {
    for (const error of doc.errors) {
      const message = error.code === 'DUPLICATE_KEY' ? duplicateKeyMessage(doc, error.pos[0], at) : undefined;
      problems.push({ path: '', location: at(error.pos[0]), message: message ?? yamlMessage(error.message) });
    }
  }
  if (problems.length > 0) return { documents: [], problems };

  const documents: unknown[] = [];
  for (const doc of docs) {
    const converter = new Converter(doc, at, budgets);
    try {
      documents.push(converter.convert(doc.contents, 0, false));
    } catch (error) {
      if (!(error instanceof BudgetExceeded)) throw error;
      problems.push({ path: '', location: error.location, message: error.message, hint: error.hint });
      return { documents: [], problems };
    }
    problems.push(...converter.problems);
  }
  return problems.length > 0 ? { documents: [], problems } : { documents, problems };
}

/**
 * The offset where flow collections (`[`, `{`) nest deeper than `maxDepth`, or -1. yaml's parser
 * recurses per level and overflows the stack long before our own depth check could run, so this
 * linear pre-scan rejects `[[[[...` early. Quoted scalars and comments are skipped; block nesting
 * needs indentation, which the file size budget already bounds.
 */
export function flowDepthExceeded(text: string, maxDepth: number): number {
  // Jumps from one character that matters to the next with regular expressions, which run as
  // machine code from the start, where a loop over every character runs in V8's interpreter.
  const special = /[[\]{}"'#]/g;
  const doubleQuotedRest = /(?:[^"\\]|\\[^])*(?:"|$)/y;
  const n = text.length;
  let depth = 0;
  for (let match = special.exec(text); match !== null; match = special.exec(text)) {
    const i = match.index;
    const c = text.charCodeAt(i);
    if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > maxDepth) return i;
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      if (depth > 0) depth--;
    } else if (c === 34 /* " */) {
      // To the closing quote; a backslash escapes the character after it.
      doubleQuotedRest.lastIndex = i + 1;
      special.lastIndex = doubleQuotedRest.test(text) ? doubleQuotedRest.lastIndex : n;
    } else if (c === 39 /* ' */) {
      // A quote inside a plain scalar (`it's`) is not a string start; only after an indicator.
      const prev = i > 0 ? text.charCodeAt(i - 1) : 10;
      if (prev === 32 || prev === 10 || prev === 9 || prev === 91 || prev === 123 || prev === 44 || prev === 58) {
        const close = text.indexOf("'", i + 1);
        special.lastIndex = close < 0 ? n : close + 1;
      }
    } else {
      // `#`: a comment when it follows a blank, to the end of the line.
      const prev = i > 0 ? text.charCodeAt(i - 1) : 10;
      if (prev === 32 || prev === 10 || prev === 9) {
        const lineEnd = text.indexOf('\n', i);
        special.lastIndex = lineEnd < 0 ? n : lineEnd + 1;
      }
    }
  }
  return -1;
}

class BudgetExceeded extends Error {
  constructor(
    message: string,
    readonly location: SourceLocation,
    readonly hint: string,
  ) {
    super(message);
  }
}

/**
 * Compose's wording for a repeated key (`mapping key "a" already defined at line 2`): yaml only
 * says "Map keys must be unique", and the line of the first definition is what the user needs.
 */
function duplicateKeyMessage(doc: Document.Parsed, offset: number, at: (offset: number) => SourceLocation): string | undefined {
  let message: string | undefined;
  yaml().visit(doc, {
    Map(_, map) {
      const index = map.items.findIndex((pair) => (pair.key as YamlNode | null)?.range?.[0] === offset);
      if (index < 0) return undefined;
      const key = map.items[index].key;
      const name = yaml().isScalar(key) ? String(key.value) : String(key);
      const first = map.items.slice(0, index).find((pair) => (yaml().isScalar(pair.key) ? String(pair.key.value) : String(pair.key)) === name);
      const firstRange = (first?.key as YamlNode | null)?.range;
      if (firstRange) message = `mapping key ${JSON.stringify(name)} already defined at line ${at(firstRange[0]).line}`;
      return yaml().visit.BREAK;
    },
  });
  return message;
}

/** yaml's messages end with "at line N, column M" and a caret excerpt; we print our own. */
function yamlMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}

class Converter {
  /** Values Compose cannot read (a non-string key, a bad merge): reported together after the walk. */
  readonly problems: Problem[] = [];
  private aliasNodes = 0;
  /** The path of the node being converted, for messages. */
  private readonly path: PathSegment[] = [];
  /** The alias written in the file whose expansion is under way: where a blown budget points. */
  private expanding: unknown;
  /**
   * Anchors seen so far, in document order (the conversion walks the document in order, so an
   * alias finds the latest definition before it, as YAML says). yaml's Alias.resolve() walks the
   * whole document on every call, which made a file with an alias per service quadratic.
   */
  private readonly anchors = new Map<string, unknown>();

  constructor(
    private readonly doc: Document.Parsed,
    private readonly at: (offset: number) => SourceLocation,
    private readonly budgets: YamlBudgets,
  ) {}

  convert(node: unknown, depth: number, viaAlias: boolean): unknown {
    if (node === null || node === undefined) return null;
    if (viaAlias && ++this.aliasNodes > this.budgets.maxAliasNodes) {
      throw new BudgetExceeded(
        `alias expansion exceeds ${this.budgets.maxAliasNodes} nodes`,
        this.locationOf(this.expanding ?? node),
        'the file expands aliases exponentially (an "alias bomb"); write the values out or use fewer nested aliases',
      );
    }
    if (depth > this.budgets.maxDepth) {
      throw new BudgetExceeded(
        `nesting is deeper than ${this.budgets.maxDepth} levels`,
        this.locationOf(node),
        'flatten the structure',
      );
    }
    if (yaml().isAlias(node)) return this.expand(node, depth);
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) this.anchors.set(anchor, node);
    if (yaml().isScalar(node)) return this.scalar(node);
    const tag = (node as YamlNode).tag;
    let result: unknown;
    if (yaml().isMap(node)) {
      const out: Record<string, unknown> = {};
      setSelfLocation(out, this.locationOf(node));
      for (const pair of node.items) {
        if (!yaml().isPair(pair)) continue;
        const keyNode = pair.key;
        if (yaml().isScalar(keyNode) && typeof keyNode.value === 'symbol') {
          this.mergeInto(out, pair.value, depth, viaAlias);
          continue;
        }
        const key = this.keyString(keyNode, depth, viaAlias);
        this.path.push(key);
        out[key] = this.convert(pair.value, depth + 1, viaAlias);
        this.path.pop();
        setEntryLocation(out, key, {
          key: keyNode ? this.locationOf(keyNode) : undefined,
          value: pair.value ? this.locationOf(pair.value) : this.locationOf(keyNode),
        });
      }
      result = out;
    } else if (yaml().isSeq(node)) {
      const out: unknown[] = [];
      setSelfLocation(out, this.locationOf(node));
      node.items.forEach((item, index) => {
        this.path.push(index);
        out.push(this.convert(item, depth + 1, viaAlias));
        this.path.pop();
        setEntryLocation(out, index, { value: this.locationOf(item) });
      });
      result = out;
    } else {
      result = null;
    }
    if (tag === '!reset') return reset();
    if (tag === '!override' && typeof result === 'object' && result !== null) markOverride(result);
    return result;
  }

  /** Converts what `alias` names, remembering the outermost alias for the budget's position. */
  private expand(alias: Parameters<Converter['resolveAlias']>[0], depth: number): unknown {
    const outer = this.expanding;
    this.expanding ??= alias;
    try {
      return this.convert(this.resolveAlias(alias), depth, true);
    } finally {
      this.expanding = outer;
    }
  }

  private resolveAlias(alias: { source: string; resolve(doc: Document.Parsed): unknown }): unknown {
    // Fallback for an anchor the walk has not met (e.g. defined inside a merge source).
    return this.anchors.get(alias.source) ?? alias.resolve(this.doc);
  }

  private scalar(node: Scalar): unknown {
    if (node.tag === '!reset') return reset();
    const value = this.scalarValue(node);
    if (typeof value === 'number' && !Number.isFinite(value)) {
      this.problems.push({
        path: formatPath(this.path),
        location: this.locationOf(node),
        message: `unsupported value: ${node.source} (Compose cannot represent an infinite or NaN number)`,
        hint: 'quote it if you mean the text',
      });
    }
    return value;
  }

  /** A plain scalar as go-yaml reads it (see go-scalars.ts); other scalars as `yaml` read them. */
  private scalarValue(node: Scalar): unknown {
    if (node.type === 'PLAIN' && node.tag === undefined && typeof node.source === 'string') {
      const go = resolveGoScalar(node.source);
      if (go) return go.value;
    }
    const value = node.value;
    if (typeof value === 'bigint') return Number(value);
    return value ?? null;
  }

  /**
   * A mapping key. Compose accepts only string keys (`1: x`, `true: x`, `2001-12-14: x` fail with
   * "Non-string key in services.s.environment: 1"); they are reported and the walk goes on.
   */
  private keyString(node: unknown, depth: number, viaAlias: boolean): string {
    const value = this.convert(node, depth + 1, viaAlias);
    const text = value === null ? 'null' : typeof value === 'object' ? String(node) : String(value);
    const timestamp = yaml().isScalar(node) && node.type === 'PLAIN' && node.tag === undefined && resolveGoScalar(String(node.source))?.kind === 'timestamp';
    if (typeof value !== 'string' || timestamp) {
      const where = this.path.length === 0 ? 'at top level' : `in ${formatPath(this.path)}`;
      const shown = timestamp ? String((node as Scalar).source) : text;
      this.problems.push({ path: formatPath(this.path), location: this.locationOf(node), message: `Non-string key ${where}: ${shown}` });
    }
    return text;
  }

  /** `<<: *a` or `<<: [*a, *b]`: earlier sources win, and keys already set locally win (shallow). */
  private mergeInto(target: Record<string, unknown>, source: unknown, depth: number, viaAlias: boolean): void {
    const sources = yaml().isSeq(source) ? source.items : [source];
    for (const item of sources) {
      const value = yaml().isAlias(item) ? this.expand(item, depth + 1) : this.convert(item, depth + 1, viaAlias);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        this.problems.push({
          path: formatPath(this.path),
          location: this.locationOf(item ?? source),
          message: 'map merge requires map or sequence of maps as the value',
        });
        continue;
      }
      for (const [key, entry] of Object.entries(value)) {
        if (Object.prototype.hasOwnProperty.call(target, key)) continue;
        target[key] = entry;
        copyEntryLocation(value, key, target);
      }
    }
  }

  private locationOf(node: unknown): SourceLocation {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return this.at(range ? range[0] : 0);
  }
}
