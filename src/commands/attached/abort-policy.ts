/**
 * `--abort-on-container-exit`, `--abort-on-container-failure` and `--exit-code-from` (Compose's
 * semantics): which exit stops the whole run, and the code `up` then exits with.
 *
 * - exit: the first exit of a waited-for container stops everything; `up` exits with its code.
 * - failure: the same, but only a non-zero exit counts (a clean exit is just reported).
 * - `--exit-code-from S` implies "exit" (unless "failure" was asked for) and makes `up` exit with
 *   the code of S's first exit, whichever container triggered the stop (so a service stopped by
 *   the abort returns 143, as with Compose).
 * - Without any of them, `up` exits 0 once its containers are gone, whatever their codes.
 */
export type AbortMode = 'never' | 'exit' | 'failure';

export class AbortPolicy {
  private trigger?: number;
  private fromService?: number;

  constructor(
    readonly mode: AbortMode,
    private readonly exitCodeFrom?: string,
  ) {}

  /**
   * Records an exit. Returns true the first time the run must be stopped because of it; `waited`
   * says whether the container is one the run waits for (only those trigger).
   */
  record(service: string, exitCode: number, waited: boolean): boolean {
    if (service === this.exitCodeFrom && this.fromService === undefined) this.fromService = exitCode;
    if (this.mode === 'never' || this.trigger !== undefined || !waited) return false;
    if (this.mode === 'failure' && exitCode === 0) return false;
    this.trigger = exitCode;
    return true;
  }

  get triggered(): boolean {
    return this.trigger !== undefined;
  }

  /** What `up` exits with (when it was not interrupted). */
  exitCode(): number {
    if (this.exitCodeFrom !== undefined) return this.fromService ?? this.trigger ?? 0;
    return this.trigger ?? 0;
  }
}

export function abortMode(options: { abortOnContainerExit: boolean; abortOnContainerFailure?: boolean; exitCodeFrom?: string }): AbortMode {
  if (options.abortOnContainerFailure) return 'failure';
  return options.abortOnContainerExit || options.exitCodeFrom !== undefined ? 'exit' : 'never';
}
