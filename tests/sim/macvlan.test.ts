// macvlan (host/macvlan.ts) on the chapter's scenarios: the reachability matrix of every design
// (container ↔ sibling, ↔ its host, ↔ a LAN host, ↔ the outside, both ways), table-driven; then
// each claim with the frames behind it: the MACs the switch sees, the source address the outside
// sees, bridge mode's shortcut, VEPA's trip through a hairpin port, private mode's isolation even
// then, the parent ↔ child isolation and its fix, passthru, a macvlan on an 802.1Q sub-interface,
// mode source, port security against several MACs behind one port, and validation by field.
// The matrix rows of the macvlan modes are the ones tests/kernel/linux-macvlan.test.ts checks
// against the real kernel.

import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index';
import { Simulation } from '../../src/sim/engine/simulation';
import type { Scenario, TrafficAction } from '../../src/sim/scenario/format';
import { validateScenario } from '../../src/sim/scenario/validate';
import { buildReport } from '../../src/sim/report';
import { macTable, portSecurityTable } from '../../src/sim/tables';
import { decodeEthernetFrame, decodeIpv4Packet, describeFrame } from '../../src/sim/wire';

const IP: Record<string, Record<string, string>> = {
  default: { c1: '192.168.1.101', c2: '192.168.1.102', server: '192.168.1.10', lan: '192.168.1.20', web: '203.0.113.10' },
  'ipvlan-l3': { c1: '10.0.2.2', c2: '10.0.2.3', server: '192.168.1.10', lan: '192.168.1.20', web: '203.0.113.10' },
  'bridge-nat': { c1: '10.0.1.2', c2: '10.0.1.3', server: '192.168.1.10', lan: '192.168.1.20', web: '203.0.113.10' },
};
const CELLS = ['c1>c2', 'c1>server', 'c1>lan', 'c1>web', 'lan>c1', 'server>c1', 'web>c1'] as const;

/** Runs the cells a design has devices for, one ping each, 6 s apart; the outcome of each. */
function matrix(design: string): Record<string, boolean> {
  const base = scenarios[`macvlan-ipvlan-bridge/${design}`]!;
  const ips = IP[design] ?? IP['default']!;
  const has = (id: string) => base.devices.some((d) => d.id === id);
  const cells = CELLS.filter((cell) => cell.split('>').every(has));
  const sim = new Simulation({ ...base, traffic: cells.map((cell, i) => ({ from: cell.split('>')[0]!, do: 'ping', to: ips[cell.split('>')[1]!]!, at: i * 6000 })) });
  sim.run();
  const report = buildReport(sim);
  return Object.fromEntries(cells.map((cell, i) => [cell, report.actions[i]!.outcome === 'ok']));
}

const Y = true;
const n = false;

describe('the reachability matrix, computed by the core for every design', () => {
  it.each([
    // design                  c1>c2 c1>server c1>lan c1>web lan>c1 server>c1 web>c1
    ['macvlan-private',        [n, n, Y, Y, Y, Y, Y]],
    ['macvlan-vepa',           [n, n, Y, Y, Y, n, Y]],
    ['macvlan-vepa-hairpin',   [Y, Y, Y, Y, Y, Y, Y]],
    ['macvlan-bridge',         [Y, n, Y, Y, Y, n, Y]],
    ['macvlan-host-fix',       [Y, Y, Y, Y, Y, Y, Y]],
    ['ipvlan-l2',              [Y, n, Y, Y, Y, n, Y]],
    ['ipvlan-l3',              [Y, Y, Y, Y, Y, Y, Y]],
    ['bridge-nat',             [Y, Y, Y, Y, n, Y, n]],
  ] as const)('%s', (design, row) => {
    expect(matrix(design)).toEqual(Object.fromEntries(CELLS.map((cell, i) => [cell, row[i]])));
  });

  it('macvlan-passthru (one container, the host without an address)', () => {
    expect(matrix('macvlan-passthru')).toEqual({ 'c1>server': n, 'c1>lan': Y, 'c1>web': Y, 'lan>c1': Y, 'server>c1': n, 'web>c1': Y });
  });
});

/** Runs a chapter scenario with other traffic. */
function run(design: string, traffic: TrafficAction[], change?: (s: Scenario) => void): Simulation {
  const scenario = structuredClone({ ...scenarios[`macvlan-ipvlan-bridge/${design}`]!, traffic });
  change?.(scenario);
  const result = validateScenario(scenario);
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  const sim = new Simulation(result.scenario);
  sim.run();
  return sim;
}

/** The frames `device` received on `port`. */
function receivedAt(sim: Simulation, device: string, port: string) {
  return sim.trace.filter((e) => e.kind === 'receive' && e.device === device && e.port === port).map((e) => e.frame!);
}

describe('what the switch sees', () => {
  it.each([
    ['macvlan-bridge', ['02:00:00:00:01:00', '02:00:00:00:0c:01', '02:00:00:00:0c:02']],
    ['macvlan-vepa', ['02:00:00:00:01:00', '02:00:00:00:0c:01', '02:00:00:00:0c:02']],
    ['ipvlan-l2', ['02:00:00:00:01:00']],
    ['ipvlan-l3', ['02:00:00:00:01:00']],
    ['bridge-nat', ['02:00:00:00:01:00']],
  ] as const)('%s: the MACs the switch learns behind the host\'s port p1', (design, macs) => {
    const sim = run(design, [
      { from: 'c1', do: 'ping', to: 'web', at: 0 },
      { from: 'c2', do: 'ping', to: 'web', at: 6000 },
      { from: 'server', do: 'ping', to: 'lan', at: 12000 },
    ]);
    expect((macTable(sim.state, 'sw') ?? []).filter((row) => row.port === 'p1').map((row) => row.mac).sort()).toEqual([...macs]);
  });

  it('port security with one MAC per port (a cloud VPC, Wi-Fi): macvlan containers are dropped at the switch, ipvlan ones pass', () => {
    const onePerPort = (s: Scenario) => {
      const sw = s.devices.find((d) => d.id === 'sw')!;
      if (sw.kind === 'switch') sw.ports[0]!.maxMacs = 1;
    };
    const traffic: TrafficAction[] = [{ from: 'server', do: 'ping', to: 'lan', at: 0 }, { from: 'c1', do: 'ping', to: 'lan', at: 6000 }];
    const macvlan = run('macvlan-bridge', traffic, onePerPort);
    expect(buildReport(macvlan).actions.map((a) => a.outcome)).toEqual(['ok', 'failed']);
    const violation = macvlan.trace.find((e) => e.device === 'sw' && e.reason === 'port-security')!;
    expect(describeFrame(violation.frame!).source).toBe('02:00:00:00:0c:01');
    expect(violation.text).toContain('port p1 allows 1 MAC address');
    expect(portSecurityTable(macvlan.state, 'sw')).toEqual([{ port: 'p1', limit: 1, macs: ['02:00:00:00:01:00'], full: true }]);
    const ipvlan = run('ipvlan-l2', traffic, onePerPort);
    expect(buildReport(ipvlan).actions.map((a) => a.outcome)).toEqual(['ok', 'ok']);
    expect(ipvlan.trace.some((e) => e.reason === 'port-security')).toBe(false);
  });
});

describe('the source address and MAC the outside sees', () => {
  it.each([
    ['macvlan-bridge', '192.168.1.101', '02:00:00:00:0c:01'],
    ['ipvlan-l2', '192.168.1.101', '02:00:00:00:01:00'],
    ['bridge-nat', '192.168.1.10', '02:00:00:00:01:00'],
  ] as const)('%s: the LAN host gets c1\'s echo request from %s, MAC %s', (design, source, mac) => {
    const sim = run(design, [{ from: 'c1', do: 'ping', to: 'lan', at: 0 }]);
    const request = receivedAt(sim, 'lan', 'eth0').find((f) => describeFrame(f).protocol === 'icmp-echo-request')!;
    expect(describeFrame(request).source).toBe(mac);
    expect(decodeIpv4Packet(decodeEthernetFrame(request).payload).source).toBe(source);
  });
});

describe('macvlan modes, frame by frame', () => {
  it('bridge mode: c1 reaches c2 inside the host; no echo request crosses the switch', () => {
    const sim = run('macvlan-bridge', [{ from: 'c1', do: 'ping', to: 'c2', at: 0 }]);
    expect(buildReport(sim).actions[0]!.outcome).toBe('ok');
    expect(receivedAt(sim, 'sw', 'p1').filter((f) => describeFrame(f).protocol?.startsWith('icmp'))).toEqual([]);
    expect(sim.trace.filter((e) => e.reason === 'macvlan-bridge' && e.kind === 'forward').length).toBeGreaterThan(0);
  });

  it('VEPA: the echo request to the sibling goes out to the switch; without hairpin the switch filters it (same port)', () => {
    const sim = run('macvlan-vepa', [{ from: 'c1', do: 'arp', to: 'c2', at: 0 }]);
    // c1's ARP request reaches the switch, which floods it elsewhere but never back to p1.
    expect(receivedAt(sim, 'sw', 'p1').length).toBeGreaterThan(0);
    expect(sim.trace.some((e) => e.kind === 'transmit' && e.device === 'sw' && e.port === 'p1')).toBe(false);
    expect(buildReport(sim).actions[0]!.outcome).toBe('failed');
  });

  it('VEPA behind a hairpin port: the switch sends c1\'s frames back out of p1, and c2 answers', () => {
    const sim = run('macvlan-vepa-hairpin', [{ from: 'c1', do: 'ping', to: 'c2', at: 0 }]);
    expect(buildReport(sim).actions[0]!.outcome).toBe('ok');
    const back = sim.trace.filter((e) => e.kind === 'transmit' && e.device === 'sw' && e.port === 'p1').map((e) => describeFrame(e.frame!));
    expect(back.some((f) => f.protocol === 'icmp-echo-request' && f.source === '02:00:00:00:0c:01')).toBe(true);
  });

  it('private mode, even behind the hairpin port: c1\'s ARP broadcast comes back to c1 only (macvlan_handle_frame)', () => {
    const sim = run('macvlan-private', [{ from: 'c1', do: 'arp', to: 'c2', at: 0 }]);
    expect(buildReport(sim).actions[0]!.outcome).toBe('failed');
    const reflected = sim.trace.filter((e) => e.reason === 'macvlan-private');
    expect(reflected.length).toBe(3);
    expect(reflected.every((e) => e.ports?.length === 1 && e.ports[0] === 'c1.eth0@eth0')).toBe(true);
    expect(sim.trace.some((e) => e.kind === 'receive' && e.device === 'c2')).toBe(false);
  });

  it('the host cannot reach its bridge-mode container: c1\'s ARP request for the host leaves by eth0 and the host never sees it', () => {
    const sim = run('macvlan-bridge', [{ from: 'c1', do: 'ping', to: 'server', at: 0 }]);
    expect(buildReport(sim).actions[0]!.outcome).toBe('failed');
    const xmit = sim.trace.filter((e) => e.reason === 'macvlan-xmit' && e.device === 'server');
    expect(xmit.length).toBe(3);
    expect(xmit[0]!.text).toContain('never gets its children\'s frames');
    expect(xmit[0]!.text).toMatch(/^server sends the frame from c1's eth0 \(macvlan bridge\) out of eth0: /);
    // No frame of c1's reaches the host's own stack.
    expect(sim.trace.some((e) => e.device === 'server' && e.port === 'eth0' && (e.kind === 'deliver' || e.reason === 'arp-request-not-for-me'))).toBe(false);
  });

  it('the fix, a macvlan for the host: mv0 is a bridge sibling, and the ping to the host stays inside it', () => {
    const sim = run('macvlan-host-fix', [{ from: 'c1', do: 'ping', to: 'server', at: 0 }]);
    expect(buildReport(sim).actions[0]!.outcome).toBe('ok');
    // Only c1's ARP broadcast goes to the wire too (bridge mode sends broadcasts out as well); the ping does not.
    expect(receivedAt(sim, 'sw', 'p1').map((f) => describeFrame(f).protocol)).toEqual(['arp-request']);
    expect(sim.trace.some((e) => e.kind === 'deliver' && e.device === 'server' && e.port === 'mv0' && e.reason === 'echo-request')).toBe(true);
  });

  it('passthru: the one child takes every unicast for its parent\'s MAC; the host\'s stack gets only broadcasts', () => {
    const sim = run('macvlan-passthru', [{ from: 'lan', do: 'ping', to: 'c1', at: 0 }]);
    expect(buildReport(sim).actions[0]!.outcome).toBe('ok');
    const rx = sim.trace.filter((e) => e.reason === 'macvlan-rx' && e.device === 'server');
    expect(rx.length).toBeGreaterThan(0);
    expect(rx[0]!.text).toContain('passthru');
  });

  it('a macvlan on an 802.1Q sub-interface: c1 sends untagged, the wire carries VLAN 10, c1 receives untagged', () => {
    const sim = run('macvlan-bridge', [{ from: 'c1', do: 'ping', to: '192.168.10.20', at: 0 }], (s) => {
      const server = s.devices.find((d) => d.id === 'server')!;
      if (server.kind === 'host') server.nics[0]!.vlans = [{ vlan: 10, ip: '192.168.10.10/24' }];
      for (const id of ['c1', 'c2']) {
        const c = s.devices.find((d) => d.id === id)!;
        if (c.kind !== 'host') continue;
        c.nics[0]!.macvlan = { parent: 'server:eth0.10', mode: 'bridge' };
        c.nics[0]!.ip = id === 'c1' ? '192.168.10.101/24' : '192.168.10.102/24';
        delete c.gateway;
      }
      const sw = s.devices.find((d) => d.id === 'sw')!;
      if (sw.kind === 'switch') { sw.ports[0] = { port: 'p1', mode: 'trunk', vlans: [10], native: 1 }; sw.ports[1] = { port: 'p2', vlan: 10 }; }
      const lan = s.devices.find((d) => d.id === 'lan')!;
      if (lan.kind === 'host') { lan.nics[0]!.ip = '192.168.10.20/24'; delete lan.gateway; }
    });
    expect(buildReport(sim).actions[0]!.outcome).toBe('ok');
    const onWire = receivedAt(sim, 'sw', 'p1').map((f) => decodeEthernetFrame(f));
    expect(onWire.length).toBeGreaterThan(0);
    expect(onWire.every((f) => f.vlan?.vid === 10)).toBe(true);
    expect(receivedAt(sim, 'c1', 'eth0').every((f) => decodeEthernetFrame(f).vlan === undefined)).toBe(true);
  });

  it('mode source: a child gets a copy of every frame from the MACs it lists, and nothing else', () => {
    const sim = run('macvlan-bridge', [{ from: 'lan', do: 'ping', to: 'server', at: 0 }], (s) => {
      const c2 = s.devices.find((d) => d.id === 'c2')!;
      if (c2.kind === 'host') c2.nics[0]!.macvlan = { parent: 'server:eth0', mode: 'source', sources: ['02:00:00:00:02:00'] };
    });
    expect(buildReport(sim).actions[0]!.outcome).toBe('ok');
    const copies = receivedAt(sim, 'c2', 'eth0').map((f) => describeFrame(f).source);
    expect(copies.length).toBeGreaterThan(0);
    expect(copies.every((mac) => mac === '02:00:00:00:02:00')).toBe(true);
  });
});

describe('validation of macvlan and ipvlan children, by field', () => {
  const base = (): Scenario => structuredClone(scenarios['macvlan-ipvlan-bridge/macvlan-bridge']!);
  const errorsOf = (change: (s: Scenario) => void) => {
    const s = base();
    change(s);
    const result = validateScenario(s);
    return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
  };
  const c = (s: Scenario, id: string) => {
    const device = s.devices.find((d) => d.id === id)!;
    if (device.kind !== 'host' && device.kind !== 'router') throw new Error(id);
    return device;
  };

  it.each([
    ['a mode Linux does not have', (s: Scenario) => { c(s, 'c1').nics[0]!.macvlan = { parent: 'server:eth0', mode: 'hairpin' as 'vepa' }; }, /devices\[1\]\.nics\[0\]\.macvlan\.mode: expected "mode" to be "private", "vepa", "bridge", "passthru" or "source"/],
    ['a parent that does not exist', (s: Scenario) => { c(s, 'c1').nics[0]!.macvlan = { parent: 'server:eth9' }; }, /macvlan\.parent: server has no NIC or sub-interface "eth9"/],
    ['a parent on another machine', (s: Scenario) => { delete c(s, 'c1').node; }, /needs the same "node" as server/],
    ['the parent\'s own MAC', (s: Scenario) => { c(s, 'c1').nics[0]!.mac = '02:00:00:00:01:00'; }, /EADDRINUSE/],
    ['a sibling\'s MAC', (s: Scenario) => { c(s, 'c2').nics[0]!.mac = '02:00:00:00:0c:01'; }, /already the MAC of server:eth0's child/],
    ['a second child beside a passthru one', (s: Scenario) => { c(s, 'c1').nics[0]!.macvlan = { parent: 'server:eth0', mode: 'passthru' }; c(s, 'c1').nics[0]!.mac = '02:00:00:00:01:00'; }, /a passthru macvlan is its parent's only child/],
    ['an ipvlan beside macvlans', (s: Scenario) => { c(s, 'c2').nics[0]!.macvlan = undefined; c(s, 'c2').nics[0]!.ipvlan = { parent: 'server:eth0' }; c(s, 'c2').nics[0]!.mac = '02:00:00:00:01:00'; }, /already has macvlan children.*EBUSY/],
    ['an ipvlan child with a MAC of its own', (s: Scenario) => { for (const id of ['c1', 'c2']) { c(s, id).nics[0]!.macvlan = undefined; c(s, id).nics[0]!.ipvlan = { parent: 'server:eth0', mode: 'l2' }; } }, /an ipvlan child has its parent's MAC/],
    ['a cable to a child', (s: Scenario) => { s.links.push({ a: 'c1:eth0', b: 'sw:p9' }); }, /c1:eth0 is a macvlan child of server:eth0: it reaches the world through its parent/],
  ] as const)('%s', (_what, change, message) => {
    expect(errorsOf(change).join('\n')).toMatch(message);
  });
});

describe('renaming the parent\'s device in the editor', () => {
  it('carries its children\'s "parent" with it, so the scenario stays valid', async () => {
    const { renameDevice } = await import('../../src/editor/rename');
    const renamed = renameDevice(scenarios['macvlan-ipvlan-bridge/macvlan-bridge']!, 'server', 'docker1');
    const c1 = renamed.devices.find((d) => d.id === 'c1')!;
    expect(c1.kind === 'host' && c1.nics[0]!.macvlan?.parent).toBe('docker1:eth0');
    expect(validateScenario(renamed).ok).toBe(true);
  });
});
