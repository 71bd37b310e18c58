// The bridge's own net device on the way down (net/bridge/br_device.c br_dev_xmit): a frame its
// stack sends out of br0 enters the bridge's forwarding. Shared by a bridge box's local interface
// and a bridge net device inside a namespace.

import { readDestinationMac, readSourceMac, readVlanTag, type VlanTag } from '../../wire/ethernet';
import { WireError } from '../../wire/wire-error';
import { isBroadcastMac, isMulticastMac } from '../../wire/mac-address';
import { fdbFind } from '../bridge-fdb';
import type { DeviceContext } from '../context';
import { brFlood, brForward, type BridgeOut } from './forward';
import { bridgeName, NO_VLAN, type BridgeState } from './state';
import { classify, Egress, isMember } from './vlan';

/**
 * br_dev_xmit: a frame the bridge's own stack sends out of br0 enters the bridge's forwarding as if
 * from a port of its own: the FDB is looked up (nothing is learned: br0's MAC is a local entry
 * already), a known unicast leaves by its port (br_forward; a port's own MAC by that port),
 * anything else is flooded to every port (br_flood with local_orig; the copy never comes back up to br0).
 * With VLAN filtering all of it happens in the frame's VLAN, and each port sends it tagged or not
 * by its own entry for that VLAN (br_handle_vlan).
 */
export function brDevXmit(ctx: DeviceContext, bridge: BridgeState, bytes: Uint8Array, out: BridgeOut, origin?: number): void {
  const destination = readDestinationMac(bytes);
  let egress: Egress;
  if (bridge.vlan === undefined) egress = new Egress(bridge, bytes, null, NO_VLAN);
  else {
    // With VLAN filtering, br_dev_xmit checks the frame as br_handle_frame checks a port's, against
    // the bridge's own VLAN entries (br_allowed_ingress with br_vlan_group(br)): a frame br0.10 sent
    // carries tag 10 and enters VLAN 10 if br0 itself is in it; an untagged one takes br0's PVID.
    let tag: VlanTag | null;
    try {
      tag = readVlanTag(bytes);
    } catch (error) {
      if (!(error instanceof WireError)) throw error;
      ctx.emit({ kind: 'drop', reason: 'malformed', port: bridge.id, frame: bytes, text: `${bridgeName(ctx, bridge)} drops a malformed frame: ${error.message}.` });
      return;
    }
    const vid = classify(ctx, bridge, bridge.id, bytes, readSourceMac(bytes), tag);
    if (vid === null) return;
    egress = new Egress(bridge, bytes, tag, vid);
  }
  const vid = egress.vid;
  if (isBroadcastMac(destination) || isMulticastMac(destination)) {
    brFlood(ctx, bridge, bridge.id, egress, out, isBroadcastMac(destination) ? 'broadcast' : 'multicast', true, origin);
    return;
  }
  // A port's own MAC is a local FDB entry whose port is that port (br_fdb_add_local): br_forward
  // sends the frame out of it, as to a learned address, instead of flooding it.
  const portOfMac = bridge.portMacs?.get(destination);
  if (portOfMac !== undefined && isMember(bridge, portOfMac, vid)) {
    brForward(ctx, bridge, bridge.id, portOfMac, egress, out, true, origin);
    return;
  }
  const entry = fdbFind(bridge.fdb, vid, destination, bridge.ageingTime, ctx.now);
  if (!entry) {
    brFlood(ctx, bridge, bridge.id, egress, out, 'fdb-miss', true, origin);
    return;
  }
  brForward(ctx, bridge, bridge.id, entry.port, egress, out, true, origin);
}
