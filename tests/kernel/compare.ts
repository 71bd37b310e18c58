// What the real-kernel tests compare: captured frames as hex, and an IPv4/ICMP frame field by
// field, leaving out what each sending kernel picks for itself; and how a lab is taken down. Shared
// by every test in tests/kernel.

import { run as runCommand, type CapturedFrame, type LabResult } from '../../scripts/kernel/netns';
import type { Scenario } from '../../src/sim/scenario/format';
import { decodeEthernetFrame, decodeIcmpMessage, decodeIpv4Packet, describeFrame, ETHERTYPE_ARP, ETHERTYPE_IPV4, padToMinimum } from '../../src/sim/wire';

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

/** dst(6) src(6) type(2) + ARP(28): all of an ARP frame that a Linux stack sends, and a veth carries (a cable's NIC pads it to 60). */
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

/** An ARP frame as Linux's stack sends it: the simulator's minus the padding a cable adds (see asOnWire for an exact comparison). */
export const unpadded = (frame: Uint8Array): string => hex(decodeEthernetFrame(frame).etherType === ETHERTYPE_ARP ? frame.subarray(0, ARP_FRAME_BYTES) : frame);
export const isIpv4 = (frame: Uint8Array): boolean => decodeEthernetFrame(frame).etherType === ETHERTYPE_IPV4;
/** A frame as both sides must agree on it: an ARP frame whole, an IPv4/ICMP one all but what the sending kernel picks (IPv4 identification, hence checksum). */
export const comparable = (frame: Uint8Array) => (isIpv4(frame) ? ipv4Comparable(frame) : unpadded(frame));

/** As comparable, but every byte of a non-IPv4 frame, padding included: for frames taken through asOnWire. */
export const exactlyComparable = (frame: Uint8Array) => (isIpv4(frame) ? ipv4Comparable(frame) : hex(frame));

/**
 * The kernel's frames at a scenario endpoint ("device:port") as that link carries them. A veth is a
 * veth in the lab too: its frames are the kernel's as captured, padding included or not. A cable is
 * also a veth pair in the lab (there is no physical NIC), so its frames are padded here as the NIC at
 * either end would pad them on the wire (padToMinimum, eth_skb_pad); anything else (a bridge's own
 * interface, br0) is as captured. Exact only where a cable's frames are the kernel's own: a frame
 * that came in by a lab "cable" and is bridged onto a veth is unpadded in the lab, but would carry
 * its padding onto the veth behind a physical NIC (and does in the simulator).
 */
export function asOnWire(scenario: Scenario, endpoint: string): (frame: Uint8Array) => Uint8Array {
  const link = scenario.links.find((l) => l.a === endpoint || l.b === endpoint);
  return link !== undefined && link.type !== 'veth' ? padToMinimum : (frame) => frame;
}

/** Takes a lab down, and fails (in afterAll) if any of its network namespaces is left behind. */
export function destroyLab(lab: { destroy(): void; netns: Record<string, string> } | null | undefined): void {
  if (!lab) return;
  lab.destroy();
  const names = Object.values(lab.netns);
  const left = runCommand('ip', ['netns', 'list']).split('\n').map((line) => line.split(' ')[0] ?? '').filter((n) => names.includes(n));
  if (left.length > 0) throw new Error(`namespaces left behind: ${left.join(', ')}`);
}
