import { problemLines } from '../support/project-from-yaml.js';

describe('rule: develop.watch', () => {
  test('sync actions without a target must be reported', () => {
    const yaml = `services:
  a:
    build: .
    develop:
      watch:
        - {path: ., action: sync}
        - {path: ., action: sync+restart}
        - {path: ., action: sync+exec, target: /app}
`;
    expect(problemLines(yaml)).toEqual([
      'services.a.develop.watch[0]: target is required for non-rebuild actions',
      'services.a.develop.watch[1]: target is required for non-rebuild actions',
      'services.a.develop.watch[2]: exec is required for sync+exec',
    ]);
  });

  test('rebuild and restart must not need a target', () => {
    const yaml = 'services:\n  a:\n    build: .\n    develop:\n      watch: [{path: ., action: rebuild}, {path: ., action: restart}]\n';
    expect(problemLines(yaml)).toEqual([]);
  });

  test('an unknown action must be rejected by the schema', () => {
    const yaml = 'services:\n  a:\n    build: .\n    develop:\n      watch: [{path: ., action: reload}]\n';
    expect(problemLines(yaml)).toEqual([
      'services.a.develop.watch[0].action: must be one of the following: "sync", "rebuild", "sync+restart", "restart", "sync+exec"',
    ]);
  });
});
