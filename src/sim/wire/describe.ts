// describeFrame: turns frame bytes into what the UI and CLI show a learner, a summary line and a field-by-field byte map.

import { ARP_REPLY, ARP_REQUEST, decodeArpPacket } from './arp.ts';
import { internetChecksum } from './checksum.ts';
import {
  decodeEthernetFrame,
  ETHERNET_HEADER_LENGTH,
  etherTypeName,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  VLAN_TAG_LENGTH,
  type EthernetFrame,
  type VlanTag,
} from './ethernet.ts';
import {
  decodeIcmpMessage,
  echoIdentifier,
  echoSequence,
  ICMP_DESTINATION_UNREACHABLE,
  ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST,
  ICMP_FRAGMENTATION_NEEDED,
  ICMP_TIME_EXCEEDED,
  isIcmpError,
  nextHopMtu,
  type DecodedIcmpMessage,
} from './icmp.ts';
import { ipv4FromBytes } from './ipv4-address.ts';
import { decodeIpv4Packet, ipProtocolName, IP_PROTOCOL_ICMP, IP_PROTOCOL_UDP, type DecodedIpv4Packet } from './ipv4.ts';
import { isBroadcastMac, isMulticastMac, macFromBytes, type MacAddress } from './mac-address.ts';
import { decodeUdpDatagram, ipv4PseudoHeaderSum, UDP_CHECKSUM_MANGLED_ZERO, type DecodedUdpDatagram } from './udp.ts';
import { decodeVxlanPacket, VXLAN_HEADER_LENGTH, vxlanVniValid } from './vxlan.ts';

export type FrameClass = 'broadcast' | 'multicast' | 'unicast';

/** What the frame carries, as far as the simulator understands it; 'raw' is anything it does not interpret. */
export type FrameProtocol =
  'arp-request' | 'arp-reply' | 'icmp-echo-request' | 'icmp-echo-reply' | 'icmp-error' | 'udp' | 'ipv4' | 'raw';

/** One header field, located in the frame so a byte view can highlight it. */
export interface FrameField {
  name: string;
  value: string;
  /** Byte offset from the start of the frame. */
  offset: number;
  /** In bytes; bit fields (VLAN PCP, IPv4 flags...) point at the whole bytes they live in. */
  length: number;
}

export interface FrameLayer {
  /** "Ethernet", "ARP", "IPv4", "ICMP", "UDP", "Data", or "malformed" when a layer could not be decoded. */
  name: string;
  fields: FrameField[];
}

export interface FrameDescription {
  destination: MacAddress;
  source: MacAddress;
  vlan?: VlanTag;
  length: number;
  frameClass: FrameClass;
  protocol: FrameProtocol;
  /** ARP reply or ICMP echo reply (the UI colours replies). */
  isReply: boolean;
  /** One short line a learner reads, e.g. "ARP who-has 10.0.0.2? tell 10.0.0.1". */
  summary: string;
  layers: FrameLayer[];
}

/** The part of a description below Ethernet, and how many payload bytes it accounts for (the rest is padding). */
interface InnerDescription {
  protocol: FrameProtocol;
  isReply: boolean;
  summary: string;
  layers: FrameLayer[];
  used: number;
}

/** Never throws: an undecodable layer becomes a layer named "malformed" carrying the WireError message. */
export function describeFrame(bytes: Uint8Array): FrameDescription {
  try {
    return describeEthernet(bytes);
  } catch (error) {
    return describeUnreadableFrame(bytes, error);
  }
}

/** 16 bytes per line with an offset column, like tcpdump -XX without the ASCII: "0000  ff ff ff ff ff ff 02 00  00 00 …". */
export function hexDump(bytes: Uint8Array): string {
  const offsetWidth = Math.max(4, (bytes.length - 1).toString(16).length);
  const lines: string[] = [];
  for (let start = 0; start < bytes.length; start += 16) {
    const row = Array.from(bytes.subarray(start, start + 16), (b) => b.toString(16).padStart(2, '0'));
    const left = row.slice(0, 8).join(' ');
    const right = row.slice(8).join(' ');
    lines.push(`${start.toString(16).padStart(offsetWidth, '0')}  ${right === '' ? left : `${left}  ${right}`}`);
  }
  return lines.join('\n');
}

function describeEthernet(bytes: Uint8Array): FrameDescription {
  const frame = decodeEthernetFrame(bytes);
  const headerLength = ETHERNET_HEADER_LENGTH + (frame.vlan === undefined ? 0 : VLAN_TAG_LENGTH);
  const ethernet: FrameLayer = {
    name: 'Ethernet',
    fields: [field('Destination MAC', frame.destination, 0, 6), field('Source MAC', frame.source, 6, 6)],
  };
  if (frame.vlan !== undefined) {
    ethernet.fields.push(
      field('TPID', '0x8100 (802.1Q VLAN tag)', 12, 2),
      field('Priority (PCP)', String(frame.vlan.pcp), 14, 2),
      field('Drop eligible (DEI)', frame.vlan.dei ? '1' : '0', 14, 2),
      field('VLAN ID', formatVid(frame.vlan.vid), 14, 2),
    );
  }
  ethernet.fields.push(field('EtherType', formatEtherType(frame.etherType), headerLength - 2, 2));

  const inner = describePayload(frame, headerLength);
  const padding = frame.payload.length - inner.used;
  if (padding > 0) {
    ethernet.fields.push(field('Padding', bytesText(padding), headerLength + inner.used, padding));
  }
  const description: FrameDescription = {
    destination: frame.destination,
    source: frame.source,
    length: bytes.length,
    frameClass: classify(frame.destination),
    protocol: inner.protocol,
    isReply: inner.isReply,
    // The tag is what readers of the VLAN chapters look for on a trunk: say it first.
    summary: frame.vlan === undefined ? inner.summary : `[802.1Q VLAN ${formatVid(frame.vlan.vid)}] ${inner.summary}`,
    layers: [ethernet, ...inner.layers],
  };
  if (frame.vlan !== undefined) description.vlan = frame.vlan;
  return description;
}

function describePayload(frame: EthernetFrame, offset: number): InnerDescription {
  const what = frame.etherType === ETHERTYPE_ARP ? 'ARP packet' : 'IPv4 packet';
  try {
    if (frame.etherType === ETHERTYPE_ARP) return describeArp(frame.payload, offset);
    if (frame.etherType === ETHERTYPE_IPV4) return describeIpv4(frame.payload, offset);
  } catch (error) {
    return {
      protocol: 'raw',
      isReply: false,
      summary: `malformed ${what} from ${frame.source}: ${errorMessage(error)}`,
      layers: [malformedLayer(error, offset, frame.payload.length)],
      used: frame.payload.length,
    };
  }
  return describeRaw(frame, offset);
}

function describeArp(payload: Uint8Array, offset: number): InnerDescription {
  const arp = decodeArpPacket(payload);
  const layer: FrameLayer = {
    name: 'ARP',
    fields: [
      field('Hardware type', '1 (Ethernet)', offset, 2),
      field('Protocol type', '0x0800 (IPv4)', offset + 2, 2),
      field('Hardware address length', '6', offset + 4, 1),
      field('Protocol address length', '4', offset + 5, 1),
      field('Operation', formatArpOperation(arp.operation), offset + 6, 2),
      field('Sender MAC', arp.senderMac, offset + 8, 6),
      field('Sender IP', arp.senderIp, offset + 14, 4),
      field('Target MAC', arp.targetMac, offset + 18, 6),
      field('Target IP', arp.targetIp, offset + 24, 4),
    ],
  };
  const base = { layers: [layer], used: 28 };
  if (arp.operation === ARP_REQUEST) {
    // A gratuitous ARP asks about the sender's own address: nobody should answer, everyone updates their cache.
    const gratuitous = arp.senderIp === arp.targetIp ? ' (gratuitous announcement)' : '';
    return {
      ...base,
      protocol: 'arp-request',
      isReply: false,
      summary: `ARP who-has ${arp.targetIp}? tell ${arp.senderIp}${gratuitous}`,
    };
  }
  if (arp.operation === ARP_REPLY) {
    return { ...base, protocol: 'arp-reply', isReply: true, summary: `ARP ${arp.senderIp} is-at ${arp.senderMac}` };
  }
  return { ...base, protocol: 'raw', isReply: false, summary: `ARP operation ${arp.operation} from ${arp.senderIp}` };
}

function describeIpv4(payload: Uint8Array, offset: number): InnerDescription {
  const ip = decodeIpv4Packet(payload);
  const headerLength = (payload[0] & 0x0f) * 4;
  const layer: FrameLayer = { name: 'IPv4', fields: ipv4Fields(ip, payload, offset, headerLength) };
  const route = `${ip.source} → ${ip.destination}`;
  const ipWarning = ip.checksumValid ? '' : ' [bad IPv4 checksum]';
  const protocolText = formatIpProtocol(ip.protocol);
  const used = ip.totalLength;

  if (ip.moreFragments || ip.fragmentOffset !== 0) {
    // Only the first fragment carries the upper-layer header, and even then not the whole message: do not decode it.
    const more = ip.moreFragments ? ', more follow' : ', last';
    return {
      protocol: 'ipv4',
      isReply: false,
      summary:
        `IPv4 fragment ${route} (id ${ip.identification}, offset ${ip.fragmentOffset * 8} bytes${more}), ` +
        `protocol ${protocolText}, TTL ${ip.ttl}${ipWarning}`,
      layers: [layer, dataLayer('Fragment data', ip.payload, offset + headerLength)],
      used,
    };
  }
  if (ip.protocol === IP_PROTOCOL_UDP) return describeUdp(ip, layer, offset + headerLength, ipWarning);
  if (ip.protocol !== IP_PROTOCOL_ICMP) {
    return {
      protocol: 'ipv4',
      isReply: false,
      summary: `IPv4 ${route}, protocol ${protocolText}, TTL ${ip.ttl}${ipWarning}`,
      layers: [layer, dataLayer('Data', ip.payload, offset + headerLength)],
      used,
    };
  }

  const icmpOffset = offset + headerLength;
  let icmp: DecodedIcmpMessage;
  try {
    icmp = decodeIcmpMessage(ip.payload);
  } catch (error) {
    return {
      protocol: 'ipv4',
      isReply: false,
      summary: `IPv4 ${route}, malformed ICMP: ${errorMessage(error)}${ipWarning}`,
      layers: [layer, malformedLayer(error, icmpOffset, ip.payload.length)],
      used,
    };
  }
  const warning = ipWarning + (icmp.checksumValid ? '' : ' [bad ICMP checksum]');
  const layers = [layer, icmpLayer(icmp, ip.payload, icmpOffset)];
  if (icmp.type === ICMP_ECHO_REQUEST || icmp.type === ICMP_ECHO_REPLY) {
    const isReply = icmp.type === ICMP_ECHO_REPLY;
    return {
      protocol: isReply ? 'icmp-echo-reply' : 'icmp-echo-request',
      isReply,
      summary:
        `ICMP echo ${isReply ? 'reply' : 'request'} ${route} ` +
        `(id ${echoIdentifier(icmp)}, seq ${echoSequence(icmp)}, TTL ${ip.ttl})${warning}`,
      layers,
      used,
    };
  }
  if (isIcmpError(icmp.type)) {
    // The quoted header says which packet failed; its destination is what the learner was trying to reach.
    const quoted =
      icmp.payload.length >= 20 && icmp.payload[0] >>> 4 === 4
        ? `; original packet to ${ipv4FromBytes(icmp.payload, 16)}`
        : '';
    return {
      protocol: 'icmp-error',
      isReply: false,
      summary: `ICMP ${icmpTypeName(icmp.type)} ${route} (${icmpCodeText(icmp)}${quoted})${warning}`,
      layers,
      used,
    };
  }
  return {
    protocol: 'ipv4',
    isReply: false,
    summary: `ICMP type ${icmp.type} code ${icmp.code} ${route} (TTL ${ip.ttl})${warning}`,
    layers,
    used,
  };
}

function ipv4Fields(ip: DecodedIpv4Packet, packet: Uint8Array, offset: number, headerLength: number): FrameField[] {
  const flags = [ip.dontFragment ? "DF (don't fragment)" : '', ip.moreFragments ? 'MF (more fragments)' : '']
    .filter((flag) => flag !== '')
    .join(', ');
  const fields = [
    field('Version', '4', offset, 1),
    field('Header length', `${headerLength} bytes (IHL ${headerLength / 4})`, offset, 1),
    field('DSCP', String(ip.dscp), offset + 1, 1),
    field('ECN', String(ip.ecn), offset + 1, 1),
    field('Total length', `${ip.totalLength} bytes`, offset + 2, 2),
    field('Identification', `${hex16(ip.identification)} (${ip.identification})`, offset + 4, 2),
    field('Flags', flags === '' ? 'none' : flags, offset + 6, 2),
    field('Fragment offset', `${ip.fragmentOffset} (${ip.fragmentOffset * 8} bytes)`, offset + 6, 2),
    field('TTL', String(ip.ttl), offset + 8, 1),
    field('Protocol', formatIpProtocol(ip.protocol), offset + 9, 1),
    field('Header checksum', formatChecksum(ip.headerChecksum, packet.subarray(0, headerLength), 10), offset + 10, 2),
    field('Source IP', ip.source, offset + 12, 4),
    field('Destination IP', ip.destination, offset + 16, 4),
  ];
  if (headerLength > 20) fields.push(field('Options', `${headerLength - 20} bytes`, offset + 20, headerLength - 20));
  return fields;
}

function icmpLayer(icmp: DecodedIcmpMessage, message: Uint8Array, offset: number): FrameLayer {
  const fields = [
    field('Type', `${icmp.type} (${icmpTypeName(icmp.type)})`, offset, 1),
    field('Code', String(icmp.code), offset + 1, 1),
    field('Checksum', formatChecksum(icmp.checksum, message, 2), offset + 2, 2),
  ];
  if (icmp.type === ICMP_ECHO_REQUEST || icmp.type === ICMP_ECHO_REPLY) {
    fields.push(
      field('Identifier', String(echoIdentifier(icmp)), offset + 4, 2),
      field('Sequence number', String(echoSequence(icmp)), offset + 6, 2),
    );
  } else if (icmp.type === ICMP_DESTINATION_UNREACHABLE && icmp.code === ICMP_FRAGMENTATION_NEEDED) {
    // RFC 1191: the low half of the rest of the header says how big a packet the next link takes.
    fields.push(
      field('Unused', hex16(icmp.rest >>> 16), offset + 4, 2),
      field('Next-hop MTU', `${nextHopMtu(icmp)} bytes`, offset + 6, 2),
    );
  } else {
    fields.push(field('Rest of header', `0x${icmp.rest.toString(16).padStart(8, '0')}`, offset + 4, 4));
  }
  if (icmp.payload.length > 0) {
    const name = isIcmpError(icmp.type) ? 'Quoted original packet' : 'Data';
    fields.push(field(name, bytesText(icmp.payload.length), offset + 8, icmp.payload.length));
  }
  return { name: 'ICMP', fields };
}

function describeUdp(ip: DecodedIpv4Packet, ipLayer: FrameLayer, offset: number, ipWarning: string): InnerDescription {
  const route = `${ip.source} → ${ip.destination}`;
  let udp: DecodedUdpDatagram;
  try {
    udp = decodeUdpDatagram(ip.payload, ip);
  } catch (error) {
    return {
      protocol: 'ipv4',
      isReply: false,
      summary: `IPv4 ${route}, malformed UDP: ${errorMessage(error)}${ipWarning}`,
      layers: [ipLayer, malformedLayer(error, offset, ip.payload.length)],
      used: ip.totalLength,
    };
  }
  const warning = ipWarning + (udp.checksumValid ? '' : ' [bad UDP checksum]');
  const layer: FrameLayer = {
    name: 'UDP',
    fields: [
      field('Source port', formatUdpPort(udp.sourcePort), offset, 2),
      field('Destination port', formatUdpPort(udp.destinationPort), offset + 2, 2),
      field('Length', `${udp.length} bytes`, offset + 4, 2),
      field('Checksum', formatUdpChecksum(ip, udp), offset + 6, 2),
    ],
  };
  const size = `${udp.payload.length} ${udp.payload.length === 1 ? 'byte' : 'bytes'}`;
  // Read as VXLAN by its port, as Wireshark does (IANA's 4789; Linux's 8472 too, the port its VTEPs use by default).
  if (VXLAN_PORTS.has(udp.destinationPort) && udp.payload.length >= VXLAN_HEADER_LENGTH + ETHERNET_HEADER_LENGTH) {
    const vxlan = describeVxlan(udp.payload, offset + 8);
    return {
      protocol: 'udp',
      isReply: vxlan.inner.isReply,
      summary: `VXLAN VNI ${vxlan.vni} (UDP ${ip.source}:${udp.sourcePort} → ${ip.destination}:${udp.destinationPort}, TTL ${ip.ttl}${warning}): ${vxlan.inner.source} > ${vxlan.inner.destination} ${vxlan.inner.summary}`,
      layers: [ipLayer, layer, ...vxlan.layers],
      used: ip.totalLength,
    };
  }
  return {
    protocol: 'udp',
    isReply: false,
    summary: `UDP ${ip.source}:${udp.sourcePort} → ${ip.destination}:${udp.destinationPort} (${size}, TTL ${ip.ttl})${warning}`,
    layers: udp.payload.length > 0 ? [ipLayer, layer, dataLayer('Data', udp.payload, offset + 8)] : [ipLayer, layer],
    used: ip.totalLength,
  };
}

const VXLAN_PORTS: ReadonlySet<number> = new Set([4789, 8472]);

/**
 * A VXLAN header and the whole Ethernet frame after it (RFC 7348), the inner frame's layers named
 * "Inner …" with their offsets in the outer frame, so that the byte view lights them where they are.
 */
function describeVxlan(payload: Uint8Array, offset: number): { vni: number; inner: FrameDescription; layers: FrameLayer[] } {
  const vxlan = decodeVxlanPacket(payload);
  const flags = vxlanVniValid(vxlan) ? `0x${vxlan.flags.toString(16).padStart(2, '0')} (I: the VNI is valid)` : `0x${vxlan.flags.toString(16).padStart(2, '0')} (no I flag: Linux drops it)`;
  const header: FrameLayer = {
    name: 'VXLAN',
    fields: [
      field('Flags', flags, offset, 1),
      field('Reserved', vxlan.reservedBitsSet && (payload[1] !== 0 || payload[2] !== 0 || payload[3] !== 0) ? 'not zero (Linux drops it)' : '0', offset + 1, 3),
      field('VNI', String(vxlan.vni), offset + 4, 3),
      field('Reserved', payload[7] === 0 ? '0' : 'not zero (Linux drops it)', offset + 7, 1),
    ],
  };
  const inner = describeFrame(vxlan.frame);
  const base = offset + VXLAN_HEADER_LENGTH;
  const layers = inner.layers.map((layer) => ({ name: `Inner ${layer.name}`, fields: layer.fields.map((f) => ({ ...f, offset: f.offset + base })) }));
  return { vni: vxlan.vni, inner, layers: [header, ...layers] };
}

/** Ports the chapters meet, named; any other is just its number. */
const UDP_PORT_NAMES: ReadonlyMap<number, string> = new Map([
  [53, 'DNS'],
  [67, 'DHCP server'],
  [68, 'DHCP client'],
  [123, 'NTP'],
  [4789, 'VXLAN'],
  [8472, 'VXLAN, Linux’s default'],
]);

function formatUdpPort(port: number): string {
  const name = UDP_PORT_NAMES.get(port);
  return name === undefined ? String(port) : `${port} (${name})`;
}

/** Like formatChecksum, with the pseudo-header in the sum, and 0 read as "no checksum" (allowed over IPv4). */
function formatUdpChecksum(ip: DecodedIpv4Packet, udp: DecodedUdpDatagram): string {
  if (!udp.checksumPresent) return '0x0000 (none: the sender left it out)';
  const zeroed = ip.payload.slice(0, udp.length);
  zeroed[6] = 0;
  zeroed[7] = 0;
  const computed = internetChecksum(zeroed, ipv4PseudoHeaderSum(ip, IP_PROTOCOL_UDP, udp.length));
  const expected = computed === 0 ? UDP_CHECKSUM_MANGLED_ZERO : computed;
  return udp.checksum === expected ? `${hex16(udp.checksum)} (correct)` : `${hex16(udp.checksum)} (wrong, should be ${hex16(expected)})`;
}

function describeRaw(frame: EthernetFrame, offset: number): InnerDescription {
  return {
    protocol: 'raw',
    isReply: false,
    summary: `frame ${frame.source} → ${frame.destination}, EtherType ${hex16(frame.etherType)}`,
    layers: [dataLayer('Data', frame.payload, offset)],
    used: frame.payload.length,
  };
}

function dataLayer(name: string, data: Uint8Array, offset: number): FrameLayer {
  return { name, fields: [field('Payload', formatData(data), offset, data.length)] };
}

function describeUnreadableFrame(bytes: Uint8Array, error: unknown): FrameDescription {
  // Show whatever addresses are there, so the learner can still see who sent the runt frame.
  const destination = bytes.length >= 6 ? macFromBytes(bytes, 0) : '';
  const source = bytes.length >= 12 ? macFromBytes(bytes, 6) : '';
  return {
    destination,
    source,
    length: bytes.length,
    frameClass: destination === '' ? 'unicast' : classify(destination),
    protocol: 'raw',
    isReply: false,
    summary: `malformed frame: ${errorMessage(error)}`,
    layers: [malformedLayer(error, 0, bytes.length)],
  };
}

function malformedLayer(error: unknown, offset: number, length: number): FrameLayer {
  return { name: 'malformed', fields: [field('error', errorMessage(error), offset, length)] };
}

function classify(destination: MacAddress): FrameClass {
  if (isBroadcastMac(destination)) return 'broadcast';
  return isMulticastMac(destination) ? 'multicast' : 'unicast';
}

function field(name: string, value: string, offset: number, length: number): FrameField {
  return { name, value, offset, length };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function hex16(value: number): string {
  return `0x${value.toString(16).padStart(4, '0')}`;
}

function formatEtherType(etherType: number): string {
  const name = etherTypeName(etherType);
  return name === null ? hex16(etherType) : `${hex16(etherType)} (${name})`;
}

function formatVid(vid: number): string {
  if (vid === 0) return '0 (priority tag only, no VLAN)';
  if (vid === 4095) return '4095 (reserved)';
  return String(vid);
}

function formatArpOperation(operation: number): string {
  if (operation === ARP_REQUEST) return '1 (request)';
  if (operation === ARP_REPLY) return '2 (reply)';
  return String(operation);
}

function formatIpProtocol(protocol: number): string {
  const name = ipProtocolName(protocol);
  return name === null ? String(protocol) : `${protocol} (${name})`;
}

/** The stored checksum, and what it should be when it is wrong, so a learner sees the mismatch. */
function formatChecksum(stored: number, covered: Uint8Array, checksumOffset: number): string {
  const zeroed = covered.slice();
  zeroed[checksumOffset] = 0;
  zeroed[checksumOffset + 1] = 0;
  const expected = internetChecksum(zeroed);
  return stored === expected ? `${hex16(stored)} (correct)` : `${hex16(stored)} (wrong, should be ${hex16(expected)})`;
}

/** "N bytes", plus the text when the data (minus trailing zero padding) is printable ASCII, as the simulator's messages are. */
/** "1 byte", "46 bytes". */
function bytesText(n: number): string {
  return `${n} ${n === 1 ? 'byte' : 'bytes'}`;
}

function formatData(data: Uint8Array): string {
  let end = data.length;
  while (end > 0 && data[end - 1] === 0) end--;
  const text = data.subarray(0, end);
  const printable = end > 0 && text.every((b) => b >= 0x20 && b < 0x7f);
  const count = bytesText(data.length);
  if (!printable) return count;
  const preview = Array.from(text.subarray(0, TEXT_PREVIEW_LENGTH), (b) => String.fromCharCode(b)).join('');
  return `${count}: "${preview}${end > TEXT_PREVIEW_LENGTH ? '…' : ''}"`;
}

const TEXT_PREVIEW_LENGTH = 64;

function icmpTypeName(type: number): string {
  switch (type) {
    case ICMP_ECHO_REPLY:
      return 'echo reply';
    case ICMP_DESTINATION_UNREACHABLE:
      return 'destination unreachable';
    case 4:
      return 'source quench';
    case 5:
      return 'redirect';
    case ICMP_ECHO_REQUEST:
      return 'echo request';
    case ICMP_TIME_EXCEEDED:
      return 'time exceeded';
    case 12:
      return 'parameter problem';
    default:
      return `type ${type}`;
  }
}

function icmpCodeText(icmp: DecodedIcmpMessage): string {
  const { type, code } = icmp;
  if (type === ICMP_DESTINATION_UNREACHABLE && code === ICMP_FRAGMENTATION_NEEDED) {
    const mtu = nextHopMtu(icmp);
    return mtu === 0 ? 'fragmentation needed, no next-hop MTU given' : `fragmentation needed, next-hop MTU ${mtu}`;
  }
  if (type === ICMP_DESTINATION_UNREACHABLE) {
    const reasons = [
      'network unreachable',
      'host unreachable',
      'protocol unreachable',
      'port unreachable',
      'fragmentation needed',
    ];
    if (code < reasons.length) return reasons[code];
    if (code === 13) return 'administratively prohibited';
  }
  if (type === ICMP_TIME_EXCEEDED) {
    if (code === 0) return 'TTL exceeded in transit';
    if (code === 1) return 'fragment reassembly time exceeded';
  }
  return `code ${code}`;
}
