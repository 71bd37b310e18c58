// What a device may do while it handles a frame, a timer or an action: the engine's side of the
// contract. Devices never touch the queue, the clock or the trace directly.

import type { ReasonCode, TraceArgs, TraceKind } from '../trace';

/**
 * An event as a device emits it; the engine adds where and when (step, time, device, action),
 * what caused it and the frame's origin. A device gives either the sentence (`text`) or, for a
 * reason that has a narrator (narrate.ts, or its registry entry), the values the sentence needs
 * (`args`): the sentence is then written only if someone reads it. `text` may also be a function
 * that writes the sentence, called during the emit (so it sees the state as it is then) unless
 * nobody reads the trace or its sink needs no sentences (TraceSink.sentences).
 */
export interface EmittedEvent {
  kind: TraceKind;
  reason: ReasonCode;
  text?: string | (() => string);
  args?: TraceArgs;
  port?: string;
  frame?: Uint8Array;
  /** Read-only: a flood shares one frozen list among all its events (linked-ports.ts floodPorts). */
  ports?: readonly string[];
}

/** The one event object emitEvent fills (every field present: one shape). */
const SCRATCH: { kind: TraceKind; reason: ReasonCode; text: undefined; args: TraceArgs | undefined; port: string | undefined; frame: Uint8Array | undefined; ports: readonly string[] | undefined } = {
  kind: 'drop', reason: 'malformed', text: undefined, args: undefined, port: undefined, frame: undefined, ports: undefined,
};

/**
 * ctx.emit of an event given by its fields, through one object filled for each call (emit keeps no
 * reference to it): for the events a bridge emits on every frame (learn, forward, flood, classify),
 * which made an object per frame per bridge. The object is emptied again after the call, so that it
 * holds no frame alive.
 */
export function emitEvent(ctx: Pick<DeviceContext, 'emit'>, kind: TraceKind, reason: ReasonCode, port: string | undefined, frame: Uint8Array | undefined, ports: readonly string[] | undefined, args: TraceArgs | undefined): void {
  const event = SCRATCH;
  event.kind = kind;
  event.reason = reason;
  event.port = port;
  event.frame = frame;
  event.ports = ports;
  event.args = args;
  // Its fields are EmittedEvent's, each present (undefined where the event has none).
  ctx.emit(event as unknown as EmittedEvent);
  event.port = undefined;
  event.frame = undefined;
  event.ports = undefined;
  event.args = undefined;
}

/**
 * `Timer` is what this device type schedules (a host's ARP retry, ping timeout, …): opaque to the
 * engine, which keeps it in the queue and hands it back to the same device type's `timer` hook
 * (registry.ts). It must be plain data (snapshots copy it).
 */
export interface DeviceContext<Timer = unknown> {
  /** Virtual time, milliseconds. */
  readonly now: number;
  /** The action the current work descends from, if any. */
  readonly actionId: number | undefined;
  /**
   * The origin of the frame being handled (the id of the frame a host first sent), if a frame is
   * being handled. A router that queues a packet (waiting for ARP) keeps it, to pass to sendRouted later.
   */
  readonly origin: number | undefined;
  /**
   * Whether anyone reads the events' args and ports. False when nobody records the trace (a
   * headless run, a replay after a step back: emit() then only counts the event) and when the sink
   * reads neither (TraceSink.details: a counting sink, which still gets every event). A device may
   * then skip building an args object or a port list on a hot path; it must still call emit()
   * exactly as it would, since the count numbers every later event, and give a sentence it gives
   * as text as before.
   */
  readonly tracing: boolean;
  /** The device's display name (label or id). */
  name(deviceId: string): string;
  /**
   * Records an event. The context reads `event` during the call and keeps no reference to it, so a
   * hot path may fill one object over and over instead of making one per event.
   */
  emit(event: EmittedEvent): void;
  /** Whether a cable is plugged into the port. */
  isConnected(port: string): boolean;
  /**
   * The ports of `ports` that have a link (isConnected), in order, frozen: the ports a flood goes out
   * of. `ports` must be a list the device keeps (its configuration): the engine works the answer
   * out once per list, with the ports' links, so that relayAll over it looks nothing up.
   */
  linkedPorts(ports: readonly string[]): readonly string[];
  /**
   * Sends a new frame (a host originating traffic): the frame is its own origin. Returns its id (its
   * origin and loop record's key, for `copy`), undefined when the port has no link. So do relay and sendRouted.
   */
  send(port: string, bytes: Uint8Array): number | undefined;
  /** Sends a copy of the frame being handled (hubs and bridges): it keeps its origin and its loop record (storm detection). */
  relay(port: string, bytes: Uint8Array): number | undefined;
  /**
   * relay() out of every port of `ports` but the one at index `skip` (-1: none), in order: a hub's
   * or a bridge's flood, in one call. `ports` must be a list linkedPorts gave: the engine
   * remembers its links by the list.
   */
  relayAll(ports: readonly string[], skip: number, bytes: Uint8Array): void;
  /**
   * Sends a frame a router made to forward a packet (ip_forward → ip_output: new MACs, TTL − 1).
   * It keeps `origin` (by default the frame being handled's) so that the trace ties it to the frame
   * its host first sent, but starts a loop record of its own: a routing loop ends by TTL, it is not
   * a layer-2 storm.
   */
  sendRouted(port: string, bytes: Uint8Array, origin?: number): number | undefined;
  /**
   * Sends another copy of a frame this device has just sent with send or sendRouted (a bridge
   * flooding a frame its own interface sent or routed: br_dev_xmit → br_flood): it keeps that
   * frame's loop record (`loop`, the id send or sendRouted returned) and origin (`origin`: the same
   * id after send, the origin sendRouted kept).
   */
  copy(port: string, bytes: Uint8Array, loop: number, origin: number): number | undefined;
  setTimer(delay: number, timer: Timer): void;
  /** Removes this device's pending timers that match. */
  cancelTimers(match: (timer: Timer) => boolean): void;
  /** Records the outcome of an action (a ping answered, an ARP resolved or not). */
  finishAction(actionId: number, ok: boolean, reason: ReasonCode, text: string): void;
}
