/**
 * The terminal view: one listr2 task per resource, updated in place with Compose's wording and a
 * timer, drawn on stderr (Compose keeps stdout for command output), under Compose's header line
 * (`[+] Running 2/4`). listr2 cannot start tasks added after it began rendering, so resources
 * must be announced in start(); an event for a resource that was not announced is printed as a
 * plain line after the view closes.
 */
import { Chalk } from 'chalk';
import type { DefaultRenderer, ListrTask, LoggerFormat } from 'listr2';
import type { ProgressEvent, ProgressReporter } from '../../apply/progress.js';
import { DRY_RUN_PREFIX } from './plain-progress.js';

/**
 * listr2's own colours are decided once, when it is imported, from NO_COLOR and whether *stdout*
 * is a terminal; `--ansi` must decide instead (never: none, always: even into a pipe). So every
 * colour the view uses is given here, from a chalk instance with the level `--ansi` allows.
 */
type Listr2 = typeof import('listr2');

function viewColors({ ListrDefaultRendererLogLevels, ListrLogLevels, PRESET_TIMER }: Listr2, color: boolean) {
  const chalk = new Chalk({ level: color ? 1 : 0 });
  const paint = (style: (text: string) => string): LoggerFormat => style as LoggerFormat;
  const byLevel = (levels: Record<string, string>, pick: (level: string) => (text: string) => string) =>
    Object.fromEntries(Object.values(levels).map((level) => [level, paint(pick(level))]));
  const failed = new Set<string>([
    ListrDefaultRendererLogLevels.FAILED,
    ListrDefaultRendererLogLevels.FAILED_WITH_FAILED_SUBTASKS,
    ListrDefaultRendererLogLevels.COMPLETED_WITH_FAILED_SISTER_TASKS,
    ListrDefaultRendererLogLevels.ROLLING_BACK,
    ListrDefaultRendererLogLevels.ROLLED_BACK,
    ListrLogLevels.FAILED,
    ListrLogLevels.ROLLBACK,
  ]);
  const pick = (level: string) =>
    failed.has(level)
      ? chalk.red
      : level === ListrDefaultRendererLogLevels.COMPLETED
        ? chalk.green
        : level === ListrDefaultRendererLogLevels.WAITING
          ? chalk.dim
          : chalk.yellow;
  // One timer format, Compose's: seconds with one decimal (listr2's own switches to `3s`, `1m3s`).
  const timer = { ...PRESET_TIMER, field: elapsedText };
  return {
    renderer: byLevel(ListrDefaultRendererLogLevels, pick),
    logger: byLevel(ListrLogLevels, pick),
    timer: { ...timer, format: () => paint(chalk.dim) },
    pausedTimer: { ...timer, format: () => paint(chalk.yellow) },
    header: chalk.blue,
  };
}

/** `0.4s`, `12.0s`, `75.3s`: the time a resource took, as Compose shows it. */
export function elapsedText(milliseconds: number): string {
  return `${(Math.max(0, milliseconds) / 1000).toFixed(1)}s`;
}

/** listr2's terminal renderer with Compose's header line above the resources. */
function withHeader(Renderer: typeof DefaultRenderer, header: () => string): typeof DefaultRenderer {
  return class HeaderedRenderer extends Renderer {
    override create(options?: { tasks?: boolean; bottomBar?: boolean; prompt?: boolean }): string {
      const body = super.create(options);
      return body === '' ? body : `${header()}\n${body}`;
    }
  };
}

interface Slot {
  title: string;
  task?: { title: string | undefined };
  settle?: { resolve: () => void; reject: (error: Error) => void };
  settled: boolean;
  outcome?: { ok: true } | { ok: false; error: Error };
}

export class TtyProgress implements ProgressReporter {
  private readonly slots = new Map<string, Slot>();
  private readonly late: string[] = [];
  private running?: Promise<unknown>;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly dryRun = false,
    /** Whether the view may use colour (`--ansi`, NO_COLOR, a terminal). */
    private readonly color = false,
  ) {}

  start(ids: readonly string[] = []): void {
    if (this.running) return;
    const tasks: ListrTask[] = ids.map((id) => {
      const slot = this.slot(id);
      return {
        title: this.decorate(slot.title),
        task: (_ctx, task) => {
          slot.task = task;
          task.title = this.decorate(slot.title);
          return new Promise<void>((resolve, reject) => {
            slot.settle = { resolve, reject };
            if (slot.outcome) this.settle(slot);
          });
        },
      };
    });
    if (tasks.length === 0) return;
    // listr2 is loaded for the first view only, so a command whose output is no terminal never
    // loads it. Events that come first are kept in the slots, which the tasks read when they run.
    this.running = import('listr2')
      .then((listr2) => {
        const colors = viewColors(listr2, this.color);
        const logger = new listr2.ListrLogger({ processOutput: new listr2.ProcessOutput(this.stream, this.stream) });
        const list = new listr2.Listr(tasks, {
          concurrent: true,
          exitOnError: false,
          registerSignalListeners: false,
          renderer: withHeader(listr2.DefaultRenderer, () => colors.header(this.headerText())),
          rendererOptions: { timer: colors.timer, pausedTimer: colors.pausedTimer, color: colors.renderer, logger },
          fallbackRenderer: 'simple',
          fallbackRendererOptions: { timer: colors.timer, color: colors.logger, logger },
        });
        return list.run();
      })
      // Failures are shown in the view; the command reports the error itself.
      .catch(() => undefined);
  }

  event(event: ProgressEvent): void {
    const slot = this.slots.get(event.id);
    const line = `${event.id}  ${event.text}${event.details ? ` ${event.details}` : ''}`;
    if (!slot || !this.running) {
      this.late.push(line);
      return;
    }
    slot.title = line;
    if (slot.task) slot.task.title = this.decorate(line);
    if (event.state === 'working' || (event.state !== 'error' && event.final === false)) return;
    slot.outcome = event.state === 'error' ? { ok: false, error: new Error(line) } : { ok: true };
    this.settle(slot);
  }

  async stop(): Promise<void> {
    for (const slot of this.slots.values()) {
      if (!slot.outcome) slot.outcome = { ok: true };
      this.settle(slot);
    }
    await this.running;
    for (const line of this.late) this.stream.write(`${this.dryRun ? 'DRY-RUN MODE - ' : ''} ${line}\n`);
    this.late.length = 0;
  }

  /** `[+] Running 2/4`: resources finished out of those announced. */
  private headerText(): string {
    const finished = [...this.slots.values()].filter((slot) => slot.outcome !== undefined).length;
    return `${this.dryRun ? DRY_RUN_PREFIX : ''}[+] Running ${finished}/${this.slots.size}`;
  }

  private slot(id: string): Slot {
    let slot = this.slots.get(id);
    if (!slot) {
      slot = { title: id, settled: false };
      this.slots.set(id, slot);
    }
    return slot;
  }

  private settle(slot: Slot): void {
    if (slot.settled || !slot.settle || !slot.outcome) return;
    slot.settled = true;
    if (slot.outcome.ok) slot.settle.resolve();
    else slot.settle.reject(slot.outcome.error);
  }

  private decorate(title: string): string {
    return this.dryRun ? `DRY-RUN MODE - ${title}` : title;
  }
}
