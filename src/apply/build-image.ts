/**
 * One image build with progress: `Image x  Building`, then `Built`. Where the builder's output
 * goes depends on the view:
 *
 * - a line sink (plain output): BuildKit's steps as its own plain printer writes them
 *   (`#5 [2/3] RUN make`, output lines, `#5 DONE 1.3s`), the classic builder's lines as they come;
 * - step events (JSON output): each BuildKit step as a sub-resource of the image's line;
 * - neither (a terminal view): the step running now as the details of the image's line, and the
 *   number of steps (and how many came from the cache) when it is built.
 *
 * A failed build says which step failed and what it printed last, so the cause is on screen
 * without scrolling back through the output (or when there was none, as in a terminal view).
 */
import { EngineError } from '../errors.js';
import { BuildTrace, type StepView } from './buildkit/trace.js';
import type { BuildSpec, CredentialLookup, Engine } from './engine.js';
import { done, failed, working, type ProgressEvent, type ProgressReporter } from './progress.js';
import { imageProgressId } from './pull-image.js';

export interface BuildImageOptions {
  readonly signal?: AbortSignal;
  /** Every line the builder prints, in order. */
  readonly onOutput?: (line: string) => void;
  /** Each BuildKit step as an event of its own (`Image x #5`, parent `Image x`). */
  readonly stepEvents?: boolean;
  readonly credentials?: CredentialLookup;
}

const STEP = /^Step \d+\/\d+ : /;
const FROM_STEP = /^Step \d+\/\d+ : FROM\s+(\S+)/i;
const LOAD_METADATA = /^\[[^\]]*internal\] load metadata for (\S+)$/;
const KEPT_LINES = 10;
/** The classic builder's own lines between a step's output lines. */
const CLASSIC_CHATTER = /^ ---> |^Removing intermediate container /;

/** `docker.io/library/busybox:latest` -> `busybox:latest`, as the user wrote it. */
function familiarName(reference: string): string {
  return reference.replace(/^docker\.io\/(?:library\/)?/, '');
}

/**
 * A `--pull` (or `build.pull`) build that failed fetching its base image: say so, and how to
 * build from the local image instead (no registry is reachable on many machines).
 */
function explainPullFailure(error: unknown, spec: BuildSpec, base: string | undefined): unknown {
  if (!spec.pull || base === undefined || !(error instanceof Error)) return error;
  return new EngineError(
    `${error.message}; the build pulls its base image ${familiarName(base)} first (--pull or build.pull): without them it uses the local image`,
    { operation: 'build image', resource: spec.tags[0], cause: error },
  );
}

/** The failed step and its last lines, under the engine's message. */
function withFailedStep(error: unknown, step: string | undefined, lines: readonly string[], spec: BuildSpec): unknown {
  if (step === undefined || !(error instanceof Error)) return error;
  const output = lines.length > 0 ? `\nits last output lines:\n${lines.map((line) => `  ${line}`).join('\n')}` : '\nit printed nothing';
  return new EngineError(`${error.message}\nthe failed step: ${step}${output}`, { operation: 'build image', resource: spec.tags[0], cause: error });
}

function stepEvent(id: string, step: StepView, change: 'start' | 'log' | 'end'): ProgressEvent {
  const base = { id: `${id} #${step.index}`, parentId: id, text: step.name };
  if (change === 'log') return { ...base, state: 'working', details: step.log };
  switch (step.state) {
    case 'running':
      return { ...base, state: 'working' };
    case 'cached':
      return { ...base, state: 'done', details: 'CACHED' };
    case 'done':
      return { ...base, state: 'done', details: `DONE ${(step.seconds ?? 0).toFixed(1)}s` };
    case 'canceled':
      return { ...base, state: 'warning', details: 'CANCELED' };
    case 'error':
      return { ...base, state: 'error', details: `ERROR: ${step.error}` };
  }
}

/** A step's name on one line of a terminal view: long RUN commands are cut. */
function shortened(name: string): string {
  const line = name.replace(/\s+/g, ' ');
  return line.length > 72 ? `${line.slice(0, 71)}…` : line;
}

/** `5 steps, 3 cached`: what the image's line says once it is built. */
function summaryText(trace: BuildTrace): string | undefined {
  const summary = trace.summary();
  if (summary.steps === 0) return undefined;
  return `${summary.steps} step${summary.steps === 1 ? '' : 's'}, ${summary.cached} cached`;
}

/** Builds `spec` (tagged `spec.tags[0]` first) and returns the image id. */
export async function buildImage(engine: Engine, spec: BuildSpec, progress: ProgressReporter, options: BuildImageOptions = {}): Promise<string> {
  const id = imageProgressId(spec.tags[0]);
  progress.event(working(id, 'Building'));
  // The classic builder's last step and the lines it printed since.
  let lastStep: string | undefined;
  let stepLines: string[] = [];
  const trace = new BuildTrace({
    ...(options.onOutput ? { line: options.onOutput } : {}),
    step: (step, change) => {
      if (options.stepEvents) progress.event(stepEvent(id, step, change));
      else if (!options.onOutput && change === 'start') progress.event(working(id, 'Building', shortened(step.name)));
    },
  });
  try {
    const imageId = await engine.buildImage(spec, {
      signal: options.signal,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      onBuildkitStatus: (status) => trace.update(status),
      onProgress: (event) => {
        if (STEP.test(event.message)) {
          lastStep = event.message;
          stepLines = [];
        } else if (!CLASSIC_CHATTER.test(event.message)) {
          // The classic builder colours stderr lines; the kept lines go into a plain message.
          stepLines.push(event.message.replace(/\x1b\[[0-9;]*m/g, ''));
          if (stepLines.length > KEPT_LINES) stepLines.shift();
        }
        if (options.onOutput) options.onOutput(event.message);
        else if (STEP.test(event.message)) progress.event(working(id, 'Building', event.message));
      },
    });
    trace.end();
    const summary = spec.builder === 'buildkit' ? summaryText(trace) : undefined;
    progress.event(summary ? done(id, 'Built', summary) : done(id, 'Built'));
    return imageId;
  } catch (caught) {
    trace.end();
    let error: unknown;
    if (spec.builder === 'buildkit') {
      const failure = trace.failure();
      const base = failure ? LOAD_METADATA.exec(failure.name)?.[1] : undefined;
      error = base !== undefined ? explainPullFailure(caught, spec, base) : withFailedStep(caught, failure?.name, failure?.lastLines ?? [], spec);
    } else {
      const base = lastStep !== undefined ? FROM_STEP.exec(lastStep)?.[1] : undefined;
      const stepFailed = caught instanceof Error && /returned a non-zero code/.test(caught.message);
      error = base !== undefined && spec.pull ? explainPullFailure(caught, spec, base) : stepFailed ? withFailedStep(caught, lastStep, stepLines, spec) : caught;
    }
    if (!options.signal?.aborted) progress.event(failed(id, (error as Error).message.split('\n')[0]));
    throw error;
  }
}
