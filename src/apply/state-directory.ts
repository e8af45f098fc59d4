/**
 * tscompose's per-user state: `$XDG_STATE_HOME/tscompose`, by default `~/.local/state/tscompose`
 * (project locks, the key that seals recorded values).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function stateDirectory(env: Readonly<Record<string, string | undefined>>): string {
  const stateHome = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(stateHome, 'tscompose');
}
