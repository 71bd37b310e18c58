// A VXLAN device inside a namespace (drivers/net/vxlan/vxlan_core.c): its FDB of inner MAC →
// remote VTEPs, vxlan_xmit (FDB lookup, the all-zeros flood list, one copy per remote) and
// vxlan_xmit_one (the outer IPv4/UDP/VXLAN headers, routed by the namespace's own stack), and
// vxlan_rcv (the VNI lookup, vxlan_snoop's learning, the inner frame handed to the VXLAN interface:
// a bridge port's to its bridge, or to the interface's own stack). Ageing as vxlan_cleanup does
// it, done when a frame passes (as the bridge's), not every 10 s.
//
// The VXLAN interface is also one of the namespace's interfaces (HostNic with `vxlan` set): a
// bridge sends into it through the context tunnelPorts() gives the bridge, and the stack sends out
// of it through sendOn.

import type { VxlanSpec } from '../../scenario/format';
import type { ReasonArgs, VxlanArgs } from '../../trace';
import { encodeEthernetFrame, ETHERNET_HEADER_LENGTH, ETHERTYPE_IPV4, readDestinationMac, readSourceMac } from '../../wire/ethernet';
import { encodeIcmpMessage, fragmentationNeeded, isIcmpError } from '../../wire/icmp';
import { encodeIpv4Packet, IP_PROTOCOL_ICMP, IP_PROTOCOL_UDP, type DecodedIpv4Packet } from '../../wire/ipv4';
import { ipv4FromBytes } from '../../wire/ipv4-address';
import type { Ipv4Address } from '../../wire/ipv4-address';
import { isBroadcastMac, isMulticastMac, type MacAddress, ZERO_MAC } from '../../wire/mac-address';
import { encodeUdpDatagram, type DecodedUdpDatagram } from '../../wire/udp';
import { decodeVxlanPacket, encodeVxlanPacket, innerFlowHash, udpFlowSourcePort, VXLAN_HEADROOM, vxlanVniValid } from '../../wire/vxlan';
import { WireError } from '../../wire/wire-error';
import type { BridgeState } from '../bridge/state';
import type { DeviceContext, EmittedEvent } from '../context';
import { ipOutput } from './output';
import { routeTo } from './route';
import { receiveOn } from './receive';
import { bridgeOfPort, DEFAULT_MTU, DEFAULT_TTL, EPHEMERAL_PORT_FIRST, EPHEMERAL_PORT_LAST, type HostContext, type HostNic, type HostState, type HostTimer, MIN_PATH_MTU, nextIdentification, PATH_MTU_EXPIRES_MS } from './state';

/** Linux's VXLAN port (vxlan_port); IANA's is 4789. */
export const VXLAN_DEFAULT_PORT = 8472;
/** FDB_AGE_DEFAULT: a learned entry lives 300 s after its last use. */
export const VXLAN_DEFAULT_AGEING_SECONDS = 300;

/** One line of the VXLAN FDB (struct vxlan_fdb with its remotes). */
export interface VxlanFdbEntry {
  mac: MacAddress;
  /** The remote VTEPs, in the order they were added (`append`): one for a unicast MAC, any number for all-zeros. */
  remotes: Ipv4Address[];
  /** Installed by the scenario (`bridge fdb append`, NUD_PERMANENT): never aged, never moved by learning. */
  static: boolean;
  /** Milliseconds: last looked up by a frame sent or heard (f->used), what ageing counts from. */
  used: number;
  /** Milliseconds: when it was created or its remote last changed (f->updated). */
  updated: number;
}

/** A VXLAN device (struct vxlan_dev): its configuration and its FDB. */
export interface VxlanState {
  name: string;
  mac: MacAddress;
  vni: number;
  /** The outer source address; absent: the address of the interface each remote's route leaves by. */
  local?: Ipv4Address;
  dev?: string;
  dstport: number;
  /** The outer UDP checksum: computed (`udpcsum`, Linux's default) or left 0 (`noudpcsum`). */
  udpcsum: boolean;
  learning: boolean;
  /** Milliseconds a learned entry lives after its last use. */
  ageing: number;
  /** By MAC, in the order entries were made (Linux lists them in hash order, which is no order). */
  fdb: Map<MacAddress, VxlanFdbEntry>;
  /** Earliest time a learned entry can expire (Infinity: none can). */
  nextSweep: number;
  /** The key of the outer source port's flow hash (Linux: the boot-time hashrnd), from the run's random. */
  hashSeed: number;
}

/** The MTU a VXLAN device gets without `mtu` (vxlan_config_apply): its `dev`'s MTU − 50, else 1500. */
export function vxlanMtu(spec: VxlanSpec, lowerMtu: number | undefined): number {
  const max = lowerMtu === undefined ? undefined : Math.max(68, lowerMtu - VXLAN_HEADROOM);
  const mtu = spec.mtu ?? max ?? DEFAULT_MTU;
  return max !== undefined && mtu > max ? max : mtu;
}

export function createVxlan(spec: VxlanSpec, random: () => number): VxlanState {
  const fdb = new Map<MacAddress, VxlanFdbEntry>();
  for (const entry of spec.fdb ?? []) {
    const known = fdb.get(entry.mac);
    if (known) {
      if (!known.remotes.includes(entry.dst)) known.remotes.push(entry.dst);
    } else fdb.set(entry.mac, { mac: entry.mac, remotes: [entry.dst], static: true, used: 0, updated: 0 });
  }
  const state: VxlanState = {
    name: spec.name,
    mac: spec.mac,
    vni: spec.vni,
    dstport: spec.dstport ?? VXLAN_DEFAULT_PORT,
    udpcsum: spec.udpcsum ?? true,
    learning: spec.learning ?? true,
    // vxlan_config_validate: `if (!conf->age_interval) conf->age_interval = FDB_AGE_DEFAULT`.
    ageing: (spec.ageing || VXLAN_DEFAULT_AGEING_SECONDS) * 1000,
    fdb,
    nextSweep: Infinity,
    // The run's generator gives 32-bit words (host/state.ts takes `random() & 0xffff`).
    hashSeed: random() >>> 0,
  };
  if (spec.local !== undefined) state.local = spec.local;
  if (spec.dev !== undefined) state.dev = spec.dev;
  return state;
}

export function vxlanNamed(host: HostState, name: string): VxlanState | undefined {
  const vxlans = host.vxlans;
  if (vxlans === undefined) return undefined;
  for (let i = 0; i < vxlans.length; i++) if (vxlans[i]!.name === name) return vxlans[i];
  return undefined;
}

/** The FDB as `bridge fdb show dev vxlan0` lists it: one row per remote, live entries only. */
export interface VxlanFdbRow {
  mac: MacAddress;
  dst: Ipv4Address;
  /** "static" (installed, `permanent`) or "learned". */
  origin: 'static' | 'learned';
  /** Milliseconds since last used (0 for static entries, which do not age). */
  age: number;
}

export function vxlanFdbRows(vxlan: VxlanState, now: number): VxlanFdbRow[] {
  const rows: VxlanFdbRow[] = [];
  for (const entry of vxlan.fdb.values()) {
    if (!entry.static && now - entry.used >= vxlan.ageing) continue;
    for (const dst of entry.remotes) rows.push({ mac: entry.mac, dst, origin: entry.static ? 'static' : 'learned', age: entry.static ? 0 : now - entry.used });
  }
  return rows;
}

/** vxlan_cleanup: learned entries unused for `ageing` are removed, each with an event. */
function sweep(ctx: HostContext, vxlan: VxlanState): void {
  if (ctx.now < vxlan.nextSweep) return;
  let next = Infinity;
  for (const entry of [...vxlan.fdb.values()]) {
    if (entry.static) continue;
    const expires = entry.used + vxlan.ageing;
    if (expires <= ctx.now) {
      vxlan.fdb.delete(entry.mac);
      emitVxlan(ctx, 'expire', 'vxlan-fdb-aged', vxlan.name, undefined, { vxlan: vxlan.name, vni: vxlan.vni, mac: entry.mac, remote: entry.remotes[0]!, seconds: (ctx.now - entry.used) / 1000, ageing: vxlan.ageing / 1000 });
    } else if (expires < next) next = expires;
  }
  vxlan.nextSweep = next;
}

/** `args` undefined: a hot path that did not build them, nobody reading them (ctx.tracing false). */
function emitVxlan(ctx: HostContext, kind: EmittedEvent['kind'], reason: keyof ReasonArgs & `vxlan-${string}`, port: string | undefined, frame: Uint8Array | undefined, args: VxlanArgs | undefined): void {
  const event: EmittedEvent = { kind, reason, args: ctx.tracing ? (args as ReasonArgs[typeof reason]) : undefined };
  if (port !== undefined) event.port = port;
  if (frame !== undefined) event.frame = frame;
  ctx.emit(event);
}

/**
 * vxlan_xmit: the inner frame's destination MAC is looked up in the FDB; a hit goes to its remote,
 * anything else to every remote of the all-zeros entry (head-end replication); without one the
 * frame is dropped. `origin`: the origin the outer packets keep (the inner frame's).
 */
export function vxlanXmit(ctx: HostContext, host: HostState, vxlan: VxlanState, inner: Uint8Array): number | undefined {
  // dev_xmit_recursion: an outer packet routed back into the VXLAN device (through a bridge it is a
  // port of) would wrap itself for ever; the kernel stops at XMIT_RECURSION_LIMIT nested transmits.
  if (xmitDepth >= XMIT_RECURSION_LIMIT) {
    emitVxlan(ctx, 'drop', 'vxlan-recursion', vxlan.name, inner, { vxlan: vxlan.name, vni: vxlan.vni });
    return undefined;
  }
  xmitDepth++;
  try {
    vxlanXmitFrame(ctx, host, vxlan, inner);
  } finally {
    xmitDepth--;
  }
  return undefined;
}

/** XMIT_RECURSION_LIMIT (include/linux/netdevice.h). */
const XMIT_RECURSION_LIMIT = 8;
/** Nested vxlanXmit calls of the step being handled (a step runs to the end without yielding). */
let xmitDepth = 0;

function vxlanXmitFrame(ctx: HostContext, host: HostState, vxlan: VxlanState, inner: Uint8Array): void {
  sweep(ctx, vxlan);
  const destination = readDestinationMac(inner);
  const hit = vxlan.fdb.get(destination);
  let entry = hit;
  if (entry === undefined) entry = vxlan.fdb.get(ZERO_MAC);
  if (entry === undefined) {
    emitVxlan(ctx, 'drop', 'vxlan-no-remote', vxlan.name, inner, { vxlan: vxlan.name, vni: vxlan.vni, mac: destination, why: whyFlood(destination) });
    return;
  }
  // vxlan_find_mac: a lookup that finds an entry marks it used.
  entry.used = ctx.now;
  // The args of every frame sent are built only for someone who reads them (ctx.tracing).
  const traced = ctx.tracing;
  if (hit !== undefined && hit.mac !== ZERO_MAC) emitVxlan(ctx, 'forward', 'vxlan-fdb-hit', vxlan.name, inner, traced ? { vxlan: vxlan.name, vni: vxlan.vni, mac: destination, remote: hit.remotes[0]!, remotes: hit.remotes } : undefined);
  else emitVxlan(ctx, 'flood', 'vxlan-flood', vxlan.name, inner, traced ? { vxlan: vxlan.name, vni: vxlan.vni, mac: destination, remotes: entry.remotes, why: whyFlood(destination) } : undefined);
  // The first remote gets the frame itself, after every other remote has had its clone (the loop
  // keeps `fdst` for last): the copies leave in the order remotes[1], …, remotes[n − 1], remotes[0].
  const remotes = entry.remotes;
  for (let i = 1; i < remotes.length; i++) vxlanXmitOne(ctx, host, vxlan, inner, remotes[i]!);
  vxlanXmitOne(ctx, host, vxlan, inner, remotes[0]!);
}

function whyFlood(mac: MacAddress): 'broadcast' | 'multicast' | 'unknown' {
  return isBroadcastMac(mac) ? 'broadcast' : isMulticastMac(mac) ? 'multicast' : 'unknown';
}

/**
 * vxlan_xmit_one for one remote: the route to it (vxlan_get_route; none, or one back through the
 * VXLAN device itself, is a tx error), the outer source port from the inner flow's hash
 * (udp_flow_src_port), then VXLAN, UDP with its checksum (`udpcsum`, the default: without
 * VXLAN_F_UDP_ZERO_CSUM_TX) or none (`noudpcsum`), and IPv4 with TTL 64 and DF clear (cfg.ttl 0 → ip4_dst_hoplimit; cfg.df unset), ECN
 * copied from the inner packet (ip_tunnel_ecn_encap), sent as the namespace sends its own packets
 * (ip_local_out: netfilter's output hook, the neighbour layer, fragments when it does not fit).
 */
function vxlanXmitOne(ctx: HostContext, host: HostState, vxlan: VxlanState, inner: Uint8Array, remote: Ipv4Address): void {
  const route = routeTo(host, remote);
  if ('error' in route) {
    emitVxlan(ctx, 'drop', 'vxlan-no-route', vxlan.name, inner, { vxlan: vxlan.name, vni: vxlan.vni, remote, error: route.error });
    return;
  }
  if (route.nic.vxlan === true && route.nic.name === vxlan.name) {
    emitVxlan(ctx, 'drop', 'vxlan-no-route', vxlan.name, inner, { vxlan: vxlan.name, vni: vxlan.vni, remote, error: `the route to ${remote} leads back through ${vxlan.name} itself (a circular route)` });
    return;
  }
  const source = vxlan.local ?? route.nic.ip;
  if (source === undefined) {
    emitVxlan(ctx, 'drop', 'vxlan-no-route', vxlan.name, inner, { vxlan: vxlan.name, vni: vxlan.vni, remote, error: `${route.nic.name}, the way to ${remote}, has no address to send from` });
    return;
  }
  if (!tunnelCheckPmtu(ctx, host, vxlan, inner, route.nic.mtu - VXLAN_HEADROOM)) return;
  const sourcePort = udpFlowSourcePort(innerFlowHash(inner, vxlan.hashSeed), EPHEMERAL_PORT_FIRST, EPHEMERAL_PORT_LAST);
  const udp = encodeUdpDatagram({ sourcePort, destinationPort: vxlan.dstport, payload: encodeVxlanPacket({ vni: vxlan.vni, frame: inner }) }, { source, destination: remote }, { checksum: vxlan.udpcsum });
  const packet = encodeIpv4Packet({
    dscp: 0, ecn: innerEcn(inner), identification: nextIdentification(host), dontFragment: false, moreFragments: false, fragmentOffset: 0,
    ttl: DEFAULT_TTL, protocol: IP_PROTOCOL_UDP, source, destination: remote, payload: udp,
  });
  emitVxlan(ctx, 'forward', 'vxlan-encap', vxlan.name, inner, ctx.tracing ? { vxlan: vxlan.name, vni: vxlan.vni, remote, source, sourcePort, dstport: vxlan.dstport, bytes: packet.length, mtu: route.nic.mtu } : undefined);
  ipOutput(ctx, host, route, packet, route.nic.mtu, undefined, 'encap');
  return;
}

/**
 * skb_tunnel_check_pmtu: an inner packet bigger than the underlay's MTU − 50 (a device MTU set above
 * what its underlay carries: no `dev`, or the underlay's MTU lowered after). A frame the bridge
 * forwards into the device (a bridge port's, not one its own stack sent: PACKET_HOST) that is an
 * IPv4 packet with DF set, not an ICMP error, from and to unicast addresses, and with that MTU at
 * least 576, is answered by the device itself (iptunnel_pmtud_build_icmp): ICMP "fragmentation
 * needed" as if from the inner destination, within 576 bytes, handed back into the device as if it
 * had arrived (vxlan_encap_bypass), and the frame is dropped. Anything else goes on, its outer
 * packet to be fragmented (DF is clear); a frame of the namespace's own stack (vxlan0 with an
 * address) teaches the stack the smaller path MTU for next time. Returns whether the frame goes on.
 */
function tunnelCheckPmtu(ctx: HostContext, host: HostState, vxlan: VxlanState, inner: Uint8Array, mtu: number): boolean {
  const l3 = ETHERNET_HEADER_LENGTH;
  if (inner.length - l3 <= mtu) return true;
  const ipv4 = ((inner[12]! << 8) | inner[13]!) === ETHERTYPE_IPV4 && inner.length >= l3 + 20 && inner[l3]! >> 4 === 4;
  if (!ipv4) return true;
  const source = ipv4FromBytes(inner, l3 + 12);
  const destination = ipv4FromBytes(inner, l3 + 16);
  const bridged = bridgeOfPort(host, vxlan.name) !== undefined;
  if (!bridged) {
    // skb_dst_update_pmtu_no_confirm on the stack's own route to the inner destination.
    const known = host.pathMtu?.get(destination);
    if (known === undefined || known.mtu > mtu || known.expires <= ctx.now) (host.pathMtu ??= new Map()).set(destination, { mtu: Math.max(mtu, MIN_PATH_MTU), expires: ctx.now + PATH_MTU_EXPIRES_MS });
    return true;
  }
  // PACKET_HOST: a frame br0's own stack sent (br_dev_xmit) is its own, and gets no ICMP.
  if (readSourceMac(inner) === bridgeOfPort(host, vxlan.name)!.localMac) return true;
  const flags = (inner[l3 + 6]! << 8) | inner[l3 + 7]!;
  const first = (s: string) => Number(s.slice(0, s.indexOf('.')));
  const unicast = (s: string) => first(s) < 224 && s !== '0.0.0.0' && first(s) !== 0 && first(s) !== 127;
  const protocol = inner[l3 + 9]!;
  const ihl = (inner[l3]! & 0x0f) * 4;
  if (mtu < 576 || flags !== 0x4000 || !unicast(source) || destination === '255.255.255.255' || first(destination) >= 224 || (protocol === IP_PROTOCOL_ICMP && isIcmpError(inner[l3 + ihl] ?? 0))) return true;
  const packet = inner.subarray(l3);
  const icmp = encodeIcmpMessage(fragmentationNeeded(mtu, packet));
  const reply = encodeIpv4Packet({ dscp: 0, ecn: 0, identification: 0, dontFragment: true, moreFragments: false, fragmentOffset: 0, ttl: inner[l3 + 8]!, protocol: IP_PROTOCOL_ICMP, source: destination, destination: source, payload: icmp });
  const frame = encodeEthernetFrame({ destination: readSourceMac(inner), source: readDestinationMac(inner), etherType: ETHERTYPE_IPV4, payload: reply });
  emitVxlan(ctx, 'drop', 'vxlan-frag-needed', vxlan.name, inner, { vxlan: vxlan.name, vni: vxlan.vni, bytes: packet.length, mtu, source, remote: destination });
  emitVxlan(ctx, 'deliver', 'vxlan-frag-needed-reply', vxlan.name, frame, { vxlan: vxlan.name, vni: vxlan.vni, mtu, source: destination, remote: source });
  // vxlan_encap_bypass: back into the device as if received, without learning from it.
  receiveOn(ctx, host, vxlan.name, frame);
  return false;
}

/** ip_tunnel_ecn_encap with tos 0 (INET_ECN_encapsulate): the inner IPv4 packet's ECN bits, CE sent as ECT(0). */
function innerEcn(inner: Uint8Array): number {
  let offset = ETHERNET_HEADER_LENGTH;
  let type = (inner[12]! << 8) | inner[13]!;
  if (type === 0x8100 && inner.length >= 18) {
    type = (inner[16]! << 8) | inner[17]!;
    offset += 4;
  }
  if (type !== 0x0800 || inner.length <= offset + 1) return 0;
  const ecn = inner[offset + 1]! & 0x03;
  return ecn === 0x03 ? 0x02 : ecn;
}

/**
 * vxlan_rcv for a datagram the namespace's VXLAN socket on its port took: the header checked (the
 * VNI flag, then the VNI's device, then the reserved bits), vxlan_set_mac's checks on the inner
 * source and vxlan_snoop's learning, and the inner frame handed to the VXLAN interface. `deliver`
 * takes the inner frame on from there (receive.ts: the bridge, or the interface's own stack).
 */
export function vxlanRcv(ctx: HostContext, host: HostState, nic: HostNic, packet: DecodedIpv4Packet, udp: DecodedUdpDatagram, bytes: Uint8Array, deliver: (vxlan: VxlanState, inner: Uint8Array) => void): void {
  const port = udp.destinationPort;
  let decoded;
  try {
    decoded = decodeVxlanPacket(udp.payload);
  } catch (error) {
    if (!(error instanceof WireError)) throw error;
    emitVxlan(ctx, 'drop', 'vxlan-malformed', nic.port, bytes, { vxlan: '', vni: 0, error: error.message, dstport: port, source: packet.source });
    return;
  }
  if (!vxlanVniValid(decoded)) {
    emitVxlan(ctx, 'drop', 'vxlan-bad-flags', nic.port, bytes, { vxlan: '', vni: decoded.vni, flags: decoded.flags, dstport: port, source: packet.source });
    return;
  }
  let vxlan: VxlanState | undefined;
  for (const candidate of host.vxlans ?? []) if (candidate.dstport === port && candidate.vni === decoded.vni) vxlan = candidate;
  if (vxlan === undefined) {
    emitVxlan(ctx, 'drop', 'vxlan-unknown-vni', nic.port, bytes, { vxlan: '', vni: decoded.vni, dstport: port, source: packet.source, known: vnisOn(host, port) });
    return;
  }
  if (decoded.reservedBitsSet) {
    emitVxlan(ctx, 'drop', 'vxlan-reserved-bits', nic.port, bytes, { vxlan: vxlan.name, vni: vxlan.vni, flags: decoded.flags, source: packet.source });
    return;
  }
  const inner = decoded.frame;
  sweep(ctx, vxlan);
  const innerSource = readSourceMac(inner);
  // vxlan_set_mac: a frame from the device's own MAC is a loop (or its own multicast echo)...
  if (innerSource === vxlan.mac) {
    emitVxlan(ctx, 'drop', 'vxlan-own-source', vxlan.name, inner, { vxlan: vxlan.name, vni: vxlan.vni, mac: innerSource, source: packet.source });
    return;
  }
  // ...and one from a group or zero address is invalid (is_valid_ether_addr).
  if (innerSource === ZERO_MAC || isMulticastMac(innerSource)) {
    emitVxlan(ctx, 'drop', 'vxlan-invalid-source', vxlan.name, inner, { vxlan: vxlan.name, vni: vxlan.vni, mac: innerSource, source: packet.source });
    return;
  }
  if (vxlan.learning && !vxlanSnoop(ctx, vxlan, packet.source, innerSource, inner)) return;
  // No closure here (nor above): one would have V8 allocate a context for vxlanRcv's arguments on every packet.
  let bridge: BridgeState | undefined;
  for (const b of host.bridges ?? []) if (bridge === undefined && b.ports.includes(vxlan.name)) bridge = b;
  let args: VxlanArgs | undefined;
  if (ctx.tracing) {
    args = { vxlan: vxlan.name, vni: vxlan.vni, source: packet.source, mac: innerSource };
    if (bridge !== undefined) args.bridge = bridge.id;
  }
  emitVxlan(ctx, 'deliver', 'vxlan-decap', vxlan.name, inner, args);
  deliver(vxlan, inner);
}

/** The VNIs of the namespace's VXLAN devices on UDP `port`. */
function vnisOn(host: HostState, port: number): number[] {
  return (host.vxlans ?? []).filter((candidate) => candidate.dstport === port).map((candidate) => candidate.vni);
}

/**
 * vxlan_snoop: the inner source MAC is behind the outer source IP. A known entry with that remote
 * is only marked used; a learned one with another remote moves (Linux logs "migrated"); a static
 * one never moves, and the frame is dropped (the function returns true: "bogus"). An unknown MAC
 * is learned. Returns whether the frame goes on.
 */
function vxlanSnoop(ctx: HostContext, vxlan: VxlanState, source: Ipv4Address, mac: MacAddress, inner: Uint8Array): boolean {
  const entry = vxlan.fdb.get(mac);
  if (entry !== undefined && entry.remotes[0] === source) {
    // The commonest case (a known MAC from the same remote) builds its args only for someone who reads them.
    entry.used = ctx.now;
    if (!entry.static) emitVxlan(ctx, 'learn', 'vxlan-fdb-refresh', vxlan.name, undefined, ctx.tracing ? { vxlan: vxlan.name, vni: vxlan.vni, mac, remote: source } : undefined);
    return true;
  }
  const args: VxlanArgs = { vxlan: vxlan.name, vni: vxlan.vni, mac, remote: source };
  if (entry !== undefined) {
    entry.used = ctx.now;
    if (entry.static) {
      args.previous = entry.remotes[0]!;
      emitVxlan(ctx, 'drop', 'vxlan-static-conflict', vxlan.name, inner, args);
      return false;
    }
    args.previous = entry.remotes[0]!;
    entry.remotes = [source];
    entry.updated = ctx.now;
    emitVxlan(ctx, 'learn', 'vxlan-fdb-move', vxlan.name, undefined, args);
    return true;
  }
  vxlan.fdb.set(mac, { mac, remotes: [source], static: false, used: ctx.now, updated: ctx.now });
  vxlan.nextSweep = Math.min(vxlan.nextSweep, ctx.now + vxlan.ageing);
  emitVxlan(ctx, 'learn', 'vxlan-fdb-learn', vxlan.name, undefined, args);
  return true;
}

/**
 * The context a namespace's bridge runs with when one of its ports is a VXLAN device: that port has
 * no link, and what the bridge sends out of it goes into vxlan_xmit instead of onto a wire. Every
 * other port, and everything else, is the engine's context. The bridge's code (forward.ts) stays
 * the same for boxes and namespaces.
 */
export function tunnelPorts(ctx: HostContext, host: HostState): HostContext {
  if (host.vxlans === undefined) return ctx;
  return new TunnelPorts(ctx, host);
}

/** A bridge's linked ports plus its VXLAN ports, in the bridge's order, by the engine's list (and the bridge's ports). */
const withTunnels = new WeakMap<readonly string[], WeakMap<readonly string[], readonly string[]>>();

class TunnelPorts implements HostContext {
  constructor(private readonly base: HostContext, private readonly host: HostState) {}

  get now(): number {
    return this.base.now;
  }

  get actionId(): number | undefined {
    return this.base.actionId;
  }

  get origin(): number | undefined {
    return this.base.origin;
  }

  get tracing(): boolean {
    return this.base.tracing;
  }

  name(id: string): string {
    return this.base.name(id);
  }

  emit(event: EmittedEvent): void {
    this.base.emit(event);
  }

  isConnected(port: string): boolean {
    return vxlanNamed(this.host, port) !== undefined || this.base.isConnected(port);
  }

  linkedPorts(ports: readonly string[]): readonly string[] {
    const linked = this.base.linkedPorts(ports);
    let byPorts = withTunnels.get(linked);
    if (byPorts === undefined) withTunnels.set(linked, (byPorts = new WeakMap()));
    let list = byPorts.get(ports);
    if (list === undefined) {
      list = Object.freeze(ports.filter((port) => linked.includes(port) || vxlanNamed(this.host, port) !== undefined));
      byPorts.set(ports, list);
    }
    return list;
  }

  send(port: string, bytes: Uint8Array): number | undefined {
    const vxlan = vxlanNamed(this.host, port);
    return vxlan === undefined ? this.base.send(port, bytes) : vxlanXmit(this.base, this.host, vxlan, bytes);
  }

  relay(port: string, bytes: Uint8Array): number | undefined {
    const vxlan = vxlanNamed(this.host, port);
    return vxlan === undefined ? this.base.relay(port, bytes) : vxlanXmit(this.base, this.host, vxlan, bytes);
  }

  relayAll(ports: readonly string[], skip: number, bytes: Uint8Array): void {
    for (let i = 0; i < ports.length; i++) if (i !== skip) this.relay(ports[i]!, bytes);
  }

  sendRouted(port: string, bytes: Uint8Array, origin?: number): number | undefined {
    const vxlan = vxlanNamed(this.host, port);
    return vxlan === undefined ? this.base.sendRouted(port, bytes, origin) : vxlanXmit(this.base, this.host, vxlan, bytes);
  }

  copy(port: string, bytes: Uint8Array, loop: number, origin: number): number | undefined {
    const vxlan = vxlanNamed(this.host, port);
    return vxlan === undefined ? this.base.copy(port, bytes, loop, origin) : vxlanXmit(this.base, this.host, vxlan, bytes);
  }

  setTimer(delay: number, timer: HostTimer): void {
    this.base.setTimer(delay, timer);
  }

  cancelTimers(match: (timer: HostTimer) => boolean): void {
    this.base.cancelTimers(match);
  }

  finishAction(actionId: number, ok: boolean, reason: Parameters<DeviceContext['finishAction']>[2], text: string): void {
    this.base.finishAction(actionId, ok, reason, text);
  }
}
