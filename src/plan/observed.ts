/**
 * ObservedState: a snapshot of what the engine holds for one project, taken before planning so
 * the planner compares desired and actual state without any further engine call. Plain data; the
 * engine layer builds it from a few label-filtered list calls.
 *
 * What the observer must collect (and why):
 * - containers: every container labelled `com.docker.compose.project=<p>`, in every state,
 *   one-off containers included (orphans, repairs and `down` need them all);
 * - networks: every network labelled for the project, plus every network whose name is one the
 *   project declares (external ones too), whatever its labels: a same-name network the project
 *   does not own must be seen to be refused (it is invisible to a label filter);
 * - volumes: the same rule as networks (a foreign same-name volume is reported and reused), plus
 *   the volumes with anonymous-looking names the containers mount (their labels tell an anonymous
 *   volume from one made on purpose: anonymous-volumes.ts);
 * - images: for each service's image reference (names.ts `serviceImageReference`), its ID and
 *   the VOLUME paths it declares, when the image exists locally (a changed ID means the image
 *   was rebuilt or pulled: recreate). A missing entry means "unknown", never "changed".
 */
import { comparableConfigs, type AppliedKind, type SealKey } from '../model/applied-config.js';
import { diffConfigs, type CanonicalValue } from '../model/hash.js';
import { LABEL, TSCOMPOSE_LABEL } from '../model/labels.js';

/** The engine's container states (`docker ps` State). */
export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ObservedMount {
  /** `volume`, `bind`, `tmpfs`, `npipe`, ... as the engine reports it. */
  readonly type: string;
  /** The volume's name (type `volume`); anonymous volumes have a 64-hex name (anonymous-volumes.ts). */
  readonly name?: string;
  /** The host path (type `bind`). */
  readonly source?: string;
  /** The path inside the container. */
  readonly destination: string;
}

export interface ObservedContainer {
  /** Full ID. */
  readonly id: string;
  /** Name without the engine's leading `/`. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly state: ContainerState;
  /** The image ID the container runs (`sha256:...`). */
  readonly imageId: string;
  /** Creation time, seconds since the epoch (orders duplicates). */
  readonly created: number;
  readonly mounts: readonly ObservedMount[];
  /** Names of the networks the container is attached to. */
  readonly networks: readonly string[];
  /** HostConfig.NetworkMode (`bridge`, `host`, `container:<id>`, a network name, ...). */
  readonly networkMode?: string;
  /** The engine's words for the state, as `docker ps` shows them: `Exited (0) 3 minutes ago`. */
  readonly statusText?: string;
}

export interface ObservedNetwork {
  readonly id: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ObservedVolume {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ObservedImage {
  /** Image ID (`sha256:...`). */
  readonly id: string;
  /** Paths the image declares as VOLUME (anonymous volumes a container gets without asking). */
  readonly volumes?: readonly string[];
}

export interface ObservedState {
  readonly containers: readonly ObservedContainer[];
  readonly networks: readonly ObservedNetwork[];
  readonly volumes: readonly ObservedVolume[];
  /** By image reference (e.g. `nginx:1.27`, `myproj-web`). */
  readonly images: Readonly<Record<string, ObservedImage>>;
}

export const EMPTY_OBSERVED_STATE: ObservedState = { containers: [], networks: [], volumes: [], images: {} };

export function containerService(container: ObservedContainer): string | undefined {
  return container.labels[LABEL.service];
}

/** The replica number, or undefined when the label is missing or not a positive integer. */
export function containerNumber(container: ObservedContainer): number | undefined {
  const value = container.labels[LABEL.containerNumber];
  if (value === undefined || !/^[0-9]+$/.test(value)) return undefined;
  const number = Number(value);
  return number > 0 ? number : undefined;
}

export function isOneOff(container: ObservedContainer): boolean {
  return container.labels[LABEL.oneoff] === 'True';
}

/** How a stopped container is described in a plan: `exited (0) 3 minutes ago` (the engine's words), else its state. */
export function describeState(container: ObservedContainer): string {
  const text = container.statusText?.trim();
  if (!text) return container.state;
  return `${text[0].toLowerCase()}${text.slice(1)}`;
}

/** running, restarting and paused containers hold their resources: they need a stop. */
export function isActive(container: ObservedContainer): boolean {
  return container.state === 'running' || container.state === 'restarting' || container.state === 'paused';
}

/** The last applied canonical config recorded by tscompose, or undefined (another tool, or unreadable). */
export function appliedConfigOf(labels: Readonly<Record<string, string>>): unknown {
  const text = labels[TSCOMPOSE_LABEL.appliedConfig];
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export interface AppliedChanges {
  /** Dotted paths that differ (diffConfigs), in key order. */
  readonly paths: readonly string[];
  /** The recorded and the desired config in the same (sealed) form: what the paths were found in. */
  readonly applied: unknown;
  readonly desired: unknown;
  /** The record was sealed under another user's key: changed values were not compared. */
  readonly valuesHidden: boolean;
}

/** What differs between the recorded config and `desired`; undefined when nothing is recorded. */
export function changesSinceApplied(
  kind: AppliedKind,
  labels: Readonly<Record<string, string>>,
  desired: CanonicalValue,
  key: SealKey,
): AppliedChanges | undefined {
  const recorded = appliedConfigOf(labels);
  if (recorded === undefined) return undefined;
  const configs = comparableConfigs(kind, recorded, labels[TSCOMPOSE_LABEL.appliedConfigKey], desired, key);
  return { paths: diffConfigs(configs.applied, configs.desired), applied: configs.applied, desired: configs.desired, valuesHidden: configs.valuesHidden };
}
