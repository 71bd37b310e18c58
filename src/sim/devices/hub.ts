// A hub: a layer-1 repeater. Every frame that comes in on one port goes out of every other port,
// bit for bit; it reads no address and keeps no table.

import type { Narrators } from '../narrate';
import type { HubSpec } from '../scenario/format';
import { formatPortList } from '../trace';
import type { DeviceContext } from './context';
import { floodPorts } from './linked-ports';

export interface HubState {
  kind: 'hub';
  id: string;
  ports: string[];
}

export function createHub(spec: HubSpec): HubState {
  return { kind: 'hub', id: spec.id, ports: [...spec.ports] };
}

export function hubReceive(ctx: DeviceContext, hub: HubState, ingress: string, bytes: Uint8Array): void {
  const list = ctx.linkedPorts(hub.ports);
  // One scan per frame, not one Map per hub: a hub of thousands of ports may see one frame only.
  const skipped = list.indexOf(ingress);
  if (list.length - (skipped >= 0 ? 1 : 0) === 0) {
    ctx.emit({ kind: 'drop', reason: 'hub-nowhere', port: ingress, frame: bytes });
    return;
  }
  // Nobody reads the event's ports in a run without a trace (DeviceContext.tracing).
  ctx.emit({ kind: 'flood', reason: 'hub-repeat', port: ingress, frame: bytes, ports: ctx.tracing ? floodPorts(list, skipped) : undefined });
  ctx.relayAll(list, skipped, bytes);
}

/** The hub's sentences: everything they say is in the event (the hub, its egress ports). */
export const hubNarrators: Narrators = {
  'hub-nowhere': (e, _args, name) => `${name(e.device)} has no other port with a cable: the frame ends here.`,
  'hub-repeat': (e, _args, name) => `${name(e.device)} is a hub: it repeats the frame out of every other port (${formatPortList(e.ports!)}) without reading any address.`,
};
