// The neighbour layer (net/core/neighbour.c, net/ipv4/arp.c): the ARP cache keyed by (interface, IP)
// as neigh_lookup keys it, neigh_resolve_output queueing packets behind an INCOMPLETE entry,
// arp_solicit's probes and their retries (neigh_timer_handler), neigh_update, and arp_process.

import type { EmittedEvent } from '../context';
import { nameSome, type ReasonArgs } from '../../trace';
import { ARP_REPLY, ARP_REQUEST, type ArpPacket, encodeArpPacket } from '../../wire/arp';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4 } from '../../wire/ethernet';
import { type Ipv4Address, ipv4FromBytes } from '../../wire/ipv4-address';
import { BROADCAST_MAC, type MacAddress } from '../../wire/mac-address';
import { ICMP_DESTINATION_UNREACHABLE, ICMP_UNREACHABLE_HOST } from '../../wire/icmp';
import { decodeIpv4Packet } from '../../wire/ipv4';
import { sendIcmpError } from './icmp';
import { sendOn } from './output';
import type { Route } from './route';
import { isNoArp, ARP_LOCKTIME_MS, ARP_PROBES, ARP_RETRANSMIT_MS, type ArpEntry, describeInterface, hostAddresses, type HostContext, type HostNic, type HostState, type HostTimer, ignoredArgsOf, interfaceNamed, type PendingPacket, type PendingResolution } from './state';

/** The neighbour entry for `ip` on interface `dev` (neigh_lookup), if resolved. */
export function neighbourOn(host: HostState, dev: string, ip: Ipv4Address): ArpEntry | undefined {
  return host.arp?.get(dev)?.get(ip);
}

export function pendingOn(host: HostState, dev: string, ip: Ipv4Address): PendingResolution | undefined {
  return host.pending?.get(dev)?.get(ip);
}

export function startResolution(host: HostState, resolution: PendingResolution): void {
  const pending = (host.pending ??= new Map());
  let table = pending.get(resolution.port);
  if (!table) pending.set(resolution.port, (table = new Map()));
  table.set(resolution.ip, resolution);
}

export function endResolution(host: HostState, resolution: PendingResolution): void {
  const table = host.pending?.get(resolution.port);
  table?.delete(resolution.ip);
  if (table?.size === 0) host.pending!.delete(resolution.port);
}

/** neigh_resolve_output: send now if the next hop's MAC is known, else queue behind an ARP request. */
export function sendIpv4(ctx: HostContext, host: HostState, route: Route, packet: Uint8Array, actionId: number | undefined, forwarded: boolean | 'encap' = false): void {
  // The neighbour on the route's output interface: an entry for the same IP on another interface does not count.
  // A NOARP device (an ipvlan child in L3 mode): the neighbour is its own address, at once (arp_constructor, NUD_NOARP).
  if (isNoArp(route.nic)) {
    sendOn(ctx, host, route.nic, route.nic.mac, ETHERTYPE_IPV4, packet, forwarded ? { origin: ctx.origin } : undefined);
    return;
  }
  const entry = neighbourOn(host, route.nic.name, route.nextHop);
  if (entry) {
    sendOn(ctx, host, route.nic, entry.mac, ETHERTYPE_IPV4, packet, forwarded ? { origin: ctx.origin } : undefined);
    return;
  }
  const queued: PendingPacket = actionId === undefined ? { packet } : { packet, actionId };
  if (forwarded) {
    if (forwarded === 'encap') queued.encap = true;
    else queued.forwarded = true;
    if (ctx.origin !== undefined) queued.origin = ctx.origin;
  }
  const pending = pendingOn(host, route.nic.name, route.nextHop);
  if (pending) {
    pending.packets.push(queued);
    ctx.emit({ kind: 'arp', reason: 'arp-start', text: `${ctx.name(host.id)} is still waiting for the MAC of ${route.nextHop}; the packet waits in the queue.` });
    return;
  }
  const waiting: PendingResolution = { ip: route.nextHop, port: route.nic.name, probes: 0, packets: [queued], arpActions: [] };
  startResolution(host, waiting);
  const elsewhere = [...(host.arp ?? [])].filter(([dev, table]) => dev !== route.nic.name && table.has(route.nextHop)).map(([dev]) => dev);
  // Said only when it matters: the same IP is known, but on another interface.
  const note = elsewhere.length ? ` on ${describeInterface(route.nic)} (it knows ${route.nextHop} on ${nameSome(elsewhere, ' and ')}, but a neighbour entry belongs to one interface)` : '';
  ctx.emit({ kind: 'arp', reason: 'arp-start', text: `${ctx.name(host.id)} does not know the MAC address of ${route.nextHop}${note}: the packet waits while it broadcasts an ARP request${note ? ` out of ${route.nic.name}` : ''}.` });
  sendArpProbe(ctx, host, waiting);
}

/** The IPv4 source address of an encoded packet (bytes 12–15 of its header). */
function packetSource(packet: Uint8Array): Ipv4Address {
  return ipv4FromBytes(packet, 12);
}

/**
 * arp_solicit with arp_announce=0: the sender IP is the source of the newest queued packet
 * (neigh_probe peeks at the queue's tail) when it is one of this host's addresses, on whatever
 * interface — an echo reply from 10.0.3.1 leaving by eth1 asks "tell 10.0.3.1" — else the
 * interface's own address (inet_select_addr): a forwarded packet, or arping with nothing queued.
 */
export function sendArpProbe(ctx: HostContext, host: HostState, pending: PendingResolution): void {
  const nic = interfaceNamed(host, pending.port);
  pending.probes += 1;
  const newest = pending.packets.at(-1);
  const source = newest === undefined ? undefined : packetSource(newest.packet);
  const senderIp = source !== undefined && hostAddresses(host).includes(source) ? source : nic.ip!;
  const request: ArpPacket = { operation: ARP_REQUEST, senderMac: nic.mac, senderIp, targetMac: '00:00:00:00:00:00', targetIp: pending.ip };
  sendOn(ctx, host, nic, BROADCAST_MAC, ETHERTYPE_ARP, encodeArpPacket(request));
  ctx.setTimer(ARP_RETRANSMIT_MS, { type: 'arp-retry', port: pending.port, ip: pending.ip });
}

/** neigh_update of an INCOMPLETE entry: the answer arrived on the interface that asked; its queue goes out. */
function resolved(ctx: HostContext, host: HostState, dev: string, ip: Ipv4Address, mac: MacAddress): void {
  const pending = pendingOn(host, dev, ip);
  if (!pending) return;
  endResolution(host, pending);
  ctx.cancelTimers((timer) => timer.type === 'arp-retry' && timer.port === dev && timer.ip === ip);
  for (const actionId of pending.arpActions) ctx.finishAction(actionId, true, 'arp-ok', `${ip} is at ${mac}.`);
  const nic = interfaceNamed(host, pending.port);
  for (const queued of pending.packets) sendOn(ctx, host, nic, mac, ETHERTYPE_IPV4, queued.packet, queued.forwarded || queued.encap ? { origin: queued.origin } : undefined);
}

/** neigh_update on the receiving interface `nic`: the entry for (nic, ip), created or refreshed; other interfaces' entries stay as they are. */
function learnNeighbour(ctx: HostContext, host: HostState, nic: HostNic, ip: Ipv4Address, mac: MacAddress, why: string): void {
  const arp = (host.arp ??= new Map());
  let table = arp.get(nic.name);
  if (!table) arp.set(nic.name, (table = new Map()));
  const existing = table.get(ip);
  if (existing && existing.mac === mac) {
    existing.updated = ctx.now;
    return;
  }
  table.set(ip, { ip, mac, port: nic.name, updated: ctx.now });
  const where = host.nics.length > 1 ? ` for ${describeInterface(nic)}` : '';
  ctx.emit({ kind: 'arp', reason: 'arp-cache-update', port: nic.name, text: `${ctx.name(host.id)} writes ${ip} → ${mac} into its ARP cache${where} (${why}).` });
}

/**
 * arp_process for a request whose target is none of this namespace's addresses, from a sender it
 * has no entry for on `nic` (the interface at `index` of host.nics): nothing changes, the request is
 * dropped. The fast path of receive.ts comes straight here for the broadcast every host of a
 * segment overhears, without decoding it; so the event's args are one frozen object per interface
 * (and none when nobody records the trace), and the narrator reads the target off the frame.
 */
export function arpRequestIgnored(ctx: HostContext, host: HostState, nic: HostNic, index: number, bytes: Uint8Array): void {
  // One event object for every such drop (emit keeps no reference): a flood through thousands of
  // hosts made one per host, a seventh of what a fabric's run allocated.
  const event = IGNORED;
  event.port = nic.port;
  event.frame = bytes;
  event.args = ctx.tracing ? ignoredArgsOf(host, index) : undefined;
  ctx.emit(event);
  event.frame = undefined;
  event.args = undefined;
}

const IGNORED: EmittedEvent & { args: ReasonArgs['arp-request-not-for-me'] | undefined } = { kind: 'drop', reason: 'arp-request-not-for-me', port: '', frame: undefined, args: undefined };

/** arp_process: answer requests for our addresses, take replies we asked for. */
export function arpProcess(ctx: HostContext, host: HostState, nic: HostNic, arp: ArpPacket, bytes: Uint8Array): void {
  const me = ctx.name(host.id);
  const mine = hostAddresses(host);
  if (arp.operation === ARP_REQUEST) {
    if (!mine.includes(arp.targetIp)) {
      // Linux refreshes an entry it already has for the sender on this interface, but creates none.
      const known = neighbourOn(host, nic.name, arp.senderIp);
      if (known && (known.mac === arp.senderMac || ctx.now - known.updated >= ARP_LOCKTIME_MS)) learnNeighbour(ctx, host, nic, arp.senderIp, arp.senderMac, 'an ARP request it overheard');
      arpRequestIgnored(ctx, host, nic, host.nics.indexOf(nic), bytes);
      return;
    }
    // neigh_event_ns(&arp_tbl, sha, &sip, dev): the asker's entry belongs to the interface the request came in on.
    learnNeighbour(ctx, host, nic, arp.senderIp, arp.senderMac, 'the asker told it');
    const reply: ArpPacket = { operation: ARP_REPLY, senderMac: nic.mac, senderIp: arp.targetIp, targetMac: arp.senderMac, targetIp: arp.senderIp };
    ctx.emit({ kind: 'deliver', reason: 'arp-request-for-me', port: nic.port, frame: bytes, text: `${me} owns ${arp.targetIp}: it answers ${arp.senderIp} with a unicast ARP reply "${arp.targetIp} is at ${nic.mac}"${nic.vlan === undefined ? '' : `, out of ${describeInterface(nic)}`}.` });
    sendOn(ctx, host, nic, arp.senderMac, ETHERTYPE_ARP, encodeArpPacket(reply));
    resolved(ctx, host, nic.name, arp.senderIp, arp.senderMac);
    return;
  }
  if (arp.operation === ARP_REPLY) {
    // __neigh_lookup(&arp_tbl, &sip, dev, 0): only the entry on the interface the reply came in on counts.
    const pending = pendingOn(host, nic.name, arp.senderIp);
    const existing = neighbourOn(host, nic.name, arp.senderIp);
    if (!pending && !existing) {
      const asking = [...(host.pending ?? [])].filter(([, table]) => table.has(arp.senderIp)).map(([dev]) => dev);
      const why = asking.length
        ? `${me} asked for ${arp.senderIp} on ${nameSome(asking, ' and ')}, not on ${describeInterface(nic)}: for ${describeInterface(nic)} the reply is unsolicited and creates no entry (arp_accept=0).`
        : `${me} never asked for ${arp.senderIp}: an unsolicited ARP reply creates no entry (arp_accept=0).`;
      ctx.emit({ kind: 'drop', reason: 'arp-unsolicited', port: nic.port, frame: bytes, text: why });
      return;
    }
    if (pending && pending.packets.length === 0 && !existing) {
      // Only arping asked. It reads replies from a raw socket; the kernel did not ask, so with
      // arp_accept=0 its cache gains nothing.
      ctx.emit({ kind: 'deliver', reason: 'arping-reply', port: nic.port, frame: bytes, text: `${me}'s arping gets its answer: ${arp.senderIp} is at ${arp.senderMac}. arping reads it from a raw socket, so the ARP cache stays as it was.` });
      resolved(ctx, host, nic.name, arp.senderIp, arp.senderMac);
      return;
    }
    if (existing && existing.mac !== arp.senderMac && ctx.now - existing.updated < ARP_LOCKTIME_MS) {
      ctx.emit({ kind: 'drop', reason: 'arp-locktime', port: nic.port, frame: bytes, text: `${me} ignores a second answer for ${arp.senderIp} (${arp.senderMac}): it learned ${existing.mac} less than 1 s ago, and within that locktime the first answer wins.` });
      if (pending) resolved(ctx, host, nic.name, arp.senderIp, existing.mac);
      return;
    }
    const how = pending ? `receives the answer it asked for: ${arp.senderIp} is at ${arp.senderMac}.` : `receives an ARP reply for ${arp.senderIp}, which it already knows: the entry is refreshed.`;
    ctx.emit({ kind: 'deliver', reason: 'arp-reply', port: nic.port, frame: bytes, text: `${me} ${how}` });
    learnNeighbour(ctx, host, nic, arp.senderIp, arp.senderMac, 'ARP reply');
    resolved(ctx, host, nic.name, arp.senderIp, arp.senderMac);
    return;
  }
  ctx.emit({ kind: 'drop', reason: 'unsupported', port: nic.port, frame: bytes, text: `${me} ignores ARP operation ${arp.operation}.` });
}

/**
 * neigh_timer_handler for an INCOMPLETE entry: another probe while fewer than mcast_solicit were
 * sent, else the entry fails and what waited on it is dropped — a router tells the senders of the
 * packets it was forwarding (ipv4_link_failure → ICMP host unreachable), a host's own ping or
 * datagram learns it from its socket.
 */
export function neighTimer(ctx: HostContext, host: HostState, timer: Extract<HostTimer, { type: 'arp-retry' }>): void {
  const me = ctx.name(host.id);
  const pending = pendingOn(host, timer.port, timer.ip);
  if (!pending) return;
  if (pending.probes < ARP_PROBES) {
    ctx.emit({ kind: 'arp', reason: 'arp-retry', text: `No answer for ${pending.ip} after ${ARP_RETRANSMIT_MS / 1000} s: ${me} asks again (ARP request ${pending.probes + 1} of ${ARP_PROBES}).` });
    sendArpProbe(ctx, host, pending);
    return;
  }
  endResolution(host, pending);
  const waiting = pending.packets.length === 0 ? '' : pending.packets.length === 1 ? ' and drops the packet waiting for it' : ` and drops the ${pending.packets.length} packets waiting for it`;
  ctx.emit({ kind: 'arp', reason: 'arp-failed', text: `Nobody answered ${ARP_PROBES} ARP requests for ${pending.ip}: ${me} gives up${waiting}.` });
  for (const actionId of pending.arpActions) ctx.finishAction(actionId, false, 'arp-failed', `No reply to ${ARP_PROBES} ARP requests for ${pending.ip}.`);
  for (const queued of pending.packets) {
    // A VXLAN device's outer packet has no socket to tell: it is lost.
    if (queued.encap) continue;
    if (queued.forwarded) {
      // A router tells the sender (net/ipv4/route.c ipv4_link_failure → icmp_send host unreachable).
      sendIcmpError(ctx, host, queued.packet, decodeIpv4Packet(queued.packet), ICMP_DESTINATION_UNREACHABLE, ICMP_UNREACHABLE_HOST);
      continue;
    }
    if (queued.actionId === undefined) continue;
    // Only this host's own ping learns of it (ipv4_link_failure → icmp_send to itself, read from the
    // ping socket's error queue). A packet it answers for someone else (an echo reply) carries that
    // someone's action too, and their ping simply gets no reply: it ends by its own timeout.
    let own = false;
    for (const [key, ping] of [...(host.pings ?? [])]) {
      if (ping.actionId === queued.actionId) {
        own = true;
        host.pings?.delete(key);
        ctx.cancelTimers((t) => t.type === 'ping-timeout' && t.key === key);
      }
    }
    if (own) ctx.finishAction(queued.actionId, false, 'ping-unreachable', `Destination Host Unreachable: nobody answered ${ARP_PROBES} ARP requests for ${pending.ip}.`);
    for (const [key, sent] of [...(host.udpSent ?? [])]) {
      if (sent.actionId !== queued.actionId) continue;
      host.udpSent!.delete(key);
      ctx.cancelTimers((t) => t.type === 'udp-timeout' && t.key === key);
      ctx.finishAction(queued.actionId, false, 'udp-host-unreachable', `Destination Host Unreachable: nobody answered ${ARP_PROBES} ARP requests for ${pending.ip}.`);
    }
  }
}
