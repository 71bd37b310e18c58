// `npm start`'s server (scripts/serve.mjs) on a small site of its own: the encodings it picks, the
// 404 page, the slash redirect, paths outside the root, revalidation, and the build's copies
// (scripts/lib/precompress.mjs).
import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptedEncodings, siteHandler } from '../../scripts/serve.mjs';
import { precompress } from '../../scripts/lib/precompress.mjs';

const PAGE = `<!doctype html><title>Chapter</title>${'<p>A bridge learns where each MAC address lives. </p>'.repeat(200)}`;
let base: string;
let root: string;
let server: Server;
let port: number;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The answer to a request line sent as written (a client that does not normalise `..`). */
function raw(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let text = '';
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'vnet-serve-'));
  root = join(base, 'site');
  // Beside the site, not in it: no request may read it.
  writeFileSync(join(base, 'secret.txt'), 'SECRET');
  mkdirSync(join(root, 'chapters', 'hub'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Home</title>');
  writeFileSync(join(root, '404.html'), '<!doctype html><title>Not found</title><p>There is no page at this address.</p>');
  writeFileSync(join(root, 'chapters', 'hub', 'index.html'), PAGE);
  writeFileSync(join(root, 'tiny.js'), 'export {};');
  writeFileSync(join(root, 'data.bin'), Buffer.alloc(4096, 7));
  writeFileSync(join(root, 'changed.css'), `a{color:red}${' '.repeat(2000)}`);
  const written = await precompress(root);
  expect(written.files).toBe(2); // the chapter and the stylesheet: the rest is small or not text
  // changed.css is edited after the build: its copies are older than it.
  const later = new Date(Date.now() + 60_000);
  writeFileSync(join(root, 'changed.css'), `a{color:blue}${' '.repeat(2000)}`);
  utimesSync(join(root, 'changed.css'), later, later);
  server = createServer(siteHandler(root));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(base, { recursive: true, force: true });
});

describe('npm start serves the built site', () => {
  it('sends the brotli copy to a browser that takes it, else the gzip copy, else the page as it is', async () => {
    const br = await get('/chapters/hub/', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(brotliDecompressSync(br.body).toString()).toBe(PAGE);
    expect(br.body.length).toBeLessThan(PAGE.length / 10);
    expect(Number(br.headers['content-length'])).toBe(br.body.length);

    const gz = await get('/chapters/hub/', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(PAGE);

    const refused = await get('/chapters/hub/', { 'accept-encoding': 'br;q=0, gzip' });
    expect(refused.headers['content-encoding']).toBe('gzip');

    const plain = await get('/chapters/hub/');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(PAGE);
  });

  it('reads Accept-Encoding as browsers write it', () => {
    expect([...acceptedEncodings('gzip, deflate, br, zstd')].sort()).toEqual(['br', 'gzip']);
    expect([...acceptedEncodings('br;q=0, gzip;q=0.5')]).toEqual(['gzip']);
    expect([...acceptedEncodings('*')].sort()).toEqual(['br', 'gzip']);
    expect([...acceptedEncodings(undefined)]).toEqual([]);
  });

  it('does not send a copy older than its file: a file changed after the build goes out gzipped on the fly', async () => {
    const css = await get('/changed.css', { 'accept-encoding': 'br, gzip' });
    expect(css.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(css.body).toString()).toContain('color:blue');
  });

  it('sends small files and binary ones as they are', async () => {
    const tiny = await get('/tiny.js', { 'accept-encoding': 'br, gzip' });
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(tiny.body.toString()).toBe('export {};');
    const bin = await get('/data.bin', { 'accept-encoding': 'br, gzip' });
    expect(bin.headers['content-encoding']).toBeUndefined();
    expect(bin.body.length).toBe(4096);
  });

  it("answers a missing page with 404 and the site's own 404 page", async () => {
    const missing = await get('/no-such-page/');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(missing.body.toString()).toContain('There is no page at this address.');
  });

  it('redirects a folder without its slash to the address with it, keeping the query', async () => {
    const moved = await get('/chapters/hub?x=1');
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('/chapters/hub/?x=1');
    // A path that URL parsing leaves starting with // (/.//x) must not become a Location of //x/,
    // which a browser reads as another host.
    for (const path of ['/.//chapters/hub', '/a/..//chapters/hub']) {
      const answer = await get(path);
      expect(answer.status, path).toBe(301);
      expect(answer.headers.location, path).toBe('/chapters/hub/');
    }
  });

  it('serves nothing outside its folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/chapters/..%2f..%2fsecret.txt', '/chapters/%2e%2e%2f%2e%2e%2fsecret.txt', '/a%00b', '/%E0%A4%A']) {
      const answer = await raw(path);
      expect(answer, path).toMatch(/^HTTP\/1\.1 (400|404) /);
      expect(answer, path).not.toContain('SECRET');
    }
  });

  it('answers HEAD without a body, other methods with 405, and a known ETag (or *) with 304', async () => {
    const head = await get('/chapters/hub/', { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect((await get('/chapters/hub/', {}, 'POST')).status).toBe(405);
    const etag = head.headers.etag as string;
    const again = await get('/chapters/hub/', { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    // Another encoding is another representation: not the same ETag.
    const gz = await get('/chapters/hub/', { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(gz.status).toBe(200);
    // A list of tags (a cache's), the tag without its W/ (compared weakly), and * all match.
    for (const header of [`"other", ${etag}`, etag.replace(/^W\//, ''), '*']) {
      expect((await get('/chapters/hub/', { 'accept-encoding': 'br', 'if-none-match': header })).status, header).toBe(304);
    }
    expect((await get('/chapters/hub/', { 'accept-encoding': 'br', 'if-none-match': '"other", W/"x"' })).status).toBe(200);
  });
});
