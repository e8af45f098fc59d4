/**
 * The seam for attached `up` (without `-d`): merged, prefixed output of the services, Ctrl-C
 * stopping them, `--abort-on-container-exit` and `--exit-code-from`.
 *
 * Contract for the implementation: `runAttached` owns the whole run. It prepares what it needs
 * (e.g. the log printer), then calls `request.converge({ beforeStart })` exactly once; the
 * executor calls `beforeStart` right before each container starts, so attaching there loses no
 * output line. After converge returns, it follows the attached containers until they exit, or
 * until Ctrl-C (`ctx.signal`: stop the targeted services gracefully, `ctx.forceSignal`: kill), and
 * throws ExitCodeError for `--exit-code-from`. Detached `up` never loads this module.
 */
import type { BeforeStartHook } from '../apply/operations.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import type { Project } from '../model/types.js';
import type { EngineSession } from './engine-session.js';

/** The flags of `up` that only attached mode uses. */
export interface AttachFlags {
  readonly abortOnContainerExit: boolean;
  readonly exitCodeFrom?: string;
  /** `--attach`: only these services' output (default: the services named, or all). */
  readonly attach: readonly string[];
  readonly attachDependencies: boolean;
  readonly noColor: boolean;
  readonly noLogPrefix: boolean;
  readonly timestamps: boolean;
}

export interface AttachedOptions extends AttachFlags {
  /** `-t`: stop timeout when Ctrl-C stops the services. */
  readonly timeoutSeconds?: number;
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

export async function runAttached(_ctx: Context, _request: AttachedRequest): Promise<void> {
  throw new UsageError(
    'attached mode (up without -d) is not implemented yet; run "tscompose up -d" to start the services in the background ' +
      '(add --wait to wait until they are running or healthy)',
  );
}
