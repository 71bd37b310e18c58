// A device context for driving one device's code directly in a test: it records what the device
// emits, sends, relays and schedules, at a time the test sets (record.now).

import type { DeviceContext, EmittedEvent } from '../../src/sim/devices/context';
import type { HostTimer } from '../../src/sim/devices/host';

export function recorder() {
  const record = { events: [] as EmittedEvent[], sent: [] as Array<{ port: string; frame: Uint8Array; origin?: number }>, relayed: [] as Array<{ port: string; frame: Uint8Array }>, timers: [] as HostTimer[], now: 0 };
  const ctx: DeviceContext<HostTimer> = {
    get now() {
      return record.now;
    },
    actionId: undefined,
    origin: undefined,
    // The events are the point of these tests: they are recorded.
    tracing: true,
    name: (id) => id,
    // A copy: emit keeps no reference, and a device may reuse its event object (DeviceContext.emit).
    emit: (e) => void record.events.push({ ...e }),
    isConnected: () => true,
    linkedPorts: (ports) => ports,
    send: (port, frame) => void record.sent.push({ port, frame }),
    relay: (port, frame) => void record.relayed.push({ port, frame }),
    relayAll: (ports, skip, frame) => ports.forEach((port, i) => i !== skip && record.relayed.push({ port, frame })),
    sendRouted: (port, frame, origin) => void record.sent.push({ port, frame, origin }),
    copy: (port, frame, _loop, origin) => void record.sent.push({ port, frame, origin }),
    setTimer: (_delay, timer) => void record.timers.push(timer),
    cancelTimers: (match) => void (record.timers = record.timers.filter((t) => !match(t))),
    finishAction: () => {},
  };
  return { record, ctx };
}
