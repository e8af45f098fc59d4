/**
 * Byte sizes as Compose reads them (docker/go-units RAMInBytes): `512m`, `1.5G`, `64mb`, `20480k`
 * are binary multiples (k = 1024); a bare number is bytes. `config` prints sizes as decimal
 * strings, which the printer does.
 */
import type { Bytes } from './types.js';

const SIZE = /^(\d+(?:\.\d+)?) ?([kmgtp])?i?b?$/i;

const MULTIPLIER: Readonly<Record<string, number>> = {
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};

/** Returns undefined when the value is not a size. */
export function parseSize(value: unknown): Bytes | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = SIZE.exec(value.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = match[2] ? MULTIPLIER[match[2].toLowerCase()] : 1;
  // Go multiplies in floating point and truncates to an integer.
  return Math.trunc(amount * unit);
}
