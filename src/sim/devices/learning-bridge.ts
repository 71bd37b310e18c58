// A learning bridge, deciding like Linux net/bridge: br_handle_frame (sanity checks),
// br_handle_frame_finish (learn, classify, look up), br_forward / br_flood and should_deliver.
// The `switch` kind is the same bridge with VLAN filtering (br_vlan.c: br_allowed_ingress,
// br_allowed_egress, br_handle_vlan): access and trunk ports, a (VLAN, MAC) FDB, per-VLAN
// flooding, tagging on egress; plus two features of hardware switches that the Linux bridge does
// not have: MAC-based VLAN assignment and a per-port limit of learned MACs (port security).
// A plain bridge may have a local interface (br0 with a MAC and an address): its own host stack
// (host/*) behind the bridge, fed by br_pass_frame_up and sending through br_dev_xmit. The same
// forwarding serves a bridge net device inside a namespace (host/receive.ts). Simplifications,
// stated on the page: no STP; a switch has no local interface.
//
// One kernel stage per file under bridge/:
//   state.ts          struct net_bridge as data, createBridge
//   input.ts          br_handle_frame, br_handle_frame_finish, br_fdb_update
//   forward.ts        should_deliver (with per-port hairpin), br_forward, br_flood
//   vlan.ts           br_allowed_ingress, br_allowed_egress, br_handle_vlan
//   port-security.ts  a switch's per-port MAC limit (not in Linux)
//   device.ts         br_dev_xmit
//   local.ts          a bridge box's own stack, fed by br_pass_frame_up

export { createBridge, DEFAULT_AGEING_TIME_SECONDS, DEFAULT_VLAN, formatSeconds, type BridgeState, type PortVlans, type SwitchVlans } from './bridge/state';
export { bridgeLocalMac, bridgeLocalStack, bridgeReceive, bridgeTimer } from './bridge/local';
export { brDevXmit } from './bridge/device';
export { brHandleFrame, type PassUp } from './bridge/input';
export { shouldDeliver, type BridgeOut } from './bridge/forward';
export { bridgeNarrators } from './bridge/narrate';
