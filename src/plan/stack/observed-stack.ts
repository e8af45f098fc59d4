/**
 * What the swarm holds for a stack, as the stack planner needs it: plain data that the engine
 * layer fills from a few list calls (apply/observe-stack.ts), so planning needs no engine call.
 */
import type { ServiceSpec } from '../../model/stack/swarm-types.js';

export interface ObservedService {
  readonly id: string;
  /** The version an update must name. */
  readonly version: number;
  /** As the engine stores it (defaults filled in, network targets as IDs). */
  readonly spec: ServiceSpec;
  /** The spec a rollback returns to. */
  readonly previousSpec?: ServiceSpec;
}

export interface ObservedNetwork {
  readonly id: string;
  readonly name: string;
  readonly driver: string;
  /** `swarm` or `local`. */
  readonly scope: string;
  readonly attachable: boolean;
  readonly internal: boolean;
  readonly labels: Readonly<Record<string, string>>;
}

/** A secret or config (the engine never returns their content). */
export interface ObservedFileObject {
  readonly id: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ObservedStack {
  /** Services labelled with the stack, and any other service that has one of the desired names. */
  readonly services: readonly ObservedService[];
  /** Every swarm-scoped network (to name network IDs and see name conflicts), and the local ones externals name. */
  readonly networks: readonly ObservedNetwork[];
  readonly secrets: readonly ObservedFileObject[];
  readonly configs: readonly ObservedFileObject[];
}
