// Builds, on this machine's Linux kernel, a router whose neighbour learned on one leg is needed on
// another, and checks the simulator against it. Linux keys neighbours by (interface, IP)
// (neigh_lookup(tbl, key, dev)): R learns B's MAC on eth2, but routes 10.0.2.20 out of eth1, so it
// must ask on eth1, where nobody answers.
//
//   A 10.0.1.10/24 (gw .1) ── eth0 10.0.1.1/24 ┐
//   C 10.0.2.30/24 ────────── eth1 10.0.2.1/24 ├ R (ip_forward=1)
//   B 10.0.2.20/24 (gw .1) ── eth2 10.0.3.1/24 ┘    B is cabled to eth2 but numbered for eth1's subnet
//
// B pings 10.0.2.1 (R's eth1 address); 10 s later A pings B through R; 10 s after that B pings
// 10.0.3.1 (R's eth2 address, through its gateway 10.0.2.1). One network namespace per
// device, a veth pair per cable, the scenario's MACs. A's and B's frames are the simulator's own bytes,
// sent with an AF_PACKET socket; R's and C's answers are the kernels' own work, captured on every
// interface. Skipped, with the reason printed, where namespaces cannot be made. Plumbing: scripts/kernel/.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildRoutedLab,
  kernelLabUnavailable,
  labPrefix,
  neighbourTable,
  removeLeftovers,
  setSysctls,
  type CapturedFrame,
  type LabResult,
  type NeighbourRow,
  type RoutedLab,
} from '../../scripts/kernel/netns';
import { Simulation } from '../../src/sim/engine/simulation';
import { buildReport } from '../../src/sim/report';
import type { DeviceSpec, Scenario } from '../../src/sim/scenario/format';
import { arpCache } from '../../src/sim/tables';
import type { TraceEvent } from '../../src/sim/trace';
import { ICMP_DESTINATION_UNREACHABLE, ICMP_UNREACHABLE_HOST } from '../../src/sim/wire';
import { scenarioOf } from '../sim/build';
import { bytes, comparable, destroyLab, frameSummary as summary, hex, ipv4Comparable, isIpv4, kernelFrames, unpadded } from './compare';

const MAC = { A: '02:00:00:00:00:0a', B: '02:00:00:00:00:0b', C: '02:00:00:00:00:0c', R0: '02:00:00:00:00:f0', R1: '02:00:00:00:00:f1', R2: '02:00:00:00:00:f2' };
const ENDPOINTS = ['A:eth0', 'R:eth0', 'R:eth1', 'R:eth2', 'B:eth0', 'C:eth0'] as const;
type Endpoint = (typeof ENDPOINTS)[number];
/** Scenario action index: 0 = B pings 10.0.2.1, 1 = A pings B, 2 = B pings 10.0.3.1. */
const B_PINGS_R = 0;
const A_PINGS_B = 1;
const B_PINGS_ETH2 = 2;

const unavailable = kernelLabUnavailable();
if (unavailable !== null) console.warn(`tests/kernel/linux-router-neighbour.test.ts skipped: ${unavailable}`);

function otherLegScenario(): Scenario {
  const devices: DeviceSpec[] = [
    { id: 'A', kind: 'host', nics: [{ port: 'eth0', mac: MAC.A, ip: '10.0.1.10/24' }], gateway: '10.0.1.1' },
    { id: 'R', kind: 'router', nics: [{ port: 'eth0', mac: MAC.R0, ip: '10.0.1.1/24' }, { port: 'eth1', mac: MAC.R1, ip: '10.0.2.1/24' }, { port: 'eth2', mac: MAC.R2, ip: '10.0.3.1/24' }] },
    { id: 'B', kind: 'host', nics: [{ port: 'eth0', mac: MAC.B, ip: '10.0.2.20/24' }], gateway: '10.0.2.1' },
    { id: 'C', kind: 'host', nics: [{ port: 'eth0', mac: MAC.C, ip: '10.0.2.30/24' }] },
  ];
  return scenarioOf(devices, [{ a: 'A:eth0', b: 'R:eth0' }, { a: 'C:eth0', b: 'R:eth1' }, { a: 'B:eth0', b: 'R:eth2' }], [
    { from: 'B', do: 'ping', to: '10.0.2.1', at: 0 },
    { from: 'A', do: 'ping', to: '10.0.2.20', at: 10_000 },
    { from: 'B', do: 'ping', to: '10.0.3.1', at: 20_000 },
  ]);
}

// ---------------------------------------------------------------------------------------------
// Both sides, as frames per interface and direction

/** The simulator's frames at `endpoint` during action `index`: "out" = transmitted there, "in" = received there. */
function simFrames(sim: Simulation, index: number, endpoint: Endpoint, dir: CapturedFrame['dir']): Uint8Array[] {
  const id = buildReport(sim).actions[index]!.id;
  const [device, port] = endpoint.split(':') as [string, string];
  const kind: TraceEvent['kind'] = dir === 'out' ? 'transmit' : 'receive';
  return sim.trace.filter((e) => e.kind === kind && e.device === device && e.port === port && e.actionId === id).map((e) => e.frame!);
}


interface Run {
  sim: Simulation;
  lab: RoutedLab;
  result: LabResult;
  neighbours: Record<'R' | 'C', NeighbourRow[]>;
}

describe.skipIf(unavailable !== null)('the real Linux router agrees with the simulator when it must answer on its other leg', () => {
  let run: Run | undefined;
  let lab: RoutedLab | undefined;

  beforeAll(() => {
    removeLeftovers();
    const sim = new Simulation(otherLegScenario());
    sim.run();
    lab = buildRoutedLab(sim.scenario, `${labPrefix()}-nb`);
    // The defaults the simulator models, set rather than inherited (a new namespace copies the host's
    // IPv4 settings): no reverse-path filter (with rp_filter=1 R would not even answer B's ARP request
    // arriving on eth2, since its route to 10.0.2.20 is eth1), answer ARP for any local address on any
    // interface, learn nothing from unsolicited replies. Effective rp_filter is max(all, interface).
    const conf = (key: string, value: number) => Object.fromEntries(['all', 'default', 'eth0', 'eth1', 'eth2'].map((dev) => [`net.ipv4.conf.${dev}.${key}`, value]));
    setSysctls(lab.netns.R!, { ...conf('rp_filter', 0), ...conf('arp_ignore', 0), ...conf('arp_accept', 0), ...conf('arp_announce', 0) });
    // Three ARP probes one second apart and the give-up after about 3 s: 4 s of settling after each.
    const result = lab.run([
      { kind: 'frames', from: 'B:eth0', frames: simFrames(sim, B_PINGS_R, 'B:eth0', 'out').map(hex), settle: 4.0 },
      { kind: 'frames', from: 'A:eth0', frames: simFrames(sim, A_PINGS_B, 'A:eth0', 'out').map(hex), settle: 4.0 },
      { kind: 'frames', from: 'B:eth0', frames: simFrames(sim, B_PINGS_ETH2, 'B:eth0', 'out').map(hex), settle: 4.0 },
    ]);
    run = { sim, lab, result, neighbours: { R: neighbourTable(lab.netns.R!), C: neighbourTable(lab.netns.C!) } };
  }, 30_000);

  afterAll(() => destroyLab(lab));

  const get = (): Run => {
    if (!run) throw new Error('the kernel run did not happen');
    return run;
  };

  it('is quiet before the traffic starts: no frame on any cable', () => {
    const { lab, result } = get();
    for (const endpoint of lab.endpoints) expect(result.before[endpoint], endpoint).toEqual([]);
  });

  for (const [index, what] of [[B_PINGS_R, 'B pings 10.0.2.1'], [A_PINGS_B, 'A pings B through R'], [B_PINGS_ETH2, 'B pings 10.0.3.1']] as const) {
    it(`${what}: every interface sends and receives the same frames, in the same order, as in the simulator`, () => {
      const { sim, result } = get();
      for (const endpoint of ENDPOINTS) {
        for (const dir of ['in', 'out'] as const) {
          expect(kernelFrames(result, index, endpoint, dir).map(summary), `${endpoint} ${dir}`).toEqual(simFrames(sim, index, endpoint, dir).map(summary));
        }
      }
    });

    it(`${what}: … and those frames are the same bytes (ARP whole, IPv4 all but the identification a kernel picks)`, () => {
      const { sim, result } = get();
      for (const endpoint of ENDPOINTS) {
        for (const dir of ['in', 'out'] as const) {
          expect(kernelFrames(result, index, endpoint, dir).map(comparable), `${endpoint} ${dir}`).toEqual(simFrames(sim, index, endpoint, dir).map(comparable));
        }
      }
    });
  }

  describe('B pings 10.0.2.1, arriving on R’s eth2', () => {
    it('R answers B’s ARP request on eth2 with eth2’s MAC (any local address, any interface: arp_ignore=0), byte for byte', () => {
      const { sim, result } = get();
      const kernel = kernelFrames(result, B_PINGS_R, 'R:eth2', 'out').map(hex);
      expect(kernel).toEqual(simFrames(sim, B_PINGS_R, 'R:eth2', 'out').map(unpadded));
      expect(kernel.map((f) => summary(bytes(f)))).toEqual([`${MAC.R2} > ${MAC.B} ARP 10.0.2.1 is-at ${MAC.R2}`]);
    });

    it('R’s echo reply is routed out of eth1, so R asks for 10.0.2.20 on eth1: the same three ARP requests, byte for byte, and no IPv4 frame leaves R', () => {
      const { sim, result } = get();
      const kernel = kernelFrames(result, B_PINGS_R, 'R:eth1', 'out');
      expect(kernel.map(hex)).toEqual(simFrames(sim, B_PINGS_R, 'R:eth1', 'out').map(unpadded));
      expect(kernel.map(summary)).toEqual(Array(3).fill(`${MAC.R1} > ff:ff:ff:ff:ff:ff ARP who-has 10.0.2.20? tell 10.0.2.1`));
      for (const port of ['R:eth0', 'R:eth1', 'R:eth2'] as const) {
        expect(kernelFrames(result, B_PINGS_R, port, 'out').filter(isIpv4), port).toEqual([]);
        expect(simFrames(sim, B_PINGS_R, port, 'out').filter(isIpv4), port).toEqual([]);
      }
    });

    it('… one second apart in both', () => {
      const { sim, result } = get();
      const kernelTimes = (result.actions[B_PINGS_R]!.frames['R:eth1'] ?? []).filter((f) => f.dir === 'out').map((f) => f.t!);
      const id = buildReport(sim).actions[B_PINGS_R]!.id;
      const simTimes = sim.trace.filter((e) => e.kind === 'transmit' && e.device === 'R' && e.port === 'eth1' && e.actionId === id).map((e) => e.time);
      const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);
      expect(gaps(simTimes)).toEqual([1000, 1000]);
      // Kernel timestamps; a 1 s neighbour timer may fire a timer-wheel slot late.
      for (const gap of gaps(kernelTimes)) expect(Math.abs(gap - 1), `kernel gaps ${gaps(kernelTimes).join(', ')} s`).toBeLessThan(0.1);
    });

    it('so no echo reply comes back to B, and the simulated B’s ping ends by its own timeout', () => {
      const { sim, result } = get();
      expect(kernelFrames(result, B_PINGS_R, 'B:eth0', 'in').filter(isIpv4)).toEqual([]);
      expect(kernelFrames(result, B_PINGS_R, 'C:eth0', 'in').filter(isIpv4)).toEqual([]);
      const report = buildReport(sim);
      expect(report.actions[B_PINGS_R]!.outcome).toBe('failed');
      expect(report.actions[B_PINGS_R]!.result).toBe('No reply from 10.0.2.1 within 4 s.');
    });
  });

  describe('A pings B through R', () => {
    it('R forwards nothing out of eth1 to B’s MAC: it asks three times on eth1, byte for byte as the simulator, and B hears nothing', () => {
      const { sim, result } = get();
      expect(kernelFrames(result, A_PINGS_B, 'R:eth1', 'out').map(hex)).toEqual(simFrames(sim, A_PINGS_B, 'R:eth1', 'out').map(unpadded));
      expect(kernelFrames(result, A_PINGS_B, 'R:eth1', 'out')).toHaveLength(3);
      expect(kernelFrames(result, A_PINGS_B, 'B:eth0', 'in')).toEqual([]);
      expect(simFrames(sim, A_PINGS_B, 'B:eth0', 'in')).toEqual([]);
    });

    it('A gets R’s ARP reply byte for byte and the same “host unreachable” (all but the IPv4 identification R picks)', () => {
      const { sim, result } = get();
      const [kernelArp, kernelError] = kernelFrames(result, A_PINGS_B, 'A:eth0', 'in');
      const [simArp, simError] = simFrames(sim, A_PINGS_B, 'A:eth0', 'in');
      expect(hex(kernelArp!)).toBe(unpadded(simArp!));
      expect(ipv4Comparable(kernelError!)).toEqual(ipv4Comparable(simError!));
      expect(ipv4Comparable(simError!)).toMatchObject({ source: '10.0.1.1', destination: '10.0.1.10', icmpType: ICMP_DESTINATION_UNREACHABLE, icmpCode: ICMP_UNREACHABLE_HOST });
      expect(buildReport(sim).actions[A_PINGS_B]!.result).toBe('From 10.0.1.1: Destination Host Unreachable.');
    });
  });

  describe('B pings 10.0.3.1, R’s eth2 address', () => {
    // A divergence this test found: the simulator asked "tell 10.0.2.1" (eth1's own address); the core now follows arp_solicit.
    it('R’s ARP requests on eth1 say “tell 10.0.3.1”, the echo reply’s source, not eth1’s own address (arp_solicit, arp_announce=0), byte for byte', () => {
      const { sim, result } = get();
      const kernel = kernelFrames(result, B_PINGS_ETH2, 'R:eth1', 'out');
      expect(kernel.map(hex)).toEqual(simFrames(sim, B_PINGS_ETH2, 'R:eth1', 'out').map(unpadded));
      expect(kernel.map(summary)).toEqual(Array(3).fill(`${MAC.R1} > ff:ff:ff:ff:ff:ff ARP who-has 10.0.2.20? tell 10.0.3.1`));
    });

    it('and again no echo reply reaches B', () => {
      const { sim, result } = get();
      expect(kernelFrames(result, B_PINGS_ETH2, 'B:eth0', 'in')).toEqual([]);
      expect(buildReport(sim).actions[B_PINGS_ETH2]!.result).toBe('No reply from 10.0.3.1 within 4 s.');
    });
  });

  it('ends with the same neighbour tables: R knows B on eth2 (where it asked) and A on eth0; C learned nothing', () => {
    const { sim, neighbours } = get();
    const resolved = (rows: NeighbourRow[]) => rows.filter((r) => r.mac).map((r) => [r.ip, r.mac, r.dev]).sort();
    const simRows = (device: string) => arpCache(sim.state, device)!.map((r) => [r.ip, r.mac, r.port]).sort();
    expect(resolved(neighbours.R)).toEqual(simRows('R'));
    expect(resolved(neighbours.R)).toEqual([['10.0.1.10', MAC.A, 'eth0'], ['10.0.2.20', MAC.B, 'eth2']]);
    expect(resolved(neighbours.C)).toEqual(simRows('C'));
    expect(simRows('C')).toEqual([]);
  });

  it('the kernel also keeps 10.0.2.20 on eth1 as a FAILED entry, with no MAC; the simulator keeps no failed entries', () => {
    const { sim, neighbours } = get();
    expect(neighbours.R.filter((r) => r.dev === 'eth1')).toEqual([{ ip: '10.0.2.20', dev: 'eth1', state: ['FAILED'] }]);
    expect(arpCache(sim.state, 'R')!.filter((r) => r.port === 'eth1')).toEqual([]);
  });
});
