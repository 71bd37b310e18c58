// The trace by column (src/sim/engine/trace-store.ts): every event read back from the store must be
// the event the engine made, field for field and sentence for sentence, before and after step back,
// across the store's chunk boundaries, and for steps that made no event.

import { describe, expect, it } from 'vitest';
import { scenario, scenarios } from '../../src/scenarios/index';
import { buildState, objectSink, processNext, tracedEvent, type RawEvent } from '../../src/sim/engine/engine';
import { Simulation } from '../../src/sim/engine/simulation';
import { CHUNK, TraceStore } from '../../src/sim/engine/trace-store';
import type { TracedEvent } from '../../src/sim/narrate';
import type { Scenario } from '../../src/sim/scenario/format';
import type { TraceEvent } from '../../src/sim/trace';

/** The engine's own events for a run to quiescence, kept as the objects it made (no store in between). */
function engineEvents(s: Scenario): TracedEvent[] {
  const names = new Map(s.devices.map((d) => [d.id, d.label ?? d.id]));
  const state = buildState(s);
  const events: TracedEvent[] = [];
  const options = {};
  const sink = objectSink(names, (e) => void events.push(e));
  while (processNext(state, sink, names, options)) {
    /* to the end */
  }
  return events;
}

/** What a reader can see of an event: every field, and its sentence. */
const seen = (e: TraceEvent) => ({ ...e, text: e.text });

describe('the trace store', () => {
  it('gives back every event of every chapter scenario as the engine made it, sentence included', () => {
    for (const s of Object.values(scenarios)) {
      const expected = engineEvents(s).map(seen);
      const sim = new Simulation(s);
      sim.run();
      expect(sim.traceLength, s.id).toBe(expected.length);
      expect(sim.trace.map(seen), s.id).toEqual(expected);
      // Reading one event, or one step's, makes the same event.
      const last = expected.at(-1)!;
      expect(seen(sim.eventAt(last.index)!)).toEqual(last);
      expect(sim.eventsOfStep(last.step).map(seen)).toEqual(expected.filter((e) => e.step === last.step));
    }
  });

  it('forgets what a step back undoes, and stores the redone steps as the first time', () => {
    const s = scenario('hub-vs-bridge/bridge');
    const expected = engineEvents(s).map(seen);
    const sim = new Simulation(s);
    sim.run();
    const steps = sim.stepCount;
    for (let back = 0; back < steps; back += 3) sim.stepBack();
    const kept = sim.traceLength;
    expect(kept).toBe(expected.filter((e) => e.step <= sim.stepCount).length);
    expect(sim.eventAt(kept)).toBeUndefined();
    expect(sim.trace.map(seen)).toEqual(expected.slice(0, kept));
    sim.run();
    expect(sim.trace.map(seen)).toEqual(expected);
  });

  it('keeps events across chunk boundaries, steps without events, and events at another time than their step', () => {
    // Devices d0 … d6 known from the start, in slot order: half the events name theirs by slot. One
    // cable, near ↔ peer: some of the events that name the far end as their peer name their cable end.
    const near = Object.freeze({ device: 'd0', port: 'eth0' });
    const peer = Object.freeze({ device: 'far', port: 'p9' });
    const store = new TraceStore(['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6'], [], [near, peer]);
    const frame = Uint8Array.of(1, 2, 3);
    const made: RawEvent[] = [];
    const names = new Map<string, string>();
    // 70,000 events over steps 1, 3, 5 … (even steps make none), across chunk boundaries (65,536 is one);
    // most have a port name of their own, so that port indices outgrow a 16-bit column; the actions
    // of a step's events differ.
    expect(65_536 % CHUNK).toBe(0);
    expect(CHUNK).toBeLessThan(65_536);
    for (let i = 0; i < 70_000; i++) {
      const step = 2 * Math.floor(i / 4) + 1;
      const e: RawEvent = {
        index: i, step, time: step * 10 + (i % 4 === 3 ? 1 : 0), device: `d${i % 7}`, slot: i % 2 ? i % 7 : -1, kind: i % 2 ? 'receive' : 'drop', reason: i % 2 ? 'frame-arrived' : 'no-cable',
        text: i % 5 === 0 ? `said ${i}` : undefined, port: i % 50 ? `p${i}` : 'eth0', end: i % 150 === 0 ? 0 : -1, frameId: i % 2 ? i : undefined, frame: i % 2 === 0 ? frame : undefined,
        ports: i % 10 === 0 ? ['p1', 'p2'] : undefined, peer: i % 6 === 0 ? peer : undefined, actionId: i % 8 === 0 ? i % 3 : undefined,
        cause: i > 0 ? i - 1 : undefined, origin: i % 3 ? 7 : undefined, args: i % 4 === 1 ? ({ copies: i, elapsed: 3 } as never) : undefined,
      };
      store.record(e);
      made.push(e);
    }
    const check = (i: number) => {
      const got = store.get(i, names);
      const want = tracedEvent(made[i]!, names);
      expect({ ...got, text: got.text }).toEqual({ ...want, text: want.text });
    };
    for (const i of [0, 1, 3, 65_535, 65_536, 65_537, 69_999]) check(i);
    expect(store.lengthAt(0)).toBe(0);
    expect(store.lengthAt(1)).toBe(4);
    expect(store.lengthAt(2)).toBe(4);
    expect(store.stepOf(65_536)).toBe(made[65_536]!.step);
    // Back to the end of step 32,767, whose events end at the chunk boundary, then on again.
    const length = store.lengthAt(32_767);
    expect(length).toBe(65_536);
    store.truncate(length);
    expect(store.length).toBe(length);
    for (let i = length; i < 70_000; i++) store.record(made[i]!);
    for (const i of [length - 1, length, 69_999]) check(i);
    // And back to the middle of a chunk.
    store.truncate(store.lengthAt(101));
    expect(store.length).toBe(204);
    for (let i = 204; i < 70_000; i++) store.record(made[i]!);
    for (const i of [203, 204, 65_536, 69_999]) check(i);
  });
});
