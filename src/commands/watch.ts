/**
 * `tscompose watch [SERVICE...]`: `up -d --build` (unless `--no-up`), then watch: copy changed
 * files into the containers, rebuild, restart, run hooks, reload services whose bind-mounted
 * files changed, and re-plan when the compose file or `.env` changes, until Ctrl-C (exit 130).
 * `up --watch` uses the same session (see `prepareUpWatch`).
 *
 * The watch configuration is checked before anything is started, with Compose's messages. While
 * watching, the project's lock is taken only for the moments that change containers (a restart,
 * a rebuild, a re-plan), so other commands on the project are not blocked for the whole session.
 */
import { Chalk } from 'chalk';
import type { ProgressReporter } from '../apply/progress.js';
import { silentProgress } from '../apply/progress.js';
import type { Context } from '../context.js';
import { CancelledError, type ConfigError } from '../errors.js';
import { renderProblems } from '../render-problems.js';
import type { ReportPaint } from '../watch/report.js';
import { startWatching, type WatchHandle, type WatchOutput, type WatchSessionOptions } from '../watch/session.js';
import { loadWatchProject, prepareTargets, type WatchProject } from '../watch/watch-project.js';
import { openEngineSession, type EngineSession } from './engine-session.js';
import { JsonProgress } from './output/json-progress.js';
import { PlainProgress } from './output/plain-progress.js';
import { progressMode } from './output/create-progress.js';
import { loadTarget, truthy } from './apply-plan.js';
import { convergeProject, orphanSettings } from './converge-project.js';

export interface WatchOptions {
  /** `--no-up`: watch the containers as they are. */
  readonly noUp: boolean;
  /** Remove the images rebuilds replace (default true; `--prune=false`). */
  readonly prune: boolean;
  /** Hide the builder's output. */
  readonly quiet: boolean;
}

export async function watchCommand(ctx: Context, services: readonly string[], options: WatchOptions): Promise<void> {
  // Check the watch configuration before starting anything.
  await prepareTargets(ctx, await loadWatchProject(ctx, services), { services });
  if (!options.noUp) await upFirst(ctx, services, options);
  if (ctx.options.dryRun) return;
  await watchUntilInterrupted(ctx, services, { prune: options.prune, quiet: options.quiet });
}

/** The `up -d` that `watch` runs first: Compose builds the images of services that have a build section. */
async function upFirst(ctx: Context, services: readonly string[], options: WatchOptions): Promise<void> {
  const target = await loadTarget(ctx, services);
  const orphans = orphanSettings(ctx, target, undefined);
  const session = await openEngineSession(ctx);
  try {
    await convergeProject(ctx, session, target, {
      services,
      recreate: 'diverged',
      recreateDependencies: 'diverged',
      ...orphans,
      images: { build: true, quietPull: options.quiet, ...(options.quiet ? { onBuildOutput: () => undefined } : {}) },
      reportUntouched: true,
    });
  } finally {
    session.close();
  }
}

interface SessionSettings {
  readonly prune: boolean;
  readonly quiet: boolean;
  readonly noBuild?: boolean;
  readonly replan?: WatchSessionOptions['replan'];
}

/** Watches with its own engine connection, taking the project's lock per action; ends with CancelledError. */
async function watchUntilInterrupted(ctx: Context, services: readonly string[], settings: SessionSettings): Promise<never> {
  const session = await openEngineSession(ctx);
  try {
    const project = await loadWatchProject(ctx, services);
    const handle = await startWatching(ctx, session.engine, project, sessionOptions(ctx, services, settings, session, project.project.name));
    await handle.done;
  } finally {
    session.close();
  }
  throw new CancelledError();
}

/** Plans run while watching print plain lines (a redrawing view would fight with the watch output). */
function watchProgress(ctx: Context): () => ProgressReporter {
  const mode = progressMode(ctx);
  if (mode === 'quiet') return () => silentProgress;
  if (mode === 'json') return () => new JsonProgress(ctx.stderr, false);
  return () => new PlainProgress(ctx.stderr, false);
}

function watchOutput(ctx: Context): WatchOutput {
  const chalk = new Chalk({ level: ctx.color ? 1 : 0 });
  const paint: ReportPaint = { service: chalk.cyan, dim: chalk.dim, error: chalk.red };
  const problemPaint = ctx.color
    ? { location: chalk.cyan, path: chalk.bold, message: chalk.red, hint: chalk.green, dim: chalk.dim }
    : undefined;
  const debugging = truthy(ctx.env.TSCOMPOSE_DEBUG);
  return {
    paint,
    info: (line) => ctx.stdout.write(`${line}\n`),
    error: (text) => ctx.stderr.write(`${text}\n`),
    problems: (error: ConfigError) =>
      ctx.stderr.write(renderProblems(error.problems, error.sources, problemPaint, { cwd: ctx.cwd }).replace(/nothing was changed\.\n$/, 'nothing was applied.\n')),
    ...(debugging ? { debug: (line: string) => ctx.stderr.write(`${chalk.dim(`debug: ${line}`)}\n`) } : {}),
  };
}

function sessionOptions(
  ctx: Context,
  services: readonly string[],
  settings: SessionSettings,
  session: EngineSession,
  projectName: string,
): WatchSessionOptions {
  return {
    services,
    prune: settings.prune,
    quiet: settings.quiet,
    ...(settings.noBuild ? { noBuild: true } : {}),
    ...(settings.replan ? { replan: settings.replan } : {}),
    withLock: (body) => session.holding(projectName, 'watch', body),
    sealKey: session.sealKey,
    progress: watchProgress(ctx),
    output: watchOutput(ctx),
    ...(truthy(ctx.env.TSCOMPOSE_WATCH_POLLING) ? { usePolling: true } : {}),
  };
}

/** What `up --watch` needs: checked before `up` starts anything, started after it converged. */
export interface UpWatch {
  /** Attached `up`: watch alongside the attached output, with up's engine session (which releases the lock once converged). */
  startAlongside(session: EngineSession): Promise<void>;
  /** Ends a watch started with startAlongside. */
  stop(): Promise<void>;
  /** Detached `up -d --watch`: watch until Ctrl-C, then throw CancelledError (returns at once with --dry-run). */
  runUntilInterrupted(): Promise<void>;
}

export async function prepareUpWatch(
  ctx: Context,
  services: readonly string[],
  options: { readonly noBuild: boolean; readonly scale: Readonly<Record<string, number>>; readonly noDeps: boolean; readonly quiet: boolean },
): Promise<UpWatch> {
  const settings: SessionSettings = {
    prune: true,
    quiet: options.quiet,
    noBuild: options.noBuild,
    replan: { scale: options.scale, noDeps: options.noDeps },
  };
  await prepareTargets(ctx, await loadWatchProject(ctx, services), { services, noBuild: options.noBuild });
  let handle: WatchHandle | undefined;
  return {
    async startAlongside(session: EngineSession): Promise<void> {
      if (ctx.options.dryRun) return;
      const project: WatchProject = await loadWatchProject(ctx, services);
      handle = await startWatching(ctx, session.engine, project, sessionOptions(ctx, services, settings, session, project.project.name));
    },
    async stop(): Promise<void> {
      await handle?.stop();
    },
    async runUntilInterrupted(): Promise<void> {
      if (ctx.options.dryRun) return;
      await watchUntilInterrupted(ctx, services, settings);
    },
  };
}
