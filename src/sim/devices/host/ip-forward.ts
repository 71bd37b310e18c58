// Forwarding a packet that is not for this namespace (net/ipv4/ip_forward.c ip_forward).

import { ICMP_DESTINATION_UNREACHABLE, ICMP_FRAGMENTATION_NEEDED, ICMP_TIME_EXCEEDED, ICMP_UNREACHABLE_NETWORK } from '../../wire/icmp';
import { decodeIpv4Packet, decrementTtl } from '../../wire/ipv4';
import { fragmentNote } from './fragment';
import { sendIcmpError } from './icmp';
import { neighbourOn } from './neighbour';
import { nfHook } from './netfilter';
import { ipOutput } from './output';
import { routeTo, type Route } from './route';
import { describeInterface, type HostContext, type HostNic, type HostState } from './state';

/**
 * ip_forward: TTL check, route lookup, TTL decrement with the checksum patched, then the neighbour
 * layer puts it in a new frame: source MAC of the egress interface, destination MAC of the next hop.
 */
export function ipForward(ctx: HostContext, host: HostState, ingress: HostNic, ipBytes: Uint8Array, packet: ReturnType<typeof decodeIpv4Packet>, bytes: Uint8Array): void {
  const me = ctx.name(host.id);
  if (packet.ttl <= 1) {
    ctx.emit({ kind: 'drop', reason: 'ttl-exceeded', port: ingress.port, frame: bytes, text: `${me} drops the packet for ${packet.destination}: its TTL is ${packet.ttl}, and forwarding would bring it to 0. It sends "Time to live exceeded" back to ${packet.source}.` });
    sendIcmpError(ctx, host, ipBytes, packet, ICMP_TIME_EXCEEDED, 0);
    return;
  }
  const route = routeTo(host, packet.destination);
  if ('error' in route) {
    ctx.emit({ kind: 'drop', reason: 'no-route', port: ingress.port, frame: bytes, text: `${me} cannot forward the packet for ${packet.destination}: ${route.error}. It sends "Destination Net Unreachable" back to ${packet.source}.` });
    sendIcmpError(ctx, host, ipBytes, packet, ICMP_DESTINATION_UNREACHABLE, ICMP_UNREACHABLE_NETWORK);
    return;
  }
  // ip_exceeds_mtu, before the TTL is touched: with DF set, a packet bigger than the egress MTU is
  // dropped and the sender told the MTU (ip_forward ignores learned path MTUs: ip_forward_use_pmtu=0).
  const mtu = route.nic.mtu;
  if (ipBytes.length > mtu && packet.dontFragment) {
    ctx.emit({
      kind: 'drop', reason: 'frag-needed', port: ingress.port, frame: bytes,
      text: `${me} cannot forward the packet for ${packet.destination} out of ${describeInterface(route.nic)}: it is ${ipBytes.length} bytes, the MTU there is ${mtu}, and DF is set, so it may not be fragmented. It drops it and sends "Fragmentation needed" with the next-hop MTU ${mtu} back to ${packet.source}.`,
    });
    sendIcmpError(ctx, host, ipBytes, packet, ICMP_DESTINATION_UNREACHABLE, ICMP_FRAGMENTATION_NEEDED, { mtu });
    return;
  }
  if (!nfHook(host, 'forward', ctx.now, packet)) return;
  const forwarded = decrementTtl(ipBytes);
  // The neighbour as it is now; the sentence itself is written only if the trace is read (EmittedEvent.text).
  const known = neighbourOn(host, route.nic.name, route.nextHop)?.mac;
  ctx.emit({
    // Its port list and its sentence only for someone who reads them (DeviceContext.tracing): one
    // array and one closure per routed hop otherwise.
    kind: 'forward', reason: 'ip-forward', port: ingress.port, frame: bytes, ports: ctx.tracing ? [route.nic.port] : undefined,
    text: ctx.tracing ? forwardText(me, ingress, packet, route, known, ipBytes.length, mtu) : undefined,
  });
  ipOutput(ctx, host, route, forwarded, mtu, ctx.actionId, true);
}

/**
 * The sentence of a routed packet, made by a function of its own: a closure in ipForward had V8
 * allocate a context for its variables on every packet, traced or not.
 */
function forwardText(me: string, ingress: HostNic, packet: ReturnType<typeof decodeIpv4Packet>, route: Route, known: string | undefined, length: number, mtu: number): () => string {
  return () => {
    const macs = known ? `new source MAC ${route.nic.mac} (its ${route.nic.name}), new destination MAC ${known} (${route.nextHop})` : `new source MAC ${route.nic.mac} (its ${route.nic.name}); the destination MAC will be ${route.nextHop}'s, once ARP finds it`;
    return `${me} routes the packet for ${packet.destination}, in on ${describeInterface(ingress)} and out on ${describeInterface(route.nic)}: ${route.explanation}. TTL ${packet.ttl} → ${packet.ttl - 1}, header checksum updated, ${macs}. The IP addresses stay as they are.${fragmentNote(length, mtu, `the MTU of ${describeInterface(route.nic)} is ${mtu}`)}`;
  };
}
