// macvlan (drivers/net/macvlan.c) as the parent's namespace runs it: the lower device's rx_handler
// (macvlan_handle_frame, with macvlan_process_broadcast and macvlan_forward_source) and each child's
// transmit (macvlan_queue_xmit). A child is a NIC of another namespace (or of this one) whose link
// ends here, at the port `upper`: what the child sends arrives there, and what this namespace hands
// the child leaves by it. Broadcasts are handed to the children at once (Linux defers them to a
// work queue: only the order of the copies differs).

import { pushVlanTag, readDestinationMac, readSourceMac } from '../../wire/ethernet';
import { isMulticastMac, type MacAddress } from '../../wire/mac-address';
import type { HostContext, HostNic, HostState, StackedChild, StackedPort } from './state';

const MODE_WORDS: Record<string, string> = {
  private: 'private',
  vepa: 'VEPA',
  bridge: 'bridge',
  passthru: 'passthru',
  source: 'source',
};

function childName(ctx: HostContext, child: StackedChild): string {
  return `${ctx.name(child.device)}'s ${child.port}`;
}

function whose(ctx: HostContext, child: StackedChild): string {
  return `${childName(ctx, child)} (macvlan ${MODE_WORDS[child.mode] ?? child.mode})`;
}

/** macvlan_hash_lookup: the child with this MAC (not a passthru port's single child by default). */
function byMac(port: StackedPort, mac: MacAddress): StackedChild | undefined {
  return port.children.find((child) => child.mac === mac);
}

/**
 * macvlan_forward_source: every child in mode source that lists the frame's source MAC gets a copy
 * (it keeps receiving as usual otherwise).
 */
function forwardSource(ctx: HostContext, host: HostState, port: StackedPort, nic: HostNic, frame: Uint8Array, source: MacAddress): void {
  for (const child of port.children) {
    if (child.mode !== 'source' || !(child.sources ?? []).includes(source)) continue;
    ctx.emit({ kind: 'forward', reason: 'macvlan-source', port: nic.port, frame, ports: [child.upper], text: `${ctx.name(host.id)}'s ${nic.name} hands a copy to ${whose(ctx, child)}: it takes every frame from ${source} (macvlan_forward_source).` });
    ctx.relay(child.upper, frame);
  }
}

/**
 * macvlan_handle_frame on the lower device `nic` (its frame untagged already when `nic` is a
 * sub-interface). `up` passes the frame on to the lower device's own stack (RX_HANDLER_PASS).
 */
export function macvlanHandleFrame(ctx: HostContext, host: HostState, port: StackedPort, nic: HostNic, frame: Uint8Array, up: () => void): void {
  const me = ctx.name(host.id);
  const destination = readDestinationMac(frame);
  const source = readSourceMac(frame);
  if (isMulticastMac(destination)) {
    forwardSource(ctx, host, port, nic, frame, source);
    const src = byMac(port, source);
    if (src !== undefined && src.mode !== 'vepa' && src.mode !== 'bridge') {
      // "forward to original port": a private (or passthru, or source) child's own broadcast, come back from the switch.
      ctx.emit({ kind: 'forward', reason: 'macvlan-private', port: nic.port, frame, ports: [src.upper], text: `${me}'s ${nic.name} gets back a broadcast that ${whose(ctx, src)} sent: it goes back to its sender only, so no sibling and not ${me} itself hears it (macvlan_handle_frame). This is what keeps private children apart, even behind a hairpin switch.` });
      ctx.relay(src.upper, frame);
      return;
    }
    // macvlan_process_broadcast: from outside, every child; from a VEPA child, VEPA and bridge
    // children but the sender; from a bridge child, VEPA children only (bridge siblings had theirs).
    const modes = src === undefined ? ['private', 'vepa', 'passthru', 'bridge'] : src.mode === 'vepa' ? ['vepa', 'bridge'] : ['vepa'];
    const to = port.children.filter((child) => child !== src && modes.includes(child.mode));
    const from = src === undefined ? 'from outside, so every child gets a copy' : src.mode === 'vepa'
      ? `sent by ${whose(ctx, src)} and sent back by the switch, so its VEPA and bridge siblings get a copy`
      : `sent by ${whose(ctx, src)} and sent back by the switch, so only VEPA siblings get a copy (bridge siblings had theirs on the way out)`;
    if (to.length > 0) {
      ctx.emit({ kind: 'flood', reason: 'macvlan-broadcast', port: nic.port, frame, ports: to.map((child) => child.upper), text: `${me}'s ${nic.name} receives a ${destination === 'ff:ff:ff:ff:ff:ff' ? 'broadcast' : 'multicast'} ${from}: ${to.map((child) => childName(ctx, child)).join(', ')} (macvlan_process_broadcast); ${me} itself takes it too.` });
      for (const child of to) ctx.relay(child.upper, frame);
    }
    up();
    return;
  }
  forwardSource(ctx, host, port, nic, frame, source);
  const passthru = port.children.length === 1 && port.children[0]!.mode === 'passthru' ? port.children[0]! : undefined;
  const child = passthru ?? byMac(port, destination);
  if (child === undefined || child.mode === 'source') {
    up();
    return;
  }
  const why = passthru !== undefined ? `its passthru child takes every frame (${nic.name} is promiscuous)` : `${destination} is that child's MAC`;
  ctx.emit({ kind: 'forward', reason: 'macvlan-rx', port: nic.port, frame, ports: [child.upper], text: `${me}'s ${nic.name} hands the frame to ${whose(ctx, child)}: ${why} (macvlan_handle_frame).` });
  ctx.relay(child.upper, frame);
}

/**
 * macvlan_queue_xmit: a child's frame, arrived at its `upper` port here. Bridge mode delivers to a
 * bridge sibling directly (a broadcast to every bridge sibling, and out); everything else leaves by
 * the lower device, to the switch.
 */
export function macvlanQueueXmit(ctx: HostContext, host: HostState, port: StackedPort, lower: HostNic, child: StackedChild, frame: Uint8Array): void {
  const me = ctx.name(host.id);
  const destination = readDestinationMac(frame);
  const who = whose(ctx, child);
  let why: string;
  if (child.mode === 'bridge') {
    if (isMulticastMac(destination)) {
      const to = port.children.filter((other) => other !== child && other.mode === 'bridge');
      if (to.length > 0) {
        ctx.emit({ kind: 'flood', reason: 'macvlan-bridge', port: child.upper, frame, ports: to.map((other) => other.upper), text: `${who} sends a ${destination === 'ff:ff:ff:ff:ff:ff' ? 'broadcast' : 'multicast'}: its bridge-mode siblings get a copy at once (${to.map((other) => childName(ctx, other)).join(', ')}), and it also goes out of ${lower.name} (macvlan_queue_xmit). ${me} itself gets no copy.` });
        for (const other of to) ctx.relay(other.upper, frame);
      }
      why = `a broadcast from a bridge-mode child also goes to the wire; ${me} itself never gets its children's frames`;
    } else {
      const sibling = byMac(port, destination);
      if (sibling !== undefined && sibling.mode === 'bridge') {
        ctx.emit({ kind: 'forward', reason: 'macvlan-bridge', port: child.upper, frame, ports: [sibling.upper], text: `${who} sends to ${destination}, the MAC of ${whose(ctx, sibling)}: both are in bridge mode, so ${me} delivers it inside the host, without the wire (macvlan_queue_xmit).` });
        ctx.relay(sibling.upper, frame);
        return;
      }
      why = destination === lower.mac
        ? `${destination} is ${me}'s own ${lower.name}, and a macvlan never hands its parent a frame: it goes to the wire, and a switch does not send a frame back out of the port it came in on. This is why a macvlan container cannot reach its host`
        : sibling !== undefined ? `${destination} is a sibling in ${MODE_WORDS[sibling.mode]} mode, not bridge mode, so the frame goes to the wire` : `${destination} is no sibling's MAC`;
    }
  } else if (child.mode === 'vepa') {
    why = `in VEPA mode every frame goes to the switch, even one for a sibling (only a switch port in hairpin mode sends it back)`;
  } else if (child.mode === 'private') {
    why = `in private mode every frame goes to the switch, and a broadcast that comes back reaches no sibling`;
  } else if (child.mode === 'passthru') {
    why = `the passthru child owns ${lower.name}`;
  } else {
    why = `a source-mode child sends as a VEPA one`;
  }
  const bytes = lower.vlan === undefined ? frame : pushVlanTag(frame, { pcp: 0, dei: false, vid: lower.vlan });
  const tag = lower.vlan === undefined ? '' : `, tagged for VLAN ${lower.vlan} (${lower.name} is an 802.1Q sub-interface)`;
  ctx.emit({ kind: 'forward', reason: 'macvlan-xmit', port: child.upper, frame, ports: [lower.port], text: `${me} sends the frame from ${who} out of ${lower.name}${tag}: ${why} (macvlan_queue_xmit).` });
  ctx.relay(lower.port, bytes);
}
