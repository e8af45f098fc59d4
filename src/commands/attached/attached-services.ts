/**
 * Which services an attached `up` prints, waits for and stops, by Compose's rules (checked against
 * Docker Compose 2.26):
 *
 * - printed: `--attach` services as given; otherwise the services named on the command line (all
 *   when none), with their dependencies under `--attach-dependencies`, leaving out those with
 *   `attach: false`; then minus `--no-attach`.
 * - waited for: the services named (`up web` returns when web's containers have exited, even with
 *   `--attach-dependencies`); with none named, the printed ones; with nothing printed, every
 *   service of the run.
 * - stopped by Ctrl-C and the abort flags: the services named, or every service; dependencies the
 *   user did not name keep running.
 *
 * The `--exit-code-from` service is followed too (for its exit code), whatever else applies.
 */
import { UsageError } from '../../errors.js';
import type { Project } from '../../model/types.js';
import { serviceGraph } from '../../plan/graph.js';
import { targetServices } from '../../plan/targets.js';

export interface AttachedServices {
  readonly printed: ReadonlySet<string>;
  readonly waitedFor: ReadonlySet<string>;
  /** Every service whose containers are followed (printed or waited for). */
  readonly followed: ReadonlySet<string>;
  readonly stopped: readonly string[];
}

export interface AttachSelection {
  /** `--attach` */
  readonly attach: readonly string[];
  /** `--no-attach` */
  readonly noAttach?: readonly string[];
  readonly attachDependencies: boolean;
  readonly noDeps?: boolean;
  /** `--exit-code-from`: followed for its exit code even when neither printed nor waited for. */
  readonly exitCodeFrom?: string;
}

export function attachedServices(project: Project, named: readonly string[], selection: AttachSelection): AttachedServices {
  if (selection.attach.length > 0 && selection.attachDependencies) throw new UsageError('cannot combine --attach and --attach-dependencies');
  const graph = serviceGraph(project.services);
  const requested = named.length > 0 ? [...named] : graph.services;
  const inRun = targetServices(graph, named, selection.noDeps);

  let printed: string[];
  if (selection.attach.length > 0) {
    const outside = [...new Set(selection.attach)].filter((name) => !inRun.includes(name));
    if (outside.length > 0) throw new UsageError(`cannot attach to services not included in up: ${outside.join(', ')}`);
    printed = [...selection.attach];
  } else {
    const candidates = selection.attachDependencies && !selection.noDeps ? graph.withDependencies(requested) : requested;
    printed = candidates.filter((name) => project.services[name]?.attach !== false);
  }
  const noAttach = new Set(selection.noAttach ?? []);
  const printedSet = new Set(printed.filter((name) => !noAttach.has(name)));

  const waitedFor = new Set(named.length > 0 ? named : printedSet.size > 0 ? printedSet : inRun);
  return {
    printed: printedSet,
    waitedFor,
    followed: new Set([...printedSet, ...waitedFor, ...(selection.exitCodeFrom === undefined ? [] : [selection.exitCodeFrom])]),
    stopped: named.length > 0 ? [...named] : Object.keys(project.services),
  };
}
