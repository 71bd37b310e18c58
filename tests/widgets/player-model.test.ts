// The scenario player's model: what a reader sees after Step, Step back, Reset, Send packet and
// Play, on the chapter's scenarios. No DOM: the model is plain signals over the core.

import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index.ts';
import { Simulation } from '../../src/sim/engine/simulation.ts';
import type { Scenario } from '../../src/sim/scenario/format.ts';
import { createPlayerModel, DEFAULT_SPEED, type PlayerModel, type Scheduler } from '../../src/widgets/player-model.ts';
import { deviceMarks } from '../../src/widgets/player-run.ts';

function scenario(id: string): Scenario {
  const found = scenarios[id];
  if (!found) throw new Error(`no scenario ${id}`);
  return found;
}

function runToEnd(model: PlayerModel): number {
  let steps = 0;
  while (model.canStep.value) {
    model.stepForward();
    steps++;
    if (steps > 10_000) throw new Error('did not reach quiescence');
  }
  return steps;
}

function lastLogLine(model: PlayerModel): string | undefined {
  return model.log.value.at(-1)?.events.at(-1)?.text;
}

/** A scheduler the test advances by hand. */
function manualScheduler() {
  const pending: { id: number; callback: () => void; ms: number }[] = [];
  let nextId = 1;
  const scheduler: Scheduler = {
    setTimeout(callback, ms) {
      const id = nextId++;
      pending.push({ id, callback, ms });
      return id;
    },
    clearTimeout(handle) {
      const i = pending.findIndex((p) => p.id === handle);
      if (i >= 0) pending.splice(i, 1);
    },
  };
  return {
    scheduler,
    pending,
    /** Fires the oldest pending timer; returns its delay. */
    fire(): number {
      const item = pending.shift();
      if (!item) throw new Error('no timer pending');
      item.callback();
      return item.ms;
    },
  };
}

describe('player model: before the first step', () => {
  it('shows step 0, empty tables, the scripted actions queued, and the first one next', () => {
    const model = createPlayerModel(scenario('hub-vs-bridge/bridge'));
    expect(model.step.value).toBe(0);
    expect(model.time.value).toBe(0);
    expect(model.log.value).toEqual([]);
    expect(model.inFlight.value).toEqual([]);
    expect(model.canStep.value).toBe(true);
    expect(model.canStepBack.value).toBe(false);
    expect(model.halted.value).toBeNull();
    expect(model.macTables.value).toEqual([{ device: 'br0', name: 'br0', detailed: false, rows: [] }]);
    expect(model.arpCaches.value.map((t) => [t.name, t.rows])).toEqual([
      ['A', []],
      ['B', []],
      ['C', []],
      ['D', []],
    ]);
    expect(model.outcomes.value.map((o) => [o.label, o.status])).toEqual([
      ['A sends a frame to B', 'queued'],
      ['B answers A', 'queued'],
      ['A sends to B again', 'queued'],
      ['A pings C', 'queued'],
    ]);
    expect(model.next.value).toEqual({ time: 0, text: 'A sends a frame to B (at t = 0 ms)' });
    expect(model.senders.map((h) => h.id)).toEqual(['A', 'B', 'C', 'D']);
  });
});

describe('player model: step', () => {
  it('walks the bridge scenario to quiescence: MAC table, ARP caches and outcomes fill', () => {
    const model = createPlayerModel(scenario('hub-vs-bridge/bridge'));
    const steps = runToEnd(model);
    expect(steps).toBe(22);
    expect(model.step.value).toBe(22);
    expect(model.time.value).toBe(38);
    expect(model.canStep.value).toBe(false);
    expect(model.next.value).toBeNull();
    expect(model.inFlight.value).toEqual([]);
    expect(model.macTables.value[0]!.rows).toEqual([
      { mac: '02:00:00:00:00:0a', owner: 'A', port: 'p1', vlan: 0, age: '0.003' },
      { mac: '02:00:00:00:00:0b', owner: 'B', port: 'p2', vlan: 0, age: '0.027' },
      { mac: '02:00:00:00:00:0c', owner: 'C', port: 'p3', vlan: 0, age: '0.001' },
    ]);
    const arp = Object.fromEntries(model.arpCaches.value.map((t) => [t.name, t.rows]));
    expect(arp).toEqual({
      A: [{ ip: '10.0.0.12', mac: '02:00:00:00:00:0c', owner: 'C', dev: 'eth0' }],
      B: [],
      C: [{ ip: '10.0.0.10', mac: '02:00:00:00:00:0a', owner: 'A', dev: 'eth0' }],
      D: [],
    });
    const ping = model.outcomes.value.find((o) => o.label === 'A pings C')!;
    expect(ping.status).toBe('ok');
    expect(ping.text).toMatch(/^Reply from 10\.0\.0\.12/);
    expect(model.outcomes.value.every((o) => o.status === 'ok')).toBe(true);
  });

  it('groups the log by step, with the core sentences, and puts the flooded copies on the cables', () => {
    const model = createPlayerModel(scenario('hub-vs-bridge/bridge'));
    model.stepForward();
    model.stepForward();
    const groups = model.log.value;
    expect(groups.map((g) => [g.step, g.time])).toEqual([
      [1, 0],
      [2, 1],
    ]);
    expect(groups[1]!.events.map((e) => e.kind)).toEqual(['receive', 'learn', 'flood', 'transmit', 'transmit', 'transmit']);
    expect(groups[1]!.events[2]!.text).toBe(model.sim.trace[groups[1]!.events[2]!.index]!.text);
    expect(model.latestEvents.value).toEqual(groups[1]!.events);
    expect(model.inFlight.value.map((f) => `${f.from.device}:${f.from.port}>${f.to.device}:${f.to.port}`)).toEqual([
      'br0:p2>B:eth0',
      'br0:p3>C:eth0',
      'br0:p4>D:eth0',
    ]);
    expect(model.inFlight.value.every((f) => f.fresh && f.tone === 'unicast' && f.eventIndex >= 0)).toBe(true);
    expect(model.marks.value).toEqual([expect.objectContaining({ device: 'br0', mark: 'flooded' })]);
    expect(model.macTables.value[0]!.rows).toEqual([{ mac: '02:00:00:00:00:0a', owner: 'A', port: 'p1', vlan: 0, age: '0' }]);
    expect(model.next.value?.text).toBe('a frame reaches B eth0 (at t = 2 ms)');
  });

  it('marks the hosts on a hub: the addressee delivers, the others drop at their port', () => {
    const model = createPlayerModel(scenario('hub-vs-bridge/hub'));
    model.stepForward(); // A sends
    model.stepForward(); // the hub repeats
    expect(model.marks.value.map((m) => [m.device, m.mark])).toEqual([['hub', 'flooded']]);
    model.stepForward(); // B: for me
    expect(model.marks.value.map((m) => [m.device, m.mark])).toEqual([['B', 'delivered']]);
    model.stepForward(); // C: not for me
    expect(model.marks.value).toEqual([expect.objectContaining({ device: 'C', mark: 'dropped', port: 'eth0' })]);
  });
});

describe('player model: step back', () => {
  it('removes the last step from the log and puts its frame back on the cable', () => {
    const model = createPlayerModel(scenario('hub-vs-bridge/bridge'));
    model.stepForward();
    model.stepForward();
    const flightsBefore = model.inFlight.value;
    const logBefore = model.log.value;
    model.stepForward(); // B receives its copy
    expect(model.inFlight.value).toHaveLength(2);
    expect(lastLogLine(model)).toMatch(/^B accepts the raw frame/);

    model.stepBack();
    expect(model.step.value).toBe(2);
    expect(model.time.value).toBe(1);
    expect(model.log.value).toEqual(logBefore);
    expect(lastLogLine(model)).not.toMatch(/^B accepts/);
    expect(model.inFlight.value.map((f) => f.frameId)).toEqual(flightsBefore.map((f) => f.frameId));
    expect(model.lastMove.value).toBe('back');
  });

  it('undoes learning: one step back from quiescence, and back to the start', () => {
    const model = createPlayerModel(scenario('hub-vs-bridge/bridge'));
    runToEnd(model);
    model.stepBack();
    expect(model.canStep.value).toBe(true);
    expect(model.outcomes.value.find((o) => o.label === 'A pings C')!.status).toBe('running');
    while (model.canStepBack.value) model.stepBack();
    expect(model.step.value).toBe(0);
    expect(model.macTables.value[0]!.rows).toEqual([]);
    expect(model.log.value).toEqual([]);
    model.stepBack(); // nothing to undo: no change
    expect(model.step.value).toBe(0);
  });
});

describe('player model: reset', () => {
  it('returns to the state before the first step and forgets the chosen frame', () => {
    const model = createPlayerModel(scenario('hub-vs-bridge/bridge'));
    runToEnd(model);
    const transmit = model.log.value[0]!.events.find((e) => e.kind === 'transmit')!;
    model.select(transmit.index);
    expect(model.selectedFrame.value).not.toBeNull();
    model.reset();
    expect(model.step.value).toBe(0);
    expect(model.time.value).toBe(0);
    expect(model.log.value).toEqual([]);
    expect(model.macTables.value[0]!.rows).toEqual([]);
    expect(model.arpCaches.value.every((t) => t.rows.length === 0)).toBe(true);
    expect(model.outcomes.value.every((o) => o.status === 'queued')).toBe(true);
    expect(model.selected.value).toBeNull();
    expect(model.selectedFrame.value).toBeNull();
    expect(model.lastMove.value).toBe('reset');
  });
});

describe('player model: send packet', () => {
  it('starts the reader’s action at once, as one step, and the core runs it to its outcome', () => {
    const model = createPlayerModel(scenario('hub-vs-bridge/bridge'));
    runToEnd(model);
    const before = model.step.value;
    model.send({ do: 'ping', from: 'B', to: 'D' });
    expect(model.step.value).toBe(before + 1);
    expect(model.canStep.value).toBe(true);
    const sent = model.outcomes.value.at(-1)!;
    expect(sent).toMatchObject({ label: 'B pings D', status: 'running' });
    expect(model.log.value.at(-1)!.events[0]!.kind).toBe('action');
    runToEnd(model);
    expect(model.outcomes.value.at(-1)).toMatchObject({ label: 'B pings D', status: 'ok' });
    expect(model.outcomes.value.at(-1)!.text).toMatch(/^Reply from 10\.0\.0\.13/);
    expect(model.arpCaches.value.find((t) => t.name === 'B')!.rows).toEqual([{ ip: '10.0.0.13', mac: '02:00:00:00:00:0d', owner: 'D', dev: 'eth0' }]);
    expect(model.macTables.value[0]!.rows.map((r) => r.mac)).toContain('02:00:00:00:00:0d');
  });

  it('sends a raw broadcast, which the bridge floods to every other port', () => {
    const model = createPlayerModel(scenario('hub-vs-bridge/bridge'));
    model.send({ do: 'raw', from: 'D', to: 'broadcast' });
    expect(model.inFlight.value.map((f) => [f.from.device, f.to.device, f.tone])).toEqual([['D', 'br0', 'broadcast']]);
    expect(model.outcomes.value.at(-1)).toMatchObject({ label: 'D sends a broadcast frame', status: 'ok' });
    model.stepForward(); // A's scripted frame, due at t = 0, comes next
    model.stepForward(); // the broadcast reaches br0
    expect(model.latestEvents.value.find((e) => e.kind === 'flood')?.text).toMatch(/floods the frame to ports p1, p2 and p3/);
    expect(model.inFlight.value.filter((f) => f.tone === 'broadcast').map((f) => f.to.device)).toEqual(['A', 'B', 'C']);
  });

  it('can be undone with step back', () => {
    const model = createPlayerModel(scenario('hub-vs-bridge/hub'));
    model.send({ do: 'arp', from: 'C', to: 'A' });
    expect(model.outcomes.value).toHaveLength(5);
    model.stepBack();
    expect(model.outcomes.value).toHaveLength(4);
    expect(model.step.value).toBe(0);
  });
});

describe('player model: loop scenario', () => {
  it('halts with the core’s storm text; Step, Play and Send stop acting; Step back lifts the halt', () => {
    const model = createPlayerModel(scenario('hub-vs-bridge/loop'));
    runToEnd(model);
    const halted = model.halted.value;
    expect(halted?.reason).toBe('broadcast-storm');
    expect(halted?.text).toMatch(/^Broadcast storm/);
    expect(model.canStep.value).toBe(false);
    expect(model.next.value).toBeNull();
    expect(model.log.value.at(-1)!.events.some((e) => e.kind === 'halt')).toBe(true);
    // The broadcast left A ("sent"), but its copies were still circling: not a success.
    expect(model.outcomes.value).toEqual([
      expect.objectContaining({ label: 'A sends one broadcast', status: 'stopped', text: expect.stringMatching(/still circling the loop when the broadcast storm stopped the run\.$/) }),
    ]);

    const step = model.step.value;
    model.stepForward();
    model.send({ do: 'ping', from: 'A', to: 'B' });
    model.play();
    expect(model.step.value).toBe(step);
    expect(model.playing.value).toBe(false);

    model.stepBack();
    expect(model.halted.value).toBeNull();
    expect(model.canStep.value).toBe(true);
    // Before the halt the broadcast has left A, and nothing has gone wrong yet.
    expect(model.outcomes.value[0]!.status).toBe('ok');
  });
});

describe('player model: play and pause', () => {
  it('steps at the chosen speed and stops by itself at quiescence', () => {
    const clock = manualScheduler();
    const model = createPlayerModel(scenario('hub-vs-bridge/bridge'), { scheduler: clock.scheduler });
    expect(model.speed.value).toBe(DEFAULT_SPEED);
    model.play();
    expect(model.playing.value).toBe(true);
    expect(clock.fire()).toBe(1000 / DEFAULT_SPEED);
    expect(model.step.value).toBe(1);
    model.setSpeed(8);
    expect(clock.fire()).toBe(125);
    expect(model.step.value).toBe(2);
    while (clock.pending.length > 0) clock.fire();
    expect(model.step.value).toBe(22);
    expect(model.playing.value).toBe(false);
    model.play(); // nothing to do
    expect(model.playing.value).toBe(false);
    expect(clock.pending).toHaveLength(0);
  });

  it('pauses on demand and on step back or reset', () => {
    const clock = manualScheduler();
    const model = createPlayerModel(scenario('hub-vs-bridge/hub'), { scheduler: clock.scheduler });
    model.togglePlay();
    clock.fire();
    model.togglePlay();
    expect(model.playing.value).toBe(false);
    expect(clock.pending).toHaveLength(0);
    model.play();
    clock.fire();
    expect(model.step.value).toBe(2);
    model.stepBack();
    expect(model.playing.value).toBe(false);
    expect(clock.pending).toHaveLength(0);
    model.play();
    model.reset();
    expect(model.playing.value).toBe(false);
    expect(model.step.value).toBe(0);
    model.play();
    model.dispose();
    expect(clock.pending).toHaveLength(0);
  });
});

describe('player model: frame details', () => {
  it('describes the chosen event’s frame, layer by layer, with its hex dump', () => {
    const model = createPlayerModel(scenario('hub-vs-bridge/bridge'));
    runToEnd(model);
    const arpRequest = model.log.value.flatMap((g) => g.events).find((e) => e.kind === 'transmit' && e.text.includes('ARP who-has'))!;
    model.select(arpRequest.index);
    const detail = model.selectedFrame.value!;
    expect(detail.event).toBe(arpRequest.text);
    expect(detail.tone).toBe('broadcast');
    expect(detail.description.layers.map((l) => l.name)).toEqual(['Ethernet', 'ARP']);
    expect(detail.description.layers[0]!.fields[0]).toEqual({ name: 'Destination MAC', value: 'ff:ff:ff:ff:ff:ff', offset: 0, length: 6 });
    expect(detail.hex.startsWith('0000  ff ff ff ff ff ff 02 00')).toBe(true);

    const reply = model.log.value.flatMap((g) => g.events).find((e) => e.kind === 'transmit' && e.text.includes('echo reply'))!;
    model.select(reply.index);
    expect(model.selectedFrame.value!.tone).toBe('reply');
  });

  it('ignores events without a frame and drops a selection that stepping back removed', () => {
    const model = createPlayerModel(scenario('hub-vs-bridge/bridge'));
    model.stepForward();
    const action = model.log.value[0]!.events.find((e) => e.kind === 'action')!;
    model.select(action.index);
    expect(model.selected.value).toBeNull();
    model.stepForward();
    const flood = model.inFlight.value[0]!;
    model.select(flood.eventIndex);
    expect(model.selectedFrame.value?.eventIndex).toBe(flood.eventIndex);
    model.stepBack();
    expect(model.selected.value).toBeNull();
  });
});

describe('deviceMarks', () => {
  it('keeps the most telling event of each device', () => {
    const marks = deviceMarks([
      { kind: 'receive', reason: 'frame-arrived', device: 'C', port: 'eth0', text: 'C receives the frame on eth0.' },
      { kind: 'drop', reason: 'arp-request-not-for-me', device: 'C', port: 'eth0', text: 'C ignores it.' },
      { kind: 'transmit', reason: 'transmit', device: 'A', port: 'eth0', text: 'A sends.' },
      { kind: 'result', reason: 'raw-delivered', device: 'A', text: 'done' },
    ]);
    expect(marks).toEqual([
      { device: 'C', mark: 'dropped', port: 'eth0', text: 'C ignores it.' },
      { device: 'A', mark: 'sent', port: 'eth0', text: 'A sends.' },
    ]);
  });

  it('a bridge that floods a broadcast on is marked flooded, not by its local copy that the host ignored', () => {
    const sim = new Simulation(scenario('vlan-vs-vxlan/two-vteps'));
    // VTEP 1's step with VM 1's ARP request: br0 floods it into vxlan0 and passes a copy up, which VTEP 1's stack ignores.
    while (sim.canStep && !sim.eventsOfStep(sim.stepCount).some((e) => e.device === 'vtep1' && e.kind === 'flood')) sim.step();
    const events = sim.eventsOfStep(sim.stepCount);
    expect(events.some((e) => e.device === 'vtep1' && e.kind === 'drop' && e.reason === 'arp-request-not-for-me')).toBe(true);
    expect(deviceMarks(events).find((m) => m.device === 'vtep1')?.mark).toBe('flooded');
  });
});
