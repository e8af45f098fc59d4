/**
 * What the API tells its caller while it works, as typed events: the caller prints them, logs
 * them, collects them or ignores them; the API itself never writes to stdout or stderr.
 */
import type { ProgressEvent, ProgressReporter } from '../apply/progress.js';

/** A resource changed state: ` Container app-web-1  Started` in Compose's words. */
export interface ResourceEvent {
  readonly type: 'resource';
  /** The resource with its kind: `Container app-web-1`, `Network app_default`, `Volume app_data`, `Image busybox`. */
  readonly resource: string;
  /** `working` while in progress; `done`, `warning` or `error` when finished. */
  readonly state: 'working' | 'done' | 'warning' | 'error';
  /** Compose's words: Creating, Created, Starting, Started, Waiting, Healthy, Pulling, Built, Removed, ... */
  readonly text: string;
  /** More about it: an error message, pull progress, the reason for a recreate. */
  readonly details?: string;
  /** The resource this one is part of (the layers of an image pull). */
  readonly parent?: string;
}

/** Something the user should know that does not stop the call (an unset variable, an orphan container). */
export interface WarningEvent {
  readonly type: 'warning';
  readonly message: string;
}

/** The plan about to run, in words: one line per action with its cause (`recreate web (app-web-1): image "app:1" -> "app:2"`). */
export interface PlanEvent {
  readonly type: 'plan';
  readonly actions: readonly string[];
}

/** A line of a builder's output. */
export interface BuildOutputEvent {
  readonly type: 'build-output';
  readonly service: string;
  readonly line: string;
}

export type ProjectEvent = ResourceEvent | WarningEvent | PlanEvent | BuildOutputEvent;

export type EventListener = (event: ProjectEvent) => void;

/** The executor's progress reports as resource events. */
export function eventReporter(listener: EventListener | undefined): ProgressReporter {
  return {
    start: () => undefined,
    event: (event: ProgressEvent) =>
      listener?.({
        type: 'resource',
        resource: event.id,
        state: event.state,
        text: event.text,
        ...(event.details === undefined ? {} : { details: event.details }),
        ...(event.parentId === undefined ? {} : { parent: event.parentId }),
      }),
    stop: async () => undefined,
  };
}
