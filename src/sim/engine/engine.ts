// The discrete-event engine: builds the state from a scenario and processes one queue item at a
// time in virtual time. Pure functions over plain state; the trace goes to a sink the caller owns.

import type { DeviceContext, EmittedEvent } from '../devices/context';
import { createBridge, bridgeReceive } from '../devices/learning-bridge';
import { createHost, hostArping, hostPing, hostReceive, hostSendRaw, hostTimer, type HostState, type HostTimer } from '../devices/host';
import { createHub, hubReceive } from '../devices/hub';
import { actionTimes, splitEndpoint, type Scenario, type TrafficAction } from '../scenario/format';
import type { ReasonCode, TraceEvent } from '../trace';
import { describeFrame } from '../wire/describe';
import { parseIpv4Address } from '../wire/ipv4-address';
import { BROADCAST_MAC, parseMacAddress } from '../wire/mac-address';
import { queuePop, queuePush, queueRemove } from './event-queue';
import { freezeConfiguration, writableDevice, type ActionRecord, type DeviceState, type FrameArrival, type LinkState, type QueueItem, type SimState } from './state';

/** Every cable takes 1 ms: slow enough that each hop gets its own moment in the player. */
export const LINK_DELAY_MS = 1;
/** Copies of one frame, once it has gone round a loop, after which the run stops as a storm. */
export const DEFAULT_STORM_THRESHOLD = 64;

export interface EngineOptions {
  /** Seed for the values a real stack picks at random (IP identification, ping identifier). */
  seed?: number;
  stormThreshold?: number;
}

export type TraceSink = (event: Omit<TraceEvent, 'index'>) => void;

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
  }
}

export function buildState(scenario: Scenario, options: EngineOptions = {}): SimState {
  const deviceOrder: string[] = [];
  const links: LinkState[] = [];
  const portLinks = new Map<string, number>();
  const state: SimState = {
    time: 0,
    step: 0,
    seq: 0,
    nextFrameId: 1,
    nextActionId: 1,
    queue: [],
    devices: new Map(),
    deviceOrder,
    links,
    portLinks,
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
        device = createBridge(spec);
        break;
    }
    freezeConfiguration(device);
    state.devices.set(spec.id, device);
    deviceOrder.push(spec.id);
  }
  for (const link of scenario.links) {
    const index = links.length;
    links.push({ a: splitEndpoint(link.a), b: splitEndpoint(link.b), delay: LINK_DELAY_MS });
    portLinks.set(link.a, index);
    portLinks.set(link.b, index);
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
  return record.id;
}

/** Processes the next queue item. Returns false when there is nothing to do or the run is halted. */
export function processNext(state: SimState, sink: TraceSink, names: ReadonlyMap<string, string>, options: EngineOptions = {}): boolean {
  if (state.halted) return false;
  const item = queuePop(state.queue);
  if (!item) return false;
  state.time = item.time;
  state.step += 1;
  switch (item.type) {
    case 'arrival':
      deliverArrival(state, item, sink, names, options);
      break;
    case 'timer': {
      const device = writableDevice(state, item.device) as HostState;
      hostTimer(makeContext(state, sink, names, options, item.device, item.actionId, undefined), device, item.timer);
      break;
    }
    case 'action':
      startAction(state, state.actions[item.actionId]!, sink, names, options);
      break;
  }
  return true;
}

function deliverArrival(state: SimState, item: FrameArrival, sink: TraceSink, names: ReadonlyMap<string, string>, options: EngineOptions): void {
  const origin = state.origins.get(item.originId);
  const ctx = makeContext(state, sink, names, options, item.device, item.actionId, item);
  ctx.emit({ kind: 'receive', reason: 'frame-arrived', port: item.port, frame: item.bytes, text: `${ctx.name(item.device)} receives the frame on ${item.port}.` });
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
  const ctx = makeContext(state, sink, names, options, action.from, record.id, undefined);
  const sender = state.devices.get(action.from);
  if (!sender || sender.kind !== 'host') {
    ctx.finishAction(record.id, false, 'unsupported', `${action.from} is not a host: only hosts send traffic.`);
    return;
  }
  const host = writableDevice(state, action.from) as HostState;
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
  if (action.do === 'ping') hostPing(ctx, host, record.id, ip.ip);
  else hostArping(ctx, host, record.id, ip.ip);
}

/** A traffic target: an IPv4 address as written, or a host's first IPv4 address. */
export function resolveIp(state: SimState, to: string): { ip: string } | { error: string } {
  const literal = parseIpv4Address(to);
  if (literal) return { ip: literal };
  const device = state.devices.get(to);
  if (!device) return { error: `"${to}" is neither a device nor an IPv4 address.` };
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

function makeContext(
  state: SimState,
  sink: TraceSink,
  names: ReadonlyMap<string, string>,
  options: EngineOptions,
  deviceId: string,
  actionId: number | undefined,
  arrival: FrameArrival | undefined,
): DeviceContext {
  return new StepContext(state, sink, names, options.stormThreshold ?? DEFAULT_STORM_THRESHOLD, deviceId, actionId, arrival);
}

/** The engine's side of DeviceContext for one device handling one queue item. */
class StepContext implements DeviceContext {
  readonly now: number;

  constructor(
    private readonly state: SimState,
    private readonly sink: TraceSink,
    private readonly names: ReadonlyMap<string, string>,
    private readonly stormThreshold: number,
    private readonly deviceId: string,
    readonly actionId: number | undefined,
    private readonly arrival: FrameArrival | undefined,
  ) {
    this.now = state.time;
  }

  name(id: string): string {
    return this.names.get(id) ?? id;
  }

  emit(event: EmittedEvent): void {
    this.emitFor(this.deviceId, event);
  }

  isConnected(port: string): boolean {
    return this.state.portLinks.has(`${this.deviceId}:${port}`);
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
  }

  cancelTimers(match: (timer: HostTimer) => boolean): void {
    queueRemove(this.state.queue, (item) => item.type === 'timer' && item.device === this.deviceId && match(item.timer));
  }

  finishAction(id: number, ok: boolean, reason: ReasonCode, text: string): void {
    const record = this.state.actions[id];
    if (!record || record.outcome) return;
    record.outcome = { ok, time: this.state.time, text };
    this.sink({ step: this.state.step, time: this.state.time, device: record.action.from, kind: 'result', reason, actionId: id, text: `${record.label}: ${text}` });
  }

  private emitFor(device: string, event: EmittedEvent): void {
    const full: Omit<TraceEvent, 'index'> = { step: this.state.step, time: this.state.time, device, ...event };
    if (this.actionId !== undefined) full.actionId = this.actionId;
    this.sink(full);
  }

  private transmit(port: string, bytes: Uint8Array, originId: number | undefined): void {
    const { state, deviceId, actionId } = this;
    const endpoint = `${deviceId}:${port}`;
    const linkIndex = state.portLinks.get(endpoint);
    if (linkIndex === undefined) {
      this.emit({ kind: 'drop', reason: 'no-cable', port, frame: bytes, text: `${this.name(deviceId)}'s ${port} has no cable: the frame goes nowhere.` });
      return;
    }
    const link = state.links[linkIndex]!;
    const peer = link.a.device === deviceId && link.a.port === port ? link.b : link.a;
    const frameId = state.nextFrameId++;
    const origin = originId ?? frameId;
    let record = state.origins.get(origin);
    if (!record) {
      record = { crossings: new Set(), copies: 0, inFlight: 0, loopReported: false };
      state.origins.set(origin, record);
    }
    const crossing = `${linkIndex}>${endpoint}`;
    const looped = record.crossings.has(crossing);
    record.crossings.add(crossing);
    record.copies += 1;
    record.inFlight += 1;
    const sent: Omit<TraceEvent, 'index'> = {
      step: state.step, time: state.time, device: deviceId, kind: 'transmit', reason: 'transmit', port, frame: bytes, frameId, peer: { ...peer },
      text: `${this.name(deviceId)} sends ${summaryOf(bytes)} out of ${port}, towards ${this.name(peer.device)}.`,
    };
    if (actionId !== undefined) sent.actionId = actionId;
    this.sink(sent);
    const item: FrameArrival = { type: 'arrival', time: state.time + link.delay, seq: state.seq++, frameId, originId: origin, device: peer.device, port: peer.port, from: { device: deviceId, port }, link: linkIndex, bytes };
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
  sink({ step: state.step, time: state.time, device: '', kind: 'halt', reason: 'event-budget', text });
}
