// What a device may do while it handles a frame, a timer or an action: the engine's side of the
// contract. Devices never touch the queue, the clock or the trace directly.

import type { ReasonCode, TraceKind } from '../trace';
import type { HostTimer } from './host';

export interface EmittedEvent {
  kind: TraceKind;
  reason: ReasonCode;
  text: string;
  port?: string;
  frame?: Uint8Array;
  ports?: string[];
}

export interface DeviceContext {
  /** Virtual time, milliseconds. */
  readonly now: number;
  /** The action the current work descends from, if any. */
  readonly actionId: number | undefined;
  /** The device's display name (label or id). */
  name(deviceId: string): string;
  emit(event: EmittedEvent): void;
  /** Whether a cable is plugged into the port. */
  isConnected(port: string): boolean;
  /** Sends a new frame (a host originating traffic). */
  send(port: string, bytes: Uint8Array): void;
  /** Sends a copy of the frame being handled (hubs and bridges): it keeps its origin, for loop detection. */
  relay(port: string, bytes: Uint8Array): void;
  setTimer(delay: number, timer: HostTimer): void;
  /** Removes this device's pending timers that match. */
  cancelTimers(match: (timer: HostTimer) => boolean): void;
  /** Records the outcome of an action (a ping answered, an ARP resolved or not). */
  finishAction(actionId: number, ok: boolean, reason: ReasonCode, text: string): void;
}
