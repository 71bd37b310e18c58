// Builds chapter 1's "two NICs with addresses" scenario on this machine's Linux kernel and checks the
// simulator against it: a host with an address on each of three NICs reaches every neighbour, but
// passes nothing from one NIC to another (ip_forward=0: ip_route_input_slow finds no local route and
// forwarding off, ip_error drops the packet without an ICMP error).
//
//   B 10.0.1.11/24 (gw 10.0.1.1) ── nic1 10.0.1.1/24 ┐
//   C 10.0.2.12/24 (gw 10.0.2.1) ── nic2 10.0.2.1/24 ├ A (a host: ip_forward=0)
//   R 192.168.1.1/24 (a router) ─── eth0 192.168.1.10/24 ┘
//
// The scenario is the chapter's own (content/scenarios/hub-vs-bridge/two-nics-addressed.json). One
// network namespace per device, a veth pair per cable, the scenario's MACs. The sender's frames are
// the simulator's own bytes, put on its cable with an AF_PACKET socket; every answer (and A's drop)
// is the kernels' own work, captured on every interface. Skipped, with the reason printed, where
// namespaces cannot be made. Plumbing: scripts/kernel/.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRoutedLab, kernelLabUnavailable, labPrefix, removeLeftovers, type LabResult, type RoutedLab } from '../../scripts/kernel/netns';
import { scenario } from '../../src/scenarios/index';
import { Simulation } from '../../src/sim/engine/simulation';
import { buildReport } from '../../src/sim/report';
import type { TraceEvent } from '../../src/sim/trace';
import { comparable, destroyLab, frameSummary as summary, hex, isIpv4, kernelFrames } from './compare';

const ENDPOINTS = ['A:nic1', 'A:nic2', 'A:eth0', 'B:eth0', 'C:eth0', 'R:eth0'] as const;
type Endpoint = (typeof ENDPOINTS)[number];
/** The scenario's actions, in order, and the port each sender's frames leave by. */
const ACTIONS = [
  { what: 'A pings B', from: 'A:nic1' },
  { what: 'A pings C', from: 'A:nic2' },
  { what: 'A pings R, out of its uplink', from: 'A:eth0' },
  { what: 'B pings C', from: 'B:eth0' },
] as const;
const B_PINGS_C = 3;

const unavailable = kernelLabUnavailable();
if (unavailable !== null) console.warn(`tests/kernel/linux-host-no-forward.test.ts skipped: ${unavailable}`);

/** The simulator's frames at `endpoint` during action `index`: "out" = transmitted there, "in" = received there. */
function simFrames(sim: Simulation, index: number, endpoint: string, dir: 'in' | 'out'): Uint8Array[] {
  const id = buildReport(sim).actions[index]!.id;
  const [device, port] = endpoint.split(':') as [string, string];
  const kind: TraceEvent['kind'] = dir === 'out' ? 'transmit' : 'receive';
  return sim.trace.filter((e) => e.kind === kind && e.device === device && e.port === port && e.actionId === id).map((e) => e.frame!);
}

describe.skipIf(unavailable !== null)('the real Linux host agrees with the simulator: three addressed NICs, and nothing passed between them', () => {
  let sim: Simulation | undefined;
  let lab: RoutedLab | undefined;
  let result: LabResult | undefined;

  beforeAll(() => {
    removeLeftovers();
    sim = new Simulation(scenario('hub-vs-bridge/two-nics-addressed'));
    sim.run();
    expect(ACTIONS.map((a) => a.what)).toEqual(buildReport(sim).actions.map((a) => a.label));
    lab = buildRoutedLab(sim.scenario, `${labPrefix()}-nf`);
    result = lab.run(ACTIONS.map((action, index) => ({ kind: 'frames', from: action.from, frames: simFrames(sim!, index, action.from, 'out').map(hex), settle: 0.3 })));
  }, 30_000);

  afterAll(() => destroyLab(lab));

  const get = () => {
    if (!sim || !result || !lab) throw new Error('the kernel run did not happen');
    return { sim, result, lab };
  };

  it('is quiet before the traffic starts: no frame on any cable', () => {
    const { lab, result } = get();
    for (const endpoint of lab.endpoints) expect(result.before[endpoint], endpoint).toEqual([]);
  });

  ACTIONS.forEach(({ what }, index) => {
    it(`${what}: every interface sends and receives the same frames, in the same order, with the same bytes (IPv4 all but the identification)`, () => {
      const { sim, result } = get();
      for (const endpoint of ENDPOINTS as readonly Endpoint[]) {
        for (const dir of ['in', 'out'] as const) {
          const kernel = kernelFrames(result, index, endpoint, dir);
          const simulated = simFrames(sim, index, endpoint, dir);
          expect(kernel.map(summary), `${endpoint} ${dir}`).toEqual(simulated.map(summary));
          expect(kernel.map(comparable), `${endpoint} ${dir}`).toEqual(simulated.map(comparable));
        }
      }
    });
  });

  it('A answers each neighbour on its own card: B, C and R each get an echo reply', () => {
    const { sim, result } = get();
    for (const [index, endpoint] of [[0, 'B:eth0'], [1, 'C:eth0'], [2, 'R:eth0']] as const) {
      expect(kernelFrames(result, index, endpoint, 'out').filter(isIpv4).map(summary)[0], endpoint).toMatch(/ICMP echo reply/);
      expect(buildReport(sim).actions[index]!.outcome).toBe('ok');
    }
  });

  it('B pings C through A: A takes the echo request in on nic1 and sends nothing out of nic2, nor any error back; C hears nothing', () => {
    const { sim, result } = get();
    expect(kernelFrames(result, B_PINGS_C, 'A:nic1', 'in').map(summary)).toEqual([expect.stringMatching(/ICMP echo request 10\.0\.1\.11 → 10\.0\.2\.12/)]);
    expect(kernelFrames(result, B_PINGS_C, 'A:nic1', 'out')).toEqual([]);
    expect(kernelFrames(result, B_PINGS_C, 'A:nic2', 'out')).toEqual([]);
    expect(kernelFrames(result, B_PINGS_C, 'C:eth0', 'in')).toEqual([]);
    const report = buildReport(sim).actions[B_PINGS_C]!;
    expect(report.outcome).toBe('failed');
    expect(report.receivedBy['A']!.map((r) => [r.port, r.reason])).toEqual([['nic1', 'ip-not-for-me']]);
  });
});
