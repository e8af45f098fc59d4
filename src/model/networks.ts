/**
 * Networks: a service's `networks` list becomes a map to `null` (attached with no options); long
 * attachments keep their options. Top-level networks get their engine name (see
 * resource-names.ts), labels as a map, and `external: {name}` (legacy) read as `name` + external.
 */
import type { IpamPool, Network, NetworkAttachment } from './types.js';
import { optionalLabels } from './environment.js';
import { externalAndName, resourceName } from './resource-names.js';
import {
  asArray,
  compact,
  extensionsOf,
  isTree,
  optionalBoolean,
  optionalInteger,
  optionalString,
  scalarString,
  sortByKey,
  stringList,
  stringMap,
  type Tree,
} from './scalars.js';

export function toServiceNetworks(value: unknown): Record<string, NetworkAttachment | null> {
  const out: Record<string, NetworkAttachment | null> = {};
  if (Array.isArray(value)) {
    for (const item of value) {
      const name = scalarString(item);
      if (name !== undefined) out[name] = null;
    }
  } else if (isTree(value)) {
    for (const [name, entry] of Object.entries(value)) out[name] = isTree(entry) ? toAttachment(entry) : null;
  }
  return sortByKey(out);
}

function toAttachment(entry: Tree): NetworkAttachment {
  return compact({
    aliases: stringList(entry.aliases),
    ipv4_address: optionalString(entry.ipv4_address),
    ipv6_address: optionalString(entry.ipv6_address),
    link_local_ips: stringList(entry.link_local_ips),
    mac_address: optionalString(entry.mac_address),
    driver_opts: stringMap(entry.driver_opts),
    priority: optionalInteger(entry.priority),
    extensions: extensionsOf(entry),
  });
}

export function toNetwork(key: string, value: unknown, projectName: string): Network {
  const raw = isTree(value) ? value : {};
  const { external, name } = externalAndName(raw);
  const ipam = isTree(raw.ipam)
    ? compact({
        driver: optionalString(raw.ipam.driver),
        config: Array.isArray(raw.ipam.config) ? asArray(raw.ipam.config).filter(isTree).map(toIpamPool) : undefined,
        options: stringMap(raw.ipam.options),
      })
    : undefined;
  return compact({
    name: resourceName(key, name, external, projectName),
    driver: optionalString(raw.driver),
    driver_opts: stringMap(raw.driver_opts),
    ipam,
    external: external || undefined,
    internal: optionalBoolean(raw.internal),
    attachable: optionalBoolean(raw.attachable),
    enable_ipv6: optionalBoolean(raw.enable_ipv6),
    labels: optionalLabels(raw.labels),
    extensions: extensionsOf(raw),
  });
}

function toIpamPool(pool: Tree): IpamPool {
  return compact({
    subnet: optionalString(pool.subnet),
    gateway: optionalString(pool.gateway),
    ip_range: optionalString(pool.ip_range),
    aux_addresses: stringMap(pool.aux_addresses),
  });
}
