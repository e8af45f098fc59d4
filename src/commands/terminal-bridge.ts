/**
 * Connects the user's terminal to a process in a container (`exec`, `run`, `attach`): input to its
 * stdin, its output to ours, and with a TTY the raw keyboard (so Ctrl-C, Ctrl-D and the arrow keys
 * reach the process) and the window size, kept in step when the terminal is resized.
 */
import type { ProcessStreams } from '../apply/engine.js';
import type { Context } from '../context.js';

export interface BridgeOptions {
  readonly tty: boolean;
  /** Send our stdin to the process. */
  readonly stdin: boolean;
}

/** Resolves when the process's output has ended (it exited or detached) and has been written out. */
export async function bridgeTerminal(ctx: Context, streams: ProcessStreams, options: BridgeOptions): Promise<void> {
  const input = ctx.stdin as NodeJS.ReadStream;
  const output = ctx.stdout as NodeJS.WriteStream;
  const cleanups: (() => void)[] = [];

  if (options.tty) {
    if (input.isTTY && typeof input.setRawMode === 'function') {
      input.setRawMode(true);
      cleanups.push(() => input.setRawMode(false));
    }
    const resize = (): void => {
      if (output.columns > 0 && output.rows > 0) void streams.resize({ columns: output.columns, rows: output.rows });
    };
    resize();
    output.on('resize', resize);
    cleanups.push(() => output.off('resize', resize));
  }

  const target = streams.stdin;
  if (options.stdin && target !== undefined) {
    const onData = (chunk: Buffer): void => {
      target.write(chunk);
    };
    // End of our input closes the process's stdin (`echo x | tscompose exec -T web cat`).
    const onEnd = (): void => {
      target.end();
    };
    input.on('data', onData);
    input.once('end', onEnd);
    input.resume();
    cleanups.push(() => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.pause();
    });
  }

  const drained = Promise.all([endOf(streams.stdout), endOf(streams.stderr)]);
  streams.stdout.pipe(ctx.stdout, { end: false });
  streams.stderr.pipe(options.tty ? ctx.stdout : ctx.stderr, { end: false });
  try {
    await streams.ended;
    await drained;
  } finally {
    for (const cleanup of cleanups.reverse()) cleanup();
  }
}

function endOf(stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
}
