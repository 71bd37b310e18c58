// ARP packets (RFC 826) for Ethernet and IPv4: how a host asks "who has this IP address?" and gets a MAC back.

import { newBytes, readUint16At, writeUint16 } from './bytes.ts';
import { ETHERTYPE_IPV4 } from './ethernet.ts';
import { ipv4FromBytes, ipv4FromNumber, ipv4ToBytes, readIpv4Number, type Ipv4Address } from './ipv4-address.ts';
import { macFromBytes, writeMac, ZERO_MAC, type MacAddress } from './mac-address.ts';
import { assertFieldRange, WireError } from './wire-error.ts';

export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;
/** htype(2) ptype(2) hlen(1) plen(1) oper(2) sha(6) spa(4) tha(6) tpa(4). */
export const ARP_PACKET_LENGTH = 28;
export const ARP_HARDWARE_ETHERNET = 1;
/** Where the sender's IPv4 address sits in an Ethernet/IPv4 ARP packet (after oper and sha). */
export const ARP_SENDER_IP_OFFSET = 14;
/** Where the target's IPv4 address sits (after tha). */
export const ARP_TARGET_IP_OFFSET = 24;

const MAC_LENGTH = 6;
const IPV4_LENGTH = 4;

export interface ArpPacket {
  /** ARP_REQUEST or ARP_REPLY. */
  operation: number;
  senderMac: MacAddress;
  senderIp: Ipv4Address;
  /** In a request, 00:00:00:00:00:00: the very thing being asked for. */
  targetMac: MacAddress;
  targetIp: Ipv4Address;
}

export function encodeArpPacket(p: ArpPacket): Uint8Array {
  assertFieldRange(p.operation, 0xffff, 'ARP operation');
  const bytes = newBytes(ARP_PACKET_LENGTH);
  writeUint16(bytes, 0, ARP_HARDWARE_ETHERNET);
  writeUint16(bytes, 2, ETHERTYPE_IPV4);
  bytes[4] = MAC_LENGTH;
  bytes[5] = IPV4_LENGTH;
  writeUint16(bytes, 6, p.operation);
  writeMac(bytes, 8, p.senderMac);
  bytes.set(ipv4ToBytes(p.senderIp), ARP_SENDER_IP_OFFSET);
  writeMac(bytes, 18, p.targetMac);
  bytes.set(ipv4ToBytes(p.targetIp), ARP_TARGET_IP_OFFSET);
  return bytes;
}

/** Parses the first 28 bytes; anything after is Ethernet padding and ignored. */
export function decodeArpPacket(bytes: Uint8Array): ArpPacket {
  // The fixed part says which addresses follow, so check it before blaming the length.
  if (bytes.length < 8) {
    throw new WireError(
      `ARP packet too short: ${bytes.length} bytes, an Ethernet/IPv4 ARP packet needs ${ARP_PACKET_LENGTH}`,
    );
  }
  const hardwareType = readUint16At(bytes, 0);
  if (hardwareType !== ARP_HARDWARE_ETHERNET) {
    throw new WireError(`ARP hardware type ${hardwareType} is not supported: only Ethernet (1) is`);
  }
  const protocolType = readUint16At(bytes, 2);
  if (protocolType !== ETHERTYPE_IPV4) {
    throw new WireError(
      `ARP protocol type 0x${protocolType.toString(16).padStart(4, '0')} is not supported: only IPv4 (0x0800) is`,
    );
  }
  if (bytes[4] !== MAC_LENGTH || bytes[5] !== IPV4_LENGTH) {
    throw new WireError(
      `ARP address lengths ${bytes[4]}/${bytes[5]} do not match Ethernet/IPv4, which uses 6 (MAC) and 4 (IPv4)`,
    );
  }
  if (bytes.length < ARP_PACKET_LENGTH) {
    throw new WireError(
      `ARP packet too short: ${bytes.length} bytes, an Ethernet/IPv4 ARP packet needs ${ARP_PACKET_LENGTH}`,
    );
  }
  return {
    operation: readUint16At(bytes, 6),
    senderMac: macFromBytes(bytes, 8),
    senderIp: ipv4FromBytes(bytes, ARP_SENDER_IP_OFFSET),
    targetMac: macFromBytes(bytes, 18),
    targetIp: ipv4FromBytes(bytes, ARP_TARGET_IP_OFFSET),
  };
}

/**
 * The target address of a well-formed Ethernet/IPv4 ARP request whose packet starts at `offset` of
 * `bytes`, read in place (a packet view, as smoltcp's) as an unsigned 32-bit number: -1 for
 * anything else — a reply, another hardware or protocol type, other address lengths, too few
 * bytes — which decodeArpPacket then judges in full. What a host needs, for every broadcast it
 * overhears, to see that it is not asked, without making a string.
 */
export function readArpRequestTargetNumber(bytes: Uint8Array, offset: number): number {
  if (bytes.length < offset + ARP_PACKET_LENGTH) return -1;
  if (bytes[offset] !== 0 || bytes[offset + 1] !== ARP_HARDWARE_ETHERNET) return -1;
  if (bytes[offset + 2] !== ETHERTYPE_IPV4 >> 8 || bytes[offset + 3] !== (ETHERTYPE_IPV4 & 0xff)) return -1;
  if (bytes[offset + 4] !== MAC_LENGTH || bytes[offset + 5] !== IPV4_LENGTH) return -1;
  if (bytes[offset + 6] !== 0 || bytes[offset + 7] !== ARP_REQUEST) return -1;
  return readIpv4Number(bytes, offset + ARP_TARGET_IP_OFFSET);
}

/** readArpRequestTargetNumber's address as text, null where that gives -1. */
export function readArpRequestTarget(bytes: Uint8Array, offset: number): Ipv4Address | null {
  const target = readArpRequestTargetNumber(bytes, offset);
  return target < 0 ? null : ipv4FromNumber(target);
}

/** "Who has targetIp? Tell senderIp": the request a host broadcasts before it can send to a neighbour. */
export function arpRequest(senderMac: MacAddress, senderIp: Ipv4Address, targetIp: Ipv4Address): ArpPacket {
  return { operation: ARP_REQUEST, senderMac, senderIp, targetMac: ZERO_MAC, targetIp };
}

/** The answer the owner of `request.targetIp` sends back, straight to the asker. */
export function arpReplyTo(request: ArpPacket, ownMac: MacAddress): ArpPacket {
  return {
    operation: ARP_REPLY,
    senderMac: ownMac,
    senderIp: request.targetIp,
    targetMac: request.senderMac,
    targetIp: request.senderIp,
  };
}
