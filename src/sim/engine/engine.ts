// The discrete-event engine: builds the state from a scenario and processes one queue item at a
// time in virtual time. Pure functions over plain state; the trace goes to a sink the caller owns.

import type { DeviceContext, EmittedEvent } from '../devices/context';
import { bridgeLocalStack, bridgeReceive, bridgeTimer, createBridge } from '../devices/learning-bridge';
import { createHost, hostArping, hostPing, hostReceive, hostSendRaw, hostSendUdp, hostTimer, type HostState, type HostTimer } from '../devices/host';
import { createHub, hubReceive } from '../devices/hub';
import { actionTimes, splitEndpoint, type Scenario, type TrafficAction } from '../scenario/format';
import type { ReasonCode, TraceEvent } from '../trace';
import { describeFrame } from '../wire/describe';
import { parseIpv4Address } from '../wire/ipv4-address';
import { BROADCAST_MAC, parseMacAddress } from '../wire/mac-address';
import { queuePop, queuePush } from './event-queue';
import type { BridgeState } from '../devices/learning-bridge';
import { freezeConfiguration, writableDevice, type ActionRecord, type DeviceState, type FrameArrival, type LinkState, type QueueItem, type SimState, type TimerItem } from './state';

/** Every cable takes 1 ms: slow enough that each hop gets its own moment in the player. */
export const LINK_DELAY_MS = 1;
/** Copies of one frame, once it has gone round a loop, after which the run stops as a storm. */
export const DEFAULT_STORM_THRESHOLD = 64;

export interface EngineOptions {
  /** Seed for the values a real stack picks at random (IP identification, ping identifier). */
  seed?: number;
  stormThreshold?: number;
}

/**
 * Where the engine puts each event. The event comes with `index` 0 (first, so that its keys keep
 * their order): a sink that keeps it sets its position, without copying the event.
 */
export type TraceSink = (event: TraceEvent) => void;

/** The sink of a run nobody reads the trace of (a replay, a headless run): the engine then builds none of its own events. */
export const discardTrace: TraceSink = () => {};

/** mulberry32: small, fast, and good enough for picking identifiers. */
function nextRandom(state: { rng: number }): number {
  state.rng = (state.rng + 0x6d2b79f5) | 0;
  let t = state.rng;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

export function defaultActionLabel(action: TrafficAction): string {
  switch (action.do) {
    case 'ping':
      return `${action.from} pings ${action.to}`;
    case 'arp':
      return `${action.from} asks who has ${action.to} (ARP)`;
    case 'raw':
      return action.to === 'broadcast' ? `${action.from} sends a broadcast frame` : `${action.from} sends a raw frame to ${action.to}`;
    case 'udp':
      return `${action.from} sends a UDP datagram to ${action.to}:${action.port}`;
  }
}

export function buildState(scenario: Scenario, options: EngineOptions = {}): SimState {
  const deviceOrder: string[] = [];
  const links: LinkState[] = [];
  const portLinks = new Map<string, number>();
  const devicePorts = new Map<string, Map<string, number>>();
  const state: SimState = {
    time: 0,
    step: 0,
    seq: 0,
    nextFrameId: 1,
    nextActionId: 1,
    queue: [],
    timers: new Map(),
    cancelled: new Set(),
    devices: new Map(),
    deviceOrder,
    links,
    portLinks,
    devicePorts,
    origins: new Map(),
    actions: {},
    halted: null,
    rng: (options.seed ?? 1) | 0,
  };
  for (const spec of scenario.devices) {
    let device: DeviceState;
    switch (spec.kind) {
      case 'host':
      case 'router':
        device = createHost(spec, () => nextRandom(state));
        break;
      case 'hub':
        device = createHub(spec);
        break;
      case 'bridge':
      case 'switch':
        device = createBridge(spec, () => nextRandom(state));
        break;
    }
    freezeConfiguration(device);
    state.devices.set(spec.id, device);
    deviceOrder.push(spec.id);
  }
  for (const link of scenario.links) {
    const index = links.length;
    // Frozen: every transmit event names its cable's far end with this very object.
    const a = Object.freeze(splitEndpoint(link.a));
    const b = Object.freeze(splitEndpoint(link.b));
    links.push({ a, b, delay: LINK_DELAY_MS });
    portLinks.set(link.a, index);
    portLinks.set(link.b, index);
    for (const end of [a, b]) {
      let ports = devicePorts.get(end.device);
      if (!ports) devicePorts.set(end.device, (ports = new Map()));
      ports.set(end.port, index);
    }
  }
  const times = actionTimes(scenario.traffic);
  scenario.traffic.forEach((action, i) => {
    const record = registerAction(state, action, times[i]!);
    queuePush(state.queue, { type: 'action', time: record.at, seq: state.seq++, actionId: record.id });
  });
  return state;
}

function registerAction(state: SimState, action: TrafficAction, at: number): ActionRecord {
  const id = state.nextActionId++;
  const record: ActionRecord = { id, action, label: action.label ?? defaultActionLabel(action), at };
  state.actions[id] = record;
  return record;
}

/** Adds an action (the reader's "Send packet") and starts it now, as one step. The state keeps `action`: pass a copy the caller will not change. */
export function injectAction(state: SimState, action: TrafficAction, sink: TraceSink, names: ReadonlyMap<string, string>, options: EngineOptions = {}): number {
  const record = registerAction(state, action, state.time);
  state.step += 1;
  startAction(state, record, sink, names, options);
  dropCancelledHead(state);
  return record.id;
}

/** Processes the next queue item. Returns false when there is nothing to do or the run is halted. */
export function processNext(state: SimState, sink: TraceSink, names: ReadonlyMap<string, string>, options: EngineOptions = {}): boolean {
  if (state.halted) return false;
  dropCancelledHead(state);
  const item = queuePop(state.queue);
  if (!item) return false;
  if (item.type === 'timer') forgetTimer(state, item);
  state.time = item.time;
  state.step += 1;
  switch (item.type) {
    case 'arrival':
      deliverArrival(state, item, sink, names, options);
      break;
    case 'timer': {
      const device = writableDevice(state, item.device)!;
      const ctx = makeContext(state, sink, names, options, item.device, item.actionId, undefined);
      // A bridge's timers are its local interface's (learning-bridge.ts: bridgeTimer).
      if (device.kind === 'bridge' || device.kind === 'switch') bridgeTimer(ctx, device, item.timer);
      else hostTimer(ctx, device as HostState, item.timer);
      break;
    }
    case 'action':
      startAction(state, state.actions[item.actionId]!, sink, names, options);
      break;
  }
  dropCancelledHead(state);
  return true;
}

/**
 * Cancelled timers stay in the heap until they reach its root (lazy cancellation: no search of
 * the whole queue per cancel); this pops them there, after every step, so that the root is
 * always live: the next item to process, what peekNext() shows, and an empty queue means idle.
 */
function dropCancelledHead(state: SimState): void {
  const { queue, cancelled } = state;
  while (cancelled.size > 0 && queue.length > 0 && cancelled.delete(queue[0]!.seq)) queuePop(queue);
}

/** Removes a timer from its device's pending list, once it fires or is cancelled. */
function forgetTimer(state: SimState, item: TimerItem): void {
  const pending = state.timers.get(item.device);
  if (!pending) return;
  const i = pending.indexOf(item);
  if (i >= 0) pending.splice(i, 1);
  if (pending.length === 0) state.timers.delete(item.device);
}

function deliverArrival(state: SimState, item: FrameArrival, sink: TraceSink, names: ReadonlyMap<string, string>, options: EngineOptions): void {
  const origin = state.origins.get(item.originId);
  const ctx = makeContext(state, sink, names, options, item.device, item.actionId, item);
  if (sink !== discardTrace) ctx.emit({ kind: 'receive', reason: 'frame-arrived', port: item.port, frame: item.bytes, text: `${ctx.name(item.device)} receives the frame on ${item.port}.` });
  const device = writableDevice(state, item.device)!;
  switch (device.kind) {
    case 'host':
    case 'router':
      hostReceive(ctx, device, item.port, item.bytes);
      break;
    case 'hub':
      hubReceive(ctx, device, item.port, item.bytes);
      break;
    case 'bridge':
    case 'switch':
      bridgeReceive(ctx, device, item.port, item.bytes);
      break;
  }
  if (origin) {
    origin.inFlight -= 1;
    if (origin.inFlight === 0 && !state.halted) state.origins.delete(item.originId);
  }
}

function startAction(state: SimState, record: ActionRecord, sink: TraceSink, names: ReadonlyMap<string, string>, options: EngineOptions): void {
  const action = record.action;
  let ctx = makeContext(state, sink, names, options, action.from, record.id, undefined);
  const sender = state.devices.get(action.from);
  const fromBridge = sender?.kind === 'bridge' && sender.local !== undefined;
  if (!sender || (sender.kind !== 'host' && !fromBridge)) {
    ctx.finishAction(record.id, false, 'unsupported', `${action.from} is not a host: only hosts (and bridges with a local interface) send traffic.`);
    return;
  }
  // A bridge sends from its local interface's host stack, through br_dev_xmit (learning-bridge.ts).
  const local = fromBridge ? bridgeLocalStack(ctx, writableDevice(state, action.from) as BridgeState) : null;
  const host = local ? local.host : (writableDevice(state, action.from) as HostState);
  if (local) ctx = local.ctx;
  if (action.do === 'raw') {
    const mac = resolveMac(state, action.to);
    if ('error' in mac) {
      ctx.finishAction(record.id, false, 'unsupported', mac.error);
      return;
    }
    hostSendRaw(ctx, host, record.id, mac.mac, action.payload ?? 'hello');
    return;
  }
  const ip = resolveIp(state, action.to);
  if ('error' in ip) {
    ctx.finishAction(record.id, false, 'unsupported', ip.error);
    return;
  }
  // The action's own optional fields (size, mtuDiscovery; port, sourcePort) are the options.
  if (action.do === 'ping') hostPing(ctx, host, record.id, ip.ip, action);
  else if (action.do === 'udp') hostSendUdp(ctx, host, record.id, ip.ip, action);
  else hostArping(ctx, host, record.id, ip.ip);
}

/** A traffic target: an IPv4 address as written, or a host's first IPv4 address. */
export function resolveIp(state: SimState, to: string): { ip: string } | { error: string } {
  const literal = parseIpv4Address(to);
  if (literal) return { ip: literal };
  const device = state.devices.get(to);
  if (!device) return { error: `"${to}" is neither a device nor an IPv4 address.` };
  if (device.kind === 'bridge' && device.local !== undefined) return { ip: device.local.nics[0]!.ip! };
  if (device.kind !== 'host' && device.kind !== 'router') return { error: `${to} is a ${device.kind} and has no IPv4 address.` };
  const nic = device.nics.find((n) => n.ip !== undefined);
  return nic ? { ip: nic.ip! } : { error: `${to} has no IPv4 address.` };
}

/** A raw frame's destination: "broadcast", a MAC as written, or a host's first MAC. */
export function resolveMac(state: SimState, to: string): { mac: string } | { error: string } {
  if (to === 'broadcast') return { mac: BROADCAST_MAC };
  const literal = parseMacAddress(to);
  if (literal) return { mac: literal };
  const device = state.devices.get(to);
  if (!device) return { error: `"${to}" is neither a device, a MAC address nor "broadcast".` };
  if (device.kind !== 'host' && device.kind !== 'router') return { error: `${to} is a ${device.kind} and has no MAC address of its own.` };
  return { mac: device.nics[0]!.mac };
}

/** A frame's one-line summary, computed once per distinct frame: relayed copies share their bytes. */
const summaries = new WeakMap<Uint8Array, string>();
function summaryOf(bytes: Uint8Array): string {
  let summary = summaries.get(bytes);
  if (summary === undefined) {
    summary = describeFrame(bytes).summary;
    summaries.set(bytes, summary);
  }
  return summary;
}

/**
 * One context per state, reused for every queue item: a step hands it to one device at a time and
 * no device keeps it after returning, so there is no need for a new object per item. Rebuilt when
 * the sink, names or options change (a replay uses another sink). Weak: it goes with its state.
 */
const contexts = new WeakMap<SimState, StepContext>();

function makeContext(
  state: SimState,
  sink: TraceSink,
  names: ReadonlyMap<string, string>,
  options: EngineOptions,
  deviceId: string,
  actionId: number | undefined,
  arrival: FrameArrival | undefined,
): DeviceContext {
  let ctx = contexts.get(state);
  if (ctx === undefined || ctx.sink !== sink || ctx.names !== names || ctx.options !== options) {
    ctx = new StepContext(state, sink, names, options);
    contexts.set(state, ctx);
  }
  ctx.begin(deviceId, actionId, arrival);
  return ctx;
}

const NO_PORTS: ReadonlyMap<string, number> = new Map();

/** Fails to compile when EmittedEvent gains a field that emitFor does not copy into the trace event. */
const emitForCopiesEveryField: [Exclude<keyof EmittedEvent, 'kind' | 'reason' | 'text' | 'port' | 'frame' | 'ports'>] extends [never] ? true : never = true;
void emitForCopiesEveryField;

/** The engine's side of DeviceContext for one device handling one queue item (begin() says which). */
class StepContext implements DeviceContext {
  now = 0;
  actionId: number | undefined = undefined;
  private readonly stormThreshold: number;
  /** Nobody reads this trace: build no event. */
  private readonly silent: boolean;
  private deviceId = '';
  /** The device's ports with a cable, by name → link index (the topology's, built once). */
  private ports: ReadonlyMap<string, number> = NO_PORTS;
  private arrival: FrameArrival | undefined = undefined;

  constructor(
    readonly state: SimState,
    readonly sink: TraceSink,
    readonly names: ReadonlyMap<string, string>,
    readonly options: EngineOptions,
  ) {
    this.stormThreshold = options.stormThreshold ?? DEFAULT_STORM_THRESHOLD;
    this.silent = sink === discardTrace;
  }

  begin(deviceId: string, actionId: number | undefined, arrival: FrameArrival | undefined): void {
    this.now = this.state.time;
    this.deviceId = deviceId;
    this.ports = this.state.devicePorts.get(deviceId) ?? NO_PORTS;
    this.actionId = actionId;
    this.arrival = arrival;
  }

  name(id: string): string {
    return this.names.get(id) ?? id;
  }

  emit(event: EmittedEvent): void {
    this.emitFor(this.deviceId, event);
  }

  isConnected(port: string): boolean {
    return this.ports.has(port);
  }

  send(port: string, bytes: Uint8Array): void {
    this.transmit(port, bytes, undefined);
  }

  relay(port: string, bytes: Uint8Array): void {
    this.transmit(port, bytes, this.arrival?.originId);
  }

  setTimer(delay: number, timer: HostTimer): void {
    const item: QueueItem = { type: 'timer', time: this.state.time + delay, seq: this.state.seq++, device: this.deviceId, timer };
    if (this.actionId !== undefined) item.actionId = this.actionId;
    queuePush(this.state.queue, item);
    const pending = this.state.timers.get(this.deviceId);
    if (pending) pending.push(item);
    else this.state.timers.set(this.deviceId, [item]);
  }

  cancelTimers(match: (timer: HostTimer) => boolean): void {
    const { state, deviceId } = this;
    const pending = state.timers.get(deviceId);
    if (!pending) return;
    // Marked, not removed: the heap drops a cancelled timer when it reaches the root (dropCancelledHead).
    let kept = 0;
    for (const item of pending) {
      if (match(item.timer)) state.cancelled.add(item.seq);
      else pending[kept++] = item;
    }
    pending.length = kept;
    if (kept === 0) state.timers.delete(deviceId);
  }

  finishAction(id: number, ok: boolean, reason: ReasonCode, text: string): void {
    const record = this.state.actions[id];
    if (!record || record.outcome) return;
    record.outcome = { ok, time: this.state.time, text };
    if (this.silent) return;
    this.sink({ index: 0, step: this.state.step, time: this.state.time, device: record.action.from, kind: 'result', reason, actionId: id, text: `${record.label}: ${text}` });
  }

  private emitFor(device: string, event: EmittedEvent): void {
    if (this.silent) return;
    // Field by field, not `{ ..., ...event }`: a spread after other fields is a slow generic copy
    // in V8, once per event. An optional field is set only when the device gave it.
    const full: TraceEvent = { index: 0, step: this.state.step, time: this.state.time, device, kind: event.kind, reason: event.reason, text: event.text };
    if (event.port !== undefined) full.port = event.port;
    if (event.frame !== undefined) full.frame = event.frame;
    if (event.ports !== undefined) full.ports = event.ports;
    if (this.actionId !== undefined) full.actionId = this.actionId;
    this.sink(full);
  }

  private transmit(port: string, bytes: Uint8Array, originId: number | undefined): void {
    const { state, deviceId, actionId } = this;
    const linkIndex = this.ports.get(port);
    if (linkIndex === undefined) {
      this.emit({ kind: 'drop', reason: 'no-cable', port, frame: bytes, text: `${this.name(deviceId)}'s ${port} has no cable: the frame goes nowhere.` });
      return;
    }
    const link = state.links[linkIndex]!;
    const fromA = link.a.device === deviceId && link.a.port === port;
    const peer = fromA ? link.b : link.a;
    const frameId = state.nextFrameId++;
    const origin = originId ?? frameId;
    let record = state.origins.get(origin);
    if (!record) {
      record = { crossings: new Uint8Array((2 * state.links.length + 7) >> 3), copies: 0, inFlight: 0, loopReported: false };
      state.origins.set(origin, record);
    }
    // One bit per (cable, direction): a copy crossing the same cable the same way again went round a loop.
    const crossing = 2 * linkIndex + (fromA ? 0 : 1);
    const bit = 1 << (crossing & 7);
    const looped = (record.crossings[crossing >> 3]! & bit) !== 0;
    record.crossings[crossing >> 3]! |= bit;
    record.copies += 1;
    record.inFlight += 1;
    if (!this.silent) {
      // `peer` is the link's own frozen endpoint, shared by every event about that cable.
      const sent: TraceEvent = {
        index: 0, step: state.step, time: state.time, device: deviceId, kind: 'transmit', reason: 'transmit', port, frame: bytes, frameId, peer,
        text: `${this.name(deviceId)} sends ${summaryOf(bytes)} out of ${port}, towards ${this.name(peer.device)}.`,
      };
      if (actionId !== undefined) sent.actionId = actionId;
      this.sink(sent);
    }
    const item: FrameArrival = { type: 'arrival', time: state.time + link.delay, seq: state.seq++, frameId, originId: origin, device: peer.device, port: peer.port, from: fromA ? link.a : link.b, link: linkIndex, bytes };
    if (actionId !== undefined) item.actionId = actionId;
    queuePush(state.queue, item);

    if (looped && !record.loopReported) {
      record.loopReported = true;
      this.emit({
        kind: 'loop', reason: 'loop-detected', port, frame: bytes,
        text: `A copy of this frame already crossed the cable from ${this.name(deviceId)}'s ${port} to ${this.name(peer.device)}'s ${peer.port}: it has gone round a loop. Without the Spanning Tree Protocol nothing ever removes it.`,
      });
    }
    if (record.loopReported && record.copies >= this.stormThreshold && !state.halted) {
      const elapsed = state.time - (state.actions[actionId ?? -1]?.at ?? state.time);
      const text = `Broadcast storm: one frame has been copied ${record.copies} times in ${elapsed} ms and keeps circling the loop. Without STP a real network stays saturated until a cable is pulled; the simulation stops here.`;
      state.halted = { reason: 'broadcast-storm', time: state.time, text };
      this.emit({ kind: 'halt', reason: 'broadcast-storm', text });
    }
  }
}

/** Stops a run that used up its step budget, saying so in the trace. */
export function haltForBudget(state: SimState, budget: number, sink: TraceSink): void {
  if (state.halted) return;
  const text = `Stopped after ${budget} steps with frames still in flight: the event budget of one run is used up. A loop or a very large topology can cause this.`;
  state.halted = { reason: 'event-budget', time: state.time, text };
  sink({ index: 0, step: state.step, time: state.time, device: '', kind: 'halt', reason: 'event-budget', text });
}
