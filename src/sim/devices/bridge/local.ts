// A bridge box's own interface (br0 with an address): a host stack of its own (bridge.local), fed by
// br_pass_frame_up and sending through br_dev_xmit (device.ts). A bridge inside a namespace uses
// that namespace's own stack instead (host/receive.ts, host/output.ts), through the same functions.

import type { DeviceContext, EmittedEvent } from '../context';
import { hostReceive, hostTimer, type HostContext, type HostState, type HostTimer } from '../host';
import { brDevXmit } from './device';
import { brHandleFrame, type PassUp } from './input';
import type { BridgeState } from './state';

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
  return (bytes, reason, args) => {
    ctx.emit({ kind: 'deliver', reason, port: bridge.id, frame: bytes, args });
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
  constructor(private readonly outer: HostContext, private readonly bridge: BridgeState) {}

  get origin(): number | undefined {
    return this.outer.origin;
  }

  get now(): number {
    return this.outer.now;
  }

  get actionId(): number | undefined {
    return this.outer.actionId;
  }

  get tracing(): boolean {
    return this.outer.tracing;
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

  /** Never called: the box's stack floods nothing (its namespace has no bridge of its own). */
  linkedPorts(ports: readonly string[]): readonly string[] {
    return Object.freeze(ports.filter((port) => this.isConnected(port)));
  }

  /**
   * The host stack's send: into the bridge (br_dev_xmit), whose ports carry it out as one frame in
   * as many copies as it floods (forward.ts). No one frame id to return: the stack asks for none.
   */
  send(_port: string, bytes: Uint8Array): undefined {
    brDevXmit(this.outer, this.bridge, bytes, 'send');
    return undefined;
  }

  /** Never called: the box's stack does not forward, and relays nothing. */
  relay(port: string, bytes: Uint8Array): number | undefined {
    return this.outer.send(port, bytes);
  }

  /** Never called, as relay. */
  relayAll(ports: readonly string[], skip: number, bytes: Uint8Array): void {
    for (let i = 0; i < ports.length; i++) if (i !== skip) this.relay(ports[i]!, bytes);
  }

  /** br0 routing a packet (a box's stack does not forward, but the contract allows it): out through the bridge. */
  sendRouted(_port: string, bytes: Uint8Array, origin?: number): undefined {
    brDevXmit(this.outer, this.bridge, bytes, 'routed', origin);
    return undefined;
  }

  /** Never called: copies of a frame are the bridge's (forward.ts), on the outer context. */
  copy(port: string, bytes: Uint8Array, loop: number, origin: number): number | undefined {
    return this.outer.copy(port, bytes, loop, origin);
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
