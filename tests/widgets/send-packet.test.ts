// "Send packet", reader-first: the form's defaults show each player's lesson, "only my packet"
// plays the reader's action alone (exactly, with step back and reset), and a typed address is
// sent as written.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index.ts';
import { Simulation } from '../../src/sim/engine/simulation.ts';
import type { Scenario, TrafficAction } from '../../src/sim/scenario/format.ts';
import { createPlayerModel, type PlayerModel } from '../../src/widgets/player-model.ts';
import { scriptNote } from '../../src/widgets/SendPacketForm.tsx';
import { defaultSend, destinationError } from '../../src/widgets/senders.ts';

function scenario(id: string): Scenario {
  const found = scenarios[id];
  if (!found) throw new Error(`no scenario ${id}`);
  return found;
}

function runToEnd(model: PlayerModel): void {
  for (let steps = 0; model.canStep.value; steps++) {
    if (steps > 20_000) throw new Error('did not reach quiescence');
    model.stepForward();
  }
}

/** Every player the chapters embed, by scenario id. */
const chapterPlayers = readdirSync('content/chapters')
  .filter((f) => f.endsWith('.mdx'))
  .flatMap((f) => [...readFileSync(`content/chapters/${f}`, 'utf8').matchAll(/<ScenarioPlayer[^>]*scenario=\{scenarios\['([^']+)'\]\}/g)].map((m) => m[1]!));

/**
 * What the default packet, sent alone, must do on each player: what that player's prose says. A
 * failure here is the lesson (two NICs do not bridge; the /16 trap; the loop's storm), never a
 * sender without an address or a destination without a route.
 */
const LESSON: Record<string, { status: string; text: RegExp }> = {
  'hub-vs-bridge/hub': { status: 'ok', text: /^Frame sent to 02:00:00:00:00:0b/ },
  'hub-vs-bridge/bridge': { status: 'ok', text: /^Frame sent to 02:00:00:00:00:0b/ },
  'hub-vs-bridge/shared-segment': { status: 'ok', text: /^Frame sent to 02:00:00:00:00:0b/ },
  'hub-vs-bridge/two-nics': { status: 'failed', text: /nobody answered 3 ARP requests for 10\.0\.0\.12/ },
  'hub-vs-bridge/two-nics-addressed': { status: 'ok', text: /^Reply from 10\.0\.1\.11/ },
  'hub-vs-bridge/two-nics-bridged': { status: 'ok', text: /^Reply from 10\.0\.0\.12/ },
  'hub-vs-bridge/ageing': { status: 'ok', text: /^Reply from 10\.0\.0\.11/ },
  'hub-vs-bridge/loop': { status: 'stopped', text: /broadcast storm stopped the run/ },
  'one-vlan-per-subnet/one-domain': { status: 'ok', text: /^Reply from 10\.1\.20\.11/ },
  'one-vlan-per-subnet/partitioned': { status: 'ok', text: /^Reply from 10\.1\.10\.12/ },
  'one-vlan-per-subnet/moved-laptop': { status: 'failed', text: /nobody answered 3 ARP requests for 10\.1\.10\.11/ },
  'one-vlan-per-subnet/mac-based-vlan': { status: 'ok', text: /^Reply from 10\.1\.10\.11/ },
  'one-vlan-per-subnet/port-security': { status: 'ok', text: /^Reply from 10\.1\.10\.11/ },
  'one-vlan-per-subnet/trap': { status: 'failed', text: /nobody answered 3 ARP requests for 10\.1\.20\.11/ },
  'one-vlan-per-subnet/router-on-a-stick': { status: 'ok', text: /^Reply from 10\.1\.20\.11: TTL 63/ },
  'one-vlan-per-subnet/layer3-switch': { status: 'ok', text: /^Reply from 10\.1\.20\.11: TTL 63/ },
  'macvlan-ipvlan-bridge/bridge-nat': { status: 'ok', text: /^Reply from 10\.0\.1\.3: TTL 64/ },
  'macvlan-ipvlan-bridge/macvlan-bridge': { status: 'ok', text: /^Reply from 192\.168\.1\.102: TTL 64/ },
  'macvlan-ipvlan-bridge/macvlan-on-vlan': { status: 'ok', text: /^Reply from 192\.168\.10\.20: TTL 64/ },
  'macvlan-ipvlan-bridge/ipvlan-l2': { status: 'ok', text: /^Reply from 192\.168\.1\.102: TTL 64/ },
  'macvlan-ipvlan-bridge/macvlan-vepa-hairpin': { status: 'ok', text: /^Reply from 192\.168\.1\.102: TTL 64/ },
  'macvlan-ipvlan-bridge/macvlan-host-fix': { status: 'ok', text: /^Reply from 192\.168\.1\.102: TTL 64/ },
  'macvlan-ipvlan-bridge/nat': { status: 'ok', text: /^Reply from 192\.168\.1\.20: TTL 63/ },
  'vlan-vs-vxlan/stretched-vlan': { status: 'ok', text: /^Reply from 10\.0\.0\.2: TTL 64/ },
  'vlan-vs-vxlan/two-vteps': { status: 'ok', text: /^Reply from 10\.0\.0\.2: TTL 64/ },
  // Learning off, no flood list: VM 1's ARP request has nowhere to go.
  'vlan-vs-vxlan/static-fdb': { status: 'failed', text: /^No reply to 3 ARP requests for 10\.0\.0\.2/ },
  'vlan-vs-vxlan/tor-full': { status: 'ok', text: /^Frame sent to the broadcast address/ },
  'vlan-vs-vxlan/mtu': { status: 'ok', text: /^Reply from 10\.0\.0\.2: TTL 64/ },
};

describe('the default packet of every chapter player', () => {
  it('covers every player the chapters embed', () => {
    expect(chapterPlayers.length).toBeGreaterThanOrEqual(15);
    expect([...chapterPlayers].sort()).toEqual(Object.keys(LESSON).sort());
  });

  for (const id of chapterPlayers) {
    it(`${id}: sent alone, it does what the prose says`, () => {
      const model = createPlayerModel(scenario(id));
      const d = model.sendDefault!;
      // The form can show it: its sender is offered, its destination is a device the kind can name or an address.
      expect(model.senders.map((h) => h.id)).toContain(d.from);
      expect(model.targets.some((t) => t.id === d.to && (d.kind === 'raw' ? t.raw : t.ip)) || destinationError(d.to, d.kind) === null).toBe(true);
      model.send({ do: d.kind, from: d.from, to: d.to } as TrafficAction, { onlyMine: true });
      runToEnd(model);
      const outcomes = model.outcomes.value;
      expect(outcomes).toHaveLength(1);
      expect(outcomes[0]!.status).toBe(LESSON[id]!.status);
      expect(outcomes[0]!.text).toMatch(LESSON[id]!.text);
      expect(outcomes[0]!.text).not.toMatch(/Network is unreachable|has no address/);
    });
  }

  it('port security: after the default, c2 sending alone shows the limit', () => {
    const model = createPlayerModel(scenario('one-vlan-per-subnet/port-security'));
    model.send({ do: 'ping', from: 'c1', to: 'A' }, { onlyMine: true });
    runToEnd(model);
    model.send({ do: 'ping', from: 'c2', to: 'A' }, { onlyMine: true });
    runToEnd(model);
    expect(model.outcomes.value.map((o) => o.status)).toEqual(['ok', 'failed']);
  });

  it('falls back, without a script, to a sender with an address and a destination in its subnet', () => {
    const s = scenario('one-vlan-per-subnet/mac-based-vlan');
    // A (10.1.10.11/24) is first; B is in another subnet, L in A's.
    expect(defaultSend({ devices: s.devices, traffic: [] })).toEqual({ kind: 'ping', from: 'A', to: 'L' });
    const two = scenario('hub-vs-bridge/two-nics');
    // A has no address in "two NICs": B sends.
    expect(defaultSend({ devices: two.devices, traffic: [] })).toEqual({ kind: 'ping', from: 'B', to: 'C' });
  });
});

describe('only my packet', () => {
  it('at step 0 plays exactly one action, the same as a run of it alone', () => {
    const s = scenario('hub-vs-bridge/bridge');
    const model = createPlayerModel(s);
    expect(model.pendingScript.value).toBe(4);
    model.send({ do: 'ping', from: 'A', to: 'C' }, { onlyMine: true });
    expect(model.pendingScript.value).toBe(0);
    expect(model.scriptLeftOut.value).toBe(true);
    runToEnd(model);
    expect(model.outcomes.value.map((o) => o.label)).toEqual(['A pings C']);

    const alone = new Simulation({ ...s, traffic: [] });
    alone.inject({ do: 'ping', from: 'A', to: 'C' });
    alone.run();
    expect(model.sim.trace.map((e) => e.text)).toEqual(alone.trace.map((e) => e.text));
    expect(model.log.value.flatMap((g) => g.events).length).toBe(alone.trace.length);
  });

  it('mid-run keeps what happened and what started, leaves out what had not, and step back and reset stay exact', () => {
    const s = scenario('one-vlan-per-subnet/partitioned');
    const model = createPlayerModel(s);
    // A's ping to C starts at t = 0; B's (t = 100 ms) and A's to B (t = 200 ms) have not.
    for (let i = 0; i < 3; i++) model.stepForward();
    model.send({ do: 'arp', from: 'E', to: '10.1.10.11' });
    model.stepForward();
    const before = model.sim.trace.map((e) => e.text);
    const steps = model.step.value;
    expect(model.pendingScript.value).toBe(2);

    model.send({ do: 'ping', from: 'C', to: 'E' }, { onlyMine: true });
    // The run so far is the same, replayed (the reader's earlier ARP request included).
    expect(model.sim.trace.slice(0, before.length).map((e) => e.text)).toEqual(before);
    expect(model.step.value).toBe(steps + 1);
    runToEnd(model);
    expect(model.outcomes.value.map((o) => [o.label, o.status])).toEqual([
      ['A pings C (both in VLAN 10)', 'ok'],
      ['E asks who has 10.1.10.11 (ARP)', 'ok'],
      ['C pings E', 'ok'],
    ]);

    // Step back to before the send: the script stays left out until Reset.
    while (model.step.value > steps) model.stepBack();
    expect(model.sim.trace.map((e) => e.text)).toEqual(before);
    expect(model.scriptLeftOut.value).toBe(true);
    model.reset();
    expect(model.scriptLeftOut.value).toBe(false);
    expect(model.pendingScript.value).toBe(3);
    expect(model.step.value).toBe(0);
    expect(model.log.value).toEqual([]);
    runToEnd(model);
    expect(model.outcomes.value.map((o) => o.label)).toEqual(['A pings C (both in VLAN 10)', 'B pings D (both in VLAN 20)', 'A pings B (VLAN 20, another subnet)']);
  });

  it('without it, the reader\'s packet joins the script', () => {
    const model = createPlayerModel(scenario('hub-vs-bridge/bridge'));
    model.send({ do: 'ping', from: 'A', to: 'C' });
    runToEnd(model);
    expect(model.outcomes.value).toHaveLength(5);
  });

  it('says what happens to the script', () => {
    expect(scriptNote(1, false)).toMatch(/1 action|action that has not started yet is left out/);
    expect(scriptNote(3, false)).toMatch(/3 actions that have not started yet are left out.*Reset brings the script back/);
    expect(scriptNote(0, true)).toMatch(/left out of this run/);
    expect(scriptNote(0, false)).toMatch(/no action left to start/);
  });
});

describe('a typed destination', () => {
  it('accepts any IPv4 address for ping, UDP and ARP, a MAC or "broadcast" for a raw frame', () => {
    expect(destinationError('10.1.10.1', 'ping')).toBeNull();
    expect(destinationError(' 10.0.0.99 ', 'udp')).toBeNull();
    expect(destinationError('02:00:00:00:00:0b', 'raw')).toBeNull();
    expect(destinationError('broadcast', 'raw')).toBeNull();
    expect(destinationError('', 'ping')).toMatch(/IPv4 address/);
    expect(destinationError('10.0.0.256', 'ping')).toMatch(/not an IPv4 address/);
    expect(destinationError('B', 'arp')).toMatch(/not an IPv4 address/);
    expect(destinationError('02:00:00:00:0b', 'raw')).toMatch(/not a MAC address/);
    expect(destinationError('10.0.0.1', 'raw')).toMatch(/not a MAC address/);
  });

  it('reaches the gateway, another subnet through it, and fails for an unused address', () => {
    const model = createPlayerModel(scenario('one-vlan-per-subnet/router-on-a-stick'));
    model.send({ do: 'ping', from: 'A', to: '10.1.10.1' }, { onlyMine: true });
    model.send({ do: 'ping', from: 'A', to: '10.1.20.12' });
    model.send({ do: 'ping', from: 'A', to: '10.1.10.99' });
    runToEnd(model);
    expect(model.outcomes.value.map((o) => [o.status, o.text.split(':')[0]])).toEqual([
      ['ok', 'Reply from 10.1.10.1'],
      ['ok', 'Reply from 10.1.20.12'],
      ['failed', 'Destination Host Unreachable'],
    ]);
  });

  it('sends a raw frame to a typed MAC', () => {
    const model = createPlayerModel(scenario('hub-vs-bridge/hub'));
    model.send({ do: 'raw', from: 'A', to: '02:00:00:00:00:0c' }, { onlyMine: true });
    runToEnd(model);
    expect(model.outcomes.value.map((o) => [o.status, o.text])).toEqual([['ok', 'Frame sent to 02:00:00:00:00:0c.']]);
  });
});
