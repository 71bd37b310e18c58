// NAT (net/netfilter/nf_nat_core.c, nf_nat_masquerade.c) on a namespace's connection tracking:
// the nat table's two hooks as nft's `type nat` chains hang them — DNAT at PRE_ROUTING (priority
// dstnat, after conntrack has found or made the flow), SNAT at POST_ROUTING (srcnat, before the
// flow is confirmed). A rule is matched only by the first packet of a flow (nf_nat_inet_fn runs the
// chain for IP_CT_NEW); the translation is then the flow's own (its reply tuple), and every later
// packet, either way, is rewritten from it (nf_nat_packet): a reply to a masqueraded packet gets its
// destination back, a reply from a forwarded-to container its source. A packet no flow translates
// (the outside starting a connection to the masquerading address) is the namespace's own, answered
// or refused as any packet for it. Simplifications: the checksums are computed again rather than
// patched (the same bytes for a correct packet); a port or identifier already taken is replaced by
// the next free one (Linux picks one at random in the range); an ICMP error about a translated
// flow (RELATED) is not translated (Linux rewrites it and the packet it quotes:
// nf_nat_icmp_reply_translation), so a container's "port unreachable" leaves with its own address.

import { IP_PROTOCOL_ICMP, IP_PROTOCOL_UDP, recomputeIpv4Checksum, type DecodedIpv4Packet } from '../../wire/ipv4';
import { internetChecksum, onesComplementSum } from '../../wire/checksum';
import { ipv4ToBytes, ipv4ToNumber, parseIpv4Cidr, prefixMask, type Ipv4Address } from '../../wire/ipv4-address';
import { ipv4PseudoHeaderSum } from '../../wire/udp';
import { currentFlow, replyTupleTaken, type ConntrackEntry, type ConntrackTuple } from './conntrack';
import type { HostContext, HostNic, HostState } from './state';

/** What changes in a packet: addresses, UDP ports, the ICMP echo identifier. */
interface Rewrite {
  source?: Ipv4Address;
  destination?: Ipv4Address;
  sourcePort?: number;
  destinationPort?: number;
  id?: number;
}

/** A copy of the IPv4 packet with `change` applied and its checksums made right (IP header, UDP with its pseudo-header, ICMP). */
export function rewritePacket(packet: Uint8Array, change: Rewrite): Uint8Array {
  const out = packet.slice();
  const ihl = (out[0]! & 0x0f) * 4;
  if (change.source !== undefined) out.set(ipv4ToBytes(change.source), 12);
  if (change.destination !== undefined) out.set(ipv4ToBytes(change.destination), 16);
  const l4 = out.subarray(ihl);
  const protocol = out[9];
  if (protocol === IP_PROTOCOL_UDP && l4.length >= 8) {
    if (change.sourcePort !== undefined) { l4[0] = change.sourcePort >> 8; l4[1] = change.sourcePort & 0xff; }
    if (change.destinationPort !== undefined) { l4[2] = change.destinationPort >> 8; l4[3] = change.destinationPort & 0xff; }
    // A datagram sent without a checksum (0) keeps none.
    if ((l4[6]! | l4[7]!) !== 0) {
      l4[6] = 0;
      l4[7] = 0;
      const length = (l4[4]! << 8) | l4[5]!;
      const source = `${out[12]}.${out[13]}.${out[14]}.${out[15]}`;
      const destination = `${out[16]}.${out[17]}.${out[18]}.${out[19]}`;
      const sum = ~onesComplementSum(l4.subarray(0, length), ipv4PseudoHeaderSum({ source, destination }, IP_PROTOCOL_UDP, length)) & 0xffff;
      const checksum = sum === 0 ? 0xffff : sum;
      l4[6] = checksum >> 8;
      l4[7] = checksum & 0xff;
    }
  } else if (protocol === IP_PROTOCOL_ICMP && l4.length >= 8 && change.id !== undefined) {
    l4[4] = change.id >> 8;
    l4[5] = change.id & 0xff;
    l4[2] = 0;
    l4[3] = 0;
    const checksum = internetChecksum(l4);
    l4[2] = checksum >> 8;
    l4[3] = checksum & 0xff;
  }
  return recomputeIpv4Checksum(out);
}

function inPrefix(address: Ipv4Address, cidr: string): boolean {
  const parsed = parseIpv4Cidr(cidr)!;
  const mask = prefixMask(parsed.prefixLength);
  return ((ipv4ToNumber(address) & mask) >>> 0) === ((ipv4ToNumber(parsed.address) & mask) >>> 0);
}

function endpoint(tuple: ConntrackTuple, side: 'source' | 'destination', protocol: 'icmp' | 'udp'): string {
  const port = side === 'source' ? tuple.sourcePort : tuple.destinationPort;
  return protocol === 'udp' ? `${tuple[side]}:${port}` : tuple[side];
}

/**
 * The nat table at PRE_ROUTING on a packet that came in on `nic`: a new flow that a port forward
 * matches is DNATed (its reply tuple now comes from the container); a packet of a translated flow
 * has its destination rewritten (the forward's, or, for a reply to a masqueraded flow, the
 * original sender's). Returns the packet to go on with: the same bytes when nothing changes.
 */
export function natPrerouting(ctx: HostContext, host: HostState, nic: HostNic, ipBytes: Uint8Array, packet: DecodedIpv4Packet): Uint8Array {
  const flow = currentFlow();
  const nat = host.nat;
  if (flow === null || nat === undefined || flow.table !== host.conntrack) return ipBytes;
  const { entry } = flow;
  const me = ctx.name(host.id);
  if (flow.isNew) {
    if (entry.protocol !== 'udp') return ipBytes;
    const rule = (nat.forward ?? []).find((r) => r.in === nic.name && r.proto === 'udp' && r.port === entry.original.destinationPort);
    if (rule === undefined) return ipBytes;
    const toPort = rule.toPort ?? rule.port;
    entry.reply = { ...entry.reply, source: rule.to, sourcePort: toPort };
    entry.dnat = true;
    ctx.emit({ kind: 'forward', reason: 'nat-dnat', port: nic.port, text: `${me} forwards a published port: UDP to ${endpoint(entry.original, 'destination', 'udp')} in on ${nic.name} is rewritten to ${rule.to}:${toPort} (DNAT in prerouting, as docker run -p ${rule.port}:${toPort}/udp sets up). Its connection-table entry now expects replies from ${rule.to}:${toPort}.` });
    return rewritePacket(ipBytes, { destination: rule.to, destinationPort: toPort });
  }
  if (!flow.reply && entry.dnat) {
    return rewritePacket(ipBytes, { destination: entry.reply.source, destinationPort: entry.reply.sourcePort });
  }
  if (flow.reply && entry.snat) {
    const original = entry.original;
    ctx.emit({ kind: 'forward', reason: 'nat-reply', port: nic.port, text: `${me} finds the reply in its connection table: ${endpoint(packet.protocol === IP_PROTOCOL_UDP ? entry.reply : entry.reply, 'destination', entry.protocol)} is the masqueraded side of ${original.source}'s flow to ${endpoint(original, 'destination', entry.protocol)}, so the destination goes back to ${endpoint(original, 'source', entry.protocol)} (nf_nat_packet).` });
    return rewritePacket(ipBytes, entry.protocol === 'udp' ? { destination: original.source, destinationPort: original.sourcePort } : { destination: original.source, id: original.id });
  }
  return ipBytes;
}

/**
 * The nat table at POST_ROUTING on a packet leaving by `out`: a new flow a masquerade rule matches
 * gets the interface's address as its source (its port or identifier kept unless another flow's
 * reply already uses it); a packet of a translated flow has its source rewritten (masqueraded, or,
 * for a reply from a forwarded-to container, the published address and port).
 */
export function natPostrouting(ctx: HostContext, host: HostState, out: HostNic, ipBytes: Uint8Array): Uint8Array {
  const flow = currentFlow();
  const nat = host.nat;
  if (flow === null || nat === undefined || flow.table !== host.conntrack) return ipBytes;
  const { entry, table } = flow;
  if (flow.isNew) {
    if (entry.dnat) return ipBytes;
    const rule = (nat.masquerade ?? []).find((r) => r.out === out.name && (r.source === undefined || inPrefix(entry.original.source, r.source)));
    if (rule === undefined) return ipBytes;
    if (out.ip === undefined) return ipBytes;
    const address = out.ip;
    const reply: ConntrackTuple = { ...entry.reply, destination: address };
    // nf_nat_used_tuple: the port (or identifier) is kept unless another flow's reply has it.
    const key = entry.protocol === 'udp' ? 'destinationPort' : 'id';
    let value = reply[key]!;
    const first = value;
    while (replyTupleTaken(table, entry.protocol, { ...reply, [key]: value })) value = value >= 65535 ? 1024 : value + 1;
    reply[key] = value;
    entry.reply = reply;
    entry.snat = true;
    const changed = value === first ? '' : ` (its ${entry.protocol === 'udp' ? 'port' : 'echo identifier'} ${first} is taken by another flow, so ${value})`;
    ctx.emit({ kind: 'forward', reason: 'nat-snat', port: out.port, text: `${ctx.name(host.id)} masquerades the packet leaving by ${out.name}: source ${endpoint(entry.original, 'source', entry.protocol)} becomes ${entry.protocol === 'udp' ? `${address}:${value}` : address}${changed}, ${out.name}'s address (oifname "${out.name}"${rule.source ? ` ip saddr ${rule.source}` : ''} masquerade). The connection table remembers it, so the reply can be translated back; the outside sees ${address} only.` });
    return rewritePacket(ipBytes, entry.protocol === 'udp' ? { source: address, sourcePort: value } : { source: address, id: value });
  }
  if (!flow.reply && entry.snat) {
    return rewritePacket(ipBytes, entry.protocol === 'udp' ? { source: entry.reply.destination, sourcePort: entry.reply.destinationPort } : { source: entry.reply.destination, id: entry.reply.id });
  }
  if (flow.reply && entry.dnat) {
    ctx.emit({ kind: 'forward', reason: 'nat-reply', port: out.port, text: `${ctx.name(host.id)} rewrites the reply from ${endpoint(entry.reply, 'source', 'udp')}: its source becomes ${endpoint(entry.original, 'destination', 'udp')}, the published address the sender used (nf_nat_packet).` });
    return rewritePacket(ipBytes, { source: entry.original.destination, sourcePort: entry.original.destinationPort });
  }
  return ipBytes;
}

/** Whether an entry is translated, for the table. */
export function natOf(entry: ConntrackEntry): string {
  return entry.snat ? 'masquerade' : entry.dnat ? 'dnat' : '';
}
