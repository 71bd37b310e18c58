// Every claim of chapter "Hub vs bridge" (content/chapters/hub-vs-bridge.mdx), asserted against
// the chapter's own scenarios. If the prose changes, this file changes with it.

import { describe, expect, it } from 'vitest';
import { compareReach, hostsReached, runExperiment } from '../../src/scenarios/experiments';
import { macTable } from '../../src/sim/tables';

const A = '02:00:00:00:00:0a';
const B = '02:00:00:00:00:0b';
const C = '02:00:00:00:00:0c';

describe('chapter "Hub vs bridge"', () => {
  describe('a hub repeats everything', () => {
    const hub = runExperiment('hub-vs-bridge/hub');

    it('every host receives every frame, whoever it is addressed to', () => {
      expect(hostsReached(hub, 0)).toEqual(['B', 'C', 'D']); // A → B
      expect(hostsReached(hub, 1)).toEqual(['A', 'C', 'D']); // B → A
      expect(hostsReached(hub, 2)).toEqual(['B', 'C', 'D']); // A → B again: the hub has learned nothing
      expect(hostsReached(hub, 3)).toEqual(['A', 'B', 'C', 'D']); // A pings C
    });

    it('the hosts a frame is not for (C and D) throw it away because the destination MAC is not theirs', () => {
      for (const host of ['C', 'D']) {
        expect(hub.report.actions[0]!.receivedBy[host]!.map((r) => [r.did, r.reason])).toEqual([['drop', 'not-for-me']]);
      }
    });

    it('learns nothing: it reads no address and records nothing', () => {
      const framesSentByHosts = hub.sim.trace.filter((e) => e.kind === 'transmit' && e.device !== 'hub').length;
      const decisions = hub.sim.trace.filter((e) => e.device === 'hub' && e.kind !== 'receive' && e.kind !== 'transmit');
      expect(decisions.map((e) => e.reason)).toEqual(Array(framesSentByHosts).fill('hub-repeat'));
      expect(hub.sim.trace.some((e) => e.kind === 'learn')).toBe(false);
    });
  });

  describe('a bridge learns', () => {
    const bridge = runExperiment('hub-vs-bridge/bridge');

    it("floods A's first frame to B, because it does not know where B is yet, and learns that A is behind p1", () => {
      expect(hostsReached(bridge, 0)).toEqual(['B', 'C', 'D']);
      expect(bridge.report.actions[0]!.receivedBy['br0']![0]).toMatchObject({ did: 'flood', reason: 'fdb-miss' });
      const learned = bridge.sim.trace.find((e) => e.kind === 'learn')!;
      expect([learned.actionId, learned.reason, learned.port, learned.text]).toEqual([1, 'fdb-learn', 'p1', `br0 learns that ${A} lives behind port p1.`]);
    });

    it("forwards B's answer only to A: it learned A's port from A's first frame", () => {
      expect(hostsReached(bridge, 1)).toEqual(['A']);
      expect(bridge.report.actions[1]!.receivedBy['br0']![0]).toMatchObject({ did: 'forward', reason: 'fdb-hit' });
    });

    it('from then on sends A → B only to B', () => {
      expect(hostsReached(bridge, 2)).toEqual(['B']);
    });

    it('still floods broadcasts: the ARP request of a ping reaches every host, the rest of the ping goes to C alone', () => {
      const ping = bridge.report.actions[3]!;
      expect(ping.outcome).toBe('ok');
      expect(hostsReached(bridge, 3)).toEqual(['A', 'B', 'C', 'D']);
      expect(ping.receivedBy['B']!.map((r) => r.frame)).toEqual(['ARP who-has 10.0.0.12? tell 10.0.0.10']);
      expect(ping.receivedBy['D']!.map((r) => r.frame)).toEqual(['ARP who-has 10.0.0.12? tell 10.0.0.10']);
      expect(ping.receivedBy['C']!.map((r) => r.did)).toEqual(['deliver', 'deliver']);
    });

    it('ends with a MAC table of the three hosts that sent something, and nothing for silent D', () => {
      expect(macTable(bridge.sim.state, 'br0')!.map((r) => [r.mac, r.port])).toEqual([
        [A, 'p1'],
        [B, 'p2'],
        [C, 'p3'],
      ]);
    });

    it('with ageing time 0 keeps nothing and floods every frame, exactly like the hub', () => {
      const zero = runExperiment('hub-vs-bridge/bridge-ageing-zero');
      const hub = runExperiment('hub-vs-bridge/hub');
      for (const i of [0, 1, 2, 3]) expect(hostsReached(zero, i)).toEqual(hostsReached(hub, i));
      expect(macTable(zero.sim.state, 'br0')).toEqual([]);
    });
  });

  describe('filtering', () => {
    const shared = runExperiment('hub-vs-bridge/shared-segment');

    it("floods A's first frame to C as well, since the bridge does not know B yet", () => {
      expect(hostsReached(shared, 0)).toEqual(['B', 'C']);
      expect(shared.report.actions[0]!.receivedBy['br0']![0]!.reason).toBe('fdb-miss');
    });

    it('filters every frame between A and B once it knows both are behind p1, so C hears nothing more', () => {
      for (const i of [1, 2]) {
        expect(shared.report.actions[i]!.receivedBy['br0']![0]).toMatchObject({ did: 'filter', reason: 'same-port' });
        expect(shared.report.actions[i]!.receivedBy['C']).toBeUndefined();
      }
      expect(hostsReached(shared, 1)).toEqual(['A']);
      expect(hostsReached(shared, 2)).toEqual(['B']);
      expect(macTable(shared.sim.state, 'br0')!.map((r) => [r.mac, r.port])).toEqual([[A, 'p1'], [B, 'p1']]);
    });
  });

  describe('side by side', () => {
    it('the same traffic puts 21 copies on hosts behind a hub (and an ageing-0 bridge), 11 behind a bridge; 14 and 4 of them unwanted', () => {
      const { rows, received, unwanted } = compareReach(['hub-vs-bridge/hub', 'hub-vs-bridge/bridge', 'hub-vs-bridge/bridge-ageing-zero']);
      expect(rows.map((r) => r.label)).toEqual(['A sends a frame to B', 'B answers A', 'A sends to B again', 'A pings C']);
      expect(received).toEqual([21, 11, 21]);
      expect(unwanted).toEqual([14, 4, 14]);
    });
  });

  describe('two NICs are not a bridge', () => {
    it('B cannot reach C through A: the ARP request stops at A, three times, then "Destination Host Unreachable"', () => {
      const apart = runExperiment('hub-vs-bridge/two-nics');
      const ping = apart.report.actions[0]!;
      expect(ping.outcome).toBe('failed');
      expect(ping.result).toMatch(/^Destination Host Unreachable/);
      expect(ping.receivedBy['C']).toBeUndefined();
      expect(ping.receivedBy['A']!.map((r) => [r.port, r.reason])).toEqual([
        ['nic1', 'arp-request-not-for-me'],
        ['nic1', 'arp-request-not-for-me'],
        ['nic1', 'arp-request-not-for-me'],
      ]);
      expect(ping.receivedBy['A']!.map((r) => r.time)).toEqual([1, 1001, 2001]); // one second apart
      expect(ping.receivedBy['A']![0]!.why).toContain('does not pass frames from nic1 to its other NICs');
    });

    it('the article’s version, A with an address on each card and an uplink: A reaches B, C and R, and B still cannot reach C', () => {
      const addressed = runExperiment('hub-vs-bridge/two-nics-addressed');
      const [toB, toC, toR, bToC] = addressed.report.actions;
      for (const [ping, target, port] of [[toB, 'B', 'nic1'], [toC, 'C', 'nic2'], [toR, 'R', 'eth0']] as const) {
        expect(ping!.outcome, ping!.label).toBe('ok');
        expect(ping!.receivedBy[target]!.map((r) => r.reason)).toEqual(['arp-request-for-me', 'echo-request']);
        expect(ping!.receivedBy['A']!.every((r) => r.port === port), ping!.label).toBe(true);
      }
      expect(bToC!.label).toBe('B pings C');
      expect(bToC!.outcome).toBe('failed');
      expect(bToC!.result).toBe('No reply from 10.0.2.12 within 4 s.');
      // The echo request reaches A's nic1 and ends there: a host does not forward, and says nothing back.
      expect(bToC!.receivedBy['A']!.map((r) => [r.port, r.reason])).toEqual([['nic1', 'ip-not-for-me']]);
      expect(bToC!.receivedBy['A']![0]!.why).toContain('a host does not forward (ip_forward=0)');
      expect(bToC!.receivedBy['C']).toBeUndefined();
      expect(bToC!.receivedBy['B']).toBeUndefined();
    });

    it('with a bridge joining the NICs, the same ping works and the bridge learns B on nic1, C on nic2', () => {
      const joined = runExperiment('hub-vs-bridge/two-nics-bridged');
      expect(joined.report.actions[0]!.outcome).toBe('ok');
      expect(macTable(joined.sim.state, 'A')!.map((r) => [r.mac, r.port])).toEqual([
        [B, 'nic1'],
        [C, 'nic2'],
      ]);
    });
  });

  describe('ageing', () => {
    const ageing = runExperiment('hub-vs-bridge/ageing');

    it('a second ping 5 s later involves only A and B: C receives nothing', () => {
      expect(hostsReached(ageing, 1)).toEqual(['A', 'B']);
      expect(ageing.report.actions[1]!.outcome).toBe('ok');
    });

    it('after 20 s of silence the 10 s entries have expired and the echo request is flooded to C again', () => {
      const third = ageing.report.actions[2]!;
      expect(hostsReached(ageing, 2)).toEqual(['A', 'B', 'C']);
      expect(third.receivedBy['C']!.map((r) => [r.frame.startsWith('ICMP echo request'), r.reason])).toEqual([[true, 'not-for-me']]);
      const expired = ageing.sim.trace.filter((e) => e.kind === 'expire');
      expect(expired.map((e) => e.time)).toEqual([20_001, 20_001]);
      expect(expired.map((e) => e.text.split(' ')[2]).sort()).toEqual([A, B]);
      for (const e of expired) expect(e.text).toContain('no frame from it for 15 s, longer than the ageing time of 10 s');
      expect(third.outcome).toBe('ok');
    });

    it('A still knows B from the first ping, so its third ping starts with the echo request, not an ARP request', () => {
      const third = ageing.report.actions[2]!;
      const firstFrameFromA = ageing.sim.trace.find((e) => e.actionId === third.id && e.kind === 'transmit' && e.device === 'A')!;
      expect(firstFrameFromA.text).toMatch(/^A sends ICMP echo request/);
    });
  });

  describe('a loop without STP', () => {
    const loop = runExperiment('hub-vs-bridge/loop');

    it('turns one broadcast into a storm that the simulator detects and stops', () => {
      expect(loop.sim.halted?.reason).toBe('broadcast-storm');
      expect(loop.sim.trace.some((e) => e.kind === 'loop')).toBe(true);
      expect(loop.sim.halted!.text).toContain('copied 64 times');
    });

    it('delivers the one broadcast to B again and again, and back to A', () => {
      const action = loop.report.actions[0]!;
      expect(action.receivedBy['B']!.length).toBeGreaterThan(5);
      expect(action.receivedBy['A']!.length).toBeGreaterThan(0);
    });

    it("makes both bridges keep moving A's address from port to port", () => {
      const moves = loop.sim.trace.filter((e) => e.reason === 'fdb-move');
      expect(new Set(moves.map((e) => e.device))).toEqual(new Set(['sw1', 'sw2']));
      expect(moves.length).toBeGreaterThan(10);
    });
  });

});
