// Every claim of chapter "VLAN vs VXLAN" (content/chapters/vlan-vs-vxlan.mdx) that its own
// scenarios and experiments can show, asserted against them. If the prose changes, this file
// changes with it. (The VXLAN players' claims come with the core's VXLAN scenarios.)

import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/scenarios/experiments';
import { cableCrossings } from '../../src/scenarios/vxlan-experiments';
import { measureTor, startTor, torScenario, TOR_MAX_RACKS, TOR_MAX_VMS, TOR_MIN_LIMIT, TOR_SERVERS_PER_RACK, TOR_STEP_BUDGET, TOR_TALKER } from '../../src/scenarios/tor';
import { torService, type TorResponse } from '../../src/scenarios/tor-service';
import { validateScenario } from '../../src/sim/scenario/validate';
import { macTable } from '../../src/sim/tables';
import { decodeEthernetFrame } from '../../src/sim/wire/ethernet';
import { scenarios } from '../../src/scenarios/index';
import { vxlanAnatomy } from '../../src/scenarios/vxlan-experiments';
import { createPlayerModel } from '../../src/widgets/player-model';
import { Simulation } from '../../src/sim/engine/simulation';
import { buildReport } from '../../src/sim/report';

const A = '02:00:00:00:0a:01';
const B = '02:00:00:00:0a:02';
const C = '02:00:00:00:0a:03';
const T = '02:00:00:00:0a:10';

describe('Two designs, the same ping: the stretched VLAN', () => {
  const experiment = runExperiment('vlan-vs-vxlan/stretched-vlan');
  const cables = cableCrossings('vlan-vs-vxlan/stretched-vlan');
  const cable = (a: string) => cables.find((c) => c.link.a === a)!;

  it('A’s ping to B gets its reply', () => {
    expect(experiment.report.actions[0]!.outcome).toBe('ok');
    expect(experiment.report.actions[0]!.result).toMatch(/^Reply from 10\.0\.0\.2/);
  });

  it('ToR 1 inserts the VLAN 100 tag into the trunk, and only the trunks carry tags', () => {
    for (const trunk of ['tor1:up', 'spine:t2']) {
      expect(cable(trunk).tagged).toBe(cable(trunk).frames);
      expect(cable(trunk).vlans).toEqual([100]);
    }
    for (const access of ['vm1:eth0', 'server1:eth0', 'tor2:p1', 'server2:veth0']) expect(cable(access).tagged).toBe(0);
  });

  it('the frame that leaves A is the frame that reaches B: same bytes, no tag, A’s and B’s MACs', () => {
    const sentByA = experiment.sim.trace.filter((e) => e.kind === 'transmit' && e.device === 'vm1').map((e) => e.frame!);
    const receivedByB = experiment.sim.trace.filter((e) => e.kind === 'receive' && e.device === 'vm2').map((e) => e.frame!);
    // A's echo request (the second frame A sends, after its ARP request) arrives at B unchanged.
    const request = sentByA[1]!;
    expect(receivedByB.some((f) => f.length === request.length && f.every((b, i) => b === request[i]))).toBe(true);
    expect(decodeEthernetFrame(request)).toMatchObject({ source: A, destination: B });
  });

  it('A’s and B’s MAC addresses are in the headers on every cable, so every switch learns them', () => {
    for (const c of cables) expect(c.macs).toEqual(expect.arrayContaining([A, B]));
    for (const sw of ['tor1', 'spine', 'tor2']) expect(macTable(experiment.sim.state, sw)!.map((r) => r.mac)).toEqual(expect.arrayContaining([A, B]));
  });
});

describe('The ID space', () => {
  const withVlan = (vlan: number) =>
    validateScenario({ format: 'vnet-live/scenario@2', id: 't', title: 't', devices: [{ id: 'sw', kind: 'switch', ports: [{ port: 'p1', vlan }] }], links: [], traffic: [] });

  it('a switch port takes VLAN 4094 and refuses 4095 (and 0), naming the field', () => {
    expect(withVlan(4094).ok).toBe(true);
    for (const vlan of [4095, 0]) {
      const result = withVlan(vlan);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors.map((e) => e.path)).toEqual(['devices[0].ports[0].vlan']);
    }
  });
});

describe('What the top-of-rack switch must learn', () => {
  it('stretched VLAN: rack 1’s ToR sees every VM MAC that crosses it (all but those on T’s own server)', () => {
    const racks = 3;
    const vms = 8;
    const run = measureTor('vlan', racks, vms, 1000);
    const onTsServer = vms / TOR_SERVERS_PER_RACK; // T's server's VMs (T included) talk to T through br0 alone
    expect(run.sourcesSeen).toBe(racks * vms - onTsServer + 1);
    expect(run.learnedVmMacs).toBe(run.sourcesSeen);
    expect([run.refused, run.unknownUnicastFloods, run.vmsBotheredFrames]).toEqual([0, 0, 0]);
  });

  it('past the limit it learns no more, and floods T’s answers to the MACs it could not learn as unknown unicast', () => {
    const run = measureTor('vlan', 3, 8, 10);
    expect(run.learned).toBe(10);
    expect(run.refused).toBe(run.sourcesSeen - 10);
    expect(run.unknownUnicastFloods).toBe(run.refused);
    // Each flood leaves by every port but the one it came in on: 3 other server ports and the uplink… minus T's own server port, where it came in.
    expect(run.floodCopies).toBe(run.unknownUnicastFloods * TOR_SERVERS_PER_RACK);
    expect(run.vmsBotheredFrames).toBeGreaterThan(0);
  });

  it('VXLAN over a routed underlay: rack 1’s ToR sees its own servers’ (VTEPs’) MACs and its router’s, never a VM’s, whatever the number of racks', () => {
    const racks = 3;
    const vms = 8;
    const vlan = measureTor('vlan', racks, vms, 1000);
    const vxlan = measureTor('vxlan', racks, vms, 1000);
    expect(vxlan.learnedVmMacs).toBe(0);
    expect(vxlan.sourcesSeen).toBe(TOR_SERVERS_PER_RACK + 1);
    expect(measureTor('vxlan', 6, vms, 1000).sourcesSeen).toBe(TOR_SERVERS_PER_RACK + 1);
    expect(vxlan.sourcesSeen).toBeLessThan(vlan.sourcesSeen);
    expect([vxlan.refused, vxlan.unknownUnicastFloods, vxlan.vmsBotheredFrames]).toEqual([0, 0, 0]);
  });

  it('pacing the VMs’ frames and T’s answers (TOR_SENDS_PER_MS a millisecond) changes nothing it counts: every frame, drop and table as when all are sent at once', () => {
    // 240 VMs: sent over 8 ms, past the 31 that go out together; a limit of 50 overflows the stretched VLAN.
    for (const design of ['vlan', 'vxlan'] as const) {
      const paced = torScenario(design, 6, 40, 50);
      const times = new Set(paced.traffic.map((a) => a.at));
      expect(times.size, 'the sends are spread over several milliseconds').toBeGreaterThan(3);
      // As it was: T's announcement at 0, every VM's frame at 100 ms, every answer of T's at 200 ms.
      const atOnce = { ...paced, traffic: paced.traffic.map((a) => ({ ...a, at: a.at === 0 ? 0 : a.from === TOR_TALKER ? 200 : 100 })) };
      const [p, o] = [paced, atOnce].map((scenario) => {
        const sim = new Simulation(scenario, { history: false });
        sim.run();
        // What happened, not when: each event's device, kind, reason and port, counted.
        const counts = new Map<string, number>();
        for (const e of sim.trace) {
          const key = `${e.device} ${e.kind} ${e.reason} ${e.port}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        const tables = ['tor1', 'tor2', 'spine'].map((id) => (macTable(sim.state, id) ?? []).map((row) => `${row.mac} ${row.port}`).sort());
        return { steps: sim.stepCount, counts: [...counts].sort(), tables };
      });
      expect(p.steps).toBe(o.steps);
      expect(p.counts).toEqual(o.counts);
      expect(p.tables).toEqual(o.tables);
      expect(p.counts.some(([k]) => k.startsWith('tor1 ') && k.includes('fdb-miss')), 'rack 1’s ToR floods unknown unicast in the stretched VLAN only (in both runs, their counts being equal)').toBe(design === 'vlan');
    }
  });

  it('the same limit that overflows the stretched VLAN leaves VXLAN untouched', () => {
    const vlan = measureTor('vlan', 3, 8, 6);
    const vxlan = measureTor('vxlan', 3, 8, 6);
    expect(vlan.refused).toBeGreaterThan(0);
    expect(vxlan.refused).toBe(0);
  });

  it('the most the control allows runs to the end: 100 racks × 100 VMs with a table limit of 1, where the stretched VLAN floods nearly every answer', () => {
    // A step budget of 2,000,000 once stopped this run with an error where the reader expected a table.
    const vlan = measureTor('vlan', TOR_MAX_RACKS, TOR_MAX_VMS, TOR_MIN_LIMIT);
    expect(vlan.steps).toBeGreaterThan(2_000_000);
    expect(vlan.steps).toBeLessThan(TOR_STEP_BUDGET);
    expect(vlan.learned).toBe(TOR_MIN_LIMIT);
    expect(vlan.refused).toBe(vlan.sourcesSeen - TOR_MIN_LIMIT);
    expect(vlan.unknownUnicastFloods).toBe(vlan.refused);
    expect(vlan.vmMacsSeen).toBe(vlan.sourcesSeen);
    // VXLAN's ToR refuses MACs too at a limit this small, its servers' (VTEPs') and its router's:
    // still no VM MAC among what it saw (the table once counted every refused MAC as a VM's).
    const vxlan = measureTor('vxlan', TOR_MAX_RACKS, TOR_MAX_VMS, TOR_MIN_LIMIT);
    expect(vxlan.refused).toBe(TOR_SERVERS_PER_RACK);
    expect(vxlan.vmMacsSeen).toBe(0);
    expect(vxlan.sourcesSeen).toBe(TOR_SERVERS_PER_RACK + 1);
  }, 60_000);

  it('the scenario behind the control is a real topology: one ToR per rack, 4 servers per rack, a veth per VM, with the reader’s limit', () => {
    const scenario = torScenario('vlan', 3, 8, 10);
    expect(scenario.devices.filter((d) => d.kind === 'switch').map((d) => d.id)).toEqual(['tor1', 'tor2', 'tor3', 'spine']);
    expect(scenario.devices.filter((d) => d.id.startsWith('vm')).length).toBe(24);
    expect(scenario.links.filter((l) => l.type === 'veth').length).toBe(24);
    expect(scenario.devices.filter((d) => d.kind === 'switch' && d.id.startsWith('tor')).every((d) => d.kind === 'switch' && d.fdbMaxLearned === 10)).toBe(true);
  });

  it('run a slice at a time (as the page’s workers run it), a design counts exactly what it counts in one go', () => {
    const whole = measureTor('vlan', 3, 8, 6);
    const runner = startTor('vlan', 3, 8, 6);
    let slices = 1;
    let run = runner.advance(50);
    for (; run === undefined; slices++) run = runner.advance(50);
    expect(slices).toBe(Math.ceil(whole.steps / 50) + (whole.steps % 50 === 0 ? 1 : 0));
    expect(run).toEqual(whole);
    expect(runner.advance(50)).toEqual(whole);
  });

  it('a worker answers the latest values: one typed while another runs replaces it, unanswered; it says its steps so far between slices; bad values get their error', async () => {
    const answers: TorResponse[] = [];
    let pauses = 0;
    let typeMore: (() => void) | undefined;
    const handle = torService(
      (response) => answers.push(response),
      async () => {
        pauses += 1;
        typeMore?.();
        typeMore = undefined;
      },
      40,
    );
    // "1" is running when "10" arrives (between two slices): only 10's counts come back.
    typeMore = () => handle({ seq: 2, design: 'vxlan', racks: 3, vms: 10, limit: 6 });
    handle({ seq: 1, design: 'vxlan', racks: 3, vms: 1, limit: 6 });
    const final = () => answers.filter((a) => a.ok !== null);
    await expect.poll(() => final().length).toBe(1);
    const counts = measureTor('vxlan', 3, 10, 6);
    expect(final()[0]).toEqual({ seq: 2, ok: true, result: counts });
    expect(pauses).toBeGreaterThan(1);
    // Between slices, the steps so far: one slice of 1's, then 10's, 40 more each time, before its counts.
    expect(answers.slice(0, -1)).toEqual([
      { seq: 1, ok: null, steps: 40 },
      ...Array.from({ length: Math.floor(counts.steps / 40) }, (_, k) => ({ seq: 2, ok: null, steps: 40 * (k + 1) })),
    ]);
    handle({ seq: 3, design: 'vlan', racks: 0, vms: 10, limit: 6 });
    await expect.poll(() => final().length).toBe(2);
    expect(final()[1]).toMatchObject({ seq: 3, ok: false, error: expect.stringContaining('racks must be a whole number') });
  });

  it('tor-full: ToR 1 (limit 2) learns T and A, not C, and floods T’s answer to C to A and B', () => {
    const { sim, report } = runExperiment('vlan-vs-vxlan/tor-full');
    expect(macTable(sim.state, 'tor1')!.map((r) => r.mac)).toEqual([A, T]);
    expect(sim.trace.some((e) => e.device === 'tor1' && e.reason === 'fdb-full' && e.text!.includes(`does not learn ${C}`))).toBe(true);
    const answer = report.actions[3]!;
    expect(Object.keys(answer.receivedBy).filter((d) => ['A', 'B', 'C', 'D'].includes(d)).sort()).toEqual(['A', 'B', 'C']);
    expect(answer.receivedBy['tor1']![0]!.reason).toBe('fdb-miss');
  });
});

describe('The frame inside the frame', () => {
  const anatomy = vxlanAnatomy('vlan-vs-vxlan/two-vteps');

  it('VM 1’s ARP request leaves VTEP 1 as outer Ethernet (0–13), IPv4 (14–33), UDP (34–41), VXLAN (42–49), then the inner frame', () => {
    expect([anatomy.sentBy, anatomy.port]).toEqual(['vtep1', 'eth0']);
    expect(anatomy.rows.map((r) => [r.layer, r.from, r.to])).toEqual([
      ['Outer Ethernet', 0, 13],
      ['Outer IPv4', 14, 33],
      ['UDP', 34, 41],
      ['VXLAN', 42, 49],
      ['Inner frame', 50, 50 + anatomy.innerLength - 1],
    ]);
  });

  it('counted from the bytes: the encapsulation costs 50 bytes', () => {
    expect(anatomy.overhead).toBe(50);
    expect(anatomy.outerLength - anatomy.innerLength).toBe(14 + 20 + 8 + 8);
  });

  it('the VXLAN header says flags 0x08, VNI 42, reserved bytes zero; UDP goes to Linux’s default port 8472, from 192.168.1.1 to 192.168.2.1', () => {
    expect(anatomy.rows[3]!.hex).toBe('08 00 00 00 00 00 2a 00');
    expect(anatomy.rows[2]!.reads).toMatch(/destination port 8472/);
    expect(anatomy.rows[1]!.reads).toMatch(/from 192\.168\.1\.1 to 192\.168\.2\.1, protocol 17/);
    expect(anatomy.rows[4]!.reads).toMatch(/from 02:00:00:00:0a:01/);
  });
});

describe('Flood and learn, live in the player', () => {
  it('stepping the two-VTEP player, VTEP 2’s VXLAN FDB gains VM 1’s MAC behind 192.168.1.1, and VTEP 1’s shows its flood list', () => {
    const model = createPlayerModel(scenarios['vlan-vs-vxlan/two-vteps']!);
    const fdbOf = (name: string) => model.macTables.value.find((t) => t.vxlan && t.name === name);
    expect(fdbOf('VTEP 1 vxlan0')!.rows.map((r) => [r.mac, r.port, r.age, r.owner])).toEqual([['00:00:00:00:00:00', '192.168.2.1', 'permanent', 'flood list']]);
    expect(fdbOf('VTEP 2 vxlan0')!.rows.some((r) => r.mac === A)).toBe(false);
    for (let i = 0; i < 200 && !fdbOf('VTEP 2 vxlan0')!.rows.some((r) => r.mac === A); i++) model.stepForward();
    const learned = fdbOf('VTEP 2 vxlan0')!.rows.find((r) => r.mac === A)!;
    expect([learned.port, learned.owner]).toEqual(['192.168.1.1', 'VM 1']);
  });
});

describe('Port 8472 or 4789: the chapter\'s two VTEPs, one of them on 4789', () => {
  // two-vteps as the chapter shows it, with vtep2 created with `dstport 4789` and vtep1 left at Linux's default.
  const scenario = structuredClone(scenarios['vlan-vs-vxlan/two-vteps']!);
  const vtep2 = scenario.devices.find((d) => d.id === 'vtep2');
  if (vtep2?.kind !== 'host' && vtep2?.kind !== 'router') throw new Error('two-vteps has no vtep2 namespace');
  vtep2.vxlans![0]!.dstport = 4789;
  const sim = new Simulation(scenario);
  sim.run();
  const report = buildReport(sim);

  it('nothing arrives: no VM gets a frame through the tunnel, and VM 1’s ping fails', () => {
    expect(sim.trace.filter((e) => e.reason === 'vxlan-decap')).toEqual([]);
    expect(report.actions.map((a) => a.outcome)).toEqual(report.actions.map(() => 'failed'));
  });

  it('vtep2’s stack answers each datagram to 8472 with ICMP port unreachable, which goes to vtep1’s stack, never to VM 1', () => {
    const unreachable = sim.trace.filter((e) => e.device === 'vtep2' && e.reason === 'udp-port-unreachable');
    expect(unreachable.length).toBeGreaterThan(0);
    expect(unreachable[0]!.text).toMatch(/no socket on UDP port 8472/);
    expect(sim.trace.some((e) => e.device === 'vtep1' && e.reason === 'icmp-error')).toBe(true);
    const vm1 = scenario.devices.find((d) => d.id === 'vm1');
    expect(vm1).toBeDefined();
    const icmpToVm = sim.trace.filter((e) => e.kind === 'receive' && e.device === 'vm1' && e.frame !== undefined && e.frame[23] === 1 && e.frame[34] === 3);
    expect(icmpToVm).toEqual([]);
  });
});
