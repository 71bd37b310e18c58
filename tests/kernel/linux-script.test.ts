// Every chapter scenario's "Run it on Linux" script, run as root on this machine's kernel, against the
// simulator: the script's build section makes the namespaces, veth pairs and bridges; its raw-frame
// actions run as the reader would run them (`bash lab.sh action N`), and a ping runs as the script's
// `ping` where iputils ping is installed, else as lab.py's stand-in (an ICMP echo on a raw socket with
// the simulator's identifier, sequence and data, what ping does as root). Every link end is captured,
// and each action must reach the same interfaces with the same frames, addressed to them or not, and
// end the same way. A scenario this kernel cannot build says why and is skipped.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bridgeMaxLearnedUnavailable, bridgeVlanFilteringUnavailable,
  buildFromScriptAsync,
  captureAt,
  kernelLabUnavailable,
  labPrefix,
  removeLeftovers,
  stackedLabUnavailable,
  runLabAsync,
  vlanUnavailable,
  type LabResult,
  type ScriptLab,
} from '../../scripts/kernel/netns';
import { runExperiment, type Experiment } from '../../src/scenarios/experiments';
import { scenarios } from '../../src/scenarios/index';
import { linuxScript } from '../../src/sim/export/linux-script';
import type { Scenario } from '../../src/sim/scenario/format';
import { destroyLabs, inParallel, kernelOutcomes, labEndpoints, quietNeighbourProbes, receptionDifferences, scriptActions, simOutcomes } from './compare';

const unavailable = kernelLabUnavailable();
if (unavailable !== null) console.warn(`tests/kernel/linux-script.test.ts skipped: ${unavailable}`);

/**
 * Scenarios another kernel test already builds from this same script (buildFromScript, through
 * netns.ts) and compares frame by frame, byte by byte: not built a second time, to keep the kernel
 * tests' time about what it was.
 */
const COMPARED_ELSEWHERE: Record<string, string> = {
  'hub-vs-bridge/bridge': 'tests/kernel/linux-bridge.test.ts',
  'hub-vs-bridge/bridge-ageing-zero': 'tests/kernel/linux-bridge.test.ts',
  'vlan-vs-vxlan/two-vteps': 'tests/kernel/linux-vxlan.test.ts',
  ...Object.fromEntries(['private', 'vepa', 'vepa-hairpin', 'bridge', 'passthru', 'host-fix'].map((mode) => [`macvlan-ipvlan-bridge/macvlan-${mode}`, 'tests/kernel/linux-macvlan.test.ts (who received what in every action, with two more pings: the LAN host and the host to c1)'])),
};

/** Why this kernel cannot run scenario `id`'s script, or null when it can. */
function cannotRun(scenario: Scenario): string | null {
  if (unavailable !== null) return unavailable;
  const elsewhere = COMPARED_ELSEWHERE[scenario.id];
  if (elsewhere) return `built from this script and compared frame by frame in ${elsewhere}`;
  const script = linuxScript(scenario);
  if (script.unsupported.length > 0) return `Linux lacks what it shows: ${script.unsupported[0]}`;
  if (script.notes.some((n) => n.includes('loop of bridges'))) return 'a loop of bridges without STP: on Linux its first broadcast storms until the namespaces go (the script sends it only with STORM=yes)';
  // What the script itself asks of the kernel: a VLAN-filtering bridge, 802.1Q sub-interfaces.
  if (script.commands.some((c) => c.includes(' vlan_filtering 1'))) {
    const why = bridgeVlanFilteringUnavailable();
    if (why) return why;
  }
  if (script.commands.some((c) => c.includes(' fdb_max_learned '))) {
    const why = bridgeMaxLearnedUnavailable();
    if (why) return why;
  }
  if (script.commands.some((c) => c.includes(' type vlan id '))) {
    const why = vlanUnavailable();
    if (why) return why;
  }
  if (scenario.devices.some((d) => (d.kind === 'host' || d.kind === 'router') && d.nics.some((n) => n.ipvlan))) {
    const why = stackedLabUnavailable({ ipvlan: true });
    if (why) return why;
  }
  if (scenario.devices.some((d) => (d.kind === 'host' || d.kind === 'router') && d.nat)) {
    const why = stackedLabUnavailable({ nft: true });
    if (why) return why;
  }
  return null;
}

/**
 * Why a scenario's point is time passing (a MAC table entry ageing out between its actions), or null.
 * Such a lab runs each action at its time in the scenario (as the script's `at_ms` does), where the
 * others run theirs back to back: `hub-vs-bridge/ageing` waits 20 s, beside the other labs.
 */
function ageingBetweenActions(scenario: Scenario): string | null {
  const times = scenario.traffic.map((a) => a.at ?? 0);
  const span = Math.max(0, ...times) - Math.min(0, ...times);
  for (const d of scenario.devices) {
    const ageing = d.kind === 'bridge' || d.kind === 'switch' ? d.ageingTime : undefined;
    if (ageing !== undefined && ageing > 0 && ageing * 1000 < span) return `its point is ${d.id} forgetting a MAC after ${ageing} s, between actions ${span / 1000} s apart; so its lab waits for each action's time`;
  }
  return null;
}

const ids = Object.keys(scenarios);

/** A scenario's run on the kernel and in the simulator. */
interface Run {
  experiment: Experiment;
  lab: ScriptLab;
  endpoints: string[];
  result: LabResult;
}

// The timed labs first, so that their waits overlap the others' work.
const runnable = ids.filter((id) => cannotRun(scenarios[id]!) === null).sort((a, b) => Number(ageingBetweenActions(scenarios[b]!) !== null) - Number(ageingBetweenActions(scenarios[a]!) !== null));

describe('every chapter scenario\'s Linux script, run on this kernel, against the simulator', () => {
  const runs = new Map<string, Run>();
  const labs: ScriptLab[] = [];
  // Every runnable scenario's lab at once (six at a time): each mostly waits, for a ping's reply,
  // ARP's probes or a bridge port, and the others work meanwhile.
  beforeAll(async () => {
    removeLeftovers();
    await inParallel(runnable, 6, async (id) => {
      const scenario = scenarios[id]!;
      const experiment = runExperiment(id);
      const lab = await buildFromScriptAsync(scenario, `${labPrefix()}-s${ids.indexOf(id)}`);
      labs.push(lab);
      await quietNeighbourProbes(lab, scenario);
      const endpoints = labEndpoints(scenario);
      const timed = ageingBetweenActions(scenario) !== null;
      const result = await runLabAsync(captureAt(endpoints, lab.netns), scriptActions(experiment, lab, endpoints, { timed }), 0.1);
      runs.set(id, { experiment, lab, endpoints, result });
    });
  }, 120_000);
  afterAll(() => destroyLabs(labs), 120_000);

  const get = (id: string): Run => {
    const run = runs.get(id);
    if (!run) throw new Error(`the kernel run of ${id} did not happen`);
    return run;
  };

  for (const id of ids) {
    const scenario = scenarios[id]!;
    const why = cannotRun(scenario);
    if (why !== null) {
      it.skip(`${id}: skipped, ${why}`, () => {});
      continue;
    }
    describe(id, () => {
      it('is quiet once built (no IPv6, STP or IGMP frame), and ends every action as the simulator does', () => {
        const { experiment, endpoints, result } = get(id);
        for (const endpoint of endpoints) expect(result.before[endpoint], endpoint).toEqual([]);
        expect(kernelOutcomes(experiment, result, endpoints)).toEqual(simOutcomes(experiment));
      });

      it('gives every link end the same frames in each action, and the same ones are addressed to another MAC', () => {
        const { experiment, endpoints, result } = get(id);
        experiment.report.actions.forEach((action, i) => {
          expect(receptionDifferences(experiment, result, i, endpoints), action.label).toEqual([]);
        });
      });
    });
  }
});
