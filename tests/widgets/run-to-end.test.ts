// "Run to the end": the player runs the rest of the run in slices of at most SLICE_MS of core
// steps, draws at most once per frame, stops at quiescence, a halt or Pause, and ends exactly
// where stepping by hand ends. The log and the frames in flight, kept incrementally, always equal
// what a full rescan of the trace gives, whatever mix of steps, step backs, resets and sends.

import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index.ts';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { createPlayerModel, SLICE_MS, type PlayerModel, type Scheduler, type StepGroup } from '../../src/widgets/player-model.ts';
import { eventProto } from '../../src/widgets/player-run.ts';
import { Tables, TABLES_SHOWN } from '../../src/widgets/Tables.tsx';
import { EventLog, LOG_SHOWN, newestEvents } from '../../src/widgets/EventLog.tsx';
import { bridgeLoop, manyHosts, prototypeNames } from '../render/big-and-odd.ts';

/** A scheduler whose clock moves `perCall` ms each time it is read, with queues the test drains. */
function fakeScheduler(perCall = 1) {
  let clock = 0;
  const tasks: (() => void)[] = [];
  const frames: (() => void)[] = [];
  const scheduler: Scheduler = {
    setTimeout: () => 0,
    clearTimeout: () => {},
    now: () => (clock += perCall),
    soon: (callback) => void tasks.push(callback),
    frame: (callback) => void frames.push(callback),
  };
  return {
    scheduler,
    tasks,
    frames,
    /** Runs queued tasks (and a frame every few tasks) until none is left; returns how many tasks ran. */
    drain(limit = 100_000): number {
      let ran = 0;
      while (tasks.length > 0 && ran < limit) {
        tasks.shift()!();
        ran++;
        if (ran % 2 === 0) frames.splice(0).forEach((f) => f());
      }
      frames.splice(0).forEach((f) => f());
      return ran;
    },
  };
}

/** The log as a full rescan of the trace would build it. */
function rescan(model: PlayerModel): StepGroup[] {
  const groups: StepGroup[] = [];
  for (const e of model.sim.trace) {
    let g = groups.at(-1);
    if (!g || g.step !== e.step) groups.push((g = { step: e.step, time: e.time, events: [] }));
    const view: StepGroup['events'][number] = { index: e.index, kind: e.kind, reason: e.reason, device: e.device, text: e.text, hasFrame: e.frame !== undefined, proto: eventProto(e, model.sim) };
    if (e.port !== undefined) view.port = e.port;
    g.events.push(view);
  }
  return groups;
}

describe('Run to the end', () => {
  it('ends where stepping by hand ends, in slices of at most SLICE_MS, without animation', () => {
    const scenario = scenarios['hub-vs-bridge/bridge']!;
    const byHand = createPlayerModel(scenario);
    while (byHand.canStep.value) byHand.stepForward();

    const fake = fakeScheduler(1);
    const model = createPlayerModel(scenario, { scheduler: fake.scheduler });
    model.runToEnd();
    expect(model.playing.value).toBe(true);
    expect(model.fast.value).toBe(true);
    expect(model.step.value).toBe(0); // nothing runs inside the press itself
    const slices = fake.drain();
    // The clock moves 1 ms per read: a slice takes at most SLICE_MS steps.
    expect(slices).toBeGreaterThanOrEqual(Math.ceil(byHand.step.value / SLICE_MS));
    expect(model.step.value).toBe(byHand.step.value);
    expect(model.log.value).toEqual(byHand.log.value);
    expect(model.arpCaches.value).toEqual(byHand.arpCaches.value);
    expect(model.playing.value).toBe(false);
    expect(model.fast.value).toBe(false);
    expect(model.canStep.value).toBe(false);
    expect(model.lastMove.value).toBe('jump');
  });

  it('stops at a storm in a 500-host bridge loop with the core’s notice', () => {
    const fake = fakeScheduler(0.01);
    const model = createPlayerModel(bridgeLoop(500), { scheduler: fake.scheduler });
    model.runToEnd();
    fake.drain();
    expect(model.halted.value?.reason).toBe('broadcast-storm');
    expect(model.halted.value?.text).toMatch(/^Broadcast storm/);
    expect(model.playing.value).toBe(false);
    expect(model.canStep.value).toBe(false);
  });

  it('halts with the core’s explanation when it uses up its step budget, as run() does, and Step back undoes the halt', () => {
    const fake = fakeScheduler(0.01);
    const model = createPlayerModel(scenarios['hub-vs-bridge/bridge']!, { scheduler: fake.scheduler, stepBudget: 5 });
    model.runToEnd();
    fake.drain();
    expect(model.step.value).toBe(5);
    expect(model.halted.value?.reason).toBe('event-budget');
    expect(model.halted.value?.text).toMatch(/^Stopped after 5 steps with frames still in flight/);
    expect(model.sim.trace.at(-1)).toMatchObject({ kind: 'halt', reason: 'event-budget' });
    expect(model.canStep.value).toBe(false);
    expect(model.playing.value).toBe(false);
    model.stepBack();
    expect(model.halted.value).toBeNull();
    expect(model.canStep.value).toBe(true);
    expect(model.sim.trace.some((e) => e.kind === 'halt')).toBe(false);
  });

  it('draws at most once per frame while it runs, and Pause stops it at once', () => {
    const fake = fakeScheduler(1);
    const model = createPlayerModel(manyHosts(60), { scheduler: fake.scheduler });
    model.runToEnd();
    let draws = 0;
    const unsubscribe = model.version.subscribe(() => draws++);
    draws = 0;
    for (let i = 0; i < 6; i++) fake.tasks.shift()!();
    expect(draws).toBe(0); // no frame yet: the core ran, the views did not
    expect(fake.frames).toHaveLength(1); // one frame asked for, however many slices ran
    fake.frames.shift()!();
    expect(draws).toBe(1);
    const at = model.sim.stepCount;
    expect(model.step.value).toBe(at);
    model.togglePlay(); // Pause
    expect(model.playing.value).toBe(false);
    expect(model.fast.value).toBe(false);
    fake.drain();
    expect(model.sim.stepCount).toBe(at);
    expect(model.canStep.value).toBe(true);
    unsubscribe();
  });

  it('is stopped by Step back and by Reset', () => {
    const fake = fakeScheduler(1);
    const model = createPlayerModel(scenarios['hub-vs-bridge/hub']!, { scheduler: fake.scheduler });
    model.runToEnd();
    fake.tasks.shift()!();
    model.stepBack();
    expect(model.playing.value).toBe(false);
    fake.drain();
    const at = model.step.value;
    expect(model.canStep.value).toBe(true);
    model.runToEnd();
    model.reset();
    fake.drain();
    expect(model.step.value).toBe(0);
    expect(at).toBeGreaterThan(0);
  });

  it('plays a scenario whose devices and ports are named constructor, __proto__, toString and valueOf', () => {
    const fake = fakeScheduler(1);
    const model = createPlayerModel(prototypeNames(), { scheduler: fake.scheduler });
    model.runToEnd();
    fake.drain();
    expect(model.halted.value).toBeNull();
    expect(model.outcomes.value.map((o) => o.status)).toEqual(['ok']);
    expect(model.arpCaches.value.find((t) => t.device === '__proto__')!.rows.map((r) => r.dev)).toEqual(['valueOf']);
    expect(model.macTables.value[0]!.rows.map((r) => r.port).sort()).toEqual(['toString', 'valueOf']);
    expect(model.name('constructor')).toBe('constructor');
  });
});

describe('incremental log and frames in flight', () => {
  it('always equal a rescan of the trace, through steps, step backs, resets and sends', () => {
    const model = createPlayerModel(scenarios['hub-vs-bridge/bridge']!);
    // A fixed, varied sequence; reading the views only now and then, as a lazy UI would.
    const ops = 'ssssbssxbbsssspsssbrsssssspbbbsssssssssssbsss';
    let read = 0;
    for (const op of ops) {
      if (op === 's') model.stepForward();
      if (op === 'b') model.stepBack();
      if (op === 'r') model.reset();
      if (op === 'p') model.send({ do: 'ping', from: 'D', to: 'A' });
      if (op === 'x') model.send({ do: 'arp', from: 'B', to: 'C' });
      if (++read % 3 !== 0) continue;
      expect(model.log.value).toEqual(rescan(model));
      const transmits = new Map(model.sim.trace.filter((e) => e.kind === 'transmit').map((e) => [e.frameId, e.index]));
      for (const f of model.inFlight.value) expect(f.eventIndex).toBe(transmits.get(f.frameId) ?? -1);
    }
    expect(model.log.value).toEqual(rescan(model));
  });
});

describe('bounded lists', () => {
  it('shows TABLES_SHOWN ARP caches of 2,000 and says how many more, with a button for them', () => {
    const arpCaches = Array.from({ length: 2000 }, (_, i) => ({ device: `h${i}`, name: `h${i}`, rows: [] }));
    const html = renderToString(h(Tables, { macTables: [], arpCaches }));
    expect(html.match(/<table/g)).toHaveLength(TABLES_SHOWN);
    expect(html).toContain('… and 1,988 more ARP caches not shown.');
    expect(html).toMatch(/<button[^>]*>Show 24 more<\/button>/);
  });

  it('shows a big MAC table’s first rows and counts the rest', () => {
    const rows = Array.from({ length: 500 }, (_, i) => ({ mac: `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`, owner: '', port: `p${i}`, vlan: 0, age: '0' }));
    const html = renderToString(h(Tables, { macTables: [{ device: 'br0', name: 'br0', rows }], arpCaches: [] }));
    expect(html.match(/<tr/g)!.length).toBe(1 + 64 + 1); // head, rows, the "more" row
    expect(html).toContain('… and 436 more entries not shown.');
  });

  it('keeps the newest events of the log, cutting the oldest step if need be', () => {
    const events = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ index: from + i, kind: 'transmit' as const, reason: 'sent' as never, device: 'A', text: `e${from + i}`, hasFrame: false }));
    const groups: StepGroup[] = [
      { step: 1, time: 0, events: events(0, 300) },
      { step: 2, time: 1, events: events(300, 50) },
      { step: 3, time: 2, events: events(350, 280) },
    ];
    const { groups: kept, hidden } = newestEvents(groups, 400);
    expect(hidden).toBe(230);
    expect(kept.map((g) => [g.step, g.events.length, g.events[0]!.index])).toEqual([
      [1, 70, 230],
      [2, 50, 300],
      [3, 280, 350],
    ]);
    expect(LOG_SHOWN).toBe(400);
    const html = renderToString(h(EventLog, { idPrefix: 'x', groups, selected: null, onSelect: () => {}, quiet: false }));
    expect(html).toContain('… and 230 earlier events not shown.');
    expect(html.match(/class="vp-ev /g)).toHaveLength(400);
    // A chapter's longest run (the storm, 223 events) is shown whole.
    expect(newestEvents(groups.slice(0, 1), LOG_SHOWN).hidden).toBe(0);
  });
});
