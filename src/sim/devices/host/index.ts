// A host or a router: one network namespace's IPv4 stack — one or more NICs (each optionally with
// 802.1Q sub-interfaces), IPv4 with a longest-prefix route lookup, an ARP cache with bounded
// retries, ICMP and UDP — the IPv4 send, receive and forward paths as Linux takes them. A host never
// forwards (ip_forward=0); a router does. Neighbours (the ARP cache, pending resolutions and their
// retry timers) are keyed by (interface, IP), as neigh_lookup(tbl, key, dev) keys them. Every
// interface has an MTU: a packet too big for it is fragmented, or, with DF set, refused (locally) or
// dropped with ICMP "fragmentation needed" (forwarded); a frame bigger than MTU + 18 bytes is not
// taken (veth's is_skb_forwardable). Simplifications, stated on the page: ARP entries never go
// stale, no IP options (a fragment's header is rebuilt without them), no ICMP redirects, no
// reverse-path filter (rp_filter=0), and of ICMP's rate limits only the per-destination one
// (icmpv4_xrlim_allow), not the host-wide 1,000 a second.
//
// One kernel stage per file, each naming its function:
//   state.ts       the namespace as data, createHost, Linux's defaults
//   route.ts       fib_lookup (ip_route_output_key / ip_route_input), `ip route`
//   neighbour.ts   neigh_resolve_output, arp_solicit, neigh_update, arp_process, neigh_timer_handler
//   receive.ts     __netif_receive_skb_core: size check, vlan_do_receive, EtherType dispatch
//   ip-input.ts    ip_rcv, ip_local_deliver
//   ip-forward.ts  ip_forward
//   icmp.ts        icmp_echo, icmp_send with icmpv4_xrlim_allow, icmp_unreach
//   udp.ts         __udp4_lib_rcv
//   fragment.ts    ip_fragment, ip_defrag
//   output.ts      ip_finish_output, dst_mtu, dev_queue_xmit
//   actions.ts     ping, udp_sendmsg, arping, raw frames
//   timers.ts      ping/UDP waits, ip_expire (neighbour retries: neighbour.ts neighTimer)
//   netfilter.ts   the NF_INET_* hook points (NF_HOOK)
//   conntrack.ts   nf_conntrack_in, __nf_conntrack_confirm, the flow table
//   nat.ts         nf_nat: masquerade (POST_ROUTING), DNAT port forwards (PRE_ROUTING), nf_nat_packet
//   macvlan.ts     macvlan_handle_frame (the lower device's rx_handler), macvlan_queue_xmit
//   ipvlan.ts      ipvlan_handle_frame, ipvlan_queue_xmit (L2, L3, L3S)

export * from './state';
export { routeTo, routingTable, type Route, type RouteRow } from './route';
export { neighbourOn } from './neighbour';
export { fragmentPacket } from './fragment';
export { hostOverhears, hostReceive } from './receive';
export { hostArping, hostPing, hostSendRaw, hostSendUdp, type PingOptions, type UdpOptions } from './actions';
export { hostTimer } from './timers';
export { conntrackEntries, conntrackLine, enableConntrack, type ConntrackEntry, type ConntrackTuple } from './conntrack';
export { nfHook, type NfHook } from './netfilter';
export { hostNarrators } from './narrate';
