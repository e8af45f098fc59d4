/**
 * Settings that hand a container control of the host: a privileged container, every capability
 * or one that is nearly all of them (SYS_ADMIN, SYS_MODULE, SYS_RAWIO), the host's process, IPC,
 * network or user namespace, no seccomp or AppArmor profile, the host's memory devices, the
 * engine's socket, or a bind mount of `/`, `/etc` or an `.ssh` directory. They are often meant, so they are not problems;
 * but Compose accepts them without a word, and a copied compose file should not grant them
 * unnoticed. One warning per service lists them all, at the first one's position.
 */
import path from 'node:path';
import type { Problem } from '../errors.js';
import { resolveHostFile } from '../load/host-file.js';
import { formatPath, locate, type PathSegment } from '../load/located.js';
import type { LoadedProject } from '../load/types.js';
import { isMapping, isTrue, type Mapping } from './rule.js';
import { parseVolumeSpec } from './syntax/volume-spec.js';

export type SecurityInput = Pick<LoadedProject, 'tree' | 'enabledServices' | 'workingDir' | 'environment'>;

/** The environment variable that turns these warnings off. */
export const SECURITY_WARNINGS_OFF = 'TSCOMPOSE_NO_SECURITY_WARNINGS';

interface Risk {
  readonly path: readonly PathSegment[];
  readonly what: string;
}

/** One warning per enabled service that has host-level access, as a Problem (path, message, position). */
export function securityWarnings(input: SecurityInput): Problem[] {
  const services = isMapping(input.tree.services) ? input.tree.services : {};
  const warnings: Problem[] = [];
  for (const name of input.enabledServices) {
    const service = services[name];
    if (!isMapping(service)) continue;
    const risks = [...serviceRisks(name, service), ...mountRisks(name, service, input)];
    if (risks.length === 0) continue;
    const location = locate(input.tree, risks[0].path, 'key');
    warnings.push({
      path: formatPath(risks[0].path),
      message: `service "${name}" has host-level access: ${risks.map((risk) => risk.what).join(', ')} (${SECURITY_WARNINGS_OFF}=1 hides this warning)`,
      ...(location ? { location } : {}),
    });
  }
  return warnings;
}

function* serviceRisks(name: string, service: Mapping): Iterable<Risk> {
  const at = (...rest: PathSegment[]): PathSegment[] => ['services', name, ...rest];
  if (isTrue(service.privileged)) yield { path: at('privileged'), what: 'privileged: true' };
  const capabilities = Array.isArray(service.cap_add) ? service.cap_add : [];
  for (const [index, capability] of capabilities.entries()) {
    const match = typeof capability === 'string' ? HOST_CAPABILITY.exec(capability) : null;
    if (match) yield { path: at('cap_add', index), what: `cap_add: ${match[1].toUpperCase()}` };
  }
  for (const key of ['pid', 'ipc', 'network_mode', 'userns_mode'] as const) {
    if (service[key] === 'host') yield { path: at(key), what: `${key}: host` };
  }
  const options = Array.isArray(service.security_opt) ? service.security_opt : [];
  for (const [index, option] of options.entries()) {
    if (typeof option === 'string' && /^(seccomp|apparmor)[:=]unconfined$/.test(option)) yield { path: at('security_opt', index), what: `security_opt: ${option}` };
  }
  const devices = Array.isArray(service.devices) ? service.devices : [];
  for (const [index, device] of devices.entries()) {
    const source = typeof device === 'string' ? device.split(':')[0] : isMapping(device) && typeof device.source === 'string' ? device.source : undefined;
    if (source !== undefined && HOST_MEMORY_DEVICES.has(path.posix.normalize(source))) yield { path: at('devices', index), what: `devices: ${source}` };
  }
}

/** Capabilities that amount to the host: all of them, mount and namespace control, kernel modules, raw I/O. */
const HOST_CAPABILITY = /^(?:CAP_)?(ALL|SYS_ADMIN|SYS_MODULE|SYS_RAWIO)$/i;
/** The host's physical memory and I/O ports. */
const HOST_MEMORY_DEVICES: ReadonlySet<string> = new Set(['/dev/mem', '/dev/kmem', '/dev/port']);

function* mountRisks(name: string, service: Mapping, input: SecurityInput): Iterable<Risk> {
  if (!Array.isArray(service.volumes)) return;
  for (const [index, entry] of service.volumes.entries()) {
    const source = bindSource(entry);
    if (source === undefined) continue;
    const reason = sensitiveSource(hostPath(source, input));
    if (reason) yield { path: ['services', name, 'volumes', index], what: `bind mount of ${source} (${reason})` };
  }
}

/** The host path of a bind mount in either syntax, as written. */
function bindSource(entry: unknown): string | undefined {
  if (typeof entry === 'string') {
    const spec = parseVolumeSpec(entry);
    return spec.ok && spec.type === 'bind' ? spec.source : undefined;
  }
  if (isMapping(entry) && entry.type === 'bind' && typeof entry.source === 'string') return entry.source;
  return undefined;
}

function hostPath(source: string, input: SecurityInput): string {
  // Without a home directory `~/.ssh` is still looked at as written (below the project directory).
  return resolveHostFile(source, input.workingDir, input.environment.HOME) ?? path.posix.resolve(input.workingDir, source);
}

/** Why a host path gives the container the host, or undefined. */
function sensitiveSource(file: string): string | undefined {
  if (file === '/') return "the host's whole file system";
  if (file === '/etc') return "the host's configuration";
  if (path.posix.basename(file) === 'docker.sock') return 'control of the engine';
  if (file.split('/').includes('.ssh')) return 'SSH keys';
  return undefined;
}
