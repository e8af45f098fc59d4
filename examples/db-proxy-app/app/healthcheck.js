'use strict';
// The container's healthcheck: healthy when the app answers /healthz with 200, which it does
// only once its database answers. Exits 0 (healthy) or 1 (unhealthy) within 4 seconds.
const http = require('node:http');

const port = Number(process.env.PORT || 3000);
const request = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 4000 }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error('timed out')));
request.on('error', (error) => {
  process.stderr.write(`healthcheck: ${error.message}\n`);
  process.exit(1);
});
