/**
 * Attached `up` (without `-d`): merged, prefixed output of the services, Ctrl-C stopping them,
 * `--abort-on-container-exit`, `--abort-on-container-failure` and `--exit-code-from`.
 *
 * How a run goes:
 * 1. Before converging, the follower subscribes to the project's events, and the printer holds its
 *    output (a progress view owns the terminal while the project converges).
 * 2. `request.converge({ beforeStart })` runs what `up -d` runs; the executor calls `beforeStart`
 *    right before each container starts, and attaching there loses no output line.
 * 3. Containers of the printed services that were already running (and not started again) are
 *    attached to as they are: their new output is followed, as Compose does.
 * 4. `Attaching to db-1, web-1`, then the held output, then output as it comes, until every
 *    container the run waits for has exited (exit code 0, as Compose), or until an abort flag or
 *    Ctrl-C stops the targeted services (graceful-stop.ts).
 *
 * Ctrl-C is honoured in every phase: during the image step and the executor (which stop starting
 * new work), during the attached phase, and during the stop itself (the second one kills). The run
 * then always ends with CancelledError (exit 130, `canceled`). The project lock is held only while
 * the project converges, so `stop` or `down` from another terminal never waits for an attached run.
 */
import type { BeforeStartHook, BeforeStartTarget } from '../../apply/operations.js';
import type { Context } from '../../context.js';
import { CancelledError, ExitCodeError } from '../../errors.js';
import { LABEL } from '../../model/labels.js';
import type { Project } from '../../model/types.js';
import { abortMode, AbortPolicy } from './abort-policy.js';
import { withProgress } from '../apply-plan.js';
import { attachedServices, type AttachedServices } from './attached-services.js';
import { displayName, displayNameOf } from '../../api/container-display-name.js';
import type { EngineSession } from '../engine-session.js';
import { ContainerFollower, type ContainerExit } from '../../api/follow-logs.js';
import { stopGracefully } from './graceful-stop.js';
import { createProgress, progressMode } from '../output/create-progress.js';
import { LogPrinter } from '../output/log-printer.js';

/** The flags of `up` that only attached mode uses. */
export interface AttachFlags {
  readonly abortOnContainerExit: boolean;
  readonly abortOnContainerFailure: boolean;
  readonly exitCodeFrom?: string;
  /** `--attach`: only these services' output (default: the services named, or all). */
  readonly attach: readonly string[];
  /** `--no-attach`: not these services' output. */
  readonly noAttach: readonly string[];
  readonly attachDependencies: boolean;
  readonly noColor: boolean;
  readonly noLogPrefix: boolean;
  readonly timestamps: boolean;
}

export interface AttachedOptions extends AttachFlags {
  /** `-t`: stop timeout when Ctrl-C stops the services. */
  readonly timeoutSeconds?: number;
  readonly noDeps?: boolean;
}

export interface ConvergeHooks {
  readonly beforeStart?: BeforeStartHook;
}

export interface AttachedRequest {
  readonly session: EngineSession;
  readonly project: Project;
  /** The services named on the command line (empty = all). */
  readonly services: readonly string[];
  readonly options: AttachedOptions;
  /** Runs what `up -d` runs (images, observe, plan, execute), calling the hooks. */
  converge(hooks: ConvergeHooks): Promise<void>;
}

/** After the services were stopped, how long their last lines and exit codes may take to arrive. */
const DRAIN_MS = 5000;

export async function runAttached(ctx: Context, request: AttachedRequest): Promise<void> {
  const roles = attachedServices(request.project, request.services, request.options);
  await new AttachedRun(ctx, request, roles).run();
}

/** Why the services are being stopped; the first reason wins. */
type StopReason = 'interrupted' | 'aborted';

class AttachedRun {
  private readonly printer: LogPrinter;
  private readonly follower: ContainerFollower;
  private readonly policy: AbortPolicy;
  private stopReason?: StopReason;
  private requestStop!: () => void;
  private readonly stopRequested = new Promise<void>((resolve) => (this.requestStop = resolve));
  /** True once the project has converged (an abort waits for that, see `onExit`). */
  private converged = false;
  /** Whether this run started any container (or found the project converged). */
  private startedAny = false;

  constructor(
    private readonly ctx: Context,
    private readonly request: AttachedRequest,
    private readonly roles: AttachedServices,
  ) {
    const { options, project } = request;
    this.printer = new LogPrinter({
      out: ctx.stdout,
      err: ctx.stderr,
      color: ctx.color && !options.noColor,
      prefix: !options.noLogPrefix,
      timestamps: options.timestamps,
    });
    this.policy = new AbortPolicy(abortMode(options), options.exitCodeFrom);
    this.follower = new ContainerFollower(
      request.session.engine,
      project.name,
      {
        printer: this.printer,
        // A container found later (started by something else) is shown from its first line.
        query: {},
        timestamps: options.timestamps,
        wanted: (labels) => labels[LABEL.oneoff] !== 'True' && roles.followed.has(labels[LABEL.service] ?? ''),
        since: Math.floor(ctx.now() / 1000),
        printed: (service) => roles.printed.has(service),
        keepsAlive: (service) => roles.waitedFor.has(service),
        onExit: (exit) => this.onExit(exit),
        notice: (message) => ctx.warn(message),
        now: ctx.now,
      },
      // Ctrl-C does not end following: the output of the services stopping is still shown.
      new AbortController().signal,
    );
  }

  async run(): Promise<void> {
    const { ctx } = this;
    if (ctx.signal.aborted) throw new CancelledError();
    const onInterrupt = (): void => {
      // Right away, even while a progress view is up (it prints the line when it closes).
      ctx.stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
      this.stop('interrupted');
    };
    ctx.signal.addEventListener('abort', onInterrupt, { once: true });
    this.printer.hold();
    this.follower.start();
    let finished = false;
    try {
      await this.converge();
      if (this.stopReason === undefined) {
        await this.attachRunning();
        this.announce();
      }
      this.printer.release();
      if (this.policy.triggered) this.stop('aborted');
      await Promise.race([this.follower.done(), this.stopRequested]);
      // Interrupted before anything started (image step, lock, creating): nothing to stop, as with Compose.
      if (this.stopReason === 'aborted' || (this.stopReason === 'interrupted' && this.startedAny)) await this.stopServices();
      finished = true;
    } finally {
      ctx.signal.removeEventListener('abort', onInterrupt);
      this.printer.release();
      this.follower.stop();
      // What broke following matters only when nothing else went wrong and the user did not interrupt.
      await this.follower.done().catch((error: unknown) => {
        if (finished && this.stopReason === undefined) throw error;
      });
    }
    if (this.stopReason === 'interrupted' || ctx.signal.aborted) throw new CancelledError();
    const exitCode = this.policy.exitCode();
    if (exitCode !== 0) throw new ExitCodeError(exitCode);
  }

  /** Converges the project; a failure that is not an interruption ends the run (its containers keep running, as with `up -d`). */
  private async converge(): Promise<void> {
    try {
      await this.request.converge({ beforeStart: (target) => this.attachBeforeStart(target) });
      this.startedAny = true;
    } catch (error) {
      if (this.stopReason !== 'interrupted') throw error;
    } finally {
      this.converged = true;
      // Only `up` changes the project; following and stopping it need no lock.
      this.request.session.unlock();
    }
  }

  private async attachBeforeStart(target: BeforeStartTarget): Promise<void> {
    this.startedAny = true;
    if (!this.roles.followed.has(target.service)) return;
    const container = { id: target.id, name: displayNameOf(target.name, this.request.project.name, target.service), service: target.service };
    try {
      const attachment = await this.request.session.engine.attachContainer(target.id, { signal: this.follower.endSignal });
      this.follower.attach(container, attachment.output);
    } catch {
      // Not attached: its start event has the follower read it from its logs instead.
    }
  }

  /** The followed containers this run did not start: running ones are followed from now on. */
  private async attachRunning(): Promise<void> {
    const { engine } = this.request.session;
    const containers = await engine.listContainers(this.request.project.name);
    await Promise.all(
      containers.map(async (summary) => {
        const service = summary.labels[LABEL.service] ?? '';
        if (summary.labels[LABEL.oneoff] === 'True' || !this.roles.followed.has(service) || this.follower.knows(summary.id)) return;
        const container = { id: summary.id, name: displayName(summary.name, summary.labels), service };
        if (summary.status === 'restarting') {
          this.follower.awaitRestart(container);
        } else if (summary.status === 'running' || summary.status === 'paused') {
          const attachment = await engine.attachContainer(summary.id, { signal: this.follower.endSignal }).catch(() => undefined);
          if (attachment) this.follower.attach(container, attachment.output);
          else this.follower.follow(container, { since: Math.floor(this.ctx.now() / 1000) });
        }
      }),
    );
  }

  /** Compose's `Attaching to db-1, web-1`, before any output of theirs. */
  private announce(): void {
    const names = this.follower
      .containers()
      .filter((container) => this.roles.printed.has(container.service))
      .map((container) => container.name)
      .sort();
    if (names.length > 0) this.ctx.stdout.write(`Attaching to ${names.join(', ')}\n`);
  }

  private onExit(exit: ContainerExit): void {
    const abort = this.policy.record(exit.service, exit.exitCode, this.roles.waitedFor.has(exit.service));
    // While the project converges, the abort waits for it to finish: stopping services while the
    // executor still starts them would race it.
    if (abort && this.converged) this.stop('aborted');
  }

  private stop(reason: StopReason): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    this.requestStop();
  }

  private async stopServices(): Promise<void> {
    const { ctx } = this;
    if (this.stopReason === 'aborted') ctx.stderr.write('Aborting on container exit...\n');
    // A terminal view redraws in place: container output waits until it is done.
    const tty = progressMode(ctx) === 'tty';
    if (tty) this.printer.hold();
    const progress = createProgress(ctx);
    try {
      await withProgress(progress, () =>
        stopGracefully(ctx, {
          engine: this.request.session.engine,
          project: this.request.project,
          services: this.roles.stopped,
          ...(this.request.options.timeoutSeconds === undefined ? {} : { timeoutSeconds: this.request.options.timeoutSeconds }),
          progress,
        }),
      );
    } catch (error) {
      // Said, not thrown: an interrupted run still ends with 130, an aborted one with its code.
      ctx.warn(`could not stop every service: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      if (tty) this.printer.release();
    }
    // The last lines and the exit codes of what was stopped.
    await Promise.race([this.follower.done().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref())]);
  }
}
