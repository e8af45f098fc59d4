/**
 * Several containers' logs as one chronological stream. Each container's lines already come in
 * order, so a k-way merge on the engine's timestamps interleaves them exactly as they were
 * written, holding only one line per container in memory.
 */
import type { LogLine } from '../apply/engine.js';

export interface NamedLine {
  readonly name: string;
  readonly line: LogLine;
}

/**
 * Sortable form of an RFC 3339 timestamp: the fraction padded to nine digits, since the engine's
 * text may drop trailing zeros (`.1Z` must sort before `.105Z`).
 */
export function timestampKey(timestamp: string | undefined): string {
  if (timestamp === undefined) return '';
  const match = /^([^.]*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(.*)$/.exec(timestamp);
  return match ? `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}${match[3]}` : timestamp;
}

export interface MergeOptions {
  /** Called once, before the first line, with the sources that have any line (in their order). */
  readonly onFirstLines?: (names: readonly string[]) => void;
}

export async function* mergeByTimestamp(
  sources: readonly { name: string; lines: AsyncIterable<LogLine> }[],
  options: MergeOptions = {},
): AsyncIterable<NamedLine> {
  const iterators = sources.map((source) => ({ name: source.name, iterator: source.lines[Symbol.asyncIterator]() }));
  const heads = await Promise.all(iterators.map(({ iterator }) => iterator.next()));
  options.onFirstLines?.(iterators.filter((_, index) => !heads[index].done).map(({ name }) => name));
  try {
    for (;;) {
      let pick = -1;
      for (let index = 0; index < heads.length; index++) {
        const head = heads[index];
        if (head.done) continue;
        // Ties keep the sources' order, so equal timestamps print in a stable way.
        if (pick < 0 || timestampKey(head.value.timestamp) < timestampKey((heads[pick] as IteratorYieldResult<LogLine>).value.timestamp)) pick = index;
      }
      if (pick < 0) return;
      yield { name: iterators[pick].name, line: (heads[pick] as IteratorYieldResult<LogLine>).value };
      heads[pick] = await iterators[pick].iterator.next();
    }
  } finally {
    // Stopped early (an error, or the consumer broke off): release the streams still open.
    await Promise.all(iterators.map(({ iterator }, index) => (heads[index].done ? undefined : iterator.return?.())));
  }
}
