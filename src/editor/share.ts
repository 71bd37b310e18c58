// Share links: an edited experiment in the URL fragment, so that the server never sees it and a
// link reproduces exactly what the reader built (topology, positions, traffic).
//
//   /chapters/hub-vs-bridge/#vnet=hub-vs-bridge/bridge~1eNq…
//
// The payload is the scenario as JSON, compressed with the browser's own zlib ("deflate", whose
// Adler-32 checksum catches most tampering and every truncation), in base64url, after a version
// digit. Decoding trusts nothing: every failure is a sentence for the reader, and a decoded
// scenario is only returned after validateScenario() has accepted it.

import type { Scenario } from '../sim/scenario/format';
import { validateScenario } from '../sim/scenario/validate';
import { SHARE_PREFIX } from './keys';

/** The codec's version, the payload's first character. */
const VERSION = '1';
/** Longer payloads are refused before any work is done (a URL this long is not one we made). */
export const MAX_PAYLOAD_CHARS = 200_000;
/** Decompressed JSON larger than this is refused (a compression bomb). */
const MAX_JSON_BYTES = 4_000_000;

export type DecodeResult = { ok: true; scenario: Scenario } | { ok: false; error: string };

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  try {
    const binary = atob(padded);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

async function pump(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  // The write and close promises reject with the same error as the reader; keep them quiet.
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new RangeError('too large');
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The payload for a scenario: a version digit, then base64url of zlib-compressed JSON. */
export async function encodeScenario(scenario: Scenario): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(scenario));
  const packed = await pump(json, new CompressionStream('deflate'), Infinity);
  return VERSION + toBase64Url(packed);
}

/** Reads a payload back; never throws. */
export async function decodeScenario(payload: string): Promise<DecodeResult> {
  if (payload.length === 0) return { ok: false, error: 'the link has no experiment in it (it may have been cut off).' };
  if (payload.length > MAX_PAYLOAD_CHARS) return { ok: false, error: 'the link is far longer than any this site makes.' };
  if (payload[0] !== VERSION) return { ok: false, error: `the link was made by a version of this site that this page cannot read (format "${payload[0]}").` };
  const bytes = fromBase64Url(payload.slice(1));
  if (!bytes) return { ok: false, error: 'the link contains characters a share link never has; it may have been changed or cut off.' };
  let json: string;
  try {
    const raw = await pump(bytes, new DecompressionStream('deflate'), MAX_JSON_BYTES);
    json = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch (err) {
    if (err instanceof RangeError) return { ok: false, error: 'the experiment in the link is too large to open.' };
    return { ok: false, error: 'the link is damaged or incomplete (its checksum does not match); it may have been changed or cut off when it was copied.' };
  }
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return { ok: false, error: 'the link is damaged: what it contains is not an experiment.' };
  }
  const result = validateScenario(data);
  if (!result.ok) {
    const first = result.errors[0]!;
    const more = result.errors.length > 1 ? ` (and ${result.errors.length - 1} more problem${result.errors.length > 2 ? 's' : ''})` : '';
    return { ok: false, error: `the experiment in the link is not valid: ${first.path}: ${first.message}${more}.` };
  }
  return { ok: true, scenario: result.scenario };
}

/** The URL fragment (with "#") that opens `scenario` in the player of experiment `id`. */
export function shareFragment(id: string, payload: string): string {
  return `${SHARE_PREFIX}${id}~${payload}`;
}

/** The payload meant for experiment `id` in a URL fragment, or null if the fragment is not a share link for it. */
export function payloadFor(hash: string, id: string): string | null {
  const head = `${SHARE_PREFIX}${id}~`;
  return hash.startsWith(head) ? hash.slice(head.length) : null;
}
