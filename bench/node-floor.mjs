#!/usr/bin/env node
/**
 * A lower bound for any Node implementation of `ps` and of a no-op `up -d`: only the engine
 * requests those commands cannot do without, through Node's own http module, and their output.
 * No compose file is read, nothing is validated or planned, no engine client is loaded. The bench
 * runs it beside tscompose and Compose, so that the table shows what Node itself costs.
 *
 *   BENCH_ENGINE='{"socketPath":"/var/run/docker.sock"}' node bench/node-floor.mjs ps|up PROJECT IMAGE
 */
import { request } from 'node:http';

const [command, project, image] = process.argv.slice(2);
const target = JSON.parse(process.env.BENCH_ENGINE ?? '{"socketPath":"/var/run/docker.sock"}');

function get(path) {
  return new Promise((resolve, reject) => {
    request({ ...target, path: `/v1.41${path}` }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => (res.statusCode < 400 ? resolve(body) : reject(new Error(`GET ${path}: ${res.statusCode} ${body}`))));
    })
      .on('error', reject)
      .end();
  });
}

const filter = (labels) => encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${project}`, ...labels] }));
const byName = (a, b) => (a.Names[0] < b.Names[0] ? -1 : 1);

if (command === 'ps') {
  // `ps`: the project's containers and a table of them, as wide as its cells.
  const containers = JSON.parse(await get(`/containers/json?all=1&filters=${filter(['com.docker.compose.oneoff=False'])}`)).sort(byName);
  const rows = [['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS']];
  for (const c of containers) rows.push([c.Names[0].slice(1), c.Image, JSON.stringify(c.Command), c.Labels['com.docker.compose.service'], String(c.Created), c.Status, '']);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  process.stdout.write(`${rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('   ')).join('\n')}\n`);
} else if (command === 'up') {
  // A no-op `up -d`: the engine answers, the image is there, nothing of the project's differs.
  await get('/_ping');
  const [containers] = await Promise.all([
    get(`/containers/json?all=1&filters=${filter([])}`).then(JSON.parse),
    get(`/networks?filters=${filter([])}`),
    get(`/volumes?filters=${filter([])}`),
    get(`/images/${image}/json`),
  ]);
  for (const c of containers.sort(byName)) process.stderr.write(` Container ${c.Names[0].slice(1)}  Running\n`);
} else {
  throw new Error('usage: node bench/node-floor.mjs ps|up PROJECT IMAGE');
}
