/**
 * `tscompose attach SERVICE`: the terminal joined to a running container's main process (its
 * output, and its stdin when it was created with one open, unless `--no-stdin`). Ends when the
 * process exits (with its exit code), or on the detach keys (Ctrl-P Ctrl-Q; the container runs
 * on). Without a TTY, Ctrl-C is passed on to the process (`--sig-proxy`, the default).
 */
import type { Context } from '../context.js';
import { EngineError, ExitCodeError } from '../errors.js';
import { openEngine } from './engine-session.js';
import { loadProjectOrName, rejectUnknownServiceNames } from './project-or-name.js';
import { pickServiceContainer } from '../api/service-containers.js';
import { bridgeTerminal } from './terminal-bridge.js';

export interface AttachOptions {
  readonly detachKeys?: string;
  readonly index?: number;
  readonly noStdin: boolean;
  readonly sigProxy: boolean;
}

export async function attachCommand(ctx: Context, service: string, options: AttachOptions): Promise<void> {
  const { name, project } = await loadProjectOrName(ctx);
  rejectUnknownServiceNames(project, [service]);
  if (ctx.options.dryRun) return;
  const engine = await openEngine(ctx);
  try {
    const container = await pickServiceContainer(ctx, engine, name, service, options.index === undefined ? {} : { index: options.index });
    const details = await engine.inspectContainer(container.id, { signal: ctx.signal });
    const stdin = !options.noStdin && details.openStdin;
    const streams = await engine.attachStreams(container.id, {
      tty: details.tty,
      stdin,
      ...(options.detachKeys === undefined ? {} : { detachKeys: options.detachKeys }),
      signal: ctx.forceSignal,
    });
    const forward = (): void => {
      if (options.sigProxy && !details.tty) void engine.killContainer(container.id, { killSignal: 'SIGINT' }).catch(() => undefined);
      else streams.close();
    };
    ctx.signal.addEventListener('abort', forward, { once: true });
    ctx.forceSignal.addEventListener('abort', () => streams.close(), { once: true });
    try {
      await bridgeTerminal(ctx, streams, { tty: details.tty, stdin });
    } finally {
      ctx.signal.removeEventListener('abort', forward);
    }
    // Detached (or interrupted): the container runs on; exited: its code is ours, as with docker attach.
    const after = await engine.inspectContainer(container.id, { signal: ctx.forceSignal }).catch((error: unknown) => {
      if (error instanceof EngineError && error.kind === 'not-found') return undefined;
      throw error;
    });
    if (after !== undefined && !after.state.running && after.state.exitCode !== 0) throw new ExitCodeError(after.state.exitCode);
    if (after?.state.running && ctx.signal.aborted) throw new ExitCodeError(130);
  } finally {
    engine.close();
  }
}
