import { noSuchServiceMessage, serviceSuggestion } from '../../../src/validate/no-such-service.js';
import { ReconcileError } from '../../../src/plan/errors.js';
import { reconcile } from '../../../src/plan/reconcile.js';
import { makeProject, observe, SEAL_KEY, TOOL_VERSION } from '../plan/support.js';

describe('a misspelt service name on the command line', () => {
  test('must be answered with the closest service name', () => {
    expect(noSuchServiceMessage(['wbe'], ['db', 'web'])).toBe('no such service: wbe (did you mean "web"?)');
    expect(serviceSuggestion('Web', ['db', 'web'])).toBe('did you mean "web"?');
  });

  test('must keep Compose\'s message alone when nothing is close', () => {
    expect(noSuchServiceMessage(['zzzzzz'], ['db', 'web'])).toBe('no such service: zzzzzz');
  });

  test('must get a suggestion each when several are misspelt', () => {
    expect(noSuchServiceMessage(['wbe', 'dbb', 'nope'], ['db', 'web', 'worker'])).toBe(
      'no such service: wbe (did you mean "web"?), dbb (did you mean "db"?), nope',
    );
  });

  test('must be suggested by the planner too (up SERVICE)', () => {
    const project = makeProject('p', { db: {}, web: {} });
    expect(() => reconcile(project, observe(), { toolVersion: TOOL_VERSION, sealKey: SEAL_KEY, services: ['wbe'] })).toThrow(ReconcileError);
    expect(() => reconcile(project, observe(), { toolVersion: TOOL_VERSION, sealKey: SEAL_KEY, services: ['wbe'] })).toThrow('did you mean "web"?');
  });
});
