// Every claim of chapter "macvlan vs ipvlan vs bridge" (content/chapters/macvlan-ipvlan-bridge.mdx),
// asserted against the chapter's own scenarios: one assertion per matrix cell (the table the page
// shows, tests/chapters/macvlan-ipvlan-bridge-matrix.ts, is the one the core computes) and per
// claim of the prose. If the prose changes, this file changes with it.

import { describe, expect, it } from 'vitest';
import { arpOf, ipv4Of, runExperiment, type Experiment } from '../../src/scenarios/experiments';
import { scenario } from '../../src/scenarios/index';
import { cellScenario, MATRIX_DESIGNS, MATRIX_PAIRS, matrixCell, matrixExperiments, reachMatrix, shortResult, SWITCH_LIMITS, switchSees, switchSeesScenario } from '../../src/scenarios/reach-matrix';
import { Simulation } from '../../src/sim/engine/simulation';
import { buildReport } from '../../src/sim/report';
import { stackedLinks, type Scenario } from '../../src/sim/scenario/format';
import { validateScenario } from '../../src/sim/scenario/validate';
import { conntrackTable, macTable } from '../../src/sim/tables';
import type { TraceEvent } from '../../src/sim/trace';
import { ARP_REQUEST } from '../../src/sim/wire/arp';
import { decodeEthernetFrame } from '../../src/sim/wire/ethernet';
import { EXPECTED_MATRIX, MATRIX_COLUMNS, MATRIX_ROWS } from './macvlan-ipvlan-bridge-matrix';

const MAC = { server: '02:00:00:00:01:00', mv0: '02:00:00:00:01:01', c1: '02:00:00:00:0c:01', c2: '02:00:00:00:0c:02', lan: '02:00:00:00:02:00' };
const ICMP = 1;

/** Events of action `index` (0-based, in script order). */
function eventsOf(experiment: Experiment, index: number): TraceEvent[] {
  const id = experiment.report.actions[index]!.id;
  return experiment.sim.trace.filter((e) => e.actionId === id);
}

/** Frames `device` put on the cable of `port` during action `index`. */
function sent(experiment: Experiment, index: number, device: string, port: string): Uint8Array[] {
  return eventsOf(experiment, index)
    .filter((e) => e.kind === 'transmit' && e.device === device && e.port === port)
    .map((e) => e.frame!);
}

const isEcho = (frame: Uint8Array) => ipv4Of(frame)?.protocol === ICMP;
const isArpRequest = (frame: Uint8Array) => arpOf(frame)?.operation === ARP_REQUEST;
const sourceMac = (frame: Uint8Array) => decodeEthernetFrame(frame).source;

/** A chapter scenario with other traffic, run to its end. */
function runWith(id: string, traffic: Scenario['traffic']): Experiment {
  const sim = new Simulation({ ...scenario(id), traffic }, { history: false });
  sim.run();
  return { sim, report: buildReport(sim) };
}

/** The index of the first action labelled `label`. */
function actionIndex(experiment: Experiment, label: string): number {
  const index = experiment.report.actions.findIndex((a) => a.label === label);
  if (index < 0) throw new Error(`${experiment.sim.scenario.id} has no action "${label}"`);
  return index;
}

describe('chapter "macvlan vs ipvlan vs bridge"', () => {
  describe('the reachability matrix: each cell as the page shows it', () => {
    it('has the rows and columns the page shows, in order', () => {
      expect(MATRIX_DESIGNS.map((d) => d.name)).toEqual([...MATRIX_ROWS]);
      expect(MATRIX_PAIRS.map((p) => p.heading)).toEqual([...MATRIX_COLUMNS]);
    });

    MATRIX_DESIGNS.forEach((design, r) => {
      MATRIX_PAIRS.forEach((pair, c) => {
        const expected = EXPECTED_MATRIX[r]![c]!;
        it(`${design.name}, ${pair.label}: ${expected}`, () => {
          expect(matrixCell(design, pair).reach).toBe(expected);
        });
      });
    });

    it('every playable cell is served as one experiment: the design with that one ping, valid', () => {
      const served = matrixExperiments();
      const playable = reachMatrix().flat().filter((cell) => cell.action !== null);
      expect(Object.keys(served).sort()).toEqual(playable.map((cell) => cell.id).sort());
      for (const cell of playable) {
        const experiment = served[cell.id]!;
        expect(validateScenario(experiment).ok, cell.id).toBe(true);
        expect(experiment.traffic).toEqual([{ at: 0, from: cell.pair.from, do: 'ping', to: cell.pair.to, label: cell.pair.label }]);
        expect(experiment.devices).toEqual(scenario(cell.design.scenario).devices);
      }
    });

    it('a cell says its result in a few words: the TTL of a reply, or the first clause of a failure with who sent it', () => {
      expect(shortResult('Reply from 192.168.1.20: TTL 63, time 12 ms.', true)).toBe('reply, TTL 63');
      expect(shortResult('Destination Host Unreachable: nobody answered 3 ARP requests for 192.168.1.10.', false)).toBe('Destination Host Unreachable');
      expect(shortResult('From 192.168.1.1: Destination Net Unreachable.', false)).toBe('Destination Net Unreachable (from 192.168.1.1)');
      expect(shortResult('No reply from 10.0.2.2 within 4 s.', false)).toBe('no reply within 4 s');
    });
  });

  describe('inside the host: a bridge, veth pairs and NAT', () => {
    const bridge = runExperiment('macvlan-ipvlan-bridge/bridge-nat');
    const c2 = actionIndex(bridge, 'c1 pings c2 (same host)');
    const lan = actionIndex(bridge, 'c1 pings the LAN host');

    it("c1's ping to c2 never leaves the server, and c2 receives it with TTL 64, unrouted", () => {
      expect(sent(bridge, c2, 'server', 'eth0')).toEqual([]);
      const echo = eventsOf(bridge, c2).find((e) => e.kind === 'deliver' && e.reason === 'echo-request' && e.device === 'c2')!;
      expect(ipv4Of(echo.frame)!.ttl).toBe(64);
      expect(bridge.report.actions[c2]!.outcome).toBe('ok');
    });

    it('its ping to the LAN host goes to br0 and is routed out of eth0: TTL 63 at the LAN host', () => {
      const echo = eventsOf(bridge, lan).find((e) => e.kind === 'deliver' && e.reason === 'echo-request' && e.device === 'lan')!;
      expect(ipv4Of(echo.frame)!.ttl).toBe(63);
      expect(sent(bridge, lan, 'server', 'eth0').filter(isEcho).length).toBeGreaterThan(0);
    });

    it("only one MAC address ever comes from p1: the server's own", () => {
      expect(macTable(bridge.sim.state, 'sw')!.filter((row) => row.port === 'p1').map((row) => row.mac)).toEqual([MAC.server]);
    });
  });

  describe('macvlan and ipvlan: sub-interfaces of the card', () => {
    const macvlan = runExperiment('macvlan-ipvlan-bridge/macvlan-bridge');
    const ipvlan = runExperiment('macvlan-ipvlan-bridge/ipvlan-l2');

    it("each frame c1 sends to the LAN leaves the server's eth0 with c1's own MAC address", () => {
      const frames = sent(macvlan, actionIndex(macvlan, 'c1 pings the LAN host'), 'server', 'eth0');
      expect(frames.length).toBeGreaterThan(0);
      expect(new Set(frames.map(sourceMac))).toEqual(new Set([MAC.c1]));
    });

    it("macvlan on a VLAN sub-interface: c1's frames leave the card tagged with VLAN 10, from c1's own MAC, and the ping works", () => {
      const onVlan = runExperiment('macvlan-ipvlan-bridge/macvlan-on-vlan');
      const frames = sent(onVlan, 0, 'server', 'eth0');
      expect(frames.length).toBeGreaterThan(0);
      for (const frame of frames) {
        expect([frame[12], frame[13]]).toEqual([0x81, 0x00]);
        expect(((frame[14]! & 0x0f) << 8) | frame[15]!).toBe(10);
        expect(sourceMac(frame)).toBe(MAC.c1);
      }
      expect(onVlan.report.actions[0]!.outcome).toBe('ok');
    });

    it("an ipvlan child shares the card's MAC address: c1's frames leave with the server's", () => {
      const frames = sent(ipvlan, actionIndex(ipvlan, 'c1 pings the LAN host'), 'server', 'eth0');
      expect(frames.length).toBeGreaterThan(0);
      expect(new Set(frames.map(sourceMac))).toEqual(new Set([MAC.server]));
    });

    it('the card tells ipvlan children apart by destination IP: a ping to c1 reaches c1 and not c2, though both have the same MAC', () => {
      const toC1 = runWith('macvlan-ipvlan-bridge/ipvlan-l2', [{ at: 0, from: 'lan', do: 'ping', to: 'c1' }]);
      const echoes = toC1.sim.trace.filter((e) => e.kind === 'deliver' && e.reason === 'echo-request');
      expect(echoes.map((e) => e.device)).toEqual(['c1']);
      expect(decodeEthernetFrame(echoes[0]!.frame!).destination).toBe(MAC.server);
    });

    it("bridge mode: c1's echo request to c2 never crosses the cable, while its ARP broadcast still goes out", () => {
      const frames = sent(macvlan, actionIndex(macvlan, 'c1 pings c2 (same host)'), 'server', 'eth0');
      expect(frames.filter(isEcho)).toEqual([]);
      expect(frames.filter(isArpRequest).length).toBeGreaterThan(0);
    });

    it("VEPA with hairpin off: c1's ARP request for c2 reaches the switch, which floods it everywhere but p1, the port it came in on", () => {
      const vepa = runExperiment(matrixCell(MATRIX_DESIGNS[2]!, MATRIX_PAIRS[0]!).design.scenario);
      const floods = eventsOf(vepa, actionIndex(vepa, 'c1 pings c2 (same host)')).filter((e) => e.kind === 'flood' && e.device === 'sw');
      expect(floods.length).toBeGreaterThan(0);
      for (const flood of floods) expect(flood.ports).not.toContain('p1');
      expect(vepa.sim.trace.some((e) => e.kind === 'receive' && e.device === 'c2' && isArpRequest(e.frame!) && arpOf(e.frame)!.senderIp === '192.168.1.101')).toBe(false);
    });

    it('VEPA with hairpin on: the echo request crosses the cable twice, out to the switch and back out of p1', () => {
      const hairpin = runExperiment('macvlan-ipvlan-bridge/macvlan-vepa-hairpin');
      const index = actionIndex(hairpin, 'c1 pings c2 (same host)');
      expect(sent(hairpin, index, 'server', 'eth0').filter(isEcho).length).toBeGreaterThan(0);
      expect(sent(hairpin, index, 'sw', 'p1').filter(isEcho).length).toBeGreaterThan(0);
      expect(hairpin.report.actions[index]!.outcome).toBe('ok');
    });

    it("private mode: the hairpin port sends c1's ARP request back, and c2 still never receives it", () => {
      const priv = runExperiment('macvlan-ipvlan-bridge/macvlan-private');
      const index = actionIndex(priv, 'c1 pings c2 (same host)');
      expect(sent(priv, index, 'sw', 'p1').filter(isArpRequest).length).toBeGreaterThan(0);
      expect(eventsOf(priv, index).some((e) => e.kind === 'receive' && e.device === 'c2')).toBe(false);
    });

    it('passthru: the driver refuses a second child on the card (EINVAL), and the server keeps no address on it', () => {
      const passthru = MATRIX_DESIGNS.find((d) => d.id === 'macvlan-passthru')!;
      expect(matrixCell(passthru, MATRIX_PAIRS[0]!).result).toMatch(/only child.*EINVAL/);
      // The table's cell says it whole, not cut at the colon inside "(Linux: EINVAL)".
      expect(matrixCell(passthru, MATRIX_PAIRS[0]!).short).toBe("a passthru macvlan is its parent's only child (Linux: EINVAL)");
      expect(matrixCell(passthru, MATRIX_PAIRS[1]!).result).toBe('server has no IPv4 address to ping');
      expect(cellScenario(passthru, MATRIX_PAIRS[0]!)).toBeNull();
    });

    it('ipvlan l3: the children send no ARP of their own, and the LAN router has a route to their subnet via the server', () => {
      const l3 = runWith('macvlan-ipvlan-bridge/ipvlan-l3', [{ at: 0, from: 'c1', do: 'ping', to: 'lan' }]);
      expect(l3.sim.trace.some((e) => e.kind === 'transmit' && e.device === 'c1' && arpOf(e.frame) !== null)).toBe(false);
      expect(l3.report.actions[0]!.outcome).toBe('ok');
      const gw = scenario('macvlan-ipvlan-bridge/ipvlan-l3').devices.find((d) => d.id === 'gw')!;
      expect(gw.kind === 'router' && gw.routes).toContainEqual({ to: '10.0.2.0/24', via: '192.168.1.10' });
    });

    it("ipvlan l3: c1's ping to its own server is delivered inside the server, whose answer goes by its default route to the gateway and back (TTL 63)", () => {
      const l3 = runWith('macvlan-ipvlan-bridge/ipvlan-l3', [{ at: 0, from: 'c1', do: 'ping', to: 'server' }]);
      const request = l3.sim.trace.find((e) => e.kind === 'deliver' && e.reason === 'echo-request')!;
      expect(request.device).toBe('server');
      expect(l3.sim.trace.some((e) => e.kind === 'forward' && e.device === 'gw' && ipv4Of(e.frame)?.source === '192.168.1.10')).toBe(true);
      expect(l3.report.actions[0]!.result).toMatch(/^Reply from 192\.168\.1\.10: TTL 63/);
    });

    it("the defaults: macvlan without a mode is vepa and ipvlan without one is l3, as the kernel's", () => {
      const s = scenario('macvlan-ipvlan-bridge/macvlan-bridge');
      const bare: Scenario = structuredClone(s);
      for (const d of bare.devices) if (d.kind === 'host') for (const nic of d.nics) if (nic.macvlan) delete nic.macvlan.mode;
      expect(stackedLinks(bare).map((l) => l.mode)).toEqual(['vepa', 'vepa']);
      const l2: Scenario = structuredClone(scenario('macvlan-ipvlan-bridge/ipvlan-l2'));
      for (const d of l2.devices) if (d.kind === 'host') for (const nic of d.nics) if (nic.ipvlan) delete nic.ipvlan.mode;
      expect(stackedLinks(l2).map((l) => l.mode)).toEqual(['l3', 'l3']);
    });
  });

  describe('what the switch sees', () => {
    const byId = (id: string) => MATRIX_DESIGNS.find((d) => d.id === id)!;

    it('offers limits of 1, 2 and 3 MACs, and none', () => {
      expect(SWITCH_LIMITS).toEqual([1, 2, 3, null]);
      expect(switchSeesScenario(byId('macvlan-bridge'), 2).devices.find((d) => d.id === 'sw')).toMatchObject({ ports: [{ port: 'p1', maxMacs: 2 }, { port: 'p2' }, { port: 'p3' }] });
    });

    it.each([
      ['bridge-nat', [MAC.server]],
      ['macvlan-bridge', [MAC.server, MAC.c1, MAC.c2]],
      ['macvlan-vepa', [MAC.server, MAC.c1, MAC.c2]],
      ['macvlan-passthru', [MAC.server]],
      ['ipvlan-l2', [MAC.server]],
      ['ipvlan-l3', [MAC.server]],
    ])('%s: with no limit, p1 learns %j', (id, macs) => {
      expect(switchSees(byId(id), null).learned.map((l) => l.mac)).toEqual(macs);
      expect(switchSees(byId(id), null).pings.every((p) => p.ok)).toBe(true);
    });

    it('one MAC per container with macvlan: a limit of one lets the server, first to speak, through, and neither container', () => {
      expect(switchSees(byId('macvlan-bridge'), 1).pings.map((p) => [p.from, p.ok])).toEqual([['server', true], ['c1', false], ['c2', false]]);
      expect(switchSees(byId('macvlan-bridge'), 2).pings.map((p) => [p.from, p.ok])).toEqual([['server', true], ['c1', true], ['c2', false]]);
    });

    it('one MAC for all with ipvlan, and with the bridge and NAT: a limit of one stops nobody', () => {
      for (const id of ['ipvlan-l2', 'ipvlan-l3', 'bridge-nat']) expect(switchSees(byId(id), 1).pings.every((p) => p.ok), id).toBe(true);
      expect(switchSees(byId('ipvlan-l2'), 1).learned).toEqual([{ mac: MAC.server, owner: 'server, c1, c2' }]);
    });
  });

  describe('side by side: the closing table', () => {
    const byId = (id: string) => MATRIX_DESIGNS.find((d) => d.id === id)!;

    it('macvlan: one interface, many MACs and IPs: the LAN host sees three addresses, the switch three MACs on one port', () => {
      const seen = switchSees(byId('macvlan-bridge'), null);
      expect(seen.lanSaw).toEqual(['192.168.1.10', '192.168.1.101', '192.168.1.102']);
      expect(seen.learned.length).toBe(3);
    });

    it('ipvlan: the endpoints share one MAC: three addresses, one MAC', () => {
      const seen = switchSees(byId('ipvlan-l2'), null);
      expect(seen.lanSaw).toEqual(['192.168.1.10', '192.168.1.101', '192.168.1.102']);
      expect(seen.learned).toEqual([{ mac: MAC.server, owner: 'server, c1, c2' }]);
    });

    it('a bridge with NAT: one address and one MAC for everyone', () => {
      const seen = switchSees(byId('bridge-nat'), null);
      expect(seen.lanSaw).toEqual(['192.168.1.10']);
      expect(seen.learned.map((l) => l.mac)).toEqual([MAC.server]);
    });
  });

  describe('"my macvlan container can\'t ping the host"', () => {
    const macvlan = runExperiment('macvlan-ipvlan-bridge/macvlan-bridge');
    const index = actionIndex(macvlan, 'c1 pings its host');

    it("c1's ARP request for the server leaves on the wire, the switch floods it to every port but p1, and the server never hears it", () => {
      expect(sent(macvlan, index, 'server', 'eth0').filter(isArpRequest).length).toBe(3);
      const floods = eventsOf(macvlan, index).filter((e) => e.kind === 'flood' && e.device === 'sw');
      expect(floods.map((f) => f.ports)).toEqual([['p2', 'p3'], ['p2', 'p3'], ['p2', 'p3']]);
      expect(eventsOf(macvlan, index).some((e) => e.device === 'server' && e.kind === 'deliver')).toBe(false);
      expect(macvlan.report.actions[index]!.result).toMatch(/^Destination Host Unreachable/);
    });

    it('the other way round too: the server cannot ping c1', () => {
      const back = runWith('macvlan-ipvlan-bridge/macvlan-bridge', [{ at: 0, from: 'server', do: 'ping', to: 'c1' }]);
      expect(back.report.actions[0]!.outcome).toBe('failed');
    });

    it("the fix: with the server's address on its own macvlan mv0, c1's ping works without the switch", () => {
      const fix = runExperiment('macvlan-ipvlan-bridge/macvlan-host-fix');
      const i = actionIndex(fix, 'c1 pings its host');
      expect(fix.report.actions[i]!.outcome).toBe('ok');
      expect(sent(fix, i, 'server', 'eth0').filter(isEcho)).toEqual([]);
      expect(sent(fix, i, 'server', 'eth0').filter(isArpRequest).length).toBeGreaterThan(0);
      const server = scenario('macvlan-ipvlan-bridge/macvlan-host-fix').devices.find((d) => d.id === 'server')!;
      expect(server.kind === 'host' && server.nics.map((n) => [n.port, n.ip ?? null])).toEqual([['eth0', null], ['mv0', '192.168.1.10/24']]);
    });
  });

  describe('NAT: what the outside sees', () => {
    const nat = runExperiment('macvlan-ipvlan-bridge/nat');
    const ping = actionIndex(nat, 'c1 pings the LAN host');

    it("the LAN host sees the echo request come from the server's 192.168.1.10, and answers the server", () => {
      const echo = eventsOf(nat, ping).find((e) => e.kind === 'deliver' && e.reason === 'echo-request' && e.device === 'lan')!;
      expect(ipv4Of(echo.frame)!.source).toBe('192.168.1.10');
      const reply = sent(nat, ping, 'lan', 'eth0').map(ipv4Of).find((p) => p?.protocol === ICMP)!;
      expect(reply.destination).toBe('192.168.1.10');
    });

    it('the server rewrites the reply back to 10.0.1.2 before routing it to br0, and c1 gets its answer', () => {
      const reply = eventsOf(nat, ping).find((e) => e.kind === 'deliver' && e.reason === 'echo-reply' && e.device === 'c1')!;
      expect(ipv4Of(reply.frame)!.destination).toBe('10.0.1.2');
      expect(nat.report.actions[ping]!.outcome).toBe('ok');
    });

    it('the connection table holds the original direction and the reply it expects', () => {
      const rows = conntrackTable(nat.sim.state, 'server')!;
      expect(rows.find((r) => r.startsWith('icmp'))).toMatch(/src=10\.0\.1\.2 dst=192\.168\.1\.20 type=8 .* src=192\.168\.1\.20 dst=192\.168\.1\.10 type=0/);
    });

    it('a datagram to a port nothing forwards is for the server itself: "port unreachable"', () => {
      expect(nat.report.actions[actionIndex(nat, "The LAN host sends to server's port 9090")]!.result).toBe('From 192.168.1.10: Destination Port Unreachable.');
    });

    it("the port forward (-p 8080:80/udp) sends the datagram to c1's port 80", () => {
      const forwarded = nat.report.actions[actionIndex(nat, "The LAN host sends to server's port 8080")]!;
      expect(forwarded.outcome).toBe('ok');
      expect(forwarded.result).toBe("Delivered to c1's socket on UDP port 80 (32 bytes).");
    });

    it('nothing on the LAN can start a conversation with c1: gw has no route to 10.0.1.2', () => {
      expect(matrixCell(MATRIX_DESIGNS[0]!, MATRIX_PAIRS[3]!).result).toBe('From 192.168.1.1: Destination Net Unreachable.');
    });

    it('outside the LAN too, c1 is seen as the server', () => {
      expect(matrixCell(MATRIX_DESIGNS[0]!, MATRIX_PAIRS[4]!).seenAs).toBe('192.168.1.10');
    });
  });
});
