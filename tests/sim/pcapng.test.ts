// The pcapng export (src/sim/export/pcapng.ts): its blocks byte by byte, read back by a small
// parser written from the spec; and every chapter scenario's capture read by tshark, with zero
// malformed packets and one packet per frame on a link end in the trace.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index.ts';
import { Simulation } from '../../src/sim/engine/simulation.ts';
import { capturedCount, EPB_TYPE, IDB_TYPE, LINKTYPE_ETHERNET, SHB_TYPE, toPcapng } from '../../src/sim/export/pcapng.ts';

interface Block {
  type: number;
  body: DataView;
  length: number;
}

function blocks(bytes: Uint8Array): Block[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Block[] = [];
  let at = 0;
  while (at < bytes.length) {
    const type = view.getUint32(at, true);
    const length = view.getUint32(at + 4, true);
    expect(length % 4, `block at ${at} is a multiple of 4 bytes`).toBe(0);
    expect(view.getUint32(at + length - 4, true), `block at ${at}: trailing length`).toBe(length);
    out.push({ type, length, body: new DataView(bytes.buffer, bytes.byteOffset + at + 8, length - 12) });
    at += length;
  }
  expect(at).toBe(bytes.length);
  return out;
}

/** Options from `at` in a block body: code → values (UTF-8 or raw). */
function options(body: DataView, at: number): Map<number, Uint8Array[]> {
  const out = new Map<number, Uint8Array[]>();
  for (;;) {
    const code = body.getUint16(at, true);
    const length = body.getUint16(at + 2, true);
    if (code === 0) {
      expect(length).toBe(0);
      expect(at + 4).toBe(body.byteLength);
      return out;
    }
    const value = new Uint8Array(body.buffer, body.byteOffset + at + 4, length);
    out.set(code, [...(out.get(code) ?? []), value]);
    at += 4 + length + ((4 - (length % 4)) % 4);
  }
}

const utf8 = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

function runOf(id: string): Simulation {
  const sim = new Simulation(scenarios[id]!);
  sim.run();
  return sim;
}

describe('pcapng export: block structure', () => {
  const sim = runOf('hub-vs-bridge/bridge');
  const trace = sim.trace;
  const bytes = toPcapng(trace, { title: 'Two hosts on a bridge', label: (id) => sim.name(id) });
  const all = blocks(bytes);

  it('starts with a little-endian Section Header Block, version 1.0, saying what its clock is', () => {
    expect([...bytes.subarray(0, 4)]).toEqual([0x0a, 0x0d, 0x0d, 0x0a]);
    const shb = all[0]!;
    expect(shb.type).toBe(SHB_TYPE);
    expect(shb.body.getUint32(0, true)).toBe(0x1a2b3c4d);
    expect([shb.body.getUint16(4, true), shb.body.getUint16(6, true)]).toEqual([1, 0]);
    expect(shb.body.getBigInt64(8, true)).toBe(-1n);
    const opts = options(shb.body, 16);
    expect(utf8(opts.get(1)![0])).toMatch(/^vnet-live: Two hosts on a bridge\. Timestamps are the simulation's virtual time counted from the Unix epoch/);
    expect(utf8(opts.get(4)![0])).toBe('vnet-live simulator');
  });

  it('has one Ethernet interface per link end a frame crossed, named device:port, then one packet per transmit and receive', () => {
    const idbs = all.filter((b) => b.type === IDB_TYPE);
    const names = idbs.map((b) => utf8(options(b.body, 8).get(2)![0]));
    const ends = [...new Set(trace.filter((e) => e.kind === 'transmit' || e.kind === 'receive').map((e) => `${e.device}:${e.port}`))];
    expect(names).toEqual(ends);
    expect(names).toContain('A:eth0');
    expect(names).toContain('br0:p1');
    for (const idb of idbs) {
      expect(idb.body.getUint16(0, true)).toBe(LINKTYPE_ETHERNET);
      expect([...options(idb.body, 8).get(9)![0]!]).toEqual([6]);
    }
    // Every IDB comes before the first packet.
    const firstEpb = all.findIndex((b) => b.type === EPB_TYPE);
    expect(all.slice(0, firstEpb).filter((b) => b.type === IDB_TYPE)).toHaveLength(idbs.length);
    const epbs = all.filter((b) => b.type === EPB_TYPE);
    expect(epbs).toHaveLength(capturedCount(trace));
    expect(all).toHaveLength(1 + idbs.length + epbs.length);
  });

  it('each packet: its interface, virtual time in microseconds, the trace\'s bytes, its direction, the step and sentence', () => {
    const frames = trace.filter((e) => (e.kind === 'transmit' || e.kind === 'receive') && e.frame);
    const idbNames = all.filter((b) => b.type === IDB_TYPE).map((b) => utf8(options(b.body, 8).get(2)![0]));
    const epbs = all.filter((b) => b.type === EPB_TYPE);
    epbs.forEach((epb, i) => {
      const event = frames[i]!;
      const b = epb.body;
      expect(idbNames[b.getUint32(0, true)]).toBe(`${event.device}:${event.port}`);
      const micros = b.getUint32(4, true) * 2 ** 32 + b.getUint32(8, true);
      expect(micros).toBe(event.time * 1000);
      const caplen = b.getUint32(12, true);
      expect(caplen).toBe(event.frame!.length);
      expect(b.getUint32(16, true)).toBe(caplen);
      expect(new Uint8Array(b.buffer, b.byteOffset + 20, caplen)).toEqual(event.frame);
      const opts = options(b, 20 + caplen + ((4 - (caplen % 4)) % 4));
      expect(new DataView(opts.get(2)![0]!.buffer, opts.get(2)![0]!.byteOffset).getUint32(0, true)).toBe(event.kind === 'receive' ? 1 : 2);
      expect(utf8(opts.get(1)![0])).toBe(`step ${event.step}: ${event.text}`);
    });
    // The first frame A sends: a broadcast ARP request or a raw frame out of A:eth0 at time 0 (1970-01-01 00:00:00 UTC).
    expect(frames[0]).toMatchObject({ kind: 'transmit', device: 'A', port: 'eth0', time: 0 });
    expect(frames[1]).toMatchObject({ kind: 'receive', device: 'br0', port: 'p1', time: 1 });
  });

  it('an empty run is a valid capture with a section header and nothing else; noComments leaves out the sentences', () => {
    const empty = blocks(toPcapng([]));
    expect(empty.map((b) => b.type)).toEqual([SHB_TYPE]);
    const lean = blocks(toPcapng(trace, { noComments: true }));
    for (const epb of lean.filter((b) => b.type === EPB_TYPE)) {
      const caplen = epb.body.getUint32(12, true);
      expect(options(epb.body, 20 + caplen + ((4 - (caplen % 4)) % 4)).has(1)).toBe(false);
    }
  });
});

const tshark = spawnSync('tshark', ['-v'], { encoding: 'utf8' });
const tsharkMissing = tshark.error || tshark.status !== 0 ? 'tshark is not installed (apt-get install tshark); .ci/run installs it' : null;

describe.skipIf(tsharkMissing)(`every chapter scenario's capture, read by tshark${tsharkMissing ? ` (skipped: ${tsharkMissing})` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vnet-pcapng-'));
  const ids = Object.keys(scenarios);
  it('reads each with no malformed packet and as many packets as the trace has frames on link ends', () => {
    // One tshark run over one file of one pcapng section per scenario (a file may hold several): tshark starts once, not 17 times.
    const sections = ids.map((id) => {
      const sim = runOf(id);
      return { id, bytes: toPcapng(sim.trace, { title: scenarios[id]!.title, label: (d) => sim.name(d) }), frames: capturedCount(sim.trace) };
    });
    // A last section with a truncated IPv4 packet, which tshark must flag: the malformed check can fail.
    const truncated = new Uint8Array([2, 0, 0, 0, 0, 0xb, 2, 0, 0, 0, 0, 0xa, 0x08, 0x00, 0x45, 0, 0, 60, 0, 0, 0, 0, 64, 1]);
    const control = toPcapng([{ kind: 'transmit', step: 1, time: 0, device: 'A', port: 'eth0', frame: truncated, text: 'truncated' }]);
    const file = join(dir, 'chapters.pcapng');
    writeFileSync(file, Buffer.concat([...sections.map((s) => s.bytes), control]));
    // One line per packet: its section, whether a dissector flagged it malformed (_ws.malformed), and its comment.
    const read = spawnSync('tshark', ['-r', file, '-n', '-T', 'fields', '-e', 'frame.section_number', '-e', '_ws.malformed', '-e', 'frame.comment'], { encoding: 'utf8', timeout: 30_000 });
    expect(read.status, read.stderr).toBe(0);
    const lines = read.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
    sections.forEach((section, i) => {
      const mine = lines.filter(([n]) => Number(n) === i + 1);
      expect(mine.length, section.id).toBe(section.frames);
      expect(mine.length, `${section.id} has frames`).toBeGreaterThan(0);
      for (const line of mine) expect(line[1], `${section.id}: ${line.join(' ')}`).toBe('');
      // tshark read the comments back.
      expect(mine[0]![2], section.id).toMatch(/^step \d+: /);
    });
    expect(lines).toHaveLength(sections.reduce((n, s) => n + s.frames, 0) + 1);
    expect(lines.at(-1)).toEqual([String(sections.length + 1), expect.stringMatching(/Malformed Packet: IPv4/), 'step 1: truncated']);
  }, 30_000);
});
