// IPv4 packets (RFC 791): the header a router reads, checks and rewrites at each hop.

import { copyBytes, newBytes, readUint16At, writeUint16 } from './bytes.ts';
import { internetChecksum } from './checksum.ts';
import { ipv4FromBytes, ipv4ToNumber, type Ipv4Address } from './ipv4-address.ts';
import { assertFieldRange, WireError } from './wire-error.ts';

export const IP_PROTOCOL_ICMP = 1;
export const IP_PROTOCOL_TCP = 6;
export const IP_PROTOCOL_UDP = 17;
/** The header this module writes: 20 bytes, no options (IHL 5). */
export const IPV4_HEADER_LENGTH = 20;
export const IPV4_MAX_TOTAL_LENGTH = 0xffff;

const FLAG_DONT_FRAGMENT = 0x4000;
const FLAG_MORE_FRAGMENTS = 0x2000;
const TTL_OFFSET = 8;
const CHECKSUM_OFFSET = 10;

export interface Ipv4Packet {
  /** Differentiated services code point, 0..63 (the upper 6 bits of the old TOS byte). */
  dscp: number;
  /** Explicit congestion notification, 0..3 (the lower 2 bits of the old TOS byte). */
  ecn: number;
  /** 0..65535; ties the fragments of one datagram together. */
  identification: number;
  dontFragment: boolean;
  moreFragments: boolean;
  /** The raw 13-bit header field, 0..8191, in units of 8 bytes (multiply by 8 for a byte offset). */
  fragmentOffset: number;
  /** Hops left, 0..255: each router subtracts one and drops the packet when it would reach zero. */
  ttl: number;
  /** What the payload is: IP_PROTOCOL_ICMP, IP_PROTOCOL_UDP... */
  protocol: number;
  source: Ipv4Address;
  destination: Ipv4Address;
  payload: Uint8Array;
}

export interface DecodedIpv4Packet extends Ipv4Packet {
  headerChecksum: number;
  /** Whether the header checksum verifies; a router drops the packet when it does not. */
  checksumValid: boolean;
  totalLength: number;
}

/** A 20-byte header followed by the payload, with total length and header checksum filled in. */
export function encodeIpv4Packet(p: Ipv4Packet): Uint8Array {
  assertFieldRange(p.dscp, 63, 'IPv4 DSCP');
  assertFieldRange(p.ecn, 3, 'IPv4 ECN');
  assertFieldRange(p.identification, 0xffff, 'IPv4 identification');
  assertFieldRange(p.fragmentOffset, 0x1fff, 'IPv4 fragment offset (in 8-byte units)');
  assertFieldRange(p.ttl, 255, 'IPv4 TTL');
  assertFieldRange(p.protocol, 255, 'IPv4 protocol');
  const totalLength = IPV4_HEADER_LENGTH + p.payload.length;
  if (totalLength > IPV4_MAX_TOTAL_LENGTH) {
    throw new WireError(
      `IPv4 packet too long: ${totalLength} bytes, the 16-bit total length field allows at most ${IPV4_MAX_TOTAL_LENGTH}`,
    );
  }
  // Written byte by byte into bytes from newBytes: no DataView (which would move a small array's bytes out of the heap).
  const bytes = newBytes(totalLength);
  bytes[0] = 0x45; // version 4, IHL 5 (5 × 4 = 20 bytes)
  bytes[1] = (p.dscp << 2) | p.ecn;
  writeUint16(bytes, 2, totalLength);
  writeUint16(bytes, 4, p.identification);
  writeUint16(
    bytes,
    6,
    (p.dontFragment ? FLAG_DONT_FRAGMENT : 0) | (p.moreFragments ? FLAG_MORE_FRAGMENTS : 0) | p.fragmentOffset,
  );
  bytes[TTL_OFFSET] = p.ttl;
  bytes[9] = p.protocol;
  writeIpv4(bytes, 12, ipv4ToNumber(p.source));
  writeIpv4(bytes, 16, ipv4ToNumber(p.destination));
  // Computed last, over the header with the checksum field still zero, as RFC 791 defines it.
  writeUint16(bytes, CHECKSUM_OFFSET, internetChecksum(bytes, 0, 0, IPV4_HEADER_LENGTH));
  bytes.set(p.payload, IPV4_HEADER_LENGTH);
  return bytes;
}

/**
 * Parses a packet, trusting the total length field so that Ethernet padding is dropped from the payload.
 * Options (IHL > 5) are skipped. A wrong checksum is reported in checksumValid rather than thrown,
 * so a learner can still see what the damaged packet contained.
 */
export function decodeIpv4Packet(bytes: Uint8Array): DecodedIpv4Packet {
  const headerLength = readHeaderLength(bytes);
  const totalLength = readUint16At(bytes, 2);
  if (totalLength < headerLength) {
    throw new WireError(`IPv4 total length ${totalLength} is smaller than the header itself (${headerLength} bytes)`);
  }
  if (totalLength > bytes.length) {
    throw new WireError(
      `IPv4 packet truncated: total length says ${totalLength} bytes but only ${bytes.length} arrived`,
    );
  }
  const flagsAndOffset = readUint16At(bytes, 6);
  return {
    dscp: bytes[1] >>> 2,
    ecn: bytes[1] & 0x3,
    identification: readUint16At(bytes, 4),
    dontFragment: (flagsAndOffset & FLAG_DONT_FRAGMENT) !== 0,
    moreFragments: (flagsAndOffset & FLAG_MORE_FRAGMENTS) !== 0,
    fragmentOffset: flagsAndOffset & 0x1fff,
    ttl: bytes[TTL_OFFSET],
    protocol: bytes[9],
    source: ipv4FromBytes(bytes, 12),
    destination: ipv4FromBytes(bytes, 16),
    // A view, not a copy: a decoded packet is read, and whoever rewrites one (NAT, a TTL decrement) makes new bytes.
    payload: bytes.subarray(headerLength, totalLength),
    headerChecksum: readUint16At(bytes, CHECKSUM_OFFSET),
    // Summing a header that includes a correct checksum gives 0xffff, so the complement is 0.
    checksumValid: internetChecksum(bytes, 0, 0, headerLength) === 0,
    totalLength,
  };
}

/**
 * What a router does to each packet it forwards: a copy with TTL one lower and the checksum patched.
 * The patch is the incremental update of RFC 1624 (eqn. 3: HC' = ~(~HC + ~m + m')), which touches one
 * 16-bit word instead of re-summing the header, and keeps an already-wrong checksum wrong, as a real router would.
 * Throws a WireError if the TTL is already 0: the router should have dropped the packet and sent "time exceeded".
 */
export function decrementTtl(bytes: Uint8Array): Uint8Array {
  readHeaderLength(bytes);
  const ttl = bytes[TTL_OFFSET];
  if (ttl === 0) {
    throw new WireError('cannot decrement TTL 0: a router must drop this packet and send ICMP time exceeded');
  }
  const copy = copyBytes(bytes);
  // TTL is the high byte of the 16-bit word it shares with the protocol number.
  const oldWord = readUint16At(copy, TTL_OFFSET);
  const newWord = oldWord - 0x0100;
  let sum = (~readUint16At(copy, CHECKSUM_OFFSET) & 0xffff) + (~oldWord & 0xffff) + newWord;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  writeUint16(copy, TTL_OFFSET, newWord);
  writeUint16(copy, CHECKSUM_OFFSET, ~sum & 0xffff);
  return copy;
}

/** A copy with the header checksum computed from scratch; the slow but obvious way, useful to cross-check decrementTtl. */
export function recomputeIpv4Checksum(bytes: Uint8Array): Uint8Array {
  const headerLength = readHeaderLength(bytes);
  const copy = bytes.slice();
  copy[CHECKSUM_OFFSET] = 0;
  copy[CHECKSUM_OFFSET + 1] = 0;
  const checksum = internetChecksum(copy.subarray(0, headerLength));
  copy[CHECKSUM_OFFSET] = checksum >>> 8;
  copy[CHECKSUM_OFFSET + 1] = checksum & 0xff;
  return copy;
}

/** An address (as a number) at `offset`, most significant byte first: no 4-byte array per address. */
function writeIpv4(bytes: Uint8Array, offset: number, address: number): void {
  bytes[offset] = address >>> 24;
  bytes[offset + 1] = (address >>> 16) & 0xff;
  bytes[offset + 2] = (address >>> 8) & 0xff;
  bytes[offset + 3] = address & 0xff;
}

/** A short name for well-known IP protocol numbers, or null. */
export function ipProtocolName(protocol: number): string | null {
  switch (protocol) {
    case IP_PROTOCOL_ICMP:
      return 'ICMP';
    case IP_PROTOCOL_TCP:
      return 'TCP';
    case IP_PROTOCOL_UDP:
      return 'UDP';
    default:
      return null;
  }
}

/** Checks version and length and returns the header length in bytes (IHL × 4). */
function readHeaderLength(bytes: Uint8Array): number {
  if (bytes.length < IPV4_HEADER_LENGTH) {
    throw new WireError(`IPv4 packet too short: ${bytes.length} bytes, an IPv4 header needs ${IPV4_HEADER_LENGTH}`);
  }
  const version = bytes[0] >>> 4;
  if (version !== 4) {
    throw new WireError(`not an IPv4 packet: the version field says ${version}, not 4`);
  }
  const ihl = bytes[0] & 0x0f;
  if (ihl < 5) {
    throw new WireError(`IPv4 header length field is ${ihl} (${ihl * 4} bytes), below the minimum of 5 (20 bytes)`);
  }
  if (bytes.length < ihl * 4) {
    throw new WireError(`IPv4 packet too short: ${bytes.length} bytes, its header with options needs ${ihl * 4}`);
  }
  return ihl * 4;
}
