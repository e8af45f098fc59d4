/**
 * Everything effectful that commands use comes in through a Context: no module-level singletons,
 * so the same command code runs in the CLI, in tests and in watch mode.
 */
import type { Writable, Readable } from 'node:stream';
import type { ConnectEngine } from './api/engine-session.js';

/** Options that every command accepts (Compose's global flags). */
export interface GlobalOptions {
  /** `-f`, repeatable; `-` reads stdin. Empty means discovery (or COMPOSE_FILE). */
  readonly files: readonly string[];
  readonly projectName?: string;
  readonly projectDirectory?: string;
  readonly profiles: readonly string[];
  readonly envFiles: readonly string[];
  /** Cap on concurrent engine operations; undefined = unlimited. */
  readonly parallel?: number;
  readonly progress: 'auto' | 'tty' | 'plain' | 'quiet' | 'json';
  readonly ansi: 'auto' | 'always' | 'never';
  readonly dryRun: boolean;
}

export interface Context {
  readonly cwd: string;
  /** The process environment as seen by this command (tests pass their own). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Aborted on the first Ctrl-C; commands stop gracefully. */
  readonly signal: AbortSignal;
  /** Aborted on the second Ctrl-C; commands stop waiting and kill. */
  readonly forceSignal: AbortSignal;
  readonly now: () => number;
  readonly options: GlobalOptions;
  /** Whether stdout may be coloured (`--ansi`, NO_COLOR, a terminal: commands/output/ansi-policy.ts). */
  readonly color: boolean;
  /** The same for stderr: the progress view, warnings and errors. */
  readonly stderrColor: boolean;
  /** Prints a warning line on stderr, the way Compose does. */
  warn(message: string): void;
  /**
   * Connects to the engine: the CLI resolves the endpoint like the Docker CLI and loads the engine
   * client on first use (so `config` never loads it); unit tests pass a fake engine.
   */
  readonly connectEngine: ConnectEngine;
}
