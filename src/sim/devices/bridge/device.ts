// The bridge's own net device on the way down (net/bridge/br_device.c br_dev_xmit): a frame its
// stack sends out of br0 enters the bridge's forwarding. Shared by a bridge box's local interface
// and a bridge net device inside a namespace.

import { readDestinationMac } from '../../wire/ethernet';
import { isBroadcastMac, isMulticastMac } from '../../wire/mac-address';
import { fdbFind } from '../bridge-fdb';
import type { DeviceContext } from '../context';
import { brFlood, brForward, type BridgeOut } from './forward';
import { bridgeName, NO_VLAN, type BridgeState } from './state';
import { Egress } from './vlan';

/**
 * br_dev_xmit: a frame the bridge's own stack sends out of br0 enters the bridge's forwarding as if
 * from a port of its own: the FDB is looked up (nothing is learned: br0's MAC is a local entry
 * already), a known unicast leaves by its port (br_forward), anything else is flooded to every port
 * (br_flood with local_orig; the copy never comes back up to br0).
 */
export function brDevXmit(ctx: DeviceContext, bridge: BridgeState, bytes: Uint8Array, out: BridgeOut, origin?: number): void {
  const me = bridgeName(ctx, bridge);
  const destination = readDestinationMac(bytes);
  const egress = new Egress(bridge, bytes, null, NO_VLAN);
  const from = `${me} sends the frame from its own interface ${bridge.id}`;
  if (isBroadcastMac(destination) || isMulticastMac(destination)) {
    const broadcast = isBroadcastMac(destination);
    brFlood(ctx, bridge, bridge.id, egress, out, broadcast ? 'broadcast' : 'multicast', `${from}, and ${destination} is ${broadcast ? 'the broadcast address' : 'a multicast address'}`, origin);
    return;
  }
  const entry = fdbFind(bridge.fdb, NO_VLAN, destination, bridge.ageingTime, ctx.now);
  if (!entry) {
    brFlood(ctx, bridge, bridge.id, egress, out, 'fdb-miss', `${from}, and the destination ${destination} is not in its MAC table yet`, origin);
    return;
  }
  brForward(ctx, bridge, bridge.id, entry.port, egress, out, `${from}: it knows ${destination} is behind port ${entry.port}, so the frame leaves there only (br_dev_xmit → br_forward).`, origin);
}
