// Where a browser benchmark's CPU time goes, read from a Chromium trace of V8's own events
// (Playwright's browser.startTracing with TRACE_CATEGORIES): running the page's workers (their
// JavaScript, and the collector's work on their threads), V8's compilers on its helper threads
// (TurboFan, Maglev), and the collector's helper threads. bench-tor.mjs --breakdown prints it.
//
// Each thread's events nest (a collection inside a function call): only the outermost are added,
// by their thread time (`tdur`: CPU, not wall time, on a machine whose cores the threads share).

/** What to trace: V8's execution, compiling and collecting, which carry thread times. */
export const TRACE_CATEGORIES = ['v8', 'v8.execute', 'disabled-by-default-v8.compile', 'disabled-by-default-v8.gc'];

const WORKER_THREAD = 'DedicatedWorker thread';

/**
 * The CPU time (ms) of a trace's outermost events, by the work they are: `workers` (every event on
 * a dedicated worker's thread), of which `workersCollecting` (its MinorGC and MajorGC events);
 * `turbofan` and `maglev` (their compile tasks on V8's helper threads); `collecting` (the
 * collector's tasks there); `other` (the rest, the page's own main thread among it); and `total`.
 * `trace` is the parsed JSON Chromium writes: `{ traceEvents: [...] }` or the array itself.
 */
export function cpuByWork(trace) {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const threadNames = new Map();
  const byThread = new Map();
  for (const e of events) {
    const thread = `${e.pid}:${e.tid}`;
    if (e.ph === 'M' && e.name === 'thread_name') threadNames.set(thread, e.args?.name ?? '');
    else if (e.ph === 'X' && typeof e.tdur === 'number' && typeof e.dur === 'number') {
      let list = byThread.get(thread);
      if (list === undefined) byThread.set(thread, (list = []));
      list.push(e);
    }
  }
  const ms = { workers: 0, workersCollecting: 0, turbofan: 0, maglev: 0, collecting: 0, other: 0, total: 0 };
  for (const [thread, list] of byThread) {
    const onWorker = threadNames.get(thread) === WORKER_THREAD;
    // Outermost first where two start together; an event starting before the last outermost one ends is inside it.
    list.sort((x, y) => x.ts - y.ts || y.dur - x.dur);
    let end = -Infinity;
    for (const e of list) {
      const cpu = e.tdur / 1000;
      if (onWorker && (e.name === 'MinorGC' || e.name === 'MajorGC')) ms.workersCollecting += cpu;
      if (e.ts < end) continue;
      end = e.ts + e.dur;
      ms.total += cpu;
      if (onWorker) ms.workers += cpu;
      else if (e.name === 'V8.TurbofanTask') ms.turbofan += cpu;
      else if (e.name === 'V8.MaglevTask') ms.maglev += cpu;
      else if (e.name.startsWith('V8.GC')) ms.collecting += cpu;
      else ms.other += cpu;
    }
  }
  for (const key of Object.keys(ms)) ms[key] = Math.round(ms[key]);
  return ms;
}
