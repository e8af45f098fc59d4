import { bytesOf, numberOf } from '../../../../src/validate/syntax/quantities.js';

describe('quantities', () => {
  test('sizes must read with binary units like the engine', () => {
    expect(bytesOf('1g')).toBe(1024 ** 3);
    expect(bytesOf('1024m')).toBe(1024 ** 3);
    expect(bytesOf('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(bytesOf('64 kb')).toBe(64 * 1024);
    expect(bytesOf('100b')).toBe(100);
    expect(bytesOf(123)).toBe(123);
    expect(bytesOf('lots')).toBeUndefined();
  });

  test('numbers must read from numbers and numeric strings only', () => {
    expect(numberOf('0.5')).toBe(0.5);
    expect(numberOf(2)).toBe(2);
    expect(numberOf('')).toBeUndefined();
    expect(numberOf('two')).toBeUndefined();
  });
});
