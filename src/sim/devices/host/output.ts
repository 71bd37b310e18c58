// The output path below routing (ip_finish_output, dst_mtu, dev_queue_xmit): which MTU a packet
// must fit, fragmenting it when it does not, and putting a frame on an interface.

import { encodeEthernetFrame } from '../../wire/ethernet';
import type { Ipv4Address } from '../../wire/ipv4-address';
import type { MacAddress } from '../../wire/mac-address';
import { fragmentPacket } from './fragment';
import { nfHook } from './netfilter';
import { sendIpv4 } from './neighbour';
import type { Route } from './route';
import { brDevXmit } from '../bridge/device';
import { bridgeOfInterface, describeInterface, type HostContext, type HostNic, type HostState } from './state';
import { tunnelPorts, vxlanNamed, vxlanXmit } from './vxlan';

/**
 * dev_queue_xmit on an interface: a NIC puts the frame on its cable or veth, a sub-interface inserts
 * its 802.1Q tag first (vlan_dev_hard_start_xmit), a bridge's own interface hands it to the bridge
 * (br_dev_xmit), which sends it out of its ports. `routed`: a packet this namespace forwards.
 */
export function sendOn(ctx: HostContext, host: HostState, nic: HostNic, destination: MacAddress, etherType: number, payload: Uint8Array, routed?: { origin: number | undefined }): void {
  const frame = nic.vlan === undefined
    ? encodeEthernetFrame({ destination, source: nic.mac, etherType, payload })
    : encodeEthernetFrame({ destination, source: nic.mac, vlan: { pcp: 0, dei: false, vid: nic.vlan }, etherType, payload });
  // A forwarded packet's new frame keeps the origin of the frame its first host sent (ip_forward).
  // A VXLAN device's own interface wraps the frame for a remote VTEP (vxlan_xmit).
  if (nic.vxlan === true) vxlanXmit(ctx, host, vxlanNamed(host, nic.port)!, frame);
  // The bridge sends into a VXLAN port through vxlan_xmit too (tunnelPorts).
  else if (nic.bridge === true) brDevXmit(tunnelPorts(ctx, host), bridgeOfInterface(host, nic), frame, routed ? 'routed' : 'send', routed?.origin);
  else if (routed) ctx.sendRouted(nic.port, frame, routed.origin);
  else ctx.send(nic.port, frame);
}

/**
 * The MTU a locally generated packet to `destination` must fit (dst_mtu): the output interface's,
 * or a smaller path MTU learned from "fragmentation needed" and not yet expired. `why` says which.
 */
export function pathMtu(ctx: HostContext, host: HostState, route: Route, destination: Ipv4Address): { mtu: number; why: string } {
  const own = { mtu: route.nic.mtu, why: `the MTU of ${describeInterface(route.nic)} is ${route.nic.mtu}` };
  const learned = host.pathMtu?.get(destination);
  if (!learned) return own;
  if (learned.expires <= ctx.now) {
    host.pathMtu!.delete(destination);
    return own;
  }
  return learned.mtu < own.mtu ? { mtu: learned.mtu, why: `the path MTU to ${destination} is ${learned.mtu}, as a router reported ("fragmentation needed")` } : own;
}

/**
 * ip_finish_output: the packet whole when it fits `mtu`, else its fragments, one after another,
 * through the neighbour layer. `forwarded`: true for a packet a router forwards, 'encap' for a
 * VXLAN device's outer packet (the namespace's own, but it keeps the inner frame's origin).
 */
export function ipOutput(ctx: HostContext, host: HostState, route: Route, packet: Uint8Array, mtu: number, actionId: number | undefined, forwarded: boolean | 'encap' = false): void {
  // __ip_local_out (a packet of this namespace's own), then ip_output: before fragmentation.
  if (forwarded !== true && !nfHook(host, 'output', ctx.now, packet)) return;
  if (!nfHook(host, 'postrouting', ctx.now, packet)) return;
  if (packet.length <= mtu) {
    sendIpv4(ctx, host, route, packet, actionId, forwarded);
    return;
  }
  for (const piece of fragmentPacket(packet, mtu)) sendIpv4(ctx, host, route, piece, actionId, forwarded);
}
