// UDP (net/ipv4/udp.c): __udp4_lib_rcv's demultiplexing by port, and the ephemeral ports a socket
// without a bound port gets.

import { countOf } from '../../scenario/limits';
import { nameSome } from '../../trace';
import { ICMP_DESTINATION_UNREACHABLE, ICMP_UNREACHABLE_PORT } from '../../wire/icmp';
import { decodeIpv4Packet } from '../../wire/ipv4';
import type { Ipv4Address } from '../../wire/ipv4-address';
import { decodeUdpDatagram } from '../../wire/udp';
import { sendIcmpError } from './icmp';
import { receiveOn } from './receive';
import { vxlanRcv, type VxlanState } from './vxlan';
import { EPHEMERAL_PORT_FIRST, EPHEMERAL_PORT_LAST, type HostContext, type HostNic, type HostState, malformed } from './state';

export function udpKey(sourcePort: number, destination: Ipv4Address, port: number): string {
  return `${sourcePort}>${destination}:${port}`;
}

export function nextEphemeralPort(host: HostState): number {
  const port = host.nextEphemeralPort;
  host.nextEphemeralPort = port >= EPHEMERAL_PORT_LAST ? EPHEMERAL_PORT_FIRST : port + 1;
  return port;
}

/**
 * __udp4_lib_rcv: length and checksum checked, then the socket bound to the destination port takes
 * the datagram; with none, a unicast datagram is answered with ICMP port unreachable.
 */
export function udpReceive(ctx: HostContext, host: HostState, nic: HostNic, ipBytes: Uint8Array, packet: ReturnType<typeof decodeIpv4Packet>, bytes: Uint8Array): void {
  const me = ctx.name(host.id);
  let udp;
  try {
    udp = decodeUdpDatagram(packet.payload, { source: packet.source, destination: packet.destination });
  } catch (error) {
    malformed(ctx, host, nic.port, bytes, error);
    return;
  }
  if (!udp.checksumValid) {
    ctx.emit({ kind: 'drop', reason: 'bad-checksum', port: nic.port, frame: bytes, text: `${me} drops the UDP datagram from ${packet.source}: its checksum is wrong.` });
    return;
  }
  const port = udp.destinationPort;
  // A VXLAN device's socket, bound to its port on every address (vxlan_sock_add): vxlan_rcv takes it.
  const vxlans = host.vxlans;
  if (vxlans !== undefined && hasVxlanOn(vxlans, port)) {
    vxlanRcv(ctx, host, nic, packet, udp, bytes, intoVxlan(ctx, host));
    return;
  }
  if (host.udpListen?.includes(port)) {
    ctx.emit({ kind: 'deliver', reason: 'udp-delivered', port: nic.port, frame: bytes, text: `${me}'s socket on UDP port ${port} receives ${countOf(udp.payload.length, 'byte', 'bytes')} from ${packet.source}:${udp.sourcePort}.` });
    if (ctx.actionId !== undefined) ctx.finishAction(ctx.actionId, true, 'udp-delivered', `Delivered to ${me}'s socket on UDP port ${port} (${countOf(udp.payload.length, 'byte', 'bytes')}).`);
    return;
  }
  const listening = host.udpListen?.length ? `its sockets are on ${nameSome(host.udpListen, ', ')}` : 'it has no UDP socket open at all';
  ctx.emit({ kind: 'drop', reason: 'udp-port-unreachable', port: nic.port, frame: bytes, text: `${me} has no socket on UDP port ${port} (${listening}): it drops the datagram from ${packet.source}:${udp.sourcePort} and answers with ICMP "port unreachable".` });
  sendIcmpError(ctx, host, ipBytes, packet, ICMP_DESTINATION_UNREACHABLE, ICMP_UNREACHABLE_PORT, { local: true });
}

// Made by functions of their own, not in udpReceive: a closure there had V8 allocate a context for
// the arguments it captures on every datagram (a VXLAN fabric's servers take tens of thousands).

/** Whether a VXLAN device listens on UDP `port`. */
function hasVxlanOn(vxlans: readonly VxlanState[], port: number): boolean {
  for (let i = 0; i < vxlans.length; i++) if (vxlans[i]!.dstport === port) return true;
  return false;
}

/** Where vxlan_rcv hands the inner frame: the VXLAN device's receive (gro_cells_receive). */
function intoVxlan(ctx: HostContext, host: HostState): (vxlan: VxlanState, inner: Uint8Array) => void {
  return (vxlan, inner) => receiveOn(ctx, host, vxlan.name, inner);
}
