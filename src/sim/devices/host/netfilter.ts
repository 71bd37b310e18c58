// Netfilter's five IPv4 hook points (include/uapi/linux/netfilter.h), called where the kernel's
// NF_HOOK calls are: PRE_ROUTING in ip_rcv, LOCAL_IN in ip_local_deliver, FORWARD in ip_forward,
// LOCAL_OUT in __ip_local_out, POST_ROUTING in ip_output. What runs at them today is connection
// tracking (conntrack.ts), in a namespace that has it on; every verdict is accept. Rules and NAT
// will hang on the same calls.

import { decodeIpv4Packet, type DecodedIpv4Packet } from '../../wire/ipv4';
import { conntrackConfirm, conntrackIn } from './conntrack';
import type { HostState } from './state';

export type NfHook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';

/**
 * NF_HOOK(NFPROTO_IPV4, hook, ...): runs what is registered at `hook` for the packet, in priority
 * order — conntrack first at prerouting/output (NF_IP_PRI_CONNTRACK), its confirmation last at
 * input/postrouting (NF_IP_PRI_CONNTRACK_CONFIRM). Returns whether the packet goes on (NF_ACCEPT).
 * `packet` is the decoded packet, or its bytes, decoded only when something is registered: a
 * namespace without conntrack pays one property read and no allocation.
 */
export function nfHook(host: HostState, hook: NfHook, now: number, packet: DecodedIpv4Packet | Uint8Array): boolean {
  if (host.conntrack === undefined) return true;
  switch (hook) {
    case 'prerouting':
    case 'output':
      conntrackIn(host, packet instanceof Uint8Array ? decodeIpv4Packet(packet) : packet, now);
      return true;
    case 'input':
    case 'postrouting':
      conntrackConfirm(host);
      return true;
    case 'forward':
      return true;
  }
}
