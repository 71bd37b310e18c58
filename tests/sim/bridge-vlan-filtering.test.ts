// A namespace's bridge with VLAN filtering and 802.1Q sub-interfaces on its own interface (a
// layer-3 switch as Linux builds it: vlan_filtering 1, `bridge vlan add … [self]`, br0.10): the
// format's checks, and the kernel decisions beyond the chapter's ping — br_handle_vlan on the
// bridge itself (tagged or untagged up to br0), br_allowed_ingress on a port without a PVID and on
// a tagged port, and a bridge without filtering passing tags up to br0.10 untouched.

import { describe, expect, it } from 'vitest';
import { scenario } from '../../src/scenarios/index';
import { Simulation } from '../../src/sim/engine/simulation';
import type { BridgeNetdevSpec, DeviceSpec, RouterSpec, Scenario, TrafficAction } from '../../src/sim/scenario/format';
import { buildReport } from '../../src/sim/report';
import { validateScenario } from '../../src/sim/scenario/validate';
import { decodeEthernetFrame } from '../../src/sim/wire/ethernet';

/** The chapter's layer-3 switch, changed by `edit` (its L3 router and br0 given), with `traffic`. */
function layer3(edit: (l3: RouterSpec, br0: BridgeNetdevSpec, devices: DeviceSpec[], links: Scenario['links']) => void, traffic?: TrafficAction[]): unknown {
  const copy = structuredClone(scenario('one-vlan-per-subnet/layer3-switch')) as Scenario;
  const l3 = copy.devices.find((d) => d.id === 'L3') as RouterSpec;
  edit(l3, l3.bridges![0]!, copy.devices, copy.links);
  if (traffic) copy.traffic = traffic;
  return copy;
}

function errorsOf(input: unknown): Array<[string, string]> {
  const result = validateScenario(input);
  return result.ok ? [] : result.errors.map((e) => [e.path, e.message]);
}

function run(input: unknown): Simulation {
  const result = validateScenario(input);
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  const sim = new Simulation(result.scenario);
  sim.run();
  return sim;
}

const BR0 = 'devices[4].bridges[0]';

describe('the format: vlanFiltering, bridgeVlans and a bridge\'s sub-interfaces', () => {
  it('a VLAN table without vlanFiltering is an error (Linux ignores it until vlan_filtering is 1)', () => {
    expect(errorsOf(layer3((_, br0) => delete br0.vlanFiltering))).toEqual([
      [`${BR0}.bridgeVlans`, 'Linux ignores a VLAN table without VLAN filtering: set "vlanFiltering": true'],
    ]);
  });

  it('an entry is for a port of the bridge or the bridge itself, once per VLAN, with one PVID per dev', () => {
    const errors = errorsOf(layer3((_, br0) => {
      br0.bridgeVlans!.push({ dev: 'eth9', vid: 10 }, { dev: 'eth1', vid: 10 }, { dev: 'eth1', vid: 30, pvid: true });
    }));
    expect(errors).toEqual([
      [`${BR0}.bridgeVlans[6].dev`, '"eth9" is neither a port of br0 nor br0 itself'],
      [`${BR0}.bridgeVlans[7].vid`, 'VLAN 10 is listed twice on eth1'],
      [`${BR0}.bridgeVlans[8].pvid`, 'eth1 already has PVID 10; it has one'],
    ]);
  });

  it('a sub-interface of br0: one per VLAN, a name no other interface has, an MTU at most br0\'s', () => {
    const errors = errorsOf(layer3((l3, br0) => {
      br0.mtu = 1400;
      br0.vlans!.push({ vlan: 10, ip: '10.1.30.1/24' }, { vlan: 30, ip: '10.1.40.1/24', mtu: 1500 });
      l3.nics.push({ port: 'br0.30', mac: '02:00:00:00:01:09' });
    }));
    expect(errors).toEqual([
      [`${BR0}.vlans[2].vlan`, 'br0 already has a sub-interface for VLAN 10 (br0.10)'],
      [`${BR0}.vlans[3].mtu`, 'br0.30 cannot have an MTU of 1500: br0\'s is 1400, and Linux refuses a sub-interface an MTU above its bridge\'s'],
      [`${BR0}.vlans[3].vlan`, 'L3 already has an interface called br0.30 (NIC br0.30)'],
    ]);
  });

  it('a sub-interface\'s address is one of the namespace\'s: a duplicate is warned about, and a route\'s next hop may be on-link through it', () => {
    const result = validateScenario(layer3((_, br0) => {
      br0.vlans![0]!.ip = '10.1.10.11/24';
    }));
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => [w.path, w.message.split(':')[0]])).toEqual([[`${BR0}.vlans[0].ip`, '10.1.10.11 is also used by A']]);
    const routed = (keep: boolean) => validateScenario(layer3((l3, br0) => {
      l3.routes = [{ to: '10.9.0.0/16', via: '10.1.20.254' }];
      if (!keep) br0.vlans!.pop();
    }));
    expect(routed(true).ok).toBe(true);
    const gone = routed(false);
    expect(gone.ok ? [] : gone.errors.map((e) => e.path)).toEqual(['devices[4].routes[0].via']);
  });

  it('counts a bridge\'s sub-interfaces among the interfaces in all', () => {
    const result = validateScenario(layer3((l3) => {
      l3.bridges = Array.from({ length: 5 }, (_, k) => ({
        name: `br${k}`, mac: `02:00:00:00:02:0${k}`, ports: [], vlans: Array.from({ length: 4094 }, (_, v) => ({ vlan: v + 1, ip: `10.${k + 2}.${v >> 8}.${(v & 0xff) + 1}/30` })),
      }));
    }));
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual(['expected at most 20,000 interfaces in all (ports, NICs, sub-interfaces and bridges together), got 20,483']);
  });
});

describe('br_handle_vlan on the bridge itself, and br_allowed_ingress', () => {
  it('VLAN 10 untagged on br0 itself (its PVID) with the address on br0: VLAN 10 goes up untagged to br0, VLAN 20 tagged to br0.20, and the ping is routed', () => {
    const sim = run(layer3((_, br0) => {
      br0.bridgeVlans = br0.bridgeVlans!.map((entry) => (entry.dev === 'br0' && entry.vid === 10 ? { dev: 'br0', vid: 10, pvid: true, untagged: true } : entry));
      br0.ip = '10.1.10.1/24';
      br0.vlans = br0.vlans!.filter((sub) => sub.vlan !== 10);
    }));
    expect(buildReport(sim).actions[0]!.result).toMatch(/^Reply from 10\.1\.20\.11: TTL 63/);
    const up = sim.trace.filter((e) => e.device === 'L3' && e.kind === 'deliver' && (e.reason === 'broadcast' || e.reason === 'fdb-hit'));
    expect(up.map((e) => decodeEthernetFrame(e.frame!).vlan?.vid ?? 'untagged')).toEqual(['untagged', 'untagged', 20, 20]);
    expect(up[0]!.text).toContain('untagged (VLAN 10 is untagged on br0 itself)');
    // What br0 sends untagged joins its PVID, 10 (br_dev_xmit → br_allowed_ingress).
    const own = sim.trace.find((e) => e.device === 'L3' && e.kind === 'classify' && e.port === 'br0' && e.reason === 'vlan-pvid')!;
    expect(own.text).toBe("L3's br0 puts the untagged frame into VLAN 10, the PVID of br0 itself (br_allowed_ingress).");
  });

  it('a tagged port (VLANs 10 and 20, no PVID) takes E\'s eth0.10 frames and drops its untagged ones: the port has no PVID', () => {
    const sim = run(layer3((l3, br0, devices, links) => {
      l3.nics.push({ port: 'eth5', mac: '02:00:00:00:01:05' });
      br0.ports.push('eth5');
      br0.bridgeVlans!.push({ dev: 'eth5', vid: 10 }, { dev: 'eth5', vid: 20 });
      devices.push({ id: 'E', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:0e', ip: '192.168.0.5/24', vlans: [{ vlan: 10, ip: '10.1.10.13/24' }] }] });
      links.push({ a: 'E:eth0', b: 'L3:eth5' });
    }, [{ at: 0, from: 'E', do: 'ping', to: '10.1.10.11' }, { at: 5000, from: 'E', do: 'ping', to: '192.168.0.9' }]));
    const [tagged, untagged] = buildReport(sim).actions;
    expect(tagged!.result).toMatch(/^Reply from 10\.1\.10\.11: TTL 64/);
    const toA = sim.trace.filter((e) => e.actionId === tagged!.id && e.device === 'L3' && e.kind === 'transmit');
    expect(toA.map((e) => [e.port, decodeEthernetFrame(e.frame!).vlan?.vid])).toContainEqual(['eth5', 10]);
    expect(toA.filter((e) => e.port === 'eth1').every((e) => decodeEthernetFrame(e.frame!).vlan === undefined)).toBe(true);
    expect(untagged!.outcome).toBe('failed');
    const drop = sim.trace.find((e) => e.actionId === untagged!.id && e.device === 'L3' && e.kind === 'drop')!;
    expect([drop.reason, drop.port, drop.text]).toEqual(['vlan-untagged', 'eth5', "L3's br0 drops the untagged frame: port eth5 has no PVID (no `bridge vlan` entry with pvid), so an untagged frame belongs to no VLAN there (br_allowed_ingress)."]);
  });

  it('a frame tagged for a VLAN its port is not in is dropped on the way in, naming the port\'s VLANs', () => {
    const sim = run(layer3((_, __, devices) => {
      devices[0] = { id: 'A', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:0a', vlans: [{ vlan: 20, ip: '10.1.20.99/24' }] }] };
    }, [{ at: 0, from: 'A', do: 'ping', to: '10.1.20.1' }]));
    const drop = sim.trace.find((e) => e.device === 'L3' && e.kind === 'drop')!;
    expect(drop.text).toBe("L3's br0 drops the frame: it is tagged for VLAN 20, and port eth1 is only in VLAN 10.");
  });

  it('without VLAN filtering the bridge passes tags through: a broadcast tagged 10 goes up to br0 as it came, and br0.10 answers', () => {
    const sim = run(layer3((_, br0, devices) => {
      delete br0.vlanFiltering;
      delete br0.bridgeVlans;
      devices[0] = { id: 'A', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:0a', vlans: [{ vlan: 10, ip: '10.1.10.11/24' }] }] };
    }, [{ at: 0, from: 'A', do: 'ping', to: '10.1.10.1' }]));
    expect(buildReport(sim).actions[0]!.result).toMatch(/^Reply from 10\.1\.10\.1: TTL 64/);
    const flood = sim.trace.find((e) => e.device === 'L3' && e.kind === 'flood')!;
    expect(flood.ports).toEqual(['eth2', 'eth3', 'eth4']);
    const up = sim.trace.find((e) => e.device === 'L3' && e.kind === 'deliver' && e.reason === 'broadcast')!;
    expect(decodeEthernetFrame(up.frame!).vlan?.vid).toBe(10);
  });
});
