// ipvlan (drivers/net/ipvlan/): the lower device's rx_handler (ipvlan_handle_frame) and a child's
// transmit (ipvlan_queue_xmit), as the parent's namespace runs them.

import type { HostContext, HostNic, HostState, StackedChild, StackedPort } from './state';

export function ipvlanHandleFrame(ctx: HostContext, host: HostState, _port: StackedPort, nic: HostNic, frame: Uint8Array, up: () => void): void {
  void ctx; void host; void nic; void frame;
  up();
}

export function ipvlanQueueXmit(ctx: HostContext, host: HostState, _port: StackedPort, lower: HostNic, child: StackedChild, frame: Uint8Array, _receive: (frame: Uint8Array) => void): void {
  ctx.emit({ kind: 'drop', reason: 'ipvlan-drop', port: child.upper, frame, text: `${ctx.name(host.id)} has no ipvlan yet (${lower.name}).` });
}
