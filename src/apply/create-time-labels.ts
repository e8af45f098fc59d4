/**
 * The labels of a container that only its creation can know: Compose's config hash when it names
 * containers this run made (the ids of those whose namespace or volumes it shares exist only now),
 * and the id of the image it is created from, recorded so that a rebuilt or re-pulled image makes
 * the next run recreate it.
 */
import { composeConfigHash, hashNamesContainers } from '../model/compose-hash.js';
import { LABEL } from '../model/labels.js';
import type { Project } from '../model/types.js';
import { serviceImageReference } from '../plan/names.js';
import type { CreateContainerOp } from '../plan/plan.js';

export interface CreateTimeFacts {
  /** The current containers of a service, first replica first. */
  readonly containersOf: (service: string) => readonly string[];
  /** The id of a local image, when there is one. */
  readonly imageId: (reference: string) => Promise<string | undefined>;
}

export async function createTimeLabels(op: CreateContainerOp, project: Project, facts: CreateTimeFacts): Promise<Readonly<Record<string, string>>> {
  let labels = op.labels;
  if (hashNamesContainers(op.service)) {
    const hash = composeConfigHash(op.service, project, { containerOf: (service) => facts.containersOf(service)[0] });
    labels = { ...labels, [LABEL.configHash]: hash };
  }
  if (labels[LABEL.image] === undefined) {
    const image = await facts.imageId(serviceImageReference(project.name, op.service));
    if (image !== undefined) labels = { ...labels, [LABEL.image]: image };
  }
  return labels;
}
