/**
 * `--with-registry-auth`: the credentials `docker login` stored for an image's registry, sent
 * with the service so that every node can pull it. Only the `auths` entries of the Docker CLI's
 * config.json are read (credential helpers are not).
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

const DOCKER_HUB = 'https://index.docker.io/v1/';

/** The registry an image reference names: its first component when it looks like a host, else Docker Hub. */
function registryOf(image: string): string {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  return first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost') && first !== 'docker.io' ? first : DOCKER_HUB;
}

/** `https://host:5000/v2/` -> `host:5000`. */
function hostOf(key: string): string {
  return key === DOCKER_HUB ? key : key.replace(/^[a-z]+:\/\//i, '').split('/')[0];
}

/** A lookup from image to the X-Registry-Auth value for its registry (undefined when there is none). */
export async function registryAuthFor(env: Readonly<Record<string, string | undefined>>): Promise<(image: string) => string | undefined> {
  const directory = env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
  let auths: Record<string, { auth?: string; identitytoken?: string }> = {};
  try {
    auths = (JSON.parse(await readFile(join(directory, 'config.json'), 'utf8')) as { auths?: typeof auths }).auths ?? {};
  } catch {
    // No config (or an unreadable one): no credentials, as for the Docker CLI.
  }
  return (image: string) => {
    const registry = registryOf(image);
    const key = Object.keys(auths).find((entry) => hostOf(entry) === registry);
    const entry = key === undefined ? undefined : auths[key];
    if (!entry) return undefined;
    let body: Record<string, string>;
    if (entry.identitytoken) body = { identitytoken: entry.identitytoken, serveraddress: registry };
    else {
      const decoded = Buffer.from(entry.auth ?? '', 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon <= 0) return undefined;
      body = { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress: registry };
    }
    // URL-safe base64 with its padding: the engine (Go's base64.URLEncoding) rejects it without.
    return Buffer.from(JSON.stringify(body)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
  };
}
