// A network namespace's IPv4 stack as data (struct net: its interfaces, neighbour table, routes,
// sockets and counters) and how a scenario's host or router becomes one; plus the Linux defaults
// (neigh, ICMP, fragment and socket constants) the stage files share.

import { stackedLinks, type HostSpec, type StackedLinkSpec, type NatSpec, type RouterSpec, type Scenario } from '../../scenario/format';
import type { ReasonArgs } from '../../trace';
import { canonicalIpv4ToNumber, type Ipv4Address, type Ipv4Cidr, networkAddress, parseIpv4Cidr } from '../../wire/ipv4-address';
import type { MacAddress } from '../../wire/mac-address';
import { WireError } from '../../wire/wire-error';
import type { DeviceContext } from '../context';
import { createFdb } from '../bridge-fdb';
import { bridgeVlanTable, DEFAULT_AGEING_TIME_SECONDS, type BridgeState } from '../bridge/state';
import type { ConntrackTable } from './conntrack';
import { createVxlan, vxlanMtu, type VxlanState } from './vxlan';

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
  /**
   * `ip` as an unsigned 32-bit number, set with it (createHost): what an address read off a frame
   * (readIpv4Number) is compared with on the receive path, without making a string, and without
   * reading anything the frame's interface does not already hold.
   */
  ipNumber?: number;
  prefixLength?: number;
  /** The largest IPv4 packet the interface sends; a sub-interface's is at most its NIC's. */
  mtu: number;
  /**
   * Set on a bridge's own interface (br0): `port` is then the bridge's name, not a cable's, and a
   * frame sent on it goes into the bridge (br_dev_xmit). A NIC enslaved to the bridge is an
   * interface without an address: the bridge takes every frame it receives (its rx_handler).
   */
  bridge?: true;
  /** Set on a VXLAN device's interface (vxlan0): `port` is its name, and a frame sent on it is wrapped and sent to a remote VTEP (vxlan_xmit). */
  vxlan?: true;
  /**
   * Set on a macvlan or ipvlan child: its kind, mode and parent ("server:eth0"). The child is a NIC
   * whose link goes to its parent's namespace (the port `upper` there), not to a cable.
   */
  stacked?: { kind: 'macvlan' | 'ipvlan'; mode: string; parent: string };
}

/** One child of a lower device (struct macvlan_dev / ipvl_dev), as its parent's namespace knows it. */
export interface StackedChild {
  device: string;
  /** The child's interface name in its own namespace. */
  port: string;
  /** The port of this namespace the child's link ends at (frames from the child arrive there). */
  upper: string;
  mac: MacAddress;
  mode: string;
  /** The child's IPv4 addresses (ipvlan_addr_lookup). */
  ips: Ipv4Address[];
  /** macvlan mode source: the source MACs it takes copies of. */
  sources?: MacAddress[];
}

/** A lower device with children (struct macvlan_port / ipvl_port): the interface and its children, in the order they were added. */
export interface StackedPort {
  kind: 'macvlan' | 'ipvlan';
  /** The lower interface's name in this namespace ("eth0", "eth0.10"). */
  lower: string;
  children: StackedChild[];
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
  /** Set on an outer packet of a VXLAN device: it keeps the inner frame's origin, and is lost silently on failure. */
  encap?: boolean;
  /** A forwarded packet's origin (the frame its first host sent), for the trace when it finally leaves. */
  origin?: number;
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

/** The device context a namespace's stack runs with: its timers are HostTimers. */
export interface HostContext extends Omit<DeviceContext, 'setTimer' | 'cancelTimers'> {
  setTimer(delay: number, timer: HostTimer): void;
  cancelTimers(match: (timer: HostTimer) => boolean): void;
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
  /** What the receive path asks of `nics` (interfacesOf), worked out with them when the host is built. */
  interfaces: InterfacesView;
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
  /**
   * The bridge net devices of this namespace (`ip link add br0 type bridge`), each over NICs of the
   * namespace; its own interface is in `nics` too, with `bridge` set. Absent when there are none.
   */
  bridges?: BridgeState[];
  /** The VXLAN devices of this namespace (vxlan.ts); each is also an interface in `nics`. Absent when there are none. */
  vxlans?: VxlanState[];
  /** NAT rules (nat.ts): masquerade and port forwards; absent when none. Connection tracking is then on. */
  nat?: NatSpec;
  /** Lower devices with macvlan or ipvlan children (their rx_handler); absent when none. */
  lowers?: StackedPort[];
  /** Connection tracking (conntrack.ts), when the namespace has it on; absent otherwise. */
  conntrack?: ConntrackTable;
  nextIpIdentification: number;
  echoIdentifier: number;
  nextEchoSequence: number;
}

/** `random` seeds the per-host counters a real stack would pick at random (IP ID, echo identifier). */
export function createHost(spec: HostSpec | RouterSpec, random: () => number, scenario?: Pick<Scenario, 'devices'>): HostState {
  // Index loops and no closures but where a namespace has bridges or VXLAN devices: a build makes
  // thousands of namespaces, much of it before the code is optimised.
  const nics: HostNic[] = [];
  const specNics = spec.nics;
  for (let n = 0; n < specNics.length; n++) {
    const nic = specNics[n]!;
    const cidr = nic.ip ? cidrOf(nic.ip) : null;
    const mtu = nic.mtu ?? DEFAULT_MTU;
    const made: HostNic = cidr ? { name: nic.port, port: nic.port, mac: nic.mac, ip: cidr.address, ipNumber: canonicalIpv4ToNumber(cidr.address), prefixLength: cidr.prefixLength, mtu } : { name: nic.port, port: nic.port, mac: nic.mac, mtu };
    if (nic.macvlan) made.stacked = { kind: 'macvlan', mode: nic.macvlan.mode ?? 'vepa', parent: nic.macvlan.parent };
    else if (nic.ipvlan) made.stacked = { kind: 'ipvlan', mode: nic.ipvlan.mode ?? 'l3', parent: nic.ipvlan.parent };
    nics.push(made);
    if (nic.vlans !== undefined) for (const sub of nic.vlans) {
      const subCidr = parseIpv4Cidr(sub.ip)!;
      // A VLAN device starts with its real device's MTU (vlan_dev_init).
      nics.push({ name: `${nic.port}.${sub.vlan}`, port: nic.port, mac: nic.mac, vlan: sub.vlan, ip: subCidr.address, ipNumber: canonicalIpv4ToNumber(subCidr.address), prefixLength: subCidr.prefixLength, mtu: sub.mtu ?? mtu });
    }
  }
  const vxlans: VxlanState[] = [];
  const vxlanNics: HostNic[] = [];
  if (spec.vxlans !== undefined) for (const vx of spec.vxlans) {
    const cidr = vx.ip ? parseIpv4Cidr(vx.ip) : null;
    const mtu = vxlanMtu(vx, vx.dev === undefined ? undefined : nics.find((nic) => nic.name === vx.dev)?.mtu ?? spec.bridges?.find((b) => b.name === vx.dev)?.mtu ?? DEFAULT_MTU);
    vxlanNics.push(cidr ? { name: vx.name, port: vx.name, mac: vx.mac, ip: cidr.address, ipNumber: canonicalIpv4ToNumber(cidr.address), prefixLength: cidr.prefixLength, mtu, vxlan: true } : { name: vx.name, port: vx.name, mac: vx.mac, mtu, vxlan: true });
    vxlans.push(createVxlan(vx, random));
  }
  const bridges: BridgeState[] = [];
  if (spec.bridges !== undefined) bridges.push(...createBridges(spec, nics, vxlanNics));
  // The VXLAN devices' interfaces come last: a namespace's first address and own interface stay its NICs' or bridges'.
  for (let n = 0; n < vxlanNics.length; n++) nics.push(vxlanNics[n]!);
  const routes: StaticRoute[] = [];
  if (spec.kind === 'router' && spec.routes !== undefined) {
    for (let n = 0; n < spec.routes.length; n++) {
      const route = spec.routes[n]!;
      const { network, prefixLength } = routePrefix(route.to);
      routes.push({ network, prefixLength, via: route.via });
    }
  }
  const forwarding = spec.kind === 'router';
  const host: HostState = {
    kind: spec.kind,
    id: spec.id,
    nics: exactly(nics),
    forwarding,
    interfaces: interfacesView(nics),
    nextIpIdentification: random() & 0xffff,
    echoIdentifier: random() & 0xffff,
    nextEchoSequence: 1,
    nextEphemeralPort: EPHEMERAL_PORT_FIRST,
  };
  // Derived from the two random draws rather than a third, so that adding UDP changed no other
  // host's identifiers: Linux picks an ephemeral port at random too.
  host.nextEphemeralPort = EPHEMERAL_PORT_FIRST + ((host.echoIdentifier * 0x10000 + host.nextIpIdentification) % (EPHEMERAL_PORT_LAST - EPHEMERAL_PORT_FIRST + 1));
  if (spec.udpListen?.length) host.udpListen = [...spec.udpListen];
  for (let n = 0; n < specNics.length; n++) {
    const nic = specNics[n]!;
    if (nic.mtu !== undefined && nic.mtu !== DEFAULT_MTU) (host.portMtu ??= new Map()).set(nic.port, nic.mtu);
  }
  if (spec.kind === 'host' && spec.gateway) host.gateway = spec.gateway;
  if (routes.length > 0) host.routes = routes;
  if (bridges.length > 0) host.bridges = bridges;
  if (vxlans.length > 0) host.vxlans = vxlans;
  if (spec.nat !== undefined) {
    // NAT needs connection tracking (nf_nat depends on nf_conntrack): the namespace tracks flows.
    host.nat = spec.nat;
    host.conntrack = { entries: new Map(), replies: new Map() };
  }
  if (scenario !== undefined) {
    const stacked = stackedLinksByParent(scenario).get(spec.id);
    if (stacked !== undefined) {
      const lowers: StackedPort[] = [];
      for (const link of stacked) {
        let port = lowers.find((p) => p.lower === link.parent.lower);
        if (port === undefined) lowers.push((port = { kind: link.kind, lower: link.parent.lower, children: [] }));
        const child: StackedChild = { device: link.child.device, port: link.child.port, upper: link.parent.upper, mac: link.mac, mode: link.mode, ips: link.ips };
        if (link.sources !== undefined) child.sources = link.sources;
        port.children.push(child);
      }
      if (lowers.length > 0) host.lowers = lowers;
    }
  }
  return host;
}

/**
 * An interface address ("10.0.0.7/8") as parseIpv4Cidr reads it. The text of a canonical one (four
 * numbers 0..255 without leading zeros, a prefix 0..32) is read here in one pass, with no
 * regular expression nor split: a build reads thousands. Anything else goes to parseIpv4Cidr.
 */
function cidrOf(text: string): Ipv4Cidr | null {
  const slash = text.indexOf('/');
  if (slash > 0 && canonicalDotted(text, slash)) {
    const prefix = text.slice(slash + 1);
    if (prefix.length === 1 ? prefix >= '0' && prefix <= '9' : prefix.length === 2 && ((prefix[0] === '1' || prefix[0] === '2') ? prefix[1]! >= '0' && prefix[1]! <= '9' : prefix[0] === '3' && prefix[1]! >= '0' && prefix[1]! <= '2')) {
      return { address: text.slice(0, slash), prefixLength: Number(prefix) };
    }
  }
  return parseIpv4Cidr(text);
}

/** Whether text[0, end) is a canonical dotted quad: four numbers 0..255, no leading zeros, nothing else. */
function canonicalDotted(text: string, end: number): boolean {
  let dots = 0;
  let digits = 0;
  let octet = 0;
  let leadingZero = false;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0) return false;
      dots += 1;
      digits = 0;
      octet = 0;
      leadingZero = false;
    } else if (c >= 0x30 && c <= 0x39) {
      if (leadingZero) return false;
      if (digits === 0 && c === 0x30) leadingZero = true;
      octet = octet * 10 + (c - 0x30);
      digits += 1;
      if (digits > 3 || octet > 255) return false;
    } else {
      return false;
    }
  }
  return dots === 3 && digits > 0;
}

/**
 * A static route's destination as its network and prefix (`to` as written, host bits cleared):
 * worked out once per text, since every router of a fabric may list the same destinations.
 */
const routePrefixes = new Map<string, { readonly network: Ipv4Address; readonly prefixLength: number }>();
function routePrefix(to: string): { readonly network: Ipv4Address; readonly prefixLength: number } {
  let known = routePrefixes.get(to);
  if (known === undefined) {
    const cidr = parseIpv4Cidr(to)!;
    known = Object.freeze({ network: networkAddress(cidr.address, cidr.prefixLength), prefixLength: cidr.prefixLength });
    if (routePrefixes.size >= 65_536) routePrefixes.clear();
    routePrefixes.set(to, known);
  }
  return known;
}

/** A namespace's bridge net devices (`spec.bridges`), each with its own interface added to `nics`. */
function createBridges(spec: HostSpec | RouterSpec, nics: HostNic[], vxlanNics: readonly HostNic[]): BridgeState[] {
  // The first NIC, and the first VXLAN device, of each port name (a bridge of a port per VM asks for each port).
  const nicOf = new Map<string, HostSpec['nics'][number]>();
  for (const nic of spec.nics) if (!nicOf.has(nic.port)) nicOf.set(nic.port, nic);
  const vxlanOf = new Map<string, HostNic>();
  for (const nic of vxlanNics) if (!vxlanOf.has(nic.port)) vxlanOf.set(nic.port, nic);
  const portMtu = (port: string): number | undefined => nicOf.get(port)?.mtu ?? vxlanOf.get(port)?.mtu;
  const portMac = (port: string): string => nicOf.get(port)?.mac ?? vxlanOf.get(port)!.mac;
  const bridges: BridgeState[] = [];
  for (const bridge of spec.bridges ?? []) {
    // The bridge's own interface: an interface like a NIC's, its port the bridge's name.
    const cidr = bridge.ip ? parseIpv4Cidr(bridge.ip) : null;
    const mtu = bridge.mtu ?? bridgeAutoMtu(bridge.ports, portMtu);
    nics.push(cidr ? { name: bridge.name, port: bridge.name, mac: bridge.mac, ip: cidr.address, ipNumber: canonicalIpv4ToNumber(cidr.address), prefixLength: cidr.prefixLength, mtu, bridge: true } : { name: bridge.name, port: bridge.name, mac: bridge.mac, mtu, bridge: true });
    // br0.10 (`ip link add link br0 name br0.10 type vlan id 10`): a sub-interface as on a NIC, its
    // real device the bridge's own interface, so what it sends goes tagged into br_dev_xmit.
    for (const sub of bridge.vlans ?? []) {
      const subCidr = parseIpv4Cidr(sub.ip)!;
      nics.push({ name: `${bridge.name}.${sub.vlan}`, port: bridge.name, mac: bridge.mac, vlan: sub.vlan, ip: subCidr.address, ipNumber: canonicalIpv4ToNumber(subCidr.address), prefixLength: subCidr.prefixLength, mtu: sub.mtu ?? mtu, bridge: true });
    }
    const state: BridgeState = {
      kind: bridge.vlanFiltering === true ? 'switch' : 'bridge', id: bridge.name, owner: spec.id, ports: [...bridge.ports], ageingTime: (bridge.ageingTime ?? DEFAULT_AGEING_TIME_SECONDS) * 1000,
      fdb: createFdb(), nextSweep: Infinity, localMac: bridge.mac,
      portMacs: new Map(bridge.ports.map((port) => [portMac(port), port])),
      egressMtu: new Map(bridge.ports.flatMap((port) => {
        const mtu = portMtu(port);
        return mtu === undefined || mtu === DEFAULT_MTU ? [] : [[port, mtu] as const];
      })),
    };
    if (bridge.fdbMaxLearned) state.fdbMaxLearned = bridge.fdbMaxLearned;
    if (bridge.vlanFiltering === true) state.vlan = bridgeVlanTable(bridge);
    bridges.push(state);
  }
  return bridges;
}

/**
 * The scenario's macvlan and ipvlan children by parent device, worked out once per scenario object
 * (the engine hands each build a view of its own): every host asking for its own children would
 * otherwise read the whole scenario, and a 10,000-namespace build took seconds in it.
 */
const stackedByParent = new WeakMap<object, Map<string, StackedLinkSpec[]>>();
function stackedLinksByParent(scenario: Pick<Scenario, 'devices'>): Map<string, StackedLinkSpec[]> {
  let byParent = stackedByParent.get(scenario);
  if (byParent === undefined) {
    byParent = new Map();
    for (const link of stackedLinks(scenario)) {
      const list = byParent.get(link.parent.device);
      if (list === undefined) byParent.set(link.parent.device, [link]);
      else list.push(link);
    }
    stackedByParent.set(scenario, byParent);
  }
  return byParent;
}

/**
 * A bridge's MTU when the scenario sets none (br_mtu_auto_adjust → br_mtu_min in
 * net/bridge/br_if.c): the smallest MTU among its ports, so that what br0 sends fits every port;
 * 1500 (ETH_DATA_LEN) while it has no port. An MTU set by hand (BROPT_MTU_SET_BY_USER) is kept.
 */
function bridgeAutoMtu(ports: readonly string[], mtuOf: (port: string) => number | undefined): number {
  let mtu: number | undefined;
  for (const port of ports) {
    const portMtu = mtuOf(port) ?? DEFAULT_MTU;
    if (mtu === undefined || portMtu < mtu) mtu = portMtu;
  }
  return mtu ?? DEFAULT_MTU;
}

/** The bridge net device `port` is enslaved to (its rx_handler), if any. */
export function bridgeOfPort(host: HostState, port: string): BridgeState | undefined {
  const bridges = host.bridges;
  if (bridges === undefined) return undefined;
  for (let i = 0; i < bridges.length; i++) if (portSetOf(bridges[i]!.ports).has(port)) return bridges[i];
  return undefined;
}

/**
 * A bridge's port list as a set, made the first time it is asked (a server's br0 with a port per VM
 * is asked about every frame the server receives). Only for a frozen list, configuration that
 * every copy of the bridge shares and nothing changes; a list that is not (a hand-made test
 * bridge) gets a set of its own each time.
 */
const portSets = new WeakMap<readonly string[], ReadonlySet<string>>();
function portSetOf(ports: readonly string[]): ReadonlySet<string> {
  let set = portSets.get(ports);
  if (set === undefined) {
    set = new Set(ports);
    if (Object.isFrozen(ports)) portSets.set(ports, set);
  }
  return set;
}

/**
 * The interface of `port` with VLAN `vid` (undefined: the port's own, untagged), as vlan_do_receive
 * finds it: the first in `nics` order. A few interfaces (FEW_NICS), or a list that is not frozen,
 * are searched; a longer frozen list (configuration, shared by every copy of the namespace: a server
 * with a veth per VM) is looked up in an index by port made the first time.
 */
export function interfaceOn(host: HostState, port: string, vid: number | undefined): HostNic | undefined {
  const nics = host.nics;
  if (nics.length <= FEW_NICS || !Object.isFrozen(nics)) {
    for (let i = 0; i < nics.length; i++) if (nics[i]!.port === port && nics[i]!.vlan === vid) return nics[i];
    return undefined;
  }
  let byPort = nicIndexes.get(nics);
  if (byPort === undefined) {
    byPort = new Map();
    for (const nic of nics) {
      const list = byPort.get(nic.port);
      if (list === undefined) byPort.set(nic.port, [nic]);
      else list.push(nic);
    }
    nicIndexes.set(nics, byPort);
  }
  const list = byPort.get(port);
  if (list === undefined) return undefined;
  for (let i = 0; i < list.length; i++) if (list[i]!.vlan === vid) return list[i];
  return undefined;
}
const nicIndexes = new WeakMap<readonly HostNic[], Map<string, HostNic[]>>();
/**
 * Interfaces a namespace may have for interfaceOn to search them in order rather than index them:
 * a VM's one or two, a router's few. A fabric's 10,000 VMs each made an index (a Map, a list per
 * port, a WeakMap entry) for the one interface its frames arrive on.
 */
const FEW_NICS = 8;

/**
 * The interface that stands for the namespace at layer 2: a raw frame to the namespace by name is
 * addressed to its MAC, and a raw frame it sends leaves by it. Its first NIC that is no bridge's
 * port (a port's MAC is the bridge's local entry, not the namespace's address), else its first
 * bridge's own interface: the same order as its first address (registry.ts firstIp).
 */
export function ownInterface(host: HostState): HostNic {
  const nics = host.nics;
  // A namespace without bridges whose first interface is a plain NIC (a VM, a container): that one,
  // as findOwnInterface finds it, without a WeakMap entry per namespace.
  const first = nics[0];
  if (host.bridges === undefined && first !== undefined && first.vxlan !== true && first.vlan === undefined) return first;
  // Else worked out once per interface list that is frozen configuration, with the bridges' port lists it was worked out with.
  const known = ownInterfaces.get(nics);
  if (known !== undefined && samePortLists(known.ports, host.bridges)) return known.nic;
  const nic = findOwnInterface(host);
  if (Object.isFrozen(nics) && (host.bridges ?? []).every((b) => Object.isFrozen(b.ports))) ownInterfaces.set(nics, { ports: (host.bridges ?? []).map((b) => b.ports), nic });
  return nic;
}
const ownInterfaces = new WeakMap<readonly HostNic[], { ports: ReadonlyArray<readonly string[]>; nic: HostNic }>();

function samePortLists(ports: ReadonlyArray<readonly string[]>, bridges: readonly BridgeState[] | undefined): boolean {
  const count = bridges?.length ?? 0;
  if (ports.length !== count) return false;
  for (let i = 0; i < count; i++) if (ports[i] !== bridges![i]!.ports) return false;
  return true;
}

function findOwnInterface(host: HostState): HostNic {
  const nics = host.nics;
  for (const nic of nics) if (nic.bridge !== true && nic.vxlan !== true && nic.vlan === undefined && bridgeOfPort(host, nic.port) === undefined) return nic;
  for (const nic of nics) if (nic.bridge === true) return nic;
  return nics[0]!;
}

/** The bridge net device whose own interface is `nic`. */
export function bridgeOfInterface(host: HostState, nic: HostNic): BridgeState {
  // br0 itself, or a sub-interface of it (br0.10), whose real device is br0.
  return host.bridges!.find((bridge) => bridge.id === nic.port)!;
}

/** 127.0.0.0/8 and 0.0.0.0 both reach the host itself through `lo`. */
export function isLoopback(ip: Ipv4Address): boolean {
  return ip.startsWith('127.') || ip === '0.0.0.0';
}

/** Every IPv4 address the host owns (Linux answers ARP for any of them on any NIC: arp_ignore=0). */
export function hostAddresses(host: HostState): readonly Ipv4Address[] {
  return interfacesOf(host).addresses;
}

/** How many cable or veth ports the namespace's NICs use (not its bridges' own interfaces). */
export function nicPortCount(host: HostState): number {
  return interfacesOf(host).portCount;
}

/**
 * What a namespace's receive path asks of its interface list on every frame. The list is
 * configuration (frozen once built, shared by every snapshot), and so is this: worked out once when
 * the namespace is built, not for every packet nor while a first flood reaches thousands of hosts,
 * and a trace event can point at its frozen parts instead of a copy.
 */
export interface InterfacesView {
  /** Every address of the namespace (hostAddresses), frozen. */
  readonly addresses: readonly Ipv4Address[];
  /** nicPortCount. */
  readonly portCount: number;
}

export function interfacesOf(host: HostState): InterfacesView {
  return host.interfaces;
}

/**
 * A list kept for the whole run, copied to its length: an array that grew by push from empty has
 * room for 17 elements, and a fabric's 10,000 namespaces each kept two such lists (their
 * interfaces, their addresses) for one element, 2.8 MB that every young-generation collection of
 * the build copied.
 */
function exactly<T>(list: T[]): T[] {
  return list.slice();
}

function interfacesView(nics: readonly HostNic[]): InterfacesView {
  const addresses: Ipv4Address[] = [];
  const ports: string[] = [];
  for (const nic of nics) {
    if (nic.ip !== undefined) addresses.push(nic.ip);
    if (nic.bridge !== true && nic.vxlan !== true && !ports.includes(nic.port)) ports.push(nic.port);
  }
  return Object.freeze({ addresses: Object.freeze(exactly(addresses)), portCount: ports.length });
}

/**
 * The args of arp-request-not-for-me for the host's interface at `index` of `nics`: one frozen
 * object for every request the interface ignores (neighbour.ts), made for the namespace's
 * interfaces when the first is asked for (by a traced run), not when every namespace is built: a
 * fabric's 10,000 VMs made 21,000 of them, which no untraced run reads.
 */
export function ignoredArgsOf(host: HostState, index: number): ReasonArgs['arp-request-not-for-me'] {
  const view = host.interfaces;
  let args = ignoredArgsByView.get(view);
  if (args === undefined) {
    const { addresses, portCount } = view;
    args = Object.freeze(host.nics.map((nic) => {
      // The point of the two-NIC example: a host never passes a frame from one NIC to another. On a
      // bridge's own interface that is not the whole story: the bridge has carried the broadcast to
      // its other ports already (br_flood), and only the stack sends it on no further.
      const stuck = nic.bridge === true ? 'bridge' : host.forwarding ? 'router' : portCount > 1 ? 'nics' : undefined;
      return Object.freeze(stuck === undefined ? { addresses } : { addresses, stuck });
    }));
    ignoredArgsByView.set(view, args);
  }
  return args[index]!;
}
/** By a namespace's interfaces (its frozen InterfacesView, which its copies share): their ignoredArgsOf. */
const ignoredArgsByView = new WeakMap<InterfacesView, ReadonlyArray<ReasonArgs['arp-request-not-for-me']>>();

/** IFF_NOARP: an ipvlan child in L3 or L3S mode (ipvlan_set_port_mode) resolves no neighbour; its frames carry its own MAC as the destination. */
export function isNoArp(nic: HostNic): boolean {
  return nic.stacked !== undefined && nic.stacked.kind === 'ipvlan' && nic.stacked.mode !== 'l2';
}

export function describeInterface(nic: HostNic): string {
  return nic.vlan === undefined ? nic.name : `${nic.name} (VLAN ${nic.vlan})`;
}

export function interfaceNamed(host: HostState, name: string): HostNic {
  return host.nics.find((n) => n.name === name)!;
}

export function nextIdentification(host: HostState): number {
  const id = host.nextIpIdentification;
  host.nextIpIdentification = (id + 1) & 0xffff;
  return id;
}

export function malformed(ctx: HostContext, host: HostState, port: string, bytes: Uint8Array, error: unknown): void {
  if (!(error instanceof WireError)) throw error;
  ctx.emit({ kind: 'drop', reason: 'malformed', port, frame: bytes, text: `${ctx.name(host.id)} drops a malformed frame: ${error.message}.` });
}
