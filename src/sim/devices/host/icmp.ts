// ICMP (net/ipv4/icmp.c): answering echo requests (icmp_echo), sending errors (icmp_send) under the
// per-destination rate limit (icmpv4_xrlim_allow), and reading the errors that come back (icmp_unreach),
// including the path MTU they teach (__ip_rt_update_pmtu).

import { decodeIcmpMessage, destinationUnreachable, echoIdentifier, echoReply, echoSequence, encodeIcmpMessage, fragmentationNeeded, ICMP_DESTINATION_UNREACHABLE, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, ICMP_FRAGMENT_REASSEMBLY_TIME_EXCEEDED, ICMP_FRAGMENTATION_NEEDED, ICMP_TIME_EXCEEDED, ICMP_UNREACHABLE_HOST, ICMP_UNREACHABLE_NETWORK, ICMP_UNREACHABLE_PORT, ICMP_UNREACHABLE_PROTOCOL, type IcmpMessage, isIcmpError, nextHopMtu, timeExceeded } from '../../wire/icmp';
import { decodeIpv4Packet, encodeIpv4Packet, IP_PROTOCOL_ICMP, IP_PROTOCOL_UDP } from '../../wire/ipv4';
import { type Ipv4Address, ipv4FromBytes } from '../../wire/ipv4-address';
import { UDP_HEADER_LENGTH } from '../../wire/udp';
import { fragmentNote } from './fragment';
import { ipOutput, pathMtu } from './output';
import { routeTo } from './route';
import { DEFAULT_TTL, type HostContext, type HostNic, type HostState, ICMP_RATE_BURST, ICMP_RATE_LIMIT_MS, MIN_PATH_MTU, nextIdentification, PATH_MTU_EXPIRES_MS } from './state';
import { udpKey } from './udp';

/** What iputils ping prints for an ICMP error (pr_icmph). */
function icmpErrorWords(message: IcmpMessage): string {
  const { type, code } = message;
  if (type === ICMP_TIME_EXCEEDED) return code === ICMP_FRAGMENT_REASSEMBLY_TIME_EXCEEDED ? 'Frag reassembly time exceeded' : 'Time to live exceeded';
  if (code === ICMP_UNREACHABLE_NETWORK) return 'Destination Net Unreachable';
  if (code === ICMP_UNREACHABLE_HOST) return 'Destination Host Unreachable';
  if (code === ICMP_UNREACHABLE_PROTOCOL) return 'Destination Protocol Unreachable';
  if (code === ICMP_UNREACHABLE_PORT) return 'Destination Port Unreachable';
  if (code === ICMP_FRAGMENTATION_NEEDED) return `Frag needed and DF set (mtu = ${nextHopMtu(message)})`;
  return `Destination Unreachable (code ${code})`;
}

/**
 * icmp_unreach → the sending socket's error queue: the quoted header says which echo request or UDP
 * datagram failed. "Fragmentation needed" also lowers the path MTU to the quoted destination
 * (only ever down, never below 552, for 10 minutes) when the quoted protocol's handler does.
 */
export function icmpErrorReceived(ctx: HostContext, host: HostState, nic: HostNic, from: Ipv4Address, icmp: ReturnType<typeof decodeIcmpMessage>, bytes: Uint8Array): void {
  const me = ctx.name(host.id);
  const { type, code, payload: quote } = icmp;
  const words = icmpErrorWords(icmp);
  const headerLength = quote.length > 0 ? (quote[0]! & 0x0f) * 4 : 0;
  const quoted = quote.length >= 20 ? { protocol: quote[9]!, destination: ipv4FromBytes(quote, 16) } : null;
  const inner = quote.subarray(headerLength);
  const ping = quoted?.protocol === IP_PROTOCOL_ICMP && inner.length >= 8 && inner[0] === ICMP_ECHO_REQUEST
    ? `${(inner[4]! << 8) | inner[5]!}:${(inner[6]! << 8) | inner[7]!}`
    : null;
  const udp = quoted?.protocol === IP_PROTOCOL_UDP && inner.length >= UDP_HEADER_LENGTH
    ? udpKey((inner[0]! << 8) | inner[1]!, quoted.destination, (inner[2]! << 8) | inner[3]!)
    : null;
  const record = ping === null ? undefined : host.pings?.get(ping);
  const datagram = udp === null ? undefined : host.udpSent?.get(udp);
  // Who lowers the path MTU is the quoted protocol's error handler: icmp_err always does
  // (ipv4_update_pmtu), udp_err only while the sending socket is still there (ipv4_sk_update_pmtu).
  const reported = nextHopMtu(icmp);
  const learns = reported !== null && quoted !== null && (quoted.protocol === IP_PROTOCOL_ICMP || datagram !== undefined);
  const learned = learns ? learnPathMtu(ctx, host, quoted.destination, reported) : '';
  if (record && ping !== null) {
    host.pings?.delete(ping);
    ctx.cancelTimers((timer) => timer.type === 'ping-timeout' && timer.key === ping);
    ctx.emit({ kind: 'deliver', reason: 'icmp-error', port: nic.port, frame: bytes, text: `${me} receives an ICMP error from ${from}: "${words}" for its echo request to ${record.destination}. The ping failed, and the router said why.${learned}` });
    const reason = type === ICMP_TIME_EXCEEDED ? 'ping-ttl-exceeded' : code === ICMP_FRAGMENTATION_NEEDED ? 'ping-frag-needed' : 'ping-unreachable';
    ctx.finishAction(record.actionId, false, reason, `From ${from}: ${words}.`);
    return;
  }
  if (datagram && udp !== null) {
    host.udpSent?.delete(udp);
    ctx.cancelTimers((timer) => timer.type === 'udp-timeout' && timer.key === udp);
    const refused = type === ICMP_DESTINATION_UNREACHABLE && code === ICMP_UNREACHABLE_PORT;
    ctx.emit({ kind: 'deliver', reason: 'icmp-error', port: nic.port, frame: bytes, text: `${me} receives an ICMP error from ${from}: "${words}" for its UDP datagram to ${datagram.destination}:${datagram.destinationPort}.${refused ? ' A connected socket would now get "Connection refused".' : ''}${learned}` });
    const reason = refused ? 'udp-port-unreachable' : type === ICMP_TIME_EXCEEDED ? 'udp-ttl-exceeded' : code === ICMP_FRAGMENTATION_NEEDED ? 'udp-frag-needed' : 'udp-unreachable';
    ctx.finishAction(datagram.actionId, false, reason, `From ${from}: ${words}.`);
    return;
  }
  const about = quoted?.protocol === IP_PROTOCOL_UDP ? 'a UDP datagram it is no longer waiting on' : 'a packet it has no ping waiting for';
  ctx.emit({ kind: 'deliver', reason: 'icmp-error', port: nic.port, frame: bytes, text: `${me} receives "${words}" from ${from} about ${about}.${learned}` });
}

/** __ip_rt_update_pmtu: a smaller path MTU to `destination`, kept 10 minutes; returns a sentence for the trace, or ''. */
function learnPathMtu(ctx: HostContext, host: HostState, destination: Ipv4Address, reported: number): string {
  const route = routeTo(host, destination);
  if ('error' in route) return '';
  const current = pathMtu(ctx, host, route, destination).mtu;
  // A report of 0 (a router older than RFC 1191) or one not below the current MTU changes nothing here.
  if (reported === 0 || reported >= current) return '';
  const mtu = Math.max(reported, MIN_PATH_MTU);
  if (mtu >= current) return '';
  (host.pathMtu ??= new Map()).set(destination, { mtu, expires: ctx.now + PATH_MTU_EXPIRES_MS });
  const floor = mtu === reported ? '' : ` (${reported} raised to Linux's floor of ${MIN_PATH_MTU})`;
  return ` ${ctx.name(host.id)} now keeps a path MTU of ${mtu} bytes to ${destination}${floor} for 10 minutes: a bigger packet to it will leave in fragments, or, with DF forced (ping -M do), not at all.`;
}

/**
 * icmp_send: an error back to the sender, quoting the failed packet; never about another ICMP error,
 * nor about a fragment other than the first. `mtu` fills the next-hop MTU of "fragmentation needed";
 * `local` marks an error about a packet addressed to this host, which then answers from the address
 * the packet was sent to (__icmp_send: saddr = iph->daddr when the route is local).
 */
export function sendIcmpError(ctx: HostContext, host: HostState, ipBytes: Uint8Array, packet: ReturnType<typeof decodeIpv4Packet>, type: number, code: number, options: { mtu?: number; local?: boolean } = {}): void {
  if (packet.fragmentOffset !== 0) return;
  if (packet.protocol === IP_PROTOCOL_ICMP && packet.payload.length > 0 && isIcmpError(packet.payload[0]!)) return;
  const back = routeTo(host, packet.source);
  if ('error' in back || back.nic.ip === undefined) return;
  if (!icmpRateAllows(ctx, host, packet.source, type, code)) {
    ctx.emit({ kind: 'drop', reason: 'icmp-rate-limited', text: `${ctx.name(host.id)} holds that ICMP error back: it has sent ${packet.source} ${ICMP_RATE_BURST} errors in a burst already, and Linux lets one more through per second (icmp_ratelimit).` });
    return;
  }
  const message = type === ICMP_TIME_EXCEEDED
    ? timeExceeded(ipBytes, code)
    : code === ICMP_FRAGMENTATION_NEEDED && options.mtu !== undefined ? fragmentationNeeded(options.mtu, ipBytes) : destinationUnreachable(code, ipBytes);
  // __icmp_send: tos = RT_TOS(original tos) | IPTOS_PREC_INTERNETCONTROL (0xc0).
  const tos = (((packet.dscp << 2) | packet.ecn) & 0x1e) | 0xc0;
  const error = encodeIpv4Packet({
    dscp: tos >> 2, ecn: tos & 0x3, identification: nextIdentification(host), dontFragment: false, moreFragments: false, fragmentOffset: 0,
    ttl: DEFAULT_TTL, protocol: IP_PROTOCOL_ICMP, source: options.local ? packet.destination : back.nic.ip, destination: packet.source, payload: encodeIcmpMessage(message),
  });
  // The kernel's ICMP socket never sets DF: an error bigger than the way back is fragmented.
  ipOutput(ctx, host, back, error, pathMtu(ctx, host, back, packet.source).mtu, ctx.actionId);
}

/**
 * icmpv4_xrlim_allow → inet_peer_xrlim_allow: each destination has a bucket that refills at one
 * token a millisecond up to 6 s, and an error costs 1 s of it, so six go out at once and then one a
 * second. Only the types in icmp_ratemask (0x1818: destination unreachable, source quench, time
 * exceeded, parameter problem) count, and never "fragmentation needed", which path MTU discovery needs.
 */
function icmpRateAllows(ctx: HostContext, host: HostState, destination: Ipv4Address, type: number, code: number): boolean {
  if (type === ICMP_DESTINATION_UNREACHABLE && code === ICMP_FRAGMENTATION_NEEDED) return true;
  if (((1 << type) & 0x1818) === 0) return true;
  const buckets = (host.icmpRate ??= new Map());
  // A new inet_peer starts with rate_last 60 s in the past, so its first count is a full bucket.
  const bucket = buckets.get(destination) ?? { tokens: 0, last: ctx.now - 60_000 };
  let tokens = Math.min(bucket.tokens + (ctx.now - bucket.last), ICMP_RATE_BURST * ICMP_RATE_LIMIT_MS);
  const allowed = tokens >= ICMP_RATE_LIMIT_MS;
  if (allowed) tokens -= ICMP_RATE_LIMIT_MS;
  buckets.set(destination, { tokens, last: ctx.now });
  return allowed;
}

/** icmp_rcv: the checksum, then by type — icmp_echo answers a request, an echo reply ends its ping, icmp_unreach reads an error. */
export function icmpRcv(ctx: HostContext, host: HostState, nic: HostNic, packet: ReturnType<typeof decodeIpv4Packet>, bytes: Uint8Array): void {
  const me = ctx.name(host.id);
  const icmp = decodeIcmpMessage(packet.payload);
  if (!icmp.checksumValid) {
    ctx.emit({ kind: 'drop', reason: 'bad-checksum', port: nic.port, frame: bytes, text: `${me} drops the ICMP message: its checksum is wrong.` });
    return;
  }
  if (icmp.type === ICMP_ECHO_REQUEST) {
    const replyLength = packet.totalLength;
    const back = routeTo(host, packet.source);
    const path = 'error' in back ? null : pathMtu(ctx, host, back, packet.source);
    const note = path ? fragmentNote(replyLength, path.mtu, path.why, 'reply') : '';
    ctx.emit({ kind: 'deliver', reason: 'echo-request', port: nic.port, frame: bytes, text: `${me} receives an echo request from ${packet.source} (TTL ${packet.ttl}) and answers with an echo reply.${note}` });
    const reply = encodeIcmpMessage(echoReply(echoIdentifier(icmp), echoSequence(icmp), icmp.payload));
    // icmp_reply sends from the kernel's own ICMP socket, which never sets DF (net/ipv4/icmp.c).
    const answer = encodeIpv4Packet({
      dscp: 0, ecn: 0, identification: nextIdentification(host), dontFragment: false, moreFragments: false, fragmentOffset: 0,
      ttl: DEFAULT_TTL, protocol: IP_PROTOCOL_ICMP, source: packet.destination, destination: packet.source, payload: reply,
    });
    const route = routeTo(host, packet.source);
    if ('error' in route) {
      ctx.emit({ kind: 'drop', reason: 'no-route', text: `${me} cannot send the reply: ${route.error}.` });
      return;
    }
    // The ICMP socket's pmtudisc is IP_PMTUDISC_DONT: a reply too big for the path leaves in fragments.
    ipOutput(ctx, host, route, answer, pathMtu(ctx, host, route, packet.source).mtu, ctx.actionId);
    return;
  }
  if (icmp.type === ICMP_ECHO_REPLY) {
    const key = `${echoIdentifier(icmp)}:${echoSequence(icmp)}`;
    const ping = host.pings?.get(key);
    if (!ping) {
      ctx.emit({ kind: 'drop', reason: 'echo-reply-unknown', port: nic.port, frame: bytes, text: `${me} drops an echo reply it has no ping waiting for.` });
      return;
    }
    host.pings?.delete(key);
    ctx.cancelTimers((timer) => timer.type === 'ping-timeout' && timer.key === key);
    const rtt = ctx.now - ping.sentAt;
    ctx.emit({ kind: 'deliver', reason: 'echo-reply', port: nic.port, frame: bytes, text: `${me} receives the echo reply from ${packet.source}: TTL ${packet.ttl}, round trip ${rtt} ms. The ping worked.` });
    ctx.finishAction(ping.actionId, true, 'ping-ok', `Reply from ${packet.source}: TTL ${packet.ttl}, time ${rtt} ms.`);
    return;
  }
  if (icmp.type === ICMP_DESTINATION_UNREACHABLE || icmp.type === ICMP_TIME_EXCEEDED) {
    icmpErrorReceived(ctx, host, nic, packet.source, icmp, bytes);
    return;
  }
  ctx.emit({ kind: 'deliver', reason: 'unsupported', port: nic.port, frame: bytes, text: `${me} receives ICMP type ${icmp.type} code ${icmp.code} from ${packet.source}.` });
}
