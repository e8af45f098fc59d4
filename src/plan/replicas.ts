/**
 * Turns the observed containers of one service into at most one container per replica number,
 * repairing what interrupted or concurrent runs leave behind (reliability P8 and F4):
 *
 * - A recreate runs: create the replacement as `<oldId12>_<name>` -> stop the old -> start the
 *   replacement -> remove the old -> rename the replacement. Interrupted part-way, it leaves
 *   either both containers, or only the replacement under its temporary name.
 * - Both present: when the replacement had already started (running while the old one is
 *   stopped), the recreate is finished (remove the old one, rename the replacement); otherwise
 *   the replacement is discarded and the old container is reconciled as usual. Either way the
 *   anonymous volumes both share are kept.
 * - Only the replacement: it gets the final name back.
 * - Several containers for one number (two `up`s at once): one is kept (the one holding the
 *   final name, else a running one, else the newest), the others are removed.
 */
import { LABEL } from '../model/labels.js';
import type { Service } from '../model/types.js';
import { containerName, parseTemporaryName } from './names.js';
import { containerNumber, isActive, type ObservedContainer } from './observed.js';

export interface Replica {
  readonly number: number;
  readonly container: ObservedContainer;
  /** The container holds a temporary name: give it the final name back (unless it is recreated). */
  readonly renameTo?: string;
  /** The container that still holds the final name and must be removed first (finishing a recreate). */
  readonly removeFirst?: ObservedContainer;
  /** Why this replica needed a repair, for the plan's causes. */
  readonly repairCause?: string;
}

export interface Discard {
  readonly container: ObservedContainer;
  readonly number: number;
  readonly cause: string;
}

export interface ReplicaResolution {
  /** One per replica number, ascending. */
  readonly replicas: readonly Replica[];
  /** Containers to stop and remove (their anonymous volumes are kept). */
  readonly discards: readonly Discard[];
  /** Containers without a usable number label: left alone. */
  readonly unnumbered: readonly ObservedContainer[];
}

const REPAIR_TEMPORARY_NAME = 'repair: temporary name left by an interrupted recreate';
const REPAIR_FINISH = 'repair: finish a recreate that was interrupted after the replacement started';
const REPAIR_DISCARD = 'repair: replacement left by an interrupted recreate';

/** Best survivor among containers competing for one number: running first, then newest, then by ID. */
function byPreference(a: ObservedContainer, b: ObservedContainer): number {
  if (isActive(a) !== isActive(b)) return isActive(a) ? -1 : 1;
  if (a.created !== b.created) return b.created - a.created;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function resolveReplicas(
  projectName: string,
  service: Service,
  containers: readonly ObservedContainer[],
): ReplicaResolution {
  const byNumber = new Map<number, ObservedContainer[]>();
  const unnumbered: ObservedContainer[] = [];
  for (const container of containers) {
    const number = containerNumber(container);
    if (number === undefined || container.labels[LABEL.service] !== service.name) {
      unnumbered.push(container);
      continue;
    }
    byNumber.set(number, [...(byNumber.get(number) ?? []), container]);
  }

  const replicas: Replica[] = [];
  const discards: Discard[] = [];
  for (const number of [...byNumber.keys()].sort((a, b) => a - b)) {
    const group = [...byNumber.get(number)!].sort(byPreference);
    const finalName = containerName(projectName, service, number);
    const holder = group.find((container) => container.name === finalName);
    const isReplacementOf = (container: ObservedContainer, old: ObservedContainer | undefined): boolean => {
      const parsed = parseTemporaryName(container.name);
      if (parsed === undefined || parsed.finalName !== finalName) return false;
      return old === undefined || old.id.startsWith(parsed.replacedIdPrefix);
    };

    if (holder !== undefined) {
      const finisher = group.find(
        (container) => container !== holder && isReplacementOf(container, holder) && isActive(container) && !isActive(holder),
      );
      if (finisher !== undefined) {
        replicas.push({ number, container: finisher, renameTo: finalName, removeFirst: holder, repairCause: REPAIR_FINISH });
      } else {
        replicas.push({ number, container: holder });
      }
      for (const container of group) {
        if (container === holder || container === finisher) continue;
        const cause = isReplacementOf(container, undefined) ? REPAIR_DISCARD : `duplicate of replica ${number}`;
        discards.push({ container, number, cause });
      }
      continue;
    }

    const [kept, ...rest] = group;
    if (isReplacementOf(kept, undefined)) {
      replicas.push({ number, container: kept, renameTo: finalName, repairCause: REPAIR_TEMPORARY_NAME });
    } else {
      replicas.push({ number, container: kept });
    }
    for (const container of rest) discards.push({ container, number, cause: `duplicate of replica ${number}` });
  }
  return { replicas, discards, unnumbered };
}

/**
 * Numbers for `count` new replicas. Compose numbers them after the highest number observed (gaps
 * are not refilled); after a concurrent change the lowest free numbers are taken (see
 * afterConcurrentChange).
 */
export function newReplicaNumbers(taken: readonly number[], count: number, fillGaps: boolean): number[] {
  const result: number[] = [];
  if (!fillGaps) {
    const first = Math.max(0, ...taken) + 1;
    for (let number = first; number < first + count; number++) result.push(number);
    return result;
  }
  const used = new Set(taken);
  for (let number = 1; result.length < count; number++) if (!used.has(number)) result.push(number);
  return result;
}
