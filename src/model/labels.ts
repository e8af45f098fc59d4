/**
 * Identity labels. Containers, networks and volumes carry Compose's label keys so that
 * `docker compose ps/ls/down`, Docker Desktop and tscompose see each other's projects; ownership
 * is decided by these labels, never by names. Pure: no engine, no fs.
 */
import type { Dependency, Network, Project, Service, Volume } from './types.js';

/** Compose's label keys (the values Compose 2.26 writes, checked with `docker inspect`). */
export const LABEL = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  containerNumber: 'com.docker.compose.container-number',
  /** `True` for `run` containers, `False` otherwise (Go's bool spelling). */
  oneoff: 'com.docker.compose.oneoff',
  configHash: 'com.docker.compose.config-hash',
  /** The image ID the container was created from (`sha256:...`). */
  image: 'com.docker.compose.image',
  /** `svc:condition:restart` entries joined by `,`; empty string when there are none. */
  dependsOn: 'com.docker.compose.depends_on',
  workingDir: 'com.docker.compose.project.working_dir',
  /** Absolute paths joined by `,`. */
  configFiles: 'com.docker.compose.project.config_files',
  /** Absolute paths joined by `,`; only written when env files were used. */
  environmentFile: 'com.docker.compose.project.environment_file',
  version: 'com.docker.compose.version',
  /** On a replacement container: the full ID of the container it replaces. */
  replace: 'com.docker.compose.replace',
  /** On a network: its key in the compose file (`default`, `backend`). */
  network: 'com.docker.compose.network',
  /** On a volume: its key in the compose file. */
  volume: 'com.docker.compose.volume',
  /** On a one-off container: its random slug. */
  slug: 'com.docker.compose.slug',
} as const;

/**
 * tscompose's own labels. Compose's config hash says *that* something changed; the applied
 * config (key-sorted JSON with its secret-bearing values sealed, see applied-config.ts) lets the
 * next run say *what* changed; the key label tells which key sealed it.
 */
export const TSCOMPOSE_LABEL = {
  appliedConfig: 'io.tscompose.applied-config',
  appliedConfigKey: 'io.tscompose.applied-config-key',
} as const;

/** The applied config as recorded: sealed JSON text and the id of the key that sealed it. */
export interface AppliedConfigRecord {
  readonly text: string;
  readonly keyId: string;
}

/** Labels must not grow without bound; past this the applied config is not recorded (the hash still is). */
export const APPLIED_CONFIG_MAX_LENGTH = 256 * 1024;

function appliedConfigLabels(record: AppliedConfigRecord | undefined): Record<string, string> {
  if (record === undefined || record.text.length > APPLIED_CONFIG_MAX_LENGTH) return {};
  return { [TSCOMPOSE_LABEL.appliedConfig]: record.text, [TSCOMPOSE_LABEL.appliedConfigKey]: record.keyId };
}

/** The `label=` filter that selects everything of one project (the engine matches it exactly). */
export function projectLabelFilter(projectName: string): string {
  return `${LABEL.project}=${projectName}`;
}

/**
 * The `label=` filters that select a project's containers: the project label (exact) and the
 * presence of a config hash, as Compose filters. A container made by hand with only the project,
 * service and number labels is not the project's: never adopted, recreated or removed (P6).
 */
export function projectContainerFilters(projectName: string): string[] {
  return [projectLabelFilter(projectName), LABEL.configHash];
}

/** The same test on labels already fetched (the planner and event consumers check again). */
export function isProjectContainer(labels: Readonly<Record<string, string>>, projectName: string): boolean {
  return labels[LABEL.project] === projectName && labels[LABEL.configHash] !== undefined;
}

/** `db:service_healthy:true,migrate:service_completed_successfully:false`, sorted by service. */
export function dependsOnLabelValue(dependsOn: Readonly<Record<string, Dependency>> | undefined): string {
  return Object.keys(dependsOn ?? {})
    .sort()
    .map((name) => {
      const dependency = dependsOn![name];
      return `${name}:${dependency.condition}:${dependency.restart === true}`;
    })
    .join(',');
}

export interface DependsOnLabelEntry {
  readonly service: string;
  readonly condition: string;
  readonly restart: boolean;
}

/**
 * Reads a `depends_on` label back (used when there is no compose file, e.g. `down -p x`, to
 * order containers). Malformed entries are skipped: the label is a hint, not a contract.
 */
export function parseDependsOnLabel(value: string | undefined): DependsOnLabelEntry[] {
  if (!value) return [];
  const entries: DependsOnLabelEntry[] = [];
  for (const part of value.split(',')) {
    const [service, condition, restart] = part.split(':');
    if (!service) continue;
    entries.push({ service, condition: condition || 'service_started', restart: restart === 'true' });
  }
  return entries;
}

/** What every label set of a project shares. */
function projectLabels(project: Project, toolVersion: string): Record<string, string> {
  return { [LABEL.project]: project.name, [LABEL.version]: toolVersion };
}

export interface ContainerLabelInput {
  readonly project: Project;
  readonly service: Service;
  readonly number: number;
  readonly configHash: string;
  /** The canonical config this container is created from, sealed (applied-config.ts). */
  readonly appliedConfig: AppliedConfigRecord;
  readonly toolVersion: string;
  readonly oneoff?: boolean;
  /** Image ID, when already known; the executor sets it when it creates the container. */
  readonly imageId?: string;
  /** Full ID of the container this one replaces (recreate). */
  readonly replaces?: string;
  readonly slug?: string;
}

/**
 * The identity labels of a container, without the user's `labels:` (the container spec merges
 * these over the user's, so the identity always wins).
 */
export function containerLabels(input: ContainerLabelInput): Record<string, string> {
  const { project, service } = input;
  const labels: Record<string, string> = {
    ...projectLabels(project, input.toolVersion),
    [LABEL.service]: service.name,
    [LABEL.containerNumber]: String(input.number),
    [LABEL.oneoff]: input.oneoff ? 'True' : 'False',
    [LABEL.configHash]: input.configHash,
    [LABEL.dependsOn]: dependsOnLabelValue(service.depends_on),
    [LABEL.workingDir]: project.workingDir,
    [LABEL.configFiles]: project.configFiles.join(','),
  };
  if (project.envFilesRequested && project.envFiles.length > 0) labels[LABEL.environmentFile] = project.envFiles.join(',');
  if (input.imageId !== undefined) labels[LABEL.image] = input.imageId;
  if (input.replaces !== undefined) labels[LABEL.replace] = input.replaces;
  if (input.slug !== undefined) labels[LABEL.slug] = input.slug;
  return { ...labels, ...appliedConfigLabels(input.appliedConfig) };
}

/** A created network's or volume's labels: the user's, then the identity over them. */
function resourceLabels(
  project: Project,
  keyLabel: string,
  key: string,
  userLabels: Readonly<Record<string, string>> | undefined,
  toolVersion: string,
  appliedConfig: AppliedConfigRecord | undefined,
): Record<string, string> {
  return { ...(userLabels ?? {}), ...projectLabels(project, toolVersion), [keyLabel]: key, ...appliedConfigLabels(appliedConfig) };
}

/**
 * Labels of a network the project creates: the user's `labels:` plus the identity (which wins).
 * `appliedConfig` records the canonical definition so a later run can report a divergence.
 */
export function networkLabels(
  project: Project,
  key: string,
  network: Network,
  toolVersion: string,
  appliedConfig?: AppliedConfigRecord,
): Record<string, string> {
  return resourceLabels(project, LABEL.network, key, network.labels, toolVersion, appliedConfig);
}

/** Labels of a volume the project creates: the user's `labels:` plus the identity (which wins). */
export function volumeLabels(
  project: Project,
  key: string,
  volume: Volume,
  toolVersion: string,
  appliedConfig?: AppliedConfigRecord,
): Record<string, string> {
  return resourceLabels(project, LABEL.volume, key, volume.labels, toolVersion, appliedConfig);
}
