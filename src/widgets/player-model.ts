// The scenario player's model: one Simulation, a `version` signal bumped after every mutation,
// and everything the player shows derived from it as computed signals (read from the run by
// player-run.ts). No DOM: the components read plain values from here, and the core decides every
// networking question.
//
// The core (player-core.ts) is not part of the page: the model can start from a StartView, the
// first state as the server computed it with the core, and loads the core on the reader's first
// Step, Play, Run to the end or Send. What the reader does meanwhile waits in order (`waiting`)
// and happens, exactly as if the core had been there, when it arrives.

import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import type { Simulation } from '../sim/engine/simulation';
import type { Halt } from '../sim/engine/state';
import type { Scenario, TrafficAction } from '../sim/scenario/format';
import type { ReasonCode, TraceKind } from '../sim/trace';
import type { FrameDescription } from '../sim/wire/describe';
import { loadCore, loadedCore, type PlayerCore } from './core-loader';
import type { RunViews } from './player-run';
import { canSend, canTarget, defaultSend, type SendDefault } from './senders';
import type { SendTarget } from './SendPacketForm';

/** How a frame is coloured and shaped: replies first, then by destination class. */
export type FrameTone = 'broadcast' | 'unicast' | 'reply';

/** The protocols the timeline filters by: what an event's frame carries. */
export type Proto = 'arp' | 'icmp' | 'udp' | 'other';

export interface EventView {
  index: number;
  kind: TraceKind;
  reason: ReasonCode;
  device: string;
  port?: string;
  text: string;
  hasFrame: boolean;
  /** What its frame carries (the timeline filters by it); "other" when absent. */
  proto?: Proto;
}

export interface StepGroup {
  step: number;
  time: number;
  events: EventView[];
}

export interface FlightView {
  frameId: number;
  link: number;
  from: { device: string; port: string };
  to: { device: string; port: string };
  /** When it will arrive. */
  arrives: number;
  tone: FrameTone;
  summary: string;
  /** The transmit event that put it on the cable (to inspect its bytes), or -1. */
  eventIndex: number;
  /** It was put on the cable by the latest step. */
  fresh: boolean;
}

export interface TableView<Row> {
  device: string;
  name: string;
  rows: Row[];
  /** MAC tables of VLAN-aware switches have a VLAN column; ARP caches of devices with sub-interfaces an interface column. */
  detailed?: boolean;
  /**
   * A VXLAN device's FDB (`bridge fdb show dev vxlan0`) among the MAC tables: each row's `port` is
   * the remote VTEP's IP address, and one MAC (the all-zeros flood list) may have several rows.
   */
  vxlan?: boolean;
}

export interface MacRowView {
  mac: string;
  /** The device whose MAC it is, by its display name ("" for an address no device of the scenario has). */
  owner: string;
  port: string;
  vlan: number;
  /** Seconds since the entry was last refreshed, as text ("0.031"). */
  age: string;
}

export interface ArpRowView {
  ip: string;
  mac: string;
  /** The device whose MAC it is, as in MacRowView. */
  owner: string;
  /** The interface the neighbour was learned on ("eth0.10"). */
  dev: string;
}

export interface RouteRowView {
  destination: string;
  via: string;
  dev: string;
}

/** One flow of a namespace's connection table (conntrack -L), as tables.ts's ConntrackRow. */
export interface ConntrackRowView {
  protocol: string;
  /** "10.0.1.2 → 192.168.1.20 id 4660": the first packet's direction. */
  original: string;
  /** The tuple replies must carry: with masquerade, to the host's own address. */
  reply: string;
  /** "masquerade", "dnat" or "". */
  nat: string;
  /** "UNREPLIED", "ASSURED" or "". */
  status: string;
}

export type OutcomeStatus = 'queued' | 'running' | 'ok' | 'failed' | 'stopped';

export interface OutcomeView {
  id: number;
  label: string;
  at: number;
  status: OutcomeStatus;
  /** The core's outcome sentence, when finished. */
  text: string;
}

/** What one device did in the latest step, for the drawing: the most telling of its events. */
export type MarkKind = 'delivered' | 'dropped' | 'filtered' | 'flooded' | 'forwarded' | 'received' | 'sent';

export interface DeviceMark {
  device: string;
  port?: string;
  mark: MarkKind;
  /** The event the mark stands for (its text is the screen-reader label). */
  text: string;
}

export interface NextView {
  time: number;
  text: string;
}

export interface FrameDetail {
  eventIndex: number;
  /** The sentence of the event the frame belongs to. */
  event: string;
  tone: FrameTone;
  description: FrameDescription;
  hex: string;
}

/** How the run last moved; 'jump' is many steps at once (Run to the end), drawn without animation. */
export type Move = 'none' | 'forward' | 'back' | 'reset' | 'jump';

/** Steps per second the player can run at. */
export const SPEEDS = [0.5, 1, 2, 4, 8] as const;
export const DEFAULT_SPEED = 2;

export interface Scheduler {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Milliseconds from some origin (default performance.now): how long a slice of Run to the end has run. */
  now?(): number;
  /** Runs `callback` in a new task as soon as the page has handled what is waiting (default: a MessageChannel message). */
  soon?(callback: () => void): void;
  /** Runs `callback` before the next paint (default: requestAnimationFrame). */
  frame?(callback: () => void): void;
}

/** Run to the end works in slices of at most this many milliseconds of core steps, then lets the page breathe. */
export const SLICE_MS = 8;
/** During Run to the end the log and the tables are redrawn at most this often (the drawing every frame). */
export const LISTS_MS = 250;

/**
 * The player's first state, as the core computes it before any step: what the server renders, and
 * what a player shows until the core arrives. Plain JSON: the server writes it into the page.
 */
export interface StartView {
  /** Display names by device id. */
  names: Record<string, string>;
  canStep: boolean;
  next: NextView | null;
  pendingScript: number;
  outcomes: OutcomeView[];
  macTables: TableView<MacRowView>[];
  arpCaches: TableView<ArpRowView>[];
  routingTables: TableView<RouteRowView>[];
  /** The connection tables of namespaces that do NAT (absent: none). */
  conntrack?: TableView<ConntrackRowView>[];
}

export interface PlayerModelOptions {
  /** Timers for play (default: the global ones); tests pass fake ones. */
  scheduler?: Scheduler;
  speed?: number;
  /** The most steps one Run to the end takes before it halts the run (default: the core's run() budget). */
  stepBudget?: number;
  /** The core to run now (default: core-loader's, when it has arrived); null to start without it. */
  core?: PlayerCore | null;
  /** Without a core: the first state to show until it arrives (StartView); required then. */
  start?: StartView;
  /** How to get the core on first use (default: core-loader's loadCore). */
  loadCore?: () => Promise<PlayerCore>;
}

export interface PlayerModel {
  readonly scenario: Scenario;
  /**
   * The run: the scenario's, or after "only my packet" the scenario without the script's actions
   * that had not started. Only once `ready` (reading it before throws).
   */
  readonly sim: Simulation;
  /** The core has arrived and the run exists. */
  readonly ready: ReadonlySignal<boolean>;
  /** The reader acted before the core arrived: it is loading, and what they did will happen when it does. */
  readonly waiting: ReadonlySignal<boolean>;
  /** The core could not be loaded (offline): the reader's next action tries again. */
  readonly failed: ReadonlySignal<boolean>;
  /** The first state (before any step), for the server to write into the page. */
  startView(): StartView;
  readonly version: ReadonlySignal<number>;
  /** Steps taken, time in ms. */
  readonly step: ReadonlySignal<number>;
  readonly time: ReadonlySignal<number>;
  readonly latestEvents: ReadonlySignal<EventView[]>;
  /** What the latest step decided, in one sentence (a phone's caption under the drawing). */
  readonly latest: ReadonlySignal<string>;
  readonly log: ReadonlySignal<StepGroup[]>;
  /**
   * The timeline's end: the furthest step of this run the reader has reached. After a step back or
   * a jump back it is ahead of `step`, and Step (or a jump forward) replays the steps undone,
   * exactly, with the reader's own sends; a new Send there starts a new run from that step.
   */
  readonly horizon: ReadonlySignal<number>;
  /** The log of the steps after `step` up to `horizon` (undone, replayed by Step), by step; empty at the horizon. */
  readonly ahead: ReadonlySignal<StepGroup[]>;
  readonly inFlight: ReadonlySignal<FlightView[]>;
  readonly marks: ReadonlySignal<DeviceMark[]>;
  readonly macTables: ReadonlySignal<TableView<MacRowView>[]>;
  readonly arpCaches: ReadonlySignal<TableView<ArpRowView>[]>;
  /** `ip route` of each host and router, when the scenario has routers or VLANs (they never change during a run). */
  readonly routingTables: readonly TableView<RouteRowView>[];
  /** The connection table of each namespace that does NAT. */
  readonly conntrack: ReadonlySignal<TableView<ConntrackRowView>[]>;
  readonly outcomes: ReadonlySignal<OutcomeView[]>;
  readonly halted: ReadonlySignal<Halt | null>;
  readonly canStep: ReadonlySignal<boolean>;
  readonly canStepBack: ReadonlySignal<boolean>;
  readonly next: ReadonlySignal<NextView | null>;
  readonly playing: ReadonlySignal<boolean>;
  readonly speed: ReadonlySignal<number>;
  /** The event whose frame is inspected, or null. */
  readonly selected: ReadonlySignal<number | null>;
  readonly selectedFrame: ReadonlySignal<FrameDetail | null>;
  /** How the latest change moved the run (animations only run forward). */
  readonly lastMove: ReadonlySignal<Move>;
  /** Devices with an IP stack, in scenario order: who can send (senders.ts). */
  readonly senders: { id: string; name: string }[];
  /** Devices a sent packet can name as its destination, and for which kinds. */
  readonly targets: SendTarget[];
  /** What the send form starts with: the script's first action the reader can send again, which shows the lesson. */
  readonly sendDefault: SendDefault | null;
  /** Actions of the script that have not started yet: what "only my packet" leaves out. */
  readonly pendingScript: ReadonlySignal<number>;
  /** The run has left out the script's pending actions ("only my packet"); Reset brings them back. */
  readonly scriptLeftOut: ReadonlySignal<boolean>;
  name(deviceId: string): string;
  stepForward(): void;
  stepBack(): void;
  /** Moves the whole run to the state after step `target` (0 to `horizon`): back exactly, forward by replaying the steps undone. */
  goTo(target: number): void;
  reset(): void;
  play(): void;
  /** Runs the rest of the run as fast as the page allows, in slices, without animations; Pause, Step back and Reset stop it. */
  runToEnd(): void;
  /** Run to the end is under way (playing is true too). */
  readonly fast: ReadonlySignal<boolean>;
  pause(): void;
  togglePlay(): void;
  /**
   * Starts the reader's action now, as one step. With `onlyMine`, the script's actions that have not
   * started yet are left out of the run first (it is rebuilt without them and replayed to this step,
   * which is exact), so that the run plays this action alone from here; Reset brings them back.
   */
  send(action: TrafficAction, options?: { onlyMine?: boolean }): void;
  setSpeed(stepsPerSecond: number): void;
  select(eventIndex: number | null): void;
  dispose(): void;
}

const NO_EVENTS: EventView[] = [];
const NO_GROUPS: StepGroup[] = [];
const NO_FLIGHTS: FlightView[] = [];
const NO_MARKS: DeviceMark[] = [];
const NO_TABLES: TableView<ConntrackRowView>[] = [];

export function createPlayerModel(scenario: Scenario, options: PlayerModelOptions = {}): PlayerModel {
  /** The core, once it is here: given, already loaded by another player, or loaded on first use. */
  let core: PlayerCore | null = options.core !== undefined ? options.core : loadedCore();
  const start = options.start ?? null;
  if (!core && !start) throw new Error('createPlayerModel: without the core, the player needs its StartView');
  let sim: Simulation | null = core ? new core.Simulation(scenario) : null;
  /** The scenario `sim` runs: `scenario`, or a copy without the script's actions left out by "only my packet". */
  let running = scenario;
  const host = {
    get sim() {
      return sim!;
    },
    get running() {
      return running;
    },
  };
  /** What the player shows of the run, once the core is here (player-run.ts). */
  let views: RunViews | null = core ? core.runViews(host, scenario) : null;
  const scheduler: Scheduler = options.scheduler ?? {
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  const version = signal(0);
  const playing = signal(false);
  const speed = signal(SPEEDS.includes(options.speed as (typeof SPEEDS)[number]) ? options.speed! : DEFAULT_SPEED);
  const selected = signal<number | null>(null);
  const lastMove = signal<Move>('none');
  const ready = signal(sim !== null);
  const waiting = signal(false);
  const failed = signal(false);
  let timer: unknown = null;
  const fast = signal(false);
  const now = options.scheduler?.now ?? (() => performance.now());
  const name = (id: string) => (sim ? sim.name(id) : (start!.names[id] ?? id));


  /**
   * Moves with `version`, except during Run to the end, when it moves at most every LISTS_MS: the
   * log and the tables follow it. A reader cannot read hundreds of lines a frame, and laying them
   * out every frame is most of the cost of a big run; the step counter and the drawing keep up.
   */
  const lists = signal(0);
  let listsAt = -Infinity;
  const bump = (move: Move, withLists = true) =>
    batch(() => {
      lastMove.value = move;
      version.value++;
      if (withLists && (!fast.peek() || now() - listsAt >= LISTS_MS)) {
        lists.value++;
        listsAt = fast.peek() ? now() : -Infinity;
      }
      // A selection that no longer exists (stepped back past it) is dropped.
      if (selected.peek() !== null && (!sim || selected.peek()! >= sim.trace.length)) selected.value = null;
    });

  /** A value read from the run, recomputed whenever `trigger` (`version` or `lists`) moves; `before` until the core is here. */
  const live = <T>(read: (sim: Simulation, views: RunViews) => T, before: () => T, trigger = version): ReadonlySignal<T> =>
    computed(() => {
      trigger.value;
      return sim && views ? read(sim, views) : before();
    });

  const step = live((sim) => sim.stepCount, () => 0);
  const time = live((sim) => sim.now, () => 0);
  const halted = live((sim) => (sim.halted ? { ...sim.halted } : null), () => null);
  // Behind the timeline's end, Step replays the steps undone (player-run.ts).
  const canStep = live((sim, views) => sim.canStep || views.canRedo(), () => start!.canStep);
  const canStepBack = live((sim) => sim.stepCount > 0, () => false);
  const pendingScript = live((_, views) => views.pendingScript(), () => start!.pendingScript);
  const scriptLeftOut = live(() => running !== scenario, () => false);
  const latestEvents = live((_, views) => views.latestEvents(), () => NO_EVENTS);
  const latest = live((_, views) => views.latest(), () => '');
  const log = live((_, views) => views.log(), () => NO_GROUPS, lists);
  const horizon = live((sim, views) => Math.max(views.reach(), sim.stepCount), () => 0);
  const ahead = live((_, views) => views.ahead(), () => NO_GROUPS, lists);
  const inFlight = live((_, views) => views.inFlight(), () => NO_FLIGHTS);
  const marks = live((_, views) => views.marks(), () => NO_MARKS);
  const macTables = live((_, views) => views.macTables(), () => start!.macTables, lists);
  const arpCaches = live((_, views) => views.arpCaches(), () => start!.arpCaches, lists);
  const routingTables = views ? views.routingTables : start!.routingTables;
  const conntrack = live((_, views) => views.conntrack(), () => start!.conntrack ?? NO_TABLES, lists);
  const outcomes = live((_, views) => views.outcomes(), () => start!.outcomes, lists);
  const next = live((_, views) => views.next(), () => start!.next);
  const selectedFrame = computed((): FrameDetail | null => {
    version.value;
    const index = selected.value;
    return index === null || !views ? null : views.frame(index);
  });

  const soon = options.scheduler?.soon ?? yieldToPage();
  const frame =
    options.scheduler?.frame ??
    ((callback: () => void) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => callback()) : globalThis.setTimeout(callback, 16)));
  /** Bumped by every stop, so that a slice or frame scheduled by an earlier Run to the end does nothing. */
  let generation = 0;
  let framePending = false;

  // ---- the core on first use ----

  /** What the reader did before the core arrived, in order: it happens when the core does. */
  const queued: (() => void)[] = [];
  let loading = false;
  let disposed = false;

  const arrive = (arrived: PlayerCore) => {
    loading = false;
    if (disposed) return;
    core = arrived;
    sim = new arrived.Simulation(running);
    views = arrived.runViews(host, scenario);
    batch(() => {
      ready.value = true;
      waiting.value = false;
      // The same first state as the StartView, now from the core.
      bump('none');
    });
    for (const act of queued.splice(0)) act();
  };

  /**
   * True when `act` has to wait for the core: it is queued, and the core is loaded if it is not on
   * its way. An action that undoes or stops something (`undo`) needs no core while nothing else
   * waits: at the first state there is nothing to undo.
   */
  const later = (act: () => void, undo = false): boolean => {
    if (sim) return false;
    if (undo && queued.length === 0) return true;
    queued.push(act);
    if (loading) return true;
    loading = true;
    batch(() => {
      waiting.value = true;
      failed.value = false;
    });
    (options.loadCore ?? loadCore)().then(arrive, () => {
      loading = false;
      queued.length = 0;
      batch(() => {
        waiting.value = false;
        failed.value = !disposed;
      });
    });
    return true;
  };

  const stop = () => {
    if (timer !== null) scheduler.clearTimeout(timer);
    timer = null;
    generation++;
    if (fast.peek()) {
      framePending = false;
      // Show where the run stopped: the last frame drawn may be a few slices behind.
      // The counter, the drawing and a halt's notice now; the log and the tables (hundreds of
      // lines to lay out with a big topology) in a task of their own right after.
      batch(() => {
        fast.value = false;
        bump('jump', false);
      });
      soon(() => lists.value++);
    }
    playing.value = false;
  };

  const schedule = () => {
    timer = scheduler.setTimeout(tick, 1000 / speed.peek());
  };

  function play() {
    if (later(play)) return;
    if (playing.peek() || !canStep.peek()) return;
    playing.value = true;
    schedule();
  }

  function tick() {
    timer = null;
    if (!canStep.peek()) {
      stop();
      return;
    }
    views!.advance();
    bump('forward');
    if (canStep.peek()) schedule();
    else stop();
  }

  /** Steps taken by the current Run to the end: it stops at the core's step budget, like `run()`. */
  let fastSteps = 0;

  function runToEnd() {
    if (later(runToEnd)) return;
    if (fast.peek() || !canStep.peek()) return;
    if (playing.peek()) stop();
    const mine = ++generation;
    const stepBudget = options.stepBudget ?? core!.DEFAULT_STEP_BUDGET;
    fastSteps = 0;
    batch(() => {
      playing.value = true;
      fast.value = true;
    });
    const slice = () => {
      if (mine !== generation) return;
      const run = sim!;
      const until = now() + SLICE_MS;
      // At least one step per slice, however slow the machine, so that the run always advances.
      const more = () => run.canStep || views!.canRedo();
      do {
        views!.advance();
        fastSteps++;
      } while (more() && fastSteps < stepBudget && now() < until);
      if (!more() || fastSteps >= stepBudget) {
        // Out of budget with work still queued: halt with the core's explanation, as the CLI does,
        // rather than stopping without a word.
        if (run.canStep) run.stopForBudget(stepBudget);
        stop();
        return;
      }
      // The drawing and the lists follow at most once per frame; the core goes on meanwhile.
      if (!framePending) {
        framePending = true;
        frame(() => {
          framePending = false;
          if (mine === generation) bump('jump');
        });
      }
      soon(slice);
    };
    soon(slice);
  }

  function stepForward() {
    if (later(stepForward)) return;
    if (fast.peek()) stop();
    if (!canStep.peek()) return;
    views!.advance();
    bump('forward');
    if (!canStep.peek()) stop();
  }

  function stepBack() {
    if (later(stepBack, true)) return;
    stop();
    const run = sim!;
    views!.leave();
    if (run.stepBack()) {
      views!.cut(run.trace.length);
      bump('back');
    }
  }

  function goTo(target: number) {
    if (later(() => goTo(target), target === 0)) return;
    stop();
    const move = views!.goTo(target);
    if (move) bump(move);
  }

  function reset() {
    if (later(reset, true)) return;
    stop();
    // Reset starts over: the steps ahead on the timeline are forgotten.
    views!.forget(0);
    if (running !== scenario) {
      // Reset brings back the script that "only my packet" left out.
      running = scenario;
      sim = new core!.Simulation(scenario);
      views!.cut(0);
      bump('reset');
      return;
    }
    const run = sim!;
    if (run.stepCount === 0) return;
    run.reset();
    views!.cut(run.trace.length);
    bump('reset');
  }

  function pause() {
    if (later(pause, true)) return;
    stop();
  }

  function togglePlay() {
    if (later(togglePlay)) return;
    if (playing.peek()) stop();
    else play();
  }

  function send(action: TrafficAction, sendOptions: { onlyMine?: boolean } = {}) {
    if (later(() => send(action, sendOptions))) return;
    if (fast.peek()) stop();
    if (sim!.halted) return;
    if (sendOptions.onlyMine && pendingScript.peek() > 0) {
      ({ sim, running } = core!.withoutPendingScript(sim!, running, core!.Simulation));
      // Every view rebuilds from the new trace (the same events so far).
      views!.cut(0);
    }
    // A send behind the timeline's end starts a new run from here: what was ahead is forgotten.
    views!.forget(sim!.stepCount);
    sim!.inject(action);
    views!.sent(action);
    bump('forward');
  }

  return {
    scenario,
    get sim() {
      if (!sim) throw new Error('the player has no run before the core arrives: wait for `ready`');
      return sim;
    },
    ready,
    waiting,
    failed,
    startView: () => ({
      names: Object.fromEntries(scenario.devices.map((d) => [d.id, name(d.id)])),
      canStep: canStep.peek(),
      next: next.peek(),
      pendingScript: pendingScript.peek(),
      outcomes: outcomes.peek(),
      macTables: macTables.peek(),
      arpCaches: arpCaches.peek(),
      routingTables,
      ...(conntrack.peek().length ? { conntrack: conntrack.peek() } : {}),
    }),
    version,
    step,
    time,
    latestEvents,
    latest,
    log,
    horizon,
    ahead,
    inFlight,
    marks,
    macTables,
    arpCaches,
    routingTables,
    conntrack,
    outcomes,
    halted,
    canStep,
    canStepBack,
    next,
    playing,
    speed,
    selected,
    selectedFrame,
    lastMove,
    senders: scenario.devices.filter(canSend).map((d) => ({ id: d.id, name: name(d.id) })),
    targets: scenario.devices.filter((d) => canTarget(d, 'ping') || canTarget(d, 'raw')).map((d) => ({ id: d.id, name: name(d.id), ip: canTarget(d, 'ping'), raw: canTarget(d, 'raw') })),
    sendDefault: defaultSend(scenario),
    pendingScript,
    scriptLeftOut,
    name,
    stepForward,
    stepBack,
    goTo,
    reset,
    play,
    runToEnd,
    fast,
    pause,
    togglePlay,
    send,
    setSpeed(stepsPerSecond) {
      if (!(stepsPerSecond > 0)) return;
      speed.value = stepsPerSecond;
      // Apply the new pace from the next tick on.
      if (timer !== null) {
        scheduler.clearTimeout(timer);
        schedule();
      }
    },
    select(eventIndex) {
      selected.value = sim && eventIndex !== null && sim.trace[eventIndex]?.frame ? eventIndex : null;
    },
    dispose() {
      disposed = true;
      queued.length = 0;
      stop();
    },
  };
}

/** A function that runs its callback in a new task without setTimeout's 4 ms clamp (a MessageChannel message). */
function yieldToPage(): (callback: () => void) => void {
  if (typeof MessageChannel !== 'function') return (callback) => void globalThis.setTimeout(callback, 0);
  const waiting: (() => void)[] = [];
  let channel: MessageChannel | null = null;
  return (callback) => {
    if (!channel) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => waiting.shift()?.();
    }
    waiting.push(callback);
    channel.port2.postMessage(null);
  };
}

