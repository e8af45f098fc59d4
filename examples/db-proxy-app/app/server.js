'use strict';
// The application server: a visit counter and a notes list kept in the database, so one request
// through the proxy proves the whole chain (proxy -> app -> db).
//
//   GET  /             counts this visit in the database and returns the count (JSON)
//   GET  /api/notes    the notes, newest first
//   POST /api/notes    adds a note: a JSON body {"text": "..."} or a plain-text body
//   GET  /about        a static description, cacheable for 5 minutes (shows the proxy's cache)
//   GET  /healthz      200 when the database answers, 503 otherwise (the container healthcheck)
//
// Configuration (environment): DB_HOST, DB_PORT (3306), DB_USER, DB_PASSWORD, DB_NAME (defaults
// to DB_USER: the example's user owns a database of the same name), PORT (3000).
//
// The HTTP server listens at once and the database connection is retried until it works:
// started before the database is ready (or while it restarts) the app answers 503 and recovers
// on its own instead of exiting.

// Debian's node-mysql package (installed with apt, no npm needed) provides this module.
const mysql = require('mysql');
const http = require('node:http');
const os = require('node:os');

const config = {
  port: Number(process.env.PORT || 3000),
  db: {
    host: process.env.DB_HOST || 'db',
    port: Number(process.env.DB_PORT || 3306),
    user: process.env.DB_USER || 'root',
    password: process.env.DB_PASSWORD || '',
    database: process.env.DB_NAME || process.env.DB_USER || 'db',
    connectionLimit: 5,
    connectTimeout: 5000,
    charset: 'utf8mb4',
    timezone: 'Z',
  },
};

const MAX_NOTE_LENGTH = 1000;
const MAX_BODY_BYTES = 16 * 1024;

function log(message) {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`);
}

const pool = mysql.createPool(config.db);

function query(sql, values = []) {
  return new Promise((resolve, reject) => {
    pool.query(sql, values, (error, results) => (error ? reject(error) : resolve(results)));
  });
}

// The schema is created by the app itself, idempotently, once the database answers.
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS visits (
     id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
     visited_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
   ) ENGINE=InnoDB`,
  `CREATE TABLE IF NOT EXISTS notes (
     id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
     text VARCHAR(${MAX_NOTE_LENGTH}) NOT NULL,
     created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
   ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
];

let databaseReady = false;

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function connectWithRetry() {
  const target = `${config.db.user}@${config.db.host}:${config.db.port}/${config.db.database}`;
  for (let attempt = 1; ; attempt++) {
    try {
      for (const statement of SCHEMA) await query(statement);
      databaseReady = true;
      log(`database ${target} is ready (attempt ${attempt})`);
      return;
    } catch (error) {
      // Said once, then every 10th attempt, so a long wait does not flood the log.
      if (attempt === 1 || attempt % 10 === 0) {
        log(`waiting for database ${target}: ${error.code || error.message} (attempt ${attempt})`);
      }
      await sleep(Math.min(500 * attempt, 3000));
    }
  }
}

function send(res, status, body, headers = {}) {
  // Unless a route says otherwise, the answer reflects the database at this moment: the proxy
  // must not cache it.
  const payload = typeof body === 'string' ? body : `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, {
    'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(payload);
}

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function noteText(req, body) {
  let text = body;
  if ((req.headers['content-type'] || '').startsWith('application/json')) {
    let parsed;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new HttpError(400, 'the body is not valid JSON; send {"text": "..."}');
    }
    text = parsed && typeof parsed.text === 'string' ? parsed.text : undefined;
    if (text === undefined) throw new HttpError(400, 'send {"text": "..."} with a string text');
  }
  text = text.trim();
  if (text === '') throw new HttpError(400, 'the note is empty');
  if (text.length > MAX_NOTE_LENGTH) throw new HttpError(400, `the note is longer than ${MAX_NOTE_LENGTH} characters`);
  return text;
}

// Where the request came from, as the proxy reports it: shows that it went through nginx, and
// whether over HTTPS.
function via(req) {
  return {
    proxied: req.headers['x-forwarded-for'] !== undefined,
    forwarded_proto: req.headers['x-forwarded-proto'] || null,
  };
}

const routes = {
  'GET /': async (req) => {
    const inserted = await query('INSERT INTO visits () VALUES ()');
    const [{ visits }] = await query('SELECT COUNT(*) AS visits FROM visits');
    return [200, { message: 'Hello from app', visits: Number(visits), visit_id: inserted.insertId, app: os.hostname(), ...via(req) }];
  },
  'GET /api/notes': async () => {
    const rows = await query('SELECT id, text, created_at FROM notes ORDER BY id DESC LIMIT 100');
    return [200, rows.map((row) => ({ id: row.id, text: row.text, created_at: row.created_at }))];
  },
  'POST /api/notes': async (req) => {
    const text = noteText(req, await readBody(req));
    const inserted = await query('INSERT INTO notes (text) VALUES (?)', [text]);
    const [row] = await query('SELECT id, text, created_at FROM notes WHERE id = ?', [inserted.insertId]);
    return [201, row];
  },
  'GET /about': async () => [
    200,
    'db/proxy/app: nginx in front of a Node.js app that keeps visits and notes in MariaDB.\n',
    { 'Cache-Control': 'public, max-age=300' },
  ],
  'GET /healthz': async () => {
    await query('SELECT 1');
    return [200, { status: 'ok' }];
  },
};

// Routes that answer without the database.
const DATABASE_FREE = new Set(['GET /about']);

async function handle(req, res) {
  const path = new URL(req.url, 'http://app').pathname;
  const key = `${req.method} ${path}`;
  const route = routes[key];
  if (!route) {
    const known = Object.keys(routes).some((candidate) => candidate.endsWith(` ${path}`));
    return known ? send(res, 405, { error: `${req.method} is not allowed on ${path}` }) : send(res, 404, { error: `no such page: ${path}` });
  }
  if (!databaseReady && !DATABASE_FREE.has(key)) {
    return send(res, 503, { error: 'the database is not ready yet; try again in a few seconds' }, { 'Retry-After': '5' });
  }
  try {
    const [status, body, headers] = await route(req);
    send(res, status, body, headers);
  } catch (error) {
    if (error instanceof HttpError) return send(res, error.status, { error: error.message });
    log(`${req.method} ${path} failed: ${error.code || ''} ${error.message}`);
    send(res, 503, { error: `the database did not answer: ${error.code || error.message}` }, { 'Retry-After': '5' });
  }
}

const server = http.createServer((req, res) => {
  const started = Date.now();
  res.on('finish', () => {
    if (req.url !== '/healthz') log(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`);
  });
  handle(req, res).catch((error) => {
    log(`unexpected error: ${error.stack || error}`);
    if (!res.headersSent) send(res, 500, { error: 'internal error' });
  });
});

server.listen(config.port, () => {
  log(`app listening on port ${config.port}`);
  connectWithRetry();
});

// As PID 1 in its container the process gets no default signal handling: without these handlers
// `docker stop` would wait its whole timeout and then kill it. SHUTDOWN_DELAY_MS (default 0)
// keeps answering that long first: a proxy that cached this replica's address (the swarm
// example's nginx, for 5 s) can still reach it while it learns the replicas that replace it.
const shutdownDelayMs = Number(process.env.SHUTDOWN_DELAY_MS || 0);
function shutdown(signal) {
  log(`${signal}: shutting down${shutdownDelayMs > 0 ? ` in ${shutdownDelayMs} ms` : ''}`);
  setTimeout(() => {
    server.close(() => pool.end(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
  }, shutdownDelayMs).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
