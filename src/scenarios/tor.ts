// "What the top-of-rack switch must learn" (chapter "VLAN vs VXLAN"): R racks, each with a ToR switch
// and TOR_SERVERS_PER_RACK servers whose VMs (namespaces of the server's node, on veth pairs into
// the server's br0) are V per rack; the ToRs hang off one spine switch. One VM in rack 1, T (a
// load balancer, a monitoring server), hears from every other VM and answers each one: the worst
// case for rack 1's ToR, whose MAC table this counts.
//
// - Stretched VLAN: br0 bridges the VMs onto the server's eth0, the ToRs' server ports are access
//   ports of VLAN 100 and the uplinks trunks carrying it, so every VM's MAC crosses the fabric and
//   rack 1's ToR learns all of them.
// - VXLAN: br0 bridges the VMs onto vxlan0 (VNI 42), the server's eth0 is a VTEP on a routed
//   underlay: rack r is 192.168.r.0/24 behind its router (the ToR switches the rack's LAN, the
//   routers meet on the spine), so the ToR sees only its servers' and its router's MACs.
//
// Every number comes from running the scenario through the core and reading its tables and trace,
// never from a formula. The ToRs get `fdbMaxLearned` = the reader's limit: past it, rack 1's ToR
// learns no more MACs and floods the frames to those it could not learn (unknown unicast).

import { buildState, processNext, type TraceSink } from '../sim/engine/engine';
import { SCENARIO_FORMAT, type DeviceSpec, type LinkSpec, type Scenario, type TrafficAction } from '../sim/scenario/format';
import { macTable } from '../sim/tables';
import { readSourceMac } from '../sim/wire/ethernet';
import { macFromBytes } from '../sim/wire/mac-address';
import { TOR_MAX_LIMIT, TOR_MAX_RACKS, TOR_MAX_VMS, TOR_MIN_LIMIT, TOR_MIN_RACKS, TOR_MIN_VMS, TOR_SERVERS_PER_RACK } from './tor-limits';

export * from './tor-limits';

export type TorDesign = 'vlan' | 'vxlan';

export interface TorRun {
  design: TorDesign;
  racks: number;
  vmsPerRack: number;
  limit: number;
  /** Entries rack 1's ToR learned (its MAC table at the end), and how many of them are VM MACs. */
  learned: number;
  learnedVmMacs: number;
  /** Distinct source MACs rack 1's ToR saw: what it would have to hold without a limit. */
  sourcesSeen: number;
  /** How many of them are VM MACs, learned or refused (what a refused MAC is depends on the design: a VTEP's, in VXLAN). */
  vmMacsSeen: number;
  /** Distinct MACs it refused to learn (fdb-full). */
  refused: number;
  /** Frames rack 1's ToR flooded because their destination was not in its table (fdb-miss), and the copies it sent for them. */
  unknownUnicastFloods: number;
  floodCopies: number;
  /** Frames VMs received that were addressed to another VM's MAC (the flooding reaching them). */
  vmsBotheredFrames: number;
  /** Frames put on cables and veths in all. */
  framesOnWires: number;
  steps: number;
}

/**
 * A locally administered unicast MAC: 02:<kind>:00:<24-bit index>. Written by macFromBytes, as one
 * flat string: a template of six parts made a tree of joined strings, which V8 copies flat again
 * when the MAC is first hashed or compared, and kept beside it (four MACs a VM).
 */
function mac(kind: number, i: number): string {
  // Written into one scratch array, not a new one per MAC (four a VM).
  MAC_BYTES[1] = kind;
  MAC_BYTES[3] = i >> 16;
  MAC_BYTES[4] = i >> 8;
  MAC_BYTES[5] = i;
  return macFromBytes(MAC_BYTES);
}
const MAC_BYTES = Uint8Array.of(0x02, 0, 0, 0, 0, 0);
const VM_MAC = 0x00;
const SERVER_MAC = 0x01;
const BR_MAC = 0x02;
const VETH_MAC = 0x03;
const VXLAN_MAC = 0x04;
const ROUTER_MAC = 0x05;

/** VM i (0-based, rack-major) is 10.<hi>.<lo>/16 inside 10.0.0.0/8 overlay numbering: 10.(i+1 >> 16).(…) */
function vmIp(i: number): string {
  const n = i + 1;
  return `10.${(n >> 16) & 0xff}.${(n >> 8) & 0xff}.${n & 0xff}`;
}
function serverIp(r: number, k: number): string {
  return `192.168.${r}.${k + 1}`;
}

export function checkTorValues(racks: number, vmsPerRack: number, limit: number): void {
  if (!Number.isInteger(racks) || racks < TOR_MIN_RACKS || racks > TOR_MAX_RACKS) throw new RangeError(`racks must be a whole number from ${TOR_MIN_RACKS} to ${TOR_MAX_RACKS}`);
  if (!Number.isInteger(vmsPerRack) || vmsPerRack < TOR_MIN_VMS || vmsPerRack > TOR_MAX_VMS) throw new RangeError(`VMs per rack must be a whole number from ${TOR_MIN_VMS} to ${TOR_MAX_VMS}`);
  if (!Number.isInteger(limit) || limit < TOR_MIN_LIMIT || limit > TOR_MAX_LIMIT) throw new RangeError(`the table limit must be a whole number from ${TOR_MIN_LIMIT} to ${TOR_MAX_LIMIT}`);
}

/**
 * VMs that send T their frame in the same millisecond (and answers T sends in one). Not all at once:
 * at 100 × 100 with the page's limit, T's 9,999 answers sent together, flooded past the limit,
 * had 743,175 frames and actions queued at once in the stretched VLAN (29,898 at this pace, of
 * which 19,999 are actions not yet due), each a queue item made new rather than reused and kept
 * long enough to leave the young generation; the run took 20% longer in Node and 10% longer in
 * Chromium. Spreading them changes no count and no step: every frame still crosses the same
 * cables, and T still answers only once every VM's frame has reached it. A fabric of up to 31 VMs
 * (the side by side chapter's, the tests') sends as before, all at 100 ms.
 */
export const TOR_SENDS_PER_MS = 32;

/** The ids the experiment uses: T is vm1-1 (rack 1's first VM), rack 1's ToR is tor1. */
export const TOR_TALKER = 'vm1-1';
export const TOR_WATCHED = 'tor1';
export const TOR_VNI = 42;

/** The scenario of one design: every device, link and the traffic (T's announcement, every VM's frame to T, T's answer to each). */
export function torScenario(design: TorDesign, racks: number, vmsPerRack: number, limit: number): Scenario {
  checkTorValues(racks, vmsPerRack, limit);
  const devices: DeviceSpec[] = [];
  const links: LinkSpec[] = [];
  const spinePorts: { port: string; mode: 'trunk' | 'access'; vlans?: number[] }[] = [];
  const servers = Math.min(TOR_SERVERS_PER_RACK, vmsPerRack);
  const vms: { id: string; mac: string }[] = [];
  const vtepIps: string[] = [];
  let vmIndex = 0;
  // Every rack router's routes name the same subnets and next hops: one string each, shared.
  const rackSubnets: string[] = [];
  const rackTransit: string[] = [];
  if (design === 'vxlan') {
    for (let q = 1; q <= racks; q++) {
      rackSubnets[q] = `192.168.${q}.0/24`;
      rackTransit[q] = `172.16.0.${q}`;
    }
  }
  for (let r = 1; r <= racks; r++) {
    const tor = `tor${r}`;
    const torPorts: DeviceSpec & { kind: 'switch' } = { id: tor, kind: 'switch', label: `ToR ${r}`, ports: [], fdbMaxLearned: limit };
    for (let k = 0; k < servers; k++) {
      const server = `s${r}-${k + 1}`;
      const serverNumber = (r - 1) * TOR_SERVERS_PER_RACK + k;
      const nics: { port: string; mac: string; ip?: string }[] = [{ port: 'eth0', mac: mac(SERVER_MAC, serverNumber) }];
      const vethPorts: string[] = [];
      // The rack's VMs dealt out to its servers in turn: server k gets VMs k, k + servers, …
      for (let j = k; j < vmsPerRack; j += servers) {
        const i = vmIndex++;
        const vm = `vm${r}-${j + 1}`;
        const port = `veth${j + 1}`;
        nics.push({ port, mac: mac(VETH_MAC, i) });
        vethPorts.push(port);
        const vmMac = mac(VM_MAC, i);
        devices.push({ id: vm, kind: 'host', node: server, nics: [{ port: 'eth0', mac: vmMac, ip: `${vmIp(i)}/8` }] });
        links.push({ a: `${vm}:eth0`, b: `${server}:${port}`, type: 'veth' });
        vms.push({ id: vm, mac: vmMac });
      }
      if (design === 'vlan') {
        devices.push({ id: server, kind: 'host', node: server, nics, bridges: [{ name: 'br0', mac: mac(BR_MAC, serverNumber), ports: ['eth0', ...vethPorts] }] });
      } else {
        const ip = serverIp(r, k);
        vtepIps.push(ip);
        nics[0]!.ip = `${ip}/24`;
        const vxlan = { name: 'vxlan0', mac: mac(VXLAN_MAC, serverNumber), vni: TOR_VNI, local: ip, dev: 'eth0', dstport: 4789, fdb: [] as { mac: string; dst: string }[] };
        devices.push({ id: server, kind: 'host', node: server, nics, bridges: [{ name: 'br0', mac: mac(BR_MAC, serverNumber), ports: [...vethPorts, 'vxlan0'] }], vxlans: [vxlan], gateway: `192.168.${r}.254` });
      }
      torPorts.ports.push(design === 'vlan' ? { port: `p${k + 1}`, vlan: 100 } : { port: `p${k + 1}` });
      links.push({ a: `${server}:eth0`, b: `${tor}:p${k + 1}` });
    }
    devices.push(torPorts);
    if (design === 'vlan') {
      torPorts.ports.push({ port: 'up', mode: 'trunk', vlans: [100] });
      spinePorts.push({ port: `t${r}`, mode: 'trunk', vlans: [100] });
      links.push({ a: `${tor}:up`, b: `spine:t${r}` });
    } else {
      // A routed underlay: the rack's subnet ends at its router, which reaches the other racks'
      // subnets through the spine (a transit LAN, 172.16.0.0/16), one static route per rack.
      const router = `rr${r}`;
      torPorts.ports.push({ port: 'up' });
      spinePorts.push({ port: `t${r}`, mode: 'access' });
      const routes = [];
      for (let q = 1; q <= racks; q++) if (q !== r) routes.push({ to: rackSubnets[q]!, via: rackTransit[q]! });
      devices.push({
        id: router,
        kind: 'router',
        label: `Rack ${r} router`,
        nics: [
          { port: 'eth0', mac: mac(ROUTER_MAC, 2 * r), ip: `192.168.${r}.254/24` },
          { port: 'eth1', mac: mac(ROUTER_MAC, 2 * r + 1), ip: `172.16.0.${r}/16` },
        ],
        routes,
      });
      links.push({ a: `${tor}:up`, b: `${router}:eth0` });
      links.push({ a: `${router}:eth1`, b: `spine:t${r}` });
    }
  }
  devices.push({ id: 'spine', kind: 'switch', label: 'Spine', ports: spinePorts });
  if (design === 'vxlan') {
    // Rack 1's first server (T's) floods T's announcement to every other VTEP (head-end replication):
    // its all-zeros entries, as `bridge fdb append 00:00:00:00:00:00 dev vxlan0 dst …` installs them.
    const first = devices.find((d) => d.id === 's1-1');
    if (first?.kind === 'host') for (const ip of vtepIps.slice(1)) first.vxlans![0]!.fdb!.push({ mac: '00:00:00:00:00:00', dst: ip });
  }
  // T announces itself (a broadcast, as a gratuitous ARP would), every other VM sends T a frame, T
  // answers each: TOR_SENDS_PER_MS VMs a millisecond from 100 ms, then T's answers at that pace,
  // in the same order, from 100 ms after the last VM's frame (long after it arrived).
  const traffic: TrafficAction[] = [{ at: 0, from: TOR_TALKER, do: 'raw', to: 'broadcast', payload: 'hello' }];
  const paced = (v: number) => Math.floor(v / TOR_SENDS_PER_MS);
  for (let v = 1; v < vms.length; v++) traffic.push({ at: 100 + paced(v), from: vms[v]!.id, do: 'raw', to: TOR_TALKER, payload: 'to T' });
  const answers = 200 + paced(vms.length);
  for (let v = 1; v < vms.length; v++) traffic.push({ at: answers + paced(v), from: TOR_TALKER, do: 'raw', to: vms[v]!.mac, payload: 'from T' });
  return { format: SCENARIO_FORMAT, id: `tor-${design}`, title: design === 'vlan' ? 'A VLAN stretched over every rack' : 'VXLAN between the servers', devices, links, traffic };
}

/** The last three bytes of a MAC ("02:00:00:01:23:45" → 0x012345), read off its hex digits in place. */
function lowBytesOf(m: string): number {
  let n = 0;
  for (let at = 9; at < 17; at += 3) n = (n << 8) | (Number.parseInt(m[at]!, 16) << 4) | Number.parseInt(m[at + 1]!, 16);
  return n;
}

function isVmMac(m: string): boolean {
  return m.startsWith('02:00:00:');
}

/**
 * Steps a run may take at most, a guard against a run that would never end: a run that takes more
 * throws. The most the control allows takes 2,477,995 (the stretched VLAN at 100 racks × 100 VMs
 * with a table limit of 1: every ToR floods nearly every answer, most of them to 75 VMs in rack 1
 * and 75 in the VM's own rack, and an answer to a VM of rack 1, whose frames never crossed the
 * spine, to every rack); the page's limit of 200 takes 912,523, VXLAN about 204,000.
 */
export const TOR_STEP_BUDGET = 4_000_000;

/**
 * Runs one design and counts what rack 1's ToR learned, refused and flooded. The run keeps neither
 * history nor a trace: a sink counts each event as the engine emits it (the engine's own loop, as
 * Simulation.run drives it), and the ToR's table is read from the final state.
 */
export function measureTor(design: TorDesign, racks: number, vmsPerRack: number, limit: number): TorRun {
  return startTor(design, racks, vmsPerRack, limit).advance(Number.POSITIVE_INFINITY)!;
}

/** A run of one design that goes on a slice at a time (tor-worker.ts, between which it reads newer requests). */
export interface TorRunner {
  /** Runs up to `steps` more simulation steps: the counts once the run is over, undefined while steps are left. */
  advance(steps: number): TorRun | undefined;
  /** The simulation steps run so far. */
  readonly steps: number;
}

/** measureTor, to be run a slice at a time: builds the scenario and its state now, runs nothing yet. */
export function startTor(design: TorDesign, racks: number, vmsPerRack: number, limit: number): TorRunner {
  const scenario = torScenario(design, racks, vmsPerRack, limit);
  // Each VM's MAC, 02:00:00:<24-bit index>, by its last three bytes as a number, by the VM's slot
  // (its place in the scenario's devices, which RawEvent.slot gives): compared with a frame's in
  // place, without looking up the event's device by name (-1: not a VM).
  const devices = scenario.devices;
  const vmMacs = new Int32Array(devices.length).fill(-1);
  const names = new Map<string, string>();
  let watched = -1;
  for (let i = 0; i < devices.length; i++) {
    const d = devices[i]!;
    names.set(d.id, d.label ?? d.id);
    if (d.kind === 'host' && d.id.startsWith('vm')) vmMacs[i] = lowBytesOf(d.nics[0]!.mac);
    if (d.id === TOR_WATCHED) watched = i;
  }
  const refused = new Set<string>();
  const floods = new Set<number>();
  const counts = { unknownUnicastFloods: 0, floodCopies: 0, vmsBotheredFrames: 0, framesOnWires: 0 };
  // The frame rack 1's ToR is handling: the MAC an fdb-full in the same step refuses is its source
  // (br_fdb_update learns the source of each frame the switch receives).
  let handling: Uint8Array | undefined = undefined;
  const sink: TraceSink = {
    // It reads no sentence (the refused MAC is read off the frame, not out of fdb-full's sentence,
    // which then is not written, nor kept: 9,776 of them at 100 × 100), and no device builds an
    // event's args or ports for it.
    sentences: false,
    details: false,
    record(event) {
      // A device's own events carry its slot; an event about another device (an action's result) has -1.
      const slot = event.slot;
      const isWatched = slot >= 0 ? slot === watched : event.device === TOR_WATCHED;
      if (event.kind === 'transmit') {
        counts.framesOnWires += 1;
        if (isWatched && event.cause !== undefined && floods.has(event.cause)) counts.floodCopies += 1;
        return;
      }
      if (isWatched) {
        if (event.kind === 'receive') handling = event.frame;
        else if (event.reason === 'fdb-full') {
          if (handling !== undefined) refused.add(readSourceMac(handling));
        } else if (event.reason === 'fdb-miss') {
          counts.unknownUnicastFloods += 1;
          floods.add(event.index);
        }
        return;
      }
      if (event.kind !== 'receive' || event.frame === undefined || slot < 0) return;
      const own = vmMacs[slot]!;
      if (own < 0) return;
      const f = event.frame;
      // A VM's frame (02:00:00:…) addressed to another VM: flooding brought it here.
      if (f[0] === 0x02 && f[1] === 0 && f[2] === 0 && ((f[3]! << 16) | (f[4]! << 8) | f[5]!) !== own) counts.vmsBotheredFrames += 1;
    },
  };
  const state = buildState(scenario);
  // Nothing will share this run's queue items (no snapshots): handled arrivals are reused, as Simulation does without history.
  Object.defineProperty(state, 'spareArrivals', { value: [], writable: true, enumerable: false, configurable: true });
  let steps = 0;
  let result: TorRun | undefined;
  const finish = (): TorRun => {
    const table = (macTable(state, TOR_WATCHED) ?? []).filter((row) => !row.permanent);
    const sources = new Set<string>([...table.map((row) => row.mac), ...refused]);
    return {
      design,
      racks,
      vmsPerRack,
      limit,
      learned: table.length,
      learnedVmMacs: table.filter((row) => isVmMac(row.mac)).length,
      sourcesSeen: sources.size,
      vmMacsSeen: [...sources].filter(isVmMac).length,
      refused: refused.size,
      ...counts,
      steps,
    };
  };
  return {
    get steps() {
      return steps;
    },
    advance(more) {
      if (result !== undefined) return result;
      const stop = Math.min(TOR_STEP_BUDGET, steps + more);
      let busy = true;
      while (steps < stop && (busy = processNext(state, sink, names))) steps += 1;
      if (steps >= TOR_STEP_BUDGET) throw new Error(`the ToR experiment took more than ${TOR_STEP_BUDGET} steps`);
      if (busy) return undefined;
      return (result = finish());
    },
  };
}

/** Both designs for the same racks, VMs and limit. */
export function measureTorBoth(racks: number, vmsPerRack: number, limit: number): { vlan: TorRun; vxlan: TorRun } {
  return { vlan: measureTor('vlan', racks, vmsPerRack, limit), vxlan: measureTor('vxlan', racks, vmsPerRack, limit) };
}
