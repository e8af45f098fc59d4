import { DotenvError, parseDotenv } from '../../../src/load/dotenv.js';

function parse(text: string, env: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of parseDotenv(text, (n) => env[n], () => undefined)) out[key] = entry.value;
  return out;
}

describe('the .env / env_file format', () => {
  test('plain KEY=VALUE lines, comments and blank lines must be read', () => {
    expect(parse('# comment\nA=1\n\n  B = two  \nC=\nexport D=4\nE: yaml-style\n')).toEqual({ A: '1', B: 'two', C: '', D: '4', E: 'yaml-style' });
  });

  test('an inline comment must need a space before # on unquoted values', () => {
    expect(parse('W=x # c\nV=x#c\n')).toEqual({ W: 'x', V: 'x#c' });
  });

  test('single quotes must be literal and double quotes must understand escapes', () => {
    expect(parse("S='single $A \\n'\nD=\"a\\tb\\nc\\\\d\\\"e\\$f\"\n", { A: 'one' })).toEqual({ S: 'single $A \\n', D: 'a\tb\nc\\d"e$f' });
  });

  test('a comment after a closing quote must be ignored', () => {
    expect(parse("U='$FOO' # c\nN=\"x\" # y\n")).toEqual({ U: '$FOO', N: 'x' });
  });

  test('double-quoted values must span lines', () => {
    expect(parse('M="line1\nline2"\nNEXT=1\n')).toEqual({ M: 'line1\nline2', NEXT: '1' });
  });

  test('unquoted and double-quoted values must be interpolated, earlier keys included', () => {
    expect(parse('A1=one\nA2="two ${A1}"\nA3=${A1}-$A1\nA4=${NOPE:-dflt}\n')).toEqual({ A1: 'one', A2: 'two one', A3: 'one-one', A4: 'dflt' });
  });

  test('the surrounding environment must win over keys defined earlier in the file', () => {
    expect(parse('FOO=1\nBAR="two ${FOO}"\n', { FOO: '9' })).toEqual({ FOO: '1', BAR: 'two 9' });
  });

  test('a key alone must be taken from the environment, or left out', () => {
    expect(parse('FROM_ENV\nNOT_SET\nLAST', { FROM_ENV: 'e', LAST: 'l' })).toEqual({ FROM_ENV: 'e', LAST: 'l' });
  });

  test('the position of each key must be recorded', () => {
    const entries = parseDotenv('\n# c\n  export KEY=v\n', () => undefined, () => undefined);
    expect(entries.get('KEY')).toEqual({ value: 'v', line: 3, col: 10 });
  });

  test.each([
    ['A B=1\n', 'line 1: key cannot contain a space'],
    ['OK=1\nBAD!=1\n', 'line 2: unexpected character "!" in variable name'],
    ['Q="open\n', 'line 1: unterminated quoted value "open'],
  ])('%j must be rejected with %j', (text, message) => {
    expect(() => parse(text)).toThrow(DotenvError);
    expect(() => parse(text)).toThrow(message);
  });
});
