// A host or a router: one or more NICs (each optionally with 802.1Q sub-interfaces), IPv4 with a
// longest-prefix route lookup, an ARP cache with bounded retries, ICMP and UDP — the IPv4 send,
// receive and forward paths as Linux takes them (ip_route_output, neigh_resolve_output, arp_process,
// ip_rcv, ip_forward, ip_fragment, ip_defrag, icmp_echo, icmp_send, __udp4_lib_rcv). A host never
// forwards (ip_forward=0); a router does. Neighbours (the ARP cache, pending resolutions and their
// retry timers) are keyed by (interface, IP), as neigh_lookup(tbl, key, dev) keys them. Every
// interface has an MTU: a packet too big for it is fragmented, or, with DF set, refused (locally) or
// dropped with ICMP "fragmentation needed" (forwarded); a frame bigger than MTU + 18 bytes is not
// taken (veth's is_skb_forwardable). Simplifications, stated on the page: ARP entries never go
// stale, no IP options (a fragment's header is rebuilt without them), no ICMP redirects, no
// reverse-path filter (rp_filter=0), and of ICMP's rate limits only the per-destination one
// (icmpv4_xrlim_allow), not the host-wide 1,000 a second.

import type { HostSpec, MtuDiscovery, RouterSpec } from '../scenario/format';
import { formatCount } from '../scenario/limits';
import { nameSome } from '../trace';
import { ARP_REPLY, ARP_REQUEST, decodeArpPacket, encodeArpPacket, type ArpPacket } from '../wire/arp';
import { decodeEthernetFrame, encodeEthernetFrame, ETHERTYPE_ARP, ETHERTYPE_IPV4, ETHERTYPE_LOCAL_EXPERIMENTAL, readDestinationMac, readVlanTag } from '../wire/ethernet';
import {
  decodeIcmpMessage, destinationUnreachable, echoIdentifier, echoReply, echoRequest, echoSequence, encodeIcmpMessage, fragmentationNeeded, ICMP_DESTINATION_UNREACHABLE, ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST, ICMP_FRAGMENT_REASSEMBLY_TIME_EXCEEDED, ICMP_FRAGMENTATION_NEEDED, ICMP_TIME_EXCEEDED, ICMP_UNREACHABLE_HOST, ICMP_UNREACHABLE_NETWORK, ICMP_UNREACHABLE_PORT,
  ICMP_UNREACHABLE_PROTOCOL, isIcmpError, nextHopMtu, timeExceeded, type IcmpMessage,
} from '../wire/icmp';
import { decodeIpv4Packet, decrementTtl, encodeIpv4Packet, IP_PROTOCOL_ICMP, IP_PROTOCOL_UDP, IPV4_HEADER_LENGTH, IPV4_MAX_TOTAL_LENGTH } from '../wire/ipv4';
import { decodeUdpDatagram, encodeUdpDatagram, UDP_HEADER_LENGTH } from '../wire/udp';
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
/** An Ethernet interface's MTU unless the scenario says otherwise (ether_setup). */
export const DEFAULT_MTU = 1500;
/** `ping` without -s: 56 data bytes, an 84-byte IPv4 packet. */
export const DEFAULT_PING_SIZE = 56;
/** A `udp` action without `size`. */
export const DEFAULT_UDP_SIZE = 32;
/**
 * What a veth takes beyond its MTU (is_skb_forwardable: dev->mtu + dev->hard_header_len + VLAN_HLEN):
 * the 14-byte Ethernet header and one 4-byte 802.1Q tag.
 */
export const RECEIVE_SLACK = 18;
/** ip_rt_min_pmtu: a "fragmentation needed" reporting less is taken as 552. */
export const MIN_PATH_MTU = 552;
/** icmp_ratelimit: one ICMP error to a destination per second on average... */
export const ICMP_RATE_LIMIT_MS = 1000;
/** ...after a burst of six (XRLIM_BURST_FACTOR). */
export const ICMP_RATE_BURST = 6;
/** ip_rt_mtu_expires: a learned path MTU is forgotten after 10 minutes. */
export const PATH_MTU_EXPIRES_MS = 600_000;
/** ipfrag_time: fragments of a datagram wait 30 s for the rest. */
export const REASSEMBLY_TIMEOUT_MS = 30_000;
/** How long a `udp` action waits for word of its datagram (an ICMP error, or its delivery). */
export const UDP_WAIT_MS = 4000;
/** net.ipv4.ip_local_port_range: where a socket without a bound port gets one. */
export const EPHEMERAL_PORT_FIRST = 32768;
export const EPHEMERAL_PORT_LAST = 60999;
/**
 * iputils `ping` sends 56 data bytes by default (a 98-byte frame), `size` with -s: a pattern where
 * byte k is k (mod 256), the first 16 overwritten by a struct timeval of the send time (two
 * little-endian 64-bit words on x86-64, here the virtual time) when they fit.
 */
export function pingData(now: number, size = DEFAULT_PING_SIZE): Uint8Array {
  const data = Uint8Array.from({ length: size }, (_, k) => k & 0xff);
  if (size >= 16) {
    const view = new DataView(data.buffer);
    view.setBigUint64(0, BigInt(Math.floor(now / 1000)), true);
    view.setBigUint64(8, BigInt((now % 1000) * 1000), true);
  }
  return data;
}

/** A `udp` action's data: `size` bytes, byte k is k (mod 256). */
export function udpData(size = DEFAULT_UDP_SIZE): Uint8Array {
  return Uint8Array.from({ length: size }, (_, k) => k & 0xff);
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
  /** The largest IPv4 packet the interface sends; a sub-interface's is at most its NIC's. */
  mtu: number;
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

/** A UDP datagram sent by a `udp` action, kept until word of it comes back or UDP_WAIT_MS pass. */
export interface UdpRecord {
  actionId: number;
  destination: Ipv4Address;
  destinationPort: number;
}

/** A path MTU learned from "fragmentation needed" (a route exception, fnhe_pmtu), until `expires`. */
export interface PathMtu {
  mtu: number;
  expires: number;
}

/** A datagram being reassembled (struct ipq): the fragments so far, by byte offset. */
export interface Reassembly {
  source: Ipv4Address;
  destination: Ipv4Address;
  identification: number;
  protocol: number;
  /** Each fragment's data and where it goes; sorted by offset. */
  parts: Array<{ offset: number; data: Uint8Array }>;
  /** Set once the last fragment (MF clear) arrived: the datagram's data length. */
  length?: number;
  /** The first fragment (offset 0) as it arrived, whole: what a reassembly timeout quotes. */
  first?: Uint8Array;
}

/** `port` of an arp-retry timer is the interface the resolution runs on ("eth1", "eth0.10"). */
export type HostTimer =
  | { type: 'arp-retry'; port: string; ip: Ipv4Address }
  | { type: 'ping-timeout'; key: string }
  | { type: 'udp-timeout'; key: string }
  | { type: 'reassembly-timeout'; key: string };

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
  /** UDP ports with a socket (absent when none): a datagram for another port gets "port unreachable". */
  udpListen?: number[];
  /** Datagrams of `udp` actions still waiting for news, by "source port>destination:port". */
  udpSent?: Map<string, UdpRecord>;
  /** Path MTUs learned from ICMP "fragmentation needed", by destination. */
  pathMtu?: Map<Ipv4Address, PathMtu>;
  /** Datagrams being reassembled, by "source>destination/identification/protocol" (ip4_frag_match). */
  fragments?: Map<string, Reassembly>;
  /** The next ephemeral UDP port this host hands out. */
  nextEphemeralPort: number;
  /**
   * The MTU of each NIC (by port) whose MTU is not 1500, for the receive check on every frame;
   * absent when all are 1500, so that the common case costs one property read.
   */
  portMtu?: Map<string, number>;
  /** ICMP errors' token buckets by destination (inet_peer rate_tokens, rate_last), in ms. */
  icmpRate?: Map<Ipv4Address, { tokens: number; last: number }>;
  nextIpIdentification: number;
  echoIdentifier: number;
  nextEchoSequence: number;
}

/** `random` seeds the per-host counters a real stack would pick at random (IP ID, echo identifier). */
export function createHost(spec: HostSpec | RouterSpec, random: () => number): HostState {
  const nics: HostNic[] = [];
  for (const nic of spec.nics) {
    const cidr = nic.ip ? parseIpv4Cidr(nic.ip) : null;
    const mtu = nic.mtu ?? DEFAULT_MTU;
    nics.push(cidr ? { name: nic.port, port: nic.port, mac: nic.mac, ip: cidr.address, prefixLength: cidr.prefixLength, mtu } : { name: nic.port, port: nic.port, mac: nic.mac, mtu });
    for (const sub of nic.vlans ?? []) {
      const subCidr = parseIpv4Cidr(sub.ip)!;
      // A VLAN device starts with its real device's MTU (vlan_dev_init).
      nics.push({ name: `${nic.port}.${sub.vlan}`, port: nic.port, mac: nic.mac, vlan: sub.vlan, ip: subCidr.address, prefixLength: subCidr.prefixLength, mtu: sub.mtu ?? mtu });
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
    nextEphemeralPort: EPHEMERAL_PORT_FIRST,
  };
  // Derived from the two random draws rather than a third, so that adding UDP changed no other
  // host's identifiers: Linux picks an ephemeral port at random too.
  host.nextEphemeralPort = EPHEMERAL_PORT_FIRST + ((host.echoIdentifier * 0x10000 + host.nextIpIdentification) % (EPHEMERAL_PORT_LAST - EPHEMERAL_PORT_FIRST + 1));
  if (spec.udpListen?.length) host.udpListen = [...spec.udpListen];
  for (const nic of spec.nics) if (nic.mtu !== undefined && nic.mtu !== DEFAULT_MTU) (host.portMtu ??= new Map()).set(nic.port, nic.mtu);
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

/** ping's -s and -M: data bytes, and whether DF is set (IP_MTU_DISCOVER). */
export interface PingOptions {
  size?: number;
  mtuDiscovery?: MtuDiscovery;
}

export function hostPing(ctx: DeviceContext, host: HostState, actionId: number, destination: Ipv4Address, options: PingOptions = {}): void {
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
  const size = options.size ?? DEFAULT_PING_SIZE;
  const discovery = options.mtuDiscovery ?? 'want';
  const length = IPV4_HEADER_LENGTH + 8 + size;
  const path = pathMtu(ctx, host, route, destination);
  if (discovery === 'do' && length > path.mtu) {
    // ip_append_data refuses with EMSGSIZE before anything is queued; ping reads the error from its socket.
    ctx.emit({ kind: 'drop', reason: 'ping-message-too-long', text: `${me} cannot ping ${destination} with ${size} data bytes and DF set (ping -M do): the packet would be ${length} bytes, and ${path.why}. Nothing is sent.` });
    ctx.finishAction(actionId, false, 'ping-message-too-long', `ping: local error: message too long, mtu=${path.mtu}`);
    return;
  }
  // Linux ping without -M leaves IP_MTU_DISCOVER at the default, IP_PMTUDISC_WANT: DF is set when the
  // packet fits the path (__ip_make_skb → ip_dont_fragment), and a packet that does not fit is fragmented here.
  const dontFragment = discovery === 'do' || (discovery === 'want' && length <= path.mtu);
  const sequence = host.nextEchoSequence++;
  const icmp = encodeIcmpMessage(echoRequest(host.echoIdentifier, sequence, pingData(ctx.now, size)));
  const packet = encodeIpv4Packet({
    dscp: 0, ecn: 0, identification: nextIdentification(host), dontFragment, moreFragments: false, fragmentOffset: 0,
    ttl: DEFAULT_TTL, protocol: IP_PROTOCOL_ICMP, source: route.nic.ip!, destination, payload: icmp,
  });
  const key = `${host.echoIdentifier}:${sequence}`;
  (host.pings ??= new Map()).set(key, { actionId, destination, sentAt: ctx.now });
  const sized = size === DEFAULT_PING_SIZE ? '' : `, ${size} data bytes`;
  ctx.emit({ kind: 'action', reason: 'ping-start', text: `${me} pings ${destination} (ICMP echo request, sequence ${sequence}${sized}): ${route.explanation}.${fragmentNote(packet.length, path.mtu, path.why)}` });
  ctx.setTimer(PING_TIMEOUT_MS, { type: 'ping-timeout', key });
  ipOutput(ctx, host, route, packet, path.mtu, actionId);
}

/** A `udp` action: what a UDP socket's sendto does (udp_sendmsg), from an ephemeral port unless one is given. */
export interface UdpOptions {
  port: number;
  sourcePort?: number;
  size?: number;
}

export function hostSendUdp(ctx: DeviceContext, host: HostState, actionId: number, destination: Ipv4Address, options: UdpOptions): void {
  const me = ctx.name(host.id);
  const size = options.size ?? DEFAULT_UDP_SIZE;
  if (destination === IPV4_BROADCAST || host.nics.some((n) => n.ip !== undefined && n.prefixLength! < 31 && broadcastAddress(n.ip, n.prefixLength!) === destination)) {
    // udp_sendmsg: a broadcast route without SO_BROADCAST is refused (EACCES).
    ctx.emit({ kind: 'drop', reason: 'unsupported', text: `${me} will not send a UDP datagram to a broadcast address: a socket needs SO_BROADCAST for that ("Permission denied").` });
    ctx.finishAction(actionId, false, 'udp-no-route', 'Permission denied: a datagram to a broadcast address needs SO_BROADCAST.');
    return;
  }
  if (hostAddresses(host).includes(destination) || isLoopback(destination)) {
    // Through lo: the same demultiplexing, no wire.
    const open = host.udpListen?.includes(options.port);
    ctx.emit({ kind: 'action', reason: 'loopback', text: `${me} sends a UDP datagram to ${destination}:${options.port}, one of its own addresses: it goes through the loopback device and nothing goes on the wire.` });
    if (open) ctx.finishAction(actionId, true, 'udp-delivered', `Delivered to ${me}'s own socket on UDP port ${options.port} (${size} bytes), through loopback.`);
    else ctx.finishAction(actionId, false, 'udp-port-unreachable', `${me} has no socket on UDP port ${options.port}: Connection refused, through loopback.`);
    return;
  }
  const route = routeTo(host, destination);
  if ('error' in route) {
    ctx.emit({ kind: 'drop', reason: 'no-route', text: `${me} cannot send to ${destination}: ${route.error}. "Network is unreachable", and nothing is sent.` });
    ctx.finishAction(actionId, false, 'udp-no-route', `Network is unreachable: ${route.error}.`);
    return;
  }
  const sourcePort = options.sourcePort ?? nextEphemeralPort(host);
  const source = route.nic.ip!;
  const datagram = encodeUdpDatagram({ sourcePort, destinationPort: options.port, payload: udpData(size) }, { source, destination });
  const path = pathMtu(ctx, host, route, destination);
  // A UDP socket's IP_MTU_DISCOVER default is IP_PMTUDISC_WANT, as ping's: DF when the datagram fits.
  const packet = encodeIpv4Packet({
    dscp: 0, ecn: 0, identification: nextIdentification(host), dontFragment: IPV4_HEADER_LENGTH + datagram.length <= path.mtu, moreFragments: false, fragmentOffset: 0,
    ttl: DEFAULT_TTL, protocol: IP_PROTOCOL_UDP, source, destination, payload: datagram,
  });
  const key = udpKey(sourcePort, destination, options.port);
  (host.udpSent ??= new Map()).set(key, { actionId, destination, destinationPort: options.port });
  ctx.emit({ kind: 'action', reason: 'udp-start', text: `${me} sends a UDP datagram of ${size} bytes from port ${sourcePort} to ${destination}:${options.port}: ${route.explanation}.${fragmentNote(packet.length, path.mtu, path.why)}` });
  ctx.setTimer(UDP_WAIT_MS, { type: 'udp-timeout', key });
  ipOutput(ctx, host, route, packet, path.mtu, actionId);
}

function udpKey(sourcePort: number, destination: Ipv4Address, port: number): string {
  return `${sourcePort}>${destination}:${port}`;
}

function nextEphemeralPort(host: HostState): number {
  const port = host.nextEphemeralPort;
  host.nextEphemeralPort = port >= EPHEMERAL_PORT_LAST ? EPHEMERAL_PORT_FIRST : port + 1;
  return port;
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

/**
 * The MTU a locally generated packet to `destination` must fit (dst_mtu): the output interface's,
 * or a smaller path MTU learned from "fragmentation needed" and not yet expired. `why` says which.
 */
function pathMtu(ctx: DeviceContext, host: HostState, route: Route, destination: Ipv4Address): { mtu: number; why: string } {
  const own = { mtu: route.nic.mtu, why: `the MTU of ${describeInterface(route.nic)} is ${route.nic.mtu}` };
  const learned = host.pathMtu?.get(destination);
  if (!learned) return own;
  if (learned.expires <= ctx.now) {
    host.pathMtu!.delete(destination);
    return own;
  }
  return learned.mtu < own.mtu ? { mtu: learned.mtu, why: `the path MTU to ${destination} is ${learned.mtu}, as a router reported ("fragmentation needed")` } : own;
}

/** How many fragments ip_fragment cuts a packet of `length` bytes into for `mtu`: each carries a multiple of 8 data bytes, but the last. */
function fragmentCount(length: number, mtu: number): number {
  if (length <= mtu) return 1;
  const data = length - IPV4_HEADER_LENGTH;
  return Math.ceil(data / ((mtu - IPV4_HEADER_LENGTH) & ~7));
}

/** The sentence a sender or router adds when a packet (or a `what`) leaves in fragments. */
function fragmentNote(length: number, mtu: number, why: string, what = 'packet'): string {
  const pieces = fragmentCount(length, mtu);
  return pieces === 1 ? '' : ` The ${what} is ${length} bytes and ${why}, and DF is clear: it leaves in ${pieces} fragments (ip_fragment).`;
}

/**
 * ip_fragment (ip_do_fragment's slow path, ip_frag_next): the data cut into pieces that fit `mtu`,
 * each a multiple of 8 bytes but the last, each with a copy of the header: same identification,
 * its own offset, MF on all but the last (and on the last too if the packet was itself a non-final
 * fragment), DF clear, total length and checksum recomputed.
 */
export function fragmentPacket(packet: Uint8Array, mtu: number): Uint8Array[] {
  const header = decodeIpv4Packet(packet);
  const data = header.payload;
  const room = mtu - IPV4_HEADER_LENGTH;
  const base = header.fragmentOffset * 8;
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < data.length;) {
    let length = Math.min(data.length - at, room);
    if (at + length < data.length) length &= ~7;
    const last = at + length >= data.length;
    pieces.push(encodeIpv4Packet({
      dscp: header.dscp, ecn: header.ecn, identification: header.identification, dontFragment: false, moreFragments: !last || header.moreFragments,
      fragmentOffset: (base + at) / 8, ttl: header.ttl, protocol: header.protocol, source: header.source, destination: header.destination, payload: data.subarray(at, at + length),
    }));
    at += length;
  }
  return pieces;
}

/** ip_finish_output: the packet whole when it fits `mtu`, else its fragments, one after another, through the neighbour layer. */
function ipOutput(ctx: DeviceContext, host: HostState, route: Route, packet: Uint8Array, mtu: number, actionId: number | undefined, forwarded = false): void {
  if (packet.length <= mtu) {
    sendIpv4(ctx, host, route, packet, actionId, forwarded);
    return;
  }
  for (const piece of fragmentPacket(packet, mtu)) sendIpv4(ctx, host, route, piece, actionId, forwarded);
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
  if (timer.type === 'udp-timeout') {
    const sent = host.udpSent?.get(timer.key);
    if (!sent) return;
    host.udpSent!.delete(timer.key);
    if (host.udpSent!.size === 0) delete host.udpSent;
    // Delivery already ended the action (finishAction keeps the first outcome); otherwise nothing came back.
    ctx.finishAction(sent.actionId, false, 'udp-timeout', `No word of the datagram to ${sent.destination}:${sent.destinationPort} within ${UDP_WAIT_MS / 1000} s: UDP has no acknowledgement, and no ICMP error came back.`);
    return;
  }
  if (timer.type === 'reassembly-timeout') {
    const queue = host.fragments?.get(timer.key);
    if (!queue) return;
    host.fragments!.delete(timer.key);
    if (host.fragments!.size === 0) delete host.fragments;
    // ip_expire: only a host that got the first fragment tells the sender (RFC 792), quoting that fragment.
    const tell = queue.first ? ` It sends "Fragment reassembly time exceeded" back to ${queue.source}.` : ' The first fragment never came, so it tells nobody.';
    ctx.emit({ kind: 'drop', reason: 'reassembly-timeout', text: `${me} gives up on datagram ${queue.identification} from ${queue.source}: ${REASSEMBLY_TIMEOUT_MS / 1000} s passed without all of its fragments, and the ${queue.parts.length} it has are dropped.${tell}` });
    if (queue.first) sendIcmpError(ctx, host, queue.first, decodeIpv4Packet(queue.first), ICMP_TIME_EXCEEDED, ICMP_FRAGMENT_REASSEMBLY_TIME_EXCEEDED, { local: true });
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
    for (const [key, sent] of [...(host.udpSent ?? [])]) {
      if (sent.actionId !== queued.actionId) continue;
      host.udpSent!.delete(key);
      ctx.cancelTimers((t) => t.type === 'udp-timeout' && t.key === key);
      ctx.finishAction(queued.actionId, false, 'udp-host-unreachable', `Destination Host Unreachable: nobody answered ${ARP_PROBES} ARP requests for ${pending.ip}.`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Receive path

export function hostReceive(ctx: DeviceContext, host: HostState, port: string, bytes: Uint8Array): void {
  const me = ctx.name(host.id);
  // The NIC itself (not a sub-interface) takes the frame off the cable: is_skb_forwardable on the
  // receiving veth lets through MTU + 18 bytes (header and one VLAN tag), nothing bigger.
  const mtu = host.portMtu?.get(port) ?? DEFAULT_MTU;
  if (bytes.length > mtu + RECEIVE_SLACK) {
    ctx.emit({ kind: 'drop', reason: 'frame-too-big', port, frame: bytes, text: `${me}'s ${port} drops a ${bytes.length}-byte frame: its MTU is ${mtu}, so it takes frames of at most ${mtu + RECEIVE_SLACK} bytes (MTU plus Ethernet header and one VLAN tag), and a cable does not fragment.` });
    return;
  }
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
  if (packet.moreFragments || packet.fragmentOffset !== 0) {
    const whole = ipDefrag(ctx, host, nic, payload.subarray(0, packet.totalLength), packet, bytes);
    if (whole) ipLocalDeliver(ctx, host, nic, whole, decodeIpv4Packet(whole), bytes);
    return;
  }
  ipLocalDeliver(ctx, host, nic, payload.subarray(0, packet.totalLength), packet, bytes);
}

/** ip_local_deliver_finish: the protocol handler for a whole datagram addressed to this host. */
function ipLocalDeliver(ctx: DeviceContext, host: HostState, nic: HostNic, ipBytes: Uint8Array, packet: ReturnType<typeof decodeIpv4Packet>, bytes: Uint8Array): void {
  const me = ctx.name(host.id);
  if (packet.protocol === IP_PROTOCOL_UDP) {
    udpReceive(ctx, host, nic, ipBytes, packet, bytes);
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
    const replyLength = packet.totalLength;
    const back = routeTo(host, packet.source);
    const path = 'error' in back ? null : pathMtu(ctx, host, back, packet.source);
    const note = path ? fragmentNote(replyLength, path.mtu, path.why, 'reply') : '';
    ctx.emit({ kind: 'deliver', reason: 'echo-request', port: nic.port, frame: bytes, text: `${me} receives an echo request from ${packet.source} (TTL ${packet.ttl}) and answers with an echo reply.${note}` });
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
    // The ICMP socket's pmtudisc is IP_PMTUDISC_DONT: a reply too big for the path leaves in fragments.
    ipOutput(ctx, host, route, answer, pathMtu(ctx, host, route, packet.source).mtu, ctx.actionId);
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
    icmpErrorReceived(ctx, host, nic, packet.source, icmp, bytes);
    return;
  }
  ctx.emit({ kind: 'deliver', reason: 'unsupported', port: nic.port, frame: bytes, text: `${me} receives ICMP type ${icmp.type} code ${icmp.code} from ${packet.source}.` });
}

/** What iputils ping prints for an ICMP error (pr_icmph). */
function icmpErrorWords(message: IcmpMessage): string {
  const { type, code } = message;
  if (type === ICMP_TIME_EXCEEDED) return code === ICMP_FRAGMENT_REASSEMBLY_TIME_EXCEEDED ? 'Frag reassembly time exceeded' : 'Time to live exceeded';
  if (code === ICMP_UNREACHABLE_NETWORK) return 'Destination Net Unreachable';
  if (code === ICMP_UNREACHABLE_HOST) return 'Destination Host Unreachable';
  if (code === ICMP_UNREACHABLE_PROTOCOL) return 'Destination Protocol Unreachable';
  if (code === ICMP_UNREACHABLE_PORT) return 'Destination Port Unreachable';
  if (code === ICMP_FRAGMENTATION_NEEDED) return `Frag needed and DF set (mtu = ${nextHopMtu(message)})`;
  return `Destination Unreachable (code ${code})`;
}

/**
 * icmp_unreach → the sending socket's error queue: the quoted header says which echo request or UDP
 * datagram failed. "Fragmentation needed" also lowers the path MTU to the quoted destination
 * (only ever down, never below 552, for 10 minutes) when the quoted protocol's handler does.
 */
function icmpErrorReceived(ctx: DeviceContext, host: HostState, nic: HostNic, from: Ipv4Address, icmp: ReturnType<typeof decodeIcmpMessage>, bytes: Uint8Array): void {
  const me = ctx.name(host.id);
  const { type, code, payload: quote } = icmp;
  const words = icmpErrorWords(icmp);
  const headerLength = quote.length > 0 ? (quote[0]! & 0x0f) * 4 : 0;
  const quoted = quote.length >= 20 ? { protocol: quote[9]!, destination: ipv4FromBytes(quote, 16) } : null;
  const inner = quote.subarray(headerLength);
  const ping = quoted?.protocol === IP_PROTOCOL_ICMP && inner.length >= 8 && inner[0] === ICMP_ECHO_REQUEST
    ? `${(inner[4]! << 8) | inner[5]!}:${(inner[6]! << 8) | inner[7]!}`
    : null;
  const udp = quoted?.protocol === IP_PROTOCOL_UDP && inner.length >= UDP_HEADER_LENGTH
    ? udpKey((inner[0]! << 8) | inner[1]!, quoted.destination, (inner[2]! << 8) | inner[3]!)
    : null;
  const record = ping === null ? undefined : host.pings?.get(ping);
  const datagram = udp === null ? undefined : host.udpSent?.get(udp);
  // Who lowers the path MTU is the quoted protocol's error handler: icmp_err always does
  // (ipv4_update_pmtu), udp_err only while the sending socket is still there (ipv4_sk_update_pmtu).
  const reported = nextHopMtu(icmp);
  const learns = reported !== null && quoted !== null && (quoted.protocol === IP_PROTOCOL_ICMP || datagram !== undefined);
  const learned = learns ? learnPathMtu(ctx, host, quoted.destination, reported) : '';
  if (record && ping !== null) {
    host.pings?.delete(ping);
    ctx.cancelTimers((timer) => timer.type === 'ping-timeout' && timer.key === ping);
    ctx.emit({ kind: 'deliver', reason: 'icmp-error', port: nic.port, frame: bytes, text: `${me} receives an ICMP error from ${from}: "${words}" for its echo request to ${record.destination}. The ping failed, and the router said why.${learned}` });
    const reason = type === ICMP_TIME_EXCEEDED ? 'ping-ttl-exceeded' : code === ICMP_FRAGMENTATION_NEEDED ? 'ping-frag-needed' : 'ping-unreachable';
    ctx.finishAction(record.actionId, false, reason, `From ${from}: ${words}.`);
    return;
  }
  if (datagram && udp !== null) {
    host.udpSent?.delete(udp);
    ctx.cancelTimers((timer) => timer.type === 'udp-timeout' && timer.key === udp);
    const refused = type === ICMP_DESTINATION_UNREACHABLE && code === ICMP_UNREACHABLE_PORT;
    ctx.emit({ kind: 'deliver', reason: 'icmp-error', port: nic.port, frame: bytes, text: `${me} receives an ICMP error from ${from}: "${words}" for its UDP datagram to ${datagram.destination}:${datagram.destinationPort}.${refused ? ' A connected socket would now get "Connection refused".' : ''}${learned}` });
    const reason = refused ? 'udp-port-unreachable' : type === ICMP_TIME_EXCEEDED ? 'udp-ttl-exceeded' : code === ICMP_FRAGMENTATION_NEEDED ? 'udp-frag-needed' : 'udp-unreachable';
    ctx.finishAction(datagram.actionId, false, reason, `From ${from}: ${words}.`);
    return;
  }
  const about = quoted?.protocol === IP_PROTOCOL_UDP ? 'a UDP datagram it is no longer waiting on' : 'a packet it has no ping waiting for';
  ctx.emit({ kind: 'deliver', reason: 'icmp-error', port: nic.port, frame: bytes, text: `${me} receives "${words}" from ${from} about ${about}.${learned}` });
}

/** __ip_rt_update_pmtu: a smaller path MTU to `destination`, kept 10 minutes; returns a sentence for the trace, or ''. */
function learnPathMtu(ctx: DeviceContext, host: HostState, destination: Ipv4Address, reported: number): string {
  const route = routeTo(host, destination);
  if ('error' in route) return '';
  const current = pathMtu(ctx, host, route, destination).mtu;
  // A report of 0 (a router older than RFC 1191) or one not below the current MTU changes nothing here.
  if (reported === 0 || reported >= current) return '';
  const mtu = Math.max(reported, MIN_PATH_MTU);
  if (mtu >= current) return '';
  (host.pathMtu ??= new Map()).set(destination, { mtu, expires: ctx.now + PATH_MTU_EXPIRES_MS });
  const floor = mtu === reported ? '' : ` (${reported} raised to Linux's floor of ${MIN_PATH_MTU})`;
  return ` ${ctx.name(host.id)} now keeps a path MTU of ${mtu} bytes to ${destination}${floor} for 10 minutes: a bigger packet to it will leave in fragments, or, with DF forced (ping -M do), not at all.`;
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
  // ip_exceeds_mtu, before the TTL is touched: with DF set, a packet bigger than the egress MTU is
  // dropped and the sender told the MTU (ip_forward ignores learned path MTUs: ip_forward_use_pmtu=0).
  const mtu = route.nic.mtu;
  if (ipBytes.length > mtu && packet.dontFragment) {
    ctx.emit({
      kind: 'drop', reason: 'frag-needed', port: ingress.port, frame: bytes,
      text: `${me} cannot forward the packet for ${packet.destination} out of ${describeInterface(route.nic)}: it is ${ipBytes.length} bytes, the MTU there is ${mtu}, and DF is set, so it may not be fragmented. It drops it and sends "Fragmentation needed" with the next-hop MTU ${mtu} back to ${packet.source}.`,
    });
    sendIcmpError(ctx, host, ipBytes, packet, ICMP_DESTINATION_UNREACHABLE, ICMP_FRAGMENTATION_NEEDED, { mtu });
    return;
  }
  const forwarded = decrementTtl(ipBytes);
  const known = neighbourOn(host, route.nic.name, route.nextHop);
  const macs = known ? `new source MAC ${route.nic.mac} (its ${route.nic.name}), new destination MAC ${known.mac} (${route.nextHop})` : `new source MAC ${route.nic.mac} (its ${route.nic.name}); the destination MAC will be ${route.nextHop}'s, once ARP finds it`;
  ctx.emit({
    kind: 'forward', reason: 'ip-forward', port: ingress.port, frame: bytes, ports: [route.nic.port],
    text: `${me} routes the packet for ${packet.destination}, in on ${describeInterface(ingress)} and out on ${describeInterface(route.nic)}: ${route.explanation}. TTL ${packet.ttl} → ${packet.ttl - 1}, header checksum updated, ${macs}. The IP addresses stay as they are.${fragmentNote(ipBytes.length, mtu, `the MTU of ${describeInterface(route.nic)} is ${mtu}`)}`,
  });
  ipOutput(ctx, host, route, forwarded, mtu, ctx.actionId, true);
}

/**
 * icmp_send: an error back to the sender, quoting the failed packet; never about another ICMP error,
 * nor about a fragment other than the first. `mtu` fills the next-hop MTU of "fragmentation needed";
 * `local` marks an error about a packet addressed to this host, which then answers from the address
 * the packet was sent to (__icmp_send: saddr = iph->daddr when the route is local).
 */
function sendIcmpError(ctx: DeviceContext, host: HostState, ipBytes: Uint8Array, packet: ReturnType<typeof decodeIpv4Packet>, type: number, code: number, options: { mtu?: number; local?: boolean } = {}): void {
  if (packet.fragmentOffset !== 0) return;
  if (packet.protocol === IP_PROTOCOL_ICMP && packet.payload.length > 0 && isIcmpError(packet.payload[0]!)) return;
  const back = routeTo(host, packet.source);
  if ('error' in back || back.nic.ip === undefined) return;
  if (!icmpRateAllows(ctx, host, packet.source, type, code)) {
    ctx.emit({ kind: 'drop', reason: 'icmp-rate-limited', text: `${ctx.name(host.id)} holds that ICMP error back: it has sent ${packet.source} ${ICMP_RATE_BURST} errors in a burst already, and Linux lets one more through per second (icmp_ratelimit).` });
    return;
  }
  const message = type === ICMP_TIME_EXCEEDED
    ? timeExceeded(ipBytes, code)
    : code === ICMP_FRAGMENTATION_NEEDED && options.mtu !== undefined ? fragmentationNeeded(options.mtu, ipBytes) : destinationUnreachable(code, ipBytes);
  // __icmp_send: tos = RT_TOS(original tos) | IPTOS_PREC_INTERNETCONTROL (0xc0).
  const tos = (((packet.dscp << 2) | packet.ecn) & 0x1e) | 0xc0;
  const error = encodeIpv4Packet({
    dscp: tos >> 2, ecn: tos & 0x3, identification: nextIdentification(host), dontFragment: false, moreFragments: false, fragmentOffset: 0,
    ttl: DEFAULT_TTL, protocol: IP_PROTOCOL_ICMP, source: options.local ? packet.destination : back.nic.ip, destination: packet.source, payload: encodeIcmpMessage(message),
  });
  // The kernel's ICMP socket never sets DF: an error bigger than the way back is fragmented.
  ipOutput(ctx, host, back, error, pathMtu(ctx, host, back, packet.source).mtu, ctx.actionId);
}

/**
 * icmpv4_xrlim_allow → inet_peer_xrlim_allow: each destination has a bucket that refills at one
 * token a millisecond up to 6 s, and an error costs 1 s of it, so six go out at once and then one a
 * second. Only the types in icmp_ratemask (0x1818: destination unreachable, source quench, time
 * exceeded, parameter problem) count, and never "fragmentation needed", which path MTU discovery needs.
 */
function icmpRateAllows(ctx: DeviceContext, host: HostState, destination: Ipv4Address, type: number, code: number): boolean {
  if (type === ICMP_DESTINATION_UNREACHABLE && code === ICMP_FRAGMENTATION_NEEDED) return true;
  if (((1 << type) & 0x1818) === 0) return true;
  const buckets = (host.icmpRate ??= new Map());
  // A new inet_peer starts with rate_last 60 s in the past, so its first count is a full bucket.
  const bucket = buckets.get(destination) ?? { tokens: 0, last: ctx.now - 60_000 };
  let tokens = Math.min(bucket.tokens + (ctx.now - bucket.last), ICMP_RATE_BURST * ICMP_RATE_LIMIT_MS);
  const allowed = tokens >= ICMP_RATE_LIMIT_MS;
  if (allowed) tokens -= ICMP_RATE_LIMIT_MS;
  buckets.set(destination, { tokens, last: ctx.now });
  return allowed;
}

// ---------------------------------------------------------------------------------------------
// UDP (net/ipv4/udp.c)

/**
 * __udp4_lib_rcv: length and checksum checked, then the socket bound to the destination port takes
 * the datagram; with none, a unicast datagram is answered with ICMP port unreachable.
 */
function udpReceive(ctx: DeviceContext, host: HostState, nic: HostNic, ipBytes: Uint8Array, packet: ReturnType<typeof decodeIpv4Packet>, bytes: Uint8Array): void {
  const me = ctx.name(host.id);
  let udp;
  try {
    udp = decodeUdpDatagram(packet.payload, { source: packet.source, destination: packet.destination });
  } catch (error) {
    malformed(ctx, host, nic.port, bytes, error);
    return;
  }
  if (!udp.checksumValid) {
    ctx.emit({ kind: 'drop', reason: 'bad-checksum', port: nic.port, frame: bytes, text: `${me} drops the UDP datagram from ${packet.source}: its checksum is wrong.` });
    return;
  }
  const port = udp.destinationPort;
  if (host.udpListen?.includes(port)) {
    ctx.emit({ kind: 'deliver', reason: 'udp-delivered', port: nic.port, frame: bytes, text: `${me}'s socket on UDP port ${port} receives ${udp.payload.length} bytes from ${packet.source}:${udp.sourcePort}.` });
    if (ctx.actionId !== undefined) ctx.finishAction(ctx.actionId, true, 'udp-delivered', `Delivered to ${me}'s socket on UDP port ${port} (${udp.payload.length} bytes).`);
    return;
  }
  const listening = host.udpListen?.length ? `its sockets are on ${nameSome(host.udpListen, ', ')}` : 'it has no UDP socket open at all';
  ctx.emit({ kind: 'drop', reason: 'udp-port-unreachable', port: nic.port, frame: bytes, text: `${me} has no socket on UDP port ${port} (${listening}): it drops the datagram from ${packet.source}:${udp.sourcePort} and answers with ICMP "port unreachable".` });
  sendIcmpError(ctx, host, ipBytes, packet, ICMP_DESTINATION_UNREACHABLE, ICMP_UNREACHABLE_PORT, { local: true });
}

// ---------------------------------------------------------------------------------------------
// Reassembly (net/ipv4/ip_fragment.c)

function reassemblyKey(packet: ReturnType<typeof decodeIpv4Packet>): string {
  return `${packet.source}>${packet.destination}/${packet.identification}/${packet.protocol}`;
}

/**
 * ip_defrag: a fragment joins the queue of its datagram (same source, destination, identification
 * and protocol); when every byte from 0 to the end the last fragment gave is there, the datagram is
 * rebuilt and returned. A fragment overlapping another discards the whole queue (as Linux has since
 * 4.19); an exact repeat is ignored; the queue waits 30 s at most.
 */
function ipDefrag(ctx: DeviceContext, host: HostState, nic: HostNic, ipBytes: Uint8Array, packet: ReturnType<typeof decodeIpv4Packet>, bytes: Uint8Array): Uint8Array | null {
  const me = ctx.name(host.id);
  const key = reassemblyKey(packet);
  const fragments: Map<string, Reassembly> = (host.fragments ??= new Map());
  let queue: Reassembly | undefined = fragments.get(key);
  if (!queue) {
    queue = { source: packet.source, destination: packet.destination, identification: packet.identification, protocol: packet.protocol, parts: [] };
    fragments.set(key, queue);
    ctx.setTimer(REASSEMBLY_TIMEOUT_MS, { type: 'reassembly-timeout', key });
  }
  const start = packet.fragmentOffset * 8;
  const end = start + packet.payload.length;
  const discard = (reason: 'ip-fragment-overlap' | 'reassembly-too-big', why: string): null => {
    fragments.delete(key);
    if (fragments.size === 0) delete host.fragments;
    ctx.cancelTimers((timer) => timer.type === 'reassembly-timeout' && timer.key === key);
    ctx.emit({ kind: 'drop', reason, port: nic.port, frame: bytes, text: `${me} drops the fragment at offset ${start} of datagram ${packet.identification} from ${packet.source}, and every fragment of it so far: ${why}.` });
    return null;
  };
  if (end + IPV4_HEADER_LENGTH > IPV4_MAX_TOTAL_LENGTH) return discard('reassembly-too-big', `it would end at byte ${end}, beyond the 65,535 bytes an IPv4 packet can hold`);
  if (!packet.moreFragments && ((queue.length !== undefined && queue.length !== end) || queue.parts.some((p) => p.offset + p.data.length > end))) {
    return discard('ip-fragment-overlap', 'it says the datagram ends elsewhere than its other fragments do');
  }
  if (packet.moreFragments && queue.length !== undefined && end > queue.length) return discard('ip-fragment-overlap', `it reaches past byte ${queue.length}, where the last fragment said the datagram ends`);
  if (queue.parts.some((p) => p.offset === start && p.offset + p.data.length === end)) {
    ctx.emit({ kind: 'drop', reason: 'ip-fragment-duplicate', port: nic.port, frame: bytes, text: `${me} already has the fragment at offset ${start} of datagram ${packet.identification} from ${packet.source}: the copy is dropped.` });
    return null;
  }
  if (queue.parts.some((p) => start < p.offset + p.data.length && p.offset < end)) return discard('ip-fragment-overlap', `it overlaps bytes another fragment already brought, and Linux trusts neither`);
  queue.parts.push({ offset: start, data: packet.payload });
  queue.parts.sort((a, b) => a.offset - b.offset);
  if (start === 0) queue.first = ipBytes.slice();
  if (!packet.moreFragments) queue.length = end;
  let have = 0;
  for (const part of queue.parts) {
    if (part.offset !== have) break;
    have += part.data.length;
  }
  if (queue.length === undefined || have !== queue.length) {
    const missing = queue.length === undefined ? 'the last fragment has not arrived' : `${formatBytes(queue.length - queue.parts.reduce((sum, p) => sum + p.data.length, 0))} of ${formatBytes(queue.length)} are still missing`;
    ctx.emit({ kind: 'deliver', reason: 'ip-fragment-queued', port: nic.port, frame: bytes, text: `${me} takes a fragment of datagram ${packet.identification} from ${packet.source} (bytes ${start}–${end - 1}) and keeps it: ${missing}.` });
    return null;
  }
  fragments.delete(key);
  if (fragments.size === 0) delete host.fragments;
  ctx.cancelTimers((timer) => timer.type === 'reassembly-timeout' && timer.key === key);
  const data = new Uint8Array(queue.length);
  for (const part of queue.parts) data.set(part.data, part.offset);
  const head = decodeIpv4Packet(queue.first!);
  ctx.emit({ kind: 'deliver', reason: 'ip-reassembled', port: nic.port, frame: bytes, text: `${me} has every fragment of datagram ${packet.identification} from ${packet.source} (${queue.parts.length} of them): it puts the ${formatCount(queue.length + IPV4_HEADER_LENGTH)}-byte packet back together (ip_defrag) and reads it.` });
  return encodeIpv4Packet({
    dscp: head.dscp, ecn: head.ecn, identification: head.identification, dontFragment: false, moreFragments: false, fragmentOffset: 0,
    ttl: head.ttl, protocol: head.protocol, source: head.source, destination: head.destination, payload: data,
  });
}

function formatBytes(n: number): string {
  return `${formatCount(n)} bytes`;
}
