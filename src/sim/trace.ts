// The trace: every decision the core takes, as a list of events. It is the only thing the UI,
// the CLI and the tests read; each event carries a reason code, the values behind it, the event that
// caused it, and a sentence a learner understands (written by narrate.ts when first read).

import { formatCount } from './scenario/limits';

export type TraceKind =
  /** A host starts a scripted or reader-requested action ("A pings B"). */
  | 'action'
  /** A device puts a frame on the cable of one of its ports. */
  | 'transmit'
  /** A frame arrives at a port. */
  | 'receive'
  /** A bridge records where a source MAC address lives. */
  | 'learn'
  /** A table entry is forgotten because it was not refreshed in time. */
  | 'expire'
  /** A bridge sends a frame out of exactly one port, because it knows where the destination is; a router routes a packet. */
  | 'forward'
  /** A VLAN-aware switch decides which VLAN a frame belongs to. */
  | 'classify'
  /** A hub or bridge sends copies out of several ports. */
  | 'flood'
  /** A bridge discards a frame whose destination lives behind the port it came in on. */
  | 'filter'
  /** A host accepts a frame or packet as its own. */
  | 'deliver'
  /** A device discards a frame or packet, for the reason given. */
  | 'drop'
  /** A host's ARP cache gains or updates an entry, or a resolution starts or fails. */
  | 'arp'
  /** The outcome of an action: a ping answered or not, an ARP resolved or not. */
  | 'result'
  /** A loop was detected, or the run was stopped (storm, event budget). */
  | 'halt'
  | 'loop';

/** Reason codes, named after the kernel decision they mirror where there is one. */
export type ReasonCode =
  // sending
  | 'ping-start'
  | 'arp-start'
  | 'raw-start'
  | 'transmit'
  | 'no-cable'
  | 'no-route'
  | 'loopback'
  // hub
  | 'hub-repeat'
  | 'hub-nowhere'
  // bridge (net/bridge)
  | 'invalid-source'
  | 'link-local'
  | 'fdb-learn'
  | 'fdb-refresh'
  | 'fdb-move'
  | 'fdb-not-kept'
  | 'fdb-full'
  | 'fdb-aged'
  | 'fdb-hit'
  | 'fdb-miss'
  | 'broadcast'
  | 'multicast'
  | 'same-port'
  | 'flood-nowhere'
  // VLAN-aware switch (br_vlan.c, and two hardware-switch features)
  | 'vlan-tagged'
  | 'vlan-pvid'
  | 'mac-vlan'
  | 'vlan-not-allowed'
  | 'vlan-untagged'
  | 'port-security'
  // router (ip_forward, icmp_send)
  | 'ip-forward'
  | 'ttl-exceeded'
  | 'icmp-error'
  | 'ping-ttl-exceeded'
  | 'vlan-unknown'
  // host receive path
  | 'frame-arrived'
  | 'not-for-me'
  | 'arp-request-for-me'
  | 'arp-request-not-for-me'
  | 'arp-reply'
  | 'arp-unsolicited'
  | 'arping-reply'
  | 'arp-locktime'
  | 'arp-cache-update'
  | 'arp-retry'
  | 'arp-failed'
  | 'ip-not-for-me'
  | 'bad-checksum'
  | 'echo-request'
  | 'echo-reply'
  | 'echo-reply-unknown'
  | 'unsupported'
  | 'malformed'
  | 'raw-delivered'
  | 'ping-ok'
  | 'ping-unreachable'
  | 'ping-timeout'
  | 'ping-no-route'
  | 'arp-ok'
  | 'raw-sent'
  // an action the engine cannot start (startAction): once all "unsupported"
  | 'unknown-sender'
  | 'not-a-sender'
  | 'unknown-target'
  | 'no-address'
  // MTU and fragments (ip_forward's ip_exceeds_mtu, ip_fragment, ip_defrag, a veth's is_skb_forwardable)
  | 'frame-too-big'
  | 'frag-needed'
  | 'ping-message-too-long'
  | 'ping-frag-needed'
  | 'ip-fragment-queued'
  | 'ip-fragment-duplicate'
  | 'ip-fragment-overlap'
  | 'ip-reassembled'
  | 'reassembly-too-big'
  | 'reassembly-timeout'
  | 'icmp-rate-limited'
  // UDP (udp_sendmsg, __udp4_lib_rcv)
  | 'udp-start'
  | 'udp-delivered'
  | 'udp-port-unreachable'
  | 'udp-unreachable'
  | 'udp-frag-needed'
  | 'udp-ttl-exceeded'
  | 'udp-host-unreachable'
  | 'udp-no-route'
  | 'udp-timeout'
  // VXLAN (drivers/net/vxlan/vxlan_core.c: vxlan_xmit, vxlan_xmit_one, vxlan_rcv, vxlan_snoop, vxlan_cleanup)
  | 'vxlan-fdb-hit'
  | 'vxlan-flood'
  | 'vxlan-no-remote'
  | 'vxlan-no-route'
  | 'vxlan-encap'
  | 'vxlan-decap'
  | 'vxlan-malformed'
  | 'vxlan-bad-flags'
  | 'vxlan-unknown-vni'
  | 'vxlan-reserved-bits'
  | 'vxlan-own-source'
  | 'vxlan-invalid-source'
  | 'vxlan-static-conflict'
  | 'vxlan-fdb-learn'
  | 'vxlan-fdb-refresh'
  | 'vxlan-fdb-move'
  | 'vxlan-fdb-aged'
  | 'vxlan-recursion'
  | 'vxlan-frag-needed'
  | 'vxlan-frag-needed-reply'
  // macvlan (drivers/net/macvlan.c) and ipvlan (drivers/net/ipvlan/)
  | 'macvlan-rx'
  | 'macvlan-broadcast'
  | 'macvlan-private'
  | 'macvlan-source'
  | 'macvlan-bridge'
  | 'macvlan-xmit'
  | 'ipvlan-rx'
  | 'ipvlan-broadcast'
  | 'ipvlan-local'
  | 'ipvlan-xmit'
  | 'ipvlan-drop'
  // NAT (nf_nat: masquerade, DNAT) and the conntrack table
  | 'nat-snat'
  | 'nat-dnat'
  | 'nat-reply'
  | 'nat-no-entry'
  // engine
  | 'loop-detected'
  | 'broadcast-storm'
  | 'event-budget';

/** One end of a cable. */
export interface Endpoint {
  device: string;
  port: string;
}

/**
 * The values a reason's sentence needs, by reason code, for the reasons whose sentence is written
 * by a narrator (narrate.ts, or a device's registry entry) instead of being passed ready by the
 * device. What the event itself holds (device, port, ports, frame, peer) is not repeated here.
 */
export interface ReasonArgs {
  // engine
  /** `veth`: the link the copy crossed again is a veth pair, not a cable. */
  'loop-detected': { peer: Endpoint; veth?: true };
  'broadcast-storm': { copies: number; elapsed: number };
  'event-budget': { budget: number };
  // bridges (devices/bridge/narrate.ts)
  'fdb-learn': BridgeLearnArgs;
  'fdb-refresh': BridgeLearnArgs;
  'fdb-hit': BridgeFrameArgs;
  'fdb-miss': BridgeFrameArgs;
  'broadcast': BridgeFrameArgs;
  'multicast': BridgeFrameArgs;
  'vlan-tagged': { vid: number; bridge?: string };
  'vlan-pvid': VlanPvidArgs;
  // hosts (devices/host/narrate.ts)
  /** The request's target is read off the event's frame: one args object serves every request an interface ignores. */
  'arp-request-not-for-me': { addresses: readonly string[]; stuck?: 'router' | 'nics' | 'bridge' };
  // VXLAN devices (devices/host/vxlan.ts, narrated in devices/host/narrate.ts)
  'vxlan-fdb-hit': VxlanArgs;
  'vxlan-flood': VxlanArgs;
  'vxlan-no-remote': VxlanArgs;
  'vxlan-no-route': VxlanArgs;
  'vxlan-encap': VxlanArgs;
  'vxlan-decap': VxlanArgs;
  'vxlan-malformed': VxlanArgs;
  'vxlan-bad-flags': VxlanArgs;
  'vxlan-unknown-vni': VxlanArgs;
  'vxlan-reserved-bits': VxlanArgs;
  'vxlan-own-source': VxlanArgs;
  'vxlan-invalid-source': VxlanArgs;
  'vxlan-static-conflict': VxlanArgs;
  'vxlan-fdb-learn': VxlanArgs;
  'vxlan-fdb-refresh': VxlanArgs;
  'vxlan-fdb-move': VxlanArgs;
  'vxlan-fdb-aged': VxlanArgs;
  'vxlan-recursion': VxlanArgs;
  'vxlan-frag-needed': VxlanArgs;
  'vxlan-frag-needed-reply': VxlanArgs;
}

/** What every VXLAN sentence is made of: the device, its VNI, and what the decision was about. */
export interface VxlanArgs {
  /** The VXLAN device's name ("vxlan0"); '' when the datagram found none (a header or VNI problem). */
  vxlan: string;
  vni: number;
  /** The inner MAC the decision is about (destination on send, source on receive). */
  mac?: string;
  remote?: string;
  remotes?: readonly string[];
  /** The remote an entry had before (a move; a static entry's, for a conflict). */
  previous?: string;
  /** Why a frame went to the flood list: a broadcast, a multicast, or an unknown unicast. */
  why?: 'broadcast' | 'multicast' | 'unknown';
  /** The outer source address (sent from, or received from). */
  source?: string;
  sourcePort?: number;
  dstport?: number;
  /** Ageing: how long the entry went unused, and the limit, in seconds. */
  seconds?: number;
  ageing?: number;
  /** Why it could not be sent (no route), or what is wrong with the bytes. */
  error?: string;
  /** The outer packet's size, and the MTU of the interface it leaves by. */
  bytes?: number;
  mtu?: number;
  /** The bridge the unwrapped frame goes to (the VXLAN device is its port); absent: the interface's own stack. */
  bridge?: string;
  flags?: number;
  /** The VNIs this namespace has on the datagram's port (unknown VNI). */
  known?: readonly number[];
}

/**
 * Who a bridge is, for its sentences: `bridge` is set on a bridge net device inside a namespace (its
 * interface name, "br0"; the event's device is the namespace), absent on a bridge box.
 */
export interface BridgeLearnArgs {
  bridge?: string;
  mac: string;
  /** The FDB's VLAN: 0 on a plain bridge. */
  vid: number;
}

/** A switch putting an untagged (or priority-tagged) frame into its port's VLAN. */
export interface VlanPvidArgs {
  vid: number;
  /** A bridge net device inside a namespace: its interface name ("br0"), as in BridgeFrameArgs. */
  bridge?: string;
  /** The port is a trunk (the VLAN is its native one), not an access port. */
  trunk?: true;
  /** The frame carried a priority tag (VLAN 0), not none. */
  priorityTagged?: true;
}

/** A bridge's flood, forward or pass-up of the event's frame (its ports are the event's `ports`). */
export interface BridgeFrameArgs {
  bridge?: string;
  /** The frame's VLAN on a VLAN-filtering switch; absent on a plain bridge. */
  vid?: number;
  /** Sent by the bridge's own interface (br_dev_xmit), not received on a port. */
  own?: true;
  /** A flood: how many other linked ports are outside the frame's VLAN. */
  kept?: number;
  /** On a switch: the egress ports that send the frame tagged. */
  tagged?: string[];
  /** A pass-up of a frame to a port's own MAC: that port (else the frame was for the bridge's own). */
  portMac?: string;
}

/** Why an action could not start (reasons unknown-sender, not-a-sender, unknown-target, no-address): who, to what, and (for a device) its kind. */
export interface ActionFailure {
  from: string;
  to: string;
  /** What the action needed of its target: an IPv4 address, or a MAC address (a raw frame). */
  needs: 'ip' | 'mac';
  /** The kind of the device named (sender, or target), when there is one. */
  deviceKind?: string;
}

/** A 'result' event's values: the action's label and its outcome's sentence (the action record keeps it too). */
export interface ResultArgs {
  label: string;
  outcome: string;
  /** Why the engine could not start the action, for its own failure reasons. */
  failure?: ActionFailure;
}

export type TraceArgs = ReasonArgs[keyof ReasonArgs] | ResultArgs;

export interface TraceEvent {
  /** Position in the trace, from 0. */
  index: number;
  /** The step (one processed queue item) that produced the event, from 1. */
  step: number;
  /** Virtual time in milliseconds. */
  time: number;
  kind: TraceKind;
  reason: ReasonCode;
  device: string;
  port?: string;
  /** The copy of a frame on a cable (transmit/receive pair share it). */
  frameId?: number;
  /** The frame's bytes as on the wire. Read-only: the same array travels in the queue (never mutate it). */
  frame?: Uint8Array;
  /** Egress ports of a flood or forward. Read-only: events of many floods share one frozen list. */
  ports?: readonly string[];
  /** For transmit: where the cable leads. */
  peer?: { device: string; port: string };
  /** The action (scripted or injected) this event is a consequence of. */
  actionId?: number;
  /**
   * The index of the event that caused this one: a receive's is the transmit that put the frame on
   * the cable; what a device decides while it handles a frame has that frame's receive; a transmit
   * has the device's last decision before it in the same handling (its flood, forward, deliver…);
   * what a timer does has the event after which the timer was set; the first event of an action
   * has none.
   */
  cause?: number;
  /**
   * The frame id of the frame a host first sent that this event is about: copies relayed by hubs and
   * bridges and frames a router forwards keep it; set on transmits, receives and what a device
   * decides while handling a frame.
   */
  origin?: number;
  /** The values the sentence is made of, for reasons with a narrator (see ReasonArgs). */
  args?: TraceArgs;
  /** One sentence for the reader (written on first read, from the reason and args: narrate.ts). */
  readonly text: string;
}


/**
 * A list inside a log line, cut after `max` items: "a, b and 4,090 others". A router with a
 * sub-interface per VLAN, or a trunk carrying all 4,094 VLANs, would otherwise write thousands of
 * items into every line about it.
 */
export function nameSome(items: readonly (string | number)[], separator: string, max = 8): string {
  if (items.length <= max + 1) return items.join(separator);
  return `${items.slice(0, max).join(separator)} and ${formatCount(items.length - max)} others`;
}

/** Ports named one by one in a log line; a flood out of more says how many others (the event's `ports` lists them all). */
export const LISTED_PORTS = 16;

/** "port p2", "ports p2 and p3", "ports p1, p2 and p3", "ports p1, …, p16 and 484 others": how the log names a set of ports. */
export function formatPortList(ports: readonly string[]): string {
  if (ports.length === 0) return 'no port';
  if (ports.length === 1) return `port ${ports[0]}`;
  // A bridge of 2,000 ports would otherwise write every name into every flood line: unreadable, and megabytes in a storm.
  if (ports.length > LISTED_PORTS + 1) return `ports ${nameSome(ports, ', ', LISTED_PORTS)}`;
  return `ports ${ports.slice(0, -1).join(', ')} and ${ports[ports.length - 1]}`;
}
