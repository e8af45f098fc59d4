// Finds the Docker engine the way tscompose and the Docker CLI do (DOCKER_HOST, then
// DOCKER_CONTEXT, then the CLI's current context, then the default socket) and says whether it
// answers /_ping.
//
// Usage: node scripts/engine-endpoint.mjs [--quiet]
// Prints one line, URL<TAB>ORIGIN<TAB>DESCRIPTION, unless --quiet. ORIGIN is DOCKER_HOST, context
// (a Docker context other than "default") or default (the local socket, or DOCKER_HOST's value
// through the "default" context).
// Exit status: 0 it answers, 1 it does not, 2 there is no endpoint to ask (the reason on stderr).
//
// The resolution is the CLI's own code (src/apply/endpoint.ts, built as dist/endpoint.js), so the
// scripts, the tests and tscompose can never disagree about which engine they mean. `npm ci`
// builds dist/, and every script that calls this one runs after it; only the ping lives here.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { fileURLToPath } from 'node:url';

const PING_TIMEOUT_MS = 3000;
// An ssh endpoint is reached by the docker CLI, which has to log in first.
const SSH_PING_TIMEOUT_MS = 15000;

const quiet = process.argv.includes('--quiet');
const resolver = fileURLToPath(new URL('../dist/endpoint.js', import.meta.url));

function noEndpoint(message) {
  process.stderr.write(`engine-endpoint: ${message}\n`);
  process.exit(2);
}

if (!existsSync(resolver)) {
  noEndpoint(`${resolver} is missing; run \`npm ci\` (it builds dist/) or \`npm run build\` first.`);
}
const { resolveEndpoint, describeEndpoint } = await import(resolver);

let endpoint;
try {
  ({ endpoint } = resolveEndpoint(process.env));
} catch (error) {
  noEndpoint(error.message);
}

function httpPing(request, options) {
  return new Promise((resolve) => {
    const req = request({ ...options, path: '/_ping', method: 'GET', timeout: PING_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

function sshPing(url) {
  return new Promise((resolve) => {
    execFile('docker', ['--host', url, 'version', '--format', '{{.Server.Version}}'], { timeout: SSH_PING_TIMEOUT_MS }, (error) => resolve(!error));
  });
}

function ping() {
  switch (endpoint.kind) {
    case 'unix':
      return httpPing(http.request, { socketPath: endpoint.socketPath });
    case 'tcp':
      if (!endpoint.tls) return httpPing(http.request, { host: endpoint.host, port: endpoint.port });
      return httpPing(https.request, {
        host: endpoint.host,
        port: endpoint.port,
        ca: endpoint.tls.ca,
        cert: endpoint.tls.cert,
        key: endpoint.tls.key,
        rejectUnauthorized: endpoint.tls.verify,
      });
    case 'ssh':
      return sshPing(endpoint.url);
  }
  return Promise.resolve(false);
}

// The "default" context is no context at all: it is the local socket (or DOCKER_HOST).
const origin = endpoint.origin.kind === 'context' && endpoint.origin.context === 'default' ? 'default' : endpoint.origin.kind;
const answers = await ping();
if (!quiet) process.stdout.write(`${endpoint.url}\t${origin}\t${describeEndpoint(endpoint)}\n`);
process.exit(answers ? 0 : 1);
