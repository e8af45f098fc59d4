/**
 * One image push with progress in Compose's words: `Image x  Pushing`, then `Pushed`. Layer
 * progress is folded into the image's own line (`2/5 layers`), as for pulls. The registry's
 * credentials come from the Docker CLI's configuration; they travel only in the request header.
 */
import type { CredentialLookup, Engine } from './engine.js';
import { done, working, type ProgressReporter } from './progress.js';
import { imageProgressId } from './pull-image.js';
import { registryOf, withLoginHint } from './registry-auth.js';

export interface PushImageOptions {
  readonly signal?: AbortSignal;
  readonly credentials?: CredentialLookup;
  /** `-q`: no layer counts, only Pushing / Pushed. */
  readonly quiet?: boolean;
}

const LAYER_DONE = new Set(['Pushed', 'Layer already exists']);
const LAYER_STATES = new Set(['Preparing', 'Waiting', 'Pushing', 'Mounted from', ...LAYER_DONE]);

export async function pushImage(engine: Engine, reference: string, progress: ProgressReporter, options: PushImageOptions = {}): Promise<void> {
  const id = imageProgressId(reference);
  progress.event(working(id, 'Pushing'));
  const credential = await options.credentials?.forHost(registryOf(reference));
  const layers = new Set<string>();
  const finished = new Set<string>();
  await withLoginHint(reference, engine.pushImage(reference, {
    signal: options.signal,
    ...(credential ? { credential } : {}),
    onProgress: (event) => {
      const state = event.message.startsWith('Mounted from') ? 'Mounted from' : event.message;
      if (options.quiet || event.id === undefined || !LAYER_STATES.has(state)) return;
      const isNew = !layers.has(event.id);
      layers.add(event.id);
      const completes = (LAYER_DONE.has(state) || state === 'Mounted from') && !finished.has(event.id);
      if (completes) finished.add(event.id);
      if (isNew && layers.size === 1) progress.event(working(id, 'Pushing', 'preparing layers'));
      if (completes) progress.event(working(id, 'Pushing', `${finished.size}/${layers.size} layers`));
    },
  }));
  progress.event(done(id, 'Pushed'));
}
