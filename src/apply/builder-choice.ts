/**
 * Which builder the project's images are built with, decided once per command as Compose 2.26
 * does: DOCKER_BUILDKIT when set (a Go boolean: 1/0, true/false, ...), otherwise BuildKit when the
 * engine has it (Docker Engine on Linux) and the classic builder when it does not (Podman's
 * Docker API, Windows engines, engines older than 18.09), with one line saying so.
 */
import { UsageError } from '../errors.js';
import type { Builder, Engine } from './engine.js';

export interface BuilderChoice {
  readonly builder: Builder;
  /** The engine's platform (`linux/amd64`), the only one it builds for. */
  readonly platform: string;
  /** The one line to print when the classic builder is used although BuildKit was not turned off. */
  readonly notice?: string;
  /** Why BuildKit is not used, for errors about Dockerfiles that need it. */
  readonly reason?: string;
  /** Whether the engine's BuildKit applies shm_size and ulimits (Engine 23 and later). */
  readonly buildkitLimits?: boolean;
}

/** Go's strconv.ParseBool, which the Docker CLI applies to DOCKER_BUILDKIT. */
function parseGoBool(name: string, value: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw new UsageError(`${name} environment variable expects boolean value: strconv.ParseBool: parsing "${value}": invalid syntax`);
}

function apiAtLeast(version: string | undefined, major: number, minor: number): boolean {
  if (version === undefined) return true;
  const [a, b] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

export async function chooseBuilder(engine: Engine, env: Readonly<Record<string, string | undefined>>, signal?: AbortSignal): Promise<BuilderChoice> {
  const setting = env.DOCKER_BUILDKIT === undefined || env.DOCKER_BUILDKIT === '' ? undefined : parseGoBool('DOCKER_BUILDKIT', env.DOCKER_BUILDKIT);
  const capabilities = await engine.buildCapabilities({ signal });
  const platform = capabilities.platform;
  if (setting === false) return { builder: 'classic', platform, reason: 'DOCKER_BUILDKIT=0 selects the classic builder' };
  if (capabilities.buildkit) return { builder: 'buildkit', platform, buildkitLimits: apiAtLeast(capabilities.apiVersion, 1, 42) };
  const reason = capabilities.reason ?? 'the engine has no BuildKit';
  if (setting === true) throw new UsageError(`DOCKER_BUILDKIT=${env.DOCKER_BUILDKIT} asks for BuildKit, but ${reason}; unset it to build with the classic builder`);
  return { builder: 'classic', platform, reason, notice: `${reason}: building with the classic builder` };
}
