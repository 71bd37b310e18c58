// Chapter "Side by side": the closing table, one experiment per cell. A row is a way to join
// machines or containers (the source article's VLAN, macvlan, ipvlan and VXLAN, and the bridge with
// veth pairs and NAT that chapter 4 starts from); a column is a question about it. Every cell runs
// one experiment on the core and reads its answer from the run: the trace, the tables, the bytes,
// or the validator's verdict. Nothing in a cell is typed.
//
// The experiments are the chapters' own: chapter 4's designs (reach-matrix.ts: its cells' pings and
// its switch-sees runs), chapter 3's stretched VLAN, two VTEPs and ToR experiment (tor.ts), chapter
// 2's router on a stick, each run as defined there, or with one change said in its title (the
// traffic, a VLAN taken off a trunk, the highest ID the validator accepts). The page's table
// (SideBySideTable.astro), the experiments its player loads (src/pages/experiments/side-by-side.json.ts)
// and tests/chapters/side-by-side.test.ts all read the cells from here.

import { Simulation } from '../sim/engine/simulation';
import { buildReport, type ScenarioReport } from '../sim/report';
import type { Scenario, TrafficAction } from '../sim/scenario/format';
import { validateScenario } from '../sim/scenario/validate';
import type { TraceEvent } from '../sim/trace';
import { decodeEthernetFrame, readVlanTag } from '../sim/wire/ethernet';
import { arpOf, ipv4Of } from './experiments';
import { scenario, scenarios } from './index';
import { cellScenario, MATRIX_DESIGNS, MATRIX_PAIRS, matrixCell, switchSeesScenario, type MatrixDesign } from './reach-matrix';
import { TOR_MAX_LIMIT, torScenario } from './tor';

// ---------- rows and columns ----------

export type SideRowId = 'bridge-nat' | 'vlan' | 'macvlan' | 'ipvlan-l2' | 'ipvlan-l3' | 'vxlan';
export type SideColumnId = 'what' | 'addresses' | 'switch' | 'to-host' | 'to-lan' | 'macs' | 'ids' | 'overhead' | 'switch-support';

export interface SideRow {
  readonly id: SideRowId;
  /** The row's heading. */
  readonly name: string;
  /** The chapter that explains it. */
  readonly chapter: string;
}

export const SIDE_ROWS: readonly SideRow[] = [
  { id: 'bridge-nat', name: 'Bridge + veth + NAT', chapter: '/chapters/macvlan-ipvlan-bridge/' },
  { id: 'vlan', name: 'VLAN', chapter: '/chapters/one-vlan-per-subnet/' },
  { id: 'macvlan', name: 'macvlan (bridge mode)', chapter: '/chapters/macvlan-ipvlan-bridge/' },
  { id: 'ipvlan-l2', name: 'ipvlan l2', chapter: '/chapters/macvlan-ipvlan-bridge/' },
  { id: 'ipvlan-l3', name: 'ipvlan l3', chapter: '/chapters/macvlan-ipvlan-bridge/' },
  { id: 'vxlan', name: 'VXLAN', chapter: '/chapters/vlan-vs-vxlan/' },
];

export interface SideColumn {
  readonly id: SideColumnId;
  readonly heading: string;
}

export const SIDE_COLUMNS: readonly SideColumn[] = [
  { id: 'what', heading: 'What it is' },
  { id: 'addresses', heading: 'How IP and MAC addresses are used' },
  { id: 'switch', heading: 'What the physical switch sees' },
  { id: 'to-host', heading: 'Container ↔ host' },
  { id: 'to-lan', heading: 'Container ↔ LAN' },
  { id: 'macs', heading: 'MACs on the switch port' },
  { id: 'ids', heading: 'IDs available' },
  { id: 'overhead', heading: 'Overhead bytes per frame' },
  { id: 'switch-support', heading: 'Needs switch support?' },
];

// ---------- cells ----------

/** The experiment behind a cell: the scenario the player loads, and what it sends. */
export interface SideExperimentRef {
  /** The cell's experiment id (side-by-side/<row>/<column>, a scenario id): what the cell's button loads. */
  id: string;
  /** The chapter scenario (or chapter experiment) it is made from. */
  from: string;
  /** What it sends, in words ("c1 pings the LAN host"). */
  send: string;
}

export interface SideCell {
  row: SideRowId;
  column: SideColumnId;
  /** The answer as data: a count, a yes/no, a reach, a byte count, a kind. */
  value: number | boolean | string | null;
  /** The answer in a word or two, from `value` (answerOf): what the cell shows first. */
  answer: string;
  /** What the run showed, after the answer: the numbers and names behind it. */
  text: string;
  experiment: SideExperimentRef;
  /** One sentence of the run's trace (or the validator's) that shows why. */
  why: string;
}

// ---------- experiments: each built once, run once ----------

interface Built {
  ref: SideExperimentRef;
  scenario: Scenario;
}

interface Ran extends Built {
  sim: Simulation;
  report: ScenarioReport;
}

const built = new Map<string, Built>();
const ran = new Map<string, Ran>();

/** Registers an experiment: a copy of `base` under its own id and title, with the traffic (and devices) given. */
function experiment(id: string, from: string, send: string, base: Scenario, change: Partial<Scenario> = {}): Built {
  const fullId = `side-by-side/${id}`;
  const cached = built.get(fullId);
  if (cached) return cached;
  const made: Built = { ref: { id: fullId, from, send }, scenario: { ...base, ...change, id: fullId, title: `${send}` } };
  built.set(fullId, made);
  return made;
}

/** The experiment run on the core, headless, with its trace (cached: runs are deterministic). */
function run(b: Built): Ran {
  const cached = ran.get(b.ref.id);
  if (cached) return cached;
  const checked = validateScenario(b.scenario);
  if (!checked.ok) throw new Error(`side-by-side: ${b.ref.id} does not validate: ${checked.errors[0]!.message}`);
  const sim = new Simulation(b.scenario, { history: false });
  sim.run();
  const r: Ran = { ...b, sim, report: buildReport(sim) };
  ran.set(b.ref.id, r);
  return r;
}

function design(id: string): MatrixDesign {
  const d = MATRIX_DESIGNS.find((x) => x.id === id);
  if (!d) throw new Error(`side-by-side: no design ${id} in the reach matrix`);
  return d;
}

/** The chapter 4 design of a container row. */
const CONTAINER_DESIGNS: Partial<Record<SideRowId, string>> = {
  'bridge-nat': 'bridge-nat',
  macvlan: 'macvlan-bridge',
  'ipvlan-l2': 'ipvlan-l2',
  'ipvlan-l3': 'ipvlan-l3',
};

function pair(id: string) {
  const p = MATRIX_PAIRS.find((x) => x.id === id);
  if (!p) throw new Error(`side-by-side: no pair ${id} in the reach matrix`);
  return p;
}

/** A container row's experiments: chapter 4's matrix cells and switch-sees runs of its design. */
function containerExperiments(row: SideRowId) {
  const d = design(CONTAINER_DESIGNS[row]!);
  const name = SIDE_ROWS.find((r) => r.id === row)!.name;
  const cell = (pairId: string) => {
    const s = cellScenario(d, pair(pairId));
    if (!s) throw new Error(`side-by-side: ${d.id} has no ${pairId} cell`);
    return experiment(`${row}/${pairId}`, d.scenario, `${name}: ${pair(pairId).label}`, s);
  };
  return {
    design: d,
    lan: cell('c1-lan'),
    host: cell('c1-host'),
    switch: experiment(`${row}/switch`, d.scenario, `${name}: the server, c1 and c2 each ping the LAN host`, switchSeesScenario(d, null)),
    limit1: experiment(`${row}/limit-1`, d.scenario, `${name}: switch port p1 learns at most 1 MAC; the server, c1 and c2 each ping the LAN host`, switchSeesScenario(d, 1)),
  };
}

/** Chapter 3's stretched VLAN and its variants. */
const STRETCHED = 'vlan-vs-vxlan/stretched-vlan';
/** Chapter 3's two VTEPs (VNI 42) and its variants. */
const TWO_VTEPS = 'vlan-vs-vxlan/two-vteps';
/** Chapter 2's router on a stick. */
const ROUTER_ON_A_STICK = 'one-vlan-per-subnet/router-on-a-stick';
/** Chapter 3's ToR experiment, small enough to play: 2 racks of 8 VMs (2 per server), no table limit. */
const TOR_RACKS = 2;
const TOR_VMS = 8;
/**
 * The ToR port whose MACs the table counts: server 1-2's (VMs 1-2 and 1-6). Server 1-1's VMs are T
 * and one that reaches T inside the server, through its br0, so only T's MAC would cross p1.
 */
const TOR_PORT = 'p2';

/**
 * Chapter 3's ToR experiment with places to draw its devices (its generator leaves them out): each
 * rack a column of servers, each under its VMs; the ToRs, the racks' routers and the spine in a
 * column between the racks. Drawing hints only: the devices, links and traffic are the generator's.
 */
function placed(s: Scenario): Scenario {
  // Three columns: rack 1's servers, each under its two VMs; the ToRs, routers and spine; rack 2's.
  const column = (rack: number) => (rack === 1 ? 60 : 540);
  const base = (k: number) => (k - 1) * 200;
  const middle: Record<string, number> = { tor1: 170, rr1: 300, spine: 400, rr2: 500, tor2: 630 };
  const at = (id: string): { x: number; y: number } | undefined => {
    let m = /^vm(\d+)-(\d+)$/.exec(id);
    if (m) {
      const j = Number(m[2]) - 1;
      return { x: column(Number(m[1])), y: base((j % 4) + 1) + (j < 4 ? 0 : 55) };
    }
    m = /^s(\d+)-(\d+)$/.exec(id);
    if (m) return { x: column(Number(m[1])), y: base(Number(m[2])) + 115 };
    if (id in middle) return { x: 300, y: middle[id]! };
    return undefined;
  };
  return { ...s, devices: s.devices.map((d) => ({ ...d, position: at(d.id) ?? d.position })) };
}

/** Every switch port of a scenario moved from one VLAN to another (access VLAN, trunk lists). */
function withVlan(s: Scenario, from: number, to: number): Scenario {
  return {
    ...s,
    devices: s.devices.map((d) =>
      d.kind !== 'switch' ? d : { ...d, ports: d.ports.map((p) => ({ ...p, ...(p.vlan === from ? { vlan: to } : {}), ...(p.vlans ? { vlans: p.vlans.map((v) => (v === from ? to : v)) } : {}) })) },
    ),
  };
}

/** Every VXLAN device of a scenario given another VNI. */
function withVni(s: Scenario, vni: number): Scenario {
  return {
    ...s,
    devices: s.devices.map((d) => ((d.kind === 'host' || d.kind === 'router') && d.vxlans ? { ...d, vxlans: d.vxlans.map((v) => ({ ...v, vni })) } : d)),
  };
}

/**
 * The IDs the validator accepts, asked of it: the smallest accepted value from `floor` up (tried
 * one by one, a few at most), then the largest by bisection up to `ceiling` (refused). Assumes
 * what every ID field is, a contiguous range.
 */
export function acceptedIds(make: (id: number) => Scenario, floor: number, ceiling: number): { min: number; max: number; refusedAbove: string; refusedBelow: string | null } {
  const ok = (id: number) => validateScenario(make(id)).ok;
  let min = floor;
  while (!ok(min)) {
    min += 1;
    if (min > floor + 8) throw new Error('side-by-side: no ID accepted near the floor');
  }
  let lo = min;
  let hi = ceiling;
  if (ok(hi)) throw new Error(`side-by-side: the validator accepts ${ceiling}`);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  const message = (id: number) => {
    const r = validateScenario(make(id));
    return r.ok ? null : r.errors[0]!.message;
  };
  return { min, max: lo, refusedAbove: message(lo + 1)!, refusedBelow: min > floor ? message(min - 1) : null };
}

function vlanExperiments() {
  const stretched = scenario(STRETCHED);
  const vlanIds = acceptedIds((v) => withVlan(stretched, 100, v), 0, 1 << 16);
  // The spine's trunks made members of another VLAN only: a switch on the path that does not carry VLAN 100.
  const spineOff: Scenario = {
    ...stretched,
    devices: stretched.devices.map((d) => (d.id !== 'spine' || d.kind !== 'switch' ? d : { ...d, ports: d.ports.map((p) => ({ ...p, vlans: [200] })) })),
  };
  return {
    stretched: experiment('vlan/stretched', STRETCHED, 'VLAN: VM 1 pings VM 2 in the other rack, over a VLAN stretched across the racks', stretched),
    spineOff: experiment('vlan/spine-without-vlan-100', STRETCHED, 'VLAN: the spine’s trunks carry VLAN 200 only; VM 1 pings VM 2', spineOff),
    maxId: experiment(`vlan/vlan-${vlanIds.max}`, STRETCHED, `VLAN: the same racks in VLAN ${vlanIds.max}, the highest ID the editor accepts; VM 1 pings VM 2`, withVlan(stretched, 100, vlanIds.max)),
    vlanIds,
    tor: experiment('vlan/tor', 'vlan-vs-vxlan (ToR experiment)', `VLAN: ${TOR_RACKS} racks of ${TOR_VMS} VMs in one stretched VLAN; every VM sends T a frame, T answers each`, placed(torScenario('vlan', TOR_RACKS, TOR_VMS, TOR_MAX_LIMIT))),
    subif: experiment('vlan/router-on-a-stick', ROUTER_ON_A_STICK, 'VLAN: A (VLAN 10) pings B (VLAN 20) through the router’s sub-interfaces', scenario(ROUTER_ON_A_STICK)),
  };
}

function vxlanExperiments() {
  const two = scenario(TWO_VTEPS);
  const vniIds = acceptedIds((v) => withVni(two, v), 0, 2 ** 32);
  const ping = (from: string, to: string, label: string): TrafficAction[] => [{ at: 0, from, do: 'ping', to, label }];
  return {
    tunnel: experiment('vxlan/two-vteps', TWO_VTEPS, 'VXLAN: VM 1 pings VM 2 twice over VNI 42, between two VTEPs on a routed underlay', two),
    host: experiment('vxlan/vm1-host', TWO_VTEPS, 'VXLAN: VM 1 pings its host, VTEP 1', two, { traffic: ping('vm1', 'vtep1', 'VM 1 pings its host') }),
    maxId: experiment(`vxlan/vni-${vniIds.max}`, TWO_VTEPS, `VXLAN: the same VTEPs with VNI ${vniIds.max}, the highest the editor accepts; VM 1 pings VM 2 twice`, withVni(two, vniIds.max)),
    vniIds,
    tor: experiment('vxlan/tor', 'vlan-vs-vxlan (ToR experiment)', `VXLAN: ${TOR_RACKS} racks of ${TOR_VMS} VMs on VNI 42; every VM sends T a frame, T answers each`, placed(torScenario('vxlan', TOR_RACKS, TOR_VMS, TOR_MAX_LIMIT))),
  };
}

// ---------- reading runs ----------

function nameOf(s: Scenario, id: string): string {
  return s.devices.find((d) => d.id === id)?.label ?? id;
}

/** A device's first NIC MAC and address (without prefix). */
function nicOf(s: Scenario, id: string): { mac: string; ip: string | null } {
  const d = s.devices.find((x) => x.id === id);
  if (!d || (d.kind !== 'host' && d.kind !== 'router')) throw new Error(`side-by-side: ${id} is not a namespace`);
  const nic = d.nics[0]!;
  return { mac: nic.mac, ip: nic.ip?.split('/')[0] ?? null };
}

/** The echo request `to` accepted first, with its source MAC and IP as they arrived. */
function echoAt(r: Ran, to: string): { event: TraceEvent; mac: string; ip: string } | null {
  const event = r.sim.trace.find((e) => e.kind === 'deliver' && e.reason === 'echo-request' && e.device === to);
  if (!event?.frame) return null;
  return { event, mac: decodeEthernetFrame(event.frame).source, ip: ipv4Of(event.frame)?.source ?? '' };
}

/** Is the frame an ICMP echo request (IPv4, untagged or tagged)? */
function isEchoRequest(frame: Uint8Array | undefined): boolean {
  const ip = ipv4Of(frame);
  return ip !== null && ip.protocol === 1 && ip.payload[0] === 8;
}

/**
 * What encapsulation adds: the first echo request `from` sends, as it left the sender, against the
 * longest copy of it (same origin) any device put on a link. Both lengths are the real bytes.
 */
function overheadOf(r: Ran, from: string): { inner: number; outer: number; bytes: number; event: TraceEvent; innerEvent: TraceEvent } {
  const trace = r.sim.trace;
  const first = trace.find((e) => e.kind === 'transmit' && e.device === from && isEchoRequest(e.frame));
  if (!first?.frame) throw new Error(`side-by-side: ${r.ref.id}: ${from} sends no echo request`);
  let longest = first;
  for (const e of trace) if (e.kind === 'transmit' && e.origin === first.origin && e.frame && e.frame.length > longest.frame!.length) longest = e;
  return { inner: first.frame.length, outer: longest.frame!.length, bytes: longest.frame!.length - first.frame.length, event: longest, innerEvent: first };
}

/** Frames put on links (transmits) in a run, and how many carried an 802.1Q tag. */
function tagsOnWire(r: Ran): { frames: number; tagged: number; vlans: number[]; tagger: TraceEvent | null } {
  let frames = 0;
  let tagged = 0;
  const vlans = new Set<number>();
  let tagger: TraceEvent | null = null;
  for (const e of r.sim.trace) {
    if (e.kind !== 'transmit' || !e.frame) continue;
    frames += 1;
    const tag = readVlanTag(e.frame);
    if (tag) {
      tagged += 1;
      vlans.add(tag.vid);
      tagger ??= e;
    }
  }
  return { frames, tagged, vlans: [...vlans].sort((a, b) => a - b), tagger };
}

/** The MACs a switch learned on one port (not its own permanent entries), with whose they are. */
function learnedOn(r: Ran, sw: string, port: string): { mac: string; owner: string }[] {
  const owners = new Map<string, string[]>();
  for (const d of r.scenario.devices) {
    if (d.kind !== 'host' && d.kind !== 'router') continue;
    for (const mac of [...d.nics.map((n) => n.mac), ...(d.bridges ?? []).map((b) => b.mac), ...(d.vxlans ?? []).map((v) => v.mac)]) {
      const list = owners.get(mac) ?? [];
      const label = d.label ?? d.id;
      if (!list.includes(label)) list.push(label);
      owners.set(mac, list);
    }
  }
  return (r.report.macTables[sw] ?? []).filter((row) => row.port === port && !row.permanent).map((row) => ({ mac: row.mac, owner: (owners.get(row.mac) ?? ['?']).join(', ') }));
}

/** The last time the switch learned a new MAC on that port (not a refresh): its sentence. */
function lastLearn(r: Ran, sw: string, port: string): TraceEvent | undefined {
  return r.sim.trace.findLast((e) => e.kind === 'learn' && e.reason === 'fdb-learn' && e.device === sw && e.port === port);
}

/** Are two IPv4 addresses in the same subnet of that prefix length? */
function sameSubnet(a: string, b: string, prefix: number): boolean {
  const n = (ip: string) => ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
  const size = 2 ** (32 - prefix);
  return Math.floor(n(a) / size) === Math.floor(n(b) / size);
}

/** The network of an address with its prefix ("10.0.2.2/24" → "10.0.2.0/24"). */
function networkOf(cidr: string): string {
  const [ip, bits] = cidr.split('/');
  const prefix = Number(bits);
  const n = ip!.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
  const size = 2 ** (32 - prefix);
  const base = Math.floor(n / size) * size;
  return `${[24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join('.')}/${prefix}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The first drop or filter of a run that is a failure (not a host ignoring someone else's frame). */
function firstFailure(r: Ran): TraceEvent | undefined {
  return r.sim.trace.find((e) => (e.kind === 'drop' || e.kind === 'filter') && e.reason !== 'not-for-me' && e.reason !== 'arp-request-not-for-me');
}

function text(e: TraceEvent | undefined, fallback: string): string {
  return e?.text ?? fallback;
}

// ---------- the cells ----------

type Computed = Omit<SideCell, 'answer'>;

function containerCell(row: SideRowId, column: SideColumnId): Computed {
  const x = containerExperiments(row);
  const cell = (b: Built, value: SideCell['value'], t: string, why: string): Computed => ({ row, column, value, text: t, experiment: b.ref, why });
  switch (column) {
    case 'what': {
      const r = run(x.lan);
      const echo = echoAt(r, 'lan');
      const c1 = nicOf(r.scenario, 'c1');
      const server = nicOf(r.scenario, 'server');
      if (!echo) return cell(x.lan, 'unreached', `c1's ping never reached the LAN host`, text(firstFailure(r), r.report.actions[0]!.result ?? ''));
      const seen = `the LAN host got c1's ping from ${echo.ip}, MAC ${echo.mac}`;
      if (echo.ip === server.ip) return cell(x.lan, 'behind-host', `${seen}, the server's own`, echo.event.text!);
      if (echo.ip === c1.ip && echo.mac === server.mac) {
        // c1 on a subnet of its own, which the LAN reaches through the server: the host routes for it.
        const lan = nicOf(r.scenario, 'lan');
        const lanPrefix = r.scenario.devices.find((d) => d.id === 'lan' && d.kind === 'host')!;
        const prefix = Number((lanPrefix.kind === 'host' ? lanPrefix.nics[0]!.ip! : '/24').split('/')[1]);
        const c1Spec = r.scenario.devices.find((d) => d.id === 'c1')!;
        const c1Cidr = c1Spec.kind === 'host' ? c1Spec.nics[0]!.ip! : '';
        const arps = r.sim.trace.filter((e) => e.kind === 'transmit' && e.device === 'c1' && arpOf(e.frame) !== null).length;
        if (!sameSubnet(c1.ip!, lan.ip!, prefix)) return cell(x.lan, 'routed', `c1 is on ${networkOf(c1Cidr)}, not the LAN's ${networkOf(`${lan.ip}/${prefix}`)}, and sent ${plural(arps, 'ARP request')}; ${seen} (c1's address, the server's MAC)`, echo.event.text!);
        return cell(x.lan, 'shared-mac', `${seen} (c1's address, the server's MAC)`, echo.event.text!);
      }
      if (echo.ip === c1.ip && echo.mac === c1.mac) return cell(x.lan, 'own-mac', `${seen} (c1's own)`, echo.event.text!);
      return cell(x.lan, 'other', `${seen}`, echo.event.text!);
    }
    case 'addresses': {
      const r = run(x.switch);
      const lanSaw = [...new Set(r.sim.trace.filter((e) => e.kind === 'deliver' && e.reason === 'echo-request' && e.device === 'lan').map((e) => ipv4Of(e.frame)?.source ?? ''))];
      const macs = learnedOn(r, 'sw', 'p1');
      const senders = r.scenario.traffic.length;
      const value = `${lanSaw.length} IP / ${macs.length} MAC`;
      return cell(
        x.switch,
        value,
        `${plural(lanSaw.length, 'IP address', 'IP addresses')} and ${plural(macs.length, 'MAC address', 'MAC addresses')} for ${plural(senders, 'sender')} (${list(r.scenario.traffic.map((a) => a.from))})`,
        text(lastLearn(r, 'sw', 'p1'), ''),
      );
    }
    case 'switch': {
      const r = run(x.switch);
      const macs = learnedOn(r, 'sw', 'p1');
      const wire = tagsOnWire(r);
      const who = macs.map((m) => m.owner);
      const t =
        macs.length === 1
          ? `p1 sees ${wire.tagged === 0 ? 'untagged frames from ' : 'tagged frames from '}${who[0]!.includes(',') ? `one MAC, shared by ${list(who[0]!.split(', '))}` : `the ${who[0]}'s MAC only; the containers never show`}`
          : `p1 sees ${plural(macs.length, 'machine')}, each with its own MAC (${list(who)}), ${wire.tagged === 0 ? 'untagged' : 'tagged'}`;
      return cell(x.switch, macs.length === 1 ? 'one-machine' : 'many-machines', t, text(lastLearn(r, 'sw', 'p1'), ''));
    }
    case 'to-host':
    case 'to-lan': {
      const b = column === 'to-host' ? x.host : x.lan;
      const m = matrixCell(x.design, pair(column === 'to-host' ? 'c1-host' : 'c1-lan'));
      const r = run(b);
      const why = m.reach === 'yes' ? text(echoAt(r, m.pair.to)?.event, m.result) : (m.why ?? text(r.sim.trace.find((e) => e.kind === 'result'), m.result));
      return cell(b, m.reach, `${m.pair.label.replace(/^c1 pings /, 'c1 → ')}: ${m.short}${m.seenAs ? `; the far end saw ${m.seenAs}` : ''}`, why);
    }
    case 'macs': {
      const r = run(x.switch);
      const macs = learnedOn(r, 'sw', 'p1');
      return cell(x.switch, macs.length, `${list(macs.map((m) => (m.owner.includes(',') ? `one, shared by ${list(m.owner.split(', '))}` : m.owner)))} on p1, once ${list(r.scenario.traffic.map((a) => a.from))} had each pinged the LAN host`, text(lastLearn(r, 'sw', 'p1'), ''));
    }
    case 'ids': {
      const r = run(x.lan);
      const wire = tagsOnWire(r);
      const onCard = r.sim.trace.find((e) => e.kind === 'transmit' && e.device === 'server' && e.port === 'eth0' && isEchoRequest(e.frame));
      if (wire.tagged > 0) return cell(x.lan, wire.vlans.length, `VLANs ${wire.vlans.join(', ')} on the wire`, text(wire.tagger ?? undefined, ''));
      return cell(x.lan, null, `no segment ID, one LAN: all ${wire.frames} frames of c1's ping went untagged`, text(onCard, ''));
    }
    case 'overhead': {
      const r = run(x.lan);
      const o = overheadOf(r, 'c1');
      return cell(x.lan, o.bytes, `c1's echo request is ${o.inner} bytes as it sends it and ${o.outer} at most on any link`, o.event.text!);
    }
    case 'switch-support': {
      const r = run(x.limit1);
      const pings = r.report.actions.map((a, i) => ({ from: r.scenario.traffic[i]!.from, ok: a.outcome === 'ok' }));
      const failed = pings.filter((p) => !p.ok).map((p) => p.from);
      if (failed.length === 0) return cell(x.limit1, false, `with p1 allowed 1 MAC, ${list(pings.map((p) => p.from))} all got answers`, text(lastLearn(r, 'sw', 'p1'), ''));
      const drop = r.sim.trace.find((e) => e.kind === 'drop' && e.reason === 'port-security');
      return cell(x.limit1, true, `a port that accepts many MACs: allowed 1, p1 let ${list(pings.filter((p) => p.ok).map((p) => p.from))} through and ${list(failed)} failed`, text(drop, ''));
    }
  }
}

function vlanCell(column: SideColumnId): Computed {
  const x = vlanExperiments();
  const cell = (b: Built, value: SideCell['value'], t: string, why: string): Computed => ({ row: 'vlan', column, value, text: t, experiment: b.ref, why });
  switch (column) {
    case 'what': {
      const r = run(x.stretched);
      const reached = r.sim.trace.find((e) => e.kind === 'deliver' && e.device === 'vm2' && e.reason === 'arp-request-for-me');
      const wire = tagsOnWire(r);
      const path = [...new Set(r.sim.trace.filter((e) => e.kind === 'transmit' && e.origin === reached?.origin && r.scenario.devices.find((d) => d.id === e.device)?.kind === 'switch').map((e) => nameOf(r.scenario, e.device)))];
      if (!reached) return cell(x.stretched, 'split', `VM 1's broadcast never reached VM 2`, text(firstFailure(r), ''));
      return cell(x.stretched, 'one-domain', `VM 1's ARP broadcast reached VM 2 across ${list(path)}, tagged VLAN ${wire.vlans.join(', ')} between them`, reached.text!);
    }
    case 'addresses': {
      const r = run(x.subif);
      const sent = r.sim.trace.filter((e) => e.kind === 'transmit' && e.device === 'R' && e.frame);
      const macs = [...new Set(sent.map((e) => decodeEthernetFrame(e.frame!).source))];
      const vlans = [...new Set(sent.map((e) => readVlanTag(e.frame!)?.vid).filter((v): v is number => v !== undefined))].sort((a, b) => a - b);
      const router = r.scenario.devices.find((d) => d.id === 'R');
      const subs = router && router.kind === 'router' ? router.nics.flatMap((n) => (n.vlans ?? []).map((v) => `${n.port}.${v.vlan} ${v.ip.split('/')[0]}`)) : [];
      return cell(x.subif, `${subs.length} IP / ${macs.length} MAC`, `Each sub-interface in its own VLAN with its own IP, all sharing the card's MAC: R sent in VLANs ${vlans.join(' and ')} from ${plural(macs.length, 'MAC')} (${macs.join(', ')}) for ${list(subs)}`, text(sent.find((e) => readVlanTag(e.frame!)?.vid === vlans[vlans.length - 1]), ''));
    }
    case 'switch': {
      const r = run(x.tor);
      const learned = learnedOn(r, 'tor1', 'up');
      const tags = r.sim.trace.filter((e) => e.kind === 'transmit' && e.device === 'tor1' && e.port === 'up' && e.frame);
      const tagged = tags.filter((e) => readVlanTag(e.frame!) !== null);
      return cell(x.tor, 'tags', `ToR 1 must carry VLAN ${[...new Set(tagged.map((e) => readVlanTag(e.frame!)!.vid))].join(', ')}; ${tagged.length} of ${tags.length} frames it sent up the trunk were tagged, and it learned ${plural(learned.length, 'VM MAC')} from rack 2 there`, text(tagged[0], ''));
    }
    case 'to-host': {
      const probe = { ...x.stretched.scenario, traffic: [{ at: 0, from: 'vm1', do: 'ping', to: 'server1' } as TrafficAction] };
      const checked = validateScenario(probe);
      const server = x.stretched.scenario.devices.find((d) => d.id === 'server1');
      const enslaved = server && server.kind === 'host' ? (server.bridges ?? []).filter((b) => b.ports.includes('eth0')).map((b) => b.name) : [];
      if (!checked.ok) {
        const message = checked.errors[0]!.message;
        return cell(x.stretched, 'impossible', `here, ${message}${enslaved.length ? ` (its eth0 is a port of ${enslaved[0]})` : ''}`, message);
      }
      const r = run(experiment('vlan/vm1-host', STRETCHED, 'VLAN: VM 1 pings its host', probe));
      const ok = r.report.actions[0]!.outcome === 'ok';
      return cell(x.stretched, ok ? 'yes' : 'no', `${r.report.actions[0]!.result}`, text(ok ? echoAt(r, 'server1')?.event : firstFailure(r), ''));
    }
    case 'to-lan': {
      const r = run(x.stretched);
      const a = r.report.actions[0]!;
      const echo = echoAt(r, 'vm2');
      const ttl = echo ? ipv4Of(echo.event.frame)?.ttl : undefined;
      return cell(x.stretched, a.outcome === 'ok' ? 'yes' : 'no', a.outcome === 'ok' ? `VM 1 → VM 2 in rack 2, same VLAN: reply, TTL ${ttl}` : `${a.result}`, text(echo?.event ?? firstFailure(r), ''));
    }
    case 'macs': {
      const r = run(x.tor);
      const macs = learnedOn(r, 'tor1', TOR_PORT);
      return cell(x.tor, macs.length, `on ToR 1's port ${TOR_PORT}: ${list(macs.map((m) => m.owner))}, one MAC for each VM behind server 1-2`, text(lastLearn(r, 'tor1', TOR_PORT), ''));
    }
    case 'ids': {
      const r = run(x.maxId);
      const ok = r.report.actions[0]!.outcome === 'ok';
      const count = x.vlanIds.max - x.vlanIds.min + 1;
      const wire = tagsOnWire(r);
      return cell(
        x.maxId,
        count,
        `the editor accepts VLAN ${x.vlanIds.min}–${x.vlanIds.max.toLocaleString('en-US')} (VLAN ${x.vlanIds.max} ${ok ? 'carries this ping' : 'fails this ping'}) and refuses ${(x.vlanIds.max + 1).toLocaleString('en-US')}`,
        `${x.vlanIds.refusedAbove}; ${text(wire.tagger ?? undefined, '')}`,
      );
    }
    case 'overhead': {
      const r = run(x.stretched);
      const o = overheadOf(r, 'vm1');
      return cell(x.stretched, o.bytes, `VM 1's echo request is ${o.inner} bytes as it sends it, ${o.outer} on the trunk (the 802.1Q tag)`, o.event.text!);
    }
    case 'switch-support': {
      const r = run(x.spineOff);
      const a = r.report.actions[0]!;
      const drop = r.sim.trace.find((e) => (e.kind === 'drop' || e.kind === 'filter') && e.device === 'spine');
      if (a.outcome === 'ok') return cell(x.spineOff, false, `VM 1 reached VM 2 although the spine does not carry VLAN 100`, text(echoAt(r, 'vm2')?.event, ''));
      return cell(x.spineOff, true, `every switch on the path: with VLAN 100 off the spine's trunks, VM 1's ping fails (${a.result?.split(':')[0]})`, text(drop ?? firstFailure(r), ''));
    }
  }
}

function vxlanCell(column: SideColumnId): Computed {
  const x = vxlanExperiments();
  const cell = (b: Built, value: SideCell['value'], t: string, why: string): Computed => ({ row: 'vxlan', column, value, text: t, experiment: b.ref, why });
  /** The first encapsulation of the run: its event and the outer/inner addresses in its bytes. */
  const encap = (r: Ran) => {
    const e = r.sim.trace.find((ev) => ev.kind === 'transmit' && ev.frame && ev.port === 'eth0' && ev.device.startsWith('vtep') && isEchoRequest(innerOf(ev.frame)));
    if (!e?.frame) throw new Error(`side-by-side: ${r.ref.id} encapsulates no echo request`);
    const outer = decodeEthernetFrame(e.frame);
    const outerIp = ipv4Of(e.frame)!;
    const inner = innerOf(e.frame)!;
    return { event: e, outerMac: outer.source, outerIp: outerIp.source, outerDst: outerIp.destination, innerMac: decodeEthernetFrame(inner).source, innerIp: ipv4Of(inner)!.source, port: (outerIp.payload[2]! << 8) | outerIp.payload[3]! };
  };
  switch (column) {
    case 'what': {
      const r = run(x.tunnel);
      const e = encap(r);
      const reached = r.sim.trace.find((ev) => ev.kind === 'deliver' && ev.device === 'vm2' && ev.reason === 'echo-request');
      return cell(x.tunnel, reached ? 'tunnel' : 'unreached', `VM 1's frames crossed a routed network inside UDP ${e.outerIp} → ${e.outerDst} port ${e.port}${reached ? ' and reached VM 2' : ''}`, e.event.text!);
    }
    case 'addresses': {
      const r = run(x.tunnel);
      const e = encap(r);
      return cell(x.tunnel, 'inside', `the underlay carried VM 1's ${e.innerIp} (${e.innerMac}) inside a packet from VTEP 1's ${e.outerIp} (${e.outerMac})`, e.event.text!);
    }
    case 'switch': {
      const r = run(x.tor);
      const learned = learnedOn(r, 'tor1', 'up');
      const vmMacs = learnedOn(r, 'tor1', TOR_PORT).concat(learned).filter((m) => m.owner.startsWith('vm'));
      const sent = r.sim.trace.filter((ev) => ev.kind === 'transmit' && ev.device === 'tor1' && ev.frame);
      const tagged = sent.filter((ev) => readVlanTag(ev.frame!) !== null).length;
      return cell(x.tor, 'unaware', `ToR 1 learned ${plural(vmMacs.length, 'VM MAC')}, and ${tagged} of the ${sent.length} frames it sent were tagged; on its uplink, only the rack router (${list(learned.map((m) => m.owner))})`, text(lastLearn(r, 'tor1', TOR_PORT), ''));
    }
    case 'to-host': {
      const r = run(x.host);
      const a = r.report.actions[0]!;
      const ok = a.outcome === 'ok';
      return cell(x.host, ok ? 'yes' : 'no', `VM 1 → VTEP 1 (its host): ${a.result?.split(':')[0]}`, text(ok ? echoAt(r, 'vtep1')?.event : firstFailure(r), a.result ?? ''));
    }
    case 'to-lan': {
      const r = run(x.tunnel);
      const a = r.report.actions[0]!;
      const echo = echoAt(r, 'vm2');
      return cell(x.tunnel, a.outcome === 'ok' ? 'yes' : 'no', a.outcome === 'ok' ? `VM 1 → VM 2 behind VTEP 2, same VNI: reply, TTL ${ipv4Of(echo?.event.frame)?.ttl}` : `${a.result}`, text(echo?.event ?? firstFailure(r), ''));
    }
    case 'macs': {
      const r = run(x.tor);
      const macs = learnedOn(r, 'tor1', TOR_PORT);
      return cell(x.tor, macs.length, `on ToR 1's port ${TOR_PORT}: ${list(macs.map((m) => m.owner))}, the server; its VMs never show`, text(lastLearn(r, 'tor1', TOR_PORT), ''));
    }
    case 'ids': {
      const r = run(x.maxId);
      const ok = r.report.actions[0]!.outcome === 'ok';
      const count = x.vniIds.max - x.vniIds.min + 1;
      return cell(
        x.maxId,
        count,
        `the editor accepts VNI ${x.vniIds.min}–${x.vniIds.max.toLocaleString('en-US')} (VNI ${x.vniIds.max.toLocaleString('en-US')} ${ok ? 'carries this ping' : 'fails this ping'}) and refuses ${(x.vniIds.max + 1).toLocaleString('en-US')}`,
        `${x.vniIds.refusedAbove}; ${encap(r).event.text}`,
      );
    }
    case 'overhead': {
      const r = run(x.tunnel);
      const o = overheadOf(r, 'vm1');
      const wrap = r.sim.trace.find((ev) => ev.reason === 'vxlan-encap' && ev.origin === o.innerEvent.origin);
      return cell(x.tunnel, o.bytes, `VM 1's echo request is ${o.inner} bytes as it sends it, ${o.outer} on the underlay`, text(wrap, o.event.text!));
    }
    case 'switch-support': {
      const r = run(x.tor);
      const tor = r.scenario.devices.find((d) => d.id === 'tor1');
      const configured = tor && tor.kind === 'switch' ? tor.ports.filter((p) => p.vlan !== undefined || p.vlans !== undefined || (p.mode !== undefined && p.mode !== 'access')).length : 0;
      const delivered = r.report.actions.filter((a) => a.delivered).length;
      return cell(
        x.tor,
        configured > 0,
        configured > 0 ? `${configured} of ToR 1's ports are configured` : `ToR 1's ports have no VLAN or other setting, and ${delivered} of ${r.report.actions.length} frames between VMs arrived`,
        text(r.sim.trace.find((ev) => ev.kind === 'forward' && ev.device === 'tor1'), ''),
      );
    }
  }
}

/** The inner frame of a VXLAN packet (IPv4, UDP to a VXLAN port, 8-byte header), or undefined. */
function innerOf(frame: Uint8Array): Uint8Array | undefined {
  const ip = ipv4Of(frame);
  if (!ip || ip.protocol !== 17) return undefined;
  const dport = (ip.payload[2]! << 8) | ip.payload[3]!;
  if (dport !== 8472 && dport !== 4789) return undefined;
  return ip.payload.subarray(16);
}

/** Words for the values of the columns whose value is a kind, not a number or a yes/no. */
const KINDS: Record<string, string> = {
  'behind-host': 'Behind its host',
  'own-mac': 'On the LAN, own MAC',
  'shared-mac': 'On the LAN, the card’s MAC',
  routed: 'Routed by its host',
  'one-domain': 'A broadcast domain',
  tunnel: 'A LAN inside UDP',
  inside: 'Hidden inside the tunnel',
  'one-machine': 'One MAC',
  'many-machines': 'One MAC per container',
  tags: 'VLAN tags',
  unaware: 'Only UDP',
  yes: '✓ Yes',
  no: '✗ No',
  impossible: 'Impossible',
};

/** A cell's value in a word or two. */
export function answerOf(column: SideColumnId, value: SideCell['value']): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return column === 'overhead' ? `${value} bytes` : value.toLocaleString('en-US');
  if (column === 'addresses') {
    const m = /^(\d+) IP \/ (\d+) MAC$/.exec(value);
    if (m) return `${m[1]} IP${m[1] === '1' ? '' : 's'}, ${m[2]} MAC${m[2] === '1' ? '' : 's'}`;
  }
  return KINDS[value] ?? value;
}

const cells = new Map<string, SideCell>();
/** Each cell's experiment by its id (side-by-side/<row>/<column>). */
const cellExperiments = new Map<string, Scenario>();

/** One cell, computed from its experiment (cached). */
export function sideBySideCell(row: SideRowId, column: SideColumnId): SideCell {
  const key = `${row}/${column}`;
  const cached = cells.get(key);
  if (cached) return cached;
  const computed = row === 'vlan' ? vlanCell(column) : row === 'vxlan' ? vxlanCell(column) : containerCell(row, column);
  // Each cell plays an experiment of its own id, titled by its question (several cells may run the
  // same scenario: the same run answers them all), so that the chosen cell alone is marked pressed.
  const base = built.get(computed.experiment.id)!;
  const id = `side-by-side/${row}/${column}`;
  const rowName = SIDE_ROWS.find((r) => r.id === row)!.name;
  const heading = SIDE_COLUMNS.find((c) => c.id === column)!.heading;
  // The chapter scenario's description, when the experiment still sends what it describes; else its title.
  const chapter = scenarios[base.ref.from];
  const same = chapter !== undefined && JSON.stringify(chapter.traffic) === JSON.stringify(base.scenario.traffic);
  const about = same ? (base.scenario.description ?? '') : chapter ? `Made from “${chapter.title}” with this traffic.` : '';
  const description = `${base.ref.send.replace(/^[^:]*: /, '').replace(/^./, (ch) => ch.toUpperCase())}. ${about}`.trim();
  cellExperiments.set(id, { ...base.scenario, id, title: `${rowName} · ${heading}`, description });
  const c: SideCell = { ...computed, experiment: { ...computed.experiment, id }, answer: answerOf(column, computed.value) };
  cells.set(key, c);
  return c;
}

/** The whole table, row by row, columns in SIDE_COLUMNS order. */
export function sideBySideTable(): SideCell[][] {
  return SIDE_ROWS.map((row) => SIDE_COLUMNS.map((column) => sideBySideCell(row.id, column.id)));
}

/** Every cell's experiment by id: what the page's JSON endpoint serves and its player loads when a cell is chosen. */
export function sideBySideExperiments(): Record<string, Scenario> {
  sideBySideTable();
  return Object.fromEntries(cellExperiments);
}

/** The scenario of one cell's experiment, by its id. */
export function sideBySideExperiment(id: string): Scenario {
  sideBySideTable();
  const s = cellExperiments.get(id);
  if (!s) throw new Error(`side-by-side: no experiment ${id}`);
  return s;
}
