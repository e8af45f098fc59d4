/**
 * The pre-scan that refuses `[[[[...` before yaml's recursive parser sees it jumps between the
 * characters that matter; it must find exactly what a plain scan over every character finds.
 */
import fc from 'fast-check';
import { flowDepthExceeded } from '../../../src/load/parse-yaml.js';

const RUNS = Number(process.env.FAST_CHECK_RUNS ?? 200);

/** The plain scan: one character at a time, quoted text and comments skipped. */
function plainScan(text: string, maxDepth: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const prev = i > 0 ? text[i - 1] : '\n';
    if (c === '[' || c === '{') {
      if (++depth > maxDepth) return i;
    } else if (c === ']' || c === '}') {
      if (depth > 0) depth--;
    } else if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === "'" && ' \n\t[{,:'.includes(prev)) {
      for (i++; i < text.length && text[i] !== "'"; i++);
    } else if (c === '#' && ' \n\t'.includes(prev)) {
      while (i < text.length && text[i] !== '\n') i++;
    }
  }
  return -1;
}

/** Text made mostly of the characters the scan treats specially. */
const yamlish = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', "'", '#', '\\', ' ', '\n', '\t', ',', ':', 'a'), maxLength: 200 });

describe('flowDepthExceeded', () => {
  it('must report the offset a character-by-character scan reports, or -1 with it', () => {
    fc.assert(
      fc.property(yamlish, fc.integer({ min: 0, max: 6 }), (text, maxDepth) => {
        expect(flowDepthExceeded(text, maxDepth)).toBe(plainScan(text, maxDepth));
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it('must find nesting past the limit behind quoted brackets, escapes and comments', () => {
    const text = `a: "[[\\"[[" # [[[\nb: '[[' \nc: [[[x]]]`;
    expect(flowDepthExceeded(text, 2)).toBe(text.indexOf('[[[x') + 2);
    expect(flowDepthExceeded(text, 3)).toBe(-1);
  });
});
