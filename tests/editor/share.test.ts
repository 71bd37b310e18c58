// Share links: what the reader built survives the trip through a URL exactly, and a damaged link
// is refused with a sentence, never an exception.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeScenario, encodeScenario, MAX_PAYLOAD_CHARS, payloadFor, shareFragment } from '../../src/editor/share.ts';
import { restoreEdits } from '../../src/editor/restore.ts';
import { scenarios } from '../../src/scenarios/index.ts';
import { devicePorts, SCENARIO_FORMAT, type DeviceSpec, type Scenario, type TrafficAction } from '../../src/sim/scenario/format.ts';
import { MAX_JSON_LENGTH } from '../../src/sim/scenario/limits.ts';
import { validateScenario } from '../../src/sim/scenario/validate.ts';

const bridge = scenarios['hub-vs-bridge/bridge']!;

const hex2 = fc.integer({ min: 0, max: 255 }).map((n) => n.toString(16).padStart(2, '0'));
const label = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }).filter((s) => [...s].length <= 40 && s.length <= 40);

/** Fuzzed but valid topologies: hosts, hubs and bridges with labels in any script, cables, traffic. */
const topology: fc.Arbitrary<Scenario> = fc
  .record({
    hosts: fc.integer({ min: 1, max: 6 }),
    switches: fc.array(fc.record({ kind: fc.constantFrom('hub' as const, 'bridge' as const), ports: fc.integer({ min: 1, max: 6 }), ageing: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }) }), { maxLength: 3 }),
    labels: fc.array(fc.option(label, { nil: undefined }), { minLength: 10, maxLength: 10 }),
    macs: fc.array(fc.tuple(hex2, hex2), { minLength: 6, maxLength: 6 }),
    positions: fc.array(fc.option(fc.record({ x: fc.integer({ min: -500, max: 1500 }), y: fc.integer({ min: -500, max: 1500 }) }), { nil: undefined }), { minLength: 10, maxLength: 10 }),
    wiring: fc.array(fc.nat(), { maxLength: 20 }),
    traffic: fc.array(fc.record({ do: fc.constantFrom('ping' as const, 'arp' as const, 'raw' as const), from: fc.nat(), to: fc.nat(), at: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }) }), { maxLength: 4 }),
    title: label,
  })
  .map((r) => {
    const devices: DeviceSpec[] = [];
    for (let i = 0; i < r.hosts; i++) {
      const [a, b] = r.macs[i]!;
      devices.push({ id: `H${i}`, kind: 'host', nics: [{ port: 'eth0', mac: `02:00:00:00:${a}:${b}`, ip: `10.0.0.${i + 1}/24` }] });
    }
    r.switches.forEach((s, i) => {
      const ports = Array.from({ length: s.ports }, (_, j) => `p${j + 1}`);
      devices.push(s.kind === 'bridge' ? { id: `sw${i}`, kind: 'bridge', ports, ...(s.ageing !== undefined ? { ageingTime: s.ageing } : {}) } : { id: `sw${i}`, kind: 'hub', ports });
    });
    devices.forEach((d, i) => {
      if (r.labels[i] !== undefined) d.label = r.labels[i];
      if (r.positions[i]) d.position = r.positions[i];
    });
    // Cables: each wiring number picks two free ports, if there are.
    const free = devices.flatMap((d) => devicePorts(d).map((p) => `${d.id}:${p}`));
    const links = [];
    for (const w of r.wiring) {
      if (free.length < 2) break;
      const a = free.splice(w % free.length, 1)[0]!;
      const b = free.splice((w >> 3) % free.length, 1)[0]!;
      links.push({ a, b });
    }
    const traffic: TrafficAction[] = r.traffic.map((t) => {
      const from = `H${t.from % r.hosts}`;
      const to = `H${t.to % r.hosts}`;
      return { do: t.do, from, to, ...(t.at !== undefined ? { at: t.at } : {}) } as TrafficAction;
    });
    return { format: SCENARIO_FORMAT, id: 'hub-vs-bridge/bridge', title: r.title, devices, links, traffic } as Scenario;
  })
  .filter((s) => validateScenario(s).ok);

describe('share link codec', () => {
  it('round-trips fuzzed topologies exactly (labels in any script included)', async () => {
    await fc.assert(
      fc.asyncProperty(topology, async (scenario) => {
        const payload = await encodeScenario(scenario);
        expect(payload).toMatch(/^1[A-Za-z0-9_-]+$/);
        const decoded = await decodeScenario(payload);
        expect(decoded).toEqual({ ok: true, scenario });
      }),
      { numRuns: 150 },
    );
  });

  it('opens a link made by the v1 site (a vnet-live/scenario@1 experiment), migrated to the current format', async () => {
    // Made with Share link on the site before format v2: the bridge experiment turned into a hub, retitled.
    const V1_LINK =
      '#vnet=hub-vs-bridge/bridge~1eJylk82OmzAUhV_l6q7JxMC0GnlVwmy7anfVLAy-BCuOjWxP0iji3StjkqbJ_FSKQCA41vnOsa6P2Fm3FQE57gyFhVY7WvqWjHDKfssxQyWRY__aLHZ-0Tgl17RML8wwqKAJOf7ohSMJDXXWEewKzFCSb50agrIGOf7sCbzYEvTWBw_CSAinX8GJrlMtWAMCNAlnlFlDYnBQATptrfRgjT7Avlea4k9pyYOxATbG7mHfkyMQ8L2qQUjpyHuIVfzDFGWnWvLIfx1Tmwoz3CgzFbM-YIZGtUkfrIt7QaFnmOFWtMiRFZyxi1vEXRmQY84e4pWzZfGI40uGg_UqNT7ib-RPLMMD8q9sHLMZvboP3Vyj83fQX4pbdn0fu71mFx_XLtkF-_k-trxml5_0_gfeOHaBf42bqEVD-izFCDEMDnHihzi_Qxkfj3iLKFlC5E9sjAm0MpvURMTZ4nORJrnzIccYJGqrG604a_WNVp615xstdZ9PTmIH5CzDztntPOGnihV4MtKDgM5N581CnEJpkaMT-3iM7TyZgzhoK6ZdIq3juilCQJ7_9V5deK9AGL8n56F6w7J6w7I6WxYfx40xQayFMv8ZNq09uZfvuQ_KrD3UJ9P4eXKtcXwZ_wAWrXeC';
    const bridge = scenarios['hub-vs-bridge/bridge']!;
    const restored = await restoreEdits(bridge, V1_LINK, null);
    expect(restored.origin).toBe('shared');
    expect(restored.scenario.format).toBe('vnet-live/scenario@2');
    expect(restored.scenario.title).toBe('Shared before v2');
    expect(restored.scenario.devices.find((d) => d.id === 'br0')?.kind).toBe('hub');
    expect(restored.scenario.links).toEqual(bridge.links);
  });

  it('is compact: the bridge experiment fits in well under 1000 URL-safe characters', async () => {
    const payload = await encodeScenario(bridge);
    expect(payload.length).toBeLessThan(1000);
    expect(payload.length).toBeLessThan(JSON.stringify(bridge).length / 2);
  });

  it('refuses truncated links with a sentence', async () => {
    const payload = await encodeScenario(bridge);
    for (const cut of [1, 5, payload.length >> 1, payload.length - 3, payload.length - 1]) {
      const decoded = await decodeScenario(payload.slice(0, cut));
      expect(decoded.ok, `cut at ${cut}`).toBe(false);
      if (!decoded.ok) expect(decoded.error).toMatch(/damaged|incomplete|cut off|no experiment|characters/);
    }
  });

  it('refuses tampered links: any changed character is caught (checksum, JSON or validation)', async () => {
    const payload = await encodeScenario(bridge);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: payload.length - 1 }), fc.constantFrom(...'ABCxyz019_-'), async (at, ch) => {
        fc.pre(payload[at] !== ch);
        const tampered = payload.slice(0, at) + ch + payload.slice(at + 1);
        const decoded = await decodeScenario(tampered);
        // Base64 padding bits can absorb a change in the very last character; otherwise it must fail.
        if (decoded.ok) expect(decoded.scenario).toEqual(bridge);
        else expect(decoded.error.length).toBeGreaterThan(20);
      }),
      { numRuns: 120 },
    );
  });

  it('names each kind of malformed link', async () => {
    expect(await decodeScenario('')).toEqual({ ok: false, error: expect.stringContaining('no experiment') });
    expect(await decodeScenario('9abc')).toEqual({ ok: false, error: 'this link was made by a newer version of this site, which this page cannot read.' });
    expect(await decodeScenario('2' + (await encodeScenario(bridge)).slice(1))).toEqual({ ok: false, error: expect.stringContaining('newer version of this site') });
    for (const notOurs of ['0abc', 'xyz', '<script>', '~1abc', '\u00e91abc']) {
      expect(await decodeScenario(notOurs), notOurs).toEqual({ ok: false, error: 'this is not a share link this site made.' });
    }
    expect(await decodeScenario('1<script>')).toEqual({ ok: false, error: expect.stringContaining('characters a share link never has') });
    expect(await decodeScenario('1' + 'A'.repeat(MAX_PAYLOAD_CHARS))).toEqual({ ok: false, error: expect.stringContaining('longer') });
    expect(await decodeScenario('1AAAA')).toEqual({ ok: false, error: expect.stringContaining('damaged') });
  });

  it('reads the payload as the browser hands it over, percent-encoded, and names a broken %-escape', async () => {
    // location.hash percent-encodes "<", '"', spaces and non-ASCII: the format is what was typed, never "%".
    expect(await decodeScenario('%3Cscript%3Ealert(1)%3C/script%3E')).toEqual({ ok: false, error: 'this is not a share link this site made.' });
    expect(await decodeScenario('%39abc')).toEqual({ ok: false, error: expect.stringContaining('newer version') });
    expect(await decodeScenario('1abc%3C')).toEqual({ ok: false, error: expect.stringContaining('characters a share link never has') });
    for (const broken of ['%', '%E0%A4%A', '1abc%zz', '%C3%28']) {
      expect(await decodeScenario(broken), broken).toEqual({ ok: false, error: 'the link contains a broken %-escape; it may have been changed or cut off when it was copied.' });
    }
    // A link some tool escaped needlessly still opens.
    const payload = await encodeScenario(bridge);
    expect(await decodeScenario(payload.replace(/[A-Z]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))).toEqual({ ok: true, scenario: bridge });
    const opened = await restoreEdits(bridge, shareFragment(bridge.id, '%3Cb%3E'), null);
    expect(opened.notice).toEqual({ text: "This shared link could not be opened: this is not a share link this site made. Showing the chapter's version.", error: true });
  });

  it('refuses a well-formed link whose experiment does not validate, with the validator\'s words', async () => {
    const bad = { ...bridge, devices: bridge.devices.map((d, i) => (i === 0 ? { ...d, nics: [{ port: 'eth0', mac: 'zz' }] } : d)) } as Scenario;
    const decoded = await decodeScenario(await encodeScenario(bad));
    expect(decoded).toEqual({ ok: false, error: 'the experiment in the link is not valid: devices[0].nics[0].mac: expected a MAC address like 02:00:00:00:00:0a, got "zz".' });
    // Many errors (700 unknown devices, 699 ports cabled twice): the first, then how many more, counting those the validator left out.
    const links = Array.from({ length: 700 }, (_, i) => ({ a: `X${i}:p1`, b: 'A:eth0' }));
    const many = await decodeScenario(await encodeScenario({ ...bridge, links }));
    expect(many).toEqual({ ok: false, error: 'the experiment in the link is not valid: links[0].a: the cable goes to "X0", which is not a device of this scenario … and 1,398 more.' });
  });

  it('refuses a compression bomb without building it, and an experiment over the size limit', async () => {
    // 20 MB of JSON in a link of about 20 KB: inflating stops at MAX_FILE_BYTES.
    const bomb = { ...bridge, description: 'x'.repeat(20_000_000) };
    const payload = await encodeScenario(bomb);
    expect(payload.length).toBeLessThan(MAX_PAYLOAD_CHARS);
    expect(await decodeScenario(payload)).toEqual({ ok: false, error: 'the experiment in the link is too large to open.' });
    const long = { ...bridge, description: 'x'.repeat(MAX_JSON_LENGTH) };
    expect(await decodeScenario(await encodeScenario(long))).toEqual({
      ok: false,
      error: expect.stringMatching(/^the experiment in the link is too large to open \(the scenario is 5,00\d,\d{3} characters long; at most 5,000,000 are accepted\)\.$/),
    });
  });

  it('puts the experiment id in the fragment, and finds only its own', () => {
    const hash = shareFragment('hub-vs-bridge/bridge', '1abc');
    expect(hash).toBe('#vnet=hub-vs-bridge/bridge~1abc');
    expect(payloadFor(hash, 'hub-vs-bridge/bridge')).toBe('1abc');
    expect(payloadFor(hash, 'hub-vs-bridge/hub')).toBeNull();
    expect(payloadFor('#intro', 'hub-vs-bridge/bridge')).toBeNull();
  });

  it('opens a shared version with its notice, and falls back to the chapter\'s version on a bad link', async () => {
    const edited = { ...bridge, devices: bridge.devices.map((d) => (d.id === 'br0' ? { ...d, label: '<img src=x onerror=alert(1)>' } : d)) } as Scenario;
    const hash = shareFragment(bridge.id, await encodeScenario(edited));
    const shared = await restoreEdits(bridge, hash, null);
    expect(shared.origin).toBe('shared');
    expect(shared.scenario).toEqual(edited);
    expect(shared.notice?.text).toMatch(/shared version/);
    const broken = await restoreEdits(bridge, hash.slice(0, -10), null);
    expect(broken).toEqual({ scenario: bridge, origin: 'chapter', notice: { text: expect.stringMatching(/^This shared link could not be opened: .*Showing the chapter's version\.$/), error: true } });
    const other = await restoreEdits(scenarios['hub-vs-bridge/hub']!, shareFragment('hub-vs-bridge/hub', await encodeScenario(bridge)), null);
    expect(other.notice?.text).toContain('another experiment');
    expect(other.origin).toBe('chapter');
  });
});
