// Edit operations: each returns a new scenario (the input is never touched), keeps the document's
// own cross-references consistent, and leaves every networking judgement to the validator.

import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index.ts';
import * as ops from '../../src/editor/ops.ts';
import * as rename from '../../src/editor/rename.ts';
import { validateScenario } from '../../src/sim/scenario/validate.ts';
import { hostsReached } from './run.ts';
import { Simulation } from '../../src/sim/engine/simulation.ts';
import { buildReport } from '../../src/sim/report.ts';

const bridge = scenarios['hub-vs-bridge/bridge']!;
const frozen = JSON.stringify(bridge);

function valid(s: unknown) {
  const r = validateScenario(s);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return r;
}

describe('edit operations', () => {
  it('turn the bridge into a hub: same ports and cables, no ageing time, and the core then floods', () => {
    const hub = ops.changeKind(bridge, 'br0', 'hub');
    expect(JSON.stringify(bridge)).toBe(frozen);
    const dev = hub.devices.find((d) => d.id === 'br0')!;
    expect(dev).toEqual({ id: 'br0', kind: 'hub', label: 'br0', ports: ['p1', 'p2', 'p3', 'p4'], position: { x: 300, y: 180 } });
    expect(hub.links).toEqual(bridge.links);
    valid(hub);
    // A's third frame to B, sent once the bridge has learned B, reaches only B on the bridge and
    // every host on the hub: the core decides, the edit only changed the document.
    expect(hostsReached(bridge, 2)).toEqual(['B']);
    expect(hostsReached(hub, 2)).toEqual(['B', 'C', 'D']);
  });

  it('add a host with a fresh name, MAC and address, then connect it on a new bridge port', () => {
    const added = ops.addDevice(bridge, 'host');
    expect(added.id).toBe('E');
    const e = added.scenario.devices.at(-1)!;
    expect(e).toMatchObject({ id: 'E', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:01', ip: '10.0.0.14/24' }] });
    const made = ops.connectDevices(added.scenario, 'E', 'br0');
    if ('error' in made) throw new Error(made.error);
    expect(made.link).toEqual({ a: 'E:eth0', b: 'br0:p5' });
    expect(made.scenario.devices.find((d) => d.id === 'br0')).toMatchObject({ ports: ['p1', 'p2', 'p3', 'p4', 'p5'] });
    expect(valid(made.scenario).warnings).toEqual([]);
  });

  it('refuse to connect a host by pointer when it has no free NIC, in words', () => {
    const made = ops.connectDevices(bridge, 'A', 'br0');
    expect(made).toEqual({ error: expect.stringContaining('A has no free network interface') });
    expect(ops.connectDevices(bridge, 'A', 'A')).toEqual({ error: expect.stringContaining('two different devices') });
  });

  it('rename a device together with its cables and traffic', () => {
    const renamed = rename.renameDevice(bridge, 'A', 'alice');
    expect(renamed.links[0]).toEqual({ a: 'alice:eth0', b: 'br0:p1' });
    expect(renamed.traffic.map((t) => [t.from, t.to])).toEqual([['alice', 'B'], ['B', 'alice'], ['alice', 'B'], ['alice', 'C']]);
    // The labels the chapter wrote name A in words: they say the new name, and the player shows it.
    expect(renamed.traffic.map((t) => t.label)).toEqual(['alice sends a frame to B', 'B answers alice', 'alice sends to B again', 'alice pings C']);
    valid(renamed);
    const sim = new Simulation(renamed);
    sim.run();
    expect(Object.values(sim.state.actions).map((a) => a.label)).toEqual(['alice sends a frame to B', 'B answers alice', 'alice sends to B again', 'alice pings C']);
    // An action without a label of its own is labelled from its names, so it follows too.
    const unlabelled = { ...bridge, traffic: bridge.traffic.map(({ label: _label, ...rest }) => rest) };
    const generated = new Simulation(rename.renameDevice(unlabelled, 'C', 'carol'));
    generated.run();
    expect(Object.values(generated.state.actions).at(-1)!.label).toBe('A pings carol');
  });

  it('renames a device in words only where a whole word is its name', () => {
    expect(rename.renameInText('A pings C (both in VLAN 10)', 'A', 'alice')).toBe('alice pings C (both in VLAN 10)');
    expect(rename.renameInText('host-A asks A, not A2 or A_b', 'A', 'x')).toBe('host-A asks x, not A2 or A_b');
    expect(rename.renameInText('r.1 and r1', 'r.1', 'gw')).toBe('gw and r1');
  });

  it('refuses up front, in one sentence, a rename to a name another device has; any other name may go', () => {
    expect(rename.renameRefusal(bridge, 0, 'C')).toBe('C is already the name of device 3 (a host): every device needs a name of its own, so A keeps its name. Choose another one.');
    expect(rename.renameRefusal(bridge, 0, 'br0')).toBe('br0 is already the name of device 5 (a bridge): every device needs a name of its own, so A keeps its name. Choose another one.');
    expect(rename.renameRefusal(bridge, 0, 'A')).toBeNull();
    expect(rename.renameRefusal(bridge, 0, 'alice')).toBeNull();
    // Where a duplicate came with an imported file, either of the two may still be renamed away.
    const dup = rename.renameDevice(bridge, 'A', 'C');
    expect(rename.renameRefusal(dup, 2, 'E')).toBeNull();
    expect(rename.renameRefusal(dup, 2, 'B')).toMatch(/^B is already the name of device 2 \(a host\)/);
  });

  it('a duplicate name never merges two devices: renaming to a taken name, and back, leaves every cable where it was', () => {
    const dup = rename.renameDevice(bridge, 'A', 'C');
    expect(dup.devices.map((d) => d.id)).toEqual(['C', 'B', 'C', 'D', 'br0']);
    expect(dup.links).toEqual(bridge.links);
    expect(dup.traffic).toEqual(bridge.traffic);
    // The second C (index 2) is renamed, not the first one, and nothing follows: both are named C.
    const second = rename.renameDevice(dup, 'C', 'E', 2);
    expect(second.devices.map((d) => d.id)).toEqual(['C', 'B', 'E', 'D', 'br0']);
    expect(second.links).toEqual(bridge.links);
    expect(rename.renameDevice(dup, 'C', 'A', 0)).toEqual(bridge);
    // Removing one of the two removes that one only, and keeps the cables that could be either's.
    const removed = ops.removeDevice(dup, 'C', 2);
    expect(removed.scenario.devices.map((d) => d.id)).toEqual(['C', 'B', 'D', 'br0']);
    expect(removed.links).toEqual([]);
    expect(removed.scenario.links).toEqual(bridge.links);
  });

  it('rename a port together with the cable plugged into it', () => {
    const renamed = ops.renamePort(bridge, 'br0', 0, 'lan1');
    expect(renamed.links[0]).toEqual({ a: 'A:eth0', b: 'br0:lan1' });
    const nic = ops.renamePort(bridge, 'A', 0, 'ens3');
    expect(nic.links[0]).toEqual({ a: 'A:ens3', b: 'br0:p1' });
    valid(renamed);
    valid(nic);
  });

  it('remove a device with its cables and the traffic naming it, and say what went', () => {
    const removal = ops.removeDevice(bridge, 'C');
    expect(removal.scenario.devices.map((d) => d.id)).toEqual(['A', 'B', 'D', 'br0']);
    expect(removal.links).toEqual(['C:eth0 – br0:p3']);
    expect(removal.traffic).toEqual(['A pings C']);
    expect(removal.scenario.traffic).toHaveLength(3);
    valid(removal.scenario);
  });

  it('remove a port with its cable, and disconnect / connect by endpoint', () => {
    const removal = ops.removePort(bridge, 'br0', 3);
    expect(removal.links).toEqual(['D:eth0 – br0:p4']);
    expect(ops.freeEndpoints(removal.scenario)).toEqual(['D:eth0']);
    const cut = ops.disconnect(bridge, 1);
    expect(ops.freeEndpoints(cut)).toEqual(['B:eth0', 'br0:p2']);
    expect(ops.connect(cut, 'B:eth0', 'br0:p2').links).toContainEqual({ a: 'B:eth0', b: 'br0:p2' });
  });

  it('store what the reader typed, even when it is wrong, for the validator to judge', () => {
    const bad = ops.setField(bridge, ['devices', 0, 'nics', 0, 'mac'], 'zz');
    const r = validateScenario(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toContainEqual({ path: 'devices[0].nics[0].mac', message: 'expected a MAC address like 02:00:00:00:00:0a, got "zz"' });
    expect(ops.setField(bridge, ['devices', 4, 'ageingTime'], ops.numberOrText('12'))).toMatchObject({ devices: { 4: { ageingTime: 12 } } });
    expect(ops.numberOrText('twelve')).toBe('twelve');
    expect(ops.numberOrText(' ')).toBeUndefined();
    const noIp = ops.setField(bridge, ['devices', 0, 'nics', 0, 'ip'], undefined);
    expect(noIp.devices[0]).toEqual({ ...bridge.devices[0], nics: [{ port: 'eth0', mac: '02:00:00:00:00:0a' }] });
  });

  it('move a device and pin the others where the drawing put them', () => {
    const loose = { ...bridge, devices: bridge.devices.map(({ position: _p, ...d }) => d) } as typeof bridge;
    const moved = ops.moveDevice(loose, 'A', { x: 10.4, y: 20.6 }, { A: { x: 0, y: 0 }, B: { x: 5, y: 6 } });
    expect(moved.devices[0]!.position).toEqual({ x: 10, y: 21 });
    expect(moved.devices[1]!.position).toEqual({ x: 5, y: 6 });
    expect(moved.devices[2]!.position).toBeUndefined();
  });

  it('add and remove traffic and list items', () => {
    const t = ops.addTraffic(bridge, { do: 'ping', from: 'D', to: 'A' });
    expect(t.traffic.at(-1)).toEqual({ do: 'ping', from: 'D', to: 'A' });
    expect(ops.removeTraffic(t, 4).traffic).toEqual(bridge.traffic);
    const withList = ops.addListItem(bridge, ['devices', 0, 'nics', 0, 'vlans'], { vlan: 10, ip: '10.0.10.1/24' });
    expect(withList.devices[0]).toMatchObject({ nics: [{ vlans: [{ vlan: 10, ip: '10.0.10.1/24' }] }] });
    expect(ops.removeListItem(withList, ['devices', 0, 'nics', 0, 'vlans'], 0).devices[0]).toEqual(bridge.devices[0]);
  });

  it('never mutate their input', () => {
    ops.addDevice(bridge, 'bridge');
    ops.removeDevice(bridge, 'A');
    rename.renameDevice(bridge, 'B', 'bee');
    ops.renamePort(bridge, 'br0', 1, 'x');
    ops.removePort(bridge, 'br0', 1);
    ops.moveDevice(bridge, 'A', { x: 1, y: 1 });
    ops.setField(bridge, ['title'], 'x');
    expect(JSON.stringify(bridge)).toBe(frozen);
  });

  it('name new devices like the chapters do', () => {
    expect(ops.freeName(bridge, 'host')).toBe('E');
    expect(ops.freeName(bridge, 'bridge')).toBe('br1');
    expect(ops.freeName(bridge, 'hub')).toBe('hub1');
    expect(ops.pathKey(['devices', 2, 'nics', 0, 'mac'])).toBe('devices[2].nics[0].mac');
  });
});

describe('edit operations for MTU, UDP and a bridge’s own interface', () => {
  const run = (s: typeof bridge) => {
    const sim = new Simulation(valid(s).scenario);
    sim.run();
    return buildReport(sim);
  };
  const bridgeIndex = bridge.devices.findIndex((d) => d.id === 'br0');

  it('give br0 its own interface with a MAC and an address nothing uses; it then pings A, and taking it away is an error at the action', () => {
    const local = ops.setBridgeLocal(bridge, 'br0', true);
    expect(JSON.stringify(bridge)).toBe(frozen);
    expect(local.devices[bridgeIndex]).toMatchObject({ local: { mac: '02:00:00:00:00:01', ip: '10.0.0.14/24' } });
    expect(ops.setBridgeLocal(local, 'br0', true)).toBe(local);
    const pinging = ops.addTraffic(local, ops.newAction(local, 'ping', 'br0', 'A'));
    const last = run(pinging).actions.at(-1)!;
    expect([last.outcome, last.delivered]).toEqual(['ok', true]);
    const without = ops.setBridgeLocal(pinging, 'br0', false);
    expect(without.devices[bridgeIndex]).toEqual(bridge.devices[bridgeIndex]);
    const r = validateScenario(without);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path)).toEqual([`traffic[${bridge.traffic.length}].from`]);
    expect(() => ops.setBridgeLocal(bridge, 'A', true)).toThrow(/no bridge/);
  });

  it('a new UDP action goes to the first port its target listens on (else 5000), and B delivers it to that socket', () => {
    const bIndex = bridge.devices.findIndex((d) => d.id === 'B');
    expect(ops.newAction(bridge, 'udp', 'A', 'B')).toEqual({ do: 'udp', from: 'A', to: 'B', port: 5000 });
    expect(ops.newAction(bridge, 'arp', 'A', 'B')).toEqual({ do: 'arp', from: 'A', to: 'B' });
    const listening = ops.setField(bridge, ['devices', bIndex, 'udpListen'], ops.listOrText('53, 7000'));
    expect(listening.devices[bIndex]).toMatchObject({ udpListen: [53, 7000] });
    const action = ops.newAction(listening, 'udp', 'A', 'B');
    expect(action).toEqual({ do: 'udp', from: 'A', to: 'B', port: 53 });
    const report = run(ops.addTraffic(listening, action));
    expect(report.actions.at(-1)!.receivedBy['B']!.map((r) => r.reason)).toContain('udp-delivered');
    // A port nobody listens on: B answers "port unreachable".
    const closed = ops.setField(ops.addTraffic(listening, action), ['traffic', bridge.traffic.length, 'port'], 9);
    expect(run(closed).actions.at(-1)!.receivedBy['B']!.map((r) => r.reason)).toContain('udp-port-unreachable');
  });

  it('store MTUs, sizes and ping -M as typed; the validator judges each at its own field', () => {
    const aIndex = bridge.devices.findIndex((d) => d.id === 'A');
    const small = ops.setField(bridge, ['devices', aIndex, 'nics', 0, 'mtu'], ops.numberOrText('1000'));
    const ping = ops.addTraffic(small, { do: 'ping', from: 'A', to: 'B', size: 1400, mtuDiscovery: 'do' });
    const last = run(ping).actions.at(-1)!;
    // -M do and a packet bigger than A's own MTU: refused at A, nothing leaves.
    expect(last.outcome).toBe('failed');
    expect(Object.keys(last.receivedBy)).toEqual([]);
    const i = bridge.traffic.length;
    const bad = ops.setField(ops.setField(ops.setField(ping, ['devices', aIndex, 'nics', 0, 'mtu'], ops.numberOrText('20')), ['traffic', i, 'size'], ops.numberOrText('big')), ['traffic', i, 'mtuDiscovery'], 'maybe');
    const r = validateScenario(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path).sort()).toEqual([`devices[${aIndex}].nics[0].mtu`, `traffic[${i}].mtuDiscovery`, `traffic[${i}].size`]);
    // A sub-interface's MTU may not exceed its NIC's.
    const sub = ops.addListItem(small, ['devices', aIndex, 'nics', 0, 'vlans'], { vlan: 10, ip: '10.0.10.1/24', mtu: 1200 });
    const r2 = validateScenario(sub);
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.errors.map((e) => e.path)).toEqual([`devices[${aIndex}].nics[0].vlans[0].mtu`]);
  });
});

describe('edit operations for nodes, veth pairs and a namespace’s bridge devices', () => {
  /** A Docker-like host built with the editor's own operations: node server, br0 over veth1 and veth2, c1 and c2 behind it. */
  function dockerHost() {
    let s: typeof bridge = { format: bridge.format, id: 'docker', title: 'Docker-like host', devices: [], links: [], traffic: [] };
    s = ops.addDevice(s, 'router').scenario; // r1 with eth0, eth1
    s = rename.renameDevice(s, 'r1', 'server');
    s = ops.renamePort(s, 'server', 1, 'veth1');
    const third = ops.addPort(s, 'server');
    expect(third.port).toBe('eth1'); // the first free NIC name, once eth1 became veth1
    s = ops.renamePort(third.scenario, 'server', 2, 'veth2');
    s = ops.setField(s, ['devices', 0, 'nics', 0, 'ip'], '192.168.0.2/24');
    s = ops.setField(s, ['devices', 0, 'node'], 'server');
    for (const name of ['c1', 'c2']) {
      const added = ops.addDevice(s, 'host');
      s = rename.renameDevice(added.scenario, added.id, name);
      s = ops.setField(s, ['devices', s.devices.length - 1, 'node'], 'server');
    }
    const br = ops.newNetdevBridge(s, 'server');
    expect(br).toMatchObject({ name: 'br0', ports: [] });
    s = ops.setBridgePort(ops.addListItem(s, ['devices', 0, 'bridges'], br), 'server', 0, 'veth2', true);
    s = ops.setBridgePort(s, 'server', 0, 'veth1', true);
    s = ops.setField(s, ['devices', 0, 'bridges', 0, 'ip'], '10.0.1.1/24');
    s = ops.connect(s, 'server:veth1', 'c1:eth0', 'veth');
    s = ops.connect(s, 'server:veth2', 'c2:eth0', 'veth');
    return s;
  }

  it('build a Docker-like host: the bridge gets a free name and MAC, its ports in NIC order, veth links typed; the validator accepts it', () => {
    const s = dockerHost();
    const server = s.devices[0]!;
    expect(server).toMatchObject({ id: 'server', kind: 'router', node: 'server', bridges: [{ name: 'br0', ip: '10.0.1.1/24', ports: ['veth1', 'veth2'] }] });
    const macs = [...(server.kind === 'router' ? [...server.nics.map((n) => n.mac), ...server.bridges!.map((b) => b.mac)] : []), ...s.devices.slice(1).flatMap((d) => (d.kind === 'host' ? d.nics.map((n) => n.mac) : []))];
    expect(new Set(macs).size).toBe(macs.length);
    expect(s.links).toEqual([{ a: 'server:veth1', b: 'c1:eth0', type: 'veth' }, { a: 'server:veth2', b: 'c2:eth0', type: 'veth' }]);
    valid(s);
    // A second bridge takes the next free name.
    expect(ops.newNetdevBridge(s, 'server').name).toBe('br1');
    expect(() => ops.newNetdevBridge(s, 'nope')).toThrow();
  });

  it('renaming or removing a NIC carries the bridge’s port list with it; releasing a port is one tick', () => {
    const s = dockerHost();
    const renamed = ops.renamePort(s, 'server', 1, 'vethA');
    expect(renamed.devices[0]).toMatchObject({ bridges: [{ ports: ['vethA', 'veth2'] }] });
    expect(renamed.links[0]).toEqual({ a: 'server:vethA', b: 'c1:eth0', type: 'veth' });
    valid(renamed);
    const removed = ops.removePort(s, 'server', 2);
    expect(removed.scenario.devices[0]).toMatchObject({ bridges: [{ ports: ['veth1'] }] });
    expect(removed.links).toEqual(['server:veth2 – c2:eth0']);
    valid(removed.scenario);
    const released = ops.setBridgePort(s, 'server', 0, 'veth1', false);
    expect(released.devices[0]).toMatchObject({ bridges: [{ ports: ['veth2'] }] });
    expect(ops.setBridgePort(released, 'server', 0, 'veth2', true)).toBe(released);
  });

  it('leave networking to the validator: an addressed NIC in a bridge, and a veth pair between two machines, are errors at their fields', () => {
    const s = dockerHost();
    const addressed = ops.setBridgePort(s, 'server', 0, 'eth0', true);
    let r = validateScenario(addressed);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path)).toEqual(['devices[0].nics[0].ip']);
    const apart = ops.setField(s, ['devices', 1, 'node'], undefined); // c1 leaves node server
    r = validateScenario(apart);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path)).toEqual(['links[0].type']);
    // As a cable, the same link is fine; back to veth, the error returns.
    const cabled = ops.setLinkType(apart, 0, 'cable');
    expect(cabled.links[0]).toEqual({ a: 'server:veth1', b: 'c1:eth0' });
    valid(cabled);
    expect(ops.setLinkType(cabled, 0, 'veth').links[0]).toEqual(apart.links[0]);
    // Drawn by pointer, two namespaces of one node get a veth pair; a namespace and another machine a cable.
    let more = ops.addPort(s, 'server').scenario; // eth1, besides eth0 (free: no uplink here)
    more = ops.setField(ops.addDevice(more, 'host').scenario, ['devices', 3, 'node'], 'server'); // host A, a namespace of server
    const made = ops.connectDevices(more, 'server', 'A');
    if ('error' in made) throw new Error(made.error);
    expect(made.link).toEqual({ a: 'server:eth0', b: 'A:eth0', type: 'veth' });
    const outside = ops.connectDevices(ops.addDevice(made.scenario, 'host').scenario, 'server', 'B');
    if ('error' in outside) throw new Error(outside.error);
    expect(outside.link).toEqual({ a: 'server:eth1', b: 'B:eth0' });
  });
});
