// A sink that reads no args nor ports (TraceSink.details false, the ToR experiment's counting sink)
// gets the same events as one that reads everything: only what it said it does not read may be left out.
import { describe, expect, it } from 'vitest';
import { buildState, processNext, type RawEvent, type TraceSink } from '../../src/sim/engine/engine';
import { scenario, scenarios } from '../../src/scenarios/index';
import { torScenario } from '../../src/scenarios/tor';
import type { Scenario } from '../../src/sim/scenario/format';

interface Seen {
  index: number;
  step: number;
  device: string;
  kind: string;
  reason: string;
  port: string | undefined;
  cause: number | undefined;
  origin: number | undefined;
  frame: number[] | undefined;
  text: string | undefined;
  args: unknown;
  ports: readonly string[] | undefined;
}

function run(s: Scenario, details: boolean): Seen[] {
  const names = new Map(s.devices.map((d) => [d.id, d.label ?? d.id]));
  const seen: Seen[] = [];
  const record = (e: Readonly<RawEvent>) =>
    seen.push({ index: e.index, step: e.step, device: e.device, kind: e.kind, reason: e.reason, port: e.port, cause: e.cause, origin: e.origin, frame: e.frame && [...e.frame], text: e.text, args: e.args, ports: e.ports });
  const sink: TraceSink = details ? { sentences: false, record } : { sentences: false, details: false, record };
  const state = buildState(s);
  for (let steps = 0; steps < 200_000 && processNext(state, sink, names); steps++);
  return seen;
}

const cases: Array<[string, Scenario]> = [
  ...['vlan-vs-vxlan/two-vteps', 'vlan-vs-vxlan/tor-full', 'hub-vs-bridge/bridge', 'hub-vs-bridge/hub', 'one-vlan-per-subnet/router-on-a-stick'].filter((id) => id in scenarios).map((id): [string, Scenario] => [id, scenario(id)]),
  ['ToR stretched VLAN 3×8, limit 6', torScenario('vlan', 3, 8, 6)],
  ['ToR VXLAN 3×8', torScenario('vxlan', 3, 8, 6)],
];

describe('a sink that reads no args nor ports (TraceSink.details: false)', () => {
  it.each(cases)('%s: the same events, frames and given sentences; args and ports left out where devices skip them', (_, s) => {
    const full = run(s, true);
    const counted = run(s, false);
    expect(counted.length).toBe(full.length);
    expect(counted.map(({ args: _a, ports: _p, ...rest }) => rest)).toEqual(full.map(({ args: _a, ports: _p, ...rest }) => rest));
    // The hot paths that look at DeviceContext.tracing left them out: a flood, a forward, a learn, a VXLAN encap.
    const skipped = counted.filter((e, i) => (e.args === undefined && full[i]!.args !== undefined) || (e.ports === undefined && full[i]!.ports !== undefined));
    expect(skipped.length).toBeGreaterThan(0);
  });
});
