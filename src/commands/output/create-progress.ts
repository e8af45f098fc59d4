/** Picks the progress renderer from --progress / COMPOSE_PROGRESS and whether stderr is a terminal. */
import type { Context } from '../../context.js';
import { silentProgress, type ProgressReporter } from '../../apply/progress.js';
import { JsonProgress } from './json-progress.js';
import { PlainProgress } from './plain-progress.js';
import { TtyProgress } from './tty-progress.js';

/**
 * The renderer `createProgress` picks: `auto` resolved to `tty` or `plain`. `--ansi never` rules
 * out the redrawn view (it moves the cursor); `--progress tty` with it is refused by the CLI.
 */
export function progressMode(ctx: Context): 'quiet' | 'json' | 'tty' | 'plain' {
  const mode = ctx.options.progress;
  const stream = ctx.stderr as NodeJS.WriteStream;
  // A terminal that reports no width (`ssh -tt`, `script` without a size) cannot hold a redrawn
  // view: it would be wrapped one character per line. Plain lines read well anywhere.
  const sizeless = Boolean(stream.isTTY) && !(Number(stream.columns) > 0);
  const interactive = Boolean(stream.isTTY) && !sizeless && ctx.env.CI === undefined && ctx.options.ansi !== 'never';
  if (mode === 'tty' && sizeless) return 'plain';
  if (mode === 'quiet' || mode === 'json' || mode === 'tty') return mode;
  return mode === 'auto' && interactive ? 'tty' : 'plain';
}

export function createProgress(ctx: Context): ProgressReporter {
  switch (progressMode(ctx)) {
    case 'quiet':
      return silentProgress;
    case 'json':
      return new JsonProgress(ctx.stderr, ctx.options.dryRun);
    case 'tty':
      return new TtyProgress(ctx.stderr as NodeJS.WriteStream, ctx.options.dryRun, ctx.stderrColor);
    case 'plain':
      return new PlainProgress(ctx.stderr, ctx.options.dryRun);
  }
}
