/**
 * Resuming a container's output after its stream broke off, without printing a line twice.
 *
 * The engine stamps a line when its log copier reads it, and the attach stream can deliver the
 * same line a moment before that: "since the arrival of the last line" may therefore still hold
 * the last line (seen under load). So the resumed stream starts a little earlier, with the
 * engine's timestamps, and the lines already printed are recognised and dropped: same stream,
 * same text, stamped close to when the printed copy arrived. Lines come in the order they were
 * written, so the first line that matches nothing ends the overlap.
 */
import type { LogLine } from '../apply/engine.js';

/** How far before the last arrival the resumed stream starts. */
export const RESUME_OVERLAP_MS = 1000;
/** How much later than its arrival the engine may have stamped a printed line. */
const STAMPED_AFTER_ARRIVAL_MS = 250;
/** How much earlier than its arrival the engine may have stamped a printed line. */
const STAMPED_BEFORE_ARRIVAL_MS = RESUME_OVERLAP_MS;
/** Lines remembered per stream: more than a second of output rarely matters here. */
const REMEMBERED_LINES = 64;

export interface PrintedLine {
  readonly stream: LogLine['stream'];
  readonly text: string;
  /** When it arrived, in milliseconds of the follower's clock. */
  readonly arrivedAt: number;
}

/** The last lines a stream delivered, with when they arrived. */
export class RecentLines {
  private readonly lines: PrintedLine[] = [];

  remember(line: LogLine, arrivedAt: number): void {
    this.lines.push({ stream: line.stream, text: line.text, arrivedAt });
    if (this.lines.length > REMEMBERED_LINES) this.lines.shift();
  }

  /** The ones a stream resumed `RESUME_OVERLAP_MS` before `resumeAt` can deliver again. */
  since(resumeAt: number): PrintedLine[] {
    const from = resumeAt - RESUME_OVERLAP_MS - STAMPED_AFTER_ARRIVAL_MS;
    return this.lines.filter((line) => line.arrivedAt >= from);
  }
}

/** Drops the leading lines of a resumed stream that were printed already (see the file comment). */
export async function* skipPrinted(resumed: AsyncIterable<LogLine>, printed: readonly PrintedLine[]): AsyncIterable<LogLine> {
  let pending = printed;
  for await (const line of resumed) {
    if (pending.length > 0) {
      const at = pending.findIndex((candidate) => isCopyOf(line, candidate));
      if (at >= 0) {
        pending = pending.slice(at + 1);
        continue;
      }
      pending = [];
    }
    yield line;
  }
}

function isCopyOf(line: LogLine, printed: PrintedLine): boolean {
  if (line.stream !== printed.stream || line.text !== printed.text || line.timestamp === undefined) return false;
  const stampedAt = Date.parse(line.timestamp);
  return stampedAt <= printed.arrivedAt + STAMPED_AFTER_ARRIVAL_MS && stampedAt >= printed.arrivedAt - STAMPED_BEFORE_ARRIVAL_MS;
}
