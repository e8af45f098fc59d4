/**
 * The ssh agents a BuildKit build forwards to `RUN --mount=type=ssh` steps, by id: `default` is
 * the user's agent (SSH_AUTH_SOCK); `id=path` names an agent socket, or private key files, which
 * are loaded into an ssh-agent of our own for the duration of the build (OpenSSH's `ssh-agent`
 * and `ssh-add`; a key with a passphrase cannot be loaded without a terminal, so it must come
 * through the user's own agent). The keys never leave this machine: the build only gets
 * signatures through the forwarded agent.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineError } from '../errors.js';

export interface SshAgents {
  /** Socket path by id. */
  readonly sockets: Readonly<Record<string, string>>;
  /** Stops the agents started for key files. */
  stop(): void;
}

/**
 * `default`, `id`, `id=path[,path...]` (the --ssh form) or `id: path` (the model's, as `config`
 * prints it) -> id and paths (none: the user's agent).
 */
export function parseSshEntry(entry: string): { id: string; paths: string[] } {
  const match = /^([^=:\s]+)\s*(?:=|:\s)\s*(.*)$/.exec(entry);
  if (!match) return { id: entry.trim(), paths: [] };
  return { id: match[1], paths: match[2].split(',').map((path) => path.trim()).filter((path) => path !== '') };
}

function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

async function waitForSocket(path: string, agent: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!isSocket(path)) {
    if (agent.exitCode !== null || Date.now() > deadline) throw new Error('ssh-agent did not start');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function sshAdd(socket: string, key: string, env: Readonly<Record<string, string | undefined>>): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'ssh-add',
      ['-q', key],
      // No askpass and no terminal: a key with a passphrase fails instead of prompting.
      { env: { PATH: env.PATH ?? '/usr/bin:/bin', SSH_AUTH_SOCK: socket, SSH_ASKPASS_REQUIRE: 'never' }, timeout: 10_000 },
      (error, _stdout, stderr) => (error ? reject(new Error(stderr.trim() || error.message)) : resolve()),
    ).stdin?.end();
  });
}

/**
 * The agents for `entries` (build.ssh and --ssh, later entries winning for one id). Throws naming
 * the entry when an agent is missing or a key cannot be loaded; agents started so far are stopped.
 */
export async function startSshAgents(entries: readonly string[], env: Readonly<Record<string, string | undefined>>, service: string): Promise<SshAgents> {
  const wanted = new Map<string, string[]>();
  for (const entry of entries) {
    const { id, paths } = parseSshEntry(entry);
    wanted.set(id, paths);
  }
  const sockets: Record<string, string> = {};
  const started: { agent: ChildProcess; dir: string }[] = [];
  const stop = (): void => {
    for (const { agent, dir } of started) {
      agent.kill();
      rmSync(dir, { recursive: true, force: true });
    }
    started.length = 0;
  };
  try {
    for (const [id, paths] of wanted) {
      if (paths.length === 0) {
        const socket = env.SSH_AUTH_SOCK;
        if (!socket || !isSocket(socket)) {
          throw new EngineError(`service "${service}": build.ssh "${id}" forwards your ssh agent, but SSH_AUTH_SOCK ${socket ? `(${socket}) is not a socket` : 'is not set'}; start ssh-agent or name key files (${id}=~/.ssh/id_ed25519)`, {
            operation: 'forward ssh agent',
          });
        }
        sockets[id] = socket;
      } else if (paths.length === 1 && isSocket(paths[0])) {
        sockets[id] = paths[0];
      } else {
        const dir = mkdtempSync(join(tmpdir(), 'tscompose-ssh-'));
        const socket = join(dir, 'agent.sock');
        const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
        started.push({ agent, dir });
        const spawnFailure = new Promise<never>((_, reject) => agent.once('error', reject));
        await Promise.race([waitForSocket(socket, agent, 5_000), spawnFailure]).catch((error: Error) => {
          throw new EngineError(`service "${service}": could not start ssh-agent for build.ssh "${id}": ${error.message} (is OpenSSH's ssh-agent installed?)`, {
            operation: 'forward ssh agent',
          });
        });
        for (const key of paths) {
          await sshAdd(socket, key, env).catch((error: Error) => {
            throw new EngineError(
              `service "${service}": could not load the ssh key ${key} for build.ssh "${id}": ${error.message}; a key with a passphrase must come through your own agent (build.ssh: default)`,
              { operation: 'forward ssh agent' },
            );
          });
        }
        sockets[id] = socket;
      }
    }
  } catch (error) {
    stop();
    throw error;
  }
  return { sockets, stop };
}
