import { serviceFrom } from './support.js';

describe('pull_policy', () => {
  test('if_not_present must become missing', () => {
    expect(serviceFrom('services:\n  s: {image: x, pull_policy: if_not_present}\n').pull_policy).toBe('missing');
  });

  test('other policies must be kept', () => {
    for (const policy of ['always', 'never', 'missing', 'build']) {
      expect(serviceFrom(`services:\n  s: {image: x, pull_policy: ${policy}}\n`).pull_policy).toBe(policy);
    }
  });
});
