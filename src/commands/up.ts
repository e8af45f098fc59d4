/**
 * `tscompose up`: the flags, checked, turned into one call of the converge step (api/converge.ts:
 * images -> observe -> plan -> execute, then optionally `--wait`). Detached only here; attached
 * mode is `runAttached` (up-attached.ts), which drives the same converge step.
 *
 * Flags and their conflicts follow Docker Compose (the texts are Compose's). A run holds the
 * project's lock.
 */
import type { ConvergeOptions } from '../api/converge.js';
import type { BeforeStartHook } from '../apply/operations.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { loadTarget } from './apply-plan.js';
import { convergeProject, orphanSettings } from './converge-project.js';
import { openEngineSession } from './engine-session.js';
import type { AttachedOptions, AttachFlags } from './attached/up-attached.js';
import { MAX_REPLICAS } from '../validate/rules/replica-limit.js';
import { noSuchServiceMessage } from '../validate/no-such-service.js';

export interface UpOptions extends AttachFlags {
  readonly detach: boolean;
  readonly build: boolean;
  readonly noBuild: boolean;
  readonly pull?: string;
  readonly quietPull: boolean;
  /** No builder output at all, not even its steps in the progress view (`watch --quiet`). */
  readonly quietBuild?: boolean;
  /** undefined when the flag was not given (COMPOSE_REMOVE_ORPHANS decides). */
  readonly removeOrphans?: boolean;
  /** `SERVICE=NUM` entries. */
  readonly scale: readonly string[];
  readonly forceRecreate: boolean;
  readonly noRecreate: boolean;
  readonly alwaysRecreateDeps: boolean;
  readonly renewAnonVolumes: boolean;
  readonly noStart: boolean;
  readonly noDeps: boolean;
  readonly timeout?: number;
  readonly wait: boolean;
  readonly waitTimeout?: number;
  /** `-y, --yes`: recreate the volumes whose definition changed without asking (their data is lost). */
  readonly yes?: boolean;
  /** `-w, --watch`: once converged, watch files (see commands/watch.ts). */
  readonly watch?: boolean;
  /** `--explain`: print the plan in words (why each container is created, recreated, started) before running it. */
  readonly explain?: boolean;
}

/** `--pull` values Compose 2.26 accepts (its default, "policy", is not one of them). */
const PULL_OPTIONS: readonly string[] = ['always', 'missing', 'never', 'build'];

/** Compose's flag rules (cmd/compose/up.go), with its messages. Returns the effective detach/abort. */
export function validateUpFlags(options: UpOptions): { detach: boolean; abortOnContainerExit: boolean } {
  if (options.abortOnContainerExit && options.abortOnContainerFailure) {
    throw new UsageError('--abort-on-container-failure cannot be combined with --abort-on-container-exit');
  }
  const abort = options.abortOnContainerExit || options.abortOnContainerFailure || options.exitCodeFrom !== undefined;
  let detach = options.detach;
  const attaching = options.attach.length > 0 || options.attachDependencies;
  if (options.wait) {
    if (attaching || abort) throw new UsageError('--wait cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies');
    detach = true;
  }
  if (options.build && options.noBuild) throw new UsageError('--build and --no-build are incompatible');
  if (detach && (attaching || abort)) {
    throw new UsageError('--detach cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies');
  }
  if (options.renewAnonVolumes && options.noRecreate) throw new UsageError('--no-recreate and --renew-anon-volumes are incompatible');
  if (options.forceRecreate && options.noRecreate) throw new UsageError('--force-recreate and --no-recreate are incompatible');
  if (options.alwaysRecreateDeps && options.noRecreate) throw new UsageError('--always-recreate-deps and --no-recreate are incompatible');
  if (options.pull !== undefined && !PULL_OPTIONS.includes(options.pull)) {
    throw new UsageError(`invalid --pull option "${options.pull}"`);
  }
  parseScale(options.scale);
  return { detach, abortOnContainerExit: abort };
}

export function parseScale(entries: readonly string[]): Record<string, number> {
  const scale: Record<string, number> = {};
  for (const entry of entries) {
    const separator = entry.indexOf('=');
    if (separator <= 0) throw new UsageError(`invalid --scale option "${entry}". Should be SERVICE=NUM`);
    const value = entry.slice(separator + 1);
    if (!/^[0-9]+$/.test(value)) throw new UsageError(`invalid --scale option "${entry}": NUM must be a whole number`);
    // The file's own bound (validate/rules/replica-limit.ts) holds on the command line too.
    if (Number(value) > MAX_REPLICAS) {
      throw new UsageError(`invalid --scale option "${entry}": tscompose runs at most ${MAX_REPLICAS} containers for one service`);
    }
    scale[entry.slice(0, separator)] = Number(value);
  }
  return scale;
}

export async function upCommand(ctx: Context, services: readonly string[], options: UpOptions): Promise<void> {
  const { detach, abortOnContainerExit } = validateUpFlags(options);
  const target = await loadTarget(ctx, services);
  const { project } = target;
  const orphans = orphanSettings(ctx, target, options.removeOrphans);
  if (options.exitCodeFrom !== undefined && project.services[options.exitCodeFrom] === undefined) {
    throw new UsageError(noSuchServiceMessage([options.exitCodeFrom], Object.keys(project.services)));
  }

  // --watch: the watch configuration is checked before anything starts.
  const watch = options.watch
    ? await (await import('./watch.js')).prepareUpWatch(ctx, services, { noBuild: options.noBuild, scale: parseScale(options.scale), noDeps: options.noDeps, quiet: options.quietPull })
    : undefined;
  const session = await openEngineSession(ctx);
  try {
    const converge = async (hooks: { beforeStart?: BeforeStartHook }): Promise<void> => {
      await convergeProject(ctx, session, target, { ...convergeOptions(services, options, orphans), ...hooks });
    };
    const attached = !detach && !options.noStart && !ctx.options.dryRun;
    if (attached) {
      const { runAttached } = await import('./attached/up-attached.js');
      const attachedOptions: AttachedOptions = {
        ...options,
        // --exit-code-from implies it, unless --abort-on-container-failure was asked for.
        abortOnContainerExit: abortOnContainerExit && !options.abortOnContainerFailure,
        ...(options.timeout === undefined ? {} : { timeoutSeconds: options.timeout }),
      };
      const convergeThenWatch = async (hooks: { beforeStart?: BeforeStartHook }): Promise<void> => {
        await converge(hooks);
        await watch?.startAlongside(session);
      };
      try {
        await runAttached(ctx, { session, project, services, options: attachedOptions, converge: convergeThenWatch });
      } finally {
        await watch?.stop();
      }
      return;
    }
    await converge({});
  } finally {
    session.close();
  }
  // Detached: watch after up's session (and its lock) is released; ends with Ctrl-C.
  await watch?.runUntilInterrupted();
}

/** up's flags as the converge step takes them. */
function convergeOptions(services: readonly string[], options: UpOptions, orphans: { removeOrphans: boolean; ignoreOrphans: boolean }): ConvergeOptions & { explain?: boolean; yes?: boolean } {
  return {
    services,
    noDeps: options.noDeps,
    recreate: options.forceRecreate ? 'force' : options.noRecreate ? 'never' : 'diverged',
    recreateDependencies: options.alwaysRecreateDeps ? 'force' : options.noRecreate ? 'never' : 'diverged',
    ...orphans,
    scale: parseScale(options.scale),
    renewAnonVolumes: options.renewAnonVolumes,
    noStart: options.noStart,
    ...(options.timeout === undefined ? {} : { timeoutSeconds: options.timeout }),
    ...(options.waitTimeout === undefined ? {} : { waitTimeoutSeconds: options.waitTimeout }),
    images: {
      // `--pull build` makes every service with a build section build, as `pull_policy: build` does.
      ...(options.pull === 'build' ? { build: true } : options.pull === undefined ? {} : { pull: options.pull as 'always' | 'missing' | 'never' }),
      ...(options.build ? { build: true } : {}),
      noBuild: options.noBuild,
      quietPull: options.quietPull,
      ...(options.quietBuild ? { onBuildOutput: () => undefined } : {}),
    },
    reportUntouched: true,
    wait: options.wait,
    ...(options.explain ? { explain: true } : {}),
    ...(options.yes ? { yes: true } : {}),
  };
}
