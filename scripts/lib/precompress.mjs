// Brotli and gzip copies of the built site's text files, written beside them (`index.html.br`,
// `index.html.gz`), as a static host's build step does for nginx's brotli_static/gzip_static or a
// CDN: scripts/serve.mjs (`npm start`, the browser tests) sends the smallest one the browser
// accepts. Run by the build (astro.config.mjs, after every other step that writes into dist/).
//
// Why brotli: a chapter page is 154-533 KB of HTML; gzip's 32 KB window cannot reach back over one
// player's markup to the previous player's, brotli's 4 MB window can, so a chapter's document goes
// from 33-87 KB gzipped (level 9) to 27-41 KB. On a slow connection every round trip of TCP slow start
// counts: 14.6 KB arrive in the first, 29 KB more in the second (`npm run bench:lighthouse`).

import { constants, brotliCompressSync, gzipSync } from 'node:zlib';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** The files worth compressing: text. (Pagefind's index fragments are compressed already.) */
export const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.xml', '.map', '.webmanifest']);
/** Below this a compressed copy saves less than the headers it needs (the threshold astro preview's compression uses too). */
export const MIN_BYTES = 1024;

export function brotli(bytes) {
  return brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
}

export function gzip(bytes) {
  return gzipSync(bytes, { level: 9 });
}

/**
 * Writes `<file>.br` and `<file>.gz` beside every compressible file of `root` of MIN_BYTES or more,
 * each only where it is smaller than the file. Returns what it wrote: files, and bytes before and
 * after (the smallest copy of each).
 */
export async function precompress(root) {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  let files = 0;
  let before = 0;
  let after = 0;
  for (const entry of entries) {
    if (!entry.isFile() || !COMPRESSIBLE.has(extname(entry.name))) continue;
    const file = join(entry.parentPath, entry.name);
    const bytes = await readFile(file);
    if (bytes.length < MIN_BYTES) continue;
    let smallest = bytes.length;
    for (const [suffix, compress] of [
      ['.br', brotli],
      ['.gz', gzip],
    ]) {
      const packed = compress(bytes);
      if (packed.length >= bytes.length) continue;
      await writeFile(file + suffix, packed);
      smallest = Math.min(smallest, packed.length);
    }
    files++;
    before += bytes.length;
    after += smallest;
  }
  return { files, before, after };
}

/** True when `copy` exists and is at least as new as `file`: a copy older than its file (the file changed since the build) is not served. */
export async function freshCopy(file, fileMtimeMs, copy) {
  try {
    const info = await stat(copy);
    return info.isFile() && info.mtimeMs >= fileMtimeMs ? info : null;
  } catch {
    return null;
  }
}
