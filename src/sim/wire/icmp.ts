// ICMP messages (RFC 792): ping's echo request and reply, and the errors routers send back when delivery fails.

import { copyBytes, newBytes, readUint16At, readUint32At, writeUint16, writeUint32 } from './bytes.ts';
import { internetChecksum } from './checksum.ts';
import { assertFieldRange, WireError } from './wire-error.ts';

export const ICMP_ECHO_REPLY = 0;
export const ICMP_DESTINATION_UNREACHABLE = 3;
export const ICMP_ECHO_REQUEST = 8;
export const ICMP_TIME_EXCEEDED = 11;

/** Codes for ICMP_DESTINATION_UNREACHABLE. */
export const ICMP_UNREACHABLE_NETWORK = 0;
export const ICMP_UNREACHABLE_HOST = 1;
export const ICMP_UNREACHABLE_PROTOCOL = 2;
export const ICMP_UNREACHABLE_PORT = 3;
/** "Fragmentation needed and DF set" (Linux: ICMP_FRAG_NEEDED): the packet is bigger than the next link's MTU. */
export const ICMP_FRAGMENTATION_NEEDED = 4;
/** Codes for ICMP_TIME_EXCEEDED. */
export const ICMP_TTL_EXCEEDED_IN_TRANSIT = 0;
export const ICMP_FRAGMENT_REASSEMBLY_TIME_EXCEEDED = 1;

/** type(1) code(1) checksum(2) rest-of-header(4). */
export const ICMP_HEADER_LENGTH = 8;

export interface IcmpMessage {
  type: number;
  code: number;
  /**
   * The 32-bit "rest of header": identifier << 16 | sequence for echo, the next-hop MTU in the low
   * 16 bits for fragmentation needed, unused (0) for the other errors.
   */
  rest: number;
  payload: Uint8Array;
}

export interface DecodedIcmpMessage extends IcmpMessage {
  checksum: number;
  checksumValid: boolean;
}

/** Header plus payload, with the checksum computed over both (unlike IPv4, ICMP protects its data too). */
export function encodeIcmpMessage(m: IcmpMessage): Uint8Array {
  assertFieldRange(m.type, 255, 'ICMP type');
  assertFieldRange(m.code, 255, 'ICMP code');
  assertFieldRange(m.rest, 0xffffffff, 'ICMP rest of header');
  const bytes = newBytes(ICMP_HEADER_LENGTH + m.payload.length);
  bytes[0] = m.type;
  bytes[1] = m.code;
  writeUint32(bytes, 4, m.rest);
  bytes.set(m.payload, ICMP_HEADER_LENGTH);
  // The checksum field is still zero here, as the computation requires.
  writeUint16(bytes, 2, internetChecksum(bytes));
  return bytes;
}

/** Parses a whole ICMP message: pass the IPv4 payload, whose end the IPv4 total length already fixed. */
export function decodeIcmpMessage(bytes: Uint8Array): DecodedIcmpMessage {
  if (bytes.length < ICMP_HEADER_LENGTH) {
    throw new WireError(`ICMP message too short: ${bytes.length} bytes, an ICMP header needs ${ICMP_HEADER_LENGTH}`);
  }
  return {
    type: bytes[0],
    code: bytes[1],
    rest: readUint32At(bytes, 4),
    payload: copyBytes(bytes.subarray(ICMP_HEADER_LENGTH)),
    checksum: readUint16At(bytes, 2),
    checksumValid: internetChecksum(bytes) === 0,
  };
}

/** What `ping` sends: the identifier tells one ping process from another, the sequence numbers its probes. */
export function echoRequest(identifier: number, sequence: number, payload: Uint8Array): IcmpMessage {
  return { type: ICMP_ECHO_REQUEST, code: 0, rest: echoRest(identifier, sequence), payload };
}

/** The answer: same identifier, sequence and payload, so the pinger can match it to its request. */
export function echoReply(identifier: number, sequence: number, payload: Uint8Array): IcmpMessage {
  return { type: ICMP_ECHO_REPLY, code: 0, rest: echoRest(identifier, sequence), payload };
}

/** The reply a host sends to an echo request: everything copied back, only the type changed. */
export function echoReplyTo(request: IcmpMessage): IcmpMessage {
  return { type: ICMP_ECHO_REPLY, code: 0, rest: request.rest >>> 0, payload: request.payload };
}

export function echoIdentifier(m: IcmpMessage): number {
  return m.rest >>> 16;
}

export function echoSequence(m: IcmpMessage): number {
  return m.rest & 0xffff;
}

/** An ICMP error, with its own IPv4 header, fits in 576 bytes (RFC 1812 4.3.2.3): 576 − 20 − 8 bytes of the failed packet. */
export const ICMP_ERROR_MAX_QUOTE = 548;

/**
 * The part of a failed packet an ICMP error quotes. RFC 792 asks for its IPv4 header plus the first 8 bytes
 * of data; Linux (`__icmp_send`) quotes as much as keeps the error within 576 bytes, as RFC 1812 asks of
 * routers, which for an ordinary ping is the whole packet.
 */
export function icmpErrorQuote(originalIpv4Packet: Uint8Array): Uint8Array {
  return originalIpv4Packet.slice(0, Math.min(originalIpv4Packet.length, ICMP_ERROR_MAX_QUOTE));
}

/** What a router sends back when it had to drop a packet whose TTL ran out. */
export function timeExceeded(originalIpv4Packet: Uint8Array, code = ICMP_TTL_EXCEEDED_IN_TRANSIT): IcmpMessage {
  return { type: ICMP_TIME_EXCEEDED, code, rest: 0, payload: icmpErrorQuote(originalIpv4Packet) };
}

/** What a router or host sends back when it cannot deliver a packet; `code` says why (ICMP_UNREACHABLE_*). */
export function destinationUnreachable(code: number, originalIpv4Packet: Uint8Array): IcmpMessage {
  return { type: ICMP_DESTINATION_UNREACHABLE, code, rest: 0, payload: icmpErrorQuote(originalIpv4Packet) };
}

/**
 * What a router (ip_forward) or a sending host (ip_fragment) sends back when a packet with DF set is
 * bigger than the MTU of the link it must leave by: Linux calls
 * `icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu))`, and __icmp_send stores that
 * 32-bit big-endian `info` as the whole rest of the header (`icmph.un.gateway = info`). On the wire
 * that is RFC 1191's layout: two unused zero bytes, then the next-hop MTU. The quote is the usual
 * one, and a router quotes the packet as it arrived: ip_forward checks the MTU before it decrements the TTL.
 */
export function fragmentationNeeded(nextHopMtu: number, originalIpv4Packet: Uint8Array): IcmpMessage {
  assertFieldRange(nextHopMtu, 0xffff, 'next-hop MTU');
  return { type: ICMP_DESTINATION_UNREACHABLE, code: ICMP_FRAGMENTATION_NEEDED, rest: nextHopMtu, payload: icmpErrorQuote(originalIpv4Packet) };
}

/**
 * The next-hop MTU a "fragmentation needed" message reports, or null for any other message. Only the
 * low 16 bits count, as icmp_unreach reads them (`info = ntohs(icmph->un.frag.mtu)`); 0 is what a
 * router older than RFC 1191 sends, and the receiver then has to guess.
 */
export function nextHopMtu(m: IcmpMessage): number | null {
  if (m.type !== ICMP_DESTINATION_UNREACHABLE || m.code !== ICMP_FRAGMENTATION_NEEDED) return null;
  return m.rest & 0xffff;
}

/** True for the types that report a problem with another packet (and quote it) rather than carry a query. */
export function isIcmpError(type: number): boolean {
  // 3 destination unreachable, 4 source quench, 5 redirect, 11 time exceeded, 12 parameter problem.
  return type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
}

function echoRest(identifier: number, sequence: number): number {
  assertFieldRange(identifier, 0xffff, 'ICMP echo identifier');
  assertFieldRange(sequence, 0xffff, 'ICMP echo sequence number');
  return ((identifier << 16) | sequence) >>> 0;
}
