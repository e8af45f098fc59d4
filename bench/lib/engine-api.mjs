/**
 * A minimal client of the engine's HTTP API for the benchmarks: cleaning up the bench's own
 * projects by their labels, waiting for containers, and the "engine limit" contestant of the
 * cold `up` case, which creates and starts the same containers with nothing in between. It finds
 * the engine exactly as tscompose does (dist/endpoint.js: DOCKER_HOST, contexts, the default
 * socket) and speaks plain HTTP to a unix socket or a tcp address without TLS.
 */
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const PROJECT_LABEL = 'com.docker.compose.project';

export async function connectEngine() {
  const { resolveEndpoint } = await import(fileURLToPath(new URL('../../dist/endpoint.js', import.meta.url)));
  const { endpoint } = resolveEndpoint(process.env);
  let target;
  if (endpoint.kind === 'unix') target = { socketPath: endpoint.socketPath };
  else if (endpoint.kind === 'tcp' && !endpoint.tls) target = { host: endpoint.host, port: endpoint.port };
  else throw new Error(`bench: the engine at ${endpoint.url} needs ${endpoint.kind === 'ssh' ? 'ssh' : 'TLS'}; run the benchmarks against a local engine`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

  function request(method, path, body, { timeoutMs = 120_000, raw = false } = {}) {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = http.request(
        {
          ...target,
          agent,
          method,
          path: `/v1.41${path}`,
          headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {},
          timeout: timeoutMs,
        },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks);
            if (res.statusCode >= 400) {
              const error = new Error(`${method} ${path}: ${res.statusCode} ${text.toString('utf8').trim()}`);
              error.statusCode = res.statusCode;
              reject(error);
            } else if (raw) resolve(text);
            else resolve(text.length > 0 ? JSON.parse(text.toString('utf8')) : undefined);
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  const labelFilter = (project) => encodeURIComponent(JSON.stringify({ label: [`${PROJECT_LABEL}=${project}`] }));

  return {
    request,
    /** Where the engine listens, as http.request takes it ({ socketPath } or { host, port }). */
    target,
    async version() {
      return request('GET', '/version');
    },
    async containers(project, all = true) {
      return request('GET', `/containers/json?all=${all ? 1 : 0}&filters=${labelFilter(project)}`);
    },
    /**
     * Removes everything labelled with this project: containers (with their anonymous volumes),
     * networks, volumes. Containers are stopped and then removed, a few at a time, as `down` does:
     * Engine 20.10 can leak a network endpoint when running containers are killed or
     * force-removed in bulk, and the network then cannot be removed until the daemon restarts.
     * A network that cannot be removed is reported, not fatal.
     */
    async removeProject(project, log = () => {}) {
      const containers = await request('GET', `/containers/json?all=1&filters=${labelFilter(project)}`);
      const limit = limiter(8);
      await Promise.all(
        containers.map((c) =>
          limit(async () => {
            if (c.State === 'running' || c.State === 'paused' || c.State === 'restarting') {
              await request('POST', `/containers/${c.Id}/stop?t=1`).catch(ignoreGone);
            }
            await request('DELETE', `/containers/${c.Id}?v=1&force=1`).catch(ignoreMissing);
          }),
        ),
      );
      const networks = await request('GET', `/networks?filters=${labelFilter(project)}`);
      for (const network of networks) {
        for (let attempt = 0; ; attempt++) {
          try {
            await request('DELETE', `/networks/${network.Id}`);
            break;
          } catch (error) {
            if (error.statusCode === 404) break;
            if (attempt >= 10) {
              log(`network ${network.Name} could not be removed: ${error.message}`);
              break;
            }
            await new Promise((resolve) => setTimeout(resolve, 300));
          }
        }
      }
      const volumes = (await request('GET', `/volumes?filters=${labelFilter(project)}`)).Volumes ?? [];
      await Promise.all(volumes.map((v) => request('DELETE', `/volumes/${encodeURIComponent(v.Name)}?force=1`).catch(ignoreMissing)));
    },
    /** The last `tail` lines of a container's output (the multiplexed frames decoded). */
    async logTail(id, tail) {
      const raw = await request('GET', `/containers/${id}/logs?stdout=1&stderr=1&tail=${tail}`, undefined, { raw: true });
      let text = '';
      for (let at = 0; at + 8 <= raw.length; ) {
        const size = raw.readUInt32BE(at + 4);
        text += raw.subarray(at + 8, at + 8 + size).toString('utf8');
        at += 8 + size;
      }
      return text;
    },
    close() {
      agent.destroy();
    },
  };
}

function ignoreMissing(error) {
  if (error.statusCode !== 404) throw error;
}

/** A stop of a container that stopped or went away meanwhile. */
function ignoreGone(error) {
  if (error.statusCode !== 404 && error.statusCode !== 304 && error.statusCode !== 409) throw error;
}

/** Runs tasks with at most `limit` at once (Infinity: all at once). */
export function limiter(limit) {
  let running = 0;
  const waiting = [];
  const release = () => {
    running--;
    waiting.shift()?.();
  };
  return async (task) => {
    while (running >= limit) await new Promise((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
