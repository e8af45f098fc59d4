import { normalizeSignal, parseReloadPolicy, reloadExtensionProblems } from '../../../src/watch/reload-policy.js';
import { loadedFrom } from '../model/support.js';

describe('parseReloadPolicy', () => {
  test.each([
    ['restart', { action: 'restart' }],
    [true, { action: 'restart' }],
    ['none', { action: 'none' }],
    [false, { action: 'none' }],
    [{ action: 'signal', signal: 'HUP' }, { action: 'signal', signal: 'SIGHUP' }],
    [{ action: 'exec', command: 'nginx -s reload', user: 'root' }, { action: 'exec', command: ['nginx', '-s', 'reload'], user: 'root' }],
    [{ action: 'restart', ignore: ['*.log'] }, { action: 'restart', ignore: ['*.log'] }],
  ])('%j must give %j', (value, policy) => {
    expect(parseReloadPolicy(value)).toEqual({ policy, problems: [] });
  });

  test('no value must give no policy and no problem', () => {
    expect(parseReloadPolicy(undefined)).toEqual({ problems: [] });
  });

  test('an unknown action must be a problem naming the allowed ones', () => {
    expect(parseReloadPolicy({ action: 'reboot' }).problems).toEqual([
      { at: ['action'], message: 'unknown reload action "reboot"', hint: 'use one of: restart, signal, exec, none' },
    ]);
  });

  test('a signal action without a valid signal must be a problem', () => {
    expect(parseReloadPolicy({ action: 'signal' }).problems[0].message).toBe('action signal needs a signal');
    expect(parseReloadPolicy({ action: 'signal', signal: 'HUP!' }).problems[0].message).toBe('"HUP!" is not a signal name');
  });

  test('a key that does not belong to the action must be a problem', () => {
    expect(parseReloadPolicy({ action: 'signal', signal: 'HUP', command: ['x'] }).problems).toEqual([
      { at: ['command'], message: 'command is not allowed with action signal', hint: 'allowed: action, signal, ignore' },
    ]);
  });
});

describe('normalizeSignal', () => {
  test.each([
    ['HUP', 'SIGHUP'],
    ['sigusr1', 'SIGUSR1'],
    ['SIGTERM', 'SIGTERM'],
    ['1', '1'],
    ['SIGRTMIN+3', 'SIGRTMIN+3'],
  ])('%s must become %s', (input, output) => {
    expect(normalizeSignal(input)).toBe(output);
  });

  test.each(['', 'SIG', '0', '99', 'HUP NOW'])('%j must be refused', (input) => {
    expect(normalizeSignal(input)).toBeUndefined();
  });
});

describe('reloadExtensionProblems', () => {
  test('problems on services and on mounts must carry file:line:col', () => {
    const loaded = loadedFrom(`services:
  web:
    image: nginx
    x-tscompose-reload: reboot
    volumes:
      - type: bind
        source: ./conf
        target: /conf
        x-tscompose-reload: {action: signal}
`);
    const problems = reloadExtensionProblems(loaded.tree);
    expect(problems.map((problem) => [problem.path, problem.location?.line, problem.location?.col])).toEqual([
      ['services.web.x-tscompose-reload', 4, 25],
      ['services.web.volumes[0].x-tscompose-reload', 9, 29],
    ]);
  });

  test('valid values must give no problem', () => {
    const loaded = loadedFrom(`services:
  web:
    image: nginx
    x-tscompose-reload: {action: exec, command: [nginx, -s, reload]}
    volumes: [./conf:/conf]
`);
    expect(reloadExtensionProblems(loaded.tree)).toEqual([]);
  });
});
