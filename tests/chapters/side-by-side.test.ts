// Chapter "Side by side": every cell of the closing table, asserted on its own experiment. Each
// test runs the cell's experiment afresh on the core (not the table module's cached run), reads the
// answer from that run with code of its own (the switch's table, the bytes on the wire, the
// actions' outcomes, the validator's verdict), and checks that the cell says the same, and that it
// is the answer the chapters lead us to expect. Then the table the page renders
// (SideBySideTableView, as the chapter embeds it) must be the computed one, cell by cell.

import { beforeAll, describe, expect, it } from 'vitest';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { Simulation } from '../../src/sim/engine/simulation';
import { buildReport, type ScenarioReport } from '../../src/sim/report';
import type { Scenario } from '../../src/sim/scenario/format';
import { validateScenario } from '../../src/sim/scenario/validate';
import type { TraceEvent } from '../../src/sim/trace';
import { decodeEthernetFrame, readVlanTag } from '../../src/sim/wire/ethernet';
import { ipv4Of } from '../../src/scenarios/experiments';
import { SIDE_COLUMNS, SIDE_ROWS, sideBySideCell, sideBySideExperiment, sideBySideExperiments, sideBySideTable, type SideCell, type SideColumnId, type SideRowId } from '../../src/scenarios/side-by-side';
import SideBySideTableView from '../../src/components/experiments/SideBySideTableView';

interface Run {
  scenario: Scenario;
  trace: readonly TraceEvent[];
  report: ScenarioReport;
}

const runs = new Map<string, Run>();

/** The cell's experiment, run afresh here. */
function runOf(cell: SideCell): Run {
  const id = cell.experiment.id;
  let r = runs.get(id);
  if (!r) {
    const scenario = sideBySideExperiment(id);
    expect(validateScenario(scenario).ok, `${id} validates`).toBe(true);
    const sim = new Simulation(scenario, { history: false });
    sim.run();
    r = { scenario, trace: sim.trace, report: buildReport(sim) };
    runs.set(id, r);
  }
  return r;
}

function cellOf(row: SideRowId, column: SideColumnId): SideCell {
  return sideBySideCell(row, column);
}

/** MACs a switch learned on a port (not permanent entries). */
function learned(r: Run, sw: string, port: string): string[] {
  return (r.report.macTables[sw] ?? []).filter((row) => row.port === port && !row.permanent).map((row) => row.mac);
}

function isEchoRequest(frame: Uint8Array | undefined): boolean {
  const ip = ipv4Of(frame);
  return ip !== null && ip.protocol === 1 && ip.payload[0] === 8;
}

/** Bytes the first echo request of `from` gains on its way: its longest copy on a link minus its length as sent. */
function overhead(r: Run, from: string): number {
  const first = r.trace.find((e) => e.kind === 'transmit' && e.device === from && isEchoRequest(e.frame))!;
  const copies = r.trace.filter((e) => e.kind === 'transmit' && e.origin === first.origin && e.frame);
  return Math.max(...copies.map((e) => e.frame!.length)) - first.frame!.length;
}

/** Is the sentence in the run's trace? */
function inTrace(r: Run, sentence: string): boolean {
  return r.trace.some((e) => e.text === sentence);
}

const CONTAINER_ROWS = ['bridge-nat', 'macvlan', 'ipvlan-l2', 'ipvlan-l3'] as const;

beforeAll(() => {
  // The whole table once (about 3 s of runs on a busy machine); each test then reads its cells.
  sideBySideTable();
}, 30_000);

describe('chapter "Side by side": every cell on its own experiment', () => {
  it('has the article’s rows and columns, plus the reader’s', () => {
    expect(SIDE_ROWS.map((r) => r.name)).toEqual(['Bridge + veth + NAT', 'VLAN', 'macvlan (bridge mode)', 'ipvlan l2', 'ipvlan l3', 'VXLAN']);
    expect(SIDE_COLUMNS.map((c) => c.heading)).toEqual([
      'What it is',
      'How IP and MAC addresses are used',
      'What the physical switch sees',
      'Container ↔ host',
      'Container ↔ LAN',
      'MACs on the switch port',
      'IDs available',
      'Overhead bytes per frame',
      'Needs switch support?',
    ]);
  });

  it('MACs on the switch port: the switch learned 1 MAC on p1 for NAT, 3 for macvlan (server, c1, c2), 1 for ipvlan; ToR 1 learned 2 on server 1-2’s port in the stretched VLAN (its two VMs) and 1 with VXLAN (the server)', () => {
    const expected: Record<SideRowId, number> = { 'bridge-nat': 1, vlan: 2, macvlan: 3, 'ipvlan-l2': 1, 'ipvlan-l3': 1, vxlan: 1 };
    for (const row of SIDE_ROWS) {
      const cell = cellOf(row.id, 'macs');
      const r = runOf(cell);
      const [sw, port] = row.id === 'vlan' || row.id === 'vxlan' ? ['tor1', 'p2'] : ['sw', 'p1'];
      const macs = learned(r, sw, port);
      expect(cell.value, row.id).toBe(macs.length);
      expect(macs.length, row.id).toBe(expected[row.id]);
      expect(cell.answer).toBe(String(macs.length));
      expect(inTrace(r, cell.why), `${row.id}: the why is a sentence of its run`).toBe(true);
    }
    // macvlan: the three MACs are the server's, c1's and c2's own; ipvlan: one, shared.
    const mv = runOf(cellOf('macvlan', 'macs'));
    const macOf = (id: string) => (mv.scenario.devices.find((d) => d.id === id) as { nics: { mac: string }[] }).nics[0]!.mac;
    expect(learned(mv, 'sw', 'p1').sort()).toEqual(['server', 'c1', 'c2'].map(macOf).sort());
    // VXLAN: none of ToR 1's learned MACs, on any port, is a VM's.
    const vx = runOf(cellOf('vxlan', 'macs'));
    const vmMacs = new Set(vx.scenario.devices.filter((d) => d.id.startsWith('vm') && d.kind === 'host').map((d) => (d as { nics: { mac: string }[] }).nics[0]!.mac));
    expect((vx.report.macTables['tor1'] ?? []).filter((row) => vmMacs.has(row.mac))).toEqual([]);
  });

  it('overhead bytes: 0 for NAT, macvlan and ipvlan, 4 for the VLAN tag on the trunk, 50 for VXLAN on the underlay, from the frames’ real lengths', () => {
    const expected: Record<SideRowId, number> = { 'bridge-nat': 0, vlan: 4, macvlan: 0, 'ipvlan-l2': 0, 'ipvlan-l3': 0, vxlan: 50 };
    for (const row of SIDE_ROWS) {
      const cell = cellOf(row.id, 'overhead');
      const r = runOf(cell);
      const bytes = overhead(r, row.id === 'vlan' || row.id === 'vxlan' ? 'vm1' : 'c1');
      expect(cell.value, row.id).toBe(bytes);
      expect(bytes, row.id).toBe(expected[row.id]);
      expect(inTrace(r, cell.why), row.id).toBe(true);
    }
    // The VLAN's 4 bytes are the tag: the longest copy carries VLAN 100.
    const v = runOf(cellOf('vlan', 'overhead'));
    const tagged = v.trace.filter((e) => e.kind === 'transmit' && e.frame && isEchoRequest(e.frame) && readVlanTag(e.frame));
    expect(tagged.length).toBeGreaterThan(0);
    expect(readVlanTag(tagged[0]!.frame!)!.vid).toBe(100);
  });

  it('IDs available: asked of the validator, 4,094 VLANs (1 and 4,094 accepted, 0 and 4,095 refused), 16,777,216 VNIs (0 and 16,777,215 accepted, 16,777,216 refused); the others put no ID on the wire', () => {
    const vlan = cellOf('vlan', 'ids');
    const vlanRun = runOf(vlan);
    const atVlan = (v: number): Scenario => ({
      ...vlanRun.scenario,
      devices: vlanRun.scenario.devices.map((d) => (d.kind !== 'switch' ? d : { ...d, ports: d.ports.map((p) => ({ ...p, ...(p.vlan !== undefined ? { vlan: v } : {}), ...(p.vlans ? { vlans: [v] } : {}) })) })),
    });
    expect([0, 1, 4094, 4095].map((v) => validateScenario(atVlan(v)).ok)).toEqual([false, true, true, false]);
    expect(vlan.value).toBe(4094);
    expect(vlan.answer).toBe('4,094');
    // The experiment runs in VLAN 4094 and the ping gets through, tagged 4094 on the trunks.
    expect(vlanRun.report.actions[0]!.outcome).toBe('ok');
    expect(vlanRun.trace.some((e) => e.kind === 'transmit' && e.frame && readVlanTag(e.frame)?.vid === 4094)).toBe(true);

    const vxlan = cellOf('vxlan', 'ids');
    const vxRun = runOf(vxlan);
    const atVni = (vni: number): Scenario => ({ ...vxRun.scenario, devices: vxRun.scenario.devices.map((d) => ((d.kind === 'host' || d.kind === 'router') && d.vxlans ? { ...d, vxlans: d.vxlans.map((x) => ({ ...x, vni })) } : d)) });
    expect([0, 16_777_215, 16_777_216].map((v) => validateScenario(atVni(v)).ok)).toEqual([true, true, false]);
    expect(vxlan.value).toBe(16_777_216);
    expect(vxRun.report.actions[0]!.outcome).toBe('ok');
    expect(vxlan.why).toContain('16,777,215');

    for (const row of CONTAINER_ROWS) {
      const cell = cellOf(row, 'ids');
      const r = runOf(cell);
      const tagged = r.trace.filter((e) => e.kind === 'transmit' && e.frame && readVlanTag(e.frame)).length;
      expect(tagged, row).toBe(0);
      expect(cell.value, row).toBeNull();
      expect(cell.answer).toBe('None');
    }
  });

  it('container ↔ host and ↔ LAN: the ping’s outcome in its own run (macvlan and ipvlan l2 cannot reach their host; ipvlan l3 and NAT can; the stretched VLAN’s server has no address; the VXLAN VM has no route to its VTEP)', () => {
    const expected: Record<SideRowId, [string, string]> = {
      'bridge-nat': ['yes', 'yes'],
      vlan: ['impossible', 'yes'],
      macvlan: ['no', 'yes'],
      'ipvlan-l2': ['no', 'yes'],
      'ipvlan-l3': ['yes', 'yes'],
      vxlan: ['no', 'yes'],
    };
    for (const row of SIDE_ROWS) {
      const [host, lan] = [cellOf(row.id, 'to-host'), cellOf(row.id, 'to-lan')];
      expect([host.value, lan.value], row.id).toEqual(expected[row.id]);
      for (const cell of [host, lan]) {
        if (cell.value === 'impossible') continue;
        const r = runOf(cell);
        // The first action is the ping in question (VXLAN's two VTEPs ping twice, as in chapter 3).
        expect(r.scenario.traffic[0]!.do, `${row.id} ${cell.column}`).toBe('ping');
        expect(r.report.actions[0]!.outcome === 'ok' ? 'yes' : 'no', `${row.id} ${cell.column}`).toBe(cell.value);
      }
    }
    // The impossible cell is the validator's refusal of that very ping.
    const impossible = cellOf('vlan', 'to-host');
    const probe = { ...runOf(impossible).scenario, traffic: [{ at: 0, from: 'vm1', do: 'ping' as const, to: 'server1' }] };
    const verdict = validateScenario(probe);
    expect(verdict.ok).toBe(false);
    expect(impossible.why).toBe(verdict.ok ? '' : verdict.errors[0]!.message);
    // macvlan's failure says why in the trace's words: nobody answered c1's ARP requests for the server.
    expect(cellOf('macvlan', 'to-host').why).toMatch(/ARP requests for 192\.168\.1\.10/);
  });

  it('what it is and how addresses are used: the source the LAN host saw; the addresses and MACs the switch learned; the router’s sub-interfaces sharing one MAC; the VMs’ addresses inside the VTEPs’', () => {
    const what = Object.fromEntries(SIDE_ROWS.map((r) => [r.id, cellOf(r.id, 'what').value]));
    expect(what).toEqual({ 'bridge-nat': 'behind-host', vlan: 'one-domain', macvlan: 'own-mac', 'ipvlan-l2': 'shared-mac', 'ipvlan-l3': 'routed', vxlan: 'tunnel' });
    for (const row of CONTAINER_ROWS) {
      const cell = cellOf(row, 'what');
      const r = runOf(cell);
      const echo = r.trace.find((e) => e.kind === 'deliver' && e.reason === 'echo-request' && e.device === 'lan')!;
      const source = { ip: ipv4Of(echo.frame)!.source, mac: decodeEthernetFrame(echo.frame!).source };
      expect(cell.text, row).toContain(`from ${source.ip}, MAC ${source.mac}`);
      const server = (r.scenario.devices.find((d) => d.id === 'server') as { nics: { mac: string }[] }).nics[0]!.mac;
      expect(source.mac === server, `${row}: the LAN sees the server's MAC`).toBe(row !== 'macvlan');
    }

    const addresses = Object.fromEntries(SIDE_ROWS.map((r) => [r.id, cellOf(r.id, 'addresses').value]));
    expect(addresses).toEqual({ 'bridge-nat': '1 IP / 1 MAC', vlan: '2 IP / 1 MAC', macvlan: '3 IP / 3 MAC', 'ipvlan-l2': '3 IP / 1 MAC', 'ipvlan-l3': '3 IP / 1 MAC', vxlan: 'inside' });
    for (const row of CONTAINER_ROWS) {
      const r = runOf(cellOf(row, 'addresses'));
      const ips = new Set(r.trace.filter((e) => e.kind === 'deliver' && e.reason === 'echo-request' && e.device === 'lan').map((e) => ipv4Of(e.frame)!.source));
      expect(`${ips.size} IP / ${learned(r, 'sw', 'p1').length} MAC`, row).toBe(addresses[row]);
    }
    // Router on a stick: R sent in VLANs 10 and 20, always from one MAC.
    const ros = runOf(cellOf('vlan', 'addresses'));
    const sent = ros.trace.filter((e) => e.kind === 'transmit' && e.device === 'R' && e.frame);
    expect(new Set(sent.map((e) => decodeEthernetFrame(e.frame!).source)).size).toBe(1);
    expect([...new Set(sent.map((e) => readVlanTag(e.frame!)?.vid))].sort()).toEqual([10, 20]);
    // VXLAN: the underlay packet's outer source is VTEP 1, the inner one VM 1.
    const vx = cellOf('vxlan', 'addresses');
    expect(vx.text).toContain("VM 1's 10.0.0.1 (02:00:00:00:0a:01)");
    expect(vx.text).toContain("VTEP 1's 192.168.1.1 (02:00:00:00:01:01)");
    expect(inTrace(runOf(vx), vx.why)).toBe(true);
  });

  it('what the switch sees and whether it must help: macvlan fails behind a port allowed 1 MAC, NAT and ipvlan do not; a spine without VLAN 100 breaks the VLAN; ToR 1 forwards VXLAN untagged with no setting', () => {
    const sees = Object.fromEntries(SIDE_ROWS.map((r) => [r.id, cellOf(r.id, 'switch').value]));
    expect(sees).toEqual({ 'bridge-nat': 'one-machine', vlan: 'tags', macvlan: 'many-machines', 'ipvlan-l2': 'one-machine', 'ipvlan-l3': 'one-machine', vxlan: 'unaware' });
    const support = Object.fromEntries(SIDE_ROWS.map((r) => [r.id, cellOf(r.id, 'switch-support').value]));
    expect(support).toEqual({ 'bridge-nat': false, vlan: true, macvlan: true, 'ipvlan-l2': false, 'ipvlan-l3': false, vxlan: false });
    for (const row of CONTAINER_ROWS) {
      const cell = cellOf(row, 'switch-support');
      const r = runOf(cell);
      const sw = r.scenario.devices.find((d) => d.id === 'sw');
      expect(sw?.kind === 'switch' && sw.ports.find((p) => p.port === 'p1')?.maxMacs, row).toBe(1);
      expect(r.report.actions.some((a) => a.outcome !== 'ok'), row).toBe(cell.value);
    }
    const mv = runOf(cellOf('macvlan', 'switch-support'));
    expect(mv.report.actions.map((a) => a.outcome)).toEqual(['ok', 'failed', 'failed']);
    expect(mv.trace.find((e) => e.reason === 'port-security')?.text).toBe(cellOf('macvlan', 'switch-support').why);

    const vlan = runOf(cellOf('vlan', 'switch-support'));
    expect(vlan.report.actions[0]!.outcome).toBe('failed');
    expect(vlan.trace.find((e) => e.device === 'spine' && (e.kind === 'drop' || e.kind === 'filter'))?.text).toBe(cellOf('vlan', 'switch-support').why);

    const tor = runOf(cellOf('vxlan', 'switch-support'));
    expect(tor.trace.filter((e) => e.kind === 'transmit' && e.device === 'tor1' && e.frame && readVlanTag(e.frame))).toEqual([]);
    expect(tor.report.actions.every((a) => a.delivered)).toBe(true);
    const vlanTor = runOf(cellOf('vlan', 'switch'));
    const up = vlanTor.trace.filter((e) => e.kind === 'transmit' && e.device === 'tor1' && e.port === 'up' && e.frame);
    expect(up.length).toBeGreaterThan(0);
    expect(up.every((e) => readVlanTag(e.frame!)?.vid === 100)).toBe(true);
  });

  it('every cell has an experiment the page can load, and a why that is a sentence of that run or of the validator', () => {
    const experiments = sideBySideExperiments();
    for (const row of sideBySideTable()) {
      for (const cell of row) {
        expect(Object.hasOwn(experiments, cell.experiment.id), cell.experiment.id).toBe(true);
        expect(experiments[cell.experiment.id]!.id).toBe(cell.experiment.id);
        expect(cell.why.length, `${cell.row}/${cell.column}`).toBeGreaterThan(20);
        if (cell.column === 'ids' || cell.value === 'impossible') continue;
        expect(inTrace(runOf(cell), cell.why), `${cell.row}/${cell.column}: ${cell.why}`).toBe(true);
      }
    }
  });
});

describe('chapter "Side by side": the table the page renders is the computed one', () => {
  const decode = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  let html = '';
  beforeAll(() => {
    html = renderToString(h(SideBySideTableView, { caption: 'The table', player: 'side' }));
  });

  it('has the computed columns and rows, each row linked to its chapter', () => {
    const headings = [...html.matchAll(/<th scope="col"[^>]*>([^<]*)<\/th>/g)].map((m) => decode(m[1]!));
    expect(headings).toEqual(['Design', ...SIDE_COLUMNS.map((c) => c.heading)]);
    const rows = [...html.matchAll(/<th scope="row"><a href="([^"]*)">([^<]*)<\/a><\/th>/g)].map((m) => [m[1], decode(m[2]!)]);
    expect(rows).toEqual(SIDE_ROWS.map((r) => [r.chapter, r.name]));
  });

  it('shows every cell as computed: its answer, text and why, in a button that loads its experiment into the player', () => {
    const rendered = [
      ...html.matchAll(
        /<td class="[^"]*" data-cell="([^"]+)"><button type="button" class="side-play" data-player="side" data-experiment="([^"]+)" aria-pressed="false"><strong class="side-answer">([^<]*)<\/strong><span class="side-text">([^<]*)<\/span><span class="side-why"><span class="visually-hidden">Why: <\/span>([^<]*)<\/span><\/button><\/td>/g,
      ),
    ].map((m) => ({ cell: m[1], experiment: m[2], answer: decode(m[3]!), text: decode(m[4]!), why: decode(m[5]!) }));
    const computed = sideBySideTable()
      .flat()
      .map((c) => ({ cell: `${c.row}/${c.column}`, experiment: c.experiment.id, answer: c.answer, text: c.text, why: c.why }));
    expect(computed).toHaveLength(SIDE_ROWS.length * SIDE_COLUMNS.length);
    expect(rendered).toEqual(computed);
  });
});
