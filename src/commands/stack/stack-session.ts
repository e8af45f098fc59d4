/**
 * What every `tscompose stack` command starts with: the engine, checked to answer and to be a
 * swarm manager, as docker stack checks it first (a swarm call on another engine fails with a
 * message about services or networks that does not say what is wrong).
 */
import type { SwarmEngine, SwarmInfo } from '../../apply/swarm-engine.js';
import type { Context } from '../../context.js';
import { TscomposeError } from '../../errors.js';
import { openEngineSession, type EngineSession } from '../engine-session.js';

export interface StackSession extends EngineSession {
  readonly swarm: SwarmEngine;
  readonly info: SwarmInfo;
}

export async function openStackSession(ctx: Context): Promise<StackSession> {
  const session = await openEngineSession(ctx);
  try {
    const swarm = session.engine.swarm?.();
    if (!swarm) throw new TscomposeError(`the engine at ${session.engine.description} has no swarm mode`);
    const info = await swarm.info({ signal: ctx.forceSignal });
    if (!info.controlAvailable) {
      throw new TscomposeError(
        info.localNodeState === 'active'
          ? 'this node is not a swarm manager: run the command on a manager node (docker node ls lists them)'
          : 'this node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again',
      );
    }
    return { ...session, swarm, info };
  } catch (error) {
    session.close();
    throw error;
  }
}

/** Runs `body` with a stack session and closes it however it ends. */
export async function withStackSession<T>(ctx: Context, body: (session: StackSession) => Promise<T>): Promise<T> {
  const session = await openStackSession(ctx);
  try {
    return await body(session);
  } finally {
    session.close();
  }
}
