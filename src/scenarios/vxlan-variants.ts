// Chapter "VLAN vs VXLAN": the variants of its own scenarios that the reader switches between in a
// player (ScenarioPlayer's `chooser`), each one change to a chapter scenario, as a reader would make
// it with `ip link` or `bridge fdb`:
//
// - the control plane (experiment 4): learning on or off (`nolearning`) × a flood list (the
//   all-zeros entry) or static entries for the remote VM (what a control plane installs), on
//   static-fdb (learning off, static entries: the chapter's own);
// - the port: two-vteps with vtep2 created with `dstport 4789` and vtep1 left at Linux's default
//   8472, and both on 4789;
// - the MTU blackhole (mtu) and its two fixes: the underlay raised to 1550, or the VMs' MTU
//   lowered to vxlan0's 1450.
//
// The page's choice buttons (VxlanChoices.astro), the JSON its players fetch on the first choice
// (src/pages/experiments/vlan-vs-vxlan.json.ts) and the chapter's tests
// (tests/chapters/vlan-vs-vxlan-controls.test.ts) all build the variants here.

import { Simulation } from '../sim/engine/simulation';
import { buildReport, type ScenarioReport } from '../sim/report';
import type { DeviceSpec, Scenario } from '../sim/scenario/format';
import { validateScenario } from '../sim/scenario/validate';
import { scenario as chapterScenario } from './index';

export type VariantGroup = 'control' | 'port' | 'mtu';

export interface VxlanVariant {
  /** The experiment's id (a scenario id: what the player shows, and what edits are saved under). */
  readonly id: string;
  readonly group: VariantGroup;
  /** The button's label. */
  readonly label: string;
  /** The chapter scenario it changes. */
  readonly base: string;
  /** The scenario's title, shown by the player ("Showing: …"). */
  readonly title: string;
  readonly description: string;
  /** The change, made on a copy of the base scenario. */
  readonly change: (s: Scenario) => void;
}

const VM1 = '02:00:00:00:0a:01';
const VM2 = '02:00:00:00:0a:02';
const ZERO = '00:00:00:00:00:00';

type Namespace = Extract<DeviceSpec, { kind: 'host' | 'router' }>;

function ns(s: Scenario, id: string): Namespace {
  const device = s.devices.find((d) => d.id === id);
  if (device?.kind !== 'host' && device?.kind !== 'router') throw new Error(`${s.id} has no namespace ${id}`);
  return device;
}

function vxlan0(s: Scenario, id: string) {
  const vx = ns(s, id).vxlans?.[0];
  if (!vx) throw new Error(`${id} of ${s.id} has no VXLAN device`);
  return vx;
}

/** Each VTEP's learning and FDB: a flood list (the other VTEP) or a static entry for the other VM. */
function controlPlane(learning: boolean, entries: 'flood' | 'static') {
  return (s: Scenario) => {
    for (const [vtep, remoteVm, remote] of [
      ['vtep1', VM2, '192.168.2.1'],
      ['vtep2', VM1, '192.168.1.1'],
    ] as const) {
      const vx = vxlan0(s, vtep);
      if (learning) delete vx.learning;
      else vx.learning = false;
      vx.fdb = [{ mac: entries === 'flood' ? ZERO : remoteVm, dst: remote }];
    }
  };
}

function setMtu(s: Scenario, device: string, port: string, mtu: number) {
  const nic = ns(s, device).nics.find((n) => n.port === port);
  if (!nic) throw new Error(`${device}:${port} is not a NIC of ${s.id}`);
  nic.mtu = mtu;
}

const CONTROL_TRAFFIC = 'VM 1 asks for VM 2 by ARP (a broadcast), then sends VM 2 a unicast frame.';

export const VXLAN_VARIANTS: readonly VxlanVariant[] = [
  {
    id: 'vlan-vs-vxlan/control/learn-flood',
    group: 'control',
    label: 'Learning on, flood list',
    base: 'vlan-vs-vxlan/static-fdb',
    title: 'Flood and learn: learning on, a flood list',
    description: `Each VTEP learns (Linux's default) and has the other VTEP on its flood list (bridge fdb append 00:00:00:00:00:00 … dst …), no static entry. ${CONTROL_TRAFFIC} The ARP request is flooded to the other VTEP, which learns VM 1 from it; the reply and the unicast go by learned entries.`,
    change: controlPlane(true, 'flood'),
  },
  {
    id: 'vlan-vs-vxlan/control/nolearn-flood',
    group: 'control',
    label: 'Learning off, flood list',
    base: 'vlan-vs-vxlan/static-fdb',
    title: 'Learning off, a flood list: every frame floods',
    description: `Each VTEP has learning off (nolearning) and the other VTEP on its flood list, no static entry. ${CONTROL_TRAFFIC} Everything arrives, but nothing is ever learned: every frame, the reply and the unicast too, is copied to the whole flood list.`,
    change: controlPlane(false, 'flood'),
  },
  {
    id: 'vlan-vs-vxlan/control/learn-static',
    group: 'control',
    label: 'Learning on, static entries',
    base: 'vlan-vs-vxlan/static-fdb',
    title: 'Learning on, static entries, no flood list',
    description: `Each VTEP learns and has a static entry for the other VM's MAC, no flood list. ${CONTROL_TRAFFIC} The ARP request has nowhere to go and is dropped at vxlan0; the unicast crosses by the static entry, and learning changes nothing (a static entry is never replaced by a learned one).`,
    change: controlPlane(true, 'static'),
  },
  {
    id: 'vlan-vs-vxlan/static-fdb',
    group: 'control',
    label: 'Learning off, static entries',
    base: 'vlan-vs-vxlan/static-fdb',
    title: 'A control plane instead of flooding',
    description: '',
    change: () => {},
  },
  {
    id: 'vlan-vs-vxlan/port/mismatch',
    group: 'port',
    label: 'VTEP 1 on 8472, VTEP 2 on 4789',
    base: 'vlan-vs-vxlan/two-vteps',
    title: 'Port mismatch: VTEP 1 on 8472 (Linux default), VTEP 2 on 4789',
    description:
      "The two-VTEP experiment with VTEP 2 created with dstport 4789 and VTEP 1 left at Linux's default, 8472. Each sends to the port it uses and listens on it: VM 1's ARP request reaches VTEP 2's stack on UDP port 8472, where nothing listens, and VTEP 2 answers VTEP 1 with ICMP port unreachable. VM 1 hears nothing.",
    change: (s) => {
      vxlan0(s, 'vtep2').dstport = 4789;
    },
  },
  {
    id: 'vlan-vs-vxlan/port/both-4789',
    group: 'port',
    label: 'Both on 4789',
    base: 'vlan-vs-vxlan/two-vteps',
    title: 'Both VTEPs on 4789',
    description: 'The two-VTEP experiment with both VTEPs created with dstport 4789, the IANA port: the pings cross as they do on 8472.',
    change: (s) => {
      vxlan0(s, 'vtep1').dstport = 4789;
      vxlan0(s, 'vtep2').dstport = 4789;
    },
  },
  {
    id: 'vlan-vs-vxlan/mtu',
    group: 'mtu',
    label: 'The blackhole: VMs 1500, vxlan0 1450',
    base: 'vlan-vs-vxlan/mtu',
    title: '',
    description: '',
    change: () => {},
  },
  {
    id: 'vlan-vs-vxlan/mtu/underlay-1550',
    group: 'mtu',
    label: 'Fix 1: underlay MTU 1550',
    base: 'vlan-vs-vxlan/mtu',
    title: 'Fix 1: the underlay at MTU 1550, vxlan0 at 1500',
    description:
      "The MTU experiment with the underlay raised to 1550 (both VTEPs' eth0 and the router's interfaces: ip link set eth0 mtu 1550), so vxlan0 gets 1550 − 50 = 1500. The VMs keep 1500: the big ping's 1,514-byte frame fits vxlan0, becomes a 1,550-byte outer packet, and crosses whole.",
    change: (s) => {
      for (const [device, port] of [
        ['vtep1', 'eth0'],
        ['vtep2', 'eth0'],
        ['spine', 'eth0'],
        ['spine', 'eth1'],
      ] as const)
        setMtu(s, device, port, 1550);
    },
  },
  {
    id: 'vlan-vs-vxlan/mtu/inner-1450',
    group: 'mtu',
    label: 'Fix 2: VMs at MTU 1450',
    base: 'vlan-vs-vxlan/mtu',
    title: 'Fix 2: the VMs at MTU 1450, as vxlan0',
    description:
      "The MTU experiment with the VMs' interfaces (and their veth peers) lowered to vxlan0's 1450 (ip link set eth0 mtu 1450), the underlay left at 1500. VM 1 itself splits the big ping into two fragments that fit, each crosses the tunnel, and VM 2 puts them back together.",
    change: (s) => {
      for (const [device, port] of [
        ['vm1', 'eth0'],
        ['vm2', 'eth0'],
        ['vtep1', 'veth1'],
        ['vtep2', 'veth1'],
      ] as const)
        setMtu(s, device, port, 1450);
    },
  },
];

/** A variant's scenario: its base with its change made (the base itself for the chapter's own). */
export function variantScenario(variant: VxlanVariant): Scenario {
  const base = chapterScenario(variant.base);
  if (variant.id === variant.base) return base;
  const s = structuredClone(base);
  variant.change(s);
  s.id = variant.id;
  s.title = variant.title;
  s.description = variant.description;
  const checked = validateScenario(s);
  if (!checked.ok) throw new Error(`${variant.id}: ${checked.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return checked.scenario;
}

export function variant(id: string): VxlanVariant {
  const found = VXLAN_VARIANTS.find((v) => v.id === id);
  if (!found) throw new Error(`no VXLAN variant ${id}`);
  return found;
}

/** Every variant by id, for the JSON the players fetch. */
export function variantExperiments(): Record<string, Scenario> {
  return Object.fromEntries(VXLAN_VARIANTS.map((v) => [v.id, variantScenario(v)]));
}

const runs = new Map<string, { sim: Simulation; report: ScenarioReport }>();

/** A variant run headless (cached): the page's outcome lines and the tests read it. */
export function runVariant(id: string): { sim: Simulation; report: ScenarioReport } {
  let run = runs.get(id);
  if (!run) {
    const sim = new Simulation(variantScenario(variant(id)), { history: false });
    sim.run();
    run = { sim, report: buildReport(sim) };
    runs.set(id, run);
  }
  return run;
}

/** What a variant's run shows, counted from its trace: the figures its button states. */
export interface VariantFacts {
  /** Actions answered (ping, ARP) or delivered (a raw frame), of all. */
  answered: number;
  actions: number;
  /** Frames the VXLAN devices copied to their flood list (vxlan-flood). */
  floods: number;
  /** Entries the VXLAN devices learned (vxlan-fdb-learn). */
  learned: number;
  /** Frames a VXLAN device dropped for want of any remote (vxlan-no-remote). */
  noRemote: number;
  /** Datagrams a VTEP's stack answered with ICMP port unreachable. */
  portUnreachable: number;
  /** Frames a bridge dropped as too big for the port it leaves by (frame-too-big). */
  tooBig: number;
  /** IP packets a VM reassembled from fragments. */
  reassembled: number;
  /** The biggest outer IPv4 packet a VTEP put on the underlay (bytes). */
  biggestOuter: number;
}

export function variantFacts(id: string): VariantFacts {
  const { sim, report } = runVariant(id);
  const count = (reason: string, devices?: readonly string[]) => sim.trace.filter((e) => e.reason === reason && (devices === undefined || devices.includes(e.device))).length;
  let biggestOuter = 0;
  for (const e of sim.trace) {
    // A VTEP's transmit on eth0 of an IPv4/UDP frame: the outer packet's length from its IPv4 header.
    if (e.kind !== 'transmit' || !e.device.startsWith('vtep') || e.port !== 'eth0' || e.frame === undefined) continue;
    const f = e.frame;
    if (f[12] === 0x08 && f[13] === 0x00 && f[23] === 17) biggestOuter = Math.max(biggestOuter, (f[16]! << 8) | f[17]!);
  }
  return {
    answered: report.actions.filter((a) => a.outcome === 'ok' && a.delivered).length,
    actions: report.actions.length,
    floods: count('vxlan-flood'),
    learned: count('vxlan-fdb-learn'),
    noRemote: count('vxlan-no-remote'),
    portUnreachable: count('udp-port-unreachable', ['vtep1', 'vtep2']),
    tooBig: count('frame-too-big'),
    reassembled: count('ip-reassembled', ['vm1', 'vm2']),
    biggestOuter,
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The one line under a variant's button: what its run showed, from variantFacts. */
export function variantOutcome(id: string): string {
  const v = variant(id);
  const f = variantFacts(id);
  switch (v.group) {
    case 'control':
      return `${plural(f.floods, 'frame')} flooded, ${plural(f.learned, 'entry', 'entries')} learned${f.noRemote ? `, ${plural(f.noRemote, 'ARP request')} dropped` : ''}`;
    case 'port':
      return f.answered === f.actions ? `${f.answered} of ${f.actions} pings answered` : `${f.answered} of ${f.actions} pings answered; ${plural(f.portUnreachable, 'ICMP error')} (port unreachable) to VTEP 1`;
    case 'mtu':
      return f.tooBig ? `big ping lost: ${plural(f.tooBig, 'frame')} too big for vxlan0` : f.reassembled ? `big ping answered, in fragments` : `big ping answered, outer packet ${f.biggestOuter} bytes`;
  }
}
