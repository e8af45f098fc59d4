/**
 * The fast path of parse-yaml.ts, for the YAML compose files are nearly always written in: one
 * document of block mappings and sequences, one-line flow collections, one-line plain and quoted
 * scalars, and comments. It builds the same located tree as the full path (the `yaml` package's
 * parser and composer, then parse-yaml.ts's walk), several times faster and with a fraction of
 * the garbage: parsing was most of `config`'s time on a large file.
 *
 * It gives up (returns undefined) on everything else, and then the full path decides: anchors,
 * aliases, tags, merge keys, block scalars, scalars over several lines, several documents,
 * directives, tabs, carriage returns, keys that are not plain strings, duplicate keys, numbers the
 * two YAML readers would disagree on, and anything that would be an error. So it never has to
 * produce a problem, and it never decides a hard case. A unit test holds it to the full path on
 * every YAML file of the repository and on generated variations.
 */
import { resolveGoScalar } from './go-scalars.js';
import { PACKED_COLUMNS, packPosition, RecordedPositions, recordPositions } from './located.js';

/** Thrown inside the fast path when the text leaves the subset it handles. */
class NotSimple {}
const notSimple = new NotSimple();

/** Characters the fast path never reads past: tabs, carriage returns, other controls, a BOM. */
const UNUSUAL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

/** What the `yaml` package's core schema reads as null or a boolean, for plain scalars. */
const CORE_CONSTANTS: ReadonlyMap<string, null | boolean> = new Map<string, null | boolean>([
  ['~', null],
  ['null', null],
  ['Null', null],
  ['NULL', null],
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['false', false],
  ['False', false],
  ['FALSE', false],
]);

/** What the core schema reads as a number; when go-scalars.ts does not claim it too, the full path decides. */
const CORE_NUMBER = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;

/**
 * A plain key up to its colon (the match ends before a `:` followed by a space, a line break or
 * the end): one call of the regular expression engine instead of a loop per character, which
 * is what the reader spends its time on before the code is optimised.
 */
const PLAIN_KEY = /(?:[^:\n]|:(?=[^ \n]))*(?=:(?:[ \n]|$))/y;

/**
 * A plain value on one line: it ends at the line break, before ` #`, or before trailing spaces.
 * Where it stops on a `:` (followed by a space, a line break or the end), the line is a nested
 * mapping.
 */
const PLAIN_VALUE = /(?:[^\n :]|:(?=[^ \n])| +(?=[^ \n#]))*/y;

/** The characters of a quoted scalar up to its end, an escape or the end of the line. */
const DOUBLE_QUOTED_RUN = /[^"\\\n]*/y;
const SINGLE_QUOTED_RUN = /[^'\n]*/y;

/** Deeper nesting goes the full way (which also enforces the depth budget). */
const MAX_DEPTH = 100;
/** The `yaml` package refuses longer implicit keys. */
const MAX_KEY_LENGTH = 1024;

const SPACE = 32;
const NEWLINE = 10;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const COMMA = 44;
const QUOTE = 34;
const APOSTROPHE = 39;
const BACKSLASH = 92;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** The located tree of `text`, or undefined when the text needs the full parser. */
export function parseSimpleYaml(text: string, file: string): unknown {
  if (UNUSUAL.test(text)) return undefined;
  try {
    return new SimpleParser(text, file).document();
  } catch (error) {
    if (error === notSimple) return undefined;
    throw error;
  }
}

function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === OPEN_BRACKET || c === CLOSE_BRACKET || c === OPEN_BRACE || c === CLOSE_BRACE;
}

/** End of a line for scanning purposes: a newline or the end of the text (NaN). */
function isBreakOrEnd(c: number): boolean {
  return c === NEWLINE || Number.isNaN(c);
}

class SimpleParser {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  /** Indentation of the content line the parser stands on; -1 at the end of the text. */
  private indent = -1;
  /** Where the value mapValue or blockNode last read is written. */
  private valueLocation = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  document(): unknown {
    this.nextContent();
    // A document that is not a block mapping at the left margin is not a compose file anyway.
    if (this.indent !== 0 || this.atSequenceItem()) throw notSimple;
    const root = this.blockMap(0, 1);
    if (!this.atEnd()) throw notSimple;
    return root;
  }

  private atEnd(): boolean {
    return this.indent === -1;
  }

  /**
   * Where `offset`, on the current line, is: the position the full path reports for a node there,
   * packed into a number (located.ts turns it into a SourceLocation when one is asked for).
   */
  private location(offset: number): number {
    const col = offset - this.lineStart + 1;
    if (col >= PACKED_COLUMNS) throw notSimple;
    return packPosition(this.line, col);
  }

  /**
   * From the start of a line: skips empty and comment lines, stops on the first character of the
   * next content line and records its indentation (-1 at the end of the text).
   */
  private nextContent(): void {
    const text = this.text;
    for (;;) {
      let i = this.pos;
      while (this.text.charCodeAt(i) === SPACE) i++;
      const c = this.text.charCodeAt(i);
      if (Number.isNaN(c)) {
        this.pos = i;
        this.indent = -1;
        return;
      }
      if (c === NEWLINE || c === HASH) {
        const end = text.indexOf('\n', i);
        if (end < 0) {
          this.pos = text.length;
          this.indent = -1;
          return;
        }
        this.pos = end + 1;
        this.line++;
        this.lineStart = this.pos;
        continue;
      }
      const indent = i - this.pos;
      // Document markers and directives.
      if (indent === 0 && (c === 37 /* % */ || ((text.startsWith('---', i) || text.startsWith('...', i)) && this.isSpaceOrEnd(this.text.charCodeAt(i + 3))))) {
        throw notSimple;
      }
      this.pos = i;
      this.indent = indent;
      return;
    }
  }

  private isSpaceOrEnd(c: number): boolean {
    return c === SPACE || isBreakOrEnd(c);
  }

  /** After a value: only spaces and a comment may remain on the line; moves to the next line. */
  private endLine(): void {
    let i = this.pos;
    while (this.text.charCodeAt(i) === SPACE) i++;
    let c = this.text.charCodeAt(i);
    if (c === HASH) {
      if (i > this.lineStart && this.text.charCodeAt(i - 1) !== SPACE) throw notSimple; // a comment must follow a space
      const end = this.text.indexOf('\n', i);
      i = end < 0 ? this.text.length : end;
      c = this.text.charCodeAt(i);
    }
    if (Number.isNaN(c)) {
      this.pos = i;
      return;
    }
    if (c !== NEWLINE) throw notSimple;
    this.pos = i + 1;
    this.line++;
    this.lineStart = this.pos;
  }

  private skipSpaces(): void {
    while (this.text.charCodeAt(this.pos) === SPACE) this.pos++;
  }

  private atSequenceItem(): boolean {
    return this.text.charCodeAt(this.pos) === DASH && this.isSpaceOrEnd(this.text.charCodeAt(this.pos + 1));
  }

  /** A block mapping whose keys start in column `indent`; the parser stands on its first key. */
  private blockMap(indent: number, depth: number): Record<string, unknown> {
    if (depth > MAX_DEPTH) throw notSimple;
    const map: Record<string, unknown> = {};
    const positions = new RecordedPositions(this.file, this.location(this.pos));
    recordPositions(map, positions);
    for (;;) {
      const keyLocation = this.location(this.pos);
      const key = this.mapKey();
      if (key === '<<' || key === '__proto__' || Object.prototype.hasOwnProperty.call(map, key)) throw notSimple;
      map[key] = this.mapValue(indent, depth);
      positions.names.push(key);
      positions.keys.push(keyLocation);
      positions.values.push(this.valueLocation);
      if (this.indent < indent) return map;
      if (this.indent > indent || this.atSequenceItem()) throw notSimple;
    }
  }

  /** A mapping key and its colon. */
  private mapKey(): string {
    const start = this.pos;
    const c = this.text.charCodeAt(start);
    let key: string;
    if (c === QUOTE || c === APOSTROPHE) {
      key = c === QUOTE ? this.doubleQuoted() : this.singleQuoted();
      if (this.text.charCodeAt(this.pos) !== COLON) throw notSimple;
    } else {
      if (!this.plainCanStart(start, false)) throw notSimple;
      const text = this.text;
      PLAIN_KEY.lastIndex = start;
      if (!PLAIN_KEY.test(text)) throw notSimple; // the line ends before `: `
      const i = PLAIN_KEY.lastIndex;
      const source = text.slice(start, i);
      if (source.includes(' #') || text.charCodeAt(i - 1) === SPACE) throw notSimple;
      key = plainKey(source);
      this.pos = i;
    }
    if (this.pos - start > MAX_KEY_LENGTH) throw notSimple;
    this.pos++; // the colon
    return key;
  }

  /**
   * The value after `key:` of a mapping at `indent`: on the same line, below it, or empty. Where
   * the value is written is left in valueLocation.
   */
  private mapValue(indent: number, depth: number): unknown {
    this.skipSpaces();
    const c = this.text.charCodeAt(this.pos);
    if (c === HASH || isBreakOrEnd(c)) {
      const empty = this.location(this.pos);
      this.endLine();
      this.nextContent();
      if (this.indent > indent) return this.blockNode(depth + 1);
      // A sequence may sit at its key's own indentation.
      if (this.indent === indent && this.atSequenceItem()) {
        const location = this.location(this.pos);
        const value = this.blockSeq(indent, depth + 1);
        this.valueLocation = location;
        return value;
      }
      this.valueLocation = empty;
      return null;
    }
    const location = this.location(this.pos);
    const value = this.inlineValue(depth + 1);
    this.endLine();
    this.nextContent();
    // A deeper line after a one-line value continues a scalar (or is an error): the full path decides.
    if (this.indent > indent) throw notSimple;
    this.valueLocation = location;
    return value;
  }

  /** A block mapping or sequence starting where the parser stands; its position is left in valueLocation. */
  private blockNode(depth: number): unknown {
    const location = this.location(this.pos);
    const indent = this.indent;
    const value = this.atSequenceItem() ? this.blockSeq(indent, depth) : this.blockMap(indent, depth);
    this.valueLocation = location;
    return value;
  }

  /** A block sequence whose dashes are in column `indent`; the parser stands on the first dash. */
  private blockSeq(indent: number, depth: number): unknown[] {
    if (depth > MAX_DEPTH) throw notSimple;
    const seq: unknown[] = [];
    const positions = new RecordedPositions(this.file, this.location(this.pos));
    recordPositions(seq, positions);
    for (;;) {
      this.pos++; // the dash
      this.skipSpaces();
      const c = this.text.charCodeAt(this.pos);
      let value: unknown;
      let location: number;
      if (c === HASH || isBreakOrEnd(c)) {
        const empty = this.location(this.pos);
        this.endLine();
        this.nextContent();
        if (this.indent > indent) {
          value = this.blockNode(depth + 1);
          location = this.valueLocation;
        } else {
          value = null;
          location = empty;
        }
      } else if (this.atSequenceItem()) {
        throw notSimple; // `- - a`
      } else if (this.startsKey()) {
        // `- key: value`: a mapping whose keys line up after the dash.
        location = this.location(this.pos);
        value = this.blockMap(this.pos - this.lineStart, depth + 1);
      } else {
        location = this.location(this.pos);
        value = this.inlineValue(depth + 1);
        this.endLine();
        this.nextContent();
        if (this.indent > indent) throw notSimple;
      }
      seq.push(value);
      positions.values.push(location);
      if (this.indent < indent || (this.indent === indent && !this.atSequenceItem())) return seq;
      if (this.indent > indent) throw notSimple;
    }
  }

  /** Whether the rest of the line starts with a mapping key (`key:` followed by a space or the end of the line). */
  private startsKey(): boolean {
    const c = this.text.charCodeAt(this.pos);
    if (c === QUOTE || c === APOSTROPHE) {
      const saved = this.pos;
      c === QUOTE ? this.doubleQuoted() : this.singleQuoted();
      const colon = this.text.charCodeAt(this.pos) === COLON;
      this.pos = saved;
      return colon;
    }
    for (let i = this.pos; ; i++) {
      const ch = this.text.charCodeAt(i);
      if (isBreakOrEnd(ch) || (ch === SPACE && this.text.charCodeAt(i + 1) === HASH)) return false;
      if (ch === COLON && this.isSpaceOrEnd(this.text.charCodeAt(i + 1))) return true;
    }
  }

  /** A value written on the line: a quoted or plain scalar or a flow collection. */
  private inlineValue(depth: number): unknown {
    const c = this.text.charCodeAt(this.pos);
    if (c === QUOTE) return this.doubleQuoted();
    if (c === APOSTROPHE) return this.singleQuoted();
    if (c === OPEN_BRACKET) return this.flowSeq(depth);
    if (c === OPEN_BRACE) return this.flowMap(depth);
    if (!this.plainCanStart(this.pos, false)) throw notSimple;
    const start = this.pos;
    PLAIN_VALUE.lastIndex = start;
    PLAIN_VALUE.test(this.text);
    const end = PLAIN_VALUE.lastIndex;
    // `a: b: c` is a nested mapping on one line, an error.
    if (this.text.charCodeAt(end) === COLON) throw notSimple;
    this.pos = end;
    return plainValue(this.text.slice(start, end));
  }

  /**
   * Whether a plain scalar may start at `offset`: not on an indicator, except `-`, `?` and `:`
   * followed by a character that can continue it.
   */
  private plainCanStart(offset: number, inFlow: boolean): boolean {
    const c = this.text.charCodeAt(offset);
    switch (c) {
      case DASH:
      case 63 /* ? */:
      case COLON: {
        const next = this.text.charCodeAt(offset + 1);
        return !(next === SPACE || isBreakOrEnd(next) || (inFlow && isFlowIndicator(next)));
      }
      case COMMA:
      case OPEN_BRACKET:
      case CLOSE_BRACKET:
      case OPEN_BRACE:
      case CLOSE_BRACE:
      case HASH:
      case 38 /* & */:
      case 42 /* * */:
      case 33 /* ! */:
      case 124 /* | */:
      case 62 /* > */:
      case APOSTROPHE:
      case QUOTE:
      case 37 /* % */:
      case 64 /* @ */:
      case 96 /* ` */:
      case SPACE:
      case NEWLINE:
        return false;
      default:
        return !Number.isNaN(c);
    }
  }

  /** `"…"` on one line, with YAML's escapes. */
  private doubleQuoted(): string {
    const text = this.text;
    let out = '';
    let segment = this.pos + 1;
    for (let i = segment; ; ) {
      DOUBLE_QUOTED_RUN.lastIndex = i;
      DOUBLE_QUOTED_RUN.test(text);
      i = DOUBLE_QUOTED_RUN.lastIndex;
      const c = text.charCodeAt(i);
      if (isBreakOrEnd(c)) throw notSimple;
      if (c === QUOTE) {
        this.pos = i + 1;
        return out + text.slice(segment, i);
      }
      // A backslash.
      out += text.slice(segment, i);
      const escape = text[i + 1];
      const simple = ESCAPES[escape];
      if (simple !== undefined) {
        out += simple;
        i += 2;
      } else if (escape === 'x' || escape === 'u') {
        const digits = escape === 'x' ? 2 : 4;
        const hex = text.slice(i + 2, i + 2 + digits);
        if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) throw notSimple;
        out += String.fromCharCode(parseInt(hex, 16));
        i += 2 + digits;
      } else {
        throw notSimple;
      }
      segment = i;
    }
  }

  /** `'…'` on one line; `''` is a quote. */
  private singleQuoted(): string {
    const text = this.text;
    let out = '';
    let segment = this.pos + 1;
    for (let i = segment; ; i++) {
      SINGLE_QUOTED_RUN.lastIndex = i;
      SINGLE_QUOTED_RUN.test(text);
      i = SINGLE_QUOTED_RUN.lastIndex;
      const c = text.charCodeAt(i);
      if (isBreakOrEnd(c)) throw notSimple;
      // An apostrophe.
      out += text.slice(segment, i);
      if (this.text.charCodeAt(i + 1) === APOSTROPHE) {
        out += "'";
        segment = i + 2;
        i++;
        continue;
      }
      this.pos = i + 1;
      return out;
    }
  }

  private skipFlowSpaces(): void {
    this.skipSpaces();
    // A comment or a line break inside a flow collection: the full path.
    const c = this.text.charCodeAt(this.pos);
    if (c === HASH || isBreakOrEnd(c)) throw notSimple;
  }

  /** `[a, b]` on one line. */
  private flowSeq(depth: number): unknown[] {
    if (depth > MAX_DEPTH) throw notSimple;
    const seq: unknown[] = [];
    const positions = new RecordedPositions(this.file, this.location(this.pos));
    recordPositions(seq, positions);
    this.pos++;
    if (this.flowClosed(CLOSE_BRACKET)) return seq;
    do {
      positions.values.push(this.location(this.pos));
      seq.push(this.flowValue(depth + 1));
    } while (!this.flowEntryEnd(CLOSE_BRACKET));
    return seq;
  }

  /** After an opening bracket: whether the collection closes at once (`[]`, `{ }`). */
  private flowClosed(close: number): boolean {
    this.skipFlowSpaces();
    if (this.text.charCodeAt(this.pos) !== close) return false;
    this.pos++;
    return true;
  }

  /** After an entry: a comma (and maybe the end, `[a, ]`) or the end; true at the end. */
  private flowEntryEnd(close: number): boolean {
    this.skipFlowSpaces();
    const c = this.text.charCodeAt(this.pos);
    if (c === COMMA) {
      this.pos++;
      return this.flowClosed(close);
    }
    if (c !== close) throw notSimple;
    this.pos++;
    return true;
  }

  /** `{a: 1, "b": 2}` on one line. */
  private flowMap(depth: number): Record<string, unknown> {
    if (depth > MAX_DEPTH) throw notSimple;
    const map: Record<string, unknown> = {};
    const positions = new RecordedPositions(this.file, this.location(this.pos));
    recordPositions(map, positions);
    this.pos++;
    if (this.flowClosed(CLOSE_BRACE)) return map;
    do {
      const keyLocation = this.location(this.pos);
      const c = this.text.charCodeAt(this.pos);
      let key: string;
      if (c === QUOTE || c === APOSTROPHE) {
        key = c === QUOTE ? this.doubleQuoted() : this.singleQuoted();
        if (this.text.charCodeAt(this.pos) !== COLON) throw notSimple;
        this.pos++;
      } else {
        key = plainKey(this.flowPlain());
        // A plain key's colon must be followed by a space.
        if (this.text.charCodeAt(this.pos) !== COLON || this.text.charCodeAt(this.pos + 1) !== SPACE) throw notSimple;
        this.pos++;
      }
      if (key === '<<' || key === '__proto__' || Object.prototype.hasOwnProperty.call(map, key)) throw notSimple;
      this.skipFlowSpaces();
      const next = this.text.charCodeAt(this.pos);
      if (next === COMMA || next === CLOSE_BRACE) throw notSimple; // an empty value
      positions.names.push(key);
      positions.keys.push(keyLocation);
      positions.values.push(this.location(this.pos));
      map[key] = this.flowValue(depth + 1);
    } while (!this.flowEntryEnd(CLOSE_BRACE));
    return map;
  }

  private flowValue(depth: number): unknown {
    const c = this.text.charCodeAt(this.pos);
    if (c === QUOTE) return this.doubleQuoted();
    if (c === APOSTROPHE) return this.singleQuoted();
    if (c === OPEN_BRACKET) return this.flowSeq(depth);
    if (c === OPEN_BRACE) return this.flowMap(depth);
    return plainValue(this.flowPlain());
  }

  /** The text of a plain scalar inside a flow collection; the parser stops after its last character. */
  private flowPlain(): string {
    if (!this.plainCanStart(this.pos, true)) throw notSimple;
    const start = this.pos;
    let end = start;
    for (let i = start; ; i++) {
      const ch = this.text.charCodeAt(i);
      if (isBreakOrEnd(ch) || isFlowIndicator(ch)) break;
      if (ch === SPACE) {
        if (this.text.charCodeAt(i + 1) === HASH) throw notSimple;
        continue;
      }
      if (ch === COLON) {
        const next = this.text.charCodeAt(i + 1);
        if (next === SPACE || isBreakOrEnd(next) || isFlowIndicator(next)) break;
      }
      end = i + 1;
    }
    this.pos = end;
    return this.text.slice(start, end);
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

/** A plain scalar as the full path reads it: go-yaml's numbers and times, the core schema's constants, else text. */
function plainValue(source: string): unknown {
  const go = resolveGoScalar(source);
  if (go) return go.value;
  const constant = CORE_CONSTANTS.get(source);
  if (constant !== undefined) return constant;
  if (CORE_NUMBER.test(source)) throw notSimple;
  return source;
}

/** A plain key that reads as a string; any other kind of key (and a merge key) goes the full way. */
function plainKey(source: string): string {
  if (CORE_CONSTANTS.has(source) || CORE_NUMBER.test(source) || resolveGoScalar(source)) throw notSimple;
  return source;
}
