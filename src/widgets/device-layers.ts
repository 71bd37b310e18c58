// The inspector's layered view of one device, computed from the trace (like Packet Tracer's "OSI
// model" tab, but from what the core actually did): the frame a device was handling when the chosen
// event happened, what it decided at each layer, and the frames it sent for it, with what changed
// on the way through, in one line: "in eth0.10, tag 10 stripped → TTL 64→63 → out eth0.20, tag 20
// added".
//
// Pure: it reads the structured events (kind, reason, cause, origin, frame), never their sentences'
// wording, and the scenario only to tell boxes with ports (hub, bridge, switch) from network
// namespaces and to name 802.1Q sub-interfaces (Linux's "eth0.10").

import type { DeviceSpec } from '../sim/scenario/format';
import type { TraceEvent } from '../sim/trace';
import { describeFrame, type FrameDescription } from '../sim/wire/describe';
import { isLocalCopy } from './local-copy';

/** What the derivation reads of a run: a Simulation is one. */
export interface TraceReader {
  eventAt(index: number): TraceEvent | undefined;
  readonly traceLength: number;
}

/** 1 physical (port), 2 data link (Ethernet, 802.1Q, the bridge's decisions), 3 network (IPv4, ARP, ICMP), 4 transport (UDP). */
export type LayerNumber = 1 | 2 | 3 | 4;

export const LAYER_NAMES: Record<LayerNumber, string> = { 1: 'Physical', 2: 'Data link', 3: 'Network', 4: 'Transport' };

export interface LayerRow {
  layer: LayerNumber;
  text: string;
  /** An out frame's row that differs from the same row of the frame that came in (the same packet, forwarded). */
  changed?: true;
}

/** A frame that came in or went out, layer by layer. */
export interface FrameSide {
  /** The receive or transmit event. */
  event: number;
  /** The port it crossed, and the interface that handled it (a namespace's sub-interface "eth0.10" for a tagged frame). */
  port: string;
  iface: string;
  /** A transmit: the device at the other end of the cable. */
  toward?: string;
  /** An out frame: the packet that came in, passed on (false: a frame of the device's own, an ARP request or a reply). */
  forwarded: boolean;
  /** The frame's one-line summary (describeFrame). */
  summary: string;
  rows: LayerRow[];
}

export interface Decision {
  event: number;
  layer: LayerNumber;
  kind: TraceEvent['kind'];
  reason: TraceEvent['reason'];
  /** Its sentence (narrate.ts). */
  text: string;
}

export interface DeviceLayers {
  device: string;
  /** The frame the device was handling; null when it started on its own (an action, a timer). */
  in: FrameSide | null;
  /** Without a frame in: the event it started from (an action, an ARP resolution). */
  start: number | null;
  /** What it decided, in order (everything between the receive and the transmits). */
  decisions: Decision[];
  /** What it sent for it, at most MAX_OUT; `moreOut` counts the rest (a flood out of thousands of ports). */
  out: FrameSide[];
  moreOut: number;
  /** The way through, one step each: "in eth0.10, tag 10 stripped", "TTL 64→63", "out eth0.20, tag 20 added". */
  path: string[];
}

/** How far after the frame came in the derivation looks for what the device did with it (a packet waiting for ARP is sent a few steps later). */
export const SCAN_WINDOW = 5000;
export const MAX_OUT = 16;
/** Out ports named in the path; the rest are counted. */
const PATH_OUTS = 4;

type Lookup = (device: string) => DeviceSpec | undefined;

/** The layered view of the device of event `index`, or null when there is no such event. */
export function deviceLayers(trace: TraceReader, index: number, devices: readonly DeviceSpec[]): DeviceLayers | null {
  const chosen = trace.eventAt(index);
  if (!chosen) return null;
  const byId = new Map(devices.map((d) => [d.id, d]));
  const lookup: Lookup = (id) => byId.get(id);
  // Devices by the names their drawing shows ("Router"), not their ids ("spine").
  const nameOf = (id: string) => byId.get(id)?.label ?? id;
  const { root, members } = handling(trace, chosen);
  const device = chosen.device;
  const spec = lookup(device);
  const box = spec !== undefined && (spec.kind === 'hub' || spec.kind === 'bridge' || spec.kind === 'switch');

  const inSide = root.kind === 'receive' && root.frame ? side(root, null, box, spec, nameOf) : null;
  const inDesc = inSide && root.frame ? describeFrame(root.frame) : null;
  const decisions: Decision[] = [];
  const outs: TraceEvent[] = [];
  for (const e of members) {
    if (e === root && root.kind === 'receive') continue;
    if (e.kind === 'transmit') outs.push(e);
    else decisions.push({ event: e.index, layer: layerOf(e), kind: e.kind, reason: e.reason, text: e.text });
  }
  const out = outs.slice(0, MAX_OUT).map((e) => side(e, inDesc, box, spec, nameOf, root.kind === 'receive' ? root.origin : undefined));

  const path: string[] = [];
  if (inSide) {
    let step = `in ${inSide.iface}`;
    const tag = inDesc?.vlan?.vid;
    if (tag !== undefined) step += box ? `, tag ${tag}` : inSide.iface !== inSide.port ? `, tag ${tag} stripped` : `, tag ${tag}`;
    else if (box && out.some((o) => o.rows.some((r) => r.layer === 2 && r.text.includes('802.1Q')))) step += ', untagged';
    const classified = decisions.find((d) => d.kind === 'classify' && d.reason === 'vlan-pvid');
    const vid = classified ? (trace.eventAt(classified.event)?.args as { vid?: number } | undefined)?.vid : undefined;
    if (vid !== undefined) step += `, into VLAN ${vid}`;
    path.push(step);
  } else {
    path.push(`${nameOf(device)} sends a frame of its own`);
  }
  const passed = out.filter((o) => o.forwarded);
  // A VTEP wraps the frame in (or takes it out of) a new outer packet: that is the step, not a
  // change of addresses or TTL between the inner and the outer headers, which are two packets.
  const tunnel = decisions.find((d) => d.reason === 'vxlan-encap' || d.reason === 'vxlan-decap');
  const tunnelStep = tunnel ? vxlanStep(trace.eventAt(tunnel.event)) : null;
  // Nor are its out frame's headers "changed" against the in frame's: they belong to the other packet.
  if (tunnel) for (const o of out) for (const row of o.rows) delete row.changed;
  if (inDesc && passed[0]) {
    const outEvent = trace.eventAt(passed[0].event);
    if (tunnelStep) path.push(tunnelStep);
    else if (outEvent?.frame) path.push(...l3Changes(inDesc, describeFrame(outEvent.frame)));
  } else if (inSide) {
    // A bridge that flooded or forwarded the frame: that is its fate, not its local copy's
    // (local-copy.ts); nor is a VXLAN device's taking the inner frame out (a step of its own).
    const passedOn = decisions.find((d) => d.kind === 'flood' || d.kind === 'forward');
    const last = [...decisions].reverse().find((d) => (d.kind === 'deliver' || d.kind === 'drop' || d.kind === 'filter') && d.reason !== 'vxlan-decap' && !(passedOn && isLocalCopy(d)));
    // In the order they happened: unwrapped, then flooded; flooded, then wrapped.
    const steps: { at: number; text: string }[] = [];
    if (tunnel && tunnelStep) steps.push({ at: tunnel.event, text: tunnelStep });
    if (last) steps.push({ at: last.event, text: last.kind === 'deliver' ? `delivered to ${nameOf(device)}` : last.kind === 'filter' ? 'filtered' : 'dropped' });
    else if (passedOn?.kind === 'flood') steps.push({ at: passedOn.event, text: 'flooded' });
    path.push(...steps.sort((x, y) => x.at - y.at).map((step) => step.text));
    if (!last && decisions.some((d) => d.reason === 'arp-start')) path.push('waits for ARP');
  }
  // The packet passed on when it was; else what the device sent of its own (an ARP request, a reply).
  const named = passed.length > 0 ? passed : out;
  const outSteps = named.slice(0, PATH_OUTS).map((o) => outStep(o, inDesc, box));
  if (outSteps.length > 0) {
    const rest = (passed.length > 0 ? outs.filter((o) => o.origin !== o.frameId).length : outs.length) - outSteps.length;
    path.push(`out ${outSteps.join('; ')}${rest > 0 ? `; and ${rest} more` : ''}`);
  }

  return {
    device,
    in: inSide,
    start: inSide ? null : root.index,
    decisions,
    out,
    moreOut: Math.max(0, outs.length - out.length),
    path,
  };
}

/**
 * The events of the device's handling the chosen event belongs to: its root (the receive of the
 * frame it was handling, or the first event of its own it started from) and everything the device
 * did because of it, in order.
 */
function handling(trace: TraceReader, chosen: TraceEvent): { root: TraceEvent; members: TraceEvent[] } {
  const device = chosen.device;
  let root: TraceEvent = chosen;
  // A packet passed on after a wait (for ARP): its transmit's cause is the ARP reply, but the
  // packet is the one that came in earlier with the same origin.
  if (chosen.kind === 'transmit' && chosen.origin !== undefined && chosen.origin !== chosen.frameId) {
    for (let i = chosen.index - 1; i >= Math.max(0, chosen.index - SCAN_WINDOW); i--) {
      const e = trace.eventAt(i);
      if (e && e.device === device && e.kind === 'receive' && e.origin === chosen.origin) {
        root = e;
        break;
      }
    }
  }
  if (root === chosen) {
    while (root.kind !== 'receive' && root.cause !== undefined) {
      const up = trace.eventAt(root.cause);
      if (!up || up.device !== device) break;
      root = up;
    }
  }
  const members = [root];
  const inSet = new Set([root.index]);
  const end = Math.min(trace.traceLength, root.index + 1 + SCAN_WINDOW);
  for (let i = root.index + 1; i < end; i++) {
    const e = trace.eventAt(i);
    if (!e || e.device !== device) continue;
    // The same packet back again (a loop): another handling.
    if (root.kind === 'receive' && e.kind === 'receive' && e.origin === root.origin) break;
    const caused = e.cause !== undefined && inSet.has(e.cause);
    const passedOn = root.kind === 'receive' && e.kind === 'transmit' && e.origin === root.origin && e.origin !== e.frameId;
    if (caused || passedOn) {
      members.push(e);
      inSet.add(e.index);
    }
  }
  return { root, members };
}

function side(e: TraceEvent, inDesc: FrameDescription | null, box: boolean, spec: DeviceSpec | undefined, nameOf: (id: string) => string, inOrigin?: number): FrameSide {
  const desc = describeFrame(e.frame ?? new Uint8Array());
  const port = e.port ?? '';
  const vid = desc.vlan?.vid;
  const iface = !box && vid !== undefined && hasSubinterface(spec, port, vid) ? `${port}.${vid}` : port;
  const forwarded = e.kind === 'transmit' && inOrigin !== undefined && e.origin === inOrigin && e.origin !== e.frameId;
  const rows = frameRows(desc, port, e.peer ? nameOf(e.peer.device) : undefined, iface);
  if (forwarded && inDesc) {
    // Row by row, above the port: the n-th row of a layer against the n-th of the same layer.
    const before = frameRows(inDesc, '', undefined, '');
    for (const row of rows) {
      if (row.layer === 1) continue;
      const nth = rows.filter((r) => r.layer === row.layer).indexOf(row);
      const was = before.filter((b) => b.layer === row.layer)[nth];
      if (!was || was.text !== row.text) row.changed = true;
    }
  }
  const result: FrameSide = { event: e.index, port, iface, forwarded, summary: desc.summary, rows };
  if (e.peer) result.toward = e.peer.device;
  return result;
}

function hasSubinterface(spec: DeviceSpec | undefined, port: string, vid: number): boolean {
  if (!spec || (spec.kind !== 'host' && spec.kind !== 'router')) return false;
  return spec.nics.some((nic) => nic.port === port && (nic.vlans ?? []).some((s) => s.vlan === vid));
}

function fieldValue(desc: FrameDescription, layer: string, name: string): string | undefined {
  return desc.layers.find((l) => l.name === layer)?.fields.find((f) => f.name === name)?.value;
}

/** A frame's rows, one per layer it has. */
export function frameRows(desc: FrameDescription, port: string, toward: string | undefined, iface: string): LayerRow[] {
  const rows: LayerRow[] = [];
  if (port !== '') rows.push({ layer: 1, text: `${iface !== port ? `${iface} on ` : ''}port ${port}${toward ? `, cable to ${toward}` : ''}` });
  const tag = desc.vlan ? `802.1Q tag, VLAN ${desc.vlan.vid}` : 'untagged';
  rows.push({ layer: 2, text: `Ethernet ${desc.source} → ${desc.destination}, ${tag}` });
  const arp = desc.layers.find((l) => l.name === 'ARP');
  if (arp) {
    rows.push({ layer: 3, text: desc.summary.replace(/^\[802\.1Q VLAN \d+\] /, '') });
    return rows;
  }
  const source = fieldValue(desc, 'IPv4', 'Source IP');
  if (source !== undefined) {
    const ttl = fieldValue(desc, 'IPv4', 'TTL');
    rows.push({ layer: 3, text: `IPv4 ${source} → ${fieldValue(desc, 'IPv4', 'Destination IP')}, TTL ${ttl}` });
  }
  const icmpType = fieldValue(desc, 'ICMP', 'Type');
  if (icmpType !== undefined) {
    const id = fieldValue(desc, 'ICMP', 'Identifier');
    const seq = fieldValue(desc, 'ICMP', 'Sequence number');
    // ICMP rides on IP but is part of the network layer, as Packet Tracer shows it.
    rows.push({ layer: 3, text: `ICMP ${icmpType.replace(/^\d+ \((.*)\)$/, '$1')}${id !== undefined ? ` (id ${id}, seq ${seq})` : ''}` });
  }
  const udpFrom = fieldValue(desc, 'UDP', 'Source port');
  if (udpFrom !== undefined) rows.push({ layer: 4, text: `UDP port ${udpFrom} → ${fieldValue(desc, 'UDP', 'Destination port')}` });
  return rows;
}

/** "wrapped in VXLAN (VNI 42) for 192.168.2.1", "unwrapped from VXLAN (VNI 42) from 192.168.1.1": what the event's args say. */
function vxlanStep(e: TraceEvent | undefined): string | null {
  if (!e) return null;
  const args = e.args as { vni?: number; remote?: string; source?: string } | undefined;
  const vni = args?.vni === undefined ? '' : ` (VNI ${args.vni})`;
  if (e.reason === 'vxlan-encap') return `wrapped in VXLAN${vni}${args?.remote ? ` for ${args.remote}` : ''}`;
  if (e.reason === 'vxlan-decap') return `unwrapped from VXLAN${vni}${args?.source ? ` from ${args.source}` : ''}`;
  return null;
}

/** What a router did to the packet itself: TTL, addresses (NAT). */
function l3Changes(before: FrameDescription, after: FrameDescription): string[] {
  const changes: string[] = [];
  const ttlBefore = fieldValue(before, 'IPv4', 'TTL');
  const ttlAfter = fieldValue(after, 'IPv4', 'TTL');
  if (ttlBefore !== undefined && ttlAfter !== undefined && ttlBefore !== ttlAfter) changes.push(`TTL ${ttlBefore}→${ttlAfter}`);
  for (const name of ['Source IP', 'Destination IP']) {
    const a = fieldValue(before, 'IPv4', name);
    const b = fieldValue(after, 'IPv4', name);
    if (a !== undefined && b !== undefined && a !== b) changes.push(`${name.replace(' IP', '')} ${a}→${b}`);
  }
  return changes;
}

function outStep(o: FrameSide, inDesc: FrameDescription | null, box: boolean): string {
  const rowTag = o.rows.find((r) => r.layer === 2)?.text.match(/VLAN (\d+)$/);
  const outVid = rowTag ? Number(rowTag[1]) : undefined;
  const inVid = inDesc?.vlan?.vid;
  let tag = '';
  if (box && o.forwarded) {
    if (outVid !== undefined && inVid === undefined) tag = `, tag ${outVid} added`;
    else if (outVid === undefined && inVid !== undefined) tag = `, tag ${inVid} stripped`;
    else if (outVid !== undefined && inVid !== undefined) tag = outVid === inVid ? `, tag ${outVid}` : `, tag ${inVid}→${outVid}`;
  } else if (outVid !== undefined) {
    tag = o.iface !== o.port ? `, tag ${outVid} added` : `, tag ${outVid}`;
  }
  const own = o.forwarded || !inDesc ? '' : ` (${ownWhat(o.summary)})`;
  return `${o.iface}${tag}${own}`;
}

/** "ARP who-has 10.1.20.11? tell 10.1.20.1" → "ARP request"; the frame's own kind, for a frame a device makes itself. */
function ownWhat(summary: string): string {
  const s = summary.replace(/^\[802\.1Q VLAN \d+\] /, '');
  if (s.startsWith('ARP who-has')) return 'ARP request';
  if (/^ARP .* is-at /.test(s)) return 'ARP reply';
  const icmp = s.match(/^ICMP ([a-z -]+?) \d/);
  if (icmp) return `ICMP ${icmp[1]}`;
  if (s.startsWith('UDP')) return 'UDP';
  return 'a new frame';
}

/** The layer a decision belongs to, by what it is about. */
export function layerOf(e: Pick<TraceEvent, 'kind' | 'reason'>): LayerNumber {
  switch (e.kind) {
    case 'receive':
    case 'transmit':
      return 1;
    case 'classify':
    case 'learn':
    case 'expire':
    case 'flood':
    case 'filter':
      return 2;
    case 'arp':
      return 3;
    default:
      break;
  }
  const r = e.reason;
  if (r.startsWith('udp-')) return 4;
  if (
    r.startsWith('fdb-') ||
    r.startsWith('vlan-') ||
    r === 'broadcast' ||
    r === 'multicast' ||
    r === 'same-port' ||
    r === 'hub-repeat' ||
    r === 'hub-nowhere' ||
    r === 'flood-nowhere' ||
    r === 'not-for-me' ||
    r === 'port-security' ||
    r === 'mac-vlan' ||
    r === 'invalid-source' ||
    r === 'link-local' ||
    r === 'raw-delivered' ||
    r === 'frame-too-big'
  )
    return 2;
  return 3;
}
