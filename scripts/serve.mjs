#!/usr/bin/env node
// Serves the built site (dist/) as a static host would: `npm start` and the browser tests use it.
//
//   node scripts/serve.mjs [--host 127.0.0.1] [--port 4321] [--root dist]
//
// - `/path/` is `/path/index.html`; `/path` where that is a folder redirects (301) to `/path/`, as
//   the site's links always end in a slash (trailingSlash: 'always');
// - a path with no file answers 404 with the site's own 404 page;
// - each file goes out in the smallest encoding the browser accepts of the copies the build wrote
//   beside it (brotli `.br`, gzip `.gz`: scripts/lib/precompress.mjs), else gzipped on the fly
//   (text of 1 KB or more), else as it is; `Vary: Accept-Encoding`;
// - `Cache-Control: no-cache` with an ETag (a reload revalidates, 304 when nothing changed), as
//   `astro preview` sent;
// - GET and HEAD only; nothing outside the root is served (`..`, encoded or not, NUL bytes).
//
// It replaced `astro preview` (Vite's preview server), which compresses with gzip only and offers no
// way to add brotli (Astro drops the site's Vite plugins from it): a chapter's document is 33-87 KB
// gzipped and 27-41 KB with brotli (`npm run bench:lighthouse` says what that does to the first paint).
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPRESSIBLE, freshCopy, gzip, MIN_BYTES } from './lib/precompress.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.sh': 'text/x-shellscript; charset=utf-8',
  '.pcapng': 'application/vnd.tcpdump.pcap',
  '.yml': 'text/yaml; charset=utf-8',
};

/** The encodings a request's Accept-Encoding allows (q > 0), of those the server has. */
export function acceptedEncodings(header) {
  const allowed = new Set();
  for (const part of String(header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    if (name === 'br' || name === 'gzip') allowed.add(name);
    else if (name === '*') allowed.add('br').add('gzip');
  }
  return allowed;
}

/** The file under `root` a URL path names, or why none: 'bad' (undecodable, NUL, outside the root). */
export function filePath(root, pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { error: 'bad' };
  }
  if (decoded.includes('\0') || !decoded.startsWith('/')) return { error: 'bad' };
  const file = resolve(root, `.${decoded}`);
  if (file !== root && !file.startsWith(root + sep)) return { error: 'bad' };
  return { file, folder: decoded.endsWith('/') };
}

/**
 * If-None-Match as RFC 9110 §13.1.2 reads it: `*`, or a list of entity tags compared weakly (with or
 * without `W/`). A browser sends the one tag it has; a cache or proxy may send several.
 */
function noneMatchHits(header, etag) {
  if (typeof header !== 'string') return false;
  const opaque = (tag) => tag.trim().replace(/^W\//, '');
  const mine = opaque(etag);
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === mine);
}

async function fileInfo(file) {
  try {
    const info = await stat(file);
    return info.isFile() ? info : null;
  } catch {
    return null;
  }
}

/** On-the-fly gzip of a file with no fresh `.gz` beside it, kept while the file is unchanged. */
const gzipped = new Map();
async function gzipOf(file, info) {
  const key = `${file}:${info.mtimeMs}:${info.size}`;
  let bytes = gzipped.get(key);
  if (!bytes) {
    bytes = gzip(await readFile(file));
    gzipped.set(key, bytes);
  }
  return bytes;
}

/** The request handler for a site built into `root`. */
export function siteHandler(root) {
  root = resolve(root);
  const notFound = join(root, '404.html');
  return async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Only GET and HEAD.\n');
        return;
      }
      const url = new URL(req.url ?? '/', 'http://site');
      const found = filePath(root, url.pathname);
      if (found.error) {
        res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Bad path.\n');
        return;
      }
      let file = found.folder ? join(found.file, 'index.html') : found.file;
      let info = await fileInfo(file);
      if (!info && !found.folder && (await fileInfo(join(found.file, 'index.html')))) {
        // One leading slash: URL parsing leaves /.//x as //x, a Location a browser reads as host x.
        res.writeHead(301, { Location: `/${url.pathname.replace(/^\/+/, '')}/${url.search}`, 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Moved: the address ends in a slash.\n');
        return;
      }
      let status = 200;
      if (!info) {
        status = 404;
        file = notFound;
        info = await fileInfo(file);
        if (!info) {
          res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
          res.end('Not found.\n');
          return;
        }
      }
      await send(req, res, status, file, info);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`The server failed: ${error?.message ?? error}\n`);
    }
  };
}

async function send(req, res, status, file, info) {
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  const compressible = COMPRESSIBLE.has(extname(file));
  const accepted = compressible ? acceptedEncodings(req.headers['accept-encoding']) : new Set();
  let encoding = null;
  let body = null;
  let source = file;
  let size = info.size;
  for (const name of ['br', 'gzip']) {
    if (!accepted.has(name)) continue;
    const copy = await freshCopy(file, info.mtimeMs, `${file}${name === 'br' ? '.br' : '.gz'}`);
    if (copy) {
      encoding = name;
      source = `${file}${name === 'br' ? '.br' : '.gz'}`;
      size = copy.size;
      break;
    }
  }
  if (!encoding && accepted.has('gzip') && info.size >= MIN_BYTES) {
    encoding = 'gzip';
    body = await gzipOf(file, info);
    size = body.length;
  }
  const etag = `W/"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}${encoding ? `-${encoding}` : ''}"`;
  const headers = { 'Content-Type': type, 'Cache-Control': 'no-cache', ETag: etag, 'X-Content-Type-Options': 'nosniff' };
  if (compressible) headers.Vary = 'Accept-Encoding';
  if (status === 200 && noneMatchHits(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  if (encoding) headers['Content-Encoding'] = encoding;
  headers['Content-Length'] = String(size);
  res.writeHead(status, headers);
  if (req.method === 'HEAD') res.end();
  else if (body) res.end(body);
  else createReadStream(source).on('error', () => res.destroy()).pipe(res);
}

function parseArgs(argv) {
  const opts = { host: '127.0.0.1', port: 4321, root: 'dist' };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s) : [argv[i], undefined];
    const value = () => inline ?? argv[++i];
    if (name === '--host') opts.host = value();
    else if (name === '--port') opts.port = Number(value());
    else if (name === '--root') opts.root = value();
    else if (name === '--help' || name === '-h') {
      console.log('usage: node scripts/serve.mjs [--host 127.0.0.1] [--port 4321] [--root dist]');
      process.exit(0);
    } else {
      console.error(`serve: unknown option ${argv[i]}`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    console.error('serve: --port takes a port number (0-65535)');
    process.exit(2);
  }
  return opts;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const opts = parseArgs(process.argv.slice(2));
  const root = resolve(opts.root);
  if (!(await fileInfo(join(root, 'index.html')))) {
    console.error(`serve: no built site in ${root} (no index.html): run \`npm run build\` first`);
    process.exit(2);
  }
  const server = createServer(siteHandler(root));
  server.on('error', (error) => {
    console.error(`serve: cannot listen on ${opts.host}:${opts.port}: ${error.code === 'EADDRINUSE' ? 'the port is in use (another server?)' : error.message}`);
    process.exit(2);
  });
  server.listen(opts.port, opts.host, () => {
    const { port } = server.address();
    console.log(`serve: ${root} on http://${opts.host}:${port}/ (brotli and gzip copies written by the build)`);
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
}
