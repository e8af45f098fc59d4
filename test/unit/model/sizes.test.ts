import { parseSize } from '../../../src/model/sizes.js';
import { serviceFrom } from './support.js';

describe('sizes', () => {
  test('units must be binary multiples, case-insensitive, with optional b', () => {
    expect(parseSize('512m')).toBe(536870912);
    expect(parseSize('512M')).toBe(536870912);
    expect(parseSize('64mb')).toBe(67108864);
    expect(parseSize('1g')).toBe(1073741824);
    expect(parseSize('20480k')).toBe(20971520);
    expect(parseSize('100kb')).toBe(102400);
  });

  test('fractions must be truncated to whole bytes, like Go', () => {
    expect(parseSize('1.5G')).toBe(1610612736);
    expect(parseSize('0.5k')).toBe(512);
  });

  test('a bare number must be bytes', () => {
    expect(parseSize('1024')).toBe(1024);
    expect(parseSize(1073741824)).toBe(1073741824);
  });

  test('text that is not a size must give undefined', () => {
    expect(parseSize('lots')).toBeUndefined();
    expect(parseSize('12q')).toBeUndefined();
  });

  test('service sizes must be in bytes', () => {
    const s = serviceFrom('services:\n  s: {image: x, mem_limit: 512m, shm_size: 64mb, memswap_limit: 1g}\n');
    expect([s.mem_limit, s.shm_size, s.memswap_limit]).toEqual([536870912, 67108864, 1073741824]);
  });
});
