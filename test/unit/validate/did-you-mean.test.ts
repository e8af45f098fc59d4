import { closestMatch, editDistance } from '../../../src/validate/did-you-mean.js';

describe('did you mean', () => {
  test('edit distance must count a transposition as one edit', () => {
    expect(editDistance('enviroment', 'environment')).toBe(1);
    expect(editDistance('imgae', 'image')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  test('the closest key must be suggested when it is close enough', () => {
    expect(closestMatch('enviroment', ['image', 'environment', 'env_file'])).toBe('environment');
    expect(closestMatch('containerName', ['container_name', 'command'])).toBe('container_name');
    expect(closestMatch('depends-on', ['depends_on'])).toBe('depends_on');
  });

  test('nothing must be suggested for a word unlike every candidate', () => {
    expect(closestMatch('foo', ['dns', 'image', 'ports'])).toBeUndefined();
    expect(closestMatch('frobnicate', ['environment'])).toBeUndefined();
  });
});
