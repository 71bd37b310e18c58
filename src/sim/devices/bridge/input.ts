// A frame arriving on a bridge port (net/bridge/br_input.c): br_handle_frame's sanity checks, then
// br_handle_frame_finish — VLAN ingress, learning the source (br_fdb_update), and the choice
// between passing it up to the bridge's own interface, forwarding it, or flooding it.

import { isBroadcastMac, isLinkLocalGroupMac, isMulticastMac, ZERO_MAC } from '../../wire/mac-address';
import { readDestinationMac, readSourceMac, readVlanTag, type VlanTag } from '../../wire/ethernet';
import { WireError } from '../../wire/wire-error';
import { fdbCleanup, fdbFind, fdbUpdate } from '../bridge-fdb';
import { emitEvent, type DeviceContext } from '../context';
import { brFlood, brForward } from './forward';
import { portSecurityAllows } from './port-security';
import type { BridgeFrameArgs, BridgeLearnArgs } from '../../trace';
import { bridgeArg, bridgeName, formatSeconds, NO_VLAN, PAUSE_MAC, STP_MAC, type BridgeState } from './state';
import { classify, describeMembership, Egress, isMember } from './vlan';

/**
 * br_pass_frame_up's other side: what the bridge's own interface does with a frame handed up to it
 * (netif_receive_skb on br0). Given by whoever owns that interface; absent when it has none.
 */
export type PassUp = (bytes: Uint8Array, reason: 'fdb-hit' | 'broadcast' | 'multicast', args: BridgeFrameArgs) => void;

/** br_handle_frame → br_handle_frame_finish for a frame that arrived on `ingress`. */
export function brHandleFrame(ctx: DeviceContext, bridge: BridgeState, ingress: string, bytes: Uint8Array, passUp?: PassUp): void {
  const source = readSourceMac(bytes);
  const destination = readDestinationMac(bytes);
  let tag: VlanTag | null = null;
  if (bridge.kind === 'switch') {
    try {
      tag = readVlanTag(bytes);
    } catch (error) {
      if (!(error instanceof WireError)) throw error;
      ctx.emit({ kind: 'drop', reason: 'malformed', port: ingress, frame: bytes, text: `${bridgeName(ctx, bridge)} drops a malformed frame: ${error.message}.` });
      return;
    }
  }

  // br_handle_frame: is_valid_ether_addr — a group address or all zeros can never be a source.
  if (isMulticastMac(source) || source === ZERO_MAC) {
    const what = source === ZERO_MAC ? 'all zeros' : 'a group address';
    ctx.emit({ kind: 'drop', reason: 'invalid-source', port: ingress, frame: bytes, text: `${bridgeName(ctx, bridge)} drops the frame: its source ${source} is ${what}, which no NIC may send from.` });
    return;
  }
  // br_handle_frame: 01:80:c2:00:00:01 (pause) is dropped outright.
  if (destination === PAUSE_MAC) {
    ctx.emit({ kind: 'drop', reason: 'link-local', port: ingress, frame: bytes, text: `${bridgeName(ctx, bridge)} drops a pause frame (${destination}): it is meant for the link, not for forwarding.` });
    return;
  }

  // br_allowed_ingress: which VLAN the frame belongs to, and whether this port carries it.
  let vid = NO_VLAN;
  if (bridge.kind === 'switch') {
    const classified = classify(ctx, bridge, ingress, bytes, source, tag);
    if (classified === null) return;
    vid = classified;
  }

  // br_fdb_cleanup runs periodically in the kernel; here, before a frame once an entry may be due,
  // so the table shown is current without walking it for every frame.
  if (ctx.now >= bridge.nextSweep) {
    for (const entry of sweep(bridge, ctx.now)) {
      ctx.emit({
        kind: 'expire',
        reason: 'fdb-aged',
        port: entry.port,
        text: `${bridgeName(ctx, bridge)} forgets ${entry.mac} (was on port ${entry.port}): no frame from it for ${formatSeconds(ctx.now - entry.updated)}, longer than the ageing time of ${formatSeconds(bridge.ageingTime)}.`,
      });
    }
  }

  if (!portSecurityAllows(ctx, bridge, ingress, source, vid, bytes)) return;

  // br_fdb_update: a source that is the bridge's own address hits its local entry, which is never
  // moved nor refreshed (the kernel only warns "received packet ... with own address as source
  // address"); the frame goes on.
  if (isLocal(bridge, source, vid)) {
    ctx.emit({ kind: 'learn', reason: 'fdb-not-kept', port: ingress, text: `${bridgeName(ctx, bridge)} receives a frame on ${ingress} from its own address ${source}: its MAC table keeps that address as a permanent local entry, so nothing is learned.` });
  } else {
    learn(ctx, bridge, ingress, source, vid);
  }

  // The other IEEE link-local addresses (LACP, LLDP, …) are learned from, then kept by the bridge's
  // own host (__br_handle_local_finish); bridges never forward them. STP's own address is flooded
  // when STP is off, as it is here.
  if (isLinkLocalGroupMac(destination) && destination !== STP_MAC) {
    ctx.emit({ kind: 'deliver', reason: 'link-local', port: ingress, frame: bytes, text: `${bridgeName(ctx, bridge)} keeps the frame for its own host: ${destination} is an IEEE link-local address that bridges never forward.` });
    return;
  }

  const egress = new Egress(bridge, bytes, tag, vid);
  if (isBroadcastMac(destination) || isMulticastMac(destination)) {
    const broadcast = isBroadcastMac(destination);
    const reason = broadcast ? 'broadcast' : 'multicast';
    brFlood(ctx, bridge, ingress, egress, 'relay', reason, false);
    // br_handle_frame_finish: a broadcast, and a multicast no snooping querier claims, set local_rcv:
    // after br_flood, br_pass_frame_up hands the frame to the bridge's own interface too.
    if (passUp !== undefined) passFrameUp(ctx, bridge, ingress, egress, passUp, reason, bridge.owner === undefined ? {} : { bridge: bridge.id });
    return;
  }

  // br_fdb_find_rcu finds the bridge's own MAC, or a port's, as a local entry: the frame is for br0
  // itself, passed up (br_pass_frame_up) and forwarded nowhere. (A port's MAC is not br0's: br0's
  // stack takes it only when it is the MAC of the port it came in on, which eth_type_trans had
  // marked PACKET_HOST there; another port's it drops as addressed to another host.)
  if (passUp !== undefined && isLocal(bridge, destination, vid)) {
    const args: BridgeFrameArgs = bridge.owner === undefined ? {} : { bridge: bridge.id };
    if (destination !== bridge.localMac) args.portMac = bridge.portMacs!.get(destination)!;
    passFrameUp(ctx, bridge, ingress, egress, passUp, 'fdb-hit', args);
    return;
  }

  const entry = fdbFind(bridge.fdb, vid, destination, bridge.ageingTime, ctx.now);
  if (!entry) {
    brFlood(ctx, bridge, ingress, egress, 'relay', 'fdb-miss', false);
    return;
  }
  brForward(ctx, bridge, ingress, entry.port, egress, 'relay', false);
}

/**
 * Whether `mac` is a local entry of the bridge's FDB in VLAN `vid`: its own interface's or one of
 * its ports'. With VLAN filtering a local entry exists only in the VLANs of its device
 * (br_vlan_add / nbp_vlan_add call br_fdb_add_local with the VID): br0's MAC in the VLANs br0
 * itself is in (self), a port's MAC in that port's.
 */
function isLocal(bridge: BridgeState, mac: string, vid: number): boolean {
  if (mac === bridge.localMac) return isMember(bridge, bridge.id, vid);
  const port = bridge.portMacs?.get(mac);
  return port !== undefined && isMember(bridge, port, vid);
}

/**
 * br_pass_frame_up → br_handle_vlan on the bridge's own VLAN entries: with VLAN filtering the frame
 * goes up only in a VLAN the bridge itself is in (self), tagged with it unless that VLAN is
 * untagged on the bridge, so that br0.10 gets VLAN 10's frames; a VLAN the bridge is not in is
 * dropped there. Without filtering it goes up as it came.
 */
function passFrameUp(ctx: DeviceContext, bridge: BridgeState, ingress: string, egress: Egress, passUp: PassUp, reason: 'fdb-hit' | 'broadcast' | 'multicast', args: BridgeFrameArgs): void {
  if (bridge.vlan === undefined) {
    passUp(egress.bytes, reason, args);
    return;
  }
  if (!isMember(bridge, bridge.id, egress.vid)) {
    ctx.emit({ kind: 'drop', reason: 'vlan-not-allowed', port: ingress, frame: egress.bytes, text: `${bridgeName(ctx, bridge)} hands the ${reason} to its own interface no copy: ${describeMembership(bridge, bridge.id)}, not VLAN ${egress.vid} (br_handle_vlan).` });
    return;
  }
  args.vid = egress.vid;
  if (egress.isTagged(bridge.id)) args.tagged = [bridge.id];
  passUp(egress.bytesFor(bridge.id), reason, args);
}

/** br_fdb_update: learn the source before looking up the destination. */
function learn(ctx: DeviceContext, bridge: BridgeState, ingress: string, source: string, vid: number): void {
  const learned = fdbUpdate(bridge.fdb, vid, source, ingress, bridge.ageingTime, ctx.now, bridge.fdbMaxLearned);
  if (learned.change !== 'not-kept') bridge.nextSweep = Math.min(bridge.nextSweep, ctx.now + bridge.ageingTime);
  switch (learned.change) {
    case 'full':
      // br_fdb_update → fdb_create: fdb_n_learned >= fdb_max_learned, so no entry is made; the frame goes on.
      ctx.emit({ kind: 'learn', reason: 'fdb-full', port: ingress, text: () => `${bridgeName(ctx, bridge)} does not learn ${source}${vid === NO_VLAN ? '' : ` in VLAN ${vid}`}: its MAC table already holds ${bridge.fdbMaxLearned} learned entries, its limit (fdb_max_learned). Frames to ${source} will be flooded as unknown unicast.` });
      break;
    case 'learned':
      emitEvent(ctx, 'learn', 'fdb-learn', ingress, undefined, undefined, learnArgs(ctx, bridge, source, vid));
      break;
    case 'moved':
      ctx.emit({ kind: 'learn', reason: 'fdb-move', port: ingress, text: `${bridgeName(ctx, bridge)} moves ${source}${vid === NO_VLAN ? '' : ` in VLAN ${vid}`} from port ${learned.previousPort} to port ${ingress}: the address showed up on another port.` });
      break;
    case 'refreshed':
      emitEvent(ctx, 'learn', 'fdb-refresh', ingress, undefined, undefined, learnArgs(ctx, bridge, source, vid));
      break;
    case 'not-kept':
      ctx.emit({ kind: 'learn', reason: 'fdb-not-kept', port: ingress, text: `${bridgeName(ctx, bridge)} has ageing time 0: the entry for ${source} would be stale at once, so nothing stays learned and the bridge behaves like a hub.` });
      break;
  }
}

/** A learn or refresh's sentence values: none in a run without a trace, where nobody reads them (DeviceContext.tracing). */
function learnArgs(ctx: DeviceContext, bridge: BridgeState, mac: string, vid: number): BridgeLearnArgs | undefined {
  return ctx.tracing ? { bridge: bridgeArg(bridge), mac, vid } : undefined;
}

function sweep(bridge: BridgeState, now: number) {
  const { expired, nextExpiry } = fdbCleanup(bridge.fdb, bridge.ageingTime, now);
  bridge.nextSweep = nextExpiry;
  return expired;
}
