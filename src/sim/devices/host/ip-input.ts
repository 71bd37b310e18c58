// IPv4 input (net/ipv4/ip_input.c): ip_rcv's checks, the choice between local delivery and
// forwarding, and ip_local_deliver's protocol demultiplexing.

import { decodeIpv4Packet, IP_PROTOCOL_ICMP, IP_PROTOCOL_UDP } from '../../wire/ipv4';
import { ipDefrag } from './fragment';
import { icmpRcv } from './icmp';
import { ipForward } from './ip-forward';
import { natPrerouting } from './nat';
import { nfHook } from './netfilter';
import { hostAddresses, type HostContext, type HostNic, type HostState } from './state';
import { udpReceive } from './udp';

/** ip_rcv → ip_local_deliver → icmp_rcv, or ip_forward on a router. */
export function ipReceive(ctx: HostContext, host: HostState, nic: HostNic, payload: Uint8Array, bytes: Uint8Array): void {
  const me = ctx.name(host.id);
  let packet = decodeIpv4Packet(payload);
  if (!packet.checksumValid) {
    ctx.emit({ kind: 'drop', reason: 'bad-checksum', port: nic.port, frame: bytes, text: `${me} drops the packet: its IPv4 header checksum is wrong.` });
    return;
  }
  if (!nfHook(host, 'prerouting', ctx.now, packet)) return;
  // The nat table's DNAT, after conntrack (NF_IP_PRI_NAT_DST): the destination routing then sees.
  if (host.nat !== undefined) {
    const received = payload.subarray(0, packet.totalLength);
    const translated = natPrerouting(ctx, host, nic, received, packet);
    if (translated !== received) {
      payload = translated;
      packet = decodeIpv4Packet(translated);
    }
  }
  const mine = hostAddresses(host);
  if (!mine.includes(packet.destination)) {
    if (host.forwarding) {
      ipForward(ctx, host, nic, payload.subarray(0, packet.totalLength), packet, bytes);
      return;
    }
    ctx.emit({ kind: 'drop', reason: 'ip-not-for-me', port: nic.port, frame: bytes, text: `${me} drops the packet for ${packet.destination}: that is not its address, and a host does not forward (ip_forward=0).` });
    return;
  }
  if (packet.moreFragments || packet.fragmentOffset !== 0) {
    const whole = ipDefrag(ctx, host, nic, payload.subarray(0, packet.totalLength), packet, bytes);
    if (whole) ipLocalDeliver(ctx, host, nic, whole, decodeIpv4Packet(whole), bytes);
    return;
  }
  ipLocalDeliver(ctx, host, nic, payload.subarray(0, packet.totalLength), packet, bytes);
}

/** ip_local_deliver_finish: the protocol handler for a whole datagram addressed to this host. */
function ipLocalDeliver(ctx: HostContext, host: HostState, nic: HostNic, ipBytes: Uint8Array, packet: ReturnType<typeof decodeIpv4Packet>, bytes: Uint8Array): void {
  const me = ctx.name(host.id);
  if (!nfHook(host, 'input', ctx.now, packet)) return;
  if (packet.protocol === IP_PROTOCOL_UDP) {
    udpReceive(ctx, host, nic, ipBytes, packet, bytes);
    return;
  }
  if (packet.protocol !== IP_PROTOCOL_ICMP) {
    ctx.emit({ kind: 'drop', reason: 'unsupported', port: nic.port, frame: bytes, text: `${me} has no program for IP protocol ${packet.protocol}: dropped.` });
    return;
  }
  icmpRcv(ctx, host, nic, packet, bytes);
}
