// The bridge's own net device on the way down (net/bridge/br_device.c br_dev_xmit): a frame its
// stack sends out of br0 enters the bridge's forwarding. Shared by a bridge box's local interface
// and a bridge net device inside a namespace.

import { readDestinationMac } from '../../wire/ethernet';
import { isBroadcastMac, isMulticastMac } from '../../wire/mac-address';
import { fdbFind } from '../bridge-fdb';
import type { DeviceContext } from '../context';
import { brFlood, brForward, type BridgeOut } from './forward';
import { NO_VLAN, type BridgeState } from './state';
import { Egress } from './vlan';

/**
 * br_dev_xmit: a frame the bridge's own stack sends out of br0 enters the bridge's forwarding as if
 * from a port of its own: the FDB is looked up (nothing is learned: br0's MAC is a local entry
 * already), a known unicast leaves by its port (br_forward; a port's own MAC by that port),
 * anything else is flooded to every port (br_flood with local_orig; the copy never comes back up to br0).
 */
export function brDevXmit(ctx: DeviceContext, bridge: BridgeState, bytes: Uint8Array, out: BridgeOut, origin?: number): void {
  const destination = readDestinationMac(bytes);
  const egress = new Egress(bridge, bytes, null, NO_VLAN);
  if (isBroadcastMac(destination) || isMulticastMac(destination)) {
    brFlood(ctx, bridge, bridge.id, egress, out, isBroadcastMac(destination) ? 'broadcast' : 'multicast', true, origin);
    return;
  }
  // A port's own MAC is a local FDB entry whose port is that port (br_fdb_add_local): br_forward
  // sends the frame out of it, as to a learned address, instead of flooding it.
  const portOfMac = bridge.portMacs?.get(destination);
  if (portOfMac !== undefined) {
    brForward(ctx, bridge, bridge.id, portOfMac, egress, out, true, origin);
    return;
  }
  const entry = fdbFind(bridge.fdb, NO_VLAN, destination, bridge.ageingTime, ctx.now);
  if (!entry) {
    brFlood(ctx, bridge, bridge.id, egress, out, 'fdb-miss', true, origin);
    return;
  }
  brForward(ctx, bridge, bridge.id, entry.port, egress, out, true, origin);
}
