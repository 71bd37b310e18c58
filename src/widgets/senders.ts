// Which devices of a scenario can start traffic, and which can be named as its target: the lists
// the "Send packet" form and the editor's traffic script offer. A device with an IP stack sends
// (a host or router namespace, or a bridge with its own interface, br0); an IP target is any
// device with an address of its own; a raw frame goes to a host by name (its first NIC's MAC).

import type { ActionKind, DeviceSpec } from '../sim/scenario/format';

/** A device with an IP stack of its own: it can send pings, ARP requests, UDP datagrams and raw frames. */
export function canSend(d: DeviceSpec): boolean {
  return d.kind === 'host' || d.kind === 'router' || (d.kind === 'bridge' && d.local !== undefined);
}

/** Can `d` be named as the target of a `kind` action (the validator decides whether its address is usable)? */
export function canTarget(d: DeviceSpec, kind: ActionKind): boolean {
  return kind === 'raw' ? d.kind === 'host' : canSend(d);
}
