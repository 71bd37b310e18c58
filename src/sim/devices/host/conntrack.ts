// Connection tracking (net/netfilter/nf_conntrack_core.c, nf_conntrack_proto_icmp.c,
// nf_conntrack_proto_udp.c): a namespace's table of flows, each an original tuple and the reply
// tuple it expects, ready for NAT to rewrite. nf_conntrack_in looks a packet up (or makes a new,
// unconfirmed entry) at PRE_ROUTING and LOCAL_OUT; __nf_conntrack_confirm inserts it at LOCAL_IN
// and POST_ROUTING, so a packet dropped in between leaves nothing behind. Tracked: UDP, and ICMP
// queries (echo); ICMP errors belong to the flow they quote (RELATED) and make no entry; an echo
// reply with no request is invalid and makes none. Simplifications: conntrack is on only in a
// namespace that enables it (Linux loads it when a rule or NAT needs it); fragments are not tracked
// (Linux's nf_defrag would reassemble them first); bridged frames pass no IP hook (br_netfilter
// not loaded).

import { IP_PROTOCOL_ICMP, IP_PROTOCOL_UDP, type DecodedIpv4Packet } from '../../wire/ipv4';
import { ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST } from '../../wire/icmp';
import type { Ipv4Address } from '../../wire/ipv4-address';
import type { HostState } from './state';

/** nf_conntrack_icmp_timeout: 30 s, refreshed by every packet of the flow. */
export const CONNTRACK_ICMP_TIMEOUT_MS = 30_000;
/** nf_conntrack_udp_timeout: 30 s while only one direction has been seen... */
export const CONNTRACK_UDP_TIMEOUT_MS = 30_000;
/** ...nf_conntrack_udp_timeout_stream: 120 s once the flow has been seen both ways (ASSURED). */
export const CONNTRACK_UDP_STREAM_TIMEOUT_MS = 120_000;

/** One direction of a flow (struct nf_conntrack_tuple): ports for UDP, type, code and identifier for ICMP. */
export interface ConntrackTuple {
  source: Ipv4Address;
  destination: Ipv4Address;
  /** UDP only. */
  sourcePort?: number;
  destinationPort?: number;
  /** ICMP only. */
  type?: number;
  code?: number;
  id?: number;
}

/** A flow (struct nf_conn), as `conntrack -L` lists it. */
export interface ConntrackEntry {
  protocol: 'icmp' | 'udp';
  original: ConntrackTuple;
  reply: ConntrackTuple;
  /** IPS_SEEN_REPLY: a packet of the reply direction has passed. */
  seenReply: boolean;
  /** IPS_ASSURED: the flow will not be dropped early when the table is full (UDP after a reply and more traffic). */
  assured: boolean;
  /** Virtual time the entry times out. */
  expires: number;
  /** IPS_SRC_NAT: the reply tuple's destination is the masquerading address (nat.ts). */
  snat?: true;
  /** IPS_DST_NAT: the reply tuple's source is the forwarded-to address (nat.ts). */
  dnat?: true;
}

/**
 * The flow of the packet being handled, as nf_conntrack_in found or made it (the skb's nfct and
 * its direction): what NAT reads at the hooks after it. Null for a packet that is not tracked.
 */
export interface CurrentFlow {
  table: ConntrackTable;
  entry: ConntrackEntry;
  /** IP_CT_DIR_REPLY: the packet matched the flow's reply tuple. */
  reply: boolean;
  /** A flow made by this packet, not yet confirmed (IP_CT_NEW). */
  isNew: boolean;
}

let current: CurrentFlow | null = null;

/** The flow of the packet last looked up (nat.ts reads it at the NAT hooks). */
export function currentFlow(): CurrentFlow | null {
  return current;
}

/** nf_nat_used_tuple: whether a tuple is already some flow's reply (so NAT must pick another port or identifier). */
export function replyTupleTaken(table: ConntrackTable, protocol: 'icmp' | 'udp', tuple: ConntrackTuple): boolean {
  const key = tupleKey(protocol === 'udp' ? IP_PROTOCOL_UDP : IP_PROTOCOL_ICMP, tuple);
  return table.replies.has(key) || table.entries.has(key);
}

/**
 * The per-namespace table (net->ct): each flow under its original tuple's key, and its reply
 * tuple's key pointing there (keys, not shared objects, so a snapshot copies each flow once).
 */
export interface ConntrackTable {
  entries: Map<string, ConntrackEntry>;
  replies: Map<string, string>;
}

/** Turns connection tracking on in a namespace (what loading nf_conntrack for a rule or NAT does). */
export function enableConntrack(host: HostState): void {
  host.conntrack ??= { entries: new Map(), replies: new Map() };
}

function tupleKey(protocol: number, tuple: ConntrackTuple): string {
  return protocol === IP_PROTOCOL_UDP
    ? `17 ${tuple.source}:${tuple.sourcePort}>${tuple.destination}:${tuple.destinationPort}`
    : `1 ${tuple.source}>${tuple.destination} ${tuple.type}/${tuple.code}/${tuple.id}`;
}

/** The packet's tuple, or null when it is not tracked (another protocol, a fragment, an ICMP error, a truncated header). */
function packetTuple(packet: DecodedIpv4Packet): ConntrackTuple | null {
  if (packet.moreFragments || packet.fragmentOffset !== 0) return null;
  const l4 = packet.payload;
  if (packet.protocol === IP_PROTOCOL_UDP && l4.length >= 8) {
    return { source: packet.source, destination: packet.destination, sourcePort: (l4[0]! << 8) | l4[1]!, destinationPort: (l4[2]! << 8) | l4[3]! };
  }
  if (packet.protocol === IP_PROTOCOL_ICMP && l4.length >= 8 && (l4[0] === ICMP_ECHO_REQUEST || l4[0] === ICMP_ECHO_REPLY)) {
    return { source: packet.source, destination: packet.destination, type: l4[0]!, code: l4[1]!, id: (l4[4]! << 8) | l4[5]! };
  }
  return null;
}

/** nf_ct_invert_tuple: the tuple the answer will carry (an echo request's is an echo reply with the same identifier). */
function invert(protocol: number, tuple: ConntrackTuple): ConntrackTuple {
  if (protocol === IP_PROTOCOL_UDP) return { source: tuple.destination, destination: tuple.source, sourcePort: tuple.destinationPort!, destinationPort: tuple.sourcePort! };
  return { source: tuple.destination, destination: tuple.source, type: ICMP_ECHO_REPLY, code: 0, id: tuple.id! };
}

/**
 * A packet seen by nf_conntrack_in whose entry waits for __nf_conntrack_confirm. Linux hangs it on
 * the skb; here one packet is handled at a time, start to end, so one slot is enough: the next
 * packet's lookup replaces a packet that was dropped before its confirm.
 */
let unconfirmed: { table: ConntrackTable; key: string; entry: ConntrackEntry } | null = null;

/** nf_conntrack_in (PRE_ROUTING, LOCAL_OUT): finds the packet's flow and refreshes it, or prepares a new one for confirmation. */
export function conntrackIn(host: HostState, packet: DecodedIpv4Packet, now: number): void {
  unconfirmed = null;
  current = null;
  const table = host.conntrack;
  if (table === undefined) return;
  const tuple = packetTuple(packet);
  if (tuple === null) return;
  const key = tupleKey(packet.protocol, tuple);
  const original = table.entries.get(key);
  const replied = original === undefined ? table.replies.get(key) : undefined;
  const found = original !== undefined ? { entry: original, reply: false } : replied !== undefined ? { entry: table.entries.get(replied)!, reply: true } : undefined;
  if (found !== undefined && found.entry.expires > now) {
    const { entry, reply } = found;
    if (reply) entry.seenReply = true;
    // udp_packet: a flow seen both ways gets the stream timeout, and is ASSURED once more than its first reply has passed.
    if (entry.protocol === 'udp' && entry.seenReply) {
      if (!reply) entry.assured = true;
      entry.expires = now + CONNTRACK_UDP_STREAM_TIMEOUT_MS;
    } else {
      entry.expires = now + (entry.protocol === 'udp' ? CONNTRACK_UDP_TIMEOUT_MS : CONNTRACK_ICMP_TIMEOUT_MS);
    }
    current = { table, entry, reply, isNew: false };
    return;
  }
  if (found !== undefined) forget(table, found.entry, packet.protocol);
  // icmp_new: only a query starts a flow; an echo reply nobody asked for is invalid.
  if (tuple.type === ICMP_ECHO_REPLY) return;
  const reply = invert(packet.protocol, tuple);
  const entry: ConntrackEntry = {
    protocol: packet.protocol === IP_PROTOCOL_UDP ? 'udp' : 'icmp', original: tuple, reply, seenReply: false, assured: false,
    expires: now + (packet.protocol === IP_PROTOCOL_UDP ? CONNTRACK_UDP_TIMEOUT_MS : CONNTRACK_ICMP_TIMEOUT_MS),
  };
  unconfirmed = { table, key, entry };
  current = { table, entry, reply: false, isNew: true };
}

/** __nf_conntrack_confirm (LOCAL_IN, POST_ROUTING): the new flow of the packet that made it this far goes into the table. */
export function conntrackConfirm(host: HostState): void {
  const pending = unconfirmed;
  unconfirmed = null;
  if (pending === null || pending.table !== host.conntrack) return;
  // The reply tuple as NAT left it (a masqueraded flow's replies come to the masquerading address).
  pending.table.entries.set(pending.key, pending.entry);
  pending.table.replies.set(tupleKey(pending.entry.protocol === 'udp' ? IP_PROTOCOL_UDP : IP_PROTOCOL_ICMP, pending.entry.reply), pending.key);
  if (current !== null && current.entry === pending.entry) current = { ...current, isNew: false };
}

function forget(table: ConntrackTable, entry: ConntrackEntry, protocol: number): void {
  table.entries.delete(tupleKey(protocol, entry.original));
  table.replies.delete(tupleKey(protocol, entry.reply));
}

/** The live flows, oldest first (insertion order), as `conntrack -L` would list them at `now`. */
export function conntrackEntries(host: HostState, now: number): ConntrackEntry[] {
  const out: ConntrackEntry[] = [];
  for (const entry of host.conntrack?.entries.values() ?? []) if (entry.expires > now) out.push(entry);
  return out;
}

/** One line of `conntrack -L` (mark 0, use 1, no zones). */
export function conntrackLine(entry: ConntrackEntry, now: number): string {
  // nf_ct_expires in whole seconds, rounded down as the kernel prints it.
  const seconds = Math.floor((entry.expires - now) / 1000);
  const tuple = (t: ConntrackTuple) => (entry.protocol === 'udp'
    ? `src=${t.source} dst=${t.destination} sport=${t.sourcePort} dport=${t.destinationPort}`
    : `src=${t.source} dst=${t.destination} type=${t.type} code=${t.code} id=${t.id}`);
  const head = entry.protocol === 'udp' ? 'udp      17' : 'icmp     1';
  return `${head} ${seconds} ${tuple(entry.original)} ${entry.seenReply ? '' : '[UNREPLIED] '}${tuple(entry.reply)} ${entry.assured ? '[ASSURED] ' : ''}mark=0 use=1`;
}
