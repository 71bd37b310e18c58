// What the real-kernel tests compare: captured frames as hex, and an IPv4/ICMP frame field by
// field, leaving out what each sending kernel picks for itself; and how a lab is taken down. Shared
// by every test in tests/kernel.

import { run as runCommand, type CapturedFrame, type LabResult } from '../../scripts/kernel/netns';
import { decodeEthernetFrame, decodeIcmpMessage, decodeIpv4Packet, describeFrame, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from '../../src/sim/wire';

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

/** dst(6) src(6) type(2) + ARP(28): all of an ARP frame that Linux puts on a veth (the simulator pads to 60). */
export const ARP_FRAME_BYTES = 42;

/** The frames the kernel sent (`out`) or received (`in`) on one interface during action `index`. */
export function kernelFrames(result: LabResult, index: number, endpoint: string, dir: CapturedFrame['dir']): Uint8Array[] {
  return (result.actions[index]!.frames[endpoint] ?? []).filter((f) => f.dir === dir).map((f) => bytes(f.hex));
}

/** What a reader checks first: who sent it to whom, and what it is. */
export function frameSummary(frame: Uint8Array): string {
  const d = describeFrame(frame);
  return `${d.source} > ${d.destination} ${d.summary}`;
}

/** An ARP frame as Linux puts it on a veth: the simulator's minus its padding. */
export const unpadded = (frame: Uint8Array): string => hex(decodeEthernetFrame(frame).etherType === ETHERTYPE_ARP ? frame.subarray(0, ARP_FRAME_BYTES) : frame);
export const isIpv4 = (frame: Uint8Array): boolean => decodeEthernetFrame(frame).etherType === ETHERTYPE_IPV4;
/** A frame as both sides must agree on it: an ARP frame whole, an IPv4/ICMP one all but what the sending kernel picks (IPv4 identification, hence checksum). */
export const comparable = (frame: Uint8Array) => (isIpv4(frame) ? ipv4Comparable(frame) : unpadded(frame));

/** Takes a lab down, and fails (in afterAll) if any of its network namespaces is left behind. */
export function destroyLab(lab: { destroy(): void; netns: Record<string, string> } | null | undefined): void {
  if (!lab) return;
  lab.destroy();
  const names = Object.values(lab.netns);
  const left = runCommand('ip', ['netns', 'list']).split('\n').map((line) => line.split(' ')[0] ?? '').filter((n) => names.includes(n));
  if (left.length > 0) throw new Error(`namespaces left behind: ${left.join(', ')}`);
}
