// The namespace's timers: ping and UDP waits, reassembly timeouts (ip_expire), and neighbour
// retries (neigh_timer_handler).

import { ICMP_DESTINATION_UNREACHABLE, ICMP_FRAGMENT_REASSEMBLY_TIME_EXCEEDED, ICMP_TIME_EXCEEDED, ICMP_UNREACHABLE_HOST } from '../../wire/icmp';
import { decodeIpv4Packet } from '../../wire/ipv4';
import { sendIcmpError } from './icmp';
import { endResolution, pendingOn, sendArpProbe } from './neighbour';
import { ARP_PROBES, ARP_RETRANSMIT_MS, type HostContext, type HostState, type HostTimer, PING_TIMEOUT_MS, REASSEMBLY_TIMEOUT_MS, UDP_WAIT_MS } from './state';

export function hostTimer(ctx: HostContext, host: HostState, timer: HostTimer): void {
  const me = ctx.name(host.id);
  if (timer.type === 'ping-timeout') {
    const ping = host.pings?.get(timer.key);
    if (!ping) return;
    host.pings?.delete(timer.key);
    ctx.finishAction(ping.actionId, false, 'ping-timeout', `No reply from ${ping.destination} within ${PING_TIMEOUT_MS / 1000} s.`);
    return;
  }
  if (timer.type === 'udp-timeout') {
    const sent = host.udpSent?.get(timer.key);
    if (!sent) return;
    host.udpSent!.delete(timer.key);
    if (host.udpSent!.size === 0) delete host.udpSent;
    // Delivery already ended the action (finishAction keeps the first outcome); otherwise nothing came back.
    ctx.finishAction(sent.actionId, false, 'udp-timeout', `No word of the datagram to ${sent.destination}:${sent.destinationPort} within ${UDP_WAIT_MS / 1000} s: UDP has no acknowledgement, and no ICMP error came back.`);
    return;
  }
  if (timer.type === 'reassembly-timeout') {
    const queue = host.fragments?.get(timer.key);
    if (!queue) return;
    host.fragments!.delete(timer.key);
    if (host.fragments!.size === 0) delete host.fragments;
    // ip_expire: only a host that got the first fragment tells the sender (RFC 792), quoting that fragment.
    const tell = queue.first ? ` It sends "Fragment reassembly time exceeded" back to ${queue.source}.` : ' The first fragment never came, so it tells nobody.';
    ctx.emit({ kind: 'drop', reason: 'reassembly-timeout', text: `${me} gives up on datagram ${queue.identification} from ${queue.source}: ${REASSEMBLY_TIMEOUT_MS / 1000} s passed without all of its fragments, and the ${queue.parts.length} it has are dropped.${tell}` });
    if (queue.first) sendIcmpError(ctx, host, queue.first, decodeIpv4Packet(queue.first), ICMP_TIME_EXCEEDED, ICMP_FRAGMENT_REASSEMBLY_TIME_EXCEEDED, { local: true });
    return;
  }
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
