/**
 * `extra_hosts`: `host:ip`, `host=ip` and the map form all become `host=ip` (Compose's canonical
 * separator since 2.24.1), with IPv6 brackets removed, deduplicated and sorted as Compose prints.
 */
import { isTree, scalarString, stringList } from './scalars.js';

export function toExtraHosts(value: unknown): string[] {
  const entries: string[] = [];
  if (isTree(value)) {
    for (const [host, ips] of Object.entries(value)) {
      for (const ip of stringList(ips) ?? []) entries.push(hostEntry(host, ip));
    }
  } else if (Array.isArray(value)) {
    for (const item of value) {
      const text = scalarString(item);
      if (text === undefined) continue;
      const separator = text.includes('=') ? text.indexOf('=') : text.indexOf(':');
      entries.push(separator === -1 ? text : hostEntry(text.slice(0, separator), text.slice(separator + 1)));
    }
  }
  return [...new Set(entries)].sort();
}

function hostEntry(host: string, ip: string): string {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  return `${host}=${bare}`;
}
