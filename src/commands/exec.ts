/**
 * `tscompose exec SERVICE COMMAND...`: run a command in a running container of the service. With
 * a terminal on both ends (and no -T) the command gets a TTY of the terminal's size, resized along
 * with it, and the keyboard raw (Ctrl-C reaches the command); otherwise stdin, stdout and stderr
 * are streamed apart. The command's exit code is tscompose's.
 */
import type { Context } from '../context.js';
import { ExitCodeError, UsageError } from '../errors.js';
import { openEngine } from './engine-session.js';
import { loadProjectOrName, rejectUnknownServiceNames } from './project-or-name.js';
import { pickServiceContainer } from '../api/service-containers.js';
import { bridgeTerminal } from './terminal-bridge.js';

export interface ExecCommandOptions {
  readonly detach: boolean;
  /** `-e KEY=value` (or `KEY` alone: taken from our environment, dropped when unset). */
  readonly env: readonly string[];
  readonly index?: number;
  /** `-T`. */
  readonly noTty: boolean;
  /** `-i` (Compose keeps stdin open by default). */
  readonly interactive: boolean;
  readonly privileged: boolean;
  readonly user?: string;
  readonly workdir?: string;
}

export async function execCommand(ctx: Context, service: string, command: readonly string[], options: ExecCommandOptions): Promise<void> {
  if (command.length === 0) throw new UsageError('exec needs a command to run: tscompose exec SERVICE COMMAND [ARGS...]');
  const { name, project } = await loadProjectOrName(ctx);
  rejectUnknownServiceNames(project, [service]);
  if (ctx.options.dryRun) return;
  const engine = await openEngine(ctx);
  try {
    const container = await pickServiceContainer(ctx, engine, name, service, { ...(options.index === undefined ? {} : { index: options.index }) });
    const tty = !options.noTty && isTerminal(ctx.stdin) && isTerminal(ctx.stdout);
    const stdin = options.interactive && !options.detach;
    const process = await engine.startExec(container.id, {
      command,
      tty,
      stdin,
      detach: options.detach,
      env: resolveEnvironment(options.env, ctx.env),
      privileged: options.privileged,
      ...(options.user === undefined ? {} : { user: options.user }),
      ...(options.workdir === undefined ? {} : { workingDir: options.workdir }),
      signal: ctx.forceSignal,
    });
    if (options.detach) return;
    // A first Ctrl-C without a TTY (with one it is a key the command gets) ends the session; the command keeps its own fate, as with Compose.
    const onInterrupt = (): void => process.close();
    ctx.signal.addEventListener('abort', onInterrupt, { once: true });
    try {
      await bridgeTerminal(ctx, process, { tty, stdin });
    } finally {
      ctx.signal.removeEventListener('abort', onInterrupt);
    }
    if (ctx.signal.aborted) throw new ExitCodeError(130);
    const exitCode = await process.exitCode();
    if (exitCode !== 0) throw new ExitCodeError(exitCode);
  } finally {
    engine.close();
  }
}

export function isTerminal(stream: unknown): boolean {
  return Boolean((stream as { isTTY?: boolean }).isTTY);
}

/** `-e KEY=value` as given; `-e KEY` takes our value, and is left out when we have none (as the Docker CLI does). */
export function resolveEnvironment(entries: readonly string[], env: Readonly<Record<string, string | undefined>>): string[] {
  const resolved: string[] = [];
  for (const entry of entries) {
    if (entry.includes('=')) resolved.push(entry);
    else if (env[entry] !== undefined) resolved.push(`${entry}=${env[entry]}`);
  }
  return resolved;
}
