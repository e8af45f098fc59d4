// Stands in for a Docker engine in the scripts' tests: answers GET /_ping with 200 on a unix
// socket, and nothing else. It ends on its own after two minutes, so a test that dies early
// leaves nothing running.
import { rmSync } from 'node:fs';
import http from 'node:http';

const socket = process.argv[2];
rmSync(socket, { force: true });
http
  .createServer((req, res) => {
    res.writeHead(req.url === '/_ping' ? 200 : 404, { 'Content-Type': 'text/plain' });
    res.end(req.url === '/_ping' ? 'OK' : 'not a real engine');
  })
  .listen(socket);
setTimeout(() => process.exit(0), 120_000);
