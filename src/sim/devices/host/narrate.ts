// The sentences of a namespace's most frequent events, written from the event and its args only
// when a reader reads them: every host on a flooded segment reads every ARP request, and a headless
// run reads no sentence.

import type { Narrators } from '../../narrate';
import { nameSome } from '../../trace';
import { readArpRequestTarget } from '../../wire/arp';
import { readHeaderLength } from '../../wire/ethernet';
import type { VxlanArgs } from '../../trace';

/** "server's vxlan0 (VNI 42)". */
function vtep(me: string, a: VxlanArgs): string {
  return `${me}'s ${a.vxlan} (VNI ${a.vni})`;
}

const FLOOD_WHY = { broadcast: 'a broadcast', multicast: 'a multicast', unknown: 'an unknown unicast' } as const;

function remotesText(remotes: readonly string[] | undefined): string {
  const list = remotes ?? [];
  return list.length === 1 ? `the one remote VTEP ${list[0]}` : `each of the ${list.length} remote VTEPs (${nameSome(list, ', ')}), one copy each: head-end replication`;
}

export const hostNarrators: Narrators = {
  'arp-request-not-for-me': (e, args, name) => {
    const me = name(e.device);
    // The event holds the request (checked well-formed before it was dropped): its target is read
    // off the bytes, so that one args object serves every request the interface ignores.
    const target = readArpRequestTarget(e.frame!, readHeaderLength(e.frame!));
    const own = args.addresses.length ? `${me} is ${nameSome(args.addresses, ' and ')}` : `${me} has no IPv4 address`;
    const stuck = args.stuck === 'router'
      ? '; a router does not forward broadcasts, so the request goes no further'
      : args.stuck === 'nics'
        ? `; a host does not pass frames from ${e.port} to its other NICs, so the request goes no further`
        : args.stuck === 'bridge' ? `; the bridge ${e.port}, not the stack, carries a broadcast to its other ports, and ${me}'s stack sends the request on nowhere` : '';
    return `${me} reads the ARP request (who has ${target}?) and ignores it: ${own}${stuck}.`;
  },
  'vxlan-fdb-hit': (e, a, name) => `${vtep(name(e.device), a)} finds ${a.mac} in its FDB behind the VTEP ${a.remote}: the frame goes to that VTEP alone (vxlan_xmit).`,
  'vxlan-flood': (e, a, name) => `${vtep(name(e.device), a)} has no FDB entry for ${a.mac} (${FLOOD_WHY[a.why ?? 'unknown']}): it sends the frame to every remote of its all-zeros entry, ${remotesText(a.remotes)} (vxlan_xmit).`,
  'vxlan-no-remote': (e, a, name) => `${vtep(name(e.device), a)} drops the frame for ${a.mac}: no FDB entry for it and no all-zeros entry (no flood list) either, so it knows no VTEP to send it to (vxlan_xmit, SKB_DROP_REASON_VXLAN_NO_REMOTE).`,
  'vxlan-no-route': (e, a, name) => `${vtep(name(e.device), a)} cannot send to the VTEP ${a.remote}: ${a.error}; the copy is dropped (vxlan_xmit_one: tx error).`,
  'vxlan-encap': (e, a, name) => `${vtep(name(e.device), a)} wraps the frame for ${a.remote}: an 8-byte VXLAN header with VNI ${a.vni}, then UDP ${a.source}:${a.sourcePort} → ${a.remote}:${a.dstport} (the source port a hash of the inner flow), then IPv4 with TTL 64 and DF clear: ${a.bytes} bytes for the underlay${a.bytes! > a.mtu! ? `, more than the MTU of ${a.mtu}, so the outer packet leaves in fragments` : ''} (vxlan_xmit_one).`,
  'vxlan-decap': (e, a, name) => `${vtep(name(e.device), a)} unwraps the frame from ${a.source} (vxlan_rcv) and hands it to ${a.vxlan}${a.bridge === undefined ? `, whose own stack takes it` : `, a port of ${a.bridge}: the bridge takes it from there`}.`,
  'vxlan-malformed': (e, a, name) => `${name(e.device)} drops the datagram from ${a.source} to its VXLAN port ${a.dstport}: ${a.error} (vxlan_rcv).`,
  'vxlan-bad-flags': (e, a, name) => `${name(e.device)} drops the datagram from ${a.source} to its VXLAN port ${a.dstport}: its flags byte is 0x${(a.flags ?? 0).toString(16).padStart(2, '0')}, without the I flag (0x08) that says the VNI is valid (vxlan_rcv: "invalid vxlan flags").`,
  'vxlan-unknown-vni': (e, a, name) => `${name(e.device)}'s VXLAN socket on port ${a.dstport} takes the datagram from ${a.source}, but no VXLAN device here has VNI ${a.vni}${a.known?.length ? ` (only ${nameSome(a.known, ', ')})` : ''}: it is dropped, and nobody is told (vxlan_rcv: vxlan_vs_find_vni finds nothing).`,
  'vxlan-reserved-bits': (e, a, name) => `${vtep(name(e.device), a)} drops the datagram from ${a.source}: reserved bits of its VXLAN header are set, which Linux treats as malformed (vxlan_rcv; RFC 7348 would ignore them).`,
  'vxlan-own-source': (e, a, name) => `${vtep(name(e.device), a)} drops the unwrapped frame: its source ${a.mac} is ${a.vxlan}'s own MAC, so it is its own frame come back, a loop (vxlan_set_mac).`,
  'vxlan-invalid-source': (e, a, name) => `${vtep(name(e.device), a)} drops the unwrapped frame: its source ${a.mac} is not a valid unicast address (vxlan_set_mac).`,
  'vxlan-static-conflict': (e, a, name) => `${vtep(name(e.device), a)} drops the frame from ${a.mac} that came from ${a.remote}: a static entry puts ${a.mac} behind ${a.previous}, and Linux never moves a static entry; it drops the frame instead (vxlan_snoop).`,
  'vxlan-fdb-learn': (e, a, name) => `${vtep(name(e.device), a)} learns ${a.mac} → ${a.remote}: the inner source MAC lives behind the outer source address (vxlan_snoop, flood and learn).`,
  'vxlan-fdb-refresh': (e, a, name) => `${vtep(name(e.device), a)} already has ${a.mac} → ${a.remote}: the entry is marked used, and its ageing starts again.`,
  'vxlan-fdb-move': (e, a, name) => `${vtep(name(e.device), a)} moves ${a.mac} from ${a.previous} to ${a.remote}: the MAC now arrives from another VTEP (vxlan_snoop: "migrated").`,
  'vxlan-recursion': (e, a, name) => `${vtep(name(e.device), a)} drops the frame: its outer packet is routed back into ${a.vxlan} (through a bridge it is a port of), which would wrap it again and again; Linux stops after ${8} nested transmits ("Dead loop on virtual device", dev_xmit_recursion).`,
  'vxlan-frag-needed': (e, a, name) => `${vtep(name(e.device), a)} cannot send the ${a.bytes}-byte packet from ${a.source}: wrapped, it would not fit the underlay (${a.mtu} bytes left once the 50 bytes of VXLAN headers are counted), and DF is set. It drops the frame and answers the sender itself (skb_tunnel_check_pmtu).`,
  'vxlan-frag-needed-reply': (e, a, name) => `${vtep(name(e.device), a)} hands back, as if it had arrived, an ICMP "fragmentation needed" (mtu ${a.mtu}) to ${a.remote}, written as if from ${a.source} (iptunnel_pmtud_build_icmp, then vxlan_encap_bypass).`,
  'vxlan-fdb-aged': (e, a, name) => `${vtep(name(e.device), a)} forgets ${a.mac} → ${a.remote}: unused for ${a.seconds} s, not less than the ageing time of ${a.ageing} s (vxlan_cleanup).`,
};
