// Runs chapter scenarios to the end and extracts the facts the prose states, so that a chapter's
// tables are computed by the core (at build time) and the unit tests assert the very same facts.

import { Simulation } from '../sim/engine/simulation';
import { buildReport, type ScenarioReport } from '../sim/report';
import { scenario } from './index';
import { ARP_REQUEST, decodeArpPacket, type ArpPacket } from '../sim/wire/arp';
import { decodeEthernetFrame, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from '../sim/wire/ethernet';
import { decodeIpv4Packet, type DecodedIpv4Packet } from '../sim/wire/ipv4';

export interface Experiment {
  sim: Simulation;
  report: ScenarioReport;
}

const cache = new Map<string, Experiment>();

/** The chapter scenario `id`, run to quiescence (or to its halt). Cached: scenarios are deterministic. */
export function runExperiment(id: string): Experiment {
  let experiment = cache.get(id);
  if (!experiment) {
    // Headless: the chapters' tables read the outcome and the trace, and nobody steps back.
    const sim = new Simulation(scenario(id), { history: false });
    sim.run();
    experiment = { sim, report: buildReport(sim) };
    cache.set(id, experiment);
  }
  return experiment;
}

/** Hosts (not hubs or bridges) that received at least one frame of action `index`, in scenario order. */
export function hostsReached(experiment: Experiment, index: number): string[] {
  const action = experiment.report.actions[index];
  if (!action) throw new Error(`${experiment.sim.scenario.id} has no action ${index}`);
  return experiment.sim.scenario.devices.filter((d) => d.kind === 'host' && action.receivedBy[d.id]).map((d) => d.id);
}

/** Copies of frames that reached hosts, wanted or not. */
export function copiesReceivedByHosts(experiment: Experiment): number {
  const hosts = new Set(experiment.sim.scenario.devices.filter((d) => d.kind === 'host').map((d) => d.id));
  return experiment.report.actions.reduce((sum, action) => sum + Object.entries(action.receivedBy).filter(([device]) => hosts.has(device)).reduce((n, [, list]) => n + list.length, 0), 0);
}

/** Frames that hosts received and threw away because they were addressed to someone else. */
export function unwantedCopies(experiment: Experiment): number {
  return experiment.report.actions.reduce(
    (sum, action) => sum + Object.values(action.receivedBy).flat().filter((r) => r.reason === 'not-for-me' || r.reason === 'arp-request-not-for-me').length,
    0,
  );
}

export interface ComparisonRow {
  label: string;
  /** Per compared scenario: the hosts that received a copy. */
  reached: string[][];
}

/** Same traffic on several scenarios: which hosts each action reached. Scenarios must share their traffic. */
export function compareReach(ids: readonly string[]): { rows: ComparisonRow[]; received: number[]; unwanted: number[] } {
  const experiments = ids.map(runExperiment);
  const first = experiments[0]!;
  const rows = first.report.actions.map((action, i) => ({ label: action.label, reached: experiments.map((e) => hostsReached(e, i)) }));
  return { rows, received: experiments.map(copiesReceivedByHosts), unwanted: experiments.map(unwantedCopies) };
}

// ---------- chapter "Why one VLAN per subnet" ----------

/** A device's IPv4 addresses (without prefix), on NICs and 802.1Q sub-interfaces, as written in the scenario. */
function addressesOf(experiment: Experiment): Map<string, string> {
  const owners = new Map<string, string>();
  for (const device of experiment.sim.scenario.devices) {
    if (device.kind !== 'host' && device.kind !== 'router') continue;
    for (const nic of device.nics) {
      if (nic.ip) owners.set(nic.ip.split('/')[0]!, device.id);
      for (const sub of nic.vlans ?? []) owners.set(sub.ip.split('/')[0]!, device.id);
    }
    // A bridge's own address and its sub-interfaces' (br0.10: a layer-3 switch's gateways).
    for (const bridge of device.bridges ?? []) {
      if (bridge.ip) owners.set(bridge.ip.split('/')[0]!, device.id);
      for (const sub of bridge.vlans ?? []) owners.set(sub.ip.split('/')[0]!, device.id);
    }
  }
  return owners;
}

/** The ARP packet a frame carries, tagged or not, or null. */
export function arpOf(frame: Uint8Array | undefined): ArpPacket | null {
  if (!frame) return null;
  const ethernet = decodeEthernetFrame(frame);
  return ethernet.etherType === ETHERTYPE_ARP ? decodeArpPacket(ethernet.payload) : null;
}

/** The IPv4 packet a frame carries, tagged or not, or null. */
export function ipv4Of(frame: Uint8Array | undefined): DecodedIpv4Packet | null {
  if (!frame) return null;
  const ethernet = decodeEthernetFrame(frame);
  return ethernet.etherType === ETHERTYPE_IPV4 ? decodeIpv4Packet(ethernet.payload) : null;
}

/** What happened to one ping, in the terms of the chapter's comparison table. */
export interface PingFacts {
  label: string;
  from: string;
  /** The destination's IPv4 address. */
  destination: string;
  /** The address the sender's first ARP request asked for (null if it sent none). */
  arpTarget: string | null;
  /** Who owns that address: the destination itself (on-link) or its gateway. */
  arpTargetOwner: string | null;
  /** True when the sender asked for the destination itself, i.e. believed it on-link. */
  askedForDestination: boolean;
  /** Whether that ARP request reached the device that owns the address. */
  arpReachedTarget: boolean;
  /** Hosts (other than the sender) that received the sender's first ARP request. */
  arpReceivedBy: string[];
  outcome: 'ok' | 'failed' | 'stopped' | 'unfinished';
  result: string | null;
  /** Routers that forwarded a packet of this ping, in the order they first did. */
  routedBy: string[];
  /** TTL of the first echo request the destination accepted, or null. */
  ttlAtDestination: number | null;
}

export function pingFacts(experiment: Experiment, index = 0): PingFacts {
  const action = experiment.report.actions[index];
  const spec = experiment.sim.scenario.traffic[index];
  if (!action || !spec || spec.do !== 'ping') throw new Error(`${experiment.sim.scenario.id}: action ${index} is not a ping`);
  const owners = addressesOf(experiment);
  const byId = new Map(experiment.sim.scenario.devices.map((d) => [d.id, d]));
  const target = byId.get(spec.to);
  const destination = target && target.kind === 'host' ? target.nics.find((n) => n.ip)!.ip!.split('/')[0]! : spec.to;
  const events = experiment.sim.trace.filter((e) => e.actionId === action.id);

  const firstArp = events.find((e) => e.kind === 'transmit' && e.device === spec.from && arpOf(e.frame)?.operation === ARP_REQUEST);
  const arp = firstArp ? arpOf(firstArp.frame) : null;
  const arpTarget = arp?.targetIp ?? null;
  const arpTargetOwner = arpTarget ? (owners.get(arpTarget) ?? null) : null;
  // Every copy of that one request, however many bridges and switches relayed (and re-tagged) it.
  const isThatRequest = (frame: Uint8Array | undefined) => {
    const p = arpOf(frame);
    return p !== null && p.operation === ARP_REQUEST && p.senderIp === arp?.senderIp && p.targetIp === arpTarget;
  };
  const firstProbeEnd = firstArp ? firstArp.time + 1000 : 0;
  const receivers = new Set(events.filter((e) => e.kind === 'receive' && e.time < firstProbeEnd && isThatRequest(e.frame)).map((e) => e.device));
  const routedBy: string[] = [];
  for (const e of events) {
    if (e.kind === 'forward' && byId.get(e.device)?.kind === 'router' && !routedBy.includes(e.device)) routedBy.push(e.device);
  }
  const destinationHost = owners.get(destination);
  const echo = events.find((e) => e.kind === 'deliver' && e.reason === 'echo-request' && e.device === destinationHost);
  return {
    label: action.label,
    from: spec.from,
    destination,
    arpTarget,
    arpTargetOwner,
    askedForDestination: arpTarget === destination,
    arpReachedTarget: arpTargetOwner !== null && receivers.has(arpTargetOwner),
    arpReceivedBy: experiment.sim.scenario.devices.filter((d) => d.kind === 'host' && d.id !== spec.from && receivers.has(d.id)).map((d) => d.id),
    outcome: action.outcome,
    result: action.result,
    routedBy,
    ttlAtDestination: echo ? (ipv4Of(echo.frame)?.ttl ?? null) : null,
  };
}
