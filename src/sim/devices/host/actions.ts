// What a reader asks a namespace to do: ping (a raw ICMP socket's sendmsg), a UDP datagram
// (udp_sendmsg), arping, and a raw Ethernet frame (a packet socket).

import type { MtuDiscovery } from '../../scenario/format';
import { countOf } from '../../scenario/limits';
import { ETHERTYPE_LOCAL_EXPERIMENTAL } from '../../wire/ethernet';
import { echoRequest, encodeIcmpMessage } from '../../wire/icmp';
import { encodeIpv4Packet, IP_PROTOCOL_ICMP, IP_PROTOCOL_UDP, IPV4_HEADER_LENGTH } from '../../wire/ipv4';
import { broadcastAddress, IPV4_BROADCAST, type Ipv4Address } from '../../wire/ipv4-address';
import { isBroadcastMac, type MacAddress } from '../../wire/mac-address';
import { encodeUdpDatagram } from '../../wire/udp';
import { fragmentNote } from './fragment';
import { pendingOn, sendArpProbe, startResolution } from './neighbour';
import { ipOutput, pathMtu, sendOn } from './output';
import { routeTo } from './route';
import { DEFAULT_PING_SIZE, DEFAULT_TTL, DEFAULT_UDP_SIZE, describeInterface, hostAddresses, type HostContext, type HostState, isLoopback, nextIdentification, ownInterface, type PendingResolution, PING_TIMEOUT_MS, pingData, UDP_WAIT_MS, udpData } from './state';
import { nextEphemeralPort, udpKey } from './udp';

/** One encoder for every raw frame's payload text. */
const UTF8_ENCODER = new TextEncoder();

/**
 * A raw frame's text as UTF-8, encoded once per text (a fabric's thousands of VMs send the same
 * few): the bytes are only read, copied into each frame by encodeEthernetFrame. Bounded.
 */
const encodedTexts = new Map<string, Uint8Array>();
function encodedText(text: string): Uint8Array {
  let bytes = encodedTexts.get(text);
  if (bytes === undefined) {
    bytes = UTF8_ENCODER.encode(text);
    if (encodedTexts.size >= 64) encodedTexts.clear();
    encodedTexts.set(text, bytes);
  }
  return bytes;
}

/** ping's -s and -M: data bytes, and whether DF is set (IP_MTU_DISCOVER). */
export interface PingOptions {
  size?: number;
  mtuDiscovery?: MtuDiscovery;
}

export function hostPing(ctx: HostContext, host: HostState, actionId: number, destination: Ipv4Address, options: PingOptions = {}): void {
  const me = ctx.name(host.id);
  if (hostAddresses(host).includes(destination) || isLoopback(destination)) {
    ctx.emit({ kind: 'action', reason: 'loopback', text: `${me} pings ${destination}, one of its own addresses: the loopback device answers and nothing goes on the wire.` });
    ctx.finishAction(actionId, true, 'ping-ok', `${destination} is ${me} itself: answered through loopback.`);
    return;
  }
  // A /31 or /32 has no broadcast address (RFC 3021).
  if (destination === IPV4_BROADCAST || host.nics.some((n) => n.ip !== undefined && n.prefixLength! < 31 && broadcastAddress(n.ip, n.prefixLength!) === destination)) {
    ctx.emit({ kind: 'drop', reason: 'unsupported', text: `${me} will not ping a broadcast address (Linux ping needs -b for that).` });
    ctx.finishAction(actionId, false, 'ping-no-route', 'A ping to the broadcast address is not sent.');
    return;
  }
  const route = routeTo(host, destination);
  if ('error' in route) {
    ctx.emit({ kind: 'drop', reason: 'no-route', text: `${me} cannot ping ${destination}: ${route.error}. "Network is unreachable", and nothing is sent.` });
    ctx.finishAction(actionId, false, 'ping-no-route', `Network is unreachable: ${route.error}.`);
    return;
  }
  const size = options.size ?? DEFAULT_PING_SIZE;
  const discovery = options.mtuDiscovery ?? 'want';
  const length = IPV4_HEADER_LENGTH + 8 + size;
  const path = pathMtu(ctx, host, route, destination);
  if (discovery === 'do' && length > path.mtu) {
    // ip_append_data refuses with EMSGSIZE before anything is queued; ping reads the error from its socket.
    ctx.emit({ kind: 'drop', reason: 'ping-message-too-long', text: `${me} cannot ping ${destination} with ${size} data bytes and DF set (ping -M do): the packet would be ${length} bytes, and ${path.why}. Nothing is sent.` });
    ctx.finishAction(actionId, false, 'ping-message-too-long', `ping: local error: message too long, mtu=${path.mtu}`);
    return;
  }
  // Linux ping without -M leaves IP_MTU_DISCOVER at the default, IP_PMTUDISC_WANT: DF is set when the
  // packet fits the path (__ip_make_skb → ip_dont_fragment), and a packet that does not fit is fragmented here.
  const dontFragment = discovery === 'do' || (discovery === 'want' && length <= path.mtu);
  const sequence = host.nextEchoSequence++;
  const icmp = encodeIcmpMessage(echoRequest(host.echoIdentifier, sequence, pingData(ctx.now, size)));
  const packet = encodeIpv4Packet({
    dscp: 0, ecn: 0, identification: nextIdentification(host), dontFragment, moreFragments: false, fragmentOffset: 0,
    ttl: DEFAULT_TTL, protocol: IP_PROTOCOL_ICMP, source: route.nic.ip!, destination, payload: icmp,
  });
  const key = `${host.echoIdentifier}:${sequence}`;
  (host.pings ??= new Map()).set(key, { actionId, destination, sentAt: ctx.now });
  const sized = size === DEFAULT_PING_SIZE ? '' : `, ${countOf(size, 'data byte', 'data bytes')}`;
  ctx.emit({ kind: 'action', reason: 'ping-start', text: `${me} pings ${destination} (ICMP echo request, sequence ${sequence}${sized}): ${route.explanation}.${fragmentNote(packet.length, path.mtu, path.why)}` });
  ctx.setTimer(PING_TIMEOUT_MS, { type: 'ping-timeout', key });
  ipOutput(ctx, host, route, packet, path.mtu, actionId);
}

/** A `udp` action: what a UDP socket's sendto does (udp_sendmsg), from an ephemeral port unless one is given. */
export interface UdpOptions {
  port: number;
  sourcePort?: number;
  size?: number;
}

export function hostSendUdp(ctx: HostContext, host: HostState, actionId: number, destination: Ipv4Address, options: UdpOptions): void {
  const me = ctx.name(host.id);
  const size = options.size ?? DEFAULT_UDP_SIZE;
  if (destination === IPV4_BROADCAST || host.nics.some((n) => n.ip !== undefined && n.prefixLength! < 31 && broadcastAddress(n.ip, n.prefixLength!) === destination)) {
    // udp_sendmsg: a broadcast route without SO_BROADCAST is refused (EACCES).
    ctx.emit({ kind: 'drop', reason: 'unsupported', text: `${me} will not send a UDP datagram to a broadcast address: a socket needs SO_BROADCAST for that ("Permission denied").` });
    ctx.finishAction(actionId, false, 'udp-no-route', 'Permission denied: a datagram to a broadcast address needs SO_BROADCAST.');
    return;
  }
  if (hostAddresses(host).includes(destination) || isLoopback(destination)) {
    // Through lo: the same demultiplexing, no wire.
    const open = host.udpListen?.includes(options.port);
    ctx.emit({ kind: 'action', reason: 'loopback', text: `${me} sends a UDP datagram to ${destination}:${options.port}, one of its own addresses: it goes through the loopback device and nothing goes on the wire.` });
    if (open) ctx.finishAction(actionId, true, 'udp-delivered', `Delivered to ${me}'s own socket on UDP port ${options.port} (${countOf(size, 'byte', 'bytes')}), through loopback.`);
    else ctx.finishAction(actionId, false, 'udp-port-unreachable', `${me} has no socket on UDP port ${options.port}: Connection refused, through loopback.`);
    return;
  }
  const route = routeTo(host, destination);
  if ('error' in route) {
    ctx.emit({ kind: 'drop', reason: 'no-route', text: `${me} cannot send to ${destination}: ${route.error}. "Network is unreachable", and nothing is sent.` });
    ctx.finishAction(actionId, false, 'udp-no-route', `Network is unreachable: ${route.error}.`);
    return;
  }
  const sourcePort = options.sourcePort ?? nextEphemeralPort(host);
  const source = route.nic.ip!;
  const datagram = encodeUdpDatagram({ sourcePort, destinationPort: options.port, payload: udpData(size) }, { source, destination });
  const path = pathMtu(ctx, host, route, destination);
  // A UDP socket's IP_MTU_DISCOVER default is IP_PMTUDISC_WANT, as ping's: DF when the datagram fits.
  const packet = encodeIpv4Packet({
    dscp: 0, ecn: 0, identification: nextIdentification(host), dontFragment: IPV4_HEADER_LENGTH + datagram.length <= path.mtu, moreFragments: false, fragmentOffset: 0,
    ttl: DEFAULT_TTL, protocol: IP_PROTOCOL_UDP, source, destination, payload: datagram,
  });
  const key = udpKey(sourcePort, destination, options.port);
  (host.udpSent ??= new Map()).set(key, { actionId, destination, destinationPort: options.port });
  ctx.emit({ kind: 'action', reason: 'udp-start', text: `${me} sends a UDP datagram of ${countOf(size, 'byte', 'bytes')} from port ${sourcePort} to ${destination}:${options.port}: ${route.explanation}.${fragmentNote(packet.length, path.mtu, path.why)}` });
  ctx.setTimer(UDP_WAIT_MS, { type: 'udp-timeout', key });
  ipOutput(ctx, host, route, packet, path.mtu, actionId);
}

export function hostArping(ctx: HostContext, host: HostState, actionId: number, target: Ipv4Address): void {
  const me = ctx.name(host.id);
  const route = routeTo(host, target);
  if ('error' in route || route.nextHop !== target) {
    const why = 'error' in route ? route.error : `${target} is not on-link (ARP only reaches the local segment)`;
    ctx.emit({ kind: 'drop', reason: 'no-route', text: `${me} cannot ARP for ${target}: ${why}.` });
    ctx.finishAction(actionId, false, 'arp-failed', `No ARP request sent: ${why}.`);
    return;
  }
  ctx.emit({ kind: 'action', reason: 'arp-start', text: `${me} asks who has ${target}, like arping: a broadcast ARP request out of ${describeInterface(route.nic)}.` });
  const pending = pendingOn(host, route.nic.name, target);
  if (pending) {
    pending.arpActions.push(actionId);
    return;
  }
  const started: PendingResolution = { ip: target, port: route.nic.name, probes: 0, packets: [], arpActions: [actionId] };
  startResolution(host, started);
  sendArpProbe(ctx, host, started);
}

export function hostSendRaw(ctx: HostContext, host: HostState, actionId: number, destination: MacAddress, payload: string): void {
  const me = ctx.name(host.id);
  // A packet socket on the namespace's own interface: a bridge's goes through br_dev_xmit.
  const nic = ownInterface(host);
  const to = isBroadcastMac(destination) ? `the broadcast address ${destination}` : destination;
  ctx.emit({ kind: 'action', reason: 'raw-start', text: () => `${me} sends a raw Ethernet frame ("${payload}") to ${to} out of ${nic.name}.` });
  sendOn(ctx, host, nic, destination, ETHERTYPE_LOCAL_EXPERIMENTAL, encodedText(payload));
  ctx.finishAction(actionId, true, 'raw-sent', `Frame sent to ${to}.`);
}
