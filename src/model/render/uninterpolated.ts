/**
 * `config --no-interpolate`: Compose cannot build its typed model from text that still holds
 * `${...}`, so it prints a partly normalised copy of the merged file instead, and so do we:
 * paths resolved, names added, the `default` network added, and the short forms of `build`
 * (with its `ssh`, `secrets` and `additional_contexts`), `depends_on`, `env_file` (kept, not read),
 * `devices`, `networks`, `ports`, `volumes`, `secrets` and `configs` turned into long form; keys
 * Compose merges as `KEY=VALUE` sequences (`labels`, `environment`, ...) are printed as the
 * sequence when two files defined them; every other value stays as written. Profiles, pruning
 * and service selection are not applied, and `$` is not re-escaped (nothing was unescaped). Keys
 * are sorted, as Compose prints a map.
 */
import { mergedSequenceOrder } from '../../load/located.js';
import type { LoadedProject } from '../../load/types.js';
import { additionalContexts, sshKeys } from '../build.js';
import { keyOrder, sortedDeep, type Flavor } from './compose-document.js';
import { DEFAULT_NETWORK } from '../constants.js';
import { isRemoteContext, resolveHostPath, type PathContext } from '../paths.js';
import { normalisePullPolicy } from '../pull-policy.js';
import { externalAndName, resourceName } from '../resource-names.js';
import { parsePortSpec } from '../ports.js';
import { asTree, formatNumber, isTree, scalarString, type Tree } from '../scalars.js';
import { toDevices } from '../devices.js';
import { shortMount } from '../volumes.js';

export function toUninterpolatedDocument(loaded: LoadedProject, flavor: Flavor): Record<string, unknown> {
  const tree = asTree(loaded.tree);
  const paths: PathContext = { workingDir: loaded.workingDir, home: loaded.environment.HOME ?? '/' };
  const out: Tree = { ...tree, name: loaded.name };

  const services: Tree = {};
  let usesDefault = false;
  for (const [name, value] of Object.entries(asTree(tree.services))) {
    const service = normaliseService(asTree(value), paths);
    if (isTree(service.networks) && DEFAULT_NETWORK in service.networks) usesDefault = true;
    services[name] = service;
  }
  out.services = services;

  const networks = namedResources(tree.networks, loaded.name);
  if (usesDefault && !networks[DEFAULT_NETWORK]) networks[DEFAULT_NETWORK] = { name: `${loaded.name}_${DEFAULT_NETWORK}` };
  if (Object.keys(networks).length > 0) out.networks = networks;
  for (const kind of ['volumes', 'secrets', 'configs'] as const) {
    if (tree[kind] === undefined) continue;
    const resources = namedResources(tree[kind], loaded.name);
    for (const resource of Object.values(resources)) {
      if (typeof resource.file === 'string') resource.file = resolveHostPath(resource.file, paths);
    }
    out[kind] = resources;
  }
  return sortedDeep(out, keyOrder(flavor)) as Record<string, unknown>;
}

/** Keys of a service that Compose merges into `KEY=VALUE` sequences (override/merge.go). */
const SEQUENCE_MERGED = ['annotations', 'dns', 'dns_opt', 'dns_search', 'environment', 'extra_hosts', 'labels', 'sysctls', 'tmpfs'] as const;

function normaliseService(raw: Tree, paths: PathContext): Tree {
  const service: Tree = { ...raw };
  for (const key of SEQUENCE_MERGED) if (raw[key] !== undefined) service[key] = asMergedSequence(raw[key]);
  if (isTree(raw.deploy) && raw.deploy.labels !== undefined) service.deploy = { ...raw.deploy, labels: asMergedSequence(raw.deploy.labels) };
  if (raw.build !== undefined && raw.build !== null) service.build = normaliseBuild(raw.build, paths);
  if (Array.isArray(raw.ports)) service.ports = canonicalPorts(raw.ports);
  if (Array.isArray(raw.devices)) {
    service.devices = raw.devices.map((entry) => {
      const text = isTree(entry) ? undefined : scalarString(entry);
      return text === undefined ? entry : toDevices([text])[0];
    });
  }
  if (raw.depends_on !== undefined) {
    const dependsOn: Tree = {};
    if (Array.isArray(raw.depends_on)) {
      for (const name of raw.depends_on) dependsOn[String(name)] = { condition: 'service_started', required: true };
    } else {
      for (const [name, entry] of Object.entries(asTree(raw.depends_on))) {
        dependsOn[name] = { condition: 'service_started', required: true, ...asTree(entry) };
      }
    }
    service.depends_on = dependsOn;
  }
  if (typeof raw.dns === 'string') service.dns = [raw.dns];
  if (raw.env_file !== undefined && raw.env_file !== null) {
    const entries = Array.isArray(raw.env_file) ? raw.env_file : [raw.env_file];
    service.env_file = entries.map((entry) => {
      const long: Tree = isTree(entry) ? { ...entry } : { path: scalarString(entry) };
      if (typeof long.path === 'string') long.path = resolveHostPath(long.path, paths);
      long.required ??= true;
      return long;
    });
  }
  if (Array.isArray(raw.networks)) {
    service.networks = Object.fromEntries(raw.networks.map((name) => [String(name), null]));
  } else if (raw.networks === undefined && raw.network_mode === undefined) {
    service.networks = { [DEFAULT_NETWORK]: null };
  }
  if (Array.isArray(raw.volumes)) {
    service.volumes = raw.volumes.map((entry) => {
      if (isTree(entry)) {
        if (entry.type === 'bind' && typeof entry.source === 'string') {
          return { ...entry, source: resolveHostPath(entry.source, paths) };
        }
        return entry;
      }
      const text = scalarString(entry);
      return (text === undefined ? undefined : shortMount(text, paths)) ?? entry;
    });
  }
  for (const kind of ['secrets', 'configs'] as const) {
    if (!Array.isArray(raw[kind])) continue;
    service[kind] = (raw[kind] as unknown[]).map((entry) => {
      if (isTree(entry)) return entry;
      const source = scalarString(entry);
      return kind === 'secrets' ? { source, target: `/run/secrets/${source}` } : { source };
    });
  }
  if (isTree(raw.develop) && Array.isArray(raw.develop.watch)) {
    service.develop = {
      ...raw.develop,
      watch: raw.develop.watch.map((rule) =>
        isTree(rule) && typeof rule.path === 'string' ? { ...rule, path: resolveHostPath(rule.path, paths) } : rule,
      ),
    };
  }
  if (typeof raw.pull_policy === 'string') service.pull_policy = normalisePullPolicy(raw.pull_policy);
  return service;
}

function namedResources(value: unknown, projectName: string): Record<string, Tree> {
  const out: Record<string, Tree> = {};
  for (const [key, entry] of Object.entries(asTree(value))) {
    const raw = isTree(entry) ? entry : {};
    const { external, name } = externalAndName(raw);
    out[key] = { ...raw, name: resourceName(key, name, external, projectName) };
    if (raw.labels !== undefined) out[key].labels = asMergedSequence(raw.labels);
  }
  return out;
}

function normaliseBuild(value: unknown, paths: PathContext): Tree {
  const build: Tree = isTree(value) ? { ...value } : { context: scalarString(value) };
  const context = scalarString(build.context) ?? '.';
  build.context = isRemoteContext(context) ? context : resolveHostPath(context, paths);
  if (build.dockerfile === undefined && build.dockerfile_inline === undefined) build.dockerfile = 'Dockerfile';
  for (const key of ['args', 'labels', 'extra_hosts'] as const) if (build[key] !== undefined) build[key] = asMergedSequence(build[key]);
  if (build.additional_contexts !== undefined) build.additional_contexts = additionalContexts(build.additional_contexts, paths) ?? build.additional_contexts;
  if (Array.isArray(build.secrets)) build.secrets = build.secrets.map((entry) => (isTree(entry) ? entry : { source: scalarString(entry) }));
  const ssh = sshKeys(build.ssh, paths);
  if (ssh) build.ssh = Object.fromEntries([...ssh].map(([id, file]) => [id, file ?? null]));
  return build;
}

/**
 * Compose's canonical ports: every short entry in long form, unless one of them does not parse
 * (it holds a `${...}`), when the list stays as written; long entries get `mode` and `protocol`.
 */
function canonicalPorts(ports: readonly unknown[]): unknown[] {
  const withDefaults = (entry: unknown): unknown => (isTree(entry) ? { mode: 'ingress', protocol: 'tcp', ...entry } : entry);
  const out: unknown[] = [];
  for (const entry of ports) {
    if (isTree(entry)) {
      out.push(withDefaults(entry));
      continue;
    }
    const text = scalarString(entry);
    const parsed = text === undefined ? [] : parsePortSpec(text);
    if (parsed.length === 0) return ports.map(withDefaults);
    out.push(...parsed);
  }
  return out;
}

/** A mapping Compose merged as a `KEY=VALUE` sequence is printed as that sequence. */
function asMergedSequence(value: unknown): unknown {
  const order = mergedSequenceOrder(value);
  if (!order || !isTree(value)) return value;
  return order.map((key) => {
    const entry = value[key];
    if (entry === null || entry === undefined) return key;
    return `${key}=${typeof entry === 'number' ? formatNumber(entry) : String(entry)}`;
  });
}
