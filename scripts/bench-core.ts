// Prints how fast the core runs large topologies: `npm run bench:core [-- hosts…]`.
// A number to quote, not a timed test: e.g. thousands of hosts on a tree of bridges, everyone pinging.

import { performance } from 'node:perf_hooks';
import { Simulation } from '../src/sim/engine/simulation';
import { SCENARIO_FORMAT, type DeviceSpec, type LinkSpec, type Scenario, type TrafficAction } from '../src/sim/scenario/format';
import { validateScenario } from '../src/sim/scenario/validate';

/** `hosts` hosts spread over leaf bridges of 48 ports, joined by one core bridge; every 10th host pings its neighbour. */
function fabric(hosts: number): Scenario {
  const perLeaf = 47;
  const leaves = Math.ceil(hosts / perLeaf);
  const devices: DeviceSpec[] = [{ id: 'core', kind: 'bridge', ports: Array.from({ length: leaves }, (_, i) => `p${i + 1}`) }];
  const links: LinkSpec[] = [];
  for (let l = 0; l < leaves; l++) {
    devices.push({ id: `leaf${l}`, kind: 'bridge', ports: Array.from({ length: perLeaf + 1 }, (_, i) => `p${i}`) });
    links.push({ a: `leaf${l}:p0`, b: `core:p${l + 1}` });
  }
  for (let h = 0; h < hosts; h++) {
    const n = h + 1;
    const mac = `02:00:00:${((n >> 16) & 0xff).toString(16).padStart(2, '0')}:${((n >> 8) & 0xff).toString(16).padStart(2, '0')}:${(n & 0xff).toString(16).padStart(2, '0')}`;
    devices.push({ id: `h${n}`, kind: 'host', nics: [{ port: 'eth0', mac, ip: `10.${(n >> 16) & 0xff}.${(n >> 8) & 0xff}.${n & 0xff}/8` }] });
    links.push({ a: `h${n}:eth0`, b: `leaf${Math.floor(h / perLeaf)}:p${(h % perLeaf) + 1}` });
  }
  const traffic: TrafficAction[] = [];
  for (let h = 1; h + 1 <= hosts; h += 10) traffic.push({ at: h, from: `h${h}`, do: 'ping', to: `h${h + 1}` });
  const result = validateScenario({ format: SCENARIO_FORMAT, id: 'bench', title: 'bench', devices, links, traffic });
  if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 3)));
  return result.scenario;
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
console.log('hosts  bridges  pings   steps     events     run ms   steps/s    events/s   step-back ms');
for (const hosts of sizes.length ? sizes : [100, 1000, 3000]) {
  const scenario = fabric(hosts);
  const bridges = scenario.devices.filter((d) => d.kind === 'bridge').length;
  const sim = new Simulation(scenario);
  const start = performance.now();
  sim.run(10_000_000);
  const ms = performance.now() - start;
  const ok = Object.values(sim.state.actions).filter((a) => a.outcome?.ok).length;
  if (ok !== scenario.traffic.length) throw new Error(`only ${ok} of ${scenario.traffic.length} pings succeeded`);
  const backStart = performance.now();
  sim.stepBack();
  const backMs = performance.now() - backStart;
  console.log(
    [
      String(hosts).padStart(5),
      String(bridges).padStart(8),
      String(scenario.traffic.length).padStart(6),
      String(sim.stepCount + 1).padStart(7),
      String(sim.trace.length).padStart(10),
      ms.toFixed(0).padStart(10),
      Math.round((sim.stepCount + 1) / (ms / 1000)).toLocaleString('en').padStart(9),
      Math.round(sim.trace.length / (ms / 1000)).toLocaleString('en').padStart(11),
      backMs.toFixed(1).padStart(14),
    ].join(' '),
  );
}
