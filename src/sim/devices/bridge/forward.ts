// Forwarding (net/bridge/br_forward.c): should_deliver decides whether a port gets a frame;
// br_forward sends a known unicast out of its one port, br_flood a copy out of every port that
// should get it.

import type { BridgeFrameArgs } from '../../trace';
import { readDestinationMac } from '../../wire/ethernet';
import { emitEvent, type DeviceContext } from '../context';
import { floodPorts } from '../linked-ports';
import { bridgeName, type BridgeState } from './state';
import { isMember, type Egress } from './vlan';

/**
 * How a frame leaves a bridge port: `relay`, a copy of a frame the bridge received (it keeps its
 * origin, for loop detection); `send`, a frame the bridge's own interface originates (br_dev_xmit:
 * its own origin, as a host's); `routed`, a packet the namespace forwards out of br0 (it keeps the
 * origin of the frame its first host sent: `origin`, or the frame being handled's).
 */
export type BridgeOut = 'relay' | 'send' | 'routed';

/**
 * The copies of one frame going out (one for br_forward, one per port for br_flood): the first a
 * bridge's own interface sends or routes starts the frame (its origin and loop record), the others
 * are copies of it (ctx.copy), so a flood of br0's own frame is one frame in the trace and in
 * storm detection, as a flood of a received frame is (ctx.relay).
 */
interface Outgoing {
  out: BridgeOut;
  /** The origin a routed frame keeps (undefined: the frame being handled's). */
  origin: number | undefined;
  /** Set once the first copy has left: its loop record and origin. */
  first?: { loop: number; origin: number };
}

function transmit(ctx: DeviceContext, bridge: BridgeState, going: Outgoing, port: string, bytes: Uint8Array): void {
  if (bridge.egressMtu !== undefined && !fitsEgress(ctx, bridge, port, bytes)) return;
  if (going.out === 'relay') {
    ctx.relay(port, bytes);
    return;
  }
  if (going.first !== undefined) {
    ctx.copy(port, bytes, going.first.loop, going.first.origin);
    return;
  }
  const id = going.out === 'routed' ? ctx.sendRouted(port, bytes, going.origin) : ctx.send(port, bytes);
  // A routed frame's origin is the one it kept (sendRouted's default: the frame being handled's, else its own).
  if (id !== undefined) going.first = { loop: id, origin: going.out === 'routed' ? (going.origin ?? ctx.origin ?? id) : id };
}

/** The MTU of a port that does not say (ether_setup). */
const DEFAULT_PORT_MTU = 1500;
/** is_skb_forwardable: MTU + the Ethernet header + one VLAN tag. */
const FORWARDABLE_SLACK = 18;

/**
 * br_dev_queue_push_xmit → is_skb_forwardable: a frame bigger than the egress port's MTU allows is
 * dropped there (a bridge does not fragment); emits the drop.
 */
function fitsEgress(ctx: DeviceContext, bridge: BridgeState, port: string, bytes: Uint8Array): boolean {
  const mtu = bridge.egressMtu!.get(port) ?? DEFAULT_PORT_MTU;
  if (bytes.length <= mtu + FORWARDABLE_SLACK) return true;
  ctx.emit({
    kind: 'drop', reason: 'frame-too-big', port, frame: bytes,
    text: `${bridgeName(ctx, bridge)} drops the ${bytes.length}-byte frame instead of sending it out of ${port}: the MTU there is ${mtu}, so the port takes frames of at most ${mtu + FORWARDABLE_SLACK} bytes, and a bridge does not fragment (br_dev_queue_push_xmit).`,
  });
  return false;
}

/** Why a frame would be flooded, for the (rare) flood that finds no port: its sentence is written at once. */
function floodWhy(me: string, bridge: BridgeState, bytes: Uint8Array, reason: 'broadcast' | 'multicast' | 'fdb-miss', own: boolean, vid: number): string {
  const destination = readDestinationMac(bytes);
  const what = reason === 'fdb-miss'
    ? `the destination ${destination} is not in its MAC table${own || bridge.kind !== 'switch' ? '' : ` for VLAN ${vid}`} yet`
    : `${destination} is ${reason === 'broadcast' ? 'the broadcast address' : 'a multicast address'}`;
  return own ? `${me} sends the frame from its own interface ${bridge.id}, and ${what}` : what;
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
 * otherwise it has already reached its segment and is filtered. `own`: the bridge's own interface
 * sent it (br_dev_xmit).
 */
export function brForward(ctx: DeviceContext, bridge: BridgeState, ingress: string, port: string, egress: Egress, out: BridgeOut, own: boolean, origin?: number): void {
  const bytes = egress.bytes;
  if (!shouldDeliver(bridge, ingress, port, egress.vid)) {
    const me = bridgeName(ctx, bridge);
    const destination = readDestinationMac(bytes);
    if (port === ingress) ctx.emit({ kind: 'filter', reason: 'same-port', port: ingress, frame: bytes, text: `${me} filters the frame: ${destination} lives behind port ${ingress}, the port it came in on, so it has already reached its segment.` });
    else ctx.emit({ kind: 'drop', reason: 'vlan-not-allowed', port: ingress, frame: bytes, text: `${me} drops the frame for ${destination}: port ${port}, where it lives, does not carry VLAN ${egress.vid}.` });
    return;
  }
  // Nobody reads the event's ports and args in a run without a trace (DeviceContext.tracing).
  const traced = ctx.tracing;
  emitEvent(ctx, 'forward', 'fdb-hit', ingress, bytes, traced ? [port] : undefined, traced ? frameArgs(bridge, egress, own, egress.isTagged(port) ? [port] : undefined) : undefined);
  transmit(ctx, bridge, { out, origin }, port, egress.bytesFor(port));
}

const NO_ARGS: BridgeFrameArgs = Object.freeze({});

/** The sentence's values of a flood or forward (narrate.ts): which bridge, its VLAN on a switch, whether its own interface sent it. */
function frameArgs(bridge: BridgeState, egress: Egress, own: boolean, tagged: string[] | undefined, kept = 0): BridgeFrameArgs {
  // A bridge box's flood or forward of a received frame has nothing to say but the event: one empty object serves them all.
  if (bridge.owner === undefined && bridge.kind !== 'switch' && !own && kept === 0) return NO_ARGS;
  const args: BridgeFrameArgs = {};
  if (bridge.owner !== undefined) args.bridge = bridge.id;
  if (bridge.kind === 'switch') args.vid = egress.vid;
  if (own) args.own = true;
  if (kept > 0) args.kept = kept;
  if (tagged !== undefined && tagged.length > 0 && bridge.kind === 'switch') args.tagged = tagged;
  return args;
}

/**
 * br_flood: every port should_deliver allows, and only ports whose link is up. `reason` says why it
 * floods (a broadcast, a multicast, an unknown destination); `own`: the bridge's own interface sent it.
 */
export function brFlood(ctx: DeviceContext, bridge: BridgeState, ingress: string, egress: Egress, out: BridgeOut, reason: 'broadcast' | 'multicast' | 'fdb-miss', own: boolean, origin?: number): void {
  const linked = ctx.linkedPorts(bridge.ports);
  // should_deliver's first rule: the ingress port gets no copy, unless it is in hairpin mode. (The
  // bridge's own name, for a frame its interface sent, is no port: it is not found.) One scan per
  // flood, not a Map per bridge: a bridge of 4,094 ports may flood only once in a run.
  const skipped = isHairpin(bridge, ingress) ? -1 : linked.indexOf(ingress);
  if (bridge.vlan === undefined) {
    // Without VLAN filtering every port carries the frame (isMember): each linked port but the
    // skipped one gets a copy, the frame's bytes as they came.
    if (linked.length - (skipped >= 0 ? 1 : 0) === 0) {
      floodNowhere(ctx, bridge, ingress, egress, reason, own, 0);
      return;
    }
    // Nobody reads the event's ports and args in a run without a trace (DeviceContext.tracing).
    const traced = ctx.tracing;
    emitEvent(ctx, 'flood', reason, ingress, egress.bytes, traced ? floodPorts(linked, skipped) : undefined, traced ? frameArgs(bridge, egress, own, undefined) : undefined);
    const bytes = egress.bytes;
    if (out === 'relay' && bridge.egressMtu === undefined) {
      // The commonest hop of a bridge fabric: a received frame copied out of every other port.
      ctx.relayAll(linked, skipped, bytes);
      return;
    }
    const going: Outgoing = { out, origin };
    for (let i = 0; i < linked.length; i++) if (i !== skipped) transmit(ctx, bridge, going, linked[i]!, bytes);
    return;
  }
  floodVlan(ctx, bridge, ingress, egress, out, reason, own, origin, linked, skipped);
}

/**
 * brFlood on a bridge with VLAN filtering: only the ports of the frame's VLAN, each copy tagged or
 * not as the port says. A function of its own: its closures in brFlood had V8 allocate a context
 * for brFlood's arguments on every flood, with VLAN filtering or without.
 */
function floodVlan(ctx: DeviceContext, bridge: BridgeState, ingress: string, egress: Egress, out: BridgeOut, reason: 'broadcast' | 'multicast' | 'fdb-miss', own: boolean, origin: number | undefined, linked: readonly string[], skipped: number): void {
  const candidates = skipped < 0 ? linked : linked.filter((_, i) => i !== skipped);
  const ports = candidates.filter((port) => isMember(bridge, port, egress.vid));
  const kept = candidates.length - ports.length;
  if (ports.length === 0) {
    floodNowhere(ctx, bridge, ingress, egress, reason, own, kept);
    return;
  }
  const tagged = ports.filter((port) => egress.isTagged(port));
  ctx.emit({ kind: 'flood', reason, port: ingress, frame: egress.bytes, ports, args: frameArgs(bridge, egress, own, tagged, kept) });
  const going: Outgoing = { out, origin };
  for (const port of ports) transmit(ctx, bridge, going, port, egress.bytesFor(port));
}

/** A flood that finds no port to send a copy out of: the frame is dropped, and why is said at once. `kept`: linked ports outside its VLAN. */
function floodNowhere(ctx: DeviceContext, bridge: BridgeState, ingress: string, egress: Egress, reason: 'broadcast' | 'multicast' | 'fdb-miss', own: boolean, kept: number): void {
  const me = bridgeName(ctx, bridge);
  const vlanNote = bridge.kind === 'switch' ? ` in VLAN ${egress.vid}` : '';
  const outside = kept === 0 ? '' : `; ${kept === 1 ? 'the other port is' : `${kept} other ports are`} not in VLAN ${egress.vid} and get${kept === 1 ? 's' : ''} nothing`;
  ctx.emit({ kind: 'drop', reason: 'flood-nowhere', port: ingress, frame: egress.bytes, text: `${me} would flood${vlanNote} (${floodWhy(me, bridge, egress.bytes, reason, own, egress.vid)}), but no other port${bridge.kind === 'switch' ? ` in VLAN ${egress.vid}` : ''} has a cable${outside}.` });
}
