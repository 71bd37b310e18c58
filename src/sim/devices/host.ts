// A host or a router: one or more NICs (each optionally with 802.1Q sub-interfaces), IPv4 with a
// longest-prefix route lookup, an ARP cache with bounded retries, and ICMP — the IPv4 send, receive
// and forward paths as Linux takes them (ip_route_output, neigh_resolve_output, arp_process,
// ip_rcv, ip_forward, icmp_echo, icmp_send). A host never forwards (ip_forward=0); a router does.
// Neighbours (the ARP cache, pending resolutions and their retry timers) are keyed by (interface, IP),
// as neigh_lookup(tbl, key, dev) keys them. Simplifications, stated on the page: ARP entries never
// go stale, no IP options or fragments, no ICMP redirects, no reverse-path filter (rp_filter=0).

import type { HostSpec, RouterSpec } from '../scenario/format';
import { nameSome } from '../trace';
import { ARP_REPLY, ARP_REQUEST, decodeArpPacket, encodeArpPacket, type ArpPacket } from '../wire/arp';
import { decodeEthernetFrame, encodeEthernetFrame, ETHERTYPE_ARP, ETHERTYPE_IPV4, ETHERTYPE_LOCAL_EXPERIMENTAL, readDestinationMac, readVlanTag } from '../wire/ethernet';
import {
  decodeIcmpMessage, destinationUnreachable, echoIdentifier, echoReply, echoRequest, echoSequence, encodeIcmpMessage, ICMP_DESTINATION_UNREACHABLE, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST,
  ICMP_TIME_EXCEEDED, ICMP_UNREACHABLE_HOST, ICMP_UNREACHABLE_NETWORK, isIcmpError, timeExceeded,
} from '../wire/icmp';
import { decodeIpv4Packet, decrementTtl, encodeIpv4Packet, IP_PROTOCOL_ICMP } from '../wire/ipv4';
import { broadcastAddress, inSameSubnet, IPV4_BROADCAST, ipv4FromBytes, networkAddress, parseIpv4Cidr, type Ipv4Address } from '../wire/ipv4-address';
import { BROADCAST_MAC, isBroadcastMac, type MacAddress } from '../wire/mac-address';
import { WireError } from '../wire/wire-error';
import type { DeviceContext } from './context';

/** Linux neigh defaults: mcast_solicit = 3 probes, retrans_time = 1 s. */
export const ARP_PROBES = 3;
export const ARP_RETRANSMIT_MS = 1000;
/** Linux neigh locktime: a different answer within 1 s of the last update is ignored. */
export const ARP_LOCKTIME_MS = 1000;
/** How long a ping waits for its reply after the request is sent. */
export const PING_TIMEOUT_MS = 4000;
export const DEFAULT_TTL = 64;
/**
 * iputils `ping` sends 56 data bytes (a 98-byte frame): a struct timeval of the send time (two
 * little-endian 64-bit words on x86-64, here the virtual time) over a pattern where byte k is k.
 */
export function pingData(now: number): Uint8Array {
  const data = Uint8Array.from({ length: 56 }, (_, k) => k);
  const view = new DataView(data.buffer);
  view.setBigUint64(0, BigInt(Math.floor(now / 1000)), true);
  view.setBigUint64(8, BigInt((now % 1000) * 1000), true);
  return data;
}

/** An interface: a NIC ("eth0") or an 802.1Q sub-interface of one ("eth0.10", same port and MAC, its own VLAN). */
export interface HostNic {
  /** The interface name: the port for the NIC itself, "<port>.<vlan>" for a sub-interface. */
  name: string;
  port: string;
  mac: MacAddress;
  /** Set on a sub-interface: frames leave tagged with it, and only frames tagged with it arrive. */
  vlan?: number;
  ip?: Ipv4Address;
  prefixLength?: number;
}

export interface ArpEntry {
  ip: Ipv4Address;
  mac: MacAddress;
  /** The interface the neighbour was learned on ("eth0", "eth0.10"). */
  port: string;
  updated: number;
}

export interface PendingPacket {
  /** An encoded IPv4 packet waiting for its next hop's MAC. */
  packet: Uint8Array;
  actionId?: number;
  /** Set when a router is forwarding it: on failure, it tells the sender (ICMP host unreachable). */
  forwarded?: boolean;
}

/** An unresolved neighbour (state INCOMPLETE): the probes sent so far and what waits on it. */
export interface PendingResolution {
  ip: Ipv4Address;
  /** The interface the ARP requests go out of. */
  port: string;
  probes: number;
  packets: PendingPacket[];
  /** `arp` actions waiting for this answer. */
  arpActions: number[];
}

export interface PingRecord {
  actionId: number;
  destination: Ipv4Address;
  sentAt: number;
}

/** `port` of an arp-retry timer is the interface the resolution runs on ("eth1", "eth0.10"). */
export type HostTimer = { type: 'arp-retry'; port: string; ip: Ipv4Address } | { type: 'ping-timeout'; key: string };

/** A static route (`ip route add <network>/<prefixLength> via <via>`). */
export interface StaticRoute {
  network: Ipv4Address;
  prefixLength: number;
  via: Ipv4Address;
}

export interface HostState {
  /** A router is a host with IP forwarding on and static routes. */
  kind: 'host' | 'router';
  id: string;
  /** Every interface: each NIC, then its sub-interfaces. */
  nics: HostNic[];
  gateway?: Ipv4Address;
  /** Static routes (routers only; absent on hosts, which keeps snapshots of many hosts small). */
  routes?: StaticRoute[];
  /** net.ipv4.ip_forward. */
  forwarding: boolean;
  // Maps, not plain objects, for every table keyed by a value from the wire or a scenario: no key
  // can meet Object.prototype. Each is absent until first written: thousands of empty Maps would
  // make every snapshot of a large topology several times slower to clone.
  /**
   * The neighbour table, one Map per interface name: Linux keys a neighbour by (dev, IP), so the same
   * IP learned on eth2 is no help for a packet leaving by eth1 (neigh_lookup(tbl, key, dev)).
   */
  arp?: Map<string, Map<Ipv4Address, ArpEntry>>;
  /** Unresolved neighbours (INCOMPLETE, each with its own queue: neigh->arp_queue), keyed as `arp`. */
  pending?: Map<string, Map<Ipv4Address, PendingResolution>>;
  /** Outstanding echo requests by "identifier:sequence". */
  pings?: Map<string, PingRecord>;
  nextIpIdentification: number;
  echoIdentifier: number;
  nextEchoSequence: number;
}

/** `random` seeds the per-host counters a real stack would pick at random (IP ID, echo identifier). */
export function createHost(spec: HostSpec | RouterSpec, random: () => number): HostState {
  const nics: HostNic[] = [];
  for (const nic of spec.nics) {
    const cidr = nic.ip ? parseIpv4Cidr(nic.ip) : null;
    nics.push(cidr ? { name: nic.port, port: nic.port, mac: nic.mac, ip: cidr.address, prefixLength: cidr.prefixLength } : { name: nic.port, port: nic.port, mac: nic.mac });
    for (const sub of nic.vlans ?? []) {
      const subCidr = parseIpv4Cidr(sub.ip)!;
      nics.push({ name: `${nic.port}.${sub.vlan}`, port: nic.port, mac: nic.mac, vlan: sub.vlan, ip: subCidr.address, prefixLength: subCidr.prefixLength });
    }
  }
  const routes: StaticRoute[] = spec.kind === 'router'
    ? (spec.routes ?? []).map((route) => {
      const cidr = parseIpv4Cidr(route.to)!;
      return { network: networkAddress(cidr.address, cidr.prefixLength), prefixLength: cidr.prefixLength, via: route.via };
    })
    : [];
  const host: HostState = {
    kind: spec.kind,
    id: spec.id,
    nics,
    forwarding: spec.kind === 'router',
    nextIpIdentification: random() & 0xffff,
    echoIdentifier: random() & 0xffff,
    nextEchoSequence: 1,
  };
  if (spec.kind === 'host' && spec.gateway) host.gateway = spec.gateway;
  if (routes.length > 0) host.routes = routes;
  return host;
}

/** 127.0.0.0/8 and 0.0.0.0 both reach the host itself through `lo`. */
function isLoopback(ip: Ipv4Address): boolean {
  return ip.startsWith('127.') || ip === '0.0.0.0';
}

/** Every IPv4 address the host owns (Linux answers ARP for any of them on any NIC: arp_ignore=0). */
export function hostAddresses(host: HostState): Ipv4Address[] {
  return host.nics.flatMap((nic) => (nic.ip ? [nic.ip] : []));
}

/** The neighbour entry for `ip` on interface `dev` (neigh_lookup), if resolved. */
export function neighbourOn(host: HostState, dev: string, ip: Ipv4Address): ArpEntry | undefined {
  return host.arp?.get(dev)?.get(ip);
}

function pendingOn(host: HostState, dev: string, ip: Ipv4Address): PendingResolution | undefined {
  return host.pending?.get(dev)?.get(ip);
}

function startResolution(host: HostState, resolution: PendingResolution): void {
  const pending = (host.pending ??= new Map());
  let table = pending.get(resolution.port);
  if (!table) pending.set(resolution.port, (table = new Map()));
  table.set(resolution.ip, resolution);
}

function endResolution(host: HostState, resolution: PendingResolution): void {
  const table = host.pending?.get(resolution.port);
  table?.delete(resolution.ip);
  if (table?.size === 0) host.pending!.delete(resolution.port);
}

interface Route {
  nic: HostNic;
  nextHop: Ipv4Address;
  /** Why this route: for the reader. */
  explanation: string;
}

/** The interface whose subnet holds `ip` (a connected route), if any. */
function onLinkInterface(host: HostState, ip: Ipv4Address): HostNic | undefined {
  return host.nics.find((n) => n.ip !== undefined && n.prefixLength !== undefined && inSameSubnet(ip, n.ip, n.prefixLength));
}

function describeInterface(nic: HostNic): string {
  return nic.vlan === undefined ? nic.name : `${nic.name} (VLAN ${nic.vlan})`;
}

/** A routing table as `ip route` lists it: connected routes, static routes, the default route. */
export interface RouteRow {
  destination: string;
  via?: Ipv4Address;
  dev: string;
  /** "connected", "static" or "default". */
  origin: 'connected' | 'static' | 'default';
}

export function routingTable(host: HostState): RouteRow[] {
  const rows: RouteRow[] = [];
  for (const nic of host.nics) {
    if (nic.ip !== undefined && nic.prefixLength !== undefined) rows.push({ destination: `${networkAddress(nic.ip, nic.prefixLength)}/${nic.prefixLength}`, dev: nic.name, origin: 'connected' });
  }
  const gateways = host.gateway === undefined ? host.routes ?? [] : [...(host.routes ?? []), { network: '0.0.0.0', prefixLength: 0, via: host.gateway }];
  for (const route of gateways) {
    const nic = onLinkInterface(host, route.via);
    const row: RouteRow = { destination: route.prefixLength === 0 ? 'default' : `${route.network}/${route.prefixLength}`, via: route.via, dev: nic?.name ?? '?', origin: route.prefixLength === 0 ? 'default' : 'static' };
    rows.push(row);
  }
  return rows;
}

/** ip_route_output / fib_lookup: the longest matching prefix among connected routes, static routes and the default gateway. */
export function routeTo(host: HostState, destination: Ipv4Address): Route | { error: string } {
  let best: Route | { error: string } | null = null;
  let bestLength = -1;
  for (const nic of host.nics) {
    if (nic.ip !== undefined && nic.prefixLength !== undefined && nic.prefixLength > bestLength && inSameSubnet(destination, nic.ip, nic.prefixLength)) {
      const subnet = `${networkAddress(nic.ip, nic.prefixLength)}/${nic.prefixLength}`;
      const who = host.forwarding ? 'the router' : 'the host';
      best = { nic, nextHop: destination, explanation: `${destination} is inside ${subnet}, the subnet of ${describeInterface(nic)}, so it is on-link: ${who} will deliver it directly` };
      bestLength = nic.prefixLength;
    }
  }
  for (const route of host.routes ?? []) {
    if (route.prefixLength > bestLength && inSameSubnet(destination, route.network, route.prefixLength)) {
      const nic = onLinkInterface(host, route.via);
      const name = route.prefixLength === 0 ? 'the default route' : `the route to ${route.network}/${route.prefixLength}`;
      best = nic
        ? { nic, nextHop: route.via, explanation: `${destination} matches ${name}, so it goes to the next hop ${route.via} (via ${describeInterface(nic)})` }
        : { error: `the next hop ${route.via} of ${name} is not inside any subnet of ${host.id}` };
      bestLength = route.prefixLength;
    }
  }
  if (best) return best;
  if (host.gateway !== undefined) {
    const gateway = host.gateway;
    const nic = onLinkInterface(host, gateway);
    if (nic) {
      return { nic, nextHop: gateway, explanation: `${destination} is outside every subnet of the host, so it goes to the default gateway ${gateway} (via ${describeInterface(nic)})` };
    }
    return { error: `the gateway ${gateway} is not inside any subnet of the host` };
  }
  const mine = host.nics.filter((n) => n.ip !== undefined).map((n) => `${networkAddress(n.ip!, n.prefixLength!)}/${n.prefixLength}`);
  const missing = host.forwarding ? 'no route matches it' : 'there is no default gateway';
  return { error: `${destination} is outside ${mine.length ? nameSome(mine, ' and ') : 'every subnet of the host (it has no IPv4 address)'} and ${missing}` };
}

// ---------------------------------------------------------------------------------------------
// Actions

export function hostPing(ctx: DeviceContext, host: HostState, actionId: number, destination: Ipv4Address): void {
  const me = ctx.name(host.id);
  if (hostAddresses(host).includes(destination) || isLoopback(destination)) {
    ctx.emit({ kind: 'action', reason: 'loopback', text: `${me} pings ${destination}, one of its own addresses: the loopback device answers and nothing goes on the wire.` });
    ctx.finishAction(actionId, true, 'ping-ok', `${destination} is ${me} itself: answered through loopback.`);
    return;
  }
  // A /31 or /32 has no broadcast address (RFC 3021).
  if (destination === IPV4_BROADCAST || host.nics.some((n) => n.ip !== undefined && n.prefixLength! < 31 && broadcastAddress(n.ip, n.prefixLength!) === destination)) {
    ctx.emit({ kind: 'drop', reason: 'unsupported', text: `${me} will not ping a broadcast address (Linux ping needs -b for that).` });
    ctx.finishAction(actionId, false, 'ping-no-route', 'A ping to the broadcast address is not sent.');
    return;
  }
  const route = routeTo(host, destination);
  if ('error' in route) {
    ctx.emit({ kind: 'drop', reason: 'no-route', text: `${me} cannot ping ${destination}: ${route.error}. "Network is unreachable", and nothing is sent.` });
    ctx.finishAction(actionId, false, 'ping-no-route', `Network is unreachable: ${route.error}.`);
    return;
  }
  const sequence = host.nextEchoSequence++;
  const icmp = encodeIcmpMessage(echoRequest(host.echoIdentifier, sequence, pingData(ctx.now)));
  const packet = encodeIpv4Packet({
    dscp: 0, ecn: 0, identification: nextIdentification(host), dontFragment: true, moreFragments: false, fragmentOffset: 0,
    ttl: DEFAULT_TTL, protocol: IP_PROTOCOL_ICMP, source: route.nic.ip!, destination, payload: icmp,
  });
  const key = `${host.echoIdentifier}:${sequence}`;
  (host.pings ??= new Map()).set(key, { actionId, destination, sentAt: ctx.now });
  ctx.emit({ kind: 'action', reason: 'ping-start', text: `${me} pings ${destination} (ICMP echo request, sequence ${sequence}): ${route.explanation}.` });
  ctx.setTimer(PING_TIMEOUT_MS, { type: 'ping-timeout', key });
  sendIpv4(ctx, host, route, packet, actionId);
}

export function hostArping(ctx: DeviceContext, host: HostState, actionId: number, target: Ipv4Address): void {
  const me = ctx.name(host.id);
  const route = routeTo(host, target);
  if ('error' in route || route.nextHop !== target) {
    const why = 'error' in route ? route.error : `${target} is not on-link (ARP only reaches the local segment)`;
    ctx.emit({ kind: 'drop', reason: 'no-route', text: `${me} cannot ARP for ${target}: ${why}.` });
    ctx.finishAction(actionId, false, 'arp-failed', `No ARP request sent: ${why}.`);
    return;
  }
  ctx.emit({ kind: 'action', reason: 'arp-start', text: `${me} asks who has ${target}, like arping: a broadcast ARP request out of ${describeInterface(route.nic)}.` });
  const pending = pendingOn(host, route.nic.name, target);
  if (pending) {
    pending.arpActions.push(actionId);
    return;
  }
  const started: PendingResolution = { ip: target, port: route.nic.name, probes: 0, packets: [], arpActions: [actionId] };
  startResolution(host, started);
  sendArpProbe(ctx, host, started);
}

export function hostSendRaw(ctx: DeviceContext, host: HostState, actionId: number, destination: MacAddress, payload: string): void {
  const me = ctx.name(host.id);
  const nic = host.nics[0]!;
  const frame = encodeEthernetFrame({ destination, source: nic.mac, etherType: ETHERTYPE_LOCAL_EXPERIMENTAL, payload: new TextEncoder().encode(payload) });
  const to = isBroadcastMac(destination) ? `the broadcast address ${destination}` : destination;
  ctx.emit({ kind: 'action', reason: 'raw-start', text: `${me} sends a raw Ethernet frame ("${payload}") to ${to} out of ${nic.port}.` });
  ctx.send(nic.port, frame);
  ctx.finishAction(actionId, true, 'raw-sent', `Frame sent to ${to}.`);
}

// ---------------------------------------------------------------------------------------------
// Send path

function nextIdentification(host: HostState): number {
  const id = host.nextIpIdentification;
  host.nextIpIdentification = (id + 1) & 0xffff;
  return id;
}

/** Puts a frame on the wire through an interface: a sub-interface inserts its 802.1Q tag (vlan_dev_hard_start_xmit). */
function sendOn(ctx: DeviceContext, nic: HostNic, destination: MacAddress, etherType: number, payload: Uint8Array): void {
  const frame = nic.vlan === undefined
    ? encodeEthernetFrame({ destination, source: nic.mac, etherType, payload })
    : encodeEthernetFrame({ destination, source: nic.mac, vlan: { pcp: 0, dei: false, vid: nic.vlan }, etherType, payload });
  ctx.send(nic.port, frame);
}

function interfaceNamed(host: HostState, name: string): HostNic {
  return host.nics.find((n) => n.name === name)!;
}

/** neigh_resolve_output: send now if the next hop's MAC is known, else queue behind an ARP request. */
function sendIpv4(ctx: DeviceContext, host: HostState, route: Route, packet: Uint8Array, actionId: number | undefined, forwarded = false): void {
  // The neighbour on the route's output interface: an entry for the same IP on another interface does not count.
  const entry = neighbourOn(host, route.nic.name, route.nextHop);
  if (entry) {
    sendOn(ctx, route.nic, entry.mac, ETHERTYPE_IPV4, packet);
    return;
  }
  const queued: PendingPacket = actionId === undefined ? { packet } : { packet, actionId };
  if (forwarded) queued.forwarded = true;
  const pending = pendingOn(host, route.nic.name, route.nextHop);
  if (pending) {
    pending.packets.push(queued);
    ctx.emit({ kind: 'arp', reason: 'arp-start', text: `${ctx.name(host.id)} is still waiting for the MAC of ${route.nextHop}; the packet waits in the queue.` });
    return;
  }
  const waiting: PendingResolution = { ip: route.nextHop, port: route.nic.name, probes: 0, packets: [queued], arpActions: [] };
  startResolution(host, waiting);
  const elsewhere = [...(host.arp ?? [])].filter(([dev, table]) => dev !== route.nic.name && table.has(route.nextHop)).map(([dev]) => dev);
  // Said only when it matters: the same IP is known, but on another interface.
  const note = elsewhere.length ? ` on ${describeInterface(route.nic)} (it knows ${route.nextHop} on ${nameSome(elsewhere, ' and ')}, but a neighbour entry belongs to one interface)` : '';
  ctx.emit({ kind: 'arp', reason: 'arp-start', text: `${ctx.name(host.id)} does not know the MAC address of ${route.nextHop}${note}: the packet waits while it broadcasts an ARP request${note ? ` out of ${route.nic.name}` : ''}.` });
  sendArpProbe(ctx, host, waiting);
}

/** The IPv4 source address of an encoded packet (bytes 12–15 of its header). */
function packetSource(packet: Uint8Array): Ipv4Address {
  return ipv4FromBytes(packet, 12);
}

/**
 * arp_solicit with arp_announce=0: the sender IP is the source of the newest queued packet
 * (neigh_probe peeks at the queue's tail) when it is one of this host's addresses, on whatever
 * interface — an echo reply from 10.0.3.1 leaving by eth1 asks "tell 10.0.3.1" — else the
 * interface's own address (inet_select_addr): a forwarded packet, or arping with nothing queued.
 */
function sendArpProbe(ctx: DeviceContext, host: HostState, pending: PendingResolution): void {
  const nic = interfaceNamed(host, pending.port);
  pending.probes += 1;
  const newest = pending.packets.at(-1);
  const source = newest === undefined ? undefined : packetSource(newest.packet);
  const senderIp = source !== undefined && hostAddresses(host).includes(source) ? source : nic.ip!;
  const request: ArpPacket = { operation: ARP_REQUEST, senderMac: nic.mac, senderIp, targetMac: '00:00:00:00:00:00', targetIp: pending.ip };
  sendOn(ctx, nic, BROADCAST_MAC, ETHERTYPE_ARP, encodeArpPacket(request));
  ctx.setTimer(ARP_RETRANSMIT_MS, { type: 'arp-retry', port: pending.port, ip: pending.ip });
}

/** neigh_update of an INCOMPLETE entry: the answer arrived on the interface that asked; its queue goes out. */
function resolved(ctx: DeviceContext, host: HostState, dev: string, ip: Ipv4Address, mac: MacAddress): void {
  const pending = pendingOn(host, dev, ip);
  if (!pending) return;
  endResolution(host, pending);
  ctx.cancelTimers((timer) => timer.type === 'arp-retry' && timer.port === dev && timer.ip === ip);
  for (const actionId of pending.arpActions) ctx.finishAction(actionId, true, 'arp-ok', `${ip} is at ${mac}.`);
  const nic = interfaceNamed(host, pending.port);
  for (const queued of pending.packets) sendOn(ctx, nic, mac, ETHERTYPE_IPV4, queued.packet);
}

// ---------------------------------------------------------------------------------------------
// Timers

export function hostTimer(ctx: DeviceContext, host: HostState, timer: HostTimer): void {
  const me = ctx.name(host.id);
  if (timer.type === 'ping-timeout') {
    const ping = host.pings?.get(timer.key);
    if (!ping) return;
    host.pings?.delete(timer.key);
    ctx.finishAction(ping.actionId, false, 'ping-timeout', `No reply from ${ping.destination} within ${PING_TIMEOUT_MS / 1000} s.`);
    return;
  }
  const pending = pendingOn(host, timer.port, timer.ip);
  if (!pending) return;
  if (pending.probes < ARP_PROBES) {
    ctx.emit({ kind: 'arp', reason: 'arp-retry', text: `No answer for ${pending.ip} after ${ARP_RETRANSMIT_MS / 1000} s: ${me} asks again (ARP request ${pending.probes + 1} of ${ARP_PROBES}).` });
    sendArpProbe(ctx, host, pending);
    return;
  }
  endResolution(host, pending);
  const waiting = pending.packets.length === 0 ? '' : pending.packets.length === 1 ? ' and drops the packet waiting for it' : ` and drops the ${pending.packets.length} packets waiting for it`;
  ctx.emit({ kind: 'arp', reason: 'arp-failed', text: `Nobody answered ${ARP_PROBES} ARP requests for ${pending.ip}: ${me} gives up${waiting}.` });
  for (const actionId of pending.arpActions) ctx.finishAction(actionId, false, 'arp-failed', `No reply to ${ARP_PROBES} ARP requests for ${pending.ip}.`);
  for (const queued of pending.packets) {
    if (queued.forwarded) {
      // A router tells the sender (net/ipv4/route.c ipv4_link_failure → icmp_send host unreachable).
      sendIcmpError(ctx, host, queued.packet, decodeIpv4Packet(queued.packet), ICMP_DESTINATION_UNREACHABLE, ICMP_UNREACHABLE_HOST);
      continue;
    }
    if (queued.actionId === undefined) continue;
    // Only this host's own ping learns of it (ipv4_link_failure → icmp_send to itself, read from the
    // ping socket's error queue). A packet it answers for someone else (an echo reply) carries that
    // someone's action too, and their ping simply gets no reply: it ends by its own timeout.
    let own = false;
    for (const [key, ping] of [...(host.pings ?? [])]) {
      if (ping.actionId === queued.actionId) {
        own = true;
        host.pings?.delete(key);
        ctx.cancelTimers((t) => t.type === 'ping-timeout' && t.key === key);
      }
    }
    if (own) ctx.finishAction(queued.actionId, false, 'ping-unreachable', `Destination Host Unreachable: nobody answered ${ARP_PROBES} ARP requests for ${pending.ip}.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Receive path

export function hostReceive(ctx: DeviceContext, host: HostState, port: string, bytes: Uint8Array): void {
  const me = ctx.name(host.id);
  let tag;
  try {
    tag = readVlanTag(bytes);
  } catch (error) {
    malformed(ctx, host, port, bytes, error);
    return;
  }
  // vlan_do_receive: a tagged frame belongs to the sub-interface of its VID; VID 0 is a priority tag only.
  const vid = tag && tag.vid !== 0 ? tag.vid : undefined;
  const nic = host.nics.find((n) => n.port === port && n.vlan === vid);
  if (!nic) {
    const subs = host.nics.filter((n) => n.port === port && n.vlan !== undefined).map((n) => n.name);
    const has = subs.length ? `its sub-interfaces are ${nameSome(subs, ', ')}` : `it has no 802.1Q sub-interface at all`;
    ctx.emit({ kind: 'drop', reason: 'vlan-unknown', port, frame: bytes, text: `${me}'s ${port} drops a frame tagged for VLAN ${vid}: ${has}, so nothing on ${me} belongs to VLAN ${vid}.` });
    return;
  }
  const destination = readDestinationMac(bytes);
  // The NIC's own filter: its address or broadcast; this host joins no multicast group.
  if (destination !== nic.mac && !isBroadcastMac(destination)) {
    ctx.emit({ kind: 'drop', reason: 'not-for-me', port, frame: bytes, text: `${me}'s ${port} ignores the frame: it is addressed to ${destination}, not to ${nic.mac}.` });
    return;
  }
  let frame;
  try {
    frame = decodeEthernetFrame(bytes);
  } catch (error) {
    malformed(ctx, host, port, bytes, error);
    return;
  }
  try {
    switch (frame.etherType) {
      case ETHERTYPE_ARP:
        arpProcess(ctx, host, nic, decodeArpPacket(frame.payload), bytes);
        return;
      case ETHERTYPE_IPV4:
        ipReceive(ctx, host, nic, frame.payload, bytes);
        return;
      case ETHERTYPE_LOCAL_EXPERIMENTAL: {
        const text = new TextDecoder().decode(frame.payload).replace(/\0+$/, '');
        const how = frame.source === nic.mac ? 'it is its own frame, come back to it' : isBroadcastMac(destination) ? 'a broadcast, so every host takes it' : 'addressed to its own MAC';
        ctx.emit({ kind: 'deliver', reason: 'raw-delivered', port, frame: bytes, text: `${me} accepts the raw frame ("${text}") from ${frame.source}: ${how}.` });
        return;
      }
      default:
        ctx.emit({ kind: 'drop', reason: 'unsupported', port, frame: bytes, text: `${me} has no handler for EtherType 0x${frame.etherType.toString(16).padStart(4, '0')}: dropped.` });
    }
  } catch (error) {
    malformed(ctx, host, port, bytes, error);
  }
}

function malformed(ctx: DeviceContext, host: HostState, port: string, bytes: Uint8Array, error: unknown): void {
  if (!(error instanceof WireError)) throw error;
  ctx.emit({ kind: 'drop', reason: 'malformed', port, frame: bytes, text: `${ctx.name(host.id)} drops a malformed frame: ${error.message}.` });
}

/** neigh_update on the receiving interface `nic`: the entry for (nic, ip), created or refreshed; other interfaces' entries stay as they are. */
function learnNeighbour(ctx: DeviceContext, host: HostState, nic: HostNic, ip: Ipv4Address, mac: MacAddress, why: string): void {
  const arp = (host.arp ??= new Map());
  let table = arp.get(nic.name);
  if (!table) arp.set(nic.name, (table = new Map()));
  const existing = table.get(ip);
  if (existing && existing.mac === mac) {
    existing.updated = ctx.now;
    return;
  }
  table.set(ip, { ip, mac, port: nic.name, updated: ctx.now });
  const where = host.nics.length > 1 ? ` for ${describeInterface(nic)}` : '';
  ctx.emit({ kind: 'arp', reason: 'arp-cache-update', port: nic.name, text: `${ctx.name(host.id)} writes ${ip} → ${mac} into its ARP cache${where} (${why}).` });
}

/** arp_process: answer requests for our addresses, take replies we asked for. */
function arpProcess(ctx: DeviceContext, host: HostState, nic: HostNic, arp: ArpPacket, bytes: Uint8Array): void {
  const me = ctx.name(host.id);
  const mine = hostAddresses(host);
  if (arp.operation === ARP_REQUEST) {
    if (!mine.includes(arp.targetIp)) {
      // Linux refreshes an entry it already has for the sender on this interface, but creates none.
      const known = neighbourOn(host, nic.name, arp.senderIp);
      if (known && (known.mac === arp.senderMac || ctx.now - known.updated >= ARP_LOCKTIME_MS)) learnNeighbour(ctx, host, nic, arp.senderIp, arp.senderMac, 'an ARP request it overheard');
      const own = mine.length ? `${me} is ${nameSome(mine, ' and ')}` : `${me} has no IPv4 address`;
      // The point of the two-NIC example: a host never passes a frame from one NIC to another.
      const ports = new Set(host.nics.map((n) => n.port)).size;
      const stuck = host.forwarding ? '; a router does not forward broadcasts, so the request goes no further' : ports > 1 ? `; a host does not pass frames from ${nic.port} to its other NICs, so the request goes no further` : '';
      ctx.emit({ kind: 'drop', reason: 'arp-request-not-for-me', port: nic.port, frame: bytes, text: `${me} reads the ARP request (who has ${arp.targetIp}?) and ignores it: ${own}${stuck}.` });
      return;
    }
    // neigh_event_ns(&arp_tbl, sha, &sip, dev): the asker's entry belongs to the interface the request came in on.
    learnNeighbour(ctx, host, nic, arp.senderIp, arp.senderMac, 'the asker told it');
    const reply: ArpPacket = { operation: ARP_REPLY, senderMac: nic.mac, senderIp: arp.targetIp, targetMac: arp.senderMac, targetIp: arp.senderIp };
    ctx.emit({ kind: 'deliver', reason: 'arp-request-for-me', port: nic.port, frame: bytes, text: `${me} owns ${arp.targetIp}: it answers ${arp.senderIp} with a unicast ARP reply "${arp.targetIp} is at ${nic.mac}"${nic.vlan === undefined ? '' : `, out of ${describeInterface(nic)}`}.` });
    sendOn(ctx, nic, arp.senderMac, ETHERTYPE_ARP, encodeArpPacket(reply));
    resolved(ctx, host, nic.name, arp.senderIp, arp.senderMac);
    return;
  }
  if (arp.operation === ARP_REPLY) {
    // __neigh_lookup(&arp_tbl, &sip, dev, 0): only the entry on the interface the reply came in on counts.
    const pending = pendingOn(host, nic.name, arp.senderIp);
    const existing = neighbourOn(host, nic.name, arp.senderIp);
    if (!pending && !existing) {
      const asking = [...(host.pending ?? [])].filter(([, table]) => table.has(arp.senderIp)).map(([dev]) => dev);
      const why = asking.length
        ? `${me} asked for ${arp.senderIp} on ${nameSome(asking, ' and ')}, not on ${describeInterface(nic)}: for ${describeInterface(nic)} the reply is unsolicited and creates no entry (arp_accept=0).`
        : `${me} never asked for ${arp.senderIp}: an unsolicited ARP reply creates no entry (arp_accept=0).`;
      ctx.emit({ kind: 'drop', reason: 'arp-unsolicited', port: nic.port, frame: bytes, text: why });
      return;
    }
    if (pending && pending.packets.length === 0 && !existing) {
      // Only arping asked. It reads replies from a raw socket; the kernel did not ask, so with
      // arp_accept=0 its cache gains nothing.
      ctx.emit({ kind: 'deliver', reason: 'arping-reply', port: nic.port, frame: bytes, text: `${me}'s arping gets its answer: ${arp.senderIp} is at ${arp.senderMac}. arping reads it from a raw socket, so the ARP cache stays as it was.` });
      resolved(ctx, host, nic.name, arp.senderIp, arp.senderMac);
      return;
    }
    if (existing && existing.mac !== arp.senderMac && ctx.now - existing.updated < ARP_LOCKTIME_MS) {
      ctx.emit({ kind: 'drop', reason: 'arp-locktime', port: nic.port, frame: bytes, text: `${me} ignores a second answer for ${arp.senderIp} (${arp.senderMac}): it learned ${existing.mac} less than 1 s ago, and within that locktime the first answer wins.` });
      if (pending) resolved(ctx, host, nic.name, arp.senderIp, existing.mac);
      return;
    }
    const how = pending ? `receives the answer it asked for: ${arp.senderIp} is at ${arp.senderMac}.` : `receives an ARP reply for ${arp.senderIp}, which it already knows: the entry is refreshed.`;
    ctx.emit({ kind: 'deliver', reason: 'arp-reply', port: nic.port, frame: bytes, text: `${me} ${how}` });
    learnNeighbour(ctx, host, nic, arp.senderIp, arp.senderMac, 'ARP reply');
    resolved(ctx, host, nic.name, arp.senderIp, arp.senderMac);
    return;
  }
  ctx.emit({ kind: 'drop', reason: 'unsupported', port: nic.port, frame: bytes, text: `${me} ignores ARP operation ${arp.operation}.` });
}

/** ip_rcv → ip_local_deliver → icmp_rcv, or ip_forward on a router. */
function ipReceive(ctx: DeviceContext, host: HostState, nic: HostNic, payload: Uint8Array, bytes: Uint8Array): void {
  const me = ctx.name(host.id);
  const packet = decodeIpv4Packet(payload);
  if (!packet.checksumValid) {
    ctx.emit({ kind: 'drop', reason: 'bad-checksum', port: nic.port, frame: bytes, text: `${me} drops the packet: its IPv4 header checksum is wrong.` });
    return;
  }
  const mine = hostAddresses(host);
  if (!mine.includes(packet.destination)) {
    if (host.forwarding) {
      ipForward(ctx, host, nic, payload.subarray(0, packet.totalLength), packet, bytes);
      return;
    }
    ctx.emit({ kind: 'drop', reason: 'ip-not-for-me', port: nic.port, frame: bytes, text: `${me} drops the packet for ${packet.destination}: that is not its address, and a host does not forward (ip_forward=0).` });
    return;
  }
  if (packet.protocol !== IP_PROTOCOL_ICMP) {
    ctx.emit({ kind: 'drop', reason: 'unsupported', port: nic.port, frame: bytes, text: `${me} has no program for IP protocol ${packet.protocol}: dropped.` });
    return;
  }
  const icmp = decodeIcmpMessage(packet.payload);
  if (!icmp.checksumValid) {
    ctx.emit({ kind: 'drop', reason: 'bad-checksum', port: nic.port, frame: bytes, text: `${me} drops the ICMP message: its checksum is wrong.` });
    return;
  }
  if (icmp.type === ICMP_ECHO_REQUEST) {
    ctx.emit({ kind: 'deliver', reason: 'echo-request', port: nic.port, frame: bytes, text: `${me} receives an echo request from ${packet.source} (TTL ${packet.ttl}) and answers with an echo reply.` });
    const reply = encodeIcmpMessage(echoReply(echoIdentifier(icmp), echoSequence(icmp), icmp.payload));
    // icmp_reply sends from the kernel's own ICMP socket, which never sets DF (net/ipv4/icmp.c).
    const answer = encodeIpv4Packet({
      dscp: 0, ecn: 0, identification: nextIdentification(host), dontFragment: false, moreFragments: false, fragmentOffset: 0,
      ttl: DEFAULT_TTL, protocol: IP_PROTOCOL_ICMP, source: packet.destination, destination: packet.source, payload: reply,
    });
    const route = routeTo(host, packet.source);
    if ('error' in route) {
      ctx.emit({ kind: 'drop', reason: 'no-route', text: `${me} cannot send the reply: ${route.error}.` });
      return;
    }
    sendIpv4(ctx, host, route, answer, ctx.actionId);
    return;
  }
  if (icmp.type === ICMP_ECHO_REPLY) {
    const key = `${echoIdentifier(icmp)}:${echoSequence(icmp)}`;
    const ping = host.pings?.get(key);
    if (!ping) {
      ctx.emit({ kind: 'drop', reason: 'echo-reply-unknown', port: nic.port, frame: bytes, text: `${me} drops an echo reply it has no ping waiting for.` });
      return;
    }
    host.pings?.delete(key);
    ctx.cancelTimers((timer) => timer.type === 'ping-timeout' && timer.key === key);
    const rtt = ctx.now - ping.sentAt;
    ctx.emit({ kind: 'deliver', reason: 'echo-reply', port: nic.port, frame: bytes, text: `${me} receives the echo reply from ${packet.source}: TTL ${packet.ttl}, round trip ${rtt} ms. The ping worked.` });
    ctx.finishAction(ping.actionId, true, 'ping-ok', `Reply from ${packet.source}: TTL ${packet.ttl}, time ${rtt} ms.`);
    return;
  }
  if (icmp.type === ICMP_DESTINATION_UNREACHABLE || icmp.type === ICMP_TIME_EXCEEDED) {
    icmpErrorReceived(ctx, host, nic, packet.source, icmp.type, icmp.code, icmp.payload, bytes);
    return;
  }
  ctx.emit({ kind: 'deliver', reason: 'unsupported', port: nic.port, frame: bytes, text: `${me} receives ICMP type ${icmp.type} code ${icmp.code} from ${packet.source}.` });
}

function icmpErrorWords(type: number, code: number): string {
  if (type === ICMP_TIME_EXCEEDED) return 'Time to live exceeded';
  if (code === ICMP_UNREACHABLE_NETWORK) return 'Destination Net Unreachable';
  if (code === ICMP_UNREACHABLE_HOST) return 'Destination Host Unreachable';
  return `Destination Unreachable (code ${code})`;
}

/** icmp_unreach → ping's error queue: the quoted header says which echo request failed. */
function icmpErrorReceived(ctx: DeviceContext, host: HostState, nic: HostNic, from: Ipv4Address, type: number, code: number, quote: Uint8Array, bytes: Uint8Array): void {
  const me = ctx.name(host.id);
  const words = icmpErrorWords(type, code);
  const headerLength = quote.length > 0 ? (quote[0]! & 0x0f) * 4 : 0;
  const quotedIcmp = quote.subarray(headerLength);
  const ping = quote.length >= headerLength + 8 && quote[9] === IP_PROTOCOL_ICMP && quotedIcmp[0] === ICMP_ECHO_REQUEST
    ? `${(quotedIcmp[4]! << 8) | quotedIcmp[5]!}:${(quotedIcmp[6]! << 8) | quotedIcmp[7]!}`
    : null;
  const record = ping === null ? undefined : host.pings?.get(ping);
  if (!record || ping === null) {
    ctx.emit({ kind: 'deliver', reason: 'icmp-error', port: nic.port, frame: bytes, text: `${me} receives "${words}" from ${from} about a packet it has no ping waiting for.` });
    return;
  }
  host.pings?.delete(ping);
  ctx.cancelTimers((timer) => timer.type === 'ping-timeout' && timer.key === ping);
  ctx.emit({ kind: 'deliver', reason: 'icmp-error', port: nic.port, frame: bytes, text: `${me} receives an ICMP error from ${from}: "${words}" for its echo request to ${record.destination}. The ping failed, and the router said why.` });
  ctx.finishAction(record.actionId, false, type === ICMP_TIME_EXCEEDED ? 'ping-ttl-exceeded' : 'ping-unreachable', `From ${from}: ${words}.`);
}

/**
 * ip_forward: TTL check, route lookup, TTL decrement with the checksum patched, then the neighbour
 * layer puts it in a new frame: source MAC of the egress interface, destination MAC of the next hop.
 */
function ipForward(ctx: DeviceContext, host: HostState, ingress: HostNic, ipBytes: Uint8Array, packet: ReturnType<typeof decodeIpv4Packet>, bytes: Uint8Array): void {
  const me = ctx.name(host.id);
  if (packet.ttl <= 1) {
    ctx.emit({ kind: 'drop', reason: 'ttl-exceeded', port: ingress.port, frame: bytes, text: `${me} drops the packet for ${packet.destination}: its TTL is ${packet.ttl}, and forwarding would bring it to 0. It sends "Time to live exceeded" back to ${packet.source}.` });
    sendIcmpError(ctx, host, ipBytes, packet, ICMP_TIME_EXCEEDED, 0);
    return;
  }
  const route = routeTo(host, packet.destination);
  if ('error' in route) {
    ctx.emit({ kind: 'drop', reason: 'no-route', port: ingress.port, frame: bytes, text: `${me} cannot forward the packet for ${packet.destination}: ${route.error}. It sends "Destination Net Unreachable" back to ${packet.source}.` });
    sendIcmpError(ctx, host, ipBytes, packet, ICMP_DESTINATION_UNREACHABLE, ICMP_UNREACHABLE_NETWORK);
    return;
  }
  const forwarded = decrementTtl(ipBytes);
  const known = neighbourOn(host, route.nic.name, route.nextHop);
  const macs = known ? `new source MAC ${route.nic.mac} (its ${route.nic.name}), new destination MAC ${known.mac} (${route.nextHop})` : `new source MAC ${route.nic.mac} (its ${route.nic.name}); the destination MAC will be ${route.nextHop}'s, once ARP finds it`;
  ctx.emit({
    kind: 'forward', reason: 'ip-forward', port: ingress.port, frame: bytes, ports: [route.nic.port],
    text: `${me} routes the packet for ${packet.destination}, in on ${describeInterface(ingress)} and out on ${describeInterface(route.nic)}: ${route.explanation}. TTL ${packet.ttl} → ${packet.ttl - 1}, header checksum updated, ${macs}. The IP addresses stay as they are.`,
  });
  sendIpv4(ctx, host, route, forwarded, ctx.actionId, true);
}

/** icmp_send: an error back to the sender, quoting the failed packet; never about another ICMP error. */
function sendIcmpError(ctx: DeviceContext, host: HostState, ipBytes: Uint8Array, packet: ReturnType<typeof decodeIpv4Packet>, type: number, code: number): void {
  if (packet.protocol === IP_PROTOCOL_ICMP && packet.payload.length > 0 && isIcmpError(packet.payload[0]!)) return;
  const back = routeTo(host, packet.source);
  if ('error' in back || back.nic.ip === undefined) return;
  const message = type === ICMP_TIME_EXCEEDED ? timeExceeded(ipBytes) : destinationUnreachable(code, ipBytes);
  // __icmp_send: tos = RT_TOS(original tos) | IPTOS_PREC_INTERNETCONTROL (0xc0).
  const tos = (((packet.dscp << 2) | packet.ecn) & 0x1e) | 0xc0;
  const error = encodeIpv4Packet({
    dscp: tos >> 2, ecn: tos & 0x3, identification: nextIdentification(host), dontFragment: false, moreFragments: false, fragmentOffset: 0,
    ttl: DEFAULT_TTL, protocol: IP_PROTOCOL_ICMP, source: back.nic.ip, destination: packet.source, payload: encodeIcmpMessage(message),
  });
  sendIpv4(ctx, host, back, error, ctx.actionId);
}
