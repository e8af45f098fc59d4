/**
 * The parser of the Go text/template subset that `--format` takes (the Docker CLI and Compose
 * hand their users Go templates): text, `{{pipeline}}` actions with `|`, fields (`.A.B`),
 * variables (`$`, `$x := ...`), string, number, bool and nil constants, parenthesised pipelines,
 * `if` / `else if` / `else`, `range` (with `$i, $v :=`), `with`, comments and `{{-` `-}}` trim
 * markers. `define`, `template` and `block` are refused. Every error is a TemplateError naming
 * its line and column, as Go's parser does; nothing is guessed.
 */

export class TemplateError extends Error {}

export interface Position {
  readonly line: number;
  readonly col: number;
}

export type Arg =
  | { readonly kind: 'dot' }
  | { readonly kind: 'nil' }
  | { readonly kind: 'literal'; readonly value: string | number | boolean }
  | { readonly kind: 'field'; readonly chain: readonly string[] }
  | { readonly kind: 'variable'; readonly name: string; readonly chain: readonly string[] }
  | { readonly kind: 'function'; readonly name: string }
  | { readonly kind: 'pipeline'; readonly pipeline: Pipeline; readonly chain: readonly string[] };

export interface Command {
  readonly args: readonly Arg[];
  /** The source text, for messages (`<.Nope>`). */
  readonly text: string;
}

export interface Pipeline {
  /** Variables declared (`$x :=`) or assigned (`$x =`) by the pipeline. */
  readonly declare: readonly string[];
  readonly assign: boolean;
  readonly commands: readonly Command[];
  readonly position: Position;
}

export type TemplateNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly pipeline: Pipeline }
  | {
      readonly kind: 'if' | 'with' | 'range';
      readonly pipeline: Pipeline;
      readonly body: readonly TemplateNode[];
      readonly otherwise: readonly TemplateNode[];
    };

type Token =
  | { readonly type: 'space' | 'pipe' | 'open' | 'close' | 'comma' | 'declare' | 'assign' | 'dot' }
  | { readonly type: 'field' | 'variable' | 'identifier'; readonly value: string }
  | { readonly type: 'literal'; readonly value: string | number | boolean };

interface RawAction {
  readonly tokens: Token[];
  readonly text: string;
  readonly position: Position;
}

type Piece = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'action'; readonly action: RawAction };

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

function positionAt(source: string, offset: number): Position {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

function fail(position: Position | undefined, message: string): never {
  if (position === undefined) throw new TemplateError(message);
  throw new TemplateError(`${position.col > 0 ? `${position.line}:${position.col}` : `line ${position.line}`}: ${message}`);
}

/** Go's escapes in an interpreted string: JSON's, plus \a \v \' \x.. and octal. */
function unquote(text: string, position: Position): string {
  const body = text.slice(1, -1);
  let result = '';
  for (let index = 0; index < body.length; index++) {
    const char = body[index];
    if (char !== '\\') {
      result += char;
      continue;
    }
    const next = body[++index];
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };
    if (next in simple) result += simple[next];
    else if (next === 'x' || next === 'u' || next === 'U') {
      const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = body.slice(index + 1, index + 1 + length);
      if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(hex)) fail(position, `invalid syntax in ${text}`);
      result += String.fromCodePoint(parseInt(hex, 16));
      index += length;
    } else if (/[0-7]/.test(next)) {
      const octal = body.slice(index, index + 3);
      if (!/^[0-7]{3}$/.test(octal)) fail(position, `invalid syntax in ${text}`);
      result += String.fromCharCode(parseInt(octal, 8));
      index += 2;
    } else fail(position, `invalid syntax in ${text}`);
  }
  return result;
}

function parseNumber(text: string, position: Position): number {
  const clean = text.replace(/_/g, '');
  const value = /^[+-]?0[xX]/.test(clean) || /^[+-]?0[bB]/.test(clean) || /^[+-]?0[oO]/.test(clean) ? Number(clean.replace(/^([+-]?)0[oO]/, '$10o')) : Number(clean);
  if (Number.isNaN(value)) fail(position, `bad number syntax: "${text}"`);
  return value;
}

/** Splits the inside of one `{{ }}` into tokens. */
function tokenize(inside: string, position: Position): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  const identifier = /[A-Za-z_][A-Za-z0-9_]*/y;
  while (index < inside.length) {
    const char = inside[index];
    if (/\s/.test(char)) {
      while (index < inside.length && /\s/.test(inside[index])) index++;
      tokens.push({ type: 'space' });
      continue;
    }
    if (char === '|') {
      tokens.push({ type: 'pipe' });
      index++;
    } else if (char === '(') {
      tokens.push({ type: 'open' });
      index++;
    } else if (char === ')') {
      tokens.push({ type: 'close' });
      index++;
    } else if (char === ',') {
      tokens.push({ type: 'comma' });
      index++;
    } else if (inside.startsWith(':=', index)) {
      tokens.push({ type: 'declare' });
      index += 2;
    } else if (char === '=') {
      tokens.push({ type: 'assign' });
      index++;
    } else if (char === '"') {
      const match = /"(?:[^"\\\n]|\\.)*"/y;
      match.lastIndex = index;
      const found = match.exec(inside);
      if (found === null) fail(position, 'unterminated quoted string');
      tokens.push({ type: 'literal', value: unquote(found[0], position) });
      index += found[0].length;
    } else if (char === '`') {
      const end = inside.indexOf('`', index + 1);
      if (end < 0) fail(position, 'unterminated raw quoted string');
      tokens.push({ type: 'literal', value: inside.slice(index + 1, end) });
      index = end + 1;
    } else if (char === "'") {
      const match = /'(?:[^'\\]|\\.[^']*)'/y;
      match.lastIndex = index;
      const found = match.exec(inside);
      if (found === null) fail(position, 'unterminated character constant');
      const value = unquote(`"${found[0].slice(1, -1)}"`, position);
      tokens.push({ type: 'literal', value: value.codePointAt(0) ?? 0 });
      index += found[0].length;
    } else if (/[0-9]/.test(char) || ((char === '-' || char === '+' || char === '.') && /[0-9]/.test(inside[index + 1] ?? ''))) {
      const match = /[+-]?(?:0[xXbBoO][0-9a-fA-F_]+|(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][+-]?[0-9]+)?)/y;
      match.lastIndex = index;
      const found = match.exec(inside)![0];
      tokens.push({ type: 'literal', value: parseNumber(found, position) });
      index += found.length;
    } else if (char === '.') {
      identifier.lastIndex = index + 1;
      const found = identifier.exec(inside);
      if (found === null) {
        tokens.push({ type: 'dot' });
        index++;
      } else {
        tokens.push({ type: 'field', value: found[0] });
        index += 1 + found[0].length;
      }
    } else if (char === '$') {
      identifier.lastIndex = index + 1;
      const found = identifier.exec(inside);
      const name = found === null ? '$' : `$${found[0]}`;
      tokens.push({ type: 'variable', value: name });
      index += name.length;
    } else {
      identifier.lastIndex = index;
      const found = identifier.exec(inside);
      if (found === null) fail(position, `unexpected "${char}" in command`);
      const word = found[0];
      if (word === 'true' || word === 'false') tokens.push({ type: 'literal', value: word === 'true' });
      else tokens.push({ type: 'identifier', value: word });
      index += word.length;
    }
  }
  return tokens;
}

/** Cuts the source into text and actions, applying trim markers and dropping comments. */
function scan(source: string): Piece[] {
  const pieces: Piece[] = [];
  let index = 0;
  let trimNext = false;
  while (index < source.length) {
    const open = source.indexOf('{{', index);
    let text = open < 0 ? source.slice(index) : source.slice(index, open);
    if (trimNext) text = text.replace(/^\s+/, '');
    trimNext = false;
    if (open < 0) {
      if (text !== '') pieces.push({ kind: 'text', text });
      break;
    }
    const position = positionAt(source, open);
    let start = open + 2;
    if (/^-\s/.test(source.slice(start, start + 2))) {
      text = text.replace(/\s+$/, '');
      start += 1;
    }
    if (text !== '') pieces.push({ kind: 'text', text });
    // The closing delimiter, skipping quoted strings, raw strings and comments that may hold `}}`.
    let end = start;
    let inside = '';
    for (;;) {
      if (end >= source.length) fail({ line: position.line, col: 0 }, 'unclosed action');
      if (end === start && source.slice(end).replace(/^\s+/, '').startsWith('/*')) {
        const close = source.indexOf('*/', end);
        if (close < 0) fail(position, 'unclosed comment');
        end = close + 2;
        continue;
      }
      const char = source[end];
      if (char === '"' || char === '`' || char === "'") {
        const quoted = char === '`' ? /`[^`]*`/y : char === '"' ? /"(?:[^"\\\n]|\\.)*"/y : /'(?:[^'\\]|\\.[^']*)'/y;
        quoted.lastIndex = end;
        const found = quoted.exec(source);
        if (found === null) fail(position, char === '`' ? 'unterminated raw quoted string' : 'unterminated quoted string');
        end += found[0].length;
        continue;
      }
      if (/^\s-}}/.test(source.slice(end, end + 4))) {
        inside = source.slice(start, end);
        trimNext = true;
        index = end + 4;
        break;
      }
      if (source.startsWith('}}', end)) {
        inside = source.slice(start, end);
        index = end + 2;
        break;
      }
      end++;
    }
    const trimmed = inside.trim();
    if (trimmed.startsWith('/*')) {
      if (!trimmed.endsWith('*/')) fail(position, 'comment ends before closing delimiter');
      continue;
    }
    pieces.push({ kind: 'action', action: { tokens: tokenize(inside, position), text: trimmed, position } });
  }
  return pieces;
}

class Parser {
  private index = 0;

  constructor(
    private readonly pieces: readonly Piece[],
    private readonly functions: ReadonlySet<string>,
  ) {}

  parse(): TemplateNode[] {
    const { nodes, stop } = this.list();
    if (stop !== undefined) fail(stop.position, `unexpected {{${stop.text}}}`);
    return nodes;
  }

  /** Nodes up to an `{{end}}` / `{{else ...}}` (returned as `stop`) or the end of the template. */
  private list(): { nodes: TemplateNode[]; stop?: RawAction } {
    const nodes: TemplateNode[] = [];
    while (this.index < this.pieces.length) {
      const piece = this.pieces[this.index++];
      if (piece.kind === 'text') {
        nodes.push({ kind: 'text', text: piece.text });
        continue;
      }
      const { action } = piece;
      const words = action.tokens.filter((token) => token.type !== 'space');
      const first = words[0];
      if (first === undefined) fail(action.position, 'missing value for command');
      const keyword = first.type === 'identifier' && KEYWORDS.has(first.value) ? first.value : undefined;
      if (keyword === 'end' || keyword === 'else') return { nodes, stop: action };
      if (keyword === 'if' || keyword === 'with' || keyword === 'range') {
        nodes.push(this.control(keyword, action, this.tokensAfterKeyword(action)));
        continue;
      }
      if (keyword !== undefined) fail(action.position, `{{${keyword}}} is not supported in --format templates`);
      nodes.push({ kind: 'action', pipeline: this.pipeline(action.tokens, action, false) });
    }
    return { nodes };
  }

  private tokensAfterKeyword(action: RawAction): Token[] {
    const at = action.tokens.findIndex((token) => token.type !== 'space');
    return action.tokens.slice(at + 1);
  }

  private control(keyword: 'if' | 'with' | 'range', action: RawAction, tokens: Token[]): TemplateNode {
    const pipeline = this.pipeline(tokens, action, keyword === 'range');
    if (pipeline.commands.length === 0) fail(action.position, `missing value for ${keyword}`);
    const body = this.list();
    if (body.stop === undefined) fail(action.position, `unexpected EOF: {{${keyword}}} has no {{end}}`);
    let otherwise: TemplateNode[] = [];
    const stopWords = body.stop.tokens.filter((token) => token.type !== 'space');
    if (stopWords[0]?.type === 'identifier' && stopWords[0].value === 'else') {
      const chained = stopWords[1];
      if (chained?.type === 'identifier' && (chained.value === 'if' || chained.value === 'with')) {
        // `{{else if x}}` is `{{else}}{{if x}}...{{end}}` sharing the outer {{end}}.
        const rest = body.stop.tokens.slice(body.stop.tokens.indexOf(chained) + 1);
        otherwise = [this.control(chained.value, body.stop, rest)];
      } else {
        if (stopWords.length > 1) fail(body.stop.position, `unexpected "${body.stop.text.slice(4).trim()}" in else`);
        const rest = this.list();
        if (rest.stop === undefined) fail(action.position, `unexpected EOF: {{${keyword}}} has no {{end}}`);
        if (rest.stop.tokens.filter((token) => token.type !== 'space')[0]?.type !== 'identifier' || !/^end\b/.test(rest.stop.text)) {
          fail(rest.stop.position, `expected end; found {{${rest.stop.text}}}`);
        }
        otherwise = rest.nodes;
      }
    } else if (stopWords.length > 1) fail(body.stop.position, `unexpected "${body.stop.text.slice(3).trim()}" in end`);
    return { kind: keyword, pipeline, body: body.nodes, otherwise };
  }

  /** `[$x :=] command | command ...` */
  private pipeline(tokens: readonly Token[], action: RawAction, allowTwoVariables: boolean): Pipeline {
    let rest = tokens.filter((token, index) => !(token.type === 'space' && (index === 0 || index === tokens.length - 1)));
    const declare: string[] = [];
    let assign = false;
    const words = rest.filter((token) => token.type !== 'space');
    const declareAt = words.findIndex((token) => token.type === 'declare' || token.type === 'assign');
    if (declareAt > 0 && words.slice(0, declareAt).every((token) => token.type === 'variable' || token.type === 'comma')) {
      const names = words.slice(0, declareAt).filter((token) => token.type === 'variable') as { value: string }[];
      if (names.length > (allowTwoVariables ? 2 : 1)) fail(action.position, 'too many declarations in command');
      declare.push(...names.map((token) => token.value));
      assign = words[declareAt].type === 'assign';
      const cut = rest.indexOf(words[declareAt]);
      rest = rest.slice(cut + 1);
    }
    const commands: Command[] = [];
    let current: Token[] = [];
    let depth = 0;
    const flush = (): void => {
      const meaningful = current.filter((token) => token.type !== 'space');
      if (meaningful.length === 0) fail(action.position, 'missing command');
      commands.push({ args: this.args(current, action), text: action.text });
      current = [];
    };
    for (const token of rest) {
      if (token.type === 'open') depth++;
      if (token.type === 'close') depth--;
      if (depth < 0) fail(action.position, 'unexpected right paren');
      if (token.type === 'pipe' && depth === 0) {
        flush();
        continue;
      }
      current.push(token);
    }
    if (depth > 0) fail(action.position, 'unclosed left paren');
    if (current.some((token) => token.type !== 'space')) flush();
    else if (commands.length > 0) fail(action.position, 'missing command');
    return { declare, assign, commands, position: action.position };
  }

  /** The operands of one command, split on spaces (parentheses group a pipeline). */
  private args(tokens: readonly Token[], action: RawAction): Arg[] {
    const args: Arg[] = [];
    let index = 0;
    while (index < tokens.length) {
      const token = tokens[index];
      if (token.type === 'space') {
        index++;
        continue;
      }
      let arg: Arg;
      if (token.type === 'open') {
        let depth = 1;
        let close = index + 1;
        for (; close < tokens.length; close++) {
          if (tokens[close].type === 'open') depth++;
          if (tokens[close].type === 'close' && --depth === 0) break;
        }
        arg = { kind: 'pipeline', pipeline: this.pipeline(tokens.slice(index + 1, close), action, false), chain: [] };
        index = close + 1;
      } else {
        index++;
        switch (token.type) {
          case 'dot':
            arg = { kind: 'dot' };
            break;
          case 'literal':
            arg = { kind: 'literal', value: token.value };
            break;
          case 'field':
            arg = { kind: 'field', chain: [token.value] };
            break;
          case 'variable':
            arg = { kind: 'variable', name: token.value, chain: [] };
            break;
          case 'identifier':
            if (token.value === 'nil') arg = { kind: 'nil' };
            else if (KEYWORDS.has(token.value)) fail(action.position, `unexpected <${token.value}> in command`);
            else if (!this.functions.has(token.value)) fail(action.position, `function "${token.value}" not defined`);
            else arg = { kind: 'function', name: token.value };
            break;
          default:
            fail(action.position, `unexpected "${tokenText(token)}" in operand`);
        }
      }
      // Fields chained right after an operand: `$x.Name`, `(index .A 0).Port`, `.A.B`.
      const chain: string[] = [];
      while (index < tokens.length && tokens[index].type === 'field') {
        chain.push((tokens[index] as { value: string }).value);
        index++;
      }
      if (chain.length > 0) {
        if (arg.kind === 'field') arg = { kind: 'field', chain: [...arg.chain, ...chain] };
        else if (arg.kind === 'variable' || arg.kind === 'pipeline') arg = { ...arg, chain };
        else fail(action.position, `unexpected . after term "${arg.kind === 'literal' ? String(arg.value) : arg.kind}"`);
      }
      if (index < tokens.length && tokens[index].type !== 'space') {
        fail(action.position, `unexpected "${tokenText(tokens[index])}" in operand`);
      }
      args.push(arg);
    }
    return args;
  }
}

function tokenText(token: Token): string {
  switch (token.type) {
    case 'pipe':
      return '|';
    case 'open':
      return '(';
    case 'close':
      return ')';
    case 'comma':
      return ',';
    case 'declare':
      return ':=';
    case 'assign':
      return '=';
    case 'dot':
      return '.';
    case 'space':
      return ' ';
    case 'field':
      return `.${token.value}`;
    default:
      return String(token.value);
  }
}

/** Parses a template; `functions` are the names that may be called (an unknown one is a parse error, as in Go). */
export function parseTemplate(source: string, functions: ReadonlySet<string>): TemplateNode[] {
  return new Parser(scan(source), functions).parse();
}
