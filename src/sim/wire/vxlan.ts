// VXLAN (RFC 7348): an 8-byte header in front of a whole Ethernet frame (without its FCS), carried
// in UDP. Byte 0 holds the flags, of which only I (0x08, "the VNI is valid") is defined; bytes 1–3
// and 7 are reserved and sent as zero; bytes 4–6 are the 24-bit VXLAN network identifier.
// Also the outer UDP source port Linux picks (udp_flow_src_port): a hash of the inner flow.

import { newBytes } from './bytes.ts';
import { ETHERNET_HEADER_LENGTH } from './ethernet.ts';
import { assertFieldRange, WireError } from './wire-error.ts';

/** flags(1) reserved(3) VNI(3) reserved(1). */
export const VXLAN_HEADER_LENGTH = 8;
/** The I flag: the VNI field is valid (VXLAN_HF_VNI). RFC 7348 requires it set; the other flag bits are reserved. */
export const VXLAN_FLAG_VNI = 0x08;
/** The VNI is 24 bits (VXLAN_N_VID − 1 is the largest). */
export const VXLAN_MAX_VNI = 0xffffff;
/**
 * What encapsulation adds in front of the inner frame's IP packet, for the MTU (VXLAN_HEADROOM): the
 * outer IPv4 header (20), UDP (8), VXLAN (8) and the inner Ethernet header (14), because an MTU
 * counts an IP packet and the inner Ethernet header rides inside the outer one.
 */
export const VXLAN_HEADROOM = 20 + 8 + VXLAN_HEADER_LENGTH + ETHERNET_HEADER_LENGTH;

export interface VxlanPacket {
  vni: number;
  /** The inner Ethernet frame, without FCS. */
  frame: Uint8Array;
}

export interface DecodedVxlanPacket extends VxlanPacket {
  /** Byte 0 as sent. */
  flags: number;
  /** Whether any reserved bit (other flag bits, bytes 1–3, byte 7) is set: Linux drops such a packet (vxlan_rcv). */
  reservedBitsSet: boolean;
}

/** The VXLAN header (flags 0x08, reserved zero) followed by the inner frame. */
export function encodeVxlanPacket(packet: VxlanPacket): Uint8Array {
  assertFieldRange(packet.vni, VXLAN_MAX_VNI, 'VXLAN VNI');
  if (packet.frame.length < ETHERNET_HEADER_LENGTH) {
    throw new WireError(`VXLAN carries an Ethernet frame: ${packet.frame.length} bytes are not even an Ethernet header (${ETHERNET_HEADER_LENGTH})`);
  }
  const bytes = newBytes(VXLAN_HEADER_LENGTH + packet.frame.length);
  bytes[0] = VXLAN_FLAG_VNI;
  bytes[4] = packet.vni >>> 16;
  bytes[5] = (packet.vni >>> 8) & 0xff;
  bytes[6] = packet.vni & 0xff;
  bytes.set(packet.frame, VXLAN_HEADER_LENGTH);
  return bytes;
}

/**
 * Parses a UDP payload as VXLAN. Too short for the header and an inner Ethernet header is a
 * WireError; flags without I, or reserved bits set, are reported (Linux drops both, vxlan_rcv).
 */
export function decodeVxlanPacket(bytes: Uint8Array): DecodedVxlanPacket {
  if (bytes.length < VXLAN_HEADER_LENGTH) {
    throw new WireError(`VXLAN packet too short: ${bytes.length} bytes, a VXLAN header needs ${VXLAN_HEADER_LENGTH}`);
  }
  if (bytes.length < VXLAN_HEADER_LENGTH + ETHERNET_HEADER_LENGTH) {
    throw new WireError(`VXLAN packet too short: ${bytes.length} bytes, the header and an inner Ethernet header need ${VXLAN_HEADER_LENGTH + ETHERNET_HEADER_LENGTH}`);
  }
  const flags = bytes[0]!;
  const reservedBitsSet = (flags & ~VXLAN_FLAG_VNI) !== 0 || bytes[1] !== 0 || bytes[2] !== 0 || bytes[3] !== 0 || bytes[7] !== 0;
  return {
    flags,
    reservedBitsSet,
    vni: (bytes[4]! << 16) | (bytes[5]! << 8) | bytes[6]!,
    // A view, not a copy, as decodeIpv4Packet's: the inner frame is never changed (frames are read-only once made).
    frame: bytes.subarray(VXLAN_HEADER_LENGTH),
  };
}

/** Whether the I flag is set (Linux: "invalid vxlan flags" otherwise). */
export function vxlanVniValid(packet: DecodedVxlanPacket): boolean {
  return (packet.flags & VXLAN_FLAG_VNI) !== 0;
}

/**
 * The 32-bit hash of the inner flow that the outer source port is made of. Linux takes
 * skb_get_hash: the flow dissector's addresses (IPv4 source and destination, or an ARP packet's
 * sender and target), protocol and ports (TCP, UDP; not of a fragment after the first), put in one
 * order whichever way the flow goes (__flow_hash_consistentify: the smaller address first, with its
 * port), hashed with a secret chosen at boot; a frame with no flow in it falls back to a jhash of
 * its two MAC addresses. Here the same fields and the same symmetry, mixed with murmur3's steps and
 * keyed by `seed` (from the run's seeded random, one per VXLAN device: each VTEP is taken as a
 * machine of its own) instead of the boot secret: a VTEP gives a flow one port in both directions,
 * as Linux does, and which port depends on the secret, as on Linux.
 */
export function innerFlowHash(frame: Uint8Array, seed: number): number {
  let h = seed >>> 0;
  const mix = (word: number): void => {
    let k = Math.imul(word >>> 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) >>> 0;
  };
  const byte = (offset: number): number => frame[offset] ?? 0;
  const word = (offset: number): number => ((byte(offset) << 24) | (byte(offset + 1) << 16) | (byte(offset + 2) << 8) | byte(offset + 3)) >>> 0;
  const half = (offset: number): number => (byte(offset) << 8) | byte(offset + 1);
  /** Two endpoints in the flow dissector's one order: the smaller address first, its port with it. */
  const flow = (a: number, b: number, portA: number, portB: number, protocol: number): void => {
    const swap = b < a || (a === b && portB < portA);
    mix(swap ? b : a);
    mix(swap ? a : b);
    mix(protocol);
    mix(swap ? ((portB << 16) | portA) >>> 0 : ((portA << 16) | portB) >>> 0);
  };
  // The flow dissector looks through one 802.1Q tag.
  let type = half(12);
  let l3 = ETHERNET_HEADER_LENGTH;
  if (type === 0x8100) {
    type = half(16);
    l3 += 4;
  }
  const ihl = (byte(l3) & 0x0f) * 4;
  if (type === 0x0800 && byte(l3) >> 4 === 4 && ihl >= 20 && frame.length >= l3 + ihl) {
    const protocol = byte(l3 + 9);
    const laterFragment = ((half(l3 + 6) & 0x1fff) !== 0);
    const ported = (protocol === 17 || protocol === 6) && !laterFragment && frame.length >= l3 + ihl + 4;
    flow(word(l3 + 12), word(l3 + 16), ported ? half(l3 + ihl) : 0, ported ? half(l3 + ihl + 2) : 0, protocol);
  } else if (type === 0x0806 && frame.length >= l3 + 28) {
    // ARP over Ethernet/IPv4: its sender and target addresses, as the dissector reads them.
    flow(word(l3 + 14), word(l3 + 24), 0, 0, 0x0806);
  } else {
    // No flow: the MAC addresses and the EtherType (jhash(skb->data, 2 * ETH_ALEN, skb->protocol)).
    mix(word(0));
    mix(word(4));
    mix(word(8));
    mix(type);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * udp_flow_src_port: the hash folded (hash ^= hash << 16) and scaled into [min, max) as
 * (((u64) hash * (max − min)) >> 32) + min.
 */
export function udpFlowSourcePort(hash: number, min: number, max: number): number {
  const folded = (hash ^ (hash << 16)) >>> 0;
  // Below 2^48, so exact in a double.
  return Math.floor((folded * (max - min)) / 0x1_0000_0000) + min;
}
