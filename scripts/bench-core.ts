// Measures how fast the core runs thousands of hosts, against the goals of issue 9 (Core v2).
//
//   npm run bench:core [-- [--json] [--quick] [hosts…]]
//
// Numbers to quote, not a timed test. Prints a table (or, with --json, one JSON object) with:
//   headlessHopsPerSecond  frame-hops per second of a run that keeps no history (3,000-host fabric)
//   historyHopsPerSecond   the same fabric through `Simulation` as the player makes it (history: step back, and
//                          every event readable; run() records the events when they are read, by replay)
//   bytesPerEvent          heap per trace event once that Simulation has recorded its whole trace (by column),
//                          measured after a full GC
//   stepBackP95Ms          95th percentile of step back from seeded random points of a trace of ≥ 2.5 M events
//   broadcast4094Ms        one ARP request flooded by one bridge to 4,094 hosts: inject → quiescent (median)
//
// A frame-hop is one copy of a frame arriving at one device port: the engine processes one queued
// arrival and emits exactly one trace event of kind 'receive' for it (engine.ts deliverArrival).
// Hops are counted from those events in the history run, never estimated; the headless run keeps no
// trace, so it is credited with the same count, after checking that it took the same number of steps.
//   headless = Simulation({ history: false, trace: false }), what the CLI and build-time tables run;
//   history  = Simulation() with its defaults, what the player runs; both run() to quiescence.
// Both figures are steady-state throughput: the median of several runs of the same fabric in one
// process, after one first run. That first run also pays once per process for compiling the code
// (V8's JIT) and for touching fresh memory (slow on this VM); it is printed beside as `cold`, and the
// broadcast below is warmed the same way. A page's single first run is what bench:core:browser times.
//
// The fabric: `hosts` hosts on leaf bridges of 48 ports, joined by one core bridge; every 10th host
// pings its neighbour, so each ping's ARP request floods the whole fabric.
//
// It sets its own Node flags (--expose-gc for the memory figure, a larger heap for the long trace):
// run without them, it starts itself again with them. --quick measures a 1,000-host fabric and
// fewer samples (about 15 s); its figures are not the acceptance figures and say so (met: null).

import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Simulation } from '../src/sim/engine/simulation';
import { SCENARIO_FORMAT, type DeviceSpec, type LinkSpec, type Scenario, type TrafficAction } from '../src/sim/scenario/format';
import { validateScenario } from '../src/sim/scenario/validate';
import { busyBridge } from './lib/big-topologies.mjs';

const HEAP_MB = 6144;

if (typeof globalThis.gc !== 'function') {
  // Measuring memory needs a full collection on demand; the ≥ 2.5 M-event trace needs room.
  const child = spawnSync(process.execPath, ['--expose-gc', `--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(child.status ?? 2);
}
const gc = globalThis.gc as () => void;

// ---------- goals (issue 9, acceptance 3) ----------

const GOALS = {
  headlessHopsPerSecond: { atLeast: 2_000_000 },
  historyHopsPerSecond: { atLeast: 1_000_000 },
  bytesPerEvent: { atMost: 100 },
  stepBackP95Ms: { atMost: 16 },
  broadcast4094Ms: { atMost: 10 },
} as const;
type Figure = keyof typeof GOALS;

const DEFINITIONS = {
  frameHop: "one copy of a frame arriving at one device port: one processed queue arrival, counted as the trace events of kind 'receive' (the engine emits exactly one per arrival)",
  headless: 'Simulation({ history: false, trace: false }).run(): no step-back history and no trace; its frame-hops are the history run\'s count (same scenario, same steps: checked); median wall time of the runs after the first (cold) one',
  history: "Simulation with its default options (what the player runs) run() to quiescence: what step back needs (checkpoints, each step's event count); run() records no event, each is recorded when first read by replaying its steps from the nearest checkpoint (timed separately: traceRead, eventRead); median wall time of the runs after the first (cold) one",
  bytesPerEvent: "growth of heapUsed + external (external holds the frames' ArrayBuffers) from the built Simulation to the end of reading its whole trace (every event recorded by column; none kept as an object), both after a full GC, divided by the trace events; keptBytesPerEvent: the same growth at the end of run(), before any read",
  traceRead: 'after the timed run, every event read once in order with eventAt() (recorded by replay, not kept as objects): wall time',
  eventRead: 'a fresh history run of the fabric, then eventsOfStep() at seeded random steps (each recorded by replay from the nearest checkpoint unless a read before recorded it): wall time per read',
  stepBack: 'wall time of one Simulation.stepBack() at seeded random steps whose trace already holds ≥ 2,500,000 events, in a second history run stepped forward to each point (untimed); each step is redone with step() after the sample',
  broadcast: 'one bridge with 4,095 ports and 4,095 hosts; a fresh Simulation (built outside the timing), h1 injects arping h4095: time from inject to quiescence; median of fresh runs after warm-up',
};

// ---------- arguments ----------

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const unknown = args.filter((a) => a.startsWith('-') && a !== '--json' && a !== '--quick');
if (unknown.length) {
  console.error(`bench-core: unknown option ${unknown[0]} (usage: npm run bench:core -- [--json] [--quick] [hosts…])`);
  process.exit(2);
}
const ACCEPTANCE_HOSTS = 3000;
const mainHosts = quick ? 1000 : ACCEPTANCE_HOSTS;
const extraSizes = args.map(Number).filter((n) => Number.isInteger(n) && n > 0 && n !== mainHosts);
const STEP_BACK_TRACE_EVENTS = 2_500_000;
const STEP_BACK_SAMPLES = quick ? 10 : 40;
/** Runs of the fabric measured after its first (cold) run, headless and with history: the figures are their medians. */
const FABRIC_RUNS = quick ? 2 : 9;
const HISTORY_RUNS = quick ? 1 : 5;
const BROADCAST_HOSTS = 4095;
const BROADCAST_WARMUP = quick ? 2 : 3;
const BROADCAST_RUNS = quick ? 3 : 9;
const SEED = 0x5eed;

// ---------- topologies ----------

/** `hosts` hosts spread over leaf bridges of 48 ports, joined by one core bridge; every `pingEvery`th host pings its neighbour. */
function fabric(hosts: number, pingEvery = 10): Scenario {
  const perLeaf = 47;
  const leaves = Math.ceil(hosts / perLeaf);
  const devices: DeviceSpec[] = [{ id: 'core', kind: 'bridge', ports: Array.from({ length: leaves }, (_, i) => `p${i + 1}`) }];
  const links: LinkSpec[] = [];
  for (let l = 0; l < leaves; l++) {
    devices.push({ id: `leaf${l}`, kind: 'bridge', ports: Array.from({ length: perLeaf + 1 }, (_, i) => `p${i}`) });
    links.push({ a: `leaf${l}:p0`, b: `core:p${l + 1}` });
  }
  for (let h = 0; h < hosts; h++) {
    const n = h + 1;
    const mac = `02:00:00:${((n >> 16) & 0xff).toString(16).padStart(2, '0')}:${((n >> 8) & 0xff).toString(16).padStart(2, '0')}:${(n & 0xff).toString(16).padStart(2, '0')}`;
    devices.push({ id: `h${n}`, kind: 'host', nics: [{ port: 'eth0', mac, ip: `10.${(n >> 16) & 0xff}.${(n >> 8) & 0xff}.${n & 0xff}/8` }] });
    links.push({ a: `h${n}:eth0`, b: `leaf${Math.floor(h / perLeaf)}:p${(h % perLeaf) + 1}` });
  }
  const traffic: TrafficAction[] = [];
  for (let h = 1; h + 1 <= hosts; h += pingEvery) traffic.push({ at: h, from: `h${h}`, do: 'ping', to: `h${h + 1}` });
  return validated({ format: SCENARIO_FORMAT, id: 'bench', title: 'bench', devices, links, traffic });
}

function validated(input: unknown): Scenario {
  const result = validateScenario(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 3)));
  return result.scenario;
}

function answeredPings(actions: Readonly<Record<number, { outcome?: { ok: boolean } }>>): number {
  return Object.values(actions).filter((a) => a.outcome?.ok).length;
}

// ---------- measurements ----------

/** mulberry32, seeded: the step-back sample points are the same on every run. */
function rng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
};
const median = (values: readonly number[]): number => percentile(values, 0.5);
/**
 * The process's CPU time in ms (user + system). On a shared machine wall-clock time includes waiting
 * for a core; CPU time does not (but it adds V8's helper threads, e.g. parallel GC). Printed beside.
 */
const cpuNow = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const heapNow = (): number => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

interface HeadlessResult {
  steps: number;
  ms: number;
  cpuMs: number;
}

interface Repeated<R extends { ms: number }> {
  /** The first run in the process for this fabric. */
  cold: R;
  /** The runs after it. */
  runs: R[];
  /** The run of median wall time among `runs`: the figure. */
  median: R;
}

/** One cold run of `run`, then `n` more; the median is taken of those n. */
function repeated<R extends { ms: number }>(n: number, run: () => R): Repeated<R> {
  const cold = run();
  const runs = Array.from({ length: n }, run);
  const median = [...runs].sort((a, b) => a.ms - b.ms)[(runs.length - 1) >> 1]!;
  return { cold, runs, median };
}

/** A Simulation that keeps no history and no trace: what the CLI and the build-time tables run. */
function runHeadless(scenario: Scenario): HeadlessResult {
  const sim = new Simulation(scenario, { history: false, trace: false });
  // On a collected heap, as the history run (heapNow) and the broadcast start: not paying, inside
  // the timing, for collecting the run before it.
  gc();
  const cpu = cpuNow();
  const start = performance.now();
  sim.run(Number.MAX_SAFE_INTEGER);
  const ms = performance.now() - start;
  const cpuMs = cpuNow() - cpu;
  if (!sim.isQuiescent || answeredPings(sim.state.actions) !== scenario.traffic.length) throw new Error(`headless: only ${answeredPings(sim.state.actions)} of ${scenario.traffic.length} pings were answered`);
  return { steps: sim.stepCount, ms, cpuMs };
}

interface HistoryResult {
  steps: number;
  events: number;
  hops: number;
  ms: number;
  cpuMs: number;
  hopsPerSecond: number;
  bytesPerEvent: number;
  heapGrowthBytes: number;
  /** Heap per event kept by the run itself, before anything read its events. */
  keptBytesPerEvent: number;
  /** Reading every event once, in order, after the run (each recorded by replay). */
  traceReadMs: number;
  /** The step that brought the trace to STEP_BACK_TRACE_EVENTS events (null: it never got there). */
  stepReaching: number | null;
}

/** A Simulation with its default history, as the player makes it, run to quiescence by run(). */
function runHistory(scenario: Scenario): HistoryResult {
  const sim = new Simulation(scenario);
  const before = heapNow();
  const cpu = cpuNow();
  const start = performance.now();
  sim.run(Number.MAX_SAFE_INTEGER);
  const ms = performance.now() - start;
  const cpuMs = cpuNow() - cpu;
  if (!sim.isQuiescent || answeredPings(sim.state.actions) !== scenario.traffic.length) throw new Error('history: not every ping was answered');
  const kept = heapNow() - before;
  // Every event, read once in order (as objects made and dropped): the run recorded none, so this
  // records the whole trace by replaying from checkpoints, and the hops are counted from it.
  const events = sim.traceLength;
  let hops = 0;
  let stepReaching: number | null = null;
  const readStart = performance.now();
  for (let i = 0; i < events; i++) {
    const event = sim.eventAt(i)!;
    if (event.kind === 'receive') hops++;
    if (i === STEP_BACK_TRACE_EVENTS - 1) stepReaching = event.step;
  }
  const traceReadMs = performance.now() - readStart;
  const growth = heapNow() - before;
  return { steps: sim.stepCount, events, hops, ms, cpuMs, hopsPerSecond: hops / (ms / 1000), bytesPerEvent: growth / events, heapGrowthBytes: growth, keptBytesPerEvent: kept / events, traceReadMs, stepReaching };
}

interface StepBackResult {
  /** Step back times (ms) at the sample points, in step order. */
  samplesMs: number[];
  /** The shortest trace a step back was taken on. */
  traceEventsAtSamples: number;
}

/**
 * Steps a fresh Simulation forward (untimed) and, at each of `points` (step numbers, ascending),
 * times one step back, then redoes the step so that the run goes on as before.
 */
function measureStepBack(scenario: Scenario, points: readonly number[]): StepBackResult {
  const sim = new Simulation(scenario);
  const samplesMs: number[] = [];
  let traceEventsAtSamples = Infinity;
  for (const point of points) {
    while (sim.stepCount < point && sim.step() !== null) {
      /* forward to the point */
    }
    if (sim.stepCount !== point) throw new Error(`step back: the run ended at step ${sim.stepCount}, before step ${point}`);
    // traceLength, not trace.length: reading `trace` would make an object of every event (the
    // simulation keeps them by column until something reads them), which the player never does.
    const length = sim.traceLength;
    traceEventsAtSamples = Math.min(traceEventsAtSamples, length);
    const start = performance.now();
    sim.stepBack();
    samplesMs.push(performance.now() - start);
    sim.step();
    if (sim.traceLength !== length) throw new Error(`step ${point} redone after a step back left ${sim.traceLength} events, not ${length}`);
  }
  return { samplesMs, traceEventsAtSamples };
}

/** A fresh history run to quiescence (untimed), then one timed eventsOfStep() at each of `points`, in seeded random order. */
function measureEventRead(scenario: Scenario, points: readonly number[]): { samplesMs: number[]; events: number } {
  const sim = new Simulation(scenario);
  sim.run(Number.MAX_SAFE_INTEGER);
  const order = [...points];
  const random = rng(SEED + 1);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const samplesMs: number[] = [];
  let events = 0;
  for (const step of order) {
    const start = performance.now();
    events += sim.eventsOfStep(step).length;
    samplesMs.push(performance.now() - start);
  }
  return { samplesMs, events };
}

/** `count` distinct step numbers in [from, to], ascending, from a seeded generator (a step back needs a step after it to redo, hence `to` < the last step). */
function samplePoints(from: number, to: number, count: number): number[] {
  const random = rng(SEED);
  const points = new Set<number>();
  const span = to - from + 1;
  while (points.size < Math.min(count, span)) points.add(from + Math.floor(random() * span));
  return [...points].sort((a, b) => a - b);
}

interface BroadcastResult {
  hosts: number;
  reached: number;
  hops: number;
  runsMs: number[];
  medianMs: number;
  cpuRunsMs: number[];
  cpuMedianMs: number;
}

function runBroadcast(): BroadcastResult {
  const scenario = validated(busyBridge(BROADCAST_HOSTS, 0));
  const target = `h${BROADCAST_HOSTS}`;
  const runsMs: number[] = [];
  const cpuRunsMs: number[] = [];
  let reached = 0;
  let hops = 0;
  for (let run = 0; run < BROADCAST_WARMUP + BROADCAST_RUNS; run++) {
    const sim = new Simulation(scenario);
    // A fresh run starts on a clean heap, as a fresh page does: no collection of earlier runs' garbage inside the timing.
    gc();
    const cpu = cpuNow();
    const start = performance.now();
    const id = sim.inject({ from: 'h1', do: 'arp', to: target });
    sim.run();
    const ms = performance.now() - start;
    const cpuMs = cpuNow() - cpu;
    if (!sim.isQuiescent || sim.actionStatus(id) !== 'ok') throw new Error(`broadcast: the ARP for ${target} ended ${sim.actionStatus(id)}`);
    // Hosts other than the sender that received a frame: every one of them got the flooded request.
    const receivers = new Set<string>();
    hops = 0;
    for (const event of sim.trace) {
      if (event.kind !== 'receive') continue;
      hops++;
      if (event.device !== 'br0' && event.device !== 'h1') receivers.add(event.device);
    }
    reached = receivers.size;
    if (reached !== BROADCAST_HOSTS - 1) throw new Error(`broadcast reached ${reached} hosts, not ${BROADCAST_HOSTS - 1}`);
    if (run >= BROADCAST_WARMUP) {
      runsMs.push(ms);
      cpuRunsMs.push(cpuMs);
    }
  }
  return { hosts: BROADCAST_HOSTS, reached, hops, runsMs, medianMs: median(runsMs), cpuRunsMs, cpuMedianMs: median(cpuRunsMs) };
}

// ---------- the run ----------

const loadBefore = loadavg();
const started = performance.now();
const progress = (message: string) => {
  if (!json) process.stderr.write(`… ${message}\n`);
};

interface Row {
  hosts: number;
  bridges: number;
  pings: number;
  steps: number;
  events: number;
  hops: number;
  headlessMs: number;
  headlessCpuMs: number;
  headlessHopsPerSecond: number;
  historyMs: number;
  historyCpuMs: number;
  historyHopsPerSecond: number;
  bytesPerEvent: number;
}

const rows: Row[] = [];
let main: { scenario: Scenario; headless: HeadlessResult; history: HistoryResult; headlessRuns: Repeated<HeadlessResult>; historyRuns: Repeated<HistoryResult> } | null = null;
for (const hosts of [...extraSizes.filter((n) => n < mainHosts), mainHosts, ...extraSizes.filter((n) => n > mainHosts)]) {
  const scenario = fabric(hosts);
  progress(`${hosts.toLocaleString('en')}-host fabric: headless, 1 + ${FABRIC_RUNS} runs`);
  const headlessRuns = repeated(FABRIC_RUNS, () => runHeadless(scenario));
  const headless = headlessRuns.median;
  progress(`${hosts.toLocaleString('en')}-host fabric: history, 1 + ${HISTORY_RUNS} runs`);
  const historyRuns = repeated(HISTORY_RUNS, () => runHistory(scenario));
  const history = historyRuns.median;
  // The same scenario takes the same steps, with or without history: the history run's hop count holds for both.
  if (headless.steps !== history.steps) throw new Error(`the headless run took ${headless.steps} steps, the history run ${history.steps}: the two runs differ`);
  if (hosts === mainHosts) main = { scenario, headless, history, headlessRuns, historyRuns };
  rows.push({
    hosts,
    bridges: scenario.devices.filter((d) => d.kind === 'bridge').length,
    pings: scenario.traffic.length,
    steps: history.steps,
    events: history.events,
    hops: history.hops,
    headlessMs: headless.ms,
    headlessCpuMs: headless.cpuMs,
    headlessHopsPerSecond: history.hops / (headless.ms / 1000),
    historyMs: history.ms,
    historyCpuMs: history.cpuMs,
    historyHopsPerSecond: history.hopsPerSecond,
    bytesPerEvent: history.bytesPerEvent,
  });
}
if (!main) throw new Error('unreachable: the main fabric was not measured');

// Step back from seeded random points of the main fabric's run once its trace holds 2.5 M events
// (--quick: of the last tenth of the 1,000-host run). A core that writes fewer events per hop may
// leave the 3,000-host trace short of that: then a fabric with more pings, scaled to reach it.
let stepBackScenario = main.scenario;
let pingEvery = 10;
let shape = { steps: main.history.steps, events: main.history.events, stepReaching: quick ? Math.floor(main.history.steps * 0.9) : main.history.stepReaching };
if (shape.stepReaching === null) {
  pingEvery = Math.max(1, Math.floor((10 * main.history.events) / (STEP_BACK_TRACE_EVENTS * 1.1)));
  progress(`step back: the ${mainHosts.toLocaleString('en')}-host trace has ${main.history.events.toLocaleString('en')} events; a fabric pinging from every ${pingEvery}th host`);
  stepBackScenario = fabric(mainHosts, pingEvery);
  const sim = new Simulation(stepBackScenario, { history: false });
  sim.run(Number.MAX_SAFE_INTEGER);
  const trace = sim.trace;
  shape = { steps: sim.stepCount, events: trace.length, stepReaching: trace.length >= STEP_BACK_TRACE_EVENTS ? trace[STEP_BACK_TRACE_EVENTS - 1]!.step : null };
  if (shape.stepReaching === null) throw new Error(`step back: even pinging from every ${pingEvery}th host makes only ${trace.length} events`);
}
progress(`step back: ${STEP_BACK_SAMPLES} seeded points after step ${shape.stepReaching!.toLocaleString('en')} of ${shape.steps.toLocaleString('en')}`);
const stepBackRun = measureStepBack(stepBackScenario, samplePoints(shape.stepReaching!, shape.steps - 1, STEP_BACK_SAMPLES));
const stepBack = { scenarioHosts: mainHosts, pingEvery, traceEvents: shape.events, ...stepBackRun };

progress(`reading events after a run: ${STEP_BACK_SAMPLES} seeded random steps`);
const eventRead = measureEventRead(main.scenario, samplePoints(1, main.history.steps, STEP_BACK_SAMPLES));

progress(`broadcast to ${(BROADCAST_HOSTS - 1).toLocaleString('en')} hosts: ${BROADCAST_WARMUP} warm-up + ${BROADCAST_RUNS} runs`);
const broadcast = runBroadcast();

// ---------- the report ----------

const figures: Record<Figure, number | null> = {
  headlessHopsPerSecond: Math.round(main.history.hops / (main.headless.ms / 1000)),
  historyHopsPerSecond: Math.round(main.history.hopsPerSecond),
  bytesPerEvent: Math.round(main.history.bytesPerEvent),
  stepBackP95Ms: round(percentile(stepBack.samplesMs, 0.95)),
  broadcast4094Ms: round(broadcast.medianMs),
};
/** Whether each figure meets its goal; null where this run does not measure what the goal names (--quick). */
const met = Object.fromEntries(
  (Object.keys(GOALS) as Figure[]).map((name) => {
    const value = figures[name];
    const goal: { atLeast?: number; atMost?: number } = GOALS[name];
    const comparable = value !== null && (name === 'broadcast4094Ms' || !quick) && (name !== 'stepBackP95Ms' || stepBack.traceEventsAtSamples >= STEP_BACK_TRACE_EVENTS);
    if (!comparable) return [name, null];
    return [name, goal.atLeast !== undefined ? value >= goal.atLeast : value <= goal.atMost!];
  }),
) as Record<Figure, boolean | null>;

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

const machine = {
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: availableParallelism(),
  loadAverageBefore: loadBefore.map(round),
  loadAverageAfter: loadavg().map(round),
  heapLimitMb: HEAP_MB,
};

if (json) {
  console.log(
    JSON.stringify(
      {
        ...figures,
        goals: GOALS,
        met,
        allGoalsMet: Object.values(met).every((m) => m === true),
        quick,
        fabricHosts: mainHosts,
        definitions: DEFINITIONS,
        headless: {
          steps: main.headless.steps,
          ms: Math.round(main.headless.ms),
          cpuMs: Math.round(main.headless.cpuMs),
          hops: main.history.hops,
          hopsPerSecond: figures.headlessHopsPerSecond,
          runsMs: main.headlessRuns.runs.map((r) => Math.round(r.ms)),
          coldMs: Math.round(main.headlessRuns.cold.ms),
          coldCpuMs: Math.round(main.headlessRuns.cold.cpuMs),
          coldHopsPerSecond: Math.round(main.history.hops / (main.headlessRuns.cold.ms / 1000)),
        },
        history: {
          ...main.history,
          ms: Math.round(main.history.ms),
          cpuMs: Math.round(main.history.cpuMs),
          hopsPerSecond: figures.historyHopsPerSecond,
          bytesPerEvent: round(main.history.bytesPerEvent),
          keptBytesPerEvent: round(main.history.keptBytesPerEvent),
          traceReadMs: Math.round(main.history.traceReadMs),
          runsMs: main.historyRuns.runs.map((r) => Math.round(r.ms)),
          coldMs: Math.round(main.historyRuns.cold.ms),
          coldCpuMs: Math.round(main.historyRuns.cold.cpuMs),
          coldHopsPerSecond: Math.round(main.historyRuns.cold.hopsPerSecond),
        },
        stepBack: {
          ...stepBack,
          samples: stepBack.samplesMs.length,
          seed: SEED,
          p50Ms: round(median(stepBack.samplesMs)),
          maxMs: round(Math.max(...stepBack.samplesMs)),
          samplesMs: stepBack.samplesMs.map(round),
        },
        eventRead: { samples: eventRead.samplesMs.length, seed: SEED, p50Ms: round(median(eventRead.samplesMs)), p95Ms: round(percentile(eventRead.samplesMs, 0.95)), maxMs: round(Math.max(...eventRead.samplesMs)), samplesMs: eventRead.samplesMs.map(round) },
        broadcast: { ...broadcast, warmup: BROADCAST_WARMUP, runsMs: broadcast.runsMs.map(round), medianMs: round(broadcast.medianMs), cpuRunsMs: broadcast.cpuRunsMs.map(round), cpuMedianMs: round(broadcast.cpuMedianMs) },
        fabrics: rows.map((r) => ({ ...r, headlessMs: Math.round(r.headlessMs), headlessCpuMs: Math.round(r.headlessCpuMs), historyMs: Math.round(r.historyMs), historyCpuMs: Math.round(r.historyCpuMs), headlessHopsPerSecond: Math.round(r.headlessHopsPerSecond), historyHopsPerSecond: Math.round(r.historyHopsPerSecond), bytesPerEvent: Math.round(r.bytesPerEvent) })),
        machine,
        totalSeconds: round((performance.now() - started) / 1000),
      },
      null,
      2,
    ),
  );
} else {
  const n = (v: number) => Math.round(v).toLocaleString('en');
  console.log('A frame-hop: one copy of a frame arriving at one device port (one "receive" trace event).');
  console.log('headless: Simulation({ history: false, trace: false }); history: Simulation() as the player makes it, run() to the end (its events are recorded when read, by replay: timed below).\n');
  console.log('hosts  bridges  pings      steps      events   frame-hops   headless ms  (CPU ms)  headless hops/s   history ms  (CPU ms)  history hops/s  bytes/event');
  for (const r of rows) {
    console.log(
      [
        String(r.hosts).padStart(5),
        String(r.bridges).padStart(8),
        String(r.pings).padStart(6),
        n(r.steps).padStart(10),
        n(r.events).padStart(11),
        n(r.hops).padStart(12),
        n(r.headlessMs).padStart(13),
        `(${n(r.headlessCpuMs)})`.padStart(9),
        n(r.headlessHopsPerSecond).padStart(16),
        n(r.historyMs).padStart(12),
        `(${n(r.historyCpuMs)})`.padStart(9),
        n(r.historyHopsPerSecond).padStart(15),
        n(r.bytesPerEvent).padStart(12),
      ].join(' '),
    );
  }
  console.log(
    `first (cold) run of the ${n(mainHosts)}-host fabric: headless ${n(main.headlessRuns.cold.ms)} ms (${n(main.history.hops / (main.headlessRuns.cold.ms / 1000))} hops/s), history ${n(main.historyRuns.cold.ms)} ms (${n(main.historyRuns.cold.hopsPerSecond)} hops/s); the figures are medians of the ${FABRIC_RUNS} and ${HISTORY_RUNS} runs after it (headless ${main.headlessRuns.runs.map((r) => n(r.ms)).join(', ')} ms; history ${main.historyRuns.runs.map((r) => n(r.ms)).join(', ')} ms)`,
  );
  console.log('');
  {
    console.log(
      `step back (${stepBack.samplesMs.length} seeded random points, trace ≥ ${n(stepBack.traceEventsAtSamples)} events): p50 ${round(median(stepBack.samplesMs))} ms, p95 ${round(percentile(stepBack.samplesMs, 0.95))} ms, max ${round(Math.max(...stepBack.samplesMs))} ms`,
    );
  }
  console.log(
    `history run's trace, read after it: every event in order ${n(main.history.traceReadMs)} ms (recorded by replay; ${round(main.history.bytesPerEvent)} bytes/event then, ${round(main.history.keptBytesPerEvent)} kept by the run before any read); one step's events at ${eventRead.samplesMs.length} seeded random steps: p50 ${round(median(eventRead.samplesMs))} ms, p95 ${round(percentile(eventRead.samplesMs, 0.95))} ms, max ${round(Math.max(...eventRead.samplesMs))} ms`,
  );
  console.log(`broadcast to ${n(broadcast.reached)} hosts (${n(broadcast.hops)} frame-hops), inject → quiescent: median ${round(broadcast.medianMs)} ms of ${broadcast.runsMs.length} (${broadcast.runsMs.map((v) => v.toFixed(1)).join(', ')}); CPU time median ${round(broadcast.cpuMedianMs)} ms`);
  console.log('');
  console.log(`figure                     value        goal       met${quick ? '   (--quick: a 1,000-host fabric, not the acceptance figures)' : ''}`);
  for (const name of Object.keys(GOALS) as Figure[]) {
    const goal: { atLeast?: number; atMost?: number } = GOALS[name];
    const value = figures[name];
    const goalText = goal.atLeast !== undefined ? `≥ ${n(goal.atLeast)}` : `≤ ${n(goal.atMost!)}`;
    console.log(`${name.padEnd(24)} ${(value === null ? '—' : value.toLocaleString('en')).padStart(10)} ${goalText.padStart(12)} ${(met[name] === null ? '—' : met[name] ? 'yes' : 'no').padStart(8)}`);
  }
  console.log(`\nNode ${machine.node}, ${machine.cores} cores (${machine.cpu}), load average ${machine.loadAverageBefore.join(' ')} before, ${machine.loadAverageAfter.join(' ')} after; ${((performance.now() - started) / 1000).toFixed(0)} s.`);
}
