// Netfilter hook points and connection tracking in a namespace (host/netfilter.ts, host/conntrack.ts),
// on the Docker-like host with conntrack turned on in `server`: the table holds what `conntrack -L`
// would list there — a flow per forwarded ping or datagram, with its reply tuple, [UNREPLIED] until
// an answer passes — and nothing for traffic br0 only bridges, or for a packet dropped before its
// flow is confirmed. (No kernel comparison: this machine has no conntrack tool and no nft/iptables
// to make its kernel track anything.)

import { describe, expect, it } from 'vitest';
import { DOCKER_HOST_IP as IP, DOCKER_HOST_TRAFFIC, dockerHostScenario } from '../../src/scenarios/docker-host';
import { enableConntrack, type HostState } from '../../src/sim/devices/host';
import { Simulation } from '../../src/sim/engine/simulation';
import type { TrafficAction } from '../../src/sim/scenario/format';
import { conntrackTable } from '../../src/sim/tables';
import { decodeEthernetFrame, decodeIpv4Packet, describeFrame } from '../../src/sim/wire';

function simulate(traffic: TrafficAction[]): Simulation {
  const sim = new Simulation(dockerHostScenario(traffic));
  enableConntrack(sim.state.devices.get('server') as HostState);
  sim.run();
  return sim;
}

/** The echo identifier of the first echo request `device` sent. */
function echoId(sim: Simulation, device: string): number {
  const sent = sim.trace.find((e) => e.kind === 'transmit' && e.device === device && describeFrame(e.frame!).protocol === 'icmp-echo-request')!;
  const icmp = decodeIpv4Packet(decodeEthernetFrame(sent.frame!).payload).payload;
  return (icmp[4]! << 8) | icmp[5]!;
}

describe('connection tracking in the server namespace', () => {
  it('lists one flow per routed ping, replied, with 29 s left; the bridged ping between c1 and c2 passes no IP hook and leaves none', () => {
    const sim = simulate(DOCKER_HOST_TRAFFIC);
    const c1 = echoId(sim, 'c1');
    const outside = echoId(sim, 'outside');
    expect(conntrackTable(sim.state, 'server')).toEqual([
      `icmp     1 29 src=${IP.c1} dst=${IP.outside} type=8 code=0 id=${c1} src=${IP.outside} dst=${IP.c1} type=0 code=0 id=${c1} mark=0 use=1`,
      `icmp     1 29 src=${IP.outside} dst=${IP.c2} type=8 code=0 id=${outside} src=${IP.c2} dst=${IP.outside} type=0 code=0 id=${outside} mark=0 use=1`,
    ]);
    expect(conntrackTable(sim.state, 'c1')).toBeNull();
  });

  it('a forwarded ping nobody answers stays [UNREPLIED]: the flow was confirmed at POST_ROUTING, before ARP failed', () => {
    const sim = simulate([{ from: 'outside', do: 'ping', to: '10.0.1.9', at: 0 }]);
    const id = echoId(sim, 'outside');
    // Made when the request reached server (1 ms), 30 s to live, listed when the run ends at 3,004 ms
    // (three ARP requests 1 s apart, then "host unreachable"): 26 whole seconds left.
    expect(sim.state.time).toBe(3004);
    expect(conntrackTable(sim.state, 'server')).toEqual([
      `icmp     1 26 src=${IP.outside} dst=10.0.1.9 type=8 code=0 id=${id} [UNREPLIED] src=10.0.1.9 dst=${IP.outside} type=0 code=0 id=${id} mark=0 use=1`,
    ]);
  });

  it('a packet dropped before its flow is confirmed (no route) leaves nothing, nor does the ICMP error it causes', () => {
    const sim = simulate([{ from: 'outside', do: 'ping', to: '198.51.100.7', at: 0 }]);
    expect(sim.trace.some((e) => e.device === 'server' && e.reason === 'no-route')).toBe(true);
    expect(conntrackTable(sim.state, 'server')).toEqual([]);
  });

  it('a UDP datagram answered by "port unreachable" is a flow with ports, still [UNREPLIED] (the error is RELATED, not a reply)', () => {
    const sim = simulate([{ from: 'c1', do: 'udp', to: 'outside', port: 53, sourcePort: 40000, at: 0 }]);
    expect(conntrackTable(sim.state, 'server')).toEqual([
      `udp      17 29 src=${IP.c1} dst=${IP.outside} sport=40000 dport=53 [UNREPLIED] src=${IP.outside} dst=${IP.c1} sport=53 dport=40000 mark=0 use=1`,
    ]);
  });
});
