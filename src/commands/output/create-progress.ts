/** Picks the progress renderer from --progress / COMPOSE_PROGRESS and whether stderr is a terminal. */
import type { Context } from '../../context.js';
import { silentProgress, type ProgressReporter } from '../../apply/progress.js';
import { JsonProgress } from './json-progress.js';
import { PlainProgress } from './plain-progress.js';
import { TtyProgress } from './tty-progress.js';

export function createProgress(ctx: Context): ProgressReporter {
  const mode = ctx.options.progress;
  const stderr = ctx.stderr as NodeJS.WriteStream;
  const interactive = Boolean(stderr.isTTY) && ctx.env.CI === undefined;
  if (mode === 'quiet') return silentProgress;
  if (mode === 'json') return new JsonProgress(ctx.stderr, ctx.options.dryRun);
  if (mode === 'tty' || (mode === 'auto' && interactive)) return new TtyProgress(stderr, ctx.options.dryRun);
  return new PlainProgress(ctx.stderr, ctx.options.dryRun);
}
