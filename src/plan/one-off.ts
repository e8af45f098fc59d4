/**
 * The one-off container of `run SERVICE [COMMAND]`, as Compose makes it: the service with the
 * command line's overrides, named `<project>-<service>-run-<slug[:12]>` (or `--name`), labelled
 * `oneoff=True` with its slug, so `ps -a`, `down` and Compose itself see it. Ports are published
 * only with `--service-ports` (or `-p`).
 * Pure: the slug comes in.
 */
import type { Mount, Port, Project, Service } from '../model/types.js';
import { ReconcileError } from './errors.js';
import { planNetworksAndVolumes, type ResourceLabelInput } from './networks-and-volumes.js';
import type { ObservedState } from './observed.js';
import { PlanBuilder, type Plan } from './plan.js';

export interface OneOffOverrides {
  /** The command line after the service; empty keeps the service's command. */
  readonly command: readonly string[];
  /** `--entrypoint`, already split into words. */
  readonly entrypoint?: readonly string[];
  /** `-e`: added over the service's environment. */
  readonly environment: Readonly<Record<string, string>>;
  /** `-l`: added over the service's labels. */
  readonly labels: Readonly<Record<string, string>>;
  readonly user?: string;
  readonly workingDir?: string;
  /** `-P/--service-ports`: keep the service's ports. */
  readonly servicePorts: boolean;
  /** `-p`: published in addition. */
  readonly publish: readonly Port[];
  /** `-v`: mounted in addition (a target already mounted is replaced). */
  readonly volumes: readonly Mount[];
  readonly capAdd: readonly string[];
  readonly capDrop: readonly string[];
  readonly tty: boolean;
  /** Keep stdin open (`-i`, Compose's default). */
  readonly interactive: boolean;
}

export function oneOffService(service: Service, overrides: OneOffOverrides): Service {
  const { container_name: _ignored, ...rest } = service;
  const volumes = [...(service.volumes ?? []).filter((mount) => !overrides.volumes.some((added) => added.target === mount.target)), ...overrides.volumes];
  const ports = [...(overrides.servicePorts ? (service.ports ?? []) : []), ...overrides.publish];
  return {
    ...rest,
    ...(overrides.command.length > 0 ? { command: [...overrides.command] } : {}),
    ...(overrides.entrypoint === undefined ? {} : { entrypoint: [...overrides.entrypoint] }),
    environment: { ...(service.environment ?? {}), ...overrides.environment },
    labels: { ...(service.labels ?? {}), ...overrides.labels },
    ...(overrides.user === undefined ? {} : { user: overrides.user }),
    ...(overrides.workingDir === undefined ? {} : { working_dir: overrides.workingDir }),
    ports,
    volumes,
    ...(overrides.capAdd.length > 0 ? { cap_add: [...(service.cap_add ?? []), ...overrides.capAdd] } : {}),
    ...(overrides.capDrop.length > 0 ? { cap_drop: [...(service.cap_drop ?? []), ...overrides.capDrop] } : {}),
    tty: overrides.tty,
    stdin_open: overrides.interactive,
  };
}

/** `<project>-<service>-run-<first 12 of the slug>`, or the name given with `--name`. */
export function oneOffName(projectName: string, service: string, slug: string, name?: string): string {
  return name ?? `${projectName}-${service}-run-${slug.slice(0, 12)}`;
}

/** The networks and volumes the one-off container needs (created when missing, as `up` would). */
export function oneOffResourcesPlan(project: Project, observed: ObservedState, service: Service, labels: ResourceLabelInput): Plan {
  const builder = new PlanBuilder();
  const needs = planNetworksAndVolumes(builder, project, observed, [service], labels);
  if (needs.problems.length > 0) throw new ReconcileError(needs.problems);
  return builder.build();
}
