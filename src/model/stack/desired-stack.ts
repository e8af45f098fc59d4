/**
 * What a stack should be: the project's services as ServiceSpecs, and the networks, secrets and
 * configs they use, with the names and labels `docker stack` gives them. Pure: the command reads
 * the secret and config contents and chooses the images (registry digests) beforehand.
 *
 * Secrets and configs are immutable in a swarm, so one defined without `name:` is created under a
 * content-addressed name, `<stack>_<key>-<digest>`: new content is a new object, and the services
 * that use it roll to it. A `name:` the user wrote is kept as written.
 */
import { createHash } from 'node:crypto';
import type { Project, SecretOrConfig } from '../types.js';
import { MAX_FILE_OBJECT_NAME, STACK_CONTENT_LABEL, STACK_LABEL, scopedName } from './names.js';
import { stackImage, toServiceSpec, type ImageChoice } from './service-spec.js';
import type { FileObjectSpec, ServiceSpec } from './swarm-types.js';

/** The create body of a network (engine.ts NetworkSpec, with the stack's labels). */
export interface DesiredNetwork {
  readonly key: string;
  readonly name: string;
  readonly external: boolean;
  readonly driver: string;
  readonly attachable: boolean;
  readonly internal: boolean;
  readonly driverOpts?: Readonly<Record<string, string>>;
  readonly enableIpv6?: boolean;
  readonly ipam?: Project['networks'][string]['ipam'];
  readonly labels: Readonly<Record<string, string>>;
}

export interface DesiredFileObject {
  readonly kind: 'secret' | 'config';
  readonly key: string;
  readonly name: string;
  readonly external: boolean;
  /** `sha256:<hex>` of what decides the content (data, template driver, secret driver). */
  readonly digest?: string;
  /** The create body; absent for external ones. */
  readonly spec?: FileObjectSpec;
}

export interface DesiredService {
  /** The key under `services:`. */
  readonly name: string;
  readonly spec: ServiceSpec;
  /** `image:` as written (or the name `build` gives), for the image rules. */
  readonly image: string;
  /** Whether the file builds the image (a `build:` section). */
  readonly builds: boolean;
  /** The services it depends on (start order only: swarm has none). */
  readonly dependsOn: readonly string[];
}

export interface DesiredStack {
  readonly stack: string;
  readonly networks: readonly DesiredNetwork[];
  readonly secrets: readonly DesiredFileObject[];
  readonly configs: readonly DesiredFileObject[];
  readonly services: readonly DesiredService[];
}

export interface DesiredStackInput {
  readonly stack: string;
  readonly project: Project;
  /** Base64 contents of the secrets and configs that are neither external nor driver-backed, by key. */
  readonly contents: { readonly secrets: Readonly<Record<string, string>>; readonly configs: Readonly<Record<string, string>> };
  /** The image each service runs, by service (default: stackImage, unpinned). */
  readonly images?: Readonly<Record<string, ImageChoice>>;
}

/** Characters of the content digest in a secret's or config's name (collisions are not a concern at 40 bits per key). */
const NAME_DIGEST_LENGTH = 10;

export function desiredStack(input: DesiredStackInput): DesiredStack {
  const { stack, project } = input;
  const secrets = Object.entries(project.secrets).map(([key, definition]) =>
    fileObject('secret', key, definition, input.contents.secrets[key], stack),
  );
  const configs = Object.entries(project.configs).map(([key, definition]) =>
    fileObject('config', key, definition, input.contents.configs[key], stack),
  );
  const secretNames = Object.fromEntries(secrets.map((secret) => [secret.key, secret.name]));
  const configNames = Object.fromEntries(configs.map((config) => [config.key, config.name]));
  const services = Object.values(project.services).map((service) => ({
    name: service.name,
    spec: toServiceSpec({
      stack,
      service,
      project,
      image: input.images?.[service.name] ?? { image: stackImage(service, stack) },
      secretNames,
      configNames,
    }),
    image: service.image ?? stackImage(service, stack),
    builds: service.build !== undefined,
    dependsOn: Object.keys(service.depends_on ?? {}).sort(),
  }));
  return { stack, networks: desiredNetworks(project, stack), secrets, configs, services };
}

function desiredNetworks(project: Project, stack: string): DesiredNetwork[] {
  return Object.entries(project.networks).map(([key, network]) => {
    const external = network.external ?? false;
    return {
      key,
      name: network.name,
      external,
      driver: network.driver ?? 'overlay',
      attachable: network.attachable ?? false,
      internal: network.internal ?? false,
      ...(network.driver_opts ? { driverOpts: network.driver_opts } : {}),
      ...(network.enable_ipv6 === undefined ? {} : { enableIpv6: network.enable_ipv6 }),
      ...(network.ipam ? { ipam: network.ipam } : {}),
      labels: external ? {} : { ...(network.labels ?? {}), [STACK_LABEL.namespace]: stack },
    };
  });
}

function fileObject(
  kind: 'secret' | 'config',
  key: string,
  definition: SecretOrConfig,
  content: string | undefined,
  stack: string,
): DesiredFileObject {
  if (definition.external) return { kind, key, name: definition.name, external: true };
  const driver = kind === 'secret' && definition.driver ? { Name: definition.driver, ...(definition.driver_opts ? { Options: definition.driver_opts } : {}) } : undefined;
  const templating = definition.template_driver ? { Name: definition.template_driver } : undefined;
  const hash = createHash('sha256');
  if (driver) hash.update(`driver\0${JSON.stringify(driver)}\0`);
  else hash.update(Buffer.from(content ?? '', 'base64'));
  if (templating) hash.update(`\0template\0${templating.Name}`);
  const hex = hash.digest('hex');
  const digest = `sha256:${hex}`;
  const explicit = definition.name !== scopedName(stack, key);
  const name = explicit ? definition.name : contentAddressedName(scopedName(stack, key), hex);
  const spec: FileObjectSpec = {
    Name: name,
    Labels: { ...(definition.labels ?? {}), [STACK_LABEL.namespace]: stack, [STACK_CONTENT_LABEL]: digest },
    ...(driver ? { Driver: driver } : { Data: content ?? '' }),
    ...(templating ? { Templating: templating } : {}),
  };
  return { kind, key, name, external: false, digest, spec };
}

/** `<base>-<digest>`, the base shortened when the whole would pass the engine's 64 characters. */
export function contentAddressedName(base: string, hex: string): string {
  const suffix = `-${hex.slice(0, NAME_DIGEST_LENGTH)}`;
  const room = MAX_FILE_OBJECT_NAME - suffix.length;
  return `${base.length > room ? base.slice(0, room).replace(/[^a-zA-Z0-9]+$/, '') : base}${suffix}`;
}
