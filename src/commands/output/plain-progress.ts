/** `--progress plain`: one line per event, in Compose's wording, for pipes and CI logs. */
import type { Writable } from 'node:stream';
import type { ProgressEvent, ProgressReporter } from '../../apply/progress.js';

export const DRY_RUN_PREFIX = 'DRY-RUN MODE - ';

export class PlainProgress implements ProgressReporter {
  constructor(
    private readonly out: Writable,
    private readonly dryRun = false,
  ) {}

  start(_ids?: readonly string[]): void {}

  event(event: ProgressEvent): void {
    const prefix = this.dryRun ? DRY_RUN_PREFIX : '';
    const details = event.details ? ` ${event.details}` : '';
    this.out.write(`${prefix} ${event.id}  ${event.text}${details}\n`);
  }

  async stop(): Promise<void> {}
}
