// The inspector's layered view, computed from the trace of the chapters' own scenarios: what came
// in at each layer, what the device decided, what went out, and what changed on the way.

import { describe, expect, it } from 'vitest';
import { scenario } from '../../src/scenarios/index.ts';
import { Simulation } from '../../src/sim/engine/simulation.ts';
import type { TraceEvent } from '../../src/sim/trace.ts';
import { describeFrame } from '../../src/sim/wire/describe.ts';
import { deviceLayers } from '../../src/widgets/device-layers.ts';

function run(id: Parameters<typeof scenario>[0], until?: (sim: Simulation) => boolean) {
  const sc = scenario(id);
  const sim = new Simulation(sc);
  while (sim.canStep && !(until?.(sim) ?? false)) sim.step();
  return { sc, sim };
}

function find(sim: Simulation, test: (e: TraceEvent, summary: string) => boolean): TraceEvent {
  const found = sim.trace.find((e) => e.frame !== undefined && test(e, describeFrame(e.frame).summary));
  if (!found) throw new Error('no such event');
  return found;
}

describe('deviceLayers on router-on-a-stick', () => {
  const { sc, sim } = run('one-vlan-per-subnet/router-on-a-stick');
  const echoIn = find(sim, (e, s) => e.device === 'R' && e.kind === 'receive' && s.includes('ICMP echo request'));

  it('the router: tag 10 stripped on eth0.10, TTL 64→63, out eth0.20 with tag 20 added', () => {
    const view = deviceLayers(sim, echoIn.index, sc.devices)!;
    expect(view.device).toBe('R');
    expect(view.path).toEqual(['in eth0.10, tag 10 stripped', 'TTL 64→63', 'out eth0.20, tag 20 added']);
    expect(view.in).toMatchObject({ event: echoIn.index, port: 'eth0', iface: 'eth0.10' });
    expect(view.in!.rows.map((r) => [r.layer, r.text])).toEqual([
      [1, 'eth0.10 on port eth0'],
      [2, 'Ethernet 02:00:00:00:00:0a → 02:00:00:00:01:00, 802.1Q tag, VLAN 10'],
      [3, 'IPv4 10.1.10.11 → 10.1.20.11, TTL 64'],
      [3, 'ICMP echo request (id 18889, seq 1)'],
    ]);
    // The decision at layer 3 (ip_forward), then the ARP it had to start.
    expect(view.decisions.map((d) => [d.layer, d.reason])).toEqual([
      [3, 'ip-forward'],
      [3, 'arp-start'],
    ]);
    // Out: the ARP request of its own, then the packet itself, passed on once B's MAC was known.
    expect(view.out.map((o) => [o.iface, o.forwarded])).toEqual([
      ['eth0.20', false],
      ['eth0.20', true],
    ]);
    const passed = view.out[1]!;
    expect(passed.rows.filter((r) => r.changed).map((r) => r.text)).toEqual([
      'Ethernet 02:00:00:00:01:00 → 02:00:00:00:00:0b, 802.1Q tag, VLAN 20',
      'IPv4 10.1.10.11 → 10.1.20.11, TTL 63',
    ]);
    expect(passed.toward).toBe('sw1');
  });

  it('choosing the packet as it leaves shows the same handling: the frame that came in before the ARP wait', () => {
    const echoOut = find(sim, (e, s) => e.device === 'R' && e.kind === 'transmit' && s.includes('ICMP echo request'));
    const view = deviceLayers(sim, echoOut.index, sc.devices)!;
    expect(view.in?.event).toBe(echoIn.index);
    expect(view.path).toEqual(['in eth0.10, tag 10 stripped', 'TTL 64→63', 'out eth0.20, tag 20 added']);
  });

  it('the way back: in eth0.20, out eth0.10', () => {
    const reply = find(sim, (e, s) => e.device === 'R' && e.kind === 'receive' && s.includes('ICMP echo reply'));
    expect(deviceLayers(sim, reply.index, sc.devices)!.path).toEqual(['in eth0.20, tag 20 stripped', 'TTL 64→63', 'out eth0.10, tag 10 added']);
  });

  it('the switch: untagged on the access port into VLAN 10, tag added on the trunk; and stripped the other way', () => {
    const up = find(sim, (e, s) => e.device === 'sw1' && e.kind === 'receive' && e.port === 'p1' && s.includes('ICMP echo request'));
    const view = deviceLayers(sim, up.index, sc.devices)!;
    expect(view.path).toEqual(['in p1, untagged, into VLAN 10', 'out p5, tag 10 added']);
    expect(view.decisions.map((d) => [d.layer, d.kind])).toEqual([
      [2, 'classify'],
      [2, 'learn'],
      [2, 'forward'],
    ]);
    // A switch changes no byte above the tag.
    expect(view.out[0]!.rows.filter((r) => r.changed).map((r) => r.layer)).toEqual([2]);
    const down = find(sim, (e, s) => e.device === 'sw1' && e.kind === 'receive' && e.port === 'p5' && s.includes('ICMP echo reply'));
    expect(deviceLayers(sim, down.index, sc.devices)!.path).toEqual(['in p5, tag 10', 'out p1, tag 10 stripped']);
  });

  it('any event of a handling (a decision, a transmit) shows the same view as its receive', () => {
    const up = find(sim, (e, s) => e.device === 'sw1' && e.kind === 'transmit' && e.port === 'p5' && s.includes('ICMP echo request'));
    expect(deviceLayers(sim, up.index, sc.devices)!.path).toEqual(['in p1, untagged, into VLAN 10', 'out p5, tag 10 added']);
    expect(deviceLayers(sim, up.cause!, sc.devices)!.in?.port).toBe('p1');
  });

  it('a sender: no frame in, the action it started from', () => {
    const first = sim.eventAt(0)!;
    const arp = find(sim, (e) => e.device === 'A' && e.kind === 'transmit');
    const view = deviceLayers(sim, arp.index, sc.devices)!;
    expect(view.in).toBeNull();
    expect(view.start).toBe(first.index);
    expect(view.path).toEqual(['A sends a frame of its own', 'out eth0']);
  });

  it('mid-run, the router is still waiting for ARP: it says so, and shows the ARP request it sent', () => {
    const partial = run('one-vlan-per-subnet/router-on-a-stick', (s) => s.trace.some((e) => e.reason === 'ip-forward'));
    const at = find(partial.sim, (e, s) => e.device === 'R' && e.kind === 'receive' && s.includes('ICMP echo request'));
    const view = deviceLayers(partial.sim, at.index, partial.sc.devices)!;
    expect(view.path).toEqual(['in eth0.10, tag 10 stripped', 'waits for ARP', 'out eth0.20, tag 20 added (ARP request)']);
  });

  it('a host that ignores a request: dropped at layer 3', () => {
    const c = find(sim, (e) => e.device === 'C' && e.kind === 'receive');
    const view = deviceLayers(sim, c.index, sc.devices)!;
    expect(view.path).toEqual(['in eth0', 'dropped']);
    expect(view.decisions.map((d) => [d.layer, d.reason])).toEqual([[3, 'arp-request-not-for-me']]);
  });
});

describe('deviceLayers on hub-vs-bridge', () => {
  it('a bridge floods an unknown destination out of every other port, bytes unchanged', () => {
    const { sc, sim } = run('hub-vs-bridge/bridge');
    const first = find(sim, (e) => e.kind === 'receive' && sc.devices.find((d) => d.id === e.device)?.kind === 'bridge');
    const view = deviceLayers(sim, first.index, sc.devices)!;
    expect(view.decisions.map((d) => d.kind)).toContain('flood');
    expect(view.out.length).toBeGreaterThan(1);
    expect(view.out.every((o) => o.forwarded && o.rows.every((r) => !r.changed))).toBe(true);
    expect(view.path[0]).toBe(`in ${first.port}`);
    expect(view.path[1]).toMatch(/^out /);
  });

  it('no such event: null', () => {
    const { sc, sim } = run('hub-vs-bridge/hub');
    expect(deviceLayers(sim, sim.traceLength + 5, sc.devices)).toBeNull();
  });
});

describe('deviceLayers names devices as the drawing does', () => {
  it('two VTEPs: "VM 1 sends a frame of its own", the cable to "Router", not the ids vm1 and spine', () => {
    const { sc, sim } = run('vlan-vs-vxlan/two-vteps');
    const own = find(sim, (e) => e.device === 'vm1' && e.kind === 'transmit');
    expect(deviceLayers(sim, own.index, sc.devices)!.path[0]).toBe('VM 1 sends a frame of its own');
    const up = find(sim, (e) => e.device === 'vtep1' && e.kind === 'transmit' && e.port === 'eth0');
    const out = deviceLayers(sim, up.index, sc.devices)!.out.find((o) => o.event === up.index)!;
    expect(out.rows[0]!.text).toBe('port eth0, cable to Router');
    expect(out.toward).toBe('spine');
    const echo = find(sim, (e, s) => e.device === 'vm2' && e.kind === 'receive' && s.includes('ICMP echo request'));
    expect(deviceLayers(sim, echo.index, sc.devices)!.path).toContain('delivered to VM 2');
  });

  it('VTEP 1 floods VM 1\'s ARP request into vxlan0 and waits for the router\'s MAC: its way through says so, not "dropped" (its host ignoring br0\'s local copy)', () => {
    // Mid-run, as the reader sees it after three steps: the encapsulated copy still waits for ARP.
    const { sc, sim } = run('vlan-vs-vxlan/two-vteps', (s) => s.trace.some((e) => e.device === 'vtep1' && e.reason === 'arp-start'));
    const arrived = find(sim, (e) => e.device === 'vtep1' && e.kind === 'receive' && e.port === 'veth1');
    const view = deviceLayers(sim, arrived.index, sc.devices)!;
    expect(view.decisions.some((d) => d.kind === 'drop' && d.reason === 'arp-request-not-for-me')).toBe(true);
    expect(view.path).toEqual(['in veth1', 'flooded', 'wrapped in VXLAN (VNI 42) for 192.168.2.1', 'waits for ARP', 'out eth0 (ARP request)']);
  });

  it('the echo request through the tunnel: wrapped at VTEP 1, unwrapped at VTEP 2, never "Source 10.0.0.1→192.168.1.1" (the outer header is another packet, not a rewrite)', () => {
    const { sc, sim } = run('vlan-vs-vxlan/two-vteps');
    const into = find(sim, (e, s) => e.device === 'vtep1' && e.kind === 'receive' && e.port === 'veth1' && s.includes('ICMP echo request'));
    const wrapped = deviceLayers(sim, into.index, sc.devices)!;
    expect(wrapped.path).toEqual(['in veth1', 'wrapped in VXLAN (VNI 42) for 192.168.2.1', 'out eth0']);
    expect(wrapped.out[0]!.rows.find((r) => r.layer === 3)!.text).toMatch(/^IPv4 192\.168\.1\.1 → 192\.168\.2\.1/);
    expect(wrapped.out[0]!.rows.some((r) => r.changed)).toBe(false);
    const outer = find(sim, (e) => e.device === 'vtep2' && e.kind === 'receive' && e.port === 'eth0' && sim.trace.some((d) => d.cause === e.index && d.reason === 'vxlan-decap'));
    expect(deviceLayers(sim, outer.index, sc.devices)!.path).toEqual(['in eth0', 'unwrapped from VXLAN (VNI 42) from 192.168.1.1', 'out veth1']);
  });

  it('an action\'s label names its devices by their labels: "VM 1 pings VM 2"', () => {
    const { sim } = run('vlan-vs-vxlan/two-vteps');
    expect(sim.state.actions[1]!.label).toBe('VM 1 pings VM 2');
  });
});
