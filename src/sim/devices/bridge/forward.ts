// Forwarding (net/bridge/br_forward.c): should_deliver decides whether a port gets a frame;
// br_forward sends a known unicast out of its one port, br_flood a copy out of every port that
// should get it.

import { formatPortList } from '../../trace';
import { readDestinationMac } from '../../wire/ethernet';
import type { DeviceContext } from '../context';
import { bridgeName, type BridgeState } from './state';
import { isMember, type Egress } from './vlan';

/**
 * How a frame leaves a bridge port: `relay`, a copy of a frame the bridge received (it keeps its
 * origin, for loop detection); `send`, a frame the bridge's own interface originates (br_dev_xmit:
 * its own origin, as a host's); `routed`, a packet the namespace forwards out of br0 (it keeps the
 * origin of the frame its first host sent: `origin`, or the frame being handled's).
 */
export type BridgeOut = 'relay' | 'send' | 'routed';

function transmit(ctx: DeviceContext, out: BridgeOut, port: string, bytes: Uint8Array, origin: number | undefined): void {
  if (out === 'relay') ctx.relay(port, bytes);
  else if (out === 'routed') ctx.sendRouted(port, bytes, origin);
  else ctx.send(port, bytes);
}

/** BR_HAIRPIN_MODE on `port`: off unless the scenario turns it on, as in Linux. */
export function isHairpin(bridge: BridgeState, port: string): boolean {
  return bridge.hairpin?.includes(port) ?? false;
}

/**
 * should_deliver: never back out of the port the frame came in on, unless that port is in hairpin
 * mode; and only into a port that carries the frame's VLAN (br_allowed_egress). `ingress` is the
 * bridge's own name for a frame its interface sent (br_dev_xmit), which no port equals.
 */
export function shouldDeliver(bridge: BridgeState, ingress: string, port: string, vid: number): boolean {
  return (port !== ingress || isHairpin(bridge, port)) && isMember(bridge, port, vid);
}

/**
 * br_forward: a known unicast goes out of the port its FDB entry names, when should_deliver lets it;
 * otherwise it has already reached its segment and is filtered. `text` says why it goes there.
 */
export function brForward(ctx: DeviceContext, bridge: BridgeState, ingress: string, port: string, egress: Egress, out: BridgeOut, text: string, origin?: number): void {
  const bytes = egress.bytes;
  if (!shouldDeliver(bridge, ingress, port, egress.vid)) {
    const me = bridgeName(ctx, bridge);
    const destination = readDestinationMac(bytes);
    if (port === ingress) ctx.emit({ kind: 'filter', reason: 'same-port', port: ingress, frame: bytes, text: `${me} filters the frame: ${destination} lives behind port ${ingress}, the port it came in on, so it has already reached its segment.` });
    else ctx.emit({ kind: 'drop', reason: 'vlan-not-allowed', port: ingress, frame: bytes, text: `${me} drops the frame for ${destination}: port ${port}, where it lives, does not carry VLAN ${egress.vid}.` });
    return;
  }
  ctx.emit({ kind: 'forward', reason: 'fdb-hit', port: ingress, frame: bytes, ports: [port], text });
  transmit(ctx, out, port, egress.bytesFor(port), origin);
}

/** br_flood: every port should_deliver allows, and only ports whose link is up. */
export function brFlood(ctx: DeviceContext, bridge: BridgeState, ingress: string, egress: Egress, out: BridgeOut, reason: 'broadcast' | 'multicast' | 'fdb-miss', why: string, origin?: number): void {
  const me = bridgeName(ctx, bridge);
  const bytes = egress.bytes;
  const linked = bridge.ports.filter((port) => (port !== ingress || isHairpin(bridge, port)) && ctx.isConnected(port));
  const ports = linked.filter((port) => shouldDeliver(bridge, ingress, port, egress.vid));
  const vlanNote = bridge.kind === 'switch' ? ` in VLAN ${egress.vid}` : '';
  const kept = linked.length - ports.length;
  const outside = kept === 0 ? '' : `; ${kept === 1 ? 'the other port is' : `${kept} other ports are`} not in VLAN ${egress.vid} and get${kept === 1 ? 's' : ''} nothing`;
  if (ports.length === 0) {
    ctx.emit({ kind: 'drop', reason: 'flood-nowhere', port: ingress, frame: bytes, text: `${me} would flood${vlanNote} (${why}), but no other port${bridge.kind === 'switch' ? ` in VLAN ${egress.vid}` : ''} has a cable${outside}.` });
    return;
  }
  const named = bridge.kind === 'switch' ? ports.map((port) => (egress.isTagged(port) ? `${port} (tagged)` : port)) : ports;
  ctx.emit({ kind: 'flood', reason, port: ingress, frame: bytes, ports, text: `${me} floods the frame${vlanNote} to ${formatPortList(named)}: ${why}${outside}.` });
  for (const port of ports) transmit(ctx, out, port, egress.bytesFor(port), origin);
}
