// A learning bridge, deciding like Linux net/bridge: br_handle_frame (sanity checks),
// br_handle_frame_finish (learn, classify, look up), br_forward / br_flood and should_deliver.
// The `switch` kind is the same bridge with VLAN filtering (br_vlan.c: br_allowed_ingress,
// br_allowed_egress, br_handle_vlan): access and trunk ports, a (VLAN, MAC) FDB, per-VLAN
// flooding, tagging on egress; plus two features of hardware switches that the Linux bridge does
// not have: MAC-based VLAN assignment and a per-port limit of learned MACs (port security).
// A plain bridge may have a local interface (br0 with a MAC and an address): its own host stack
// (host.ts) behind the bridge, fed by br_pass_frame_up and sending through br_dev_xmit.
// Simplifications, stated on the page: no STP; a switch has no local interface.

import type { BridgeSpec, SwitchSpec } from '../scenario/format';
import { formatPortList, nameSome } from '../trace';
import { popVlanTag, pushVlanTag, readDestinationMac, readSourceMac, readVlanTag, type VlanTag } from '../wire/ethernet';
import { WireError } from '../wire/wire-error';
import { isBroadcastMac, isLinkLocalGroupMac, isMulticastMac, ZERO_MAC } from '../wire/mac-address';
import { fdbCleanup, fdbFind, fdbUpdate, type Fdb } from './bridge-fdb';
import type { DeviceContext, EmittedEvent } from './context';
import { createHost, hostReceive, hostTimer, type HostState, type HostTimer } from './host';

export const DEFAULT_AGEING_TIME_SECONDS = 300;

/** A switch port's VLAN membership, as `bridge vlan show` lists it. */
export interface PortVlans {
  mode: 'access' | 'trunk';
  /** The VLAN an untagged frame joins (access VLAN or native VLAN); null: untagged frames are dropped. */
  pvid: number | null;
  /** VLANs that leave this port tagged. */
  tagged: number[];
  /** Port security: the most source MACs the port learns; frames from others are dropped. */
  maxMacs?: number;
}

export interface BridgeState {
  /** "switch": VLAN filtering on. */
  kind: 'bridge' | 'switch';
  id: string;
  ports: string[];
  /** Milliseconds. */
  ageingTime: number;
  fdb: Fdb;
  /** Earliest time an entry can expire: the sweep is skipped before it (Infinity when empty). */
  nextSweep: number;
  /** Switch only (absent on a plain bridge, which keeps snapshots of large bridge fabrics small). */
  vlan?: SwitchVlans;
  /**
   * The bridge's own interface (br0 as a net device with an address), when the scenario gives it
   * one: a host stack with one interface named after the bridge, whose MAC is a permanent local
   * FDB entry. Absent otherwise.
   */
  local?: HostState;
}

/** Keyed by port names and MAC addresses a scenario chooses: Maps, so that a port called "constructor" is just a port. */
export interface SwitchVlans {
  /** Each port's VLANs. */
  ports: Map<string, PortVlans>;
  /** MAC-based VLAN assignment for untagged frames on access ports. */
  macVlans: Map<string, number>;
  /** VLANs an access port has joined because a MAC-based member spoke on it. */
  joined: Map<string, number[]>;
}

/** `random` seeds the local interface's counters (IP identification, echo identifier), as createHost's; drawn only for a bridge with one. */
export function createBridge(spec: BridgeSpec | SwitchSpec, random: () => number = () => 0): BridgeState {
  const vlans = new Map<string, PortVlans>();
  const macVlans = new Map<string, number>();
  if (spec.kind === 'switch') {
    for (const port of spec.ports) {
      const entry: PortVlans = port.mode === 'trunk'
        ? { mode: 'trunk', pvid: port.native ?? null, tagged: [...(port.vlans ?? [])].filter((vid) => vid !== port.native).sort((x, y) => x - y) }
        : { mode: 'access', pvid: port.vlan ?? DEFAULT_VLAN, tagged: [] };
      if (port.maxMacs !== undefined) entry.maxMacs = port.maxMacs;
      vlans.set(port.port, entry);
    }
    for (const assignment of spec.macVlans ?? []) macVlans.set(assignment.mac, assignment.vlan);
  }
  const bridge: BridgeState = {
    kind: spec.kind,
    id: spec.id,
    ports: spec.kind === 'switch' ? spec.ports.map((port) => port.port) : [...spec.ports],
    ageingTime: (spec.ageingTime ?? DEFAULT_AGEING_TIME_SECONDS) * 1000,
    fdb: new Map(),
    nextSweep: Infinity,
  };
  if (spec.kind === 'switch') bridge.vlan = { ports: vlans, macVlans, joined: new Map() };
  if (spec.kind === 'bridge' && spec.local) {
    // The interface is called after the bridge, as `ip addr add 10.0.0.1/24 dev br0` names it.
    const local = createHost({ id: spec.id, kind: 'host', nics: [{ port: spec.id, mac: spec.local.mac, ip: spec.local.ip }] }, random);
    // Present from the start (a host's is absent until first written): a Map makes the stack state,
    // not configuration, so freezeConfiguration freezes only its interface list, never the stack itself.
    local.arp = new Map();
    bridge.local = local;
  }
  return bridge;
}

/** The default VLAN of a port that says nothing (Linux bridge default_pvid, and every switch's VLAN 1). */
export const DEFAULT_VLAN = 1;

const STP_MAC = '01:80:c2:00:00:00';
const PAUSE_MAC = '01:80:c2:00:00:01';

/** Without VLAN filtering every frame is in "VLAN 0" for the FDB, as in the kernel. */
const NO_VLAN = 0;

export function bridgeReceive(ctx: DeviceContext, bridge: BridgeState, ingress: string, bytes: Uint8Array): void {
  const me = ctx.name(bridge.id);
  const source = readSourceMac(bytes);
  const destination = readDestinationMac(bytes);
  let tag: VlanTag | null = null;
  if (bridge.kind === 'switch') {
    try {
      tag = readVlanTag(bytes);
    } catch (error) {
      if (!(error instanceof WireError)) throw error;
      ctx.emit({ kind: 'drop', reason: 'malformed', port: ingress, frame: bytes, text: `${me} drops a malformed frame: ${error.message}.` });
      return;
    }
  }

  // br_handle_frame: is_valid_ether_addr — a group address or all zeros can never be a source.
  if (isMulticastMac(source) || source === ZERO_MAC) {
    const what = source === ZERO_MAC ? 'all zeros' : 'a group address';
    ctx.emit({ kind: 'drop', reason: 'invalid-source', port: ingress, frame: bytes, text: `${me} drops the frame: its source ${source} is ${what}, which no NIC may send from.` });
    return;
  }
  // br_handle_frame: 01:80:c2:00:00:01 (pause) is dropped outright.
  if (destination === PAUSE_MAC) {
    ctx.emit({ kind: 'drop', reason: 'link-local', port: ingress, frame: bytes, text: `${me} drops a pause frame (${destination}): it is meant for the link, not for forwarding.` });
    return;
  }

  // br_allowed_ingress: which VLAN the frame belongs to, and whether this port carries it.
  let vid = NO_VLAN;
  if (bridge.kind === 'switch') {
    const classified = classify(ctx, bridge, ingress, bytes, source, tag);
    if (classified === null) return;
    vid = classified;
  }

  // br_fdb_cleanup runs periodically in the kernel; here, before a frame once an entry may be due,
  // so the table shown is current without walking it for every frame.
  for (const entry of ctx.now >= bridge.nextSweep ? sweep(bridge, ctx.now) : []) {
    ctx.emit({
      kind: 'expire',
      reason: 'fdb-aged',
      port: entry.port,
      text: `${me} forgets ${entry.mac} (was on port ${entry.port}): no frame from it for ${formatSeconds(ctx.now - entry.updated)}, longer than the ageing time of ${formatSeconds(bridge.ageingTime)}.`,
    });
  }

  // Port security (a switch feature, not the Linux bridge's): a new MAC beyond the port's limit is refused.
  const limit = bridge.vlan?.ports.get(ingress)?.maxMacs;
  if (limit !== undefined && fdbFind(bridge.fdb, vid, source, bridge.ageingTime, ctx.now)?.port !== ingress) {
    const onPort = [...bridge.fdb.values()].filter((entry) => entry.port === ingress && entry.updated + bridge.ageingTime > ctx.now);
    if (onPort.length >= limit) {
      const known = nameSome(onPort.map((entry) => entry.mac), ', ');
      ctx.emit({ kind: 'drop', reason: 'port-security', port: ingress, frame: bytes, text: `${me} drops the frame from ${source}: port ${ingress} allows ${limit} MAC address${limit === 1 ? '' : 'es'} and has already learned ${known}. This is port security; a host with several MACs behind one port (macvlan, VMs) needs the limit raised.` });
      return;
    }
  }

  // br_fdb_update: a source that is the bridge's own address hits its local entry, which is never
  // moved nor refreshed (the kernel only warns "received packet ... with own address as source
  // address"); the frame goes on.
  if (bridge.local !== undefined && source === bridge.local.nics[0]!.mac) {
    ctx.emit({ kind: 'learn', reason: 'fdb-not-kept', port: ingress, text: `${me} receives a frame on ${ingress} from its own address ${source}: its MAC table keeps that address as a permanent local entry, so nothing is learned.` });
  } else {
    learn(ctx, bridge, ingress, source, vid);
  }

  // The other IEEE link-local addresses (LACP, LLDP, …) are learned from, then kept by the bridge's
  // own host (__br_handle_local_finish); bridges never forward them. STP's own address is flooded
  // when STP is off, as it is here.
  if (isLinkLocalGroupMac(destination) && destination !== STP_MAC) {
    ctx.emit({ kind: 'deliver', reason: 'link-local', port: ingress, frame: bytes, text: `${me} keeps the frame for its own host: ${destination} is an IEEE link-local address that bridges never forward.` });
    return;
  }

  const egress = new Egress(bridge, bytes, tag, vid);
  if (isBroadcastMac(destination) || isMulticastMac(destination)) {
    const broadcast = isBroadcastMac(destination);
    const reason = broadcast ? 'broadcast' : 'multicast';
    flood(ctx, bridge, ingress, egress, reason, broadcast ? `${destination} is the broadcast address` : `${destination} is a multicast address`);
    // br_handle_frame_finish: a broadcast, and a multicast no snooping querier claims, set local_rcv:
    // after br_flood, br_pass_frame_up hands the frame to the bridge's own interface too.
    if (bridge.local !== undefined) passUp(ctx, bridge, bytes, reason, `${me} also passes a copy up to its own interface ${bridge.id} (br_pass_frame_up): a ${reason} is for the bridge's own host as well.`);
    return;
  }

  // br_fdb_find_rcu finds the bridge's own MAC as a local entry: the frame is for br0 itself, passed
  // up (br_pass_frame_up) and forwarded nowhere.
  if (bridge.local !== undefined && destination === bridge.local.nics[0]!.mac) {
    passUp(ctx, bridge, bytes, 'fdb-hit', `${me} finds ${destination} in its MAC table as its own address (a permanent local entry): the frame is for its own interface ${bridge.id}, so it passes it up (br_pass_frame_up) and forwards it nowhere.`);
    return;
  }

  const inVlan = vid === NO_VLAN ? '' : ` in VLAN ${vid}`;
  const entry = fdbFind(bridge.fdb, vid, destination, bridge.ageingTime, ctx.now);
  if (!entry) {
    const where = vid === NO_VLAN ? '' : ` for VLAN ${vid}`;
    flood(ctx, bridge, ingress, egress, 'fdb-miss', `the destination ${destination} is not in its MAC table${where} yet`);
    return;
  }
  // should_deliver: never back out of the ingress port (no hairpin mode here).
  if (entry.port === ingress) {
    ctx.emit({ kind: 'filter', reason: 'same-port', port: ingress, frame: bytes, text: `${me} filters the frame: ${destination} lives behind port ${ingress}, the port it came in on, so it has already reached its segment.` });
    return;
  }
  const out = egress.bytesFor(entry.port);
  ctx.emit({ kind: 'forward', reason: 'fdb-hit', port: ingress, frame: bytes, ports: [entry.port], text: `${me} knows ${destination} is behind port ${entry.port}${inVlan}: it forwards the frame there only${egress.how(entry.port)}.` });
  ctx.relay(entry.port, out);
}

/** br_fdb_update: learn the source before looking up the destination. */
function learn(ctx: DeviceContext, bridge: BridgeState, ingress: string, source: string, vid: number): void {
  const me = ctx.name(bridge.id);
  const learned = fdbUpdate(bridge.fdb, vid, source, ingress, bridge.ageingTime, ctx.now);
  if (learned.change !== 'not-kept') bridge.nextSweep = Math.min(bridge.nextSweep, ctx.now + bridge.ageingTime);
  const inVlan = vid === NO_VLAN ? '' : ` in VLAN ${vid}`;
  switch (learned.change) {
    case 'learned':
      ctx.emit({ kind: 'learn', reason: 'fdb-learn', port: ingress, text: `${me} learns that ${source} lives behind port ${ingress}${inVlan}.` });
      break;
    case 'moved':
      ctx.emit({ kind: 'learn', reason: 'fdb-move', port: ingress, text: `${me} moves ${source}${inVlan} from port ${learned.previousPort} to port ${ingress}: the address showed up on another port.` });
      break;
    case 'refreshed':
      ctx.emit({ kind: 'learn', reason: 'fdb-refresh', port: ingress, text: `${me} already knows ${source} is behind port ${ingress}${inVlan}; its age is reset to 0.` });
      break;
    case 'not-kept':
      ctx.emit({ kind: 'learn', reason: 'fdb-not-kept', port: ingress, text: `${me} has ageing time 0: the entry for ${source} would be stale at once, so nothing stays learned and the bridge behaves like a hub.` });
      break;
  }

}

/**
 * br_allowed_ingress, plus MAC-based assignment: the frame's VLAN, or null after dropping it. An
 * untagged (or priority-tagged) frame joins the port's PVID; a tagged one must carry a VLAN the port is a member of.
 */
function classify(ctx: DeviceContext, bridge: BridgeState, ingress: string, bytes: Uint8Array, source: string, tag: VlanTag | null): number | null {
  const me = ctx.name(bridge.id);
  const { ports, macVlans, joined } = bridge.vlan!;
  const port = ports.get(ingress)!;
  if (tag !== null && tag.vid !== 0) {
    if (isMember(bridge, ingress, tag.vid)) {
      ctx.emit({ kind: 'classify', reason: 'vlan-tagged', port: ingress, frame: bytes, text: `${me} reads the 802.1Q tag: the frame belongs to VLAN ${tag.vid}, which port ${ingress} carries.` });
      return tag.vid;
    }
    ctx.emit({ kind: 'drop', reason: 'vlan-not-allowed', port: ingress, frame: bytes, text: `${me} drops the frame: it is tagged for VLAN ${tag.vid}, and port ${ingress} ${describeMembership(bridge, ingress)}.` });
    return null;
  }
  const byMac = port.mode === 'access' ? macVlans.get(source) : undefined;
  if (byMac !== undefined) {
    let extra = joined.get(ingress);
    if (!extra) joined.set(ingress, (extra = []));
    const joins = !extra.includes(byMac) && byMac !== port.pvid;
    if (joins) extra.push(byMac);
    const note = joins ? ` Port ${ingress} now also carries VLAN ${byMac}, untagged, so answers can reach it.` : '';
    ctx.emit({ kind: 'classify', reason: 'mac-vlan', port: ingress, frame: bytes, text: `${me} puts the frame into VLAN ${byMac}: its source ${source} is assigned to VLAN ${byMac} by MAC address, whatever the port.${note}` });
    return byMac;
  }
  if (port.pvid === null) {
    ctx.emit({ kind: 'drop', reason: 'vlan-untagged', port: ingress, frame: bytes, text: `${me} drops the untagged frame: port ${ingress} is a trunk without a native VLAN, so every frame on it must carry a tag.` });
    return null;
  }
  const what = port.mode === 'access' ? `the access VLAN of port ${ingress}` : `the native VLAN of trunk port ${ingress}`;
  const priority = tag === null ? 'untagged' : 'priority-tagged (VLAN 0)';
  ctx.emit({ kind: 'classify', reason: 'vlan-pvid', port: ingress, frame: bytes, text: `${me} puts the ${priority} frame into VLAN ${port.pvid}, ${what}.` });
  return port.pvid;
}

/** Whether frames of `vid` may enter and leave `port` (br_allowed_ingress / br_allowed_egress). */
function isMember(bridge: BridgeState, port: string, vid: number): boolean {
  if (!bridge.vlan) return true;
  const vlans = bridge.vlan.ports.get(port);
  if (!vlans) return false;
  return vlans.pvid === vid || vlans.tagged.includes(vid) || (bridge.vlan.joined.get(port)?.includes(vid) ?? false);
}

function describeMembership(bridge: BridgeState, port: string): string {
  const vlans = bridge.vlan!.ports.get(port)!;
  if (vlans.mode === 'access') return `is an access port in VLAN ${vlans.pvid}`;
  const all = [...vlans.tagged, ...(vlans.pvid === null ? [] : [vlans.pvid])].sort((x, y) => x - y);
  return `is a trunk carrying VLAN${all.length === 1 ? '' : 's'} ${nameSome(all, ', ') || 'none'}`;
}

/** The bytes to send out of each port (br_handle_vlan): tagged or untagged per port, each variant built once so copies share it. */
class Egress {
  private untagged: Uint8Array | undefined;
  private tagged: Uint8Array | undefined;

  constructor(private readonly bridge: BridgeState, readonly bytes: Uint8Array, private readonly tag: VlanTag | null, readonly vid: number) {}

  /** Whether the frame leaves `port` with a tag. */
  isTagged(port: string): boolean {
    if (this.bridge.kind === 'bridge') return this.tag !== null;
    return this.bridge.vlan?.ports.get(port)?.tagged.includes(this.vid) ?? false;
  }

  bytesFor(port: string): Uint8Array {
    // A plain bridge forwards whatever it got, tags and all.
    if (this.bridge.kind === 'bridge') return this.bytes;
    if (this.isTagged(port)) {
      if (this.tag !== null && this.tag.vid === this.vid) return this.bytes;
      const base = this.tag === null ? this.bytes : this.untag();
      return (this.tagged ??= pushVlanTag(base, { pcp: this.tag?.pcp ?? 0, dei: this.tag?.dei ?? false, vid: this.vid }));
    }
    return this.tag === null ? this.bytes : this.untag();
  }

  /** For the log: " (tagged 802.1Q VLAN 10)" / " (untagged)" on a switch, nothing on a plain bridge. */
  how(port: string): string {
    if (this.bridge.kind === 'bridge') return '';
    return this.isTagged(port) ? `, tagged with VLAN ${this.vid}` : ', untagged';
  }

  private untag(): Uint8Array {
    return (this.untagged ??= popVlanTag(this.bytes).frame);
  }
}

function sweep(bridge: BridgeState, now: number) {
  const { expired, nextExpiry } = fdbCleanup(bridge.fdb, bridge.ageingTime, now);
  bridge.nextSweep = nextExpiry;
  return expired;
}

/** br_flood: every port but the ingress one (should_deliver) that is a member of the frame's VLAN, and only ports whose link is up. */
function flood(ctx: DeviceContext, bridge: BridgeState, ingress: string, egress: Egress, reason: 'broadcast' | 'multicast' | 'fdb-miss', why: string): void {
  const me = ctx.name(bridge.id);
  const bytes = egress.bytes;
  const cabled = bridge.ports.filter((port) => port !== ingress && ctx.isConnected(port));
  const ports = cabled.filter((port) => isMember(bridge, port, egress.vid));
  const vlanNote = bridge.kind === 'switch' ? ` in VLAN ${egress.vid}` : '';
  const kept = cabled.length - ports.length;
  const outside = kept === 0 ? '' : `; ${kept === 1 ? 'the other port is' : `${kept} other ports are`} not in VLAN ${egress.vid} and get${kept === 1 ? 's' : ''} nothing`;
  if (ports.length === 0) {
    ctx.emit({ kind: 'drop', reason: 'flood-nowhere', port: ingress, frame: bytes, text: `${me} would flood${vlanNote} (${why}), but no other port${bridge.kind === 'switch' ? ` in VLAN ${egress.vid}` : ''} has a cable${outside}.` });
    return;
  }
  const named = bridge.kind === 'switch' ? ports.map((port) => (egress.isTagged(port) ? `${port} (tagged)` : port)) : ports;
  ctx.emit({ kind: 'flood', reason, port: ingress, frame: bytes, ports, text: `${me} floods the frame${vlanNote} to ${formatPortList(named)}: ${why}${outside}.` });
  for (const port of ports) ctx.relay(port, egress.bytesFor(port));
}

// ---------------------------------------------------------------------------------------------
// The bridge's own interface (br0 with an address): net/bridge/br_input.c br_pass_frame_up up,
// br_device.c br_dev_xmit down, the host stack (host.ts) in between.

/** The local interface's MAC, if the bridge has one. */
export function bridgeLocalMac(bridge: BridgeState): string | undefined {
  return bridge.local?.nics[0]!.mac;
}

/**
 * br_pass_frame_up: the frame goes up br0 as if it had arrived there (netif_receive_skb on the bridge
 * device), to the host stack. Said in the trace with the local interface as the port, so that what
 * br0 itself received can be read off it (a capture on br0 sees exactly these frames).
 */
function passUp(ctx: DeviceContext, bridge: BridgeState, bytes: Uint8Array, reason: 'fdb-hit' | 'broadcast' | 'multicast', text: string): void {
  ctx.emit({ kind: 'deliver', reason, port: bridge.id, frame: bytes, text });
  hostReceive(new LocalContext(ctx, bridge), bridge.local!, bridge.id, bytes);
}

/**
 * br_dev_xmit: a frame the bridge's own stack sends out of br0 enters the bridge's forwarding as if
 * from a port of its own: the FDB is looked up (nothing is learned: br0's MAC is a local entry
 * already), a known unicast leaves by its port (br_forward), anything else is flooded to every port
 * (br_flood with local_orig; the copy never comes back up to br0).
 */
function bridgeXmit(ctx: LocalContext, bridge: BridgeState, bytes: Uint8Array): void {
  const me = ctx.name(bridge.id);
  const destination = readDestinationMac(bytes);
  const egress = new Egress(bridge, bytes, null, NO_VLAN);
  const from = `${me} sends the frame from its own interface ${bridge.id}`;
  if (isBroadcastMac(destination) || isMulticastMac(destination)) {
    const broadcast = isBroadcastMac(destination);
    flood(ctx, bridge, bridge.id, egress, broadcast ? 'broadcast' : 'multicast', `${from}, and ${destination} is ${broadcast ? 'the broadcast address' : 'a multicast address'}`);
    return;
  }
  const entry = fdbFind(bridge.fdb, NO_VLAN, destination, bridge.ageingTime, ctx.now);
  if (!entry) {
    flood(ctx, bridge, bridge.id, egress, 'fdb-miss', `${from}, and the destination ${destination} is not in its MAC table yet`);
    return;
  }
  ctx.emit({ kind: 'forward', reason: 'fdb-hit', port: bridge.id, frame: bytes, ports: [entry.port], text: `${from}: it knows ${destination} is behind port ${entry.port}, so the frame leaves there only (br_dev_xmit → br_forward).` });
  ctx.relay(entry.port, bytes);
}

/**
 * What the host stack of the local interface may do, on the bridge's own context: its frames go
 * into br_dev_xmit instead of onto a cable, and the bridge's ports carry them out as new frames
 * (each its own origin, as a host's). Timers, trace and actions are the bridge's.
 */
class LocalContext implements DeviceContext {
  constructor(private readonly outer: DeviceContext, private readonly bridge: BridgeState) {}

  get now(): number {
    return this.outer.now;
  }

  get actionId(): number | undefined {
    return this.outer.actionId;
  }

  name(deviceId: string): string {
    return this.outer.name(deviceId);
  }

  emit(event: EmittedEvent): void {
    this.outer.emit(event);
  }

  /** The local interface is always up; a real port has a link when it has a cable. */
  isConnected(port: string): boolean {
    return port === this.bridge.id || this.outer.isConnected(port);
  }

  /** The host stack's send: into the bridge (br_dev_xmit). */
  send(_port: string, bytes: Uint8Array): void {
    bridgeXmit(this, this.bridge, bytes);
  }

  /** The bridge forwarding a frame of its own host: a new frame on the wire, not a copy of one that arrived. */
  relay(port: string, bytes: Uint8Array): void {
    this.outer.send(port, bytes);
  }

  setTimer(delay: number, timer: HostTimer): void {
    this.outer.setTimer(delay, timer);
  }

  cancelTimers(match: (timer: HostTimer) => boolean): void {
    this.outer.cancelTimers(match);
  }

  finishAction(actionId: number, ok: boolean, reason: Parameters<DeviceContext['finishAction']>[2], text: string): void {
    this.outer.finishAction(actionId, ok, reason, text);
  }
}

/**
 * The host stack of a bridge's local interface and the context to run it with, for the engine to
 * start an action from the bridge; null when the bridge has none.
 */
export function bridgeLocalStack(ctx: DeviceContext, bridge: BridgeState): { ctx: DeviceContext; host: HostState } | null {
  return bridge.local === undefined ? null : { ctx: new LocalContext(ctx, bridge), host: bridge.local };
}

/** A timer of the local interface's stack (ARP retry, ping timeout, reassembly): only it sets any. */
export function bridgeTimer(ctx: DeviceContext, bridge: BridgeState, timer: HostTimer): void {
  if (bridge.local !== undefined) hostTimer(new LocalContext(ctx, bridge), bridge.local, timer);
}

/** "15 s", "0.5 s": seconds to one decimal, without a trailing ".0". */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
