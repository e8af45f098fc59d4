/** `--progress json`: one JSON object per event and line, the shape Compose uses. */
import type { Writable } from 'node:stream';
import type { ProgressEvent, ProgressReporter } from '../../apply/progress.js';

const STATUS: Record<ProgressEvent['state'], string> = { working: 'Working', done: 'Done', warning: 'Warning', error: 'Error' };

export class JsonProgress implements ProgressReporter {
  constructor(
    private readonly out: Writable,
    private readonly dryRun = false,
  ) {}

  start(_ids?: readonly string[]): void {}

  event(event: ProgressEvent): void {
    const message: Record<string, unknown> = {};
    if (this.dryRun) message['dry-run'] = true;
    message.id = event.id;
    if (event.parentId) message.parent_id = event.parentId;
    message.status = STATUS[event.state];
    message.text = event.text;
    if (event.details) message.details = event.details;
    this.out.write(`${JSON.stringify(message)}\n`);
  }

  async stop(): Promise<void> {}
}
