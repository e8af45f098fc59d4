/**
 * Container output, merged into one stream the way Compose prints it:
 *
 *     web-1          | listening on :80
 *     longer-name-1  | ready
 *
 * Each container gets a prefix padded to the longest registered name, coloured per service
 * (Compose's rainbow: cyan, yellow, green, magenta, blue, then their bold variants), or no prefix
 * at all (`--no-log-prefix`). Every line is written with one `write` call, so lines of different
 * containers never interleave mid-line; raw chunks are buffered per container until their line is
 * complete. It knows nothing about the `logs` command: `up` (attached mode) feeds it the same way.
 *
 * While held (`hold()`), lines are queued instead of written and printed by `release()`: attached
 * `up` holds the output while a progress view owns the terminal, and formats each line only when
 * it is printed, so its prefix is padded to every container registered by then.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Writable } from 'node:stream';
import type { LogLine } from '../../apply/engine.js';

export interface LogPrinterOptions {
  readonly out: Writable;
  /** Where the containers' stderr lines go (Compose keeps them apart); default `out`. */
  readonly err?: Writable;
  /** ANSI colours on the prefixes (off for NO_COLOR, `--ansi never`, `--no-color`, pipes). */
  readonly color: boolean;
  /** false for `--no-log-prefix`. */
  readonly prefix?: boolean;
  /** Print each line's engine timestamp after the prefix (`-t`). */
  readonly timestamps?: boolean;
  /** Most output entries queued while held; older ones are dropped past it (and counted). */
  readonly holdLimit?: number;
}

/** Enough for a chatty service's start-up, small enough to never matter for memory. */
const DEFAULT_HOLD_LIMIT = 10_000;

type Paint = (text: string) => string;

interface Source {
  readonly service: string;
  readonly paint: Paint;
  /** An unterminated line fed through `write`. */
  pending: string;
  /** The painted prefix, made for the width in `prefixWidth`. */
  prefix?: string;
  prefixWidth?: number;
}

function rainbow(chalk: ChalkInstance): Paint[] {
  return [
    chalk.cyan,
    chalk.yellow,
    chalk.green,
    chalk.magenta,
    chalk.blue,
    chalk.cyan.bold,
    chalk.yellow.bold,
    chalk.green.bold,
    chalk.magenta.bold,
    chalk.blue.bold,
  ];
}

export class LogPrinter {
  private readonly sources = new Map<string, Source>();
  private readonly serviceColors = new Map<string, Paint>();
  private readonly palette: Paint[];
  private width = 0;
  /** Output waiting for `release()`; undefined when not held. */
  private held?: (() => void)[];
  private dropped = 0;
  /** Streams corked until the end of this tick (see `print`). */
  private readonly corked = new Set<Writable>();

  constructor(private readonly options: LogPrinterOptions) {
    this.palette = rainbow(new Chalk({ level: options.color ? 1 : 0 }));
  }

  /**
   * Announces a container (by its display name, e.g. `web-1`) before its output arrives, so the
   * prefixes line up. Registering again is harmless; a longer name widens later prefixes.
   */
  register(name: string, service: string): void {
    if (this.sources.has(name)) return;
    let paint = this.serviceColors.get(service);
    if (!paint) {
      paint = this.palette[this.serviceColors.size % this.palette.length];
      this.serviceColors.set(service, paint);
    }
    this.sources.set(name, { service, paint, pending: '' });
    this.width = Math.max(this.width, length(name));
  }

  /** The prefix of a container's lines: `web-1  | `, padded and coloured. */
  prefix(name: string): string {
    if (this.options.prefix === false) return '';
    const source = this.source(name);
    if (source.prefixWidth !== this.width) {
      source.prefix = source.paint(`${name.padEnd(this.width + 1 - (length(name) - name.length))} | `);
      source.prefixWidth = this.width;
    }
    return source.prefix!;
  }

  /** Queues output from now on, until `release()`. */
  hold(): void {
    this.held ??= [];
  }

  /** Prints what was queued while held (after a note if some was dropped), then prints as it comes. */
  release(): void {
    const queued = this.held;
    if (queued === undefined) return;
    this.held = undefined;
    if (this.dropped > 0) {
      this.options.out.write(`(${this.dropped} earlier lines of container output not shown here; "logs" has them)\n`);
      this.dropped = 0;
    }
    for (const print of queued) print();
  }

  /** Prints one whole line of a container's output. */
  line(name: string, line: LogLine): void {
    if (this.held === undefined) this.print(name, line);
    else this.emit(() => this.print(name, line));
  }

  /**
   * Output arrives in bursts (a chunk of a stream holds many lines): the stream is corked until the
   * end of the tick, so a burst goes out in one system call instead of one per line. Corking
   * buffers every write to the stream, whoever makes it, so the order of all output is kept.
   */
  private print(name: string, line: LogLine): void {
    const stamp = this.options.timestamps && line.timestamp ? `${line.timestamp} ` : '';
    const out = line.stream === 'stderr' ? (this.options.err ?? this.options.out) : this.options.out;
    if (!this.corked.has(out)) {
      this.corked.add(out);
      out.cork();
      process.nextTick(() => {
        this.corked.delete(out);
        out.uncork();
      });
    }
    out.write(`${this.prefix(name)}${stamp}${line.text}\n`);
  }

  /** Feeds raw output; complete lines are printed, the rest waits for its newline or `end`. */
  write(name: string, chunk: string): void {
    const source = this.source(name);
    const text = source.pending + chunk;
    const lines = text.split('\n');
    source.pending = lines.pop()!;
    for (const line of lines) this.line(name, { stream: 'stdout', text: line.replace(/\r$/, '') });
  }

  /** The container's output ended: prints a pending unterminated line. */
  end(name: string): void {
    const source = this.sources.get(name);
    if (!source || source.pending === '') return;
    const text = source.pending;
    source.pending = '';
    this.line(name, { stream: 'stdout', text: text.replace(/\r$/, '') });
  }

  /** Compose's `web-1 exited with code 0`. */
  exited(name: string, exitCode: number): void {
    this.emit(() => this.options.out.write(`${name} exited with code ${exitCode}\n`));
  }

  private emit(print: () => void): void {
    if (this.held === undefined) return print();
    this.held.push(print);
    if (this.held.length > (this.options.holdLimit ?? DEFAULT_HOLD_LIMIT)) {
      this.held.shift();
      this.dropped++;
    }
  }

  private source(name: string): Source {
    if (!this.sources.has(name)) this.register(name, name);
    return this.sources.get(name)!;
  }
}

/** Width in characters as a terminal shows them (code points, not UTF-16 units). */
function length(text: string): number {
  return [...text].length;
}
