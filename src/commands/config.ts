/**
 * `tscompose config`: validates the project and prints it in Compose's canonical form (YAML or
 * JSON, the same document `docker compose config` prints), or one of its listings.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { toProject } from '../model/index.js';
import { toComposeJson } from '../model/render/compose-json.js';
import { toComposeYaml } from '../model/render/compose-yaml.js';
import { emitGoYaml } from '../model/render/go-yaml-emitter.js';
import { composeConfigHash } from '../model/compose-hash.js';
import { imageNames, profileNames, servicesInDependencyOrder } from '../model/render/listings.js';
import { toUninterpolatedDocument } from '../model/render/uninterpolated.js';
import { load } from '../load/index.js';
import { loadAndValidate, loadOptionsFor, rejectUnknownServices } from '../api/load-project.js';
import { noSuchServiceMessage } from '../validate/no-such-service.js';

export interface ConfigOptions {
  readonly format?: string;
  readonly quiet?: boolean;
  readonly services?: boolean;
  readonly volumes?: boolean;
  readonly networks?: boolean;
  readonly profiles?: boolean;
  readonly images?: boolean;
  /** false for `--no-interpolate`. */
  readonly interpolate?: boolean;
  readonly output?: string;
  /** `--hash web,db` or `--hash '*'`: print each service's config hash. */
  readonly hash?: string;
}

export async function configCommand(ctx: Context, serviceNames: readonly string[], options: ConfigOptions): Promise<void> {
  const format = options.format ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') throw new UsageError(`unsupported format "${format}": use yaml or json`);

  if (options.hash !== undefined) {
    const project = toProject(await loadAndValidate(ctx, { target: 'config' }));
    const names = options.hash === '*' ? Object.keys(project.services) : options.hash.split(',').filter(Boolean);
    const unknown = names.filter((name) => !project.services[name]);
    if (unknown.length > 0) throw new UsageError(noSuchServiceMessage(unknown, Object.keys(project.services)));
    const lines = [...names].sort().map((name) => `${name} ${composeConfigHash(project.services[name], project)}\n`);
    if (!options.quiet) ctx.stdout.write(lines.join(''));
    return;
  }

  const listing = listingOf(options);
  if (listing) {
    // Like Compose, the listings describe the whole project (profiles applied); only
    // `--images` honours the services named on the command line.
    const services = listing === 'images' ? serviceNames : [];
    const loaded = await loadAndValidate(ctx, { services, target: 'config' });
    const project = toProject(loaded, { services });
    const lines =
      listing === 'services'
        ? servicesInDependencyOrder(project)
        : listing === 'volumes'
          ? Object.keys(project.volumes)
          : listing === 'networks'
            ? Object.keys(project.networks)
            : listing === 'profiles'
              ? profileNames(project)
              : imageNames(project);
    if (!options.quiet) ctx.stdout.write(lines.map((line) => `${line}\n`).join(''));
    return;
  }

  let text: string;
  if (options.interpolate === false) {
    // The text still holds `${...}`: it cannot be validated or modelled, only normalised.
    const loaded = await load(loadOptionsFor(ctx, { services: serviceNames, interpolate: false }));
    for (const warning of loaded.warnings) ctx.warn(warning);
    rejectUnknownServices(loaded, serviceNames);
    const document = toUninterpolatedDocument(loaded, format);
    text = format === 'json' ? JSON.stringify(document, null, 2) : emitGoYaml(document);
  } else {
    const loaded = await loadAndValidate(ctx, { services: serviceNames, target: 'config' });
    const project = toProject(loaded, { services: serviceNames });
    text = format === 'json' ? toComposeJson(project) : toComposeYaml(project);
  }
  if (options.quiet) return;
  if (options.output) {
    await writeFile(path.resolve(ctx.cwd, options.output), text);
    return;
  }
  ctx.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

type Listing = 'services' | 'volumes' | 'networks' | 'profiles' | 'images';

/** Compose's precedence when several listing flags are given. */
function listingOf(options: ConfigOptions): Listing | undefined {
  if (options.services) return 'services';
  if (options.volumes) return 'volumes';
  if (options.networks) return 'networks';
  if (options.profiles) return 'profiles';
  if (options.images) return 'images';
  return undefined;
}
