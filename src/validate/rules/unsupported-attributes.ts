/**
 * Attributes of newer Compose versions that the schema knows but tscompose cannot honour. Running
 * without them would start something else than the file describes (a container without the
 * engine socket it was promised, a service without the model or the resources its provider
 * creates, an interface or a volume subpath other than the one asked for), so each is a
 * configuration problem at its position, as Compose 2.26 also refuses them.
 */
import type { PathSegment } from '../../load/located.js';
import type { Finding } from '../finding.js';
import { enabledServices, isMapping, type Mapping, type Rule, type RuleInput } from '../rule.js';

interface Unsupported {
  readonly what: string;
  readonly hint: string;
}

/** Keys of a service. */
const SERVICE_KEYS: Readonly<Record<string, Unsupported>> = {
  use_api_socket: {
    what: 'use_api_socket (newer Compose: the engine socket and credentials in the container)',
    hint: 'mount the socket yourself if the service needs it: volumes: ["/var/run/docker.sock:/var/run/docker.sock"]',
  },
  models: {
    what: 'models (newer Compose: AI models served by Docker Model Runner)',
    hint: 'run the model server as a service of its own and give this service its address in environment:',
  },
  provider: {
    what: 'provider services (newer Compose: resources made by an external provider)',
    hint: 'create the resources the provider would make yourself, and remove the service or give it an image',
  },
  pull_refresh_after: {
    what: 'pull_refresh_after (newer Compose: when `pull_policy: refresh` pulls again)',
    hint: 'use pull_policy: daily, weekly or every_<duration> (e.g. every_12h) instead',
  },
};

/** Keys of a service's network attachment (`networks: {NAME: {...}}`). */
const ATTACHMENT_KEYS: Readonly<Record<string, Unsupported>> = {
  interface_name: {
    what: 'interface_name (newer Compose and Docker Engine 28: the name of the network interface in the container)',
    hint: 'remove it: the engine names the interfaces eth0, eth1, ... in the order the networks are attached',
  },
};

/** Keys of a long-syntax mount (`volumes: [{type: ..., ...}]`). */
const MOUNT_KEYS: Readonly<Record<string, Unsupported>> = {
  image: {
    what: 'image mount options (newer Compose: `image.subpath`, a part of an image mounted)',
    hint: 'mount the whole image, or copy the part you need into a volume',
  },
};

/** Keys of a mount's `volume:` options. */
const MOUNT_VOLUME_KEYS: Readonly<Record<string, Unsupported>> = {
  labels: {
    what: 'volume.labels on a mount (newer Compose: labels for the volume it creates)',
    hint: 'declare the volume under the top-level `volumes:` and give it labels there',
  },
};

function* keysOf(node: unknown, table: Readonly<Record<string, Unsupported>>, path: readonly PathSegment[]): Iterable<Finding> {
  if (!isMapping(node)) return;
  for (const key of Object.keys(table)) {
    if (node[key] === undefined) continue;
    const { what, hint } = table[key];
    yield { path: [...path, key], at: 'key', message: `tscompose does not support ${what}`, hint };
  }
}

function* serviceFindings(name: string, service: Mapping): Iterable<Finding> {
  const base = ['services', name];
  yield* keysOf(service, SERVICE_KEYS, base);
  if (isMapping(service.networks)) {
    for (const [network, attachment] of Object.entries(service.networks)) {
      yield* keysOf(attachment, ATTACHMENT_KEYS, [...base, 'networks', network]);
    }
  }
  if (Array.isArray(service.volumes)) {
    for (const [index, mount] of service.volumes.entries()) {
      yield* keysOf(mount, MOUNT_KEYS, [...base, 'volumes', index]);
      if (isMapping(mount)) yield* keysOf(mount.volume, MOUNT_VOLUME_KEYS, [...base, 'volumes', index, 'volume']);
    }
  }
}

function* check(input: RuleInput): Iterable<Finding> {
  for (const [name, service] of enabledServices(input)) yield* serviceFindings(name, service);
}

export const unsupportedAttributes: Rule = { name: 'unsupported-attributes', check };
