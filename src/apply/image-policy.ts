/**
 * What to do about a service's image before anything is created: use the local one, pull, build,
 * or stop with an error. Pure (no engine): the local image facts come in as data, so the whole
 * pull-policy table is unit-tested without a registry.
 *
 * The table follows Docker Compose (`pull_policy`, `up --pull`, `--build`, `--no-build`), with
 * two deliberate differences, both in the user's favour and documented in docs/differences.md:
 * - a failed pull of an image that can be built is never an error: the image is built instead;
 * - a due `daily`/`weekly`/`every_<d>` refresh that fails keeps the local image (with a warning)
 *   instead of failing the command, since an older copy of the image is still there to run.
 */
import type { Service } from '../model/types.js';

/** The canonical policy, refresh windows resolved. */
export type PullPolicy =
  | { readonly kind: 'missing' }
  | { readonly kind: 'always' }
  | { readonly kind: 'never' }
  | { readonly kind: 'build' }
  | { readonly kind: 'refresh'; readonly everyMs: number; readonly text: string };

const UNIT_MS: Readonly<Record<string, number>> = { w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

/**
 * Parses a `pull_policy` value (already validated by the schema). Unknown or bare `refresh`
 * values mean `missing`, as compose-go resolves them.
 */
export function parsePullPolicy(value: string | undefined): PullPolicy {
  switch (value) {
    case undefined:
    case 'missing':
    case 'if_not_present':
    case 'refresh':
      return { kind: 'missing' };
    case 'always':
    case 'never':
    case 'build':
      return { kind: value };
    case 'daily':
      return { kind: 'refresh', everyMs: UNIT_MS.d, text: value };
    case 'weekly':
      return { kind: 'refresh', everyMs: UNIT_MS.w, text: value };
  }
  const every = /^every_((?:[0-9]+[wdhms])+)$/.exec(value);
  if (!every) return { kind: 'missing' };
  let everyMs = 0;
  for (const [, amount, unit] of every[1].matchAll(/([0-9]+)([wdhms])/g)) everyMs += Number(amount) * UNIT_MS[unit];
  return { kind: 'refresh', everyMs, text: value };
}

/** What is known about the service's image in the local engine. */
export interface LocalImage {
  readonly id: string;
  /** RFC 3339: when a tag last moved onto the image (a build, a `docker tag`), when the engine records it. */
  readonly lastTagTime?: string;
  /** RFC 3339: when the image was built. */
  readonly created: string;
}

/** The command-line overrides of `up`, `create` and `run`. */
export interface ImageOverrides {
  /** `--pull`: replaces every service's `pull_policy`; `policy` (or absent) keeps them. */
  readonly pull?: 'always' | 'missing' | 'never' | 'policy';
  /** `--build`: build every service that has a `build` section, whatever is local. */
  readonly build?: boolean;
  /** `--no-build`: never build; a missing image that would need building is an error. */
  readonly noBuild?: boolean;
}

/** When a pull fails: build from source, keep the local image, or fail. */
export type PullFallback = 'build' | 'use-local' | 'error';

export type ImageDecision =
  | { readonly action: 'use-local'; readonly reason: string }
  | { readonly action: 'pull'; readonly reason: string; readonly onFailure: PullFallback }
  | { readonly action: 'build'; readonly reason: string }
  | { readonly action: 'error'; readonly message: string };

export interface ImageDecisionInput {
  readonly service: Service;
  /** The image the service runs: `image:`, or `<project>-<service>` when it only builds. */
  readonly reference: string;
  /** Whether the image can be built: this service, or another one with the same `image:`, has a build section. */
  readonly buildable: boolean;
  /** Undefined when the image is not present locally. */
  readonly local: LocalImage | undefined;
  readonly overrides: ImageOverrides;
  /** Milliseconds since the epoch (refresh windows). */
  readonly now: number;
}

/**
 * Decides one service's image step. Only services whose image is used by containers are passed
 * here; `build` and `pull` commands have their own rules.
 */
export function decideImage(input: ImageDecisionInput): ImageDecision {
  const { service, reference, buildable, local, overrides } = input;
  const mayBuild = buildable && !overrides.noBuild;
  const missingAndUnbuildable = (why: string): ImageDecision => ({
    action: 'error',
    message: overrides.noBuild && buildable
      ? `service "${service.name}": image ${reference} is not present locally, and --no-build forbids building it`
      : `service "${service.name}": image ${reference} is not present locally, and ${why}`,
  });

  // --build wins over every policy for the services that can build (Compose sets them to `build`).
  if (overrides.build && mayBuild && service.build !== undefined) return { action: 'build', reason: '--build' };

  const policy: PullPolicy =
    overrides.pull !== undefined && overrides.pull !== 'policy' ? parsePullPolicy(overrides.pull) : parsePullPolicy(service.pull_policy);
  const policyText = overrides.pull !== undefined && overrides.pull !== 'policy' ? `--pull ${overrides.pull}` : `pull_policy: ${service.pull_policy}`;

  switch (policy.kind) {
    case 'build':
      if (service.build === undefined) {
        return { action: 'error', message: `service "${service.name}" has pull_policy: build but no build section` };
      }
      if (mayBuild) return { action: 'build', reason: 'pull_policy: build' };
      return local ? { action: 'use-local', reason: 'present locally (--no-build)' } : missingAndUnbuildable('the service has no build section');

    case 'never':
      if (local) return { action: 'use-local', reason: 'present locally' };
      // Never pulled; still built when missing, as Compose does.
      if (mayBuild) return { action: 'build', reason: 'missing locally' };
      return missingAndUnbuildable(`${policyText} forbids pulling it`);

    case 'always':
      if (service.image === undefined) {
        // Nothing to pull: a build-only image follows the missing rule.
        if (local) return { action: 'use-local', reason: 'present locally' };
        return mayBuild ? { action: 'build', reason: 'missing locally' } : missingAndUnbuildable('the service has no build section');
      }
      return { action: 'pull', reason: policyText, onFailure: fallback(local, mayBuild) };

    case 'refresh': {
      if (local && !refreshDue(local, policy.everyMs, input.now)) return { action: 'use-local', reason: `present locally, refresh not due (${policy.text})` };
      if (service.image === undefined) {
        if (local) return { action: 'use-local', reason: 'present locally' };
        return mayBuild ? { action: 'build', reason: 'missing locally' } : missingAndUnbuildable('the service has no build section');
      }
      return local
        ? { action: 'pull', reason: `refresh due (${policy.text})`, onFailure: 'use-local' }
        : { action: 'pull', reason: 'missing locally', onFailure: mayBuild ? 'build' : 'error' };
    }

    case 'missing':
      if (local) return { action: 'use-local', reason: 'present locally' };
      if (service.image === undefined) {
        return mayBuild ? { action: 'build', reason: 'missing locally' } : missingAndUnbuildable('the service has no build section');
      }
      return { action: 'pull', reason: 'missing locally', onFailure: mayBuild ? 'build' : 'error' };
  }
}

function fallback(local: LocalImage | undefined, mayBuild: boolean): PullFallback {
  // An image present locally is kept rather than rebuilt, as Compose does after a failed pull.
  if (local) return mayBuild ? 'use-local' : 'error';
  return mayBuild ? 'build' : 'error';
}

/**
 * A refresh is due when the local tag is older than the window. The tag time is what moves when a
 * newer image arrives; engines that do not record it for pulled images fall back to the build time.
 */
export function refreshDue(local: LocalImage, everyMs: number, now: number): boolean {
  const stamp = Date.parse(local.lastTagTime ?? local.created);
  if (Number.isNaN(stamp)) return true;
  return now >= stamp + everyMs;
}

// ---------------------------------------------------------------------------------------------
// `pull` command

export interface PullCommandOptions {
  /** `--ignore-buildable`. */
  readonly ignoreBuildable?: boolean;
  /** `--policy`: replaces every service's `pull_policy`. */
  readonly policy?: 'missing' | 'always';
}

export type PullCommandDecision = { readonly action: 'pull' } | { readonly action: 'skip'; readonly reason: string };

/**
 * `tscompose pull`: an explicit pull, so an unset policy pulls even when the image is present (a
 * tag may have moved), and `missing` skips a present image unless its tag is `latest`.
 */
export function decidePullCommand(
  service: Service,
  local: LocalImage | undefined,
  options: PullCommandOptions,
): PullCommandDecision {
  if (service.image === undefined) return { action: 'skip', reason: 'No image to be pulled' };
  const policyValue = options.policy ?? service.pull_policy;
  const policy = parsePullPolicy(policyValue);
  if (policy.kind === 'never' || policy.kind === 'build') return { action: 'skip', reason: `pull_policy: ${policyValue}` };
  if (service.build !== undefined && options.ignoreBuildable) return { action: 'skip', reason: 'Image can be built' };
  if (policyValue !== undefined && policy.kind === 'missing' && local && !isLatestTag(service.image)) {
    return { action: 'skip', reason: 'Image is already present locally' };
  }
  return { action: 'pull' };
}

/** Whether a reference names the `latest` tag, explicitly or by having no tag or digest. */
export function isLatestTag(reference: string): boolean {
  if (reference.includes('@')) return false;
  const lastSegment = reference.slice(reference.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return colon < 0 || lastSegment.slice(colon + 1) === 'latest';
}
