// UDP datagrams (RFC 768): ports, a length and a checksum that also covers the IPv4 addresses around them.

import { newBytes, readUint16At, writeUint16 } from './bytes.ts';
import { onesComplementSum } from './checksum.ts';
import { ipv4ToNumber, type Ipv4Address } from './ipv4-address.ts';
import { IP_PROTOCOL_UDP } from './ipv4.ts';
import { assertFieldRange, WireError } from './wire-error.ts';

/** source port(2) destination port(2) length(2) checksum(2). */
export const UDP_HEADER_LENGTH = 8;
/** The 16-bit length field counts the header too. */
export const UDP_MAX_LENGTH = 0xffff;
/** What a sender writes when its checksum computes to 0, since 0 on the wire means "no checksum" (Linux: CSUM_MANGLED_0). */
export const UDP_CHECKSUM_MANGLED_ZERO = 0xffff;

export interface UdpDatagram {
  sourcePort: number;
  destinationPort: number;
  payload: Uint8Array;
}

/** The IPv4 addresses a UDP checksum covers: the packet's source and destination. */
export interface Ipv4PseudoHeader {
  source: Ipv4Address;
  destination: Ipv4Address;
}

export interface DecodedUdpDatagram extends UdpDatagram {
  /** The length field: header plus data, in bytes. */
  length: number;
  checksum: number;
  /** False when the sender sent none (checksum field 0, allowed over IPv4): then there is nothing to verify. */
  checksumPresent: boolean;
  /** Whether the checksum verifies over pseudo-header, header and data; true when there is none. */
  checksumValid: boolean;
}

export interface UdpEncodeOptions {
  /** false leaves the checksum field 0, as a socket with SO_NO_CHECK does; by default it is computed. */
  checksum?: boolean;
}

/**
 * The ones'-complement sum of the IPv4 pseudo-header (RFC 768): source, destination, a zero byte,
 * the protocol and the UDP length. Linux folds the same words in csum_tcpudp_magic.
 */
export function ipv4PseudoHeaderSum(addresses: Ipv4PseudoHeader, protocol: number, length: number): number {
  // Its six 16-bit words summed as numbers (no 12-byte array per datagram), folded as onesComplementSum folds.
  const source = ipv4ToNumber(addresses.source);
  const destination = ipv4ToNumber(addresses.destination);
  let sum = (source >>> 16) + (source & 0xffff) + (destination >>> 16) + (destination & 0xffff) + (protocol & 0xff) + (length & 0xffff);
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  return sum;
}

/**
 * Header plus payload, length filled in, and the checksum over pseudo-header, header and data as
 * udp_send_skb computes it: a result of 0 goes on the wire as 0xffff (`uh->check = CSUM_MANGLED_0`),
 * because 0 would tell the receiver the datagram carries no checksum at all.
 */
export function encodeUdpDatagram(d: UdpDatagram, addresses: Ipv4PseudoHeader, options: UdpEncodeOptions = {}): Uint8Array {
  assertFieldRange(d.sourcePort, 0xffff, 'UDP source port');
  assertFieldRange(d.destinationPort, 0xffff, 'UDP destination port');
  const length = UDP_HEADER_LENGTH + d.payload.length;
  if (length > UDP_MAX_LENGTH) {
    throw new WireError(`UDP datagram too long: ${length} bytes, the 16-bit length field allows at most ${UDP_MAX_LENGTH}`);
  }
  const bytes = newBytes(length);
  writeUint16(bytes, 0, d.sourcePort);
  writeUint16(bytes, 2, d.destinationPort);
  writeUint16(bytes, 4, length);
  bytes.set(d.payload, UDP_HEADER_LENGTH);
  if (options.checksum !== false) {
    // The checksum field is still zero here, as the computation requires.
    const checksum = ~onesComplementSum(bytes, ipv4PseudoHeaderSum(addresses, IP_PROTOCOL_UDP, length)) & 0xffff;
    writeUint16(bytes, 6, checksum === 0 ? UDP_CHECKSUM_MANGLED_ZERO : checksum);
  }
  return bytes;
}

/**
 * Parses a UDP datagram from an IPv4 payload, with the checks of __udp4_lib_rcv: at least a header,
 * a length field from 8 up to the bytes that arrived (else "short packet", a WireError), and bytes
 * beyond the length field trimmed off (pskb_trim_rcsum). A zero checksum means none was sent
 * (udp4_csum_init accepts the datagram unchecked); a wrong one is reported, not thrown, as IPv4 does.
 */
export function decodeUdpDatagram(bytes: Uint8Array, addresses: Ipv4PseudoHeader): DecodedUdpDatagram {
  if (bytes.length < UDP_HEADER_LENGTH) {
    throw new WireError(`UDP datagram too short: ${bytes.length} bytes, a UDP header needs ${UDP_HEADER_LENGTH}`);
  }
  const length = readUint16At(bytes, 4);
  if (length < UDP_HEADER_LENGTH) {
    throw new WireError(`UDP length field ${length} is smaller than the UDP header itself (${UDP_HEADER_LENGTH} bytes)`);
  }
  if (length > bytes.length) {
    throw new WireError(`UDP datagram truncated: its length field says ${length} bytes but only ${bytes.length} arrived`);
  }
  const checksum = readUint16At(bytes, 6);
  const checksumPresent = checksum !== 0;
  return {
    sourcePort: readUint16At(bytes, 0),
    destinationPort: readUint16At(bytes, 2),
    // A view, not a copy, as decodeIpv4Packet's.
    payload: bytes.subarray(UDP_HEADER_LENGTH, length),
    length,
    checksum,
    checksumPresent,
    // Summing a datagram that includes a correct checksum gives 0xffff (or 0), so the complement is 0.
    checksumValid: !checksumPresent || (~onesComplementSum(bytes, ipv4PseudoHeaderSum(addresses, IP_PROTOCOL_UDP, length), 0, length) & 0xffff) === 0,
  };
}

/** The destination port straight from the bytes, for demultiplexing without decoding (null when no header fits). */
export function udpDestinationPort(bytes: Uint8Array): number | null {
  return bytes.length < UDP_HEADER_LENGTH ? null : (bytes[2]! << 8) | bytes[3]!;
}
