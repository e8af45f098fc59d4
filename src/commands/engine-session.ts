/**
 * The engine a command talks to, opened through the command's context (`ctx.connectEngine`: the
 * endpoint the Docker CLI would use, or a test's fake), only when the command needs one. Commands
 * that change a project use a session (api/engine-session.ts), which adds the project's lock.
 */
import type { Engine } from '../apply/engine.js';
import { openEngineSession as openSession, type EngineSession } from '../api/engine-session.js';
import type { Context } from '../context.js';

export type { EngineSession } from '../api/engine-session.js';

/** An engine for commands that only read or build; the caller closes it when done. */
export async function openEngine(ctx: Context): Promise<Engine> {
  return (await ctx.connectEngine()).engine;
}

/** An engine for commands that change a project: checked to answer first, with the project lock. */
export function openEngineSession(ctx: Context): Promise<EngineSession> {
  return openSession({ connect: ctx.connectEngine, env: ctx.env, signal: ctx.signal, forceSignal: ctx.forceSignal, warn: (message) => ctx.warn(message) });
}
