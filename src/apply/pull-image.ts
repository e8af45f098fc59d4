/**
 * One image pull with progress in Compose's words: `Image x  Pulling`, then `Pulled`. Layer
 * progress is folded into the image's own line ("2/5 layers") rather than one line per layer, so
 * every renderer (a terminal view, plain lines, JSON) shows it without flooding. Failures are
 * thrown; the caller decides whether they are errors or warnings (an image that can be built).
 */
import { TscomposeError } from '../errors.js';
import type { CredentialLookup, Engine } from './engine.js';
import { done, working, type ProgressReporter } from './progress.js';
import { registryOf, withLoginHint } from './registry-auth.js';

/** Pulls that failed (each message says which image and why): exit code 18, as in Compose (`up` and `pull`). */
export class PullError extends TscomposeError {
  override readonly exitCode: number = 18;
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} images could not be pulled:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** The progress id of an image: the same line shows its pull and, when that fails, its build. */
export function imageProgressId(reference: string): string {
  return `Image ${reference}`;
}

export interface PullImageOptions {
  readonly signal?: AbortSignal;
  /** `--quiet-pull`: no layer counts, only Pulling / Pulled. */
  readonly quiet?: boolean;
  readonly platform?: string;
  /** The progress line to report on (default: `imageProgressId(reference)`). */
  readonly progressId?: string;
  /** Registry credentials (a private registry); anonymous without. */
  readonly credentials?: CredentialLookup;
}

const LAYER_DONE = new Set(['Pull complete', 'Already exists']);
const LAYER_STATES = new Set(['Pulling fs layer', 'Waiting', 'Downloading', 'Verifying Checksum', 'Download complete', 'Extracting', ...LAYER_DONE]);

export async function pullImage(engine: Engine, reference: string, progress: ProgressReporter, options: PullImageOptions = {}): Promise<void> {
  const id = options.progressId ?? imageProgressId(reference);
  progress.event(working(id, 'Pulling'));
  const layers = new Set<string>();
  const finished = new Set<string>();
  const credential = await options.credentials?.forHost(registryOf(reference));
  await withLoginHint(reference, engine.pullImage(reference, {
    signal: options.signal,
    ...(credential ? { credential } : {}),
    ...(options.platform !== undefined ? { platform: options.platform } : {}),
    onProgress: (event) => {
      if (options.quiet || event.id === undefined || !LAYER_STATES.has(event.message)) return;
      const isNew = !layers.has(event.id);
      layers.add(event.id);
      const completes = LAYER_DONE.has(event.message) && !finished.has(event.id);
      if (completes) finished.add(event.id);
      if (isNew || completes) progress.event(working(id, 'Pulling', `${finished.size}/${layers.size} layers`));
    },
  }));
  progress.event(done(id, 'Pulled'));
}

/** The engine's reason for a failed pull, without the "could not pull image X:" the progress line already says. */
export function pullFailureReason(error: unknown, reference: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const prefix = `could not pull image ${reference}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}
