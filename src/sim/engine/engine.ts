// The discrete-event engine: builds the state from a scenario and processes one queue item at a
// time in virtual time. Pure functions over plain state; the trace goes to a sink the caller owns.

import type { DeviceContext, EmittedEvent } from '../devices/context';
import { deviceType, sendFrom } from '../devices/registry';
import { actionFailureText, budgetText, stormText, TracedEvent, type ActionFailureReason } from '../narrate';
import { actionTimes, splitEndpoint, stackedLinks, type Scenario, type TrafficAction } from '../scenario/format';
import type { ActionFailure, ReasonArgs, ReasonCode, ResultArgs, TraceArgs, TraceKind } from '../trace';
import { padToMinimum } from '../wire/ethernet';
import { parseIpv4Address } from '../wire/ipv4-address';
import { BROADCAST_MAC, parseMacAddress } from '../wire/mac-address';
import { createQueue, queuePeek, queuePop, queuePush } from './event-queue';
import { crossedBefore, DeviceTable, NO_CROSSINGS, freezeConfiguration, releaseCrossings, writableDevice, type ActionRecord, type DeviceState, type FrameArrival, type LinkState, type SimState, type TimerItem } from './state';

/** Every link, cable or veth pair, takes 1 ms: slow enough that each hop gets its own moment in the player (a real veth is immediate). */
export const LINK_DELAY_MS = 1;
/** Copies of one frame, once it has gone round a loop, after which the run stops as a storm. */
export const DEFAULT_STORM_THRESHOLD = 64;

export interface EngineOptions {
  /** Seed for the values a real stack picks at random (IP identification, ping identifier). */
  seed?: number;
  stormThreshold?: number;
}

/**
 * One event as the engine hands it to a sink: every field of a TraceEvent but its sentence's
 * narration (`text` is the sentence the device gave ready, else undefined: a narrator writes it).
 * The engine fills one such record over and over: a sink copies what it keeps, and keeps no reference.
 */
export interface RawEvent {
  index: number;
  step: number;
  time: number;
  device: string;
  /**
   * The device's DeviceTable slot, its place in the scenario's device order (the same in every copy
   * of the state), or -1 when the engine does not have it at hand: a store can key the event by it
   * without looking the name up.
   */
  slot: number;
  kind: TraceKind;
  reason: ReasonCode;
  text: string | undefined;
  port: string | undefined;
  /**
   * The cable end `port` is, when the event is about one (a transmit, a receive): 2 × the link's
   * index, + 1 for its end b; -1 otherwise. A transmit's `peer` is then the other end (end ^ 1).
   */
  end: number;
  frameId: number | undefined;
  frame: Uint8Array | undefined;
  ports: readonly string[] | undefined;
  peer: { device: string; port: string } | undefined;
  actionId: number | undefined;
  cause: number | undefined;
  origin: number | undefined;
  args: TraceArgs | undefined;
}

/**
 * Where the engine puts each event, with its `index` set: its position in the whole trace of the
 * run (state.emitted), which a sink that keeps every event from the start finds equal to its own.
 */
export interface TraceSink {
  record(event: Readonly<RawEvent>): void;
  /**
   * false: the sink reads no event's sentence that a device would have to write for it, so a
   * sentence given as a function (EmittedEvent.text) is not written and `text` is undefined there
   * (a sentence given as text is still handed over). A counting sink (the ToR experiment) says so.
   */
  readonly sentences?: false;
  /**
   * false: the sink reads no event's `args` nor `ports` (nor, so, a sentence written from them:
   * as `sentences: false`), so devices are told not to build them (DeviceContext.tracing is false)
   * while every event is still recorded; a sentence a device gives as text is still handed over.
   * A counting sink (the ToR experiment) says so.
   */
  readonly details?: false;
}

/** The sink of a run nobody reads the trace of (a replay, a headless run): the engine then builds none of its own events. */
export const discardTrace: TraceSink = { record() {} };

/** A sink that makes every event an object (a TracedEvent, narrated with `names` when read) and hands it to `take`. */
export function objectSink(names: ReadonlyMap<string, string>, take: (event: TracedEvent) => void): TraceSink {
  return { record: (raw) => take(tracedEvent(raw, names)) };
}

/** The event object of a raw event: the same fields, its sentence written when first read. */
export function tracedEvent(raw: Readonly<RawEvent>, names: ReadonlyMap<string, string>): TracedEvent {
  const event = new TracedEvent(raw.step, raw.time, raw.device, raw.kind, raw.reason, raw.text, names);
  event.index = raw.index;
  event.port = raw.port;
  event.frameId = raw.frameId;
  event.frame = raw.frame;
  event.ports = raw.ports;
  event.peer = raw.peer;
  event.actionId = raw.actionId;
  event.cause = raw.cause;
  event.origin = raw.origin;
  event.args = raw.args;
  return event;
}

function rawEvent(): RawEvent {
  return {
    index: 0, step: 0, time: 0, device: '', slot: -1, kind: 'halt', reason: 'event-budget', text: undefined, port: undefined, end: -1, frameId: undefined,
    frame: undefined, ports: undefined, peer: undefined, actionId: undefined, cause: undefined, origin: undefined, args: undefined,
  };
}

/** mulberry32: small, fast, and good enough for picking identifiers. */
function nextRandom(state: { rng: number }): number {
  state.rng = (state.rng + 0x6d2b79f5) | 0;
  let t = state.rng;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

export function defaultActionLabel(action: TrafficAction, names?: ReadonlyMap<string, string>): string {
  // Devices by the names their drawing shows (a target may also be an address, kept as typed).
  const from = names?.get(action.from) ?? action.from;
  const to = names?.get(action.to) ?? action.to;
  switch (action.do) {
    case 'ping':
      return `${from} pings ${to}`;
    case 'arp':
      return `${from} asks who has ${to} (ARP)`;
    case 'raw':
      return action.to === 'broadcast' ? `${from} sends a broadcast frame` : `${from} sends a raw frame to ${to}`;
    case 'udp':
      return `${from} sends a UDP datagram to ${to}:${action.port}`;
  }
}

export function buildState(scenario: Scenario, options: EngineOptions = {}): SimState {
  const deviceOrder: string[] = [];
  const links: LinkState[] = [];
  const devicePorts = new Map<string, Map<string, number>>();
  const state: SimState = {
    time: 0,
    step: 0,
    seq: 0,
    nextFrameId: 1,
    nextActionId: 1,
    emitted: 0,
    queue: createQueue(),
    timers: new Map(),
    cancelled: new Set(),
    devices: DeviceTable.of([]),
    deviceOrder,
    links,
    devicePorts,
    origins: new Map(),
    actions: {},
    halted: null,
    rng: (options.seed ?? 1) | 0,
  };
  const random = () => nextRandom(state);
  const devices: Array<[string, DeviceState]> = [];
  // A view of the scenario for this build alone: a device type may keep what it works out from the
  // whole scenario (a lower device's macvlan children) for this view, and so for this build only.
  const view: Pick<Scenario, 'devices'> = { devices: scenario.devices };
  for (const spec of scenario.devices) {
    const device = deviceType(spec.kind).create(spec, random, view);
    freezeConfiguration(device);
    devices.push([spec.id, device]);
    deviceOrder.push(spec.id);
  }
  state.devices = DeviceTable.of(devices);
  // A link to a device the scenario lacks (validation refuses one) gets slot -1, which no arrival reaches.
  const slotOf = (device: string) => state.devices.slot(device) ?? -1;
  const portsOf = (device: string): Map<string, number> => {
    let ports = devicePorts.get(device);
    if (!ports) devicePorts.set(device, (ports = new Map()));
    return ports;
  };
  // A link's ends name the device by its id as the state keeps it, and each port name once: the
  // names cut out of "vm1-2:eth0" were a new string each, kept for the run (a 10,000-VM fabric kept
  // 42,000 of them, most of them copies of a few).
  const portNames = new Map<string, string>();
  const endOf = (endpoint: string): Readonly<{ device: string; port: string }> => {
    const { device, port } = splitEndpoint(endpoint);
    const slot = slotOf(device);
    let name = portNames.get(port);
    if (name === undefined) portNames.set(port, (name = port));
    // Frozen: every transmit event names its cable's far end with this very object.
    return Object.freeze({ device: slot < 0 ? device : deviceOrder[slot]!, port: name });
  };
  for (const link of scenario.links) {
    const index = links.length;
    const a = endOf(link.a);
    const b = endOf(link.b);
    const portsA = portsOf(a.device);
    const portsB = portsOf(b.device);
    portsA.set(a.port, index);
    portsB.set(b.port, index);
    links.push({ a, b, delay: LINK_DELAY_MS, pads: link.type !== 'veth', portsA, portsB, slotA: slotOf(a.device), slotB: slotOf(b.device) });
  }
  // Each macvlan or ipvlan child's link to its parent's namespace, after the scenario's own links
  // (so a link's index is the same in the scenario and here): like a veth pair, it pads nothing.
  for (const stacked of stackedLinks(scenario)) {
    const index = links.length;
    const a = Object.freeze({ device: stacked.child.device, port: stacked.child.port });
    const b = Object.freeze({ device: stacked.parent.device, port: stacked.parent.upper });
    const portsA = portsOf(a.device);
    const portsB = portsOf(b.device);
    portsA.set(a.port, index);
    portsB.set(b.port, index);
    links.push({ a, b, delay: LINK_DELAY_MS, pads: false, portsA, portsB, slotA: slotOf(a.device), slotB: slotOf(b.device) });
  }
  // What a device would work out when its first frame comes (the ports a flood goes out of) is
  // worked out now, with the state: not inside the first broadcast through thousands of ports. A
  // context of its own, not the one steps use: thousands of calls here would have the JIT compile
  // that one for a build, and throw the code away on the first real step.
  for (let slot = 0; slot < deviceOrder.length; slot++) {
    const device = state.devices.at(slot);
    const prepare = deviceType(device.kind).prepare;
    if (prepare) {
      const id = deviceOrder[slot]!;
      const linkedTo = devicePorts.get(id) ?? NO_PORTS;
      prepare({ linkedPorts: (ports) => linkedPortsOf(id, linkedTo, ports) }, device);
    }
  }
  const times = actionTimes(scenario.traffic);
  const labelled = scenario.traffic.some((action) => action.label === undefined) ? new Map(scenario.devices.filter((d) => d.label !== undefined).map((d) => [d.id, d.label!])) : undefined;
  scenario.traffic.forEach((action, i) => {
    const record = registerAction(state, action, times[i]!, labelled);
    queuePush(state.queue, { type: 'action', time: record.at, seq: state.seq++, actionId: record.id });
  });
  return state;
}

function registerAction(state: SimState, action: TrafficAction, at: number, names?: ReadonlyMap<string, string>): ActionRecord {
  const id = state.nextActionId++;
  const record: ActionRecord = { id, action, label: action.label ?? defaultActionLabel(action, names), at };
  state.actions[id] = record;
  return record;
}

/** Adds an action (the reader's "Send packet") and starts it now, as one step. The state keeps `action`: pass a copy the caller will not change. */
export function injectAction(state: SimState, action: TrafficAction, sink: TraceSink, names: ReadonlyMap<string, string>, options: EngineOptions = {}): number {
  const record = registerAction(state, action, state.time, names);
  state.step += 1;
  startAction(state, record, sink, names, options);
  dropCancelledHead(state);
  return record.id;
}

/** Processes the next queue item. Returns false when there is nothing to do or the run is halted. */
/** Spare arrivals kept at most: a flood's worth (a 4,094-port bridge) is reused, not more. */
const MAX_SPARE_ARRIVALS = 4096;
const NO_BYTES = new Uint8Array(0);

/**
 * The options of a caller that gives none: one object, not a fresh `{}` per call, since a step's
 * context is kept while the options stay the same object (a new one per step made a context, and
 * its scratch event, for every step).
 */
const NO_OPTIONS: EngineOptions = Object.freeze({});

export function processNext(state: SimState, sink: TraceSink, names: ReadonlyMap<string, string>, options: EngineOptions = NO_OPTIONS): boolean {
  if (state.halted) return false;
  dropCancelledHead(state);
  const item = queuePop(state.queue);
  if (!item) return false;
  if (item.type === 'timer') forgetTimer(state, item);
  state.time = item.time;
  state.step += 1;
  switch (item.type) {
    case 'arrival': {
      deliverArrival(state, item, sink, names, options);
      const spares = state.spareArrivals;
      if (spares !== undefined && spares.length < MAX_SPARE_ARRIVALS) {
        // Its bytes are not kept alive by the spare (a frame is garbage once no event or queue item holds it).
        item.bytes = NO_BYTES;
        spares.push(item);
      }
      break;
    }
    case 'timer': {
      const device = writableDevice(state, item.device)!;
      const ctx = makeContext(state, sink, names, options, item.device, state.devices.slot(item.device) ?? -1, item.actionId, undefined, item.cause);
      // Only a device type with a timer hook sets timers (through its context), so it has one.
      deviceType(device.kind).timer!(ctx, device, item.timer);
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
 * Cancelled timers stay in the queue until they are next (lazy cancellation: no search of
 * the whole queue per cancel); this pops them then, after every step, so that the next item is
 * always live: the next item to process, what peekNext() shows, and an empty queue means idle.
 */
function dropCancelledHead(state: SimState): void {
  const { queue, cancelled } = state;
  if (cancelled.size === 0) return;
  // Only a timer is ever cancelled: a frame or an action at the head ends the search at once.
  for (let head = queuePeek(queue); head !== undefined && head.type === 'timer' && cancelled.delete(head.seq); head = queuePeek(queue)) queuePop(queue);
}

/** Removes a timer from its device's pending list, once it fires or is cancelled. */
function forgetTimer(state: SimState, item: TimerItem): void {
  const pending = state.timers.get(item.device);
  if (!pending) return;
  const i = pending.indexOf(item);
  if (i < 0) return;
  // A new list, never a change to this one: a snapshot may share it (snapshotState).
  if (pending.length === 1) state.timers.delete(item.device);
  else state.timers.set(item.device, pending.filter((_, j) => j !== i));
}

function deliverArrival(state: SimState, item: FrameArrival, sink: TraceSink, names: ReadonlyMap<string, string>, options: EngineOptions): void {
  const origin = state.origins.get(item.originId);
  const link = state.links[item.link]!;
  // The receiving end's ports and slot (both ends are one device's when a link joins two of its ports).
  const atA = item.device === link.a.device;
  const ports = atA ? link.portsA : link.portsB;
  const slot = atA ? link.slotA : link.slotB;
  const ctx = makeContext(state, sink, names, options, item.device, slot, item.actionId, item, item.cause, ports);
  ctx.received(item);
  // A frame that changes nothing in the device (a host overhearing an ARP request) is decided on
  // the state as it is, which may be shared with a snapshot; only a device that will change is
  // copied for step back (writableDevice).
  const shared = state.devices.at(slot);
  const type = deviceType(shared.kind);
  if (type.receiveUnchanged === undefined || !type.receiveUnchanged(ctx, shared, item.port, item.bytes)) {
    type.receive(ctx, state.devices.writableAt(slot), item.port, item.bytes);
  }
  if (origin) {
    origin.inFlight -= 1;
    if (origin.inFlight === 0 && !state.halted) {
      state.origins.delete(item.originId);
      releaseCrossings(origin);
    }
  }
}

function startAction(state: SimState, record: ActionRecord, sink: TraceSink, names: ReadonlyMap<string, string>, options: EngineOptions): void {
  const action = record.action;
  const ctx = makeContext(state, sink, names, options, action.from, state.devices.slot(action.from) ?? -1, record.id, undefined, -1);
  const needs = action.do === 'raw' ? 'mac' : 'ip';
  const sender = state.devices.get(action.from);
  if (!sender) {
    ctx.failAction(record.id, 'unknown-sender', { from: action.from, to: action.to, needs });
    return;
  }
  const type = deviceType(sender.kind);
  // The stack the action starts on: a host's own, or a bridge's local interface's (registry.ts).
  const stack = type.sender ? type.sender(ctx, writableDevice(state, action.from)!) : null;
  if (!stack) {
    ctx.failAction(record.id, 'not-a-sender', { from: action.from, to: action.to, needs, deviceKind: sender.kind });
    return;
  }
  const target = needs === 'mac' ? resolveMac(state, action.to) : resolveIp(state, action.to);
  if ('error' in target) {
    ctx.failAction(record.id, target.reason, { from: action.from, ...target.failure });
    return;
  }
  sendFrom(stack, record.id, action, 'ip' in target ? target.ip : target.mac);
}

/** Why a traffic target resolved to no address: the reason code and what the sentence needs. */
export interface Unresolved {
  error: string;
  reason: 'unknown-target' | 'no-address';
  failure: Omit<ActionFailure, 'from'>;
}

function unresolved(reason: Unresolved['reason'], failure: Omit<ActionFailure, 'from'>): Unresolved {
  return { error: actionFailureText(reason, { from: '', ...failure }), reason, failure };
}

/** A traffic target: an IPv4 address as written, or the address its device type resolves a device to (registry.ts). */
export function resolveIp(state: SimState, to: string): { ip: string } | Unresolved {
  const literal = parseIpv4Address(to);
  if (literal) return { ip: literal };
  const device = state.devices.get(to);
  if (!device) return unresolved('unknown-target', { to, needs: 'ip' });
  const type = deviceType(device.kind);
  // A type without addresses is named in the sentence ("hub1 is a hub"); a stack without one is not.
  if (!type.ipAddress) return unresolved('no-address', { to, needs: 'ip', deviceKind: device.kind });
  const ip = type.ipAddress(device);
  return ip !== undefined ? { ip } : unresolved('no-address', { to, needs: 'ip' });
}

/**
 * Whether `text` is a MAC in canonical form already ("02:00:00:00:00:0a": lower-case hex, colons),
 * which parseMacAddress would return unchanged: read by character, without its regular expression
 * and copies (a fabric's thousands of actions each name a MAC).
 */
function isCanonicalMac(text: string): boolean {
  if (text.length !== 17) return false;
  for (let i = 0; i < 17; i++) {
    const c = text.charCodeAt(i);
    if (i % 3 === 2 ? c !== 0x3a : !((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/** A raw frame's destination: "broadcast", a MAC as written, or the MAC its device type resolves a device to. */
export function resolveMac(state: SimState, to: string): { mac: string } | Unresolved {
  if (to === 'broadcast') return { mac: BROADCAST_MAC };
  const literal = isCanonicalMac(to) ? to : parseMacAddress(to);
  if (literal) return { mac: literal };
  const device = state.devices.get(to);
  if (!device) return unresolved('unknown-target', { to, needs: 'mac' });
  const mac = deviceType(device.kind).macAddress?.(device);
  return mac !== undefined ? { mac } : unresolved('no-address', { to, needs: 'mac', deviceKind: device.kind });
}

/**
 * One context per state, reused for every queue item: a step hands it to one device at a time and
 * no device keeps it after returning, so there is no need for a new object per item. Rebuilt when
 * the sink, names or options change (a replay uses another sink). Weak: it goes with its state.
 */
const contexts = new WeakMap<SimState, StepContext>();
/**
 * The context asked for last: a run asks for one state's, step after step, without a WeakMap lookup
 * each. Weak, as the map: a context holds its state and its sink (a simulation's whole trace), which
 * must not outlive the simulation because it was the last to run.
 */
let lastContext: WeakRef<StepContext> | undefined = undefined;

function makeContext(
  state: SimState,
  sink: TraceSink,
  names: ReadonlyMap<string, string>,
  options: EngineOptions,
  deviceId: string,
  slot: number,
  actionId: number | undefined,
  arrival: FrameArrival | undefined,
  cause: number,
  ports: ReadonlyMap<string, number> | undefined = state.devicePorts.get(deviceId),
): StepContext {
  let ctx = lastContext?.deref();
  if (ctx === undefined || ctx.state !== state) {
    ctx = contexts.get(state);
    if (ctx !== undefined) lastContext = new WeakRef(ctx);
  }
  if (ctx === undefined || ctx.sink !== sink || ctx.names !== names || ctx.options !== options) {
    ctx = new StepContext(state, sink, names, options);
    contexts.set(state, ctx);
    lastContext = new WeakRef(ctx);
  }
  ctx.begin(deviceId, slot, actionId, arrival, cause, ports ?? NO_PORTS);
  return ctx;
}

const NO_PORTS: ReadonlyMap<string, number> = new Map();

/**
 * The links of a port list (StepContext.linksOf; linkedPorts works them out with the list), with
 * whose list it is: a list is one device's configuration, and the topology (its ports' links) is
 * fixed for the run.
 */
const portListLinks = new WeakMap<readonly string[], { device: string; ports: ReadonlyMap<string, number>; links: Int32Array }>();

/** By a device's port list: its linked ports (StepContext.linkedPorts), with whose list it is, as portListLinks. */
const linkedLists = new WeakMap<readonly string[], { device: string; ports: ReadonlyMap<string, number>; linked: readonly string[] }>();

/** DeviceContext.linkedPorts for device `device`, whose linked ports are `linkedTo` (port → link index). */
function linkedPortsOf(device: string, linkedTo: ReadonlyMap<string, number>, ports: readonly string[]): readonly string[] {
  const known = linkedLists.get(ports);
  if (known !== undefined && known.device === device && known.ports === linkedTo) return known.linked;
  const linked: string[] = [];
  const links: number[] = [];
  for (let i = 0; i < ports.length; i++) {
    const link = linkedTo.get(ports[i]!);
    if (link === undefined) continue;
    linked.push(ports[i]!);
    links.push(link);
  }
  Object.freeze(linked);
  linkedLists.set(ports, { device, ports: linkedTo, linked });
  portListLinks.set(linked, { device, ports: linkedTo, links: Int32Array.from(links) });
  return linked;
}

/** Fails to compile when EmittedEvent gains a field that emitFor does not copy into the trace event. */
const emitForCopiesEveryField: [Exclude<keyof EmittedEvent, 'kind' | 'reason' | 'text' | 'args' | 'port' | 'frame' | 'ports'>] extends [never] ? true : never = true;
void emitForCopiesEveryField;

/**
 * The engine's side of DeviceContext for one device handling one queue item (begin() says which).
 * It also works out each event's cause: the handling's root (the receive of the frame being
 * handled, else the event after which the timer was set, else the handling's first event) for what
 * the device decides, the device's latest decision (else the root) for what it transmits.
 */
class StepContext implements DeviceContext {
  now = 0;
  actionId: number | undefined = undefined;
  origin: number | undefined = undefined;
  private readonly stormThreshold: number;
  /** Nobody reads this trace: build no event (but count every one: state.emitted). */
  private readonly silent: boolean;
  /** DeviceContext.tracing: whether anyone reads args and ports (not silent, and the sink wants them: TraceSink.details), for device code. */
  readonly tracing: boolean;
  /** Whether the sink wants the sentences devices give as functions (TraceSink.sentences). */
  private readonly sentences: boolean;
  /** The record each event is written into before the sink copies it. */
  private readonly raw = rawEvent();
  private deviceId = '';
  /** deviceId's DeviceTable slot (-1: none). */
  private slot = -1;
  /** The device's ports with a cable, by name → link index (the topology's, built once). */
  private ports: ReadonlyMap<string, number> = NO_PORTS;
  private arrival: FrameArrival | undefined = undefined;
  /** The cause of what the device decides in this handling; -1 until there is one. */
  private root = -1;
  /** The device's latest event in this handling (a decision): the cause of what it sends next; -1: none yet. */
  private last = -1;

  constructor(
    readonly state: SimState,
    readonly sink: TraceSink,
    readonly names: ReadonlyMap<string, string>,
    readonly options: EngineOptions,
  ) {
    this.stormThreshold = options.stormThreshold ?? DEFAULT_STORM_THRESHOLD;
    this.silent = sink === discardTrace;
    this.tracing = !this.silent && sink.details !== false;
    this.sentences = sink.sentences !== false && sink.details !== false;
  }

  begin(deviceId: string, slot: number, actionId: number | undefined, arrival: FrameArrival | undefined, cause: number, ports: ReadonlyMap<string, number>): void {
    this.now = this.state.time;
    this.deviceId = deviceId;
    this.slot = slot;
    this.ports = ports;
    this.actionId = actionId;
    this.arrival = arrival;
    this.origin = arrival?.origin;
    this.root = cause;
    this.last = -1;
  }

  name(id: string): string {
    return this.names.get(id) ?? id;
  }

  /** The receive event of the frame being handled: caused by its transmit, and the root of what the device does with it. */
  received(item: FrameArrival): void {
    const index = this.state.emitted++;
    if (!this.silent) {
      const event = this.event(index, this.deviceId, 'receive', 'frame-arrived', undefined, item.cause);
      event.port = item.port;
      // The end it arrives at: the other end than the one it was sent from (item.from).
      event.end = 2 * item.link + (item.from === this.state.links[item.link]!.a ? 1 : 0);
      event.frame = item.bytes;
      event.origin = item.origin;
      this.sink.record(event);
    }
    this.root = index;
  }

  emit(event: EmittedEvent): void {
    const index = this.state.emitted++;
    // The first event of an action (or of a timer set before any event) is the root of the rest.
    const cause = this.root;
    if (this.root < 0) this.root = index;
    this.last = index;
    if (this.silent) return;
    // A sentence given as a function is written now, unless the sink needs none (TraceSink.sentences).
    const text = event.text;
    const full = this.event(index, this.deviceId, event.kind, event.reason, typeof text === 'function' ? (this.sentences ? text() : undefined) : text, cause);
    full.port = event.port;
    full.frame = event.frame;
    full.ports = event.ports;
    full.args = event.args;
    full.origin = this.origin;
    this.sink.record(full);
  }

  isConnected(port: string): boolean {
    return this.ports.has(port);
  }

  linkedPorts(ports: readonly string[]): readonly string[] {
    return linkedPortsOf(this.deviceId, this.ports, ports);
  }

  send(port: string, bytes: Uint8Array): number | undefined {
    return this.transmit(port, bytes, undefined, undefined);
  }

  relay(port: string, bytes: Uint8Array): number | undefined {
    return this.transmit(port, bytes, this.arrival?.originId, this.arrival?.origin);
  }

  relayAll(ports: readonly string[], skip: number, bytes: Uint8Array): void {
    const links = this.linksOf(ports);
    const originId = this.arrival?.originId;
    const origin = this.arrival?.origin;
    for (let i = 0; i < ports.length; i++) if (i !== skip) this.transmitOn(links[i]!, ports[i]!, bytes, originId, origin);
  }

  /** The link index of each port of a list the device keeps (-1: none), worked out once per list. */
  private linksOf(ports: readonly string[]): Int32Array {
    const known = portListLinks.get(ports);
    if (known !== undefined && known.device === this.deviceId && known.ports === this.ports) return known.links;
    const links = Int32Array.from(ports, (port) => this.ports.get(port) ?? -1);
    portListLinks.set(ports, { device: this.deviceId, ports: this.ports, links });
    return links;
  }

  sendRouted(port: string, bytes: Uint8Array, origin: number | undefined = this.origin): number | undefined {
    return this.transmit(port, bytes, undefined, origin);
  }

  /**
   * Another copy of a frame this device has just sent (`loop`: the id send or sendRouted returned
   * for it; `origin`: its origin, the same id for a frame of its own): it keeps that frame's loop
   * record and origin, as a bridge flooding a frame its own interface sent (br_dev_xmit → br_flood).
   */
  copy(port: string, bytes: Uint8Array, loop: number, origin: number): number | undefined {
    return this.transmit(port, bytes, loop, origin);
  }

  setTimer(delay: number, timer: unknown): void {
    const item: TimerItem = { type: 'timer', time: this.state.time + delay, seq: this.state.seq++, device: this.deviceId, actionId: this.actionId, cause: this.cause(), timer };
    queuePush(this.state.queue, item);
    // A new list, never a change to this one: a snapshot may share it (snapshotState).
    const pending = this.state.timers.get(this.deviceId);
    this.state.timers.set(this.deviceId, pending ? [...pending, item] : [item]);
  }

  cancelTimers(match: (timer: unknown) => boolean): void {
    const { state, deviceId } = this;
    const pending = state.timers.get(deviceId);
    if (!pending) return;
    // Marked, not removed: the queue drops a cancelled timer when it is next (dropCancelledHead).
    // The kept ones go in a new list, never into this one: a snapshot may share it (snapshotState).
    const kept: TimerItem[] = [];
    for (const item of pending) {
      if (match(item.timer)) state.cancelled.add(item.seq);
      else kept.push(item);
    }
    if (kept.length === pending.length) return;
    if (kept.length === 0) state.timers.delete(deviceId);
    else state.timers.set(deviceId, kept);
  }

  finishAction(id: number, ok: boolean, reason: ReasonCode, text: string): void {
    this.result(id, ok, reason, text, undefined);
  }

  /** An action the engine could not start: its outcome says why (narrate.ts), with the reason's own code. */
  failAction(id: number, reason: ActionFailureReason, failure: ActionFailure): void {
    this.result(id, false, reason, actionFailureText(reason, failure), failure);
  }

  private result(id: number, ok: boolean, reason: ReasonCode, text: string, failure: ActionFailure | undefined): void {
    const record = this.state.actions[id];
    if (!record || record.outcome) return;
    // A new record, never a change to this one: snapshots share the records (snapshotState).
    // Field by field, not `{ ...record, outcome }`: V8 gave each record copied by spread a hidden
    // class of its own (19,990 classes, each with its descriptors, for a 10,000-VM fabric's answers).
    this.state.actions[id] = { id: record.id, action: record.action, label: record.label, at: record.at, outcome: { ok, time: this.state.time, text } };
    const index = this.state.emitted++;
    if (this.silent) return;
    const event = this.event(index, record.action.from, 'result', reason, undefined, this.cause());
    event.actionId = id;
    const args: ResultArgs = { label: record.label, outcome: text };
    if (failure) args.failure = failure;
    event.args = args;
    this.sink.record(event);
  }

  /** The cause of what the device sends or schedules now: its latest decision, else the handling's root (-1: none). */
  private cause(): number {
    return this.last >= 0 ? this.last : this.root;
  }

  /** The one record every event of this context is written into (the sink copies it): its common fields set, the rest cleared. */
  private event(index: number, device: string, kind: TraceKind, reason: ReasonCode, text: string | undefined, cause: number): RawEvent {
    const event = this.raw;
    event.index = index;
    event.step = this.state.step;
    event.time = this.state.time;
    event.device = device;
    event.slot = device === this.deviceId ? this.slot : -1;
    event.kind = kind;
    event.reason = reason;
    event.text = text;
    event.port = undefined;
    event.end = -1;
    event.frameId = undefined;
    event.frame = undefined;
    event.ports = undefined;
    event.peer = undefined;
    event.actionId = this.actionId;
    event.cause = cause >= 0 ? cause : undefined;
    event.origin = undefined;
    event.args = undefined;
    return event;
  }

  /** Emits an engine event about a frame the device tried to send: caused by `cause`, not a decision of the device. */
  private emitAbout(kind: TraceKind, reason: ReasonCode, port: string | undefined, bytes: Uint8Array | undefined, cause: number, args?: ReasonArgs[keyof ReasonArgs]): void {
    const index = this.state.emitted++;
    if (this.silent) return;
    const event = this.event(index, this.deviceId, kind, reason, undefined, cause);
    event.port = port;
    event.frame = bytes;
    event.args = args;
    event.origin = this.origin;
    this.sink.record(event);
  }

  /**
   * Puts a frame on the port's link. `originId` keys the loop record (a relayed copy shares its
   * frame's; undefined: a record of its own), `origin` is the frame a host first sent (undefined:
   * this frame). Returns the new frame's id (the loop record's key when it started one), or
   * undefined when the port has no link and the frame went nowhere.
   */
  private transmit(port: string, bytes: Uint8Array, originId: number | undefined, origin: number | undefined): number | undefined {
    return this.transmitOn(this.ports.get(port) ?? -1, port, bytes, originId, origin);
  }

  /** transmit() once the port's link is known (-1: the port has none). */
  private transmitOn(linkIndex: number, port: string, bytes: Uint8Array, originId: number | undefined, origin: number | undefined): number | undefined {
    const { state, deviceId, actionId } = this;
    if (linkIndex < 0) {
      this.emitAbout('drop', 'no-cable', port, bytes, this.cause());
      return undefined;
    }
    const link = state.links[linkIndex]!;
    // Stacks, hubs and bridges hand over the frame as they have it; a NIC on a cable pads it to the
    // Ethernet minimum (a copy: the sender's array may be another port's too). The transmit and
    // receive events both show the bytes on the wire.
    if (link.pads) bytes = padToMinimum(bytes);
    const fromA = link.a.device === deviceId && link.a.port === port;
    const peer = fromA ? link.b : link.a;
    const frameId = state.nextFrameId++;
    const loopKey = originId ?? frameId;
    const firstSent = origin ?? frameId;
    let record = state.origins.get(loopKey);
    if (!record) {
      record = { few: NO_CROSSINGS, crossings: null, copies: 0, inFlight: 0, loopReported: false };
      state.origins.set(loopKey, record);
    }
    // One bit per (cable, direction): a copy crossing the same cable the same way again went round a loop.
    const looped = crossedBefore(record, 2 * linkIndex + (fromA ? 0 : 1), state.links.length);
    record.copies += 1;
    record.inFlight += 1;
    const index = state.emitted++;
    if (!this.silent) {
      const sent = this.event(index, deviceId, 'transmit', 'transmit', undefined, this.cause());
      sent.port = port;
      sent.end = 2 * linkIndex + (fromA ? 0 : 1);
      sent.frame = bytes;
      sent.frameId = frameId;
      // The link's own frozen endpoint, shared by every event about that cable.
      sent.peer = peer;
      sent.origin = firstSent;
      this.sink.record(sent);
    }
    const time = state.time + link.delay;
    const from = fromA ? link.a : link.b;
    const spare = state.spareArrivals?.pop();
    let item: FrameArrival;
    if (spare === undefined) {
      item = { type: 'arrival', time, seq: state.seq++, frameId, originId: loopKey, origin: firstSent, cause: index, actionId, device: peer.device, port: peer.port, from, link: linkIndex, bytes };
    } else {
      // A handled arrival, reused field by field (a run without history: no snapshot holds it).
      item = spare;
      item.time = time;
      item.seq = state.seq++;
      item.frameId = frameId;
      item.originId = loopKey;
      item.origin = firstSent;
      item.cause = index;
      item.actionId = actionId;
      item.device = peer.device;
      item.port = peer.port;
      item.from = from;
      item.link = linkIndex;
      item.bytes = bytes;
    }
    queuePush(state.queue, item);

    if (looped && !record.loopReported) {
      record.loopReported = true;
      this.emitAbout('loop', 'loop-detected', port, bytes, index, link.pads ? { peer } : { peer, veth: true });
    }
    if (record.loopReported && record.copies >= this.stormThreshold && !state.halted) {
      const args = { copies: record.copies, elapsed: state.time - (state.actions[actionId ?? -1]?.at ?? state.time) };
      state.halted = { reason: 'broadcast-storm', time: state.time, text: stormText(args) };
      this.emitAbout('halt', 'broadcast-storm', undefined, undefined, index, args);
    }
    return frameId;
  }
}

/** Stops a run that used up its step budget, saying so in the trace. */
export function haltForBudget(state: SimState, budget: number, sink: TraceSink): void {
  if (state.halted) return;
  state.halted = { reason: 'event-budget', time: state.time, text: budgetText({ budget }) };
  const event = rawEvent();
  event.index = state.emitted++;
  event.step = state.step;
  event.time = state.time;
  event.args = { budget };
  sink.record(event);
}
