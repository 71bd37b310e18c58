// Runs an edited scenario in the core, as the player does, and reads who received what.
import { Simulation } from '../../src/sim/engine/simulation.ts';
import { buildReport } from '../../src/sim/report.ts';
import type { Scenario } from '../../src/sim/scenario/format.ts';

/** Hosts that received at least one frame of traffic action `index`, sorted. */
export function hostsReached(scenario: Scenario, index: number): string[] {
  const sim = new Simulation(scenario);
  sim.run();
  const action = buildReport(sim).actions[index];
  if (!action) throw new Error(`no action ${index}`);
  const hosts = new Set(scenario.devices.filter((d) => d.kind === 'host').map((d) => d.id));
  return Object.keys(action.receivedBy).filter((d) => hosts.has(d) && action.receivedBy[d]!.length > 0).sort();
}
