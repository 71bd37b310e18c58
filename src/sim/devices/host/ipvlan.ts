// ipvlan (drivers/net/ipvlan/ipvlan_core.c, Documentation/networking/ipvlan.rst) as the parent's
// namespace runs it: the lower device's rx_handler (ipvlan_handle_frame: ipvlan_handle_mode_l2 and
// ipvlan_handle_mode_l3) and a child's transmit (ipvlan_queue_xmit: ipvlan_xmit_mode_l2,
// ipvlan_xmit_mode_l3 → ipvlan_process_outbound). Every child has its parent's MAC, so the parent
// demultiplexes by IP address (ipvlan_addr_lookup: an IPv4 packet's destination, an ARP packet's
// target). The mode belongs to the lower device (port->mode): all its children share it.
// L3S is L3 whose inbound packets also pass the parent's netfilter (connection tracking) before
// they reach the child; the kernel does it with l3mdev hooks, here the parent's PRE_ROUTING hook is
// called before the child gets the packet.

import { ARP_SENDER_IP_OFFSET, ARP_TARGET_IP_OFFSET } from '../../wire/arp';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, pushVlanTag, readDestinationMac, readSourceMac } from '../../wire/ethernet';
import { decodeIpv4Packet } from '../../wire/ipv4';
import { ipv4FromBytes, type Ipv4Address } from '../../wire/ipv4-address';
import { isMulticastMac } from '../../wire/mac-address';
import { nfHook } from './netfilter';
import { ipOutput } from './output';
import { routeTo } from './route';
import { hostAddresses, type HostContext, type HostNic, type HostState, type StackedChild, type StackedPort } from './state';

/** The lower device's mode (every child of it has the same). */
function portMode(port: StackedPort): string {
  return port.children[0]!.mode;
}

function childName(ctx: HostContext, child: StackedChild): string {
  return `${ctx.name(child.device)}'s ${child.port}`;
}

/**
 * ipvlan_get_L3_hdr + ipvlan_addr_lookup: the address the frame is for (IPv4 destination, ARP
 * target; `source`: IPv4 source, ARP sender), or undefined for another EtherType or a short frame.
 */
function l3Address(frame: Uint8Array, source = false): Ipv4Address | undefined {
  if (frame.length < 14) return undefined;
  const type = (frame[12]! << 8) | frame[13]!;
  if (type === ETHERTYPE_IPV4 && frame.length >= 34) return ipv4FromBytes(frame, 14 + (source ? 12 : 16));
  if (type === ETHERTYPE_ARP && frame.length >= 42) return ipv4FromBytes(frame, 14 + (source ? ARP_SENDER_IP_OFFSET : ARP_TARGET_IP_OFFSET));
  return undefined;
}

function byIp(port: StackedPort, ip: Ipv4Address | undefined): StackedChild | undefined {
  return ip === undefined ? undefined : port.children.find((child) => child.ips.includes(ip));
}

/** ipvlan_handle_frame on the lower device `nic`; `up` passes the frame to the lower device's own stack (RX_HANDLER_PASS). */
export function ipvlanHandleFrame(ctx: HostContext, host: HostState, port: StackedPort, nic: HostNic, frame: Uint8Array, up: () => void): void {
  const me = ctx.name(host.id);
  const mode = portMode(port);
  const destination = readDestinationMac(frame);
  if (mode === 'l2' && isMulticastMac(destination)) {
    // ipvlan_external_frame: a broadcast a child sent (the parent's MAC, a child's address) is not handed back to the children.
    const external = !(readSourceMac(frame) === nic.mac && byIp(port, l3Address(frame, true)) !== undefined);
    if (external && port.children.length > 0) {
      ctx.emit({ kind: 'flood', reason: 'ipvlan-broadcast', port: nic.port, frame, ports: port.children.map((child) => child.upper), text: `${me}'s ${nic.name} receives a broadcast from outside: in L2 mode every ipvlan child gets a copy (${port.children.map((child) => childName(ctx, child)).join(', ')}, ipvlan_multicast_enqueue), and ${me} itself takes it too.` });
      for (const child of port.children) ctx.relay(child.upper, frame);
    }
    up();
    return;
  }
  // ipvlan_handle_mode_l3 (L2 mode does the same for anything that is not a broadcast): by IP.
  const address = l3Address(frame);
  const child = byIp(port, address);
  if (child === undefined) {
    up();
    return;
  }
  if (mode === 'l3s' && frame.length >= 34 && ((frame[12]! << 8) | frame[13]!) === ETHERTYPE_IPV4) {
    // L3S: the parent's netfilter sees the packet on its way in (conntrack, rules).
    if (!nfHook(host, 'prerouting', ctx.now, decodeIpv4Packet(frame.subarray(14)))) return;
  }
  const what = ((frame[12]! << 8) | frame[13]!) === ETHERTYPE_ARP ? `an ARP packet for ${address}` : `a packet for ${address}`;
  ctx.emit({ kind: 'forward', reason: 'ipvlan-rx', port: nic.port, frame, ports: [child.upper], text: `${me}'s ${nic.name} hands ${what} to ${childName(ctx, child)} (ipvlan ${mode.toUpperCase()}): every child has ${nic.mac}, so the IP address says whose it is (ipvlan_addr_lookup).` });
  ctx.relay(child.upper, frame);
}

/** Out of the lower device: tagged first when it is an 802.1Q sub-interface. */
function outOfLower(ctx: HostContext, lower: HostNic, frame: Uint8Array): void {
  ctx.relay(lower.port, lower.vlan === undefined ? frame : pushVlanTag(frame, { pcp: 0, dei: false, vid: lower.vlan }));
}

/**
 * ipvlan_queue_xmit: a child's frame, arrived at its `upper` port here. `receive` hands a frame to
 * the lower device's receive path (dev_forward_skb to the parent: ipvlan_handle_frame again, then
 * the parent's own stack).
 */
export function ipvlanQueueXmit(ctx: HostContext, host: HostState, port: StackedPort, lower: HostNic, child: StackedChild, frame: Uint8Array, receive: (frame: Uint8Array) => void): void {
  const me = ctx.name(host.id);
  const who = childName(ctx, child);
  const mode = portMode(port);
  const destination = readDestinationMac(frame);
  if (mode === 'l2') {
    if (destination === readSourceMac(frame)) {
      // To its own MAC, which is everyone's here: a sibling by IP, else the parent itself.
      const address = l3Address(frame);
      const sibling = byIp(port, address);
      if (sibling !== undefined && sibling !== child) {
        ctx.emit({ kind: 'forward', reason: 'ipvlan-local', port: child.upper, frame, ports: [sibling.upper], text: `${who} sends to ${destination}, the MAC every child shares: ${address} is ${childName(ctx, sibling)}'s, so ${me} delivers it inside the host (ipvlan_xmit_mode_l2).` });
        ctx.relay(sibling.upper, frame);
        return;
      }
      ctx.emit({ kind: 'forward', reason: 'ipvlan-local', port: child.upper, frame, ports: [lower.port], text: `${who} sends to ${destination}, its parent's MAC, and ${address ?? 'the packet'} is no child's: the frame goes to ${me}'s own stack on ${lower.name} (dev_forward_skb).` });
      receive(frame);
      return;
    }
    if (isMulticastMac(destination)) {
      const to = port.children.filter((other) => other !== child);
      ctx.emit({ kind: 'flood', reason: 'ipvlan-broadcast', port: child.upper, frame, ports: [...to.map((other) => other.upper), lower.port], text: `${who} sends a broadcast: in L2 mode its siblings get a copy${to.length ? ` (${to.map((other) => childName(ctx, other)).join(', ')})` : ' (it has none)'} and it goes out of ${lower.name} (ipvlan_process_multicast); ${me} itself gets none.` });
      for (const other of to) ctx.relay(other.upper, frame);
      outOfLower(ctx, lower, frame);
      return;
    }
    ctx.emit({ kind: 'forward', reason: 'ipvlan-xmit', port: child.upper, frame, ports: [lower.port], text: `${me} sends the frame from ${who} out of ${lower.name}, with the MAC every child shares (${lower.mac}) as its source: the switch sees one MAC for all of them (ipvlan_xmit_mode_l2).` });
    outOfLower(ctx, lower, frame);
    return;
  }
  // L3 and L3S (ipvlan_xmit_mode_l3): a sibling by IP directly, else routed in this namespace.
  const type = frame.length >= 14 ? (frame[12]! << 8) | frame[13]! : 0;
  const address = l3Address(frame);
  const sibling = byIp(port, address);
  if (sibling !== undefined && sibling !== child) {
    ctx.emit({ kind: 'forward', reason: 'ipvlan-local', port: child.upper, frame, ports: [sibling.upper], text: `${who} sends a packet for ${address}, ${childName(ctx, sibling)}'s address: ${me} delivers it inside the host (ipvlan_xmit_mode_l3).` });
    ctx.relay(sibling.upper, frame);
    return;
  }
  if (isMulticastMac(destination) || type !== ETHERTYPE_IPV4) {
    ctx.emit({ kind: 'drop', reason: 'ipvlan-drop', port: child.upper, frame, text: `${me} drops ${who}'s ${isMulticastMac(destination) ? 'broadcast' : 'frame'}: in ${mode.toUpperCase()} mode a child sends no broadcast or multicast, and only IP leaves through the parent (ipvlan_process_outbound).` });
    return;
  }
  const ipBytes = frame.subarray(14);
  const packet = decodeIpv4Packet(ipBytes);
  const whole = ipBytes.subarray(0, packet.totalLength);
  if (hostAddresses(host).includes(packet.destination)) {
    // RTN_LOCAL: ip_local_out in the parent's namespace reaches its own stack (through loopback).
    ctx.emit({ kind: 'forward', reason: 'ipvlan-xmit', port: child.upper, frame, text: `${me} takes ${who}'s packet for ${packet.destination} in its own namespace: in ${mode.toUpperCase()} mode a child's packets are routed by the parent, and ${packet.destination} is the parent's own address (ipvlan_process_v4_outbound, a local route).` });
    receive(frame);
    return;
  }
  const route = routeTo(host, packet.destination);
  if ('error' in route || route.nic.port !== lower.port || route.nic.vlan !== lower.vlan) {
    const why = 'error' in route ? route.error : `its route leaves by ${route.nic.name}, and ipvlan routes only out of the parent ${lower.name} (flowi4_oif)`;
    ctx.emit({ kind: 'drop', reason: 'ipvlan-drop', port: child.upper, frame, text: `${me} cannot route ${who}'s packet for ${packet.destination}: ${why} (ipvlan_process_v4_outbound).` });
    return;
  }
  ctx.emit({ kind: 'forward', reason: 'ipvlan-xmit', port: child.upper, frame, ports: [lower.port], text: `${me} routes ${who}'s packet for ${packet.destination} in its own namespace (ipvlan ${mode.toUpperCase()}): ${route.explanation}. The parent's ARP cache and MAC (${lower.mac}) are used; the source address stays ${packet.source}.` });
  // ip_local_out in the parent's namespace: its LOCAL_OUT hook (conntrack) sees the packet, then POST_ROUTING.
  const out = whole.slice();
  if (!nfHook(host, 'output', ctx.now, out)) return;
  ipOutput(ctx, host, route, out, route.nic.mtu, ctx.actionId, true);
}
