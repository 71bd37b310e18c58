// Fragments (net/ipv4/ip_output.c ip_fragment, net/ipv4/ip_fragment.c ip_defrag): cutting a packet
// to fit an MTU, and putting a datagram's fragments back together.

import { formatCount } from '../../scenario/limits';
import { decodeIpv4Packet, encodeIpv4Packet, IPV4_HEADER_LENGTH, IPV4_MAX_TOTAL_LENGTH } from '../../wire/ipv4';
import { type HostContext, type HostNic, type HostState, type Reassembly, REASSEMBLY_TIMEOUT_MS } from './state';

/** How many fragments ip_fragment cuts a packet of `length` bytes into for `mtu`: each carries a multiple of 8 data bytes, but the last. */
function fragmentCount(length: number, mtu: number): number {
  if (length <= mtu) return 1;
  const data = length - IPV4_HEADER_LENGTH;
  return Math.ceil(data / ((mtu - IPV4_HEADER_LENGTH) & ~7));
}

/** The sentence a sender or router adds when a packet (or a `what`) leaves in fragments. */
export function fragmentNote(length: number, mtu: number, why: string, what = 'packet'): string {
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

function reassemblyKey(packet: ReturnType<typeof decodeIpv4Packet>): string {
  return `${packet.source}>${packet.destination}/${packet.identification}/${packet.protocol}`;
}

/**
 * ip_defrag: a fragment joins the queue of its datagram (same source, destination, identification
 * and protocol); when every byte from 0 to the end the last fragment gave is there, the datagram is
 * rebuilt and returned. A fragment overlapping another discards the whole queue (as Linux has since
 * 4.19); an exact repeat is ignored; the queue waits 30 s at most.
 */
export function ipDefrag(ctx: HostContext, host: HostState, nic: HostNic, ipBytes: Uint8Array, packet: ReturnType<typeof decodeIpv4Packet>, bytes: Uint8Array): Uint8Array | null {
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
  return `${formatCount(n)} ${n === 1 ? 'byte' : 'bytes'}`;
}
