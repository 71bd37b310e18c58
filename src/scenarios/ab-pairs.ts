// The A/B pairs: two designs the chapters compare, each run with the SAME traffic (A's script),
// declared once here and read by the chapters (a player's `compare` prop), the tests and the CLI.
// B is B's topology with A's traffic, so that a difference in who received what can only come
// from the design. tests/widgets/ab-pairs.test.ts checks every pair validates and differs.

import { Simulation } from '../sim/engine/simulation';
import type { Scenario } from '../sim/scenario/format';
import { validateScenario } from '../sim/scenario/validate';
import { diffRuns, summarize, type RunDiff } from '../widgets/ab/ab-diff';
import { scenario } from './index';

export interface AbPair {
  /** The experiment the player shows (A). */
  a: string;
  /** The design it is compared with (B). */
  b: string;
  /** What the chooser calls B, after "Compare with". */
  label: string;
}

export const AB_PAIRS: readonly AbPair[] = [
  { a: 'hub-vs-bridge/hub', b: 'hub-vs-bridge/bridge', label: 'a learning bridge' },
  { a: 'hub-vs-bridge/bridge', b: 'hub-vs-bridge/hub', label: 'a hub' },
  { a: 'hub-vs-bridge/bridge', b: 'hub-vs-bridge/bridge-ageing-zero', label: 'a bridge that learns nothing (ageing time 0)' },
  { a: 'one-vlan-per-subnet/trap', b: 'one-vlan-per-subnet/router-on-a-stick', label: 'the fix: one subnet per VLAN and a router on a stick' },
  { a: 'vlan-vs-vxlan/stretched-vlan', b: 'vlan-vs-vxlan/two-vteps', label: 'VXLAN between two VTEPs' },
  { a: 'macvlan-ipvlan-bridge/macvlan-bridge', b: 'macvlan-ipvlan-bridge/macvlan-vepa', label: 'macvlan in vepa mode' },
  { a: 'macvlan-ipvlan-bridge/macvlan-bridge', b: 'macvlan-ipvlan-bridge/macvlan-private', label: 'macvlan in private mode' },
  { a: 'macvlan-ipvlan-bridge/macvlan-vepa', b: 'macvlan-ipvlan-bridge/macvlan-vepa-hairpin', label: 'vepa with hairpin on the switch port' },
];

/** One design a player can be compared with: B's topology, running A's traffic. */
export interface Comparison {
  label: string;
  scenario: Scenario;
}

/** B's topology with A's traffic, validated (a pair whose traffic B cannot run is a bug here, named). */
export function pairedScenario(a: Scenario, b: Scenario): Scenario {
  const result = validateScenario({ ...b, traffic: a.traffic });
  if (!result.ok) throw new Error(`A/B pair ${a.id} / ${b.id}: B cannot run A's traffic: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return result.scenario;
}

/** The designs experiment `id` is compared with, in declaration order: a player's `compare` prop. */
export function comparisons(id: string): Comparison[] {
  return AB_PAIRS.filter((p) => p.a === id).map((p) => ({ label: p.label, scenario: pairedScenario(scenario(p.a), scenario(p.b)) }));
}

/** What the CLI prints for a pair: each run's size, what differs, and the sentence the player shows. */
export interface PairReport {
  a: { id: string; title: string; steps: number; time: number };
  b: { id: string; title: string; steps: number; time: number };
  summary: string;
  receivers: RunDiff['receivers'];
  bytes: RunDiff['bytes'];
  wire: RunDiff['wire'];
}

/** Runs A and B to their end (headless, as the CLI does) and compares them as A/B mode does. */
export function runPair(a: Scenario, b: Scenario, seed?: number): PairReport {
  const options = seed === undefined ? {} : { seed };
  const simA = new Simulation(a, options);
  const simB = new Simulation(b, options);
  simA.run();
  simB.run();
  const diff = diffRuns(simA, simB);
  const name = (id: string) => (a.devices.some((d) => d.id === id) ? simA.name(id) : simB.name(id));
  const size = (s: Scenario, sim: Simulation) => ({ id: s.id, title: s.title, steps: sim.stepCount, time: sim.now });
  return { a: size(a, simA), b: size(b, simB), summary: summarize(diff, name), receivers: diff.receivers, bytes: diff.bytes, wire: diff.wire };
}
