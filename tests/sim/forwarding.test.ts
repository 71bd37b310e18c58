import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/engine/simulation';
import { buildReport } from '../../src/sim/report';
import { macTable } from '../../src/sim/tables';
import { host, mac, scenarioOf, star } from './build';

function run(scenario: ReturnType<typeof star>) {
  const sim = new Simulation(scenario, { history: false });
  sim.run();
  return { sim, report: buildReport(sim) };
}

/** Devices that received any frame of action `i` (0-based), sorted. */
function receivers(report: ReturnType<typeof buildReport>, i: number): string[] {
  return Object.keys(report.actions[i]!.receivedBy).sort();
}

describe('hub', () => {
  it('repeats a unicast frame out of every other port, so every host receives it and all but the target drop it', () => {
    const { report, sim } = run(star('hub', ['A', 'B', 'C', 'D'], [{ from: 'A', do: 'raw', to: 'B' }]));
    expect(receivers(report, 0)).toEqual(['B', 'C', 'D', 'sw']);
    expect(report.actions[0]!.deliveredTo).toEqual(['B']);
    expect(report.actions[0]!.receivedBy['C']![0]!.reason).toBe('not-for-me');
    const flood = sim.trace.find((e) => e.kind === 'flood')!;
    expect(flood.reason).toBe('hub-repeat');
    expect(flood.ports).toEqual(['p2', 'p3', 'p4']);
  });

  it('sends the frame back out of no port it came in on, and its bytes unchanged', () => {
    const { sim } = run(star('hub', ['A', 'B'], [{ from: 'A', do: 'raw', to: 'B', payload: 'x' }]));
    const sent = sim.trace.filter((e) => e.kind === 'transmit');
    expect(sent.map((e) => `${e.device}:${e.port}`)).toEqual(['A:eth0', 'sw:p2']);
    expect(sent[1]!.frame).toEqual(sent[0]!.frame);
  });
});

describe('learning bridge', () => {
  const conversation = [
    { from: 'A', do: 'raw' as const, to: 'B', at: 0 },
    { from: 'B', do: 'raw' as const, to: 'A', at: 10 },
    { from: 'A', do: 'raw' as const, to: 'B', at: 20 },
  ];

  it('floods a frame to an unknown MAC, forwards the answer only to the sender, then sends A→B only to B', () => {
    const { report, sim } = run(star('bridge', ['A', 'B', 'C'], conversation));
    expect(receivers(report, 0)).toEqual(['B', 'C', 'sw']);
    expect(report.actions[0]!.receivedBy['sw']![0]!.reason).toBe('fdb-miss');
    expect(receivers(report, 1)).toEqual(['A', 'sw']);
    expect(report.actions[1]!.receivedBy['sw']![0]!.did).toBe('forward');
    expect(receivers(report, 2)).toEqual(['B', 'sw']);
    expect(macTable(sim.state, 'sw')!.map((r) => [r.mac, r.port])).toEqual([
      [mac(1), 'p1'],
      [mac(2), 'p2'],
    ]);
  });

  it('floods broadcasts to every other port even when it knows every address', () => {
    const { report } = run(star('bridge', ['A', 'B', 'C'], [...conversation, { from: 'A', do: 'raw', to: 'broadcast', at: 30 }]));
    expect(receivers(report, 3)).toEqual(['B', 'C', 'sw']);
    expect(report.actions[3]!.receivedBy['sw']![0]!.reason).toBe('broadcast');
    expect(report.actions[3]!.deliveredTo.sort()).toEqual(['B', 'C']);
  });

  it('filters a frame whose destination lives behind the port it arrived on (should_deliver)', () => {
    // A and B share a hub on bridge port p1; C is on p2.
    const scenario = scenarioOf(
      [host('A', 1), host('B', 2), host('C', 3), { id: 'hub', kind: 'hub', ports: ['h1', 'h2', 'h3'] }, { id: 'br', kind: 'bridge', ports: ['p1', 'p2'] }],
      [
        { a: 'A:eth0', b: 'hub:h1' },
        { a: 'B:eth0', b: 'hub:h2' },
        { a: 'hub:h3', b: 'br:p1' },
        { a: 'C:eth0', b: 'br:p2' },
      ],
      [
        { from: 'A', do: 'raw', to: 'B', at: 0 },
        { from: 'B', do: 'raw', to: 'A', at: 10 },
      ],
    );
    const { report, sim } = run(scenario);
    expect(report.actions[0]!.receivedBy['br']![0]!.did).toBe('flood');
    expect(report.actions[1]!.receivedBy['br']![0]!).toMatchObject({ did: 'filter', reason: 'same-port' });
    expect(report.actions[1]!.receivedBy['C']).toBeUndefined();
    expect(sim.trace.filter((e) => e.kind === 'filter')).toHaveLength(1);
  });

  it('moves an entry when the MAC shows up on another port', () => {
    const scenario = scenarioOf(
      [host('A', 1), { id: 'A2', kind: 'host', nics: [{ port: 'eth0', mac: mac(1), ip: '10.0.0.9/24' }] }, host('B', 2), { id: 'br', kind: 'bridge', ports: ['p1', 'p2', 'p3'] }],
      [
        { a: 'A:eth0', b: 'br:p1' },
        { a: 'A2:eth0', b: 'br:p2' },
        { a: 'B:eth0', b: 'br:p3' },
      ],
      [
        { from: 'A', do: 'raw', to: 'B', at: 0 },
        { from: 'A2', do: 'raw', to: 'B', at: 10 },
      ],
    );
    const { sim } = run(scenario);
    const moved = sim.trace.find((e) => e.reason === 'fdb-move')!;
    expect(moved.text).toContain('from port p1 to port p2');
    expect(macTable(sim.state, 'br')!.find((r) => r.mac === mac(1))!.port).toBe('p2');
  });

  it('forgets entries after the ageing time and floods again', () => {
    const traffic = [
      { from: 'A', do: 'raw' as const, to: 'B', at: 0 },
      { from: 'B', do: 'raw' as const, to: 'A', at: 10 },
      { from: 'A', do: 'raw' as const, to: 'B', at: 9_000 },
      { from: 'A', do: 'raw' as const, to: 'B', at: 30_000 },
    ];
    const { report, sim } = run(star('bridge', ['A', 'B', 'C'], traffic, 10));
    expect(receivers(report, 2)).toEqual(['B', 'sw']);
    expect(receivers(report, 3)).toEqual(['B', 'C', 'sw']);
    const expired = sim.trace.filter((e) => e.kind === 'expire');
    expect(expired.map((e) => e.reason)).toEqual(['fdb-aged', 'fdb-aged']);
    expect(expired[0]!.text).toContain('ageing time of 10 s');
  });

  it('with ageing time 0 keeps nothing and floods every frame, like a hub', () => {
    const { report, sim } = run(star('bridge', ['A', 'B', 'C'], conversation, 0));
    for (const i of [0, 1, 2]) expect(receivers(report, i)).toHaveLength(3);
    expect(macTable(sim.state, 'sw')).toEqual([]);
    expect(sim.trace.filter((e) => e.kind === 'learn').every((e) => e.reason === 'fdb-not-kept')).toBe(true);
  });

  it('drops a frame whose source is a group (multicast) address', () => {
    const scenario = scenarioOf(
      [{ id: 'M', kind: 'host', nics: [{ port: 'eth0', mac: '03:00:00:00:00:01' }] }, host('B', 2), { id: 'br', kind: 'bridge', ports: ['p1', 'p2'] }],
      [
        { a: 'M:eth0', b: 'br:p1' },
        { a: 'B:eth0', b: 'br:p2' },
      ],
      [{ from: 'M', do: 'raw', to: 'B' }],
    );
    const { report, sim } = run(scenario);
    expect(report.actions[0]!.receivedBy['br']![0]!.reason).toBe('invalid-source');
    expect(macTable(sim.state, 'br')).toEqual([]);
  });

  it('does not flood out of a port without a cable', () => {
    const scenario = scenarioOf([host('A', 1), host('B', 2), { id: 'br', kind: 'bridge', ports: ['p1', 'p2', 'p3'] }], [{ a: 'A:eth0', b: 'br:p1' }, { a: 'B:eth0', b: 'br:p2' }], [{ from: 'A', do: 'raw', to: 'broadcast' }]);
    const { sim } = run(scenario);
    expect(sim.trace.find((e) => e.kind === 'flood')!.ports).toEqual(['p2']);
  });
});

describe('bridge and hub: edge cases', () => {
  const pair = (destination: string, source = mac(1)) =>
    scenarioOf(
      [{ id: 'X', kind: 'host', nics: [{ port: 'eth0', mac: source }] }, host('B', 2), host('C', 3), { id: 'br', kind: 'bridge', ports: ['p1', 'p2', 'p3'] }],
      [{ a: 'X:eth0', b: 'br:p1' }, { a: 'B:eth0', b: 'br:p2' }, { a: 'C:eth0', b: 'br:p3' }],
      [{ from: 'X', do: 'raw', to: destination }],
    );

  it('drops a frame from the all-zeros source address (is_valid_ether_addr) and learns nothing', () => {
    const { report, sim } = run(pair('B', '00:00:00:00:00:00'));
    expect(report.actions[0]!.receivedBy['br']![0]!.reason).toBe('invalid-source');
    expect(macTable(sim.state, 'br')).toEqual([]);
  });

  it('keeps IEEE link-local frames (LLDP 01:80:c2:00:00:0e) for itself after learning the source, and drops pause frames', () => {
    const lldp = run(pair('01:80:c2:00:00:0e'));
    expect(lldp.report.actions[0]!.receivedBy['br']![0]).toMatchObject({ did: 'deliver', reason: 'link-local' });
    expect(Object.keys(lldp.report.actions[0]!.receivedBy)).toEqual(['br']);
    expect(macTable(lldp.sim.state, 'br')!.map((r) => r.mac)).toEqual([mac(1)]);
    const pause = run(pair('01:80:c2:00:00:01'));
    expect(pause.report.actions[0]!.receivedBy['br']![0]).toMatchObject({ did: 'drop', reason: 'link-local' });
  });

  it('says so when a bridge or a hub has no other port with a cable to flood to', () => {
    for (const kind of ['bridge', 'hub'] as const) {
      const lonely = scenarioOf([host('A', 1), kind === 'hub' ? { id: 'sw', kind, ports: ['p1', 'p2'] } : { id: 'sw', kind, ports: ['p1', 'p2'] }], [{ a: 'A:eth0', b: 'sw:p1' }], [{ from: 'A', do: 'raw', to: 'broadcast' }]);
      const { report } = run(lonely);
      expect(report.actions[0]!.receivedBy['sw']![0]!.reason).toBe(kind === 'hub' ? 'hub-nowhere' : 'flood-nowhere');
    }
  });
});
