// A hub: a layer-1 repeater. Every frame that comes in on one port goes out of every other port,
// bit for bit; it reads no address and keeps no table.

import type { HubSpec } from '../scenario/format';
import { formatPortList } from '../trace';
import type { DeviceContext } from './context';

export interface HubState {
  kind: 'hub';
  id: string;
  ports: string[];
}

export function createHub(spec: HubSpec): HubState {
  return { kind: 'hub', id: spec.id, ports: [...spec.ports] };
}

export function hubReceive(ctx: DeviceContext, hub: HubState, ingress: string, bytes: Uint8Array): void {
  const egress = hub.ports.filter((port) => port !== ingress && ctx.isConnected(port));
  if (egress.length === 0) {
    ctx.emit({ kind: 'drop', reason: 'hub-nowhere', port: ingress, frame: bytes, text: `${ctx.name(hub.id)} has no other port with a cable: the frame ends here.` });
    return;
  }
  ctx.emit({
    kind: 'flood',
    reason: 'hub-repeat',
    port: ingress,
    frame: bytes,
    ports: egress,
    text: `${ctx.name(hub.id)} is a hub: it repeats the frame out of every other port (${formatPortList(egress)}) without reading any address.`,
  });
  for (const port of egress) ctx.relay(port, bytes);
}
