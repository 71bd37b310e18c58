// The bridge's own interface (br0 as a net device): net/bridge/br_input.c br_pass_frame_up on the
// way up, br_device.c br_dev_xmit on the way down. On a bridge box the stack behind it is a host
// stack of its own (bridge.local); a bridge inside a namespace uses that namespace's stack instead
// (host/receive.ts, host/output.ts), through the same two functions.

import { isBroadcastMac, isMulticastMac } from '../../wire/mac-address';
import { readDestinationMac } from '../../wire/ethernet';
import { fdbFind } from '../bridge-fdb';
import type { DeviceContext, EmittedEvent } from '../context';
import { hostReceive, hostTimer, type HostContext, type HostState, type HostTimer } from '../host';
import { brFlood, brForward, type BridgeOut } from './forward';
import { brHandleFrame, type PassUp } from './input';
import { bridgeName, NO_VLAN, type BridgeState } from './state';
import { Egress } from './vlan';

/**
 * br_dev_xmit: a frame the bridge's own stack sends out of br0 enters the bridge's forwarding as if
 * from a port of its own: the FDB is looked up (nothing is learned: br0's MAC is a local entry
 * already), a known unicast leaves by its port (br_forward), anything else is flooded to every port
 * (br_flood with local_orig; the copy never comes back up to br0).
 */
export function brDevXmit(ctx: DeviceContext, bridge: BridgeState, bytes: Uint8Array, out: BridgeOut): void {
  const me = bridgeName(ctx, bridge);
  const destination = readDestinationMac(bytes);
  const egress = new Egress(bridge, bytes, null, NO_VLAN);
  const from = `${me} sends the frame from its own interface ${bridge.id}`;
  if (isBroadcastMac(destination) || isMulticastMac(destination)) {
    const broadcast = isBroadcastMac(destination);
    brFlood(ctx, bridge, bridge.id, egress, out, broadcast ? 'broadcast' : 'multicast', `${from}, and ${destination} is ${broadcast ? 'the broadcast address' : 'a multicast address'}`);
    return;
  }
  const entry = fdbFind(bridge.fdb, NO_VLAN, destination, bridge.ageingTime, ctx.now);
  if (!entry) {
    brFlood(ctx, bridge, bridge.id, egress, out, 'fdb-miss', `${from}, and the destination ${destination} is not in its MAC table yet`);
    return;
  }
  brForward(ctx, bridge, bridge.id, entry.port, egress, out, `${from}: it knows ${destination} is behind port ${entry.port}, so the frame leaves there only (br_dev_xmit → br_forward).`);
}

// ---------------------------------------------------------------------------------------------
// A bridge box

/** A frame on a port of a bridge box: br_handle_frame, passing up to the box's own interface when it has one. */
export function bridgeReceive(ctx: HostContext, bridge: BridgeState, ingress: string, bytes: Uint8Array): void {
  brHandleFrame(ctx, bridge, ingress, bytes, bridge.local === undefined ? undefined : boxPassUp(ctx, bridge));
}

/**
 * br_pass_frame_up on a box: the frame goes up br0 as if it had arrived there (netif_receive_skb on
 * the bridge device), to the box's host stack. Said in the trace with the local interface as the
 * port, so that what br0 itself received can be read off it (a capture on br0 sees exactly these frames).
 */
function boxPassUp(ctx: HostContext, bridge: BridgeState): PassUp {
  return (bytes, reason, text) => {
    ctx.emit({ kind: 'deliver', reason, port: bridge.id, frame: bytes, text });
    hostReceive(new LocalContext(ctx, bridge), bridge.local!, bridge.id, bytes);
  };
}

/** The local interface's MAC, if the bridge has one. */
export function bridgeLocalMac(bridge: BridgeState): string | undefined {
  return bridge.localMac;
}

/**
 * What the host stack of a box's local interface may do, on the bridge's own context: its frames go
 * into br_dev_xmit instead of onto a cable, and the bridge's ports carry them out as new frames
 * (each its own origin, as a host's). Timers, trace and actions are the bridge's.
 */
class LocalContext implements HostContext {
  /** The origin of the frame being handled, if any (made per frame, so read once). */
  readonly origin: number | undefined;

  constructor(private readonly outer: HostContext, private readonly bridge: BridgeState) {
    this.origin = (outer as { origin?: number }).origin;
  }

  get now(): number {
    return this.outer.now;
  }

  get actionId(): number | undefined {
    return this.outer.actionId;
  }

  name(deviceId: string): string {
    return this.outer.name(deviceId);
  }

  emit(event: EmittedEvent): void {
    this.outer.emit(event);
  }

  /** The local interface is always up; a real port has a link when it has a cable. */
  isConnected(port: string): boolean {
    return port === this.bridge.id || this.outer.isConnected(port);
  }

  /** The host stack's send: into the bridge (br_dev_xmit). */
  send(_port: string, bytes: Uint8Array): void {
    brDevXmit(this.outer, this.bridge, bytes, 'send');
  }

  /** Never called: the box's stack does not forward, and relays nothing. */
  relay(port: string, bytes: Uint8Array): void {
    this.outer.send(port, bytes);
  }

  /** Never called: the box's stack does not forward. */
  sendRouted(port: string, bytes: Uint8Array): void {
    this.outer.send(port, bytes);
  }

  setTimer(delay: number, timer: HostTimer): void {
    this.outer.setTimer(delay, timer);
  }

  cancelTimers(match: (timer: HostTimer) => boolean): void {
    this.outer.cancelTimers(match);
  }

  finishAction(actionId: number, ok: boolean, reason: Parameters<DeviceContext['finishAction']>[2], text: string): void {
    this.outer.finishAction(actionId, ok, reason, text);
  }
}

/**
 * The host stack of a bridge's local interface and the context to run it with, for the engine to
 * start an action from the bridge; null when the bridge has none.
 */
export function bridgeLocalStack(ctx: HostContext, bridge: BridgeState): { ctx: HostContext; host: HostState } | null {
  return bridge.local === undefined ? null : { ctx: new LocalContext(ctx, bridge), host: bridge.local };
}

/** A timer of the local interface's stack (ARP retry, ping timeout, reassembly): only it sets any. */
export function bridgeTimer(ctx: HostContext, bridge: BridgeState, timer: HostTimer): void {
  if (bridge.local !== undefined) hostTimer(new LocalContext(ctx, bridge), bridge.local, timer);
}
