/**
 * Numbers as Compose reads them from YAML or from interpolated strings: CPU counts and byte
 * sizes (`512m` = 512 MiB, as the engine's own parser reads it). Used to compare two spellings
 * of one limit; the schema already rejected what does not parse.
 */

const SIZE = /^([0-9]+(?:\.[0-9]+)?) ?([kmgtp]?)i?b?$/i;
const UNIT: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** Bytes for a number or a size string; undefined when it does not read as one. */
export function bytesOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = SIZE.exec(value.trim());
  if (!match) return undefined;
  return Math.floor(Number(match[1]) * UNIT[match[2].toLowerCase()]);
}

/** A number, or a string that reads as one; undefined otherwise. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}
