// Prints the Docker endpoint the tests and scripts use, and exits 0 when it answers /_ping.
// Usage: node scripts/engine-endpoint.mjs [--quiet]
// Only unix:// and tcp:// endpoints are probed here; anything else is left to the docker CLI.
import http from 'node:http';

const host = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
const quiet = process.argv.includes('--quiet');

function ping() {
  return new Promise((resolve) => {
    const target = host.startsWith('unix://')
      ? { socketPath: host.slice('unix://'.length) }
      : host.startsWith('tcp://')
        ? (() => {
            const url = new URL(host.replace(/^tcp:/, 'http:'));
            return { host: url.hostname, port: url.port || 2375 };
          })()
        : null;
    if (!target) return resolve(false);
    const req = http.request({ ...target, path: '/_ping', method: 'GET', timeout: 3000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

const ok = await ping();
if (!quiet) process.stdout.write(`${host}\n`);
process.exit(ok ? 0 : 1);
