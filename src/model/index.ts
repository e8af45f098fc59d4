/**
 * The model stage: the loader's merged, interpolated tree -> the typed canonical Project.
 * Pure: no file system (paths are resolved as strings against the project directory).
 *
 * Order of work, as Compose does it: each service in long form; implicit dependencies; the
 * `default` network for services that declare none; profiles (the loader decided which
 * services are enabled); pruning of unused top-level resources; then narrowing to the services
 * named on the command line and their dependencies.
 */
import type { LoadedProject } from '../load/types.js';
import type { Network, Project, SecretOrConfig, Service, Volume } from './types.js';
import { DEFAULT_NETWORK } from './constants.js';
import { withImplicitDependencies } from './implicit-dependencies.js';
import { toNetwork } from './networks.js';
import { keepUsed, usedResources } from './pruning.js';
import { toSecretOrConfig } from './secrets-configs.js';
import { selectWithDependencies } from './service-selection.js';
import { toService, type ServiceContext } from './service.js';
import { asTree, extensionsOf, sortByKey } from './scalars.js';
import { toVolume } from './volumes.js';
import type { PathContext } from './paths.js';

export { DEFAULT_NETWORK } from './constants.js';

export interface ToProjectOptions {
  /** Services named on the command line; empty = every enabled service. */
  readonly services?: readonly string[];
}

export function toProject(loaded: LoadedProject, options: ToProjectOptions = {}): Project {
  const tree = asTree(loaded.tree);
  const projectName = loaded.name;
  const context: ServiceContext = {
    paths: { workingDir: loaded.workingDir, home: loaded.environment.HOME ?? '/' },
    environment: loaded.environment,
  };

  const rawServices = asTree(tree.services);
  const all: Record<string, Service> = {};
  for (const name of Object.keys(rawServices).sort()) {
    all[name] = withDefaultNetwork(toService(name, rawServices[name], context));
  }
  for (const name of Object.keys(all)) {
    all[name] = withImplicitDependencies(all[name], (other) => all[other] !== undefined);
  }

  const enabledNames = new Set(loaded.enabledServices.filter((name) => all[name] !== undefined));
  const enabled: Record<string, Service> = {};
  const disabled: Record<string, Service> = {};
  for (const [name, service] of Object.entries(all)) {
    if (enabledNames.has(name)) enabled[name] = service;
    else disabled[name] = service;
  }

  const used = usedResources(Object.values(enabled));
  const networks = keepUsed(toNetworks(tree.networks, projectName), used.networks);
  if (used.networks.has(DEFAULT_NETWORK) && !networks[DEFAULT_NETWORK]) {
    networks[DEFAULT_NETWORK] = { name: `${projectName}_${DEFAULT_NETWORK}` };
  }
  const volumes = keepUsed(toVolumes(tree.volumes, projectName, context.paths), used.volumes);
  const secrets = keepUsed(toSecretsOrConfigs(tree.secrets, projectName, context), used.secrets);
  const configs = keepUsed(toSecretsOrConfigs(tree.configs, projectName, context), used.configs);

  let services = enabled;
  const requested = options.services ?? [];
  if (requested.length > 0) {
    const selected = selectWithDependencies(enabled, requested);
    services = {};
    for (const [name, service] of Object.entries(enabled)) {
      if (selected.has(name)) services[name] = withoutDependenciesOutside(service, selected);
      else disabled[name] = service;
    }
  }

  return {
    name: projectName,
    workingDir: loaded.workingDir,
    configFiles: loaded.configFiles,
    envFiles: loaded.envFiles,
    envFilesRequested: loaded.envFilesRequested,
    services,
    disabledServices: disabled,
    networks: sortByKey(networks),
    volumes: sortByKey(volumes),
    secrets: sortByKey(secrets),
    configs: sortByKey(configs),
    extensions: extensionsOf(tree) ?? {},
  };
}

/** A service that declares neither `networks` nor `network_mode` joins the `default` network. */
function withDefaultNetwork(service: Service): Service {
  if (service.networks !== undefined || service.network_mode !== undefined) return service;
  return { ...service, networks: { [DEFAULT_NETWORK]: null } };
}

/**
 * When services are named on the command line, dependencies that are not part of the result
 * (optional ones on services disabled by profiles) are dropped, as Compose drops them.
 */
function withoutDependenciesOutside(service: Service, selected: Set<string>): Service {
  if (!service.depends_on) return service;
  const kept = Object.entries(service.depends_on).filter(([name]) => selected.has(name));
  if (kept.length === Object.keys(service.depends_on).length) return service;
  const { depends_on: _dropped, ...rest } = service;
  return kept.length === 0 ? rest : { ...rest, depends_on: Object.fromEntries(kept) };
}

function toNetworks(value: unknown, projectName: string): Record<string, Network> {
  const out: Record<string, Network> = {};
  for (const [key, entry] of Object.entries(asTree(value))) out[key] = toNetwork(key, entry, projectName);
  return out;
}

function toVolumes(value: unknown, projectName: string, paths: PathContext): Record<string, Volume> {
  const out: Record<string, Volume> = {};
  for (const [key, entry] of Object.entries(asTree(value))) out[key] = toVolume(key, entry, projectName, paths);
  return out;
}

function toSecretsOrConfigs(
  value: unknown,
  projectName: string,
  context: ServiceContext,
): Record<string, SecretOrConfig> {
  const out: Record<string, SecretOrConfig> = {};
  for (const [key, entry] of Object.entries(asTree(value))) {
    out[key] = toSecretOrConfig(key, entry, projectName, context.paths);
  }
  return out;
}
