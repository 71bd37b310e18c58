// bench-tor --breakdown's reading of a Chromium trace (scripts/lib/v8-cpu-trace.mjs): each
// thread's outermost events, by thread time, sorted by the work they are.
import { describe, expect, it } from 'vitest';
import { cpuByWork } from '../../scripts/lib/v8-cpu-trace.mjs';

const thread = (tid: number, name: string) => ({ ph: 'M', name: 'thread_name', pid: 1, tid, args: { name } });
const x = (tid: number, name: string, ts: number, dur: number, tdur: number) => ({ ph: 'X', name, pid: 1, tid, ts, dur, tdur });

describe('cpuByWork', () => {
  it('adds each thread’s outermost events once, by their thread time, sorted by work', () => {
    const trace = {
      traceEvents: [
        thread(10, 'DedicatedWorker thread'),
        thread(11, 'DedicatedWorker thread'),
        thread(20, 'ThreadPoolForegroundWorker'),
        thread(30, 'CrRendererMain'),
        // A worker's call (900 µs of CPU) with a scavenge inside it (100 µs): 900, of which 100 collecting.
        x(10, 'v8.callFunction', 0, 1_500, 900_000),
        x(10, 'MinorGC', 200, 300, 100_000),
        x(10, 'V8.GC_SCAVENGER', 210, 200, 90_000),
        // The other worker: a module compiled, then a call; a major collection inside it.
        x(11, 'v8.compileModule', 0, 100, 20_000),
        x(11, 'v8.callFunction', 100, 1_000, 700_000),
        x(11, 'MajorGC', 300, 100, 50_000),
        // Helper threads: compile tasks with their phases inside, and a collector task.
        x(20, 'V8.TurbofanTask', 0, 400, 300_000),
        x(20, 'V8.OptimizeBackground', 0, 400, 299_000),
        x(20, 'V8.MaglevTask', 500, 200, 150_000),
        x(20, 'V8.MaglevBackground', 510, 150, 120_000),
        x(20, 'V8.GC_SCAVENGER_BACKGROUND_SCAVENGE_PARALLEL', 800, 100, 60_000),
        x(30, 'v8.callFunction', 0, 50, 8_000),
        // Neither a complete event with a thread time nor metadata: not counted.
        { ph: 'B', name: 'v8.callFunction', pid: 1, tid: 30, ts: 100 },
        { ph: 'X', name: 'V8.TurbofanTask', pid: 1, tid: 20, ts: 2_000, dur: 10 },
      ],
    };
    expect(cpuByWork(trace)).toEqual({ workers: 1620, workersCollecting: 150, turbofan: 300, maglev: 150, collecting: 60, other: 8, total: 2138 });
  });

  it('reads a bare array of events too, and an event that starts as the last outermost ends is outermost', () => {
    const events = [thread(20, 'ThreadPoolForegroundWorker'), x(20, 'V8.TurbofanTask', 0, 100, 40_000), x(20, 'V8.TurbofanTask', 100, 100, 60_000)];
    expect(cpuByWork(events)).toMatchObject({ turbofan: 100, total: 100, workers: 0 });
  });
});
