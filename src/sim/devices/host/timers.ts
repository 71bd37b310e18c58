// The namespace's timers: ping and UDP waits and reassembly timeouts (ip_expire) here; neighbour
// retries go to the neighbour layer (neighbour.ts neighTimer).

import { ICMP_FRAGMENT_REASSEMBLY_TIME_EXCEEDED, ICMP_TIME_EXCEEDED } from '../../wire/icmp';
import { decodeIpv4Packet } from '../../wire/ipv4';
import { sendIcmpError } from './icmp';
import { neighTimer } from './neighbour';
import { type HostContext, type HostState, type HostTimer, PING_TIMEOUT_MS, REASSEMBLY_TIMEOUT_MS, UDP_WAIT_MS } from './state';

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
  neighTimer(ctx, host, timer);
}
