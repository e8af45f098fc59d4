import { resolveGoScalar } from '../../../src/load/go-scalars.js';

describe('plain scalars as go-yaml v3 reads them', () => {
  test.each([
    ['0b101', 5],
    ['1_000', 1000],
    ['0o17', 15],
    ['017', 15],
    ['0x1F', 31],
    ['0X1F', 31],
    ['-0x1F', -31],
    ['+12', 12],
    ['-0', 0],
    ['00', 0],
  ])('%s must be the integer %d', (source, value) => {
    expect(resolveGoScalar(source)).toEqual({ kind: 'int', value });
  });

  test('integers beyond 2^53 up to 2^64 must keep their digits, as Go keeps them exact', () => {
    expect(resolveGoScalar('12345678901234567890')).toEqual({ kind: 'int', value: '12345678901234567890' });
    expect(resolveGoScalar('18446744073709551615')).toEqual({ kind: 'int', value: '18446744073709551615' });
  });

  test('integers beyond int64 and uint64 must become floats, as in Go', () => {
    expect(resolveGoScalar('123456789012345678901234567890')).toEqual({ kind: 'float', value: 1.2345678901234568e29 });
    expect(resolveGoScalar('-9223372036854775809')).toEqual({ kind: 'float', value: -9223372036854775809 });
  });

  test.each([
    ['1e3', 1000],
    ['018', 18],
    ['.5', 0.5],
    ['1.', 1],
    ['1_000.5', 1000.5],
    ['1234567.5', 1234567.5],
  ])('%s must be the float %d', (source, value) => {
    expect(resolveGoScalar(source)).toEqual({ kind: 'float', value });
  });

  test('an integral float from 1e6 on must be Go\'s text, which a JS number cannot tell from an integer', () => {
    expect(resolveGoScalar('1e6')).toEqual({ kind: 'float', value: '1e+06' });
    expect(resolveGoScalar('1234567.0')).toEqual({ kind: 'float', value: '1.234567e+06' });
  });

  test.each([
    ['2001-12-14', '2001-12-14 00:00:00 +0000 UTC'],
    ['2001-1-2', '2001-01-02 00:00:00 +0000 UTC'],
    ['2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.1 -0500 -0500'],
    ['2001-12-14T21:59:43Z', '2001-12-14 21:59:43 +0000 UTC'],
    ['2001-12-14 21:59:43.10', '2001-12-14 21:59:43.1 +0000 UTC'],
  ])('%s must be the time Go prints as %s', (source, value) => {
    expect(resolveGoScalar(source)).toEqual({ kind: 'timestamp', value });
  });

  test.each(['2001-02-30', '2001-12-14T21:59:43', '2001-12-14 21:59:43.10 -5', '1:20', '1.2.3', '0x', '1e400', '-', 'abc', 'yes'])(
    '%s must stay a string',
    (source) => {
      expect(resolveGoScalar(source)).toBeUndefined();
    },
  );
});
