// The sentences of the trace: narrate(event, names) writes the one a reader sees for an event, from
// its kind, reason and typed values (args). The engine's events are narrated here, a device's by
// its registry entry; a device may still pass its sentence ready (EmittedEvent.text). An event
// writes its sentence only when something reads `text` (TracedEvent), so a run nobody reads the
// log of (a benchmark, a chapter table, a step back's replay) builds no strings.

import { deviceNarrator } from './devices/registry';
import type { ActionFailure, ReasonArgs, ReasonCode, ResultArgs, TraceArgs, TraceEvent, TraceKind } from './trace';
import { countOf } from './scenario/limits';
import { describeFrame } from './wire/describe';

/** A device's display name by id (its label, else its id). */
export type Namer = (id: string) => string;

/**
 * Writes the sentence of one reason from the event and its args. `args` is typed by the reason
 * (ReasonArgs); reasons without args get the event alone (device, port, ports, frame say it all).
 */
export type Narrator<R extends ReasonCode = ReasonCode> = (event: TraceEvent, args: R extends keyof ReasonArgs ? ReasonArgs[R] : undefined, name: Namer) => string;

/** Narrators by reason code; each takes the args its reason carries. */
export type Narrators = { [R in ReasonCode]?: Narrator<R> };

/** A frame's one-line summary, computed once per distinct frame: relayed copies share their bytes. */
const summaries = new WeakMap<Uint8Array, string>();
export function summaryOf(bytes: Uint8Array): string {
  let summary = summaries.get(bytes);
  if (summary === undefined) {
    summary = describeFrame(bytes).summary;
    summaries.set(bytes, summary);
  }
  return summary;
}

export type ActionFailureReason = 'unknown-sender' | 'not-a-sender' | 'unknown-target' | 'no-address';

/** The outcome of an action the engine could not start: the action record keeps it, the result event says it. */
export function actionFailureText(reason: ActionFailureReason, args: ActionFailure): string {
  switch (reason) {
    case 'unknown-sender':
      return `${args.from} is not a device of this scenario.`;
    case 'not-a-sender':
      return `${args.from} is a ${args.deviceKind} and sends no traffic: only hosts, routers and bridges with a local interface do.`;
    case 'unknown-target':
      return args.needs === 'ip' ? `"${args.to}" is neither a device nor an IPv4 address.` : `"${args.to}" is neither a device, a MAC address nor "broadcast".`;
    case 'no-address':
      if (args.needs === 'mac') return `${args.to} is a ${args.deviceKind} and has no MAC address of its own.`;
      // A device without an IP stack, or a host none of whose interfaces has an address.
      return args.deviceKind === undefined ? `${args.to} has no IPv4 address.` : `${args.to} is a ${args.deviceKind} and has no IPv4 address.`;
  }
}

/** The sentence of a broadcast-storm halt (also the halt's own text in the state). */
export function stormText(args: ReasonArgs['broadcast-storm']): string {
  return `Broadcast storm: one frame has been copied ${countOf(args.copies, 'time', 'times')} in ${args.elapsed} ms and keeps circling the loop. Without STP a real network stays saturated until a cable is pulled; the simulation stops here.`;
}

/** The sentence of a halt for the step budget (also the halt's own text in the state). */
export function budgetText(args: ReasonArgs['event-budget']): string {
  return `Stopped after ${countOf(args.budget, 'step', 'steps')} with frames still in flight: the event budget of one run is used up. A loop or a very large topology can cause this.`;
}

/** The engine's own reasons. */
const engineNarrators: Narrators = {
  'no-cable': (e, _args, name) => `${name(e.device)}'s ${e.port} has no cable: the frame goes nowhere.`,
  'loop-detected': (e, args, name) =>
    `A copy of this frame already crossed the ${args.veth === true ? 'veth pair' : 'cable'} from ${name(e.device)}'s ${e.port} to ${name(args.peer.device)}'s ${args.peer.port}: it has gone round a loop. Without the Spanning Tree Protocol nothing ever removes it.`,
  'broadcast-storm': (_e, args) => stormText(args),
  'event-budget': (_e, args) => budgetText(args),
};

/** Kinds the engine writes whatever the reason: a frame on a cable, a frame arriving, an action's outcome. */
const kindNarrators: { [K in TraceKind]?: (event: TraceEvent, name: Namer) => string } = {
  receive: (e, name) => `${name(e.device)} receives the frame on ${e.port}.`,
  transmit: (e, name) => `${name(e.device)} sends ${summaryOf(e.frame!)} out of ${e.port}, towards ${name(e.peer!.device)}.`,
  result: (e) => {
    const args = e.args as ResultArgs;
    return `${args.label}: ${args.outcome}`;
  },
};

/**
 * The sentence for an event. Only for events a device did not give a sentence of its own (their
 * `text` is that sentence); an event whose reason has no narrator says its kind and reason, which
 * tests/sim/narrate.test.ts keeps from happening.
 */
export function narrate(event: TraceEvent, names: ReadonlyMap<string, string>): string {
  const name: Namer = (id) => names.get(id) ?? id;
  const byKind = kindNarrators[event.kind];
  if (byKind) return byKind(event, name);
  const narrator = (engineNarrators[event.reason] ?? deviceNarrator(event.reason)) as Narrator<ReasonCode> | undefined;
  if (narrator) return narrator(event, event.args as never, name);
  return `${name(event.device)}: ${event.kind} (${event.reason}).`;
}

/** Whether narrate() has a sentence of its own for this event (a kind or reason with a narrator). */
export function hasNarrator(kind: TraceKind, reason: ReasonCode): boolean {
  return kindNarrators[kind] !== undefined || engineNarrators[reason] !== undefined || deviceNarrator(reason) !== undefined;
}

const NO_NAMES: ReadonlyMap<string, string> = new Map();

/**
 * A trace event as the engine records it. Its sentence is written on first read of `text` and kept
 * (private fields: an event compares, copies and prints as its data, and its sentence is the same
 * whenever it is read). Every field exists on every event, in one order, so all events share one
 * shape; a field an event does not have is undefined.
 */
export class TracedEvent implements TraceEvent {
  index = 0;
  port: string | undefined = undefined;
  frameId: number | undefined = undefined;
  frame: Uint8Array | undefined = undefined;
  ports: readonly string[] | undefined = undefined;
  peer: { device: string; port: string } | undefined = undefined;
  actionId: number | undefined = undefined;
  cause: number | undefined = undefined;
  origin: number | undefined = undefined;
  args: TraceArgs | undefined = undefined;
  #text: string | undefined;
  readonly #names: ReadonlyMap<string, string>;

  constructor(
    public step: number,
    public time: number,
    public device: string,
    public kind: TraceKind,
    public reason: ReasonCode,
    text: string | undefined,
    names: ReadonlyMap<string, string> = NO_NAMES,
  ) {
    this.#text = text;
    this.#names = names;
  }

  get text(): string {
    return (this.#text ??= narrate(this, this.#names));
  }
}
