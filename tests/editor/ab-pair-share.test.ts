// A/B pairs leave the page as a share link and as a file: both round-trip exactly, links made
// before pairs still open, and a damaged pair says what is wrong without losing A.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { restoreEdits } from '../../src/editor/restore.ts';
import { decodeShared, encodePair, exportPairText, importPairText, PAIR_FORMAT, pairFileName } from '../../src/editor/ab-pair.ts';
import { encodeScenario, shareFragment } from '../../src/editor/share.ts';
import { comparisons } from '../../src/scenarios/ab-pairs.ts';
import { scenario } from '../../src/scenarios/index.ts';

const hub = scenario('hub-vs-bridge/hub');
const bridge = comparisons('hub-vs-bridge/hub')[0]!.scenario;

describe('an A/B pair in a share link', () => {
  it('round-trips both designs exactly, and opens the player of A in A/B mode with B', async () => {
    const payload = await encodePair(hub, bridge);
    expect(payload.split('~')).toHaveLength(2);
    const decoded = await decodeShared(payload);
    expect(decoded).toEqual({ ok: true, scenario: hub, b: bridge });
    // The browser hands the fragment percent-encoded when a mail client encoded "~".
    expect(await decodeShared(payload.replace('~', '%7E'))).toEqual({ ok: true, scenario: hub, b: bridge });
    const restored = await restoreEdits(hub, shareFragment(hub.id, payload), null);
    expect(restored.origin).toBe('shared');
    expect(restored.b).toEqual(bridge);
    expect(restored.scenario).toEqual(hub);
  });

  it('a link of one experiment (made before pairs) opens as before, with no B', async () => {
    const decoded = await decodeShared(await encodeScenario(hub));
    expect(decoded).toEqual({ ok: true, scenario: hub });
    const restored = await restoreEdits(hub, shareFragment(hub.id, await encodeScenario(hub)), null);
    expect(restored.b).toBeUndefined();
    expect(restored.notice?.error).toBe(false);
  });

  it('a pair whose B is damaged still opens A, and says what became of B', async () => {
    const payload = await encodePair(hub, bridge);
    const damaged = payload.slice(0, payload.length - 10);
    const decoded = await decodeShared(damaged);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.scenario).toEqual(hub);
    expect(decoded.b).toBeUndefined();
    expect(decoded.bError).toMatch(/^the second design \(B\) in this link could not be opened: the link (is damaged or incomplete|contains characters a share link never has)/);
    const restored = await restoreEdits(hub, shareFragment(hub.id, damaged), null);
    expect(restored.scenario).toEqual(hub);
    expect(restored.origin).toBe('shared');
    expect(restored.notice).toEqual({ text: expect.stringMatching(/second design \(B\).*could not be opened.*The link is left as it was\.$/), error: true });
    // An empty B is damaged too.
    const empty = await decodeShared(`${await encodeScenario(hub)}~`);
    expect(empty.ok && empty.bError).toMatch(/no experiment in it/);
  });

  it('a pair whose A is damaged is refused as a damaged link is, and the chapter\'s version shows', async () => {
    const payload = await encodePair(hub, bridge);
    const [a, b] = payload.split('~');
    const decoded = await decodeShared(`${a!.slice(0, 20)}~${b}`);
    expect(decoded.ok).toBe(false);
    const restored = await restoreEdits(hub, shareFragment(hub.id, `${a!.slice(0, 20)}~${b}`), null);
    expect(restored.origin).toBe('chapter');
    expect(restored.notice?.error).toBe(true);
  });

  it('never throws on a hand-made or random pair: a pair, A alone with a sentence about B, or a sentence', async () => {
    const a = await encodeScenario(hub);
    const b = await encodeScenario(bridge);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(a, a.slice(0, 9), '', '%', '1'), fc.string({ maxLength: 40 }), fc.constantFrom(b, '', '~', `${b}~${b}`), async (head, junk, tail) => {
        const decoded = await decodeShared(`${head}${junk}~${tail}`);
        if (!decoded.ok) expect(decoded.error.length).toBeGreaterThan(20);
        else if (decoded.bError) expect(decoded.bError).toMatch(/^the second design \(B\) in this link could not be opened: /);
        else expect(decoded.b).toBeDefined();
      }),
      { numRuns: 60 },
    );
  });
});

describe('an A/B pair as a file', () => {
  it('round-trips both designs exactly, named after both', () => {
    const text = exportPairText(hub, bridge);
    expect(JSON.parse(text).format).toBe(PAIR_FORMAT);
    expect(importPairText(text)).toEqual({ ok: true, a: hub, b: bridge });
    expect(pairFileName(hub.id, bridge.id)).toBe('hub-vs-bridge.json');
  });

  it('names each bad field under its side, and refuses a file of one scenario as not a pair', () => {
    const bad = JSON.parse(exportPairText(hub, bridge));
    bad.b.devices[0].nics[0].mac = 'not a mac';
    delete bad.a.title;
    const result = importPairText(JSON.stringify(bad));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.some((e) => e.startsWith('a.') && e.includes('title'))).toBe(true);
    expect(result.errors.some((e) => e.startsWith('b.devices[0].nics[0].mac'))).toBe(true);

    const single = importPairText(JSON.stringify(hub));
    expect(single).toEqual({ ok: false, errors: [`format: expected "${PAIR_FORMAT}" (an A/B pair), found "vnet-live/scenario@2"`], omitted: 0 });
    expect(importPairText('{"format":"vnet-live/ab-pair@1","a":{}}')).toMatchObject({ ok: false, errors: expect.arrayContaining(['b: missing (an A/B pair holds two scenarios)']) });
    expect(importPairText('not json').ok).toBe(false);
  });
});
