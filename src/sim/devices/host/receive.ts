// A frame arriving on an interface (__netif_receive_skb_core): the receive size check, then the
// rx_handler chain — a NIC enslaved to a bridge hands every frame to the bridge (br_handle_frame),
// which may pass it up to the bridge's own interface (br_pass_frame_up); otherwise 802.1Q
// demultiplexing to a sub-interface (vlan_do_receive) — then the interface's address filter and
// the protocol handler by EtherType (arp_rcv, ip_rcv).

import type { EmittedEvent } from '../context';
import { nameSome } from '../../trace';
import { ARP_SENDER_IP_OFFSET, decodeArpPacket, readArpRequestTargetNumber } from '../../wire/arp';
import { ETHERNET_HEADER_LENGTH, ETHERTYPE_ARP, ETHERTYPE_IPV4, ETHERTYPE_LOCAL_EXPERIMENTAL, popVlanTag, readDestinationMac, readHeaderLength, readSourceMac, readVlanTag, VLAN_TAG_LENGTH } from '../../wire/ethernet';
import { type Ipv4Address, ipv4FromBytes, ipv4MatchesBytes } from '../../wire/ipv4-address';
import { macMatchesBytes } from '../../wire/mac-address';
import { ipReceive } from './ip-input';
import { arpProcess, arpRequestIgnored } from './neighbour';
import { brHandleFrame, type PassUp } from '../bridge/input';
import type { BridgeState } from '../bridge/state';
import { ipvlanHandleFrame, ipvlanQueueXmit } from './ipvlan';
import { macvlanHandleFrame, macvlanQueueXmit } from './macvlan';
import { type ArpEntry, bridgeOfPort, DEFAULT_MTU, interfaceOn, isNoArp, type HostContext, type HostNic, type HostState, malformed, RECEIVE_SLACK, type StackedPort } from './state';
import { tunnelPorts } from './vxlan';

/** One decoder for every raw frame's text (decode without `stream` keeps no state between calls). */
const UTF8_DECODER = new TextDecoder();

/**
 * A raw frame's text: its payload as UTF-8, without the NUL bytes of padding at its end. Bytes all
 * below 0x80 read the same one by one (no BOM, no sequence to decode), without a decoder call:
 * what thousands of raw frames carry.
 */
function rawText(payload: Uint8Array): string {
  let end = payload.length;
  while (end > 0 && payload[end - 1] === 0) end--;
  if (end > 256) return UTF8_DECODER.decode(payload).replace(/\0+$/, '');
  let text = '';
  for (let i = 0; i < end; i++) {
    const byte = payload[i]!;
    if (byte >= 0x80) return UTF8_DECODER.decode(payload).replace(/\0+$/, '');
    text += String.fromCharCode(byte);
  }
  return text;
}

export function hostReceive(ctx: HostContext, host: HostState, port: string, bytes: Uint8Array): void {
  // A macvlan or ipvlan child's frame, arrived at its port on this (its parent's) namespace: the child's transmit.
  if (host.lowers !== undefined && stackedTransmit(ctx, host, port, bytes)) return;
  // The NIC itself (not a sub-interface) takes the frame off the cable: is_skb_forwardable on the
  // receiving veth lets through MTU + 18 bytes (header and one VLAN tag), nothing bigger.
  const mtu = host.portMtu?.get(port) ?? DEFAULT_MTU;
  if (bytes.length > mtu + RECEIVE_SLACK) {
    const me = ctx.name(host.id);
    ctx.emit({ kind: 'drop', reason: 'frame-too-big', port, frame: bytes, text: `${me}'s ${port} drops a ${bytes.length}-byte frame: its MTU is ${mtu}, so it takes frames of at most ${mtu + RECEIVE_SLACK} bytes (MTU plus Ethernet header and one VLAN tag), and a cable does not fragment.` });
    return;
  }
  receiveOn(ctx, host, port, bytes);
}

/**
 * __netif_receive_skb_core on the device `port` once the frame is on it: a NIC's from its link, or
 * a VXLAN device's, unwrapped (vxlan_rcv → gro_cells_receive). The rx_handler first: a bridge port's
 * frames belong to the bridge (br_handle_frame), whatever they carry; then 802.1Q, then the stack.
 */
export function receiveOn(ctx: HostContext, host: HostState, port: string, bytes: Uint8Array): void {
  const bridge = host.bridges === undefined ? undefined : bridgeOfPort(host, port);
  if (bridge !== undefined) {
    // A bridge with a VXLAN port sends into it through vxlan_xmit (tunnelPorts).
    brHandleFrame(tunnelPorts(ctx, host), bridge, port, bytes, passUpTo(ctx, host, bridge, port));
    return;
  }
  vlanReceive(ctx, host, port, bytes);
}

// The closures of the receive path are made by functions of their own (passUpTo, stackedUp,
// rawDeliveredText): a closure in a function has V8 allocate a context for the arguments it
// captures on every call of that function, whether the closure is made or not, and these
// functions run for every frame (a flooded fabric's hosts receive hundreds of thousands).

/** br_pass_frame_up for a frame that came in on `port` of `bridge`. */
function passUpTo(ctx: HostContext, host: HostState, bridge: BridgeState, port: string): PassUp {
  return (frame, reason, args) => {
    // br_pass_frame_up: netif_receive_skb on br0, in the trace with br0 as the port, so what br0
    // itself received (a capture on br0) can be read off it. br0 is a net device like a NIC: a
    // tagged frame goes through the same 802.1Q demultiplexing (a bridge without vlan_filtering
    // passes the tag up untouched), so without a br0.VID it is nobody's on this namespace.
    ctx.emit({ kind: 'deliver', reason, port: bridge.id, frame, args });
    // eth_type_trans on the port marked a frame to the port's own MAC PACKET_HOST, and the mark
    // goes up with it: br0's stack takes it as its own (a frame to another port's MAC it does not).
    vlanReceive(ctx, host, bridge.id, frame, args.portMac === port);
  };
}

/**
 * vlan_do_receive on the device `port` (a NIC's port or a bridge's name): a tagged frame belongs to
 * the sub-interface of its VID, an untagged one to the device itself. A VID with no sub-interface
 * makes the frame PACKET_OTHERHOST, which arp_rcv and ip_rcv drop: said here as the drop.
 */
function vlanReceive(ctx: HostContext, host: HostState, port: string, bytes: Uint8Array, packetHost = false): void {
  let tag;
  try {
    tag = readVlanTag(bytes);
  } catch (error) {
    malformed(ctx, host, port, bytes, error);
    return;
  }
  // vlan_do_receive: a tagged frame belongs to the sub-interface of its VID; VID 0 is a priority tag only.
  const vid = tag && tag.vid !== 0 ? tag.vid : undefined;
  const nic = interfaceOn(host, port, vid);
  if (!nic) {
    const subs = host.nics.filter((n) => n.port === port && n.vlan !== undefined).map((n) => n.name);
    const has = subs.length ? `its sub-interfaces are ${nameSome(subs, ', ')}` : `it has no 802.1Q sub-interface at all`;
    const me = ctx.name(host.id);
    ctx.emit({ kind: 'drop', reason: 'vlan-unknown', port, frame: bytes, text: `${me}'s ${port} drops a frame tagged for VLAN ${vid}: ${has}, so nothing on ${me} belongs to VLAN ${vid}.` });
    return;
  }
  // The interface's rx_handler, when it is the lower device of macvlan or ipvlan children.
  const lower = host.lowers === undefined ? undefined : lowerOf(host.lowers, nic.name);
  if (lower !== undefined) {
    lowerReceive(ctx, host, lower, nic, bytes, stackedUp(ctx, host, nic, bytes, packetHost));
    return;
  }
  deliverOn(ctx, host, nic, bytes, packetHost);
}

/** The lower device `name`'s entry of `lowers`, if it has children. */
function lowerOf(lowers: readonly StackedPort[], name: string): StackedPort | undefined {
  for (let i = 0; i < lowers.length; i++) if (lowers[i]!.lower === name) return lowers[i];
  return undefined;
}

/** A lower device's own stack, which its rx_handler passes the frame up to. */
function stackedUp(ctx: HostContext, host: HostState, nic: HostNic, bytes: Uint8Array, packetHost: boolean): () => void {
  return () => deliverOn(ctx, host, nic, bytes, packetHost);
}

/** The frame as a child sees it: a sub-interface's lower device hands its children the frame without the tag. */
function untagged(nic: HostNic, bytes: Uint8Array): Uint8Array {
  return nic.vlan === undefined ? bytes : popVlanTag(bytes).frame;
}

/** The rx_handler of a lower device (macvlan_handle_frame, ipvlan_handle_frame); `up` passes the frame to the lower device's own stack. */
function lowerReceive(ctx: HostContext, host: HostState, lower: StackedPort, nic: HostNic, bytes: Uint8Array, up: () => void): void {
  const frame = untagged(nic, bytes);
  if (lower.kind === 'macvlan') macvlanHandleFrame(ctx, host, lower, nic, frame, up);
  else ipvlanHandleFrame(ctx, host, lower, nic, frame, up);
}

/** A frame from a child at its `upper` port here: the child's transmit (macvlan_queue_xmit, ipvlan_queue_xmit). False: `port` is no child's. */
function stackedTransmit(ctx: HostContext, host: HostState, port: string, bytes: Uint8Array): boolean {
  for (const lower of host.lowers!) {
    const child = lower.children.find((c) => c.upper === port);
    if (child === undefined) continue;
    const nic = host.nics.find((n) => n.name === lower.lower)!;
    if (lower.kind === 'macvlan') macvlanQueueXmit(ctx, host, lower, nic, child, bytes);
    else ipvlanQueueXmit(ctx, host, lower, nic, child, bytes, (frame) => ipvlanHandleFrame(ctx, host, lower, nic, frame, () => deliverOn(ctx, host, nic, frame)));
    return true;
  }
  return false;
}

/**
 * The frame is on interface `nic` (a NIC, a sub-interface, or a bridge's own): its address filter,
 * then the handler by EtherType. `packetHost`: a lower device already found the frame addressed to
 * this host (a bridge port's own MAC, passed up to br0).
 */
function deliverOn(ctx: HostContext, host: HostState, nic: HostNic, bytes: Uint8Array, packetHost = false): void {
  // The frame every host of a segment gets for every resolution, read in place (no decoding).
  // Its 14-byte header is there: vlanReceive read it (readVlanTag), or the ipvlan transmit that hands the frame here.
  const broadcast = isBroadcastFrame(bytes);
  if (broadcast && overheardArpRequest(ctx, host, nic, host.nics.indexOf(nic), bytes)) return;
  const port = nic.port;
  // An ipvlan child in L3 or L3S mode is IFF_NOARP: arp_rcv drops every ARP packet on it.
  if (isNoArp(nic) && bytes.length >= 14 && ((bytes[12]! << 8) | bytes[13]!) === ETHERTYPE_ARP) {
    ctx.emit({ kind: 'drop', reason: 'ipvlan-drop', port, frame: bytes, text: `${ctx.name(host.id)}'s ${nic.name} drops the ARP packet: it is an ipvlan child in ${nic.stacked!.mode.toUpperCase()} mode, which does no ARP (NOARP); its parent routes for it.` });
    return;
  }
  // The NIC's own filter: its address or broadcast; this host joins no multicast group. Compared
  // in place: a frame's destination is made a string only for a sentence that is read.
  const toMe = macMatchesBytes(nic.mac, bytes, 0);
  if (!toMe && !broadcast && !packetHost) {
    notForMe(ctx, host, nic, bytes);
    return;
  }
  let etherType;
  let payload;
  try {
    // The header as decodeEthernetFrame reads it (the same checks, the same errors), without the
    // object and the two MAC strings: only a raw frame's sentence needs its source, read then.
    const headerLength = readVlanTag(bytes) === null ? ETHERNET_HEADER_LENGTH : ETHERNET_HEADER_LENGTH + VLAN_TAG_LENGTH;
    etherType = (bytes[headerLength - 2]! << 8) | bytes[headerLength - 1]!;
    // The payload a view of the frame: every handler below reads it, none writes to it.
    payload = bytes.subarray(headerLength);
  } catch (error) {
    malformed(ctx, host, port, bytes, error);
    return;
  }
  try {
    switch (etherType) {
      case ETHERTYPE_ARP:
        arpProcess(ctx, host, nic, decodeArpPacket(payload), bytes);
        return;
      case ETHERTYPE_IPV4:
        ipReceive(ctx, host, nic, payload, bytes);
        return;
      case ETHERTYPE_LOCAL_EXPERIMENTAL: {
        // Written only if the trace is read (EmittedEvent.text): the frame's bytes never change.
        ctx.emit({ kind: 'deliver', reason: 'raw-delivered', port, frame: bytes, text: ctx.tracing ? rawDeliveredText(ctx, host, nic, bytes, payload, broadcast, toMe) : undefined });
        return;
      }
      default:
        ctx.emit({ kind: 'drop', reason: 'unsupported', port, frame: bytes, text: `${ctx.name(host.id)} has no handler for EtherType 0x${etherType.toString(16).padStart(4, '0')}: dropped.` });
    }
  } catch (error) {
    malformed(ctx, host, port, bytes, error);
  }
}

/** The sentence of a raw frame the interface `nic` takes. */
function rawDeliveredText(ctx: HostContext, host: HostState, nic: HostNic, bytes: Uint8Array, payload: Uint8Array, broadcast: boolean, toMe: boolean): () => string {
  return () => {
    const source = readSourceMac(bytes);
    const how = source === nic.mac ? 'it is its own frame, come back to it' : broadcast ? 'a broadcast, so every host takes it' : toMe ? 'addressed to its own MAC' : 'addressed to the MAC of the bridge port it came in on';
    return `${ctx.name(host.id)} accepts the raw frame ("${rawText(payload)}") from ${source}: ${how}.`;
  };
}

/**
 * The receive path, read-only, up to a frame the namespace drops without a change: the frame fits
 * the NIC, is no bridge port's, belongs to an interface by its 802.1Q tag as vlanReceive decides,
 * and is a broadcast ARP request for another host (overheardArpRequest) or a frame to another MAC
 * (overheardOtherFrame). True when it was (the same event as hostReceive); false for anything else,
 * which hostReceive then handles. The engine tries it first, on a state it may share with a
 * snapshot: it never writes to `host`.
 */
export function hostOverhears(ctx: HostContext, host: Readonly<HostState>, port: string, bytes: Uint8Array): boolean {
  if (bytes.length < ETHERNET_HEADER_LENGTH + VLAN_TAG_LENGTH) return false;
  if (bytes.length > (host.portMtu?.get(port) ?? DEFAULT_MTU) + RECEIVE_SLACK) return false;
  if (host.bridges !== undefined && bridgeOfPort(host, port) !== undefined) return false;
  // A lower device's broadcasts go to its children too (macvlan_handle_frame), and a child's frames are transmits.
  if (host.lowers !== undefined) return false;
  // vlan_do_receive as vlanReceive does it: VID 0 is a priority tag only.
  const tagged = readHeaderLength(bytes) !== ETHERNET_HEADER_LENGTH;
  const vid = tagged ? ((bytes[14]! & 0x0f) << 8) | bytes[15]! : 0;
  const vlan = vid === 0 ? undefined : vid;
  const nics = host.nics;
  for (let i = 0; i < nics.length; i++) {
    const nic = nics[i]!;
    if (nic.port === port && nic.vlan === vlan) return isBroadcastFrame(bytes) ? overheardArpRequest(ctx, host, nic, i, bytes) : overheardOtherFrame(ctx, host, nic, bytes);
  }
  return false;
}

/**
 * deliverOn's address filter, decided from the bytes: a frame that is no broadcast and not to the
 * interface's MAC is dropped as not for it, with the same event (a NOARP ipvlan child's ARP packet,
 * which deliverOn drops for that first, goes the full path). The frame a switch floods to every
 * host of a segment when it does not know where its destination is: thousands of them in a
 * flooded fabric, each compared in place, without a MAC string or a sentence (written if read).
 */
function overheardOtherFrame(ctx: HostContext, host: Readonly<HostState>, nic: HostNic, bytes: Uint8Array): boolean {
  if (macMatchesBytes(nic.mac, bytes, 0)) return false;
  if (isNoArp(nic) && ((bytes[12]! << 8) | bytes[13]!) === ETHERTYPE_ARP) return false;
  notForMe(ctx, host, nic, bytes);
  return true;
}

/**
 * The NIC's address filter drops a frame to another MAC. One event object for every such drop
 * (emit keeps no reference), and its sentence a function, written only if read; none at all when
 * nobody reads the trace's details (ctx.tracing false: no sentence given as a function is written
 * then). A flooded fabric's hosts drop hundreds of thousands of frames, and an object and a
 * closure each were a third of what its run allocated.
 */
function notForMe(ctx: HostContext, host: Readonly<HostState>, nic: HostNic, bytes: Uint8Array): void {
  const event = NOT_FOR_ME;
  event.port = nic.port;
  event.frame = bytes;
  event.text = ctx.tracing ? notForMeText(ctx, host, nic, bytes) : undefined;
  ctx.emit(event);
  event.frame = undefined;
  event.text = undefined;
}
/** notForMe's sentence, made in a function of its own: a closure in notForMe would have V8 allocate a context for its arguments on every call, traced or not. */
function notForMeText(ctx: HostContext, host: Readonly<HostState>, nic: HostNic, bytes: Uint8Array): () => string {
  return () => `${ctx.name(host.id)}'s ${nic.port} ignores the frame: it is addressed to ${readDestinationMac(bytes)}, not to ${nic.mac}.`;
}
const NOT_FOR_ME: EmittedEvent = { kind: 'drop', reason: 'not-for-me', port: undefined, frame: undefined, text: undefined };

/** ff:ff:ff:ff:ff:ff, read off the bytes (readVlanTag has checked that the header is there). */
function isBroadcastFrame(bytes: Uint8Array): boolean {
  return (bytes[0]! & bytes[1]! & bytes[2]! & bytes[3]! & bytes[4]! & bytes[5]!) === 0xff;
}

/**
 * arp_process's commonest case, decided from the bytes without making an object or a string: a
 * well-formed ARP request for none of this namespace's addresses, from a sender with no entry on
 * `nic` (the interface at `index` of host.nics), so that there is none to refresh. It is dropped as
 * the full path drops it, with the same event. False: anything else, for the full path.
 */
function overheardArpRequest(ctx: HostContext, host: Readonly<HostState>, nic: HostNic, index: number, bytes: Uint8Array): boolean {
  const payload = readHeaderLength(bytes);
  if (bytes[payload - 2] !== ETHERTYPE_ARP >> 8 || bytes[payload - 1] !== (ETHERTYPE_ARP & 0xff)) return false;
  const target = readArpRequestTargetNumber(bytes, payload);
  if (target < 0) return false;
  // Any of the namespace's addresses, on whichever interface (arp_ignore=0): hostAddresses as numbers.
  const nics = host.nics;
  for (let i = 0; i < nics.length; i++) if (nics[i]!.ipNumber === target) return false;
  // arp_process refreshes an entry it has for the sender on this interface (and creates none): with
  // one, the full path decides. Entries for other neighbours change nothing here.
  const entries = host.arp?.get(nic.name);
  if (entries !== undefined && entries.size > 0 && hasEntryFor(entries, bytes, payload + ARP_SENDER_IP_OFFSET)) return false;
  arpRequestIgnored(ctx, host, nic, index, bytes);
  return true;
}

/**
 * Whether the neighbour table of an interface has an entry for the address at `offset` of `bytes`.
 * A host knows few neighbours on an interface: their addresses are compared with the bytes in place;
 * a longer table (a router's) is looked up by the address as text.
 */
function hasEntryFor(entries: ReadonlyMap<Ipv4Address, ArpEntry>, bytes: Uint8Array, offset: number): boolean {
  if (entries.size > FEW_NEIGHBOURS) return entries.has(ipv4FromBytes(bytes, offset));
  for (const ip of entries.keys()) if (ipv4MatchesBytes(ip, bytes, offset)) return true;
  return false;
}

const FEW_NEIGHBOURS = 8;
