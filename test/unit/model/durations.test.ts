import { formatDuration, parseDuration } from '../../../src/model/durations.js';

describe('durations', () => {
  test('Go duration text must parse to nanoseconds', () => {
    expect(parseDuration('1m30s')).toBe(90e9);
    expect(parseDuration('1.5h')).toBe(5400e9);
    expect(parseDuration('100us')).toBe(100e3);
    expect(parseDuration('100µs')).toBe(100e3);
    expect(parseDuration('2.5s')).toBe(2.5e9);
    expect(parseDuration('1h2m3s4ms')).toBe(3723.004e9);
    expect(parseDuration('0')).toBe(0);
  });

  test('text that is not a duration must give undefined', () => {
    expect(parseDuration('10')).toBeUndefined();
    expect(parseDuration('1x')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
    expect(parseDuration(null)).toBeUndefined();
  });

  test('durations must print like Go', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(90e9)).toBe('1m30s');
    expect(formatDuration(60e9)).toBe('1m0s');
    expect(formatDuration(7200e9)).toBe('2h0m0s');
    expect(formatDuration(5400e9)).toBe('1h30m0s');
    expect(formatDuration(1.5e9)).toBe('1.5s');
    expect(formatDuration(500e6)).toBe('500ms');
    expect(formatDuration(100e3)).toBe('100µs');
    expect(formatDuration(1500)).toBe('1.5µs');
    expect(formatDuration(42)).toBe('42ns');
    expect(formatDuration(61e9)).toBe('1m1s');
  });
});
