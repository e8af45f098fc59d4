/**
 * The engine's types that the container engine's interface (engine.ts) and Swarm's
 * (swarm-engine.ts) share: here, so that neither imports the other for them.
 */

/** Options every call accepts. */
export interface CallOptions {
  /** Aborting cancels the call (CancelledError) or ends the stream. */
  readonly signal?: AbortSignal;
  /** Deadline for calls that return a single answer; ignored by streams. */
  readonly timeoutMs?: number;
}

export interface NetworkSummary {
  readonly id: string;
  readonly name: string;
  readonly driver: string;
  readonly scope: string;
  readonly internal: boolean;
  readonly attachable: boolean;
  readonly labels: Readonly<Record<string, string>>;
  /** RFC 3339 creation time (orders same-name duplicates a racing create can leave). */
  readonly created: string;
}

export interface LogLine {
  readonly stream: 'stdout' | 'stderr';
  /** Without the trailing newline (a final unterminated line is delivered too). */
  readonly text: string;
  /** RFC 3339 with nanoseconds, when timestamps were asked for. */
  readonly timestamp?: string;
}
