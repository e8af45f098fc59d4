import { parseVolumeSpec } from '../../../../src/validate/syntax/volume-spec.js';

describe('volume spec', () => {
  test('a host path source must make a bind mount with its modes', () => {
    expect(parseVolumeSpec('./src:/app:ro,z')).toEqual({ ok: true, type: 'bind', source: './src', target: '/app', modes: ['ro', 'z'] });
  });

  test('a name source must make a volume mount', () => {
    expect(parseVolumeSpec('data:/data')).toEqual({ ok: true, type: 'volume', source: 'data', target: '/data', modes: [] });
  });

  test('a single absolute path must make an anonymous volume', () => {
    expect(parseVolumeSpec('/cache')).toEqual({ ok: true, type: 'volume', source: undefined, target: '/cache', modes: [] });
  });

  test('a one-letter name must stay a volume name, not a Windows drive', () => {
    expect(parseVolumeSpec('d:/d')).toMatchObject({ ok: true, type: 'volume', source: 'd', target: '/d' });
  });
});
