// Share links: an edited experiment in the URL fragment, so that the server never sees it and a
// link reproduces exactly what the reader built (topology, positions, traffic).
//
//   /chapters/hub-vs-bridge/#vnet=hub-vs-bridge/bridge~1eNq…
//
// The payload is the scenario as JSON, compressed with the browser's own zlib ("deflate", whose
// Adler-32 checksum catches most tampering and every truncation), in base64url, after a version
// digit. Decoding trusts nothing: every failure is a sentence for the reader, and a decoded
// scenario is only returned after validateScenario() has accepted it.
//
// An A/B pair (the player's A/B mode) is two payloads joined by "~", which base64url never holds:
//
//   /chapters/hub-vs-bridge/#vnet=hub-vs-bridge/hub~1eNq…(A)~1eNq…(B)
//
// A link of one payload (every link made before pairs) opens as it always did. A pair whose B is
// damaged still opens A, and says what became of B. The pair's codec is in ab-pair.ts, which only
// restore.ts and A/B mode load: edit mode, which loads this file, does not grow.

import type { Scenario } from '../sim/scenario/format';
import { jsonTooLong, moreErrorsLine } from '../sim/scenario/limits';
import { MAX_FILE_BYTES, parseScenarioJson, readScenarioData } from '../sim/scenario/read';
import { SHARE_PREFIX } from './keys';

/** The codec's version, the payload's first character. */
const VERSION = '1';
/** Longer payloads are refused before any work is done (a URL this long is not one we made). */
export const MAX_PAYLOAD_CHARS = 200_000;
/**
 * Decompressed JSON larger than this many bytes is refused while it inflates (a compression
 * bomb): past it the text is over MAX_JSON_LENGTH characters whatever it holds, so no scenario
 * the format accepts is cut off. Text under it is then held to MAX_JSON_LENGTH like a file.
 */
const MAX_JSON_BYTES = MAX_FILE_BYTES;

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

/**
 * The payload as it was written: location.hash comes percent-encoded from the browser ("<" reads
 * "%3C"), and a hand-edited link may hold a broken escape. null when an escape is malformed.
 */
export function percentDecoded(payload: string): string | null {
  if (!payload.includes('%')) return payload;
  try {
    return decodeURIComponent(payload);
  } catch {
    return null;
  }
}

/** Reads a payload back (as found in the URL fragment, percent-encoded or not); never throws. */
export async function decodeScenario(fragmentPayload: string): Promise<DecodeResult> {
  if (fragmentPayload.length === 0) return { ok: false, error: 'the link has no experiment in it (it may have been cut off).' };
  if (fragmentPayload.length > MAX_PAYLOAD_CHARS) return { ok: false, error: 'the link is far longer than any this site makes.' };
  const payload = percentDecoded(fragmentPayload);
  if (payload === null) return { ok: false, error: 'the link contains a broken %-escape; it may have been changed or cut off when it was copied.' };
  if (payload[0] !== VERSION) {
    // Only a later codec version is a digit above ours; anything else was never made here.
    const newer = /^[0-9]$/.test(payload[0] ?? '') && Number(payload[0]) > Number(VERSION);
    return { ok: false, error: newer ? 'this link was made by a newer version of this site, which this page cannot read.' : 'this is not a share link this site made.' };
  }
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
  const tooLong = jsonTooLong(json);
  if (tooLong) return { ok: false, error: `the experiment in the link is too large to open (${tooLong}).` };
  const parsed = parseScenarioJson(json);
  if (!parsed.ok) return { ok: false, error: 'the link is damaged: what it contains is not an experiment.' };
  // The same validator, words and count as `npm run scenario` and the editor's Import.
  const read = readScenarioData(parsed.data);
  if (!read.ok) {
    const more = moreErrorsLine(read.errors.length - 1 + read.omitted);
    return { ok: false, error: `the experiment in the link is not valid: ${read.errors[0]}${more ? ` ${more}` : ''}.` };
  }
  return { ok: true, scenario: read.scenario };
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
