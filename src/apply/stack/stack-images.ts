/**
 * Which image each service of a stack runs, and whether the swarm's nodes can get it.
 *
 * `--resolve-image` works as in docker stack: `always` asks the registry for the tag's digest and
 * pins the service to `name:tag@sha256:…`, so every node runs the same image; `changed` does so
 * only when the file's image differs from the one the service was deployed with; `never` asks
 * nothing. Better than docker stack:
 * - when the registry cannot be reached and the tag is unchanged, the digest the service already
 *   runs is kept (docker unpins it, which restarts every task);
 * - an image that exists only on this engine (built here, never pushed) is refused on a swarm of
 *   several nodes, with the fix, instead of tasks failing with "No such image" on other nodes;
 * - on a single node, such a local image is used as it is, and its image ID is recorded on the
 *   tasks (a container label), so that rebuilding the tag and deploying again rolls the service.
 */
import { withDefaultTag } from '../../model/stack/service-spec.js';
import type { DesiredService } from '../../model/stack/desired-stack.js';
import { STACK_LABEL } from '../../model/stack/names.js';
import type { ImageChoice } from '../../model/stack/service-spec.js';
import type { CallOptions, Engine } from '../engine.js';
import type { ServiceInfo, SwarmEngine } from '../swarm-engine.js';

export type ResolveImage = 'always' | 'changed' | 'never';

export interface ImageChoices {
  readonly byService: Readonly<Record<string, ImageChoice>>;
  readonly warnings: readonly string[];
  /** Images the nodes cannot get: nothing may be deployed. */
  readonly problems: readonly string[];
}

export interface ChooseImagesOptions extends CallOptions {
  readonly resolve: ResolveImage;
  /** Nodes in the swarm: a local-only image is refused when there is more than one. */
  readonly nodes: number;
  /** X-Registry-Auth for an image, when --with-registry-auth. */
  readonly registryAuth?: (image: string) => string | undefined;
}

export async function chooseImages(
  engine: Engine,
  swarm: SwarmEngine,
  services: readonly DesiredService[],
  observed: readonly ServiceInfo[],
  options: ChooseImagesOptions,
): Promise<ImageChoices> {
  const warnings: string[] = [];
  const problems: string[] = [];
  const lookups = new Map<string, Promise<string | undefined>>();
  const digestOf = (ref: string): Promise<string | undefined> => {
    let lookup = lookups.get(ref);
    if (!lookup) {
      const auth = options.registryAuth?.(ref);
      lookup = swarm
        .distributionInspect(ref, { ...(options.signal ? { signal: options.signal } : {}), ...(auth ? { registryAuth: auth } : {}) })
        .then((info) => info?.digest);
      lookups.set(ref, lookup);
    }
    return lookup;
  };
  const entries = await Promise.all(
    services.map(async (service): Promise<[string, ImageChoice]> => {
      const ref = withDefaultTag(service.image);
      const current = observed.find((item) => item.spec.Name === service.spec.Name);
      const currentImage = current?.spec.TaskTemplate?.ContainerSpec?.Image;
      const sameImage = current !== undefined && current.spec.Labels?.[STACK_LABEL.image] === service.image;
      const pinnedNow = sameImage && currentImage !== undefined && currentImage.startsWith(`${ref}@`) ? currentImage : undefined;
      if (options.resolve === 'never' || (options.resolve === 'changed' && sameImage)) {
        return [service.name, pinnedNow ? { image: pinnedNow } : await unresolved(service, ref)];
      }
      const digest = await digestOf(ref);
      if (digest) return [service.name, { image: `${ref}@${digest}` }];
      if (pinnedNow) {
        warnings.push(`image ${ref} could not be looked up in a registry; service ${service.spec.Name} keeps the digest it runs (${pinnedNow.slice(ref.length + 1)})`);
        return [service.name, { image: pinnedNow }];
      }
      return [service.name, await unresolved(service, ref)];
    }),
  );

  /** An image no registry answered for: local (single node), refused (local on several nodes), or pulled by tag on each node. */
  async function unresolved(service: DesiredService, ref: string): Promise<ImageChoice> {
    const local = await engine.inspectImage(ref, options);
    const localOnly = local !== undefined && (service.builds || local.repoDigests.length === 0);
    if (options.nodes > 1) {
      if (localOnly) {
        problems.push(
          `service ${service.spec.Name}: image ${ref} exists only on this node (built or loaded here, not pulled from a registry), so the swarm's other nodes cannot get it. ` +
            'Push it to a registry they can reach: name the registry in image: (registry.example:5000/app:1) and run tscompose build --push, then deploy again',
        );
      } else if (local === undefined) {
        warnings.push(`image ${ref} could not be looked up in a registry: each node pulls it by its tag when it starts a task, so nodes may run different versions of it`);
      }
      return { image: ref };
    }
    if (local === undefined) {
      warnings.push(`image ${ref} is not on this node and could not be looked up in a registry: its tasks will fail to start unless the node can pull it`);
      return { image: ref };
    }
    return localOnly ? { image: ref, localImageId: local.id } : { image: ref };
  }

  return { byService: Object.fromEntries(entries), warnings, problems };
}
