/**
 * One image build with progress: `Image x  Building`, then `Built`. The builder's output goes to
 * the caller's sink when it has one (plain output streams it); otherwise the current `Step n/m`
 * becomes the details of the image's line, which is what a terminal view has room for.
 */
import { EngineError } from '../errors.js';
import type { BuildSpec, Engine } from './engine.js';
import { done, failed, working, type ProgressReporter } from './progress.js';
import { imageProgressId } from './pull-image.js';

export interface BuildImageOptions {
  readonly signal?: AbortSignal;
  /** Every line the builder prints, in order. */
  readonly onOutput?: (line: string) => void;
}

const STEP = /^Step \d+\/\d+ : /;
const FROM_STEP = /^Step \d+\/\d+ : FROM\s+(\S+)/i;

/**
 * A `--pull` (or `build.pull`) build that fails at a FROM step failed pulling its base image: say
 * so, and how to build from the local image instead (no registry is reachable on many machines).
 */
function explainPullFailure(error: unknown, spec: BuildSpec, lastStep: string | undefined): unknown {
  const base = spec.pull && lastStep !== undefined ? FROM_STEP.exec(lastStep)?.[1] : undefined;
  if (base === undefined || !(error instanceof Error)) return error;
  return new EngineError(
    `${error.message}; the build pulls its base image ${base} first (--pull or build.pull): without them it uses the local image`,
    { operation: 'build image', resource: spec.tags[0], cause: error },
  );
}

/** Builds `spec` (tagged `spec.tags[0]` first) and returns the image id. */
export async function buildImage(engine: Engine, spec: BuildSpec, progress: ProgressReporter, options: BuildImageOptions = {}): Promise<string> {
  const id = imageProgressId(spec.tags[0]);
  progress.event(working(id, 'Building'));
  let lastStep: string | undefined;
  try {
    const imageId = await engine.buildImage(spec, {
      signal: options.signal,
      onProgress: (event) => {
        if (STEP.test(event.message)) lastStep = event.message;
        if (options.onOutput) options.onOutput(event.message);
        else if (STEP.test(event.message)) progress.event(working(id, 'Building', event.message));
      },
    });
    progress.event(done(id, 'Built'));
    return imageId;
  } catch (caught) {
    const error = explainPullFailure(caught, spec, lastStep);
    if (!options.signal?.aborted) progress.event(failed(id, (error as Error).message));
    throw error;
  }
}
