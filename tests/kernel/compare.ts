// What the real-kernel tests compare: captured frames as hex, and an IPv4/ICMP frame field by
// field, leaving out what each sending kernel picks for itself. Shared by the bridge and router tests.

import { decodeEthernetFrame, decodeIcmpMessage, decodeIpv4Packet } from '../../src/sim/wire';

export const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
export const hex = (frame: Uint8Array): string => Buffer.from(frame).toString('hex');

/** Everything in an IPv4/ICMP frame except what the sending kernel picks (IPv4 identification) and what follows from it (the header checksum). */
export function ipv4Comparable(frame: Uint8Array) {
  const ethernet = decodeEthernetFrame(frame);
  const ip = decodeIpv4Packet(ethernet.payload);
  const icmp = decodeIcmpMessage(ip.payload);
  return {
    frameLength: frame.length,
    ethernetHeader: hex(frame.subarray(0, 14)),
    versionAndIhl: frame[14],
    dscp: ip.dscp,
    ecn: ip.ecn,
    totalLength: ip.totalLength,
    dontFragment: ip.dontFragment,
    moreFragments: ip.moreFragments,
    fragmentOffset: ip.fragmentOffset,
    ttl: ip.ttl,
    protocol: ip.protocol,
    source: ip.source,
    destination: ip.destination,
    ipChecksumValid: ip.checksumValid,
    icmpType: icmp.type,
    icmpCode: icmp.code,
    icmpChecksumValid: icmp.checksumValid,
    /** Type, code, checksum, identifier, sequence and data. */
    icmpMessage: hex(ip.payload),
  };
}
