import { shellSplit, shellSplitChecked } from '../../../src/model/shell-split.js';

describe('shell-split', () => {
  test('blanks must separate words and quotes must group them', () => {
    expect(shellSplit(`sh -c 'echo "hello  world" && exit 0'`)).toEqual(['sh', '-c', 'echo "hello  world" && exit 0']);
  });

  test('a backslash must make the next character literal, with no escape sequences', () => {
    expect(shellSplit('echo a\\ b "c\\"d" x\\\\y "a\\tb"')).toEqual(['echo', 'a b', 'c"d', 'x\\y', 'atb']);
  });

  test('single quotes must keep backslashes', () => {
    expect(shellSplit(`echo 'c\\d'`)).toEqual(['echo', 'c\\d']);
  });

  test('empty quotes must be an empty word', () => {
    expect(shellSplit(`echo '' "" x`)).toEqual(['echo', '', '', 'x']);
  });

  test('an unquoted control operator must end the command, as in Compose', () => {
    expect(shellSplit('echo a && echo b')).toEqual(['echo', 'a']);
    expect(shellSplit('echo a|b')).toEqual(['echo', 'a']);
    expect(shellSplit('echo a 2>err')).toEqual(['echo', 'a']);
  });

  test('$(...) and backquotes must stay one unexpanded word', () => {
    expect(shellSplit('echo $(date +%s) `date`')).toEqual(['echo', '$(date +%s)', '`date`']);
  });

  test('leading and trailing blanks must be ignored, and an empty string must give no words', () => {
    expect(shellSplit('  lead   trail  ')).toEqual(['lead', 'trail']);
    expect(shellSplit('')).toEqual([]);
  });

  test('unbalanced quotes and stray parentheses must be reported by the checked form', () => {
    expect(shellSplitChecked(`echo 'open`)).toEqual({ error: 'invalid command line string' });
    expect(shellSplitChecked('echo (x)')).toEqual({ error: 'invalid command line string' });
  });
});
