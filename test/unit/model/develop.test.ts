import { serviceFrom, WORKING_DIR } from './support.js';

describe('develop.watch', () => {
  test('paths must become absolute and exec commands be shell-split', () => {
    const s = serviceFrom(`
services:
  s:
    build: .
    develop:
      watch:
        - {action: sync, path: ./src, target: /app/src, ignore: [node_modules/]}
        - {action: sync+exec, path: web, target: /srv, exec: {command: kill -HUP 1, user: root}}
`);
    expect(s.develop).toEqual({
      watch: [
        { path: `${WORKING_DIR}/src`, action: 'sync', target: '/app/src', ignore: ['node_modules/'] },
        { path: `${WORKING_DIR}/web`, action: 'sync+exec', target: '/srv', exec: { command: ['kill', '-HUP', '1'], user: 'root' } },
      ],
    });
  });
});
