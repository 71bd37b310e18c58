// An A/B pair (the player's A/B mode: an experiment A and a design B it is compared with) as it
// leaves the page: a share link of two payloads, and a file of two scenarios. Loaded only by
// restore.ts (which opens a shared pair) and by A/B mode, through restore.ts, so that edit mode,
// which loads share.ts and transfer.ts, carries none of it.
//
//   #vnet=<experiment id>~<A's payload>~<B's payload>        (share.ts's codec for each payload)
//   { "format": "vnet-live/ab-pair@1", "a": <scenario>, "b": <scenario> }

import type { Scenario } from '../sim/scenario/format';
import { parseScenarioJson, readValidation } from '../sim/scenario/read';
import { validateScenario } from '../sim/scenario/validate';
import { decodeScenario, encodeScenario, MAX_PAYLOAD_CHARS, percentDecoded } from './share';

/** The payload of an A/B pair: A's payload, "~", B's. */
export async function encodePair(a: Scenario, b: Scenario): Promise<string> {
  return `${await encodeScenario(a)}~${await encodeScenario(b)}`;
}

export type SharedResult =
  | {
      ok: true;
      scenario: Scenario;
      /** The pair's second design, when the link is a pair and B opened. */
      b?: Scenario;
      /** The link is a pair whose B could not be opened: why (A opens all the same). */
      bError?: string;
    }
  | { ok: false; error: string };

/**
 * Reads a share link's payload, one experiment or an A/B pair; never throws. A pair's A is judged
 * as a single link is; a bad B loses nothing: A opens, and `bError` says what was wrong with B.
 */
export async function decodeShared(fragmentPayload: string): Promise<SharedResult> {
  if (fragmentPayload.length > 2 * MAX_PAYLOAD_CHARS + 1) return { ok: false, error: 'the link is far longer than any this site makes.' };
  // "~" may come percent-encoded (%7E) from a mail client; the halves are decoded again by decodeScenario.
  const text = percentDecoded(fragmentPayload);
  if (text === null) return decodeScenario(fragmentPayload);
  const cut = text.indexOf('~');
  if (cut < 0) return decodeScenario(fragmentPayload);
  const a = await decodeScenario(text.slice(0, cut));
  if (!a.ok) return a;
  const b = await decodeScenario(text.slice(cut + 1));
  if (!b.ok) return { ok: true, scenario: a.scenario, bError: `the second design (B) in this link could not be opened: ${b.error}` };
  return { ok: true, scenario: a.scenario, b: b.scenario };
}

/** The format of an A/B pair's file: two scenarios, A (the experiment) and B (the design it is compared with). */
export const PAIR_FORMAT = 'vnet-live/ab-pair@1';

/** An A/B pair as a file: `{ "format": "vnet-live/ab-pair@1", "a": <scenario>, "b": <scenario> }`, formatted, with a final newline. */
export function exportPairText(a: Scenario, b: Scenario): string {
  return `${JSON.stringify({ format: PAIR_FORMAT, a, b }, null, 2)}\n`;
}

/** "hub-vs-bridge.json" for the pair hub-vs-bridge/hub, hub-vs-bridge/bridge. */
export function pairFileName(aId: string, bId: string): string {
  const last = (id: string) => id.split('/').pop() || 'scenario';
  return `${last(aId)}-vs-${last(bId)}.json`;
}

export type PairImportResult = { ok: true; a: Scenario; b: Scenario } | { ok: false; errors: string[]; omitted: number };

/**
 * Reads an A/B pair's file with the CLI's reader, each side validated as a scenario file is, its
 * errors named by field under "a." or "b." (a file of one scenario is not a pair: it says so).
 */
export function importPairText(text: string): PairImportResult {
  const parsed = parseScenarioJson(text);
  if (!parsed.ok) return { ok: false, errors: [parsed.error], omitted: 0 };
  const data = parsed.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { ok: false, errors: ['the file is not an A/B pair: expected an object with "format", "a" and "b"'], omitted: 0 };
  const { format, a, b } = data as { format?: unknown; a?: unknown; b?: unknown };
  if (format !== PAIR_FORMAT) {
    const what = typeof format === 'string' ? `"${format.slice(0, 60)}"` : 'missing';
    return { ok: false, errors: [`format: expected "${PAIR_FORMAT}" (an A/B pair), found ${what}`], omitted: 0 };
  }
  const errors: string[] = [];
  let omitted = 0;
  const sides: Partial<Record<'a' | 'b', Scenario>> = {};
  for (const [side, value] of [['a', a], ['b', b]] as const) {
    if (value === undefined) {
      errors.push(`${side}: missing (an A/B pair holds two scenarios)`);
      continue;
    }
    const result = validateScenario(value);
    if (result.ok) {
      sides[side] = result.scenario;
      continue;
    }
    const read = readValidation(result);
    if (!read.ok) {
      errors.push(...read.errors.map((line) => `${side}.${line}`));
      omitted += read.omitted;
    }
  }
  if (errors.length || !sides.a || !sides.b) return { ok: false, errors, omitted };
  return { ok: true, a: sides.a, b: sides.b };
}
