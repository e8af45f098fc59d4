/** The printed form of problems: `file:line:col  path  message`, a code frame, the hint. */
import type { Problem } from '../../../src/errors.js';
import { codeFrame, orderProblems, renderProblems } from '../../../src/render-problems.js';
import { validate } from '../../../src/validate/index.js';
import { projectFromYaml } from './support/project-from-yaml.js';

const source = 'services:\n  web:\n    image: nginx\n    imagee: nginx\n    ports: ["abc:80", "90:90"]\n';

describe('render problems', () => {
  test('a validation problem must print as location, path, message, frame and hint', () => {
    const problems = validate(projectFromYaml(source, { file: '/p/compose.yaml' }));
    const text = renderProblems(problems, new Map([['/p/compose.yaml', source]]), undefined, { cwd: '/p' });
    expect(text).toBe(
      [
        'compose.yaml:4:5  services.web.imagee  Additional property imagee is not allowed',
        '    2 |   web:',
        '    3 |     image: nginx',
        '  > 4 |     imagee: nginx',
        '      |     ^^^^^^',
        '    did you mean `image`?',
        '',
        'compose.yaml:5:13  services.web.ports[0]  Invalid hostPort: abc',
        '    3 |     image: nginx',
        '    4 |     imagee: nginx',
        '  > 5 |     ports: ["abc:80", "90:90"]',
        '      |             ^^^^^^^^',
        '    ports are numbers from 1 to 65535, or ranges like 8000-8010',
        '',
        '2 problems found; nothing was changed.',
        '',
      ].join('\n'),
    );
  });

  test('files outside the working directory must keep their full path', () => {
    const problem: Problem = { path: 'a', message: 'm', location: { file: '/elsewhere/c.yaml', line: 1, col: 1 } };
    expect(renderProblems([problem], new Map(), undefined, { cwd: '/p' })).toContain('/elsewhere/c.yaml:1:1  a  m');
  });

  test('the marker must cover a plain key, a plain scalar and a quoted scalar', () => {
    expect(codeFrame('  imagee: nginx', 1, 3).at(-1)).toBe('      |   ^^^^^^');
    expect(codeFrame('  restart: sometimes # comment', 1, 12).at(-1)).toBe('      |            ^^^^^^^^^');
    expect(codeFrame("  x: 'it''s'", 1, 6).at(-1)).toBe("      |      ^^^^^^^");
    expect(codeFrame('  ports: {a: 1}', 1, 10).at(-1)).toBe('      |          ^');
  });

  test('a tab before the column must stay a tab under it', () => {
    expect(codeFrame('a:\tbad', 1, 4).at(-1)).toBe('      |   \t^^^');
  });

  test('problems must keep the order of their files and sort by position within a file', () => {
    const at = (file: string, line: number): Problem => ({ path: `${file}${line}`, message: 'm', location: { file, line, col: 1 } });
    const ordered = orderProblems([at('b', 2), { path: 'x', message: 'm' }, at('a', 9), at('b', 1), at('a', 3)]);
    expect(ordered.map((p) => p.path)).toEqual(['b1', 'b2', 'a3', 'a9', 'x']);
  });

  test('a problem without a position must print its path and message only', () => {
    expect(renderProblems([{ path: 'services.a', message: 'broken', hint: 'fix it' }], new Map())).toBe(
      'services.a  broken\n    fix it\n\n1 problem found; nothing was changed.\n',
    );
  });
});
