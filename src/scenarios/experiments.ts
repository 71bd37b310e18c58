// Runs chapter scenarios to the end and extracts the facts the prose states, so that a chapter's
// tables are computed by the core (at build time) and the unit tests assert the very same facts.

import { Simulation } from '../sim/engine/simulation';
import { buildReport, type ScenarioReport } from '../sim/report';
import { scenario } from './index';

export interface Experiment {
  sim: Simulation;
  report: ScenarioReport;
}

const cache = new Map<string, Experiment>();

/** The chapter scenario `id`, run to quiescence (or to its halt). Cached: scenarios are deterministic. */
export function runExperiment(id: string): Experiment {
  let experiment = cache.get(id);
  if (!experiment) {
    const sim = new Simulation(scenario(id));
    sim.run();
    experiment = { sim, report: buildReport(sim) };
    cache.set(id, experiment);
  }
  return experiment;
}

/** Hosts (not hubs or bridges) that received at least one frame of action `index`, in scenario order. */
export function hostsReached(experiment: Experiment, index: number): string[] {
  const action = experiment.report.actions[index];
  if (!action) throw new Error(`${experiment.sim.scenario.id} has no action ${index}`);
  return experiment.sim.scenario.devices.filter((d) => d.kind === 'host' && action.receivedBy[d.id]).map((d) => d.id);
}

/** Copies of frames that reached hosts, wanted or not. */
export function copiesReceivedByHosts(experiment: Experiment): number {
  const hosts = new Set(experiment.sim.scenario.devices.filter((d) => d.kind === 'host').map((d) => d.id));
  return experiment.report.actions.reduce((sum, action) => sum + Object.entries(action.receivedBy).filter(([device]) => hosts.has(device)).reduce((n, [, list]) => n + list.length, 0), 0);
}

/** Frames that hosts received and threw away because they were addressed to someone else. */
export function unwantedCopies(experiment: Experiment): number {
  return experiment.report.actions.reduce(
    (sum, action) => sum + Object.values(action.receivedBy).flat().filter((r) => r.reason === 'not-for-me' || r.reason === 'arp-request-not-for-me').length,
    0,
  );
}

export interface ComparisonRow {
  label: string;
  /** Per compared scenario: the hosts that received a copy. */
  reached: string[][];
}

/** Same traffic on several scenarios: which hosts each action reached. Scenarios must share their traffic. */
export function compareReach(ids: readonly string[]): { rows: ComparisonRow[]; received: number[]; unwanted: number[] } {
  const experiments = ids.map(runExperiment);
  const first = experiments[0]!;
  const rows = first.report.actions.map((action, i) => ({ label: action.label, reached: experiments.map((e) => hostsReached(e, i)) }));
  return { rows, received: experiments.map(copiesReceivedByHosts), unwanted: experiments.map(unwantedCopies) };
}
