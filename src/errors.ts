/**
 * Errors are data until cli.ts: every stage throws one of these classes, and only the CLI turns
 * them into text and an exit code. A user error never prints a stack trace.
 */

/** A position in a source file; line and col are 1-based, as editors show them. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** One thing wrong with the user's configuration. Stages collect these and report all at once. */
export interface Problem {
  /** Dotted path of the offending node, e.g. `services.web.ports[0]`; '' for the whole file. */
  readonly path: string;
  /** Plain sentence: what is wrong. */
  readonly message: string;
  /** Where the node was written, when known (also after merges and interpolation). */
  readonly location?: SourceLocation;
  /** What to do about it, e.g. "did you mean `environment`?". */
  readonly hint?: string;
}

/** Base class: carries the exit code the CLI uses. */
export class TscomposeError extends Error {
  readonly exitCode: number = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The configuration is invalid. Holds every problem found, plus the text of the files involved so
 * the CLI can print a code frame (stdin cannot be read twice).
 */
export class ConfigError extends TscomposeError {
  readonly problems: readonly Problem[];
  readonly sources: ReadonlyMap<string, string>;
  constructor(problems: readonly Problem[], sources: ReadonlyMap<string, string> = new Map()) {
    // The CLI prints the problems with code frames; elsewhere (a failed step of a plan) only the
    // message is shown, so it must name every problem.
    super(
      problems.length === 1
        ? problems[0].message
        : `${problems.length} problems in the configuration:\n${problems.map((problem) => `${problem.path ? `${problem.path}: ` : ''}${problem.message}`).join('\n')}`,
    );
    this.problems = problems;
    this.sources = sources;
  }
}

/** The command line itself is wrong (unknown flag combination, bad project name, ...). */
export class UsageError extends TscomposeError {}

/**
 * What went wrong with an engine call, so callers can branch on it without matching messages:
 * `not-found` (HTTP 404), `conflict` (409), `unreachable` (no engine answers at the endpoint),
 * `timeout` (the engine accepted the call but did not answer in time), `bad-endpoint` (DOCKER_HOST,
 * the Docker context or the TLS material cannot be used), `failed` (anything else).
 */
export type EngineErrorKind = 'not-found' | 'conflict' | 'unreachable' | 'timeout' | 'bad-endpoint' | 'failed';

/** An engine call failed; `statusCode` is the HTTP status when the engine answered. */
export class EngineError extends TscomposeError {
  readonly operation: string;
  readonly resource?: string;
  readonly statusCode?: number;
  readonly kind: EngineErrorKind;
  constructor(
    message: string,
    details: { operation: string; resource?: string; statusCode?: number; kind?: EngineErrorKind; cause?: unknown },
  ) {
    super(message, { cause: details.cause });
    this.operation = details.operation;
    this.resource = details.resource;
    this.statusCode = details.statusCode;
    this.kind =
      details.kind ?? (details.statusCode === 404 ? 'not-found' : details.statusCode === 409 ? 'conflict' : 'failed');
  }
}

/** The user interrupted the command (Ctrl-C); exits 130 like Compose. */
export class CancelledError extends TscomposeError {
  override readonly exitCode: number = 130;
  constructor(message = 'canceled') {
    super(message);
  }
}

/** A command finished but must exit with a specific code (e.g. `up --exit-code-from`). */
export class ExitCodeError extends TscomposeError {
  override readonly exitCode: number;
  constructor(exitCode: number, message = '') {
    super(message);
    this.exitCode = exitCode;
  }
}

/** A bug in tscompose, not the user's fault: the CLI prints the stack and asks for a report. */
export class InternalError extends TscomposeError {}
