import { jsonKeyCompare, yamlKeyCompare } from '../../../../src/model/render/go-key-order.js';

describe('Go map key order', () => {
  test('YAML must sort numbers inside keys naturally, as yaml.v3 does', () => {
    const keys = ['file10', 'file9', 'file_10', 'file_9', 'a1b', 'a01b', 'a1', 'a', 'Ab', 'ab', '10', '9', 'a.b', 'a_b', 'a-b', 'A11', 'A2'];
    expect(keys.sort(yamlKeyCompare)).toEqual([
      '9', '10', 'A2', 'A11', 'Ab', 'a', 'a-b', 'a.b', 'a_b', 'a1', 'a1b', 'a01b', 'ab', 'file_9', 'file_10', 'file9', 'file10',
    ]);
  });

  test('JSON must sort byte-wise', () => {
    expect(['A2', 'A11', 'a', 'B'].sort(jsonKeyCompare)).toEqual(['A11', 'A2', 'B', 'a']);
  });
});
