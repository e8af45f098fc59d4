/**
 * One image build with progress: `Image x  Building`, then `Built`. The builder's output goes to
 * the caller's sink when it has one (plain output streams it); otherwise the current `Step n/m`
 * becomes the details of the image's line, which is what a terminal view has room for.
 */
import type { BuildSpec, Engine } from './engine.js';
import { done, failed, working, type ProgressReporter } from './progress.js';
import { imageProgressId } from './pull-image.js';

export interface BuildImageOptions {
  readonly signal?: AbortSignal;
  /** Every line the builder prints, in order. */
  readonly onOutput?: (line: string) => void;
}

/** Builds `spec` (tagged `spec.tags[0]` first) and returns the image id. */
export async function buildImage(engine: Engine, spec: BuildSpec, progress: ProgressReporter, options: BuildImageOptions = {}): Promise<string> {
  const id = imageProgressId(spec.tags[0]);
  progress.event(working(id, 'Building'));
  try {
    const imageId = await engine.buildImage(spec, {
      signal: options.signal,
      onProgress: (event) => {
        if (options.onOutput) options.onOutput(event.message);
        else if (/^Step \d+\/\d+ : /.test(event.message)) progress.event(working(id, 'Building', event.message));
      },
    });
    progress.event(done(id, 'Built'));
    return imageId;
  } catch (error) {
    if (!options.signal?.aborted) progress.event(failed(id, (error as Error).message));
    throw error;
  }
}
