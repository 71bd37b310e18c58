// A learning bridge, deciding like Linux net/bridge: br_handle_frame (sanity checks),
// br_handle_frame_finish (learn, classify, look up), br_forward / br_flood and should_deliver.
// Simplifications, stated on the page: no STP, no VLAN filtering yet, no local (br0) interface.

import type { BridgeSpec } from '../scenario/format';
import { formatPortList } from '../trace';
import { readDestinationMac, readSourceMac } from '../wire/ethernet';
import { isBroadcastMac, isLinkLocalGroupMac, isMulticastMac, ZERO_MAC } from '../wire/mac-address';
import { fdbCleanup, fdbFind, fdbUpdate, type Fdb } from './bridge-fdb';
import type { DeviceContext } from './context';

export const DEFAULT_AGEING_TIME_SECONDS = 300;

export interface BridgeState {
  kind: 'bridge';
  id: string;
  ports: string[];
  /** Milliseconds. */
  ageingTime: number;
  fdb: Fdb;
  /** Earliest time an entry can expire: the sweep is skipped before it (Infinity when empty). */
  nextSweep: number;
}

export function createBridge(spec: BridgeSpec): BridgeState {
  return {
    kind: 'bridge',
    id: spec.id,
    ports: [...spec.ports],
    ageingTime: (spec.ageingTime ?? DEFAULT_AGEING_TIME_SECONDS) * 1000,
    fdb: {},
    nextSweep: Infinity,
  };
}

const STP_MAC = '01:80:c2:00:00:00';
const PAUSE_MAC = '01:80:c2:00:00:01';

/** Without VLAN filtering every frame is in "VLAN 0" for the FDB, as in the kernel. */
const NO_VLAN = 0;

export function bridgeReceive(ctx: DeviceContext, bridge: BridgeState, ingress: string, bytes: Uint8Array): void {
  const me = ctx.name(bridge.id);
  const source = readSourceMac(bytes);
  const destination = readDestinationMac(bytes);

  // br_handle_frame: is_valid_ether_addr — a group address or all zeros can never be a source.
  if (isMulticastMac(source) || source === ZERO_MAC) {
    const what = source === ZERO_MAC ? 'all zeros' : 'a group address';
    ctx.emit({ kind: 'drop', reason: 'invalid-source', port: ingress, frame: bytes, text: `${me} drops the frame: its source ${source} is ${what}, which no NIC may send from.` });
    return;
  }
  // br_handle_frame: 01:80:c2:00:00:01 (pause) is dropped outright.
  if (destination === PAUSE_MAC) {
    ctx.emit({ kind: 'drop', reason: 'link-local', port: ingress, frame: bytes, text: `${me} drops a pause frame (${destination}): it is meant for the link, not for forwarding.` });
    return;
  }

  // br_fdb_cleanup runs periodically in the kernel; here, before a frame once an entry may be due,
  // so the table shown is current without walking it for every frame.
  for (const entry of ctx.now >= bridge.nextSweep ? sweep(bridge, ctx.now) : []) {
    ctx.emit({
      kind: 'expire',
      reason: 'fdb-aged',
      port: entry.port,
      text: `${me} forgets ${entry.mac} (was on port ${entry.port}): no frame from it for ${formatSeconds(ctx.now - entry.updated)}, longer than the ageing time of ${formatSeconds(bridge.ageingTime)}.`,
    });
  }

  // br_fdb_update: learn the source before looking up the destination.
  const learned = fdbUpdate(bridge.fdb, NO_VLAN, source, ingress, bridge.ageingTime, ctx.now);
  if (learned.change !== 'not-kept') bridge.nextSweep = Math.min(bridge.nextSweep, ctx.now + bridge.ageingTime);
  switch (learned.change) {
    case 'learned':
      ctx.emit({ kind: 'learn', reason: 'fdb-learn', port: ingress, text: `${me} learns that ${source} lives behind port ${ingress}.` });
      break;
    case 'moved':
      ctx.emit({ kind: 'learn', reason: 'fdb-move', port: ingress, text: `${me} moves ${source} from port ${learned.previousPort} to port ${ingress}: the address showed up on another port.` });
      break;
    case 'refreshed':
      ctx.emit({ kind: 'learn', reason: 'fdb-refresh', port: ingress, text: `${me} already knows ${source} is behind port ${ingress}; its age is reset to 0.` });
      break;
    case 'not-kept':
      ctx.emit({ kind: 'learn', reason: 'fdb-not-kept', port: ingress, text: `${me} has ageing time 0: the entry for ${source} would be stale at once, so nothing stays learned and the bridge behaves like a hub.` });
      break;
  }

  // The other IEEE link-local addresses (LACP, LLDP, …) are learned from, then kept by the bridge's
  // own host (__br_handle_local_finish); bridges never forward them. STP's own address is flooded
  // when STP is off, as it is here.
  if (isLinkLocalGroupMac(destination) && destination !== STP_MAC) {
    ctx.emit({ kind: 'deliver', reason: 'link-local', port: ingress, frame: bytes, text: `${me} keeps the frame for its own host: ${destination} is an IEEE link-local address that bridges never forward.` });
    return;
  }

  if (isBroadcastMac(destination) || isMulticastMac(destination)) {
    const broadcast = isBroadcastMac(destination);
    flood(ctx, bridge, ingress, bytes, broadcast ? 'broadcast' : 'multicast', broadcast ? `${destination} is the broadcast address` : `${destination} is a multicast address`);
    return;
  }

  const entry = fdbFind(bridge.fdb, NO_VLAN, destination, bridge.ageingTime, ctx.now);
  if (!entry) {
    flood(ctx, bridge, ingress, bytes, 'fdb-miss', `the destination ${destination} is not in its MAC table yet`);
    return;
  }
  // should_deliver: never back out of the ingress port (no hairpin mode here).
  if (entry.port === ingress) {
    ctx.emit({ kind: 'filter', reason: 'same-port', port: ingress, frame: bytes, text: `${me} filters the frame: ${destination} lives behind port ${ingress}, the port it came in on, so it has already reached its segment.` });
    return;
  }
  ctx.emit({ kind: 'forward', reason: 'fdb-hit', port: ingress, frame: bytes, ports: [entry.port], text: `${me} knows ${destination} is behind port ${entry.port}: it forwards the frame there only.` });
  ctx.relay(entry.port, bytes);
}

function sweep(bridge: BridgeState, now: number) {
  const { expired, nextExpiry } = fdbCleanup(bridge.fdb, bridge.ageingTime, now);
  bridge.nextSweep = nextExpiry;
  return expired;
}

/** br_flood: every port but the ingress one (should_deliver), and only ports whose link is up. */
function flood(ctx: DeviceContext, bridge: BridgeState, ingress: string, bytes: Uint8Array, reason: 'broadcast' | 'multicast' | 'fdb-miss', why: string): void {
  const me = ctx.name(bridge.id);
  const egress = bridge.ports.filter((port) => port !== ingress && ctx.isConnected(port));
  if (egress.length === 0) {
    ctx.emit({ kind: 'drop', reason: 'flood-nowhere', port: ingress, frame: bytes, text: `${me} would flood (${why}), but no other port has a cable.` });
    return;
  }
  ctx.emit({ kind: 'flood', reason, port: ingress, frame: bytes, ports: egress, text: `${me} floods the frame to ${formatPortList(egress)}: ${why}.` });
  for (const port of egress) ctx.relay(port, bytes);
}

/** "15 s", "0.5 s": seconds to one decimal, without a trailing ".0". */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
