#!/usr/bin/env node
// Relays stream connections: node tcp-relay.mjs LISTEN TARGET, each `tcp:HOST:PORT` or `unix:PATH`.
// scripts/swarm-nodes.sh runs one in the host's network namespace and one in each engine's, joined
// through a Unix socket (the file system is shared, the network is not), so that 127.0.0.1:5055
// inside a node's namespace reaches the test registry on the host's loopback.
import { createConnection, createServer } from 'node:net';
import { rmSync } from 'node:fs';

function address(text) {
  if (text.startsWith('unix:')) return { path: text.slice(5) };
  const match = /^tcp:(.+):(\d+)$/.exec(text);
  if (!match) throw new Error(`not tcp:HOST:PORT or unix:PATH: ${text}`);
  return { host: match[1], port: Number(match[2]) };
}

const [listenText, targetText] = process.argv.slice(2);
if (!listenText || !targetText) {
  console.error('usage: tcp-relay.mjs LISTEN TARGET (tcp:HOST:PORT or unix:PATH)');
  process.exit(2);
}
const listen = address(listenText);
const target = address(targetText);
if (listen.path) rmSync(listen.path, { force: true });

const server = createServer((client) => {
  const upstream = createConnection(target);
  client.pipe(upstream).pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
});
server.on('error', (error) => {
  console.error(`tcp-relay: ${listenText}: ${error.message}`);
  process.exit(1);
});
server.listen(listen, () => console.log(`tcp-relay: ${listenText} -> ${targetText}`));
const stop = () => process.exit(0);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
