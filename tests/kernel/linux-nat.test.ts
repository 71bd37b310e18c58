// The chapter's bridge + veth + NAT design (content/scenarios/macvlan-ipvlan-bridge/bridge-nat.json)
// built on this machine's kernel beside the simulator: `server` routes between eth0 (192.168.1.10,
// on the switch) and br0 (10.0.1.1, the containers' veth pairs), with nft's
// `oifname "eth0" ip saddr 10.0.1.0/24 masquerade` in a postrouting chain and Docker's
// `-p 8080:80/udp` as `iifname "eth0" udp dport 8080 dnat to 10.0.1.2:80` in prerouting. The same
// traffic in both: c1 pings c2, its host, the LAN host and the outside; the outside pings c1's private
// address; the LAN host sends a datagram to the published port (nobody listens: c1 answers "port
// unreachable"), and c1 one to a closed port outside. Compared: which pings are answered;
// the echo requests the LAN host and the outside receive (source address, MACs, TTL: byte for byte
// but the IPv4 identification); the datagram c1 receives through the port forward; both ICMP errors
// as they arrive, translated with the packet they quote (nf_nat_icmp_reply_translation); and the
// connection table (/proc/net/nf_conntrack in server's namespace against the simulator's
// conntrack entries: both tuples of every flow). Skipped with the reason where namespaces, macvlan
// or nft are missing. The lab is built by the scenario's own Linux script (without its UDP listeners, as
// here), its namespaces named vnt<pid>-nat-<device>.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFromScriptAsync, captureAt, labPrefix, run as runCommand, runLabAsync, stackedLabUnavailable, type LabAction, type LabResult, type ScriptLab } from '../../scripts/kernel/netns';
import { scenarios } from '../../src/scenarios/index';
import { Simulation } from '../../src/sim/engine/simulation';
import type { TrafficAction } from '../../src/sim/scenario/format';
import { buildReport } from '../../src/sim/report';
import { conntrackEntries, pingData, type HostState } from '../../src/sim/devices/host';
import { decodeEthernetFrame, decodeIpv4Packet, describeFrame, echoRequest, encodeIcmpMessage, IP_PROTOCOL_UDP } from '../../src/sim/wire';
import { bytes, destroyLab, hex, ipv4Comparable, labEndpoints, quietNeighbourProbes } from './compare';

const unavailable = stackedLabUnavailable({ nft: true });
if (unavailable !== null) console.warn(`tests/kernel/linux-nat.test.ts skipped: ${unavailable}`);

const TRAFFIC: TrafficAction[] = [
  { from: 'c1', do: 'ping', to: '10.0.1.3', at: 0 },
  { from: 'c1', do: 'ping', to: '192.168.1.10', at: 2000 },
  { from: 'c1', do: 'ping', to: '192.168.1.20', at: 4000 },
  { from: 'c1', do: 'ping', to: '203.0.113.10', at: 6000 },
  { from: 'web', do: 'ping', to: '10.0.1.2', at: 8000 },
  { from: 'lan', do: 'udp', to: '192.168.1.10', port: 8080, sourcePort: 40000, size: 32, at: 10000 },
  { from: 'c1', do: 'udp', to: '203.0.113.10', port: 9, sourcePort: 40001, size: 32, at: 12000 },
];
const UDP_ACTION = 5;
const UDP_OUT_ACTION = 6;

function labActions(sim: Simulation): LabAction[] {
  const report = buildReport(sim);
  return TRAFFIC.map((action, i): LabAction => {
    const from = `${action.from}:eth0`;
    if (action.do === 'udp') return { kind: 'udp', from, to: action.to, port: action.port, sourcePort: action.sourcePort!, payload: hex(Uint8Array.from({ length: action.size! }, (_, k) => k & 0xff)), settle: 0.5 };
    const id = report.actions[i]!.id;
    const request = sim.trace.find((e) => e.actionId === id && e.kind === 'transmit' && e.device === action.from && describeFrame(e.frame!).protocol === 'icmp-echo-request')?.frame;
    if (!request) return { kind: 'ping', from, to: action.to, icmp: hex(encodeIcmpMessage(echoRequest(0x1234, 1, pingData(0)))), timeout: 2 };
    const ip = decodeIpv4Packet(decodeEthernetFrame(request).payload);
    return { kind: 'ping', from, to: ip.destination, icmp: hex(ip.payload), timeout: 2 };
  });
}

/** A flow as both sides list it: protocol, then both tuples (ports or echo identifiers), without timers and flags. */
function flowsOfProc(text: string): string[] {
  return text.split('\n').filter((line) => /\b(icmp|udp)\b/.test(line)).map((line) => {
    const protocol = /\b(icmp|udp)\b/.exec(line)![1]!;
    const fields = [...line.matchAll(/\b(src|dst|sport|dport|type|code|id)=(\S+)/g)].map((m) => `${m[1]}=${m[2]}`);
    return `${protocol} ${fields.join(' ')}`;
  }).sort();
}

function flowsOfSim(host: HostState, now: number): string[] {
  return conntrackEntries(host, now).map((entry) => {
    const tuple = (t: typeof entry.original) => (entry.protocol === 'udp'
      ? `src=${t.source} dst=${t.destination} sport=${t.sourcePort} dport=${t.destinationPort}`
      : `src=${t.source} dst=${t.destination} type=${t.type} code=${t.code} id=${t.id}`);
    return `${entry.protocol} ${tuple(entry.original)} ${tuple(entry.reply)}`;
  }).sort();
}

/** The first frame of `protocol` received at `endpoint` during action `index` from `source`, in both. */
function received(sim: Simulation, result: LabResult, index: number, endpoint: string, protocol: string, source: string): { sim?: Uint8Array; kernel?: Uint8Array } {
  const id = buildReport(sim).actions[index]!.id;
  const [device, port] = endpoint.split(':') as [string, string];
  const match = (frame: Uint8Array) => describeFrame(frame).protocol === protocol && decodeIpv4Packet(decodeEthernetFrame(frame).payload).source === source;
  return {
    sim: sim.trace.find((e) => e.actionId === id && e.kind === 'receive' && e.device === device && e.port === port && match(e.frame!))?.frame,
    kernel: (result.actions[index]!.frames[endpoint] ?? []).filter((f) => f.dir === 'in').map((f) => bytes(f.hex)).find(match),
  };
}

/** A UDP frame's header fields and data, but the IPv4 identification and header checksum the sending kernel picks. */
function udpComparable(frame: Uint8Array) {
  const ethernet = hex(frame.subarray(0, 14));
  const ip = decodeIpv4Packet(decodeEthernetFrame(frame).payload);
  return { ethernet, source: ip.source, destination: ip.destination, ttl: ip.ttl, protocol: ip.protocol, checksumValid: ip.checksumValid, udp: hex(ip.payload.subarray(0, ip.totalLength - 20)) };
}

/** An ICMP error's frame but what the kernels pick (the IPv4 identifications, outer and quoted, and the checksums that follow from them). */
function icmpErrorComparable(frame: Uint8Array) {
  const outer = decodeIpv4Packet(decodeEthernetFrame(frame).payload);
  const quoted = decodeIpv4Packet(outer.payload.subarray(8));
  return {
    ethernet: hex(frame.subarray(0, 14)), source: outer.source, destination: outer.destination, ttl: outer.ttl, checksumValid: outer.checksumValid,
    icmp: hex(outer.payload.subarray(0, 2)), unused: hex(outer.payload.subarray(4, 8)),
    quoted: { source: quoted.source, destination: quoted.destination, ttl: quoted.ttl, checksumValid: quoted.checksumValid, udp: hex(quoted.payload) },
  };
}

describe.skipIf(unavailable !== null)('bridge + veth + nft masquerade on the real kernel agrees with the simulator', () => {
  let sim: Simulation | undefined;
  let result: LabResult | undefined;
  let proc = '';
  let lab: ScriptLab | undefined;

  beforeAll(async () => {
    // Nothing listens on a UDP port in the lab: neither does c1 here, so that both answer the forwarded datagram with "port unreachable".
    const base = structuredClone(scenarios['macvlan-ipvlan-bridge/bridge-nat']!);
    for (const d of base.devices) if (d.kind === 'host' || d.kind === 'router') delete d.udpListen;
    sim = new Simulation({ ...base, traffic: TRAFFIC });
    sim.run();
    // Built by the scenario's own Linux script (its nft rules, its bridge, its routes), as the reader would.
    lab = await buildFromScriptAsync(sim.scenario, `${labPrefix()}-nat`);
    await quietNeighbourProbes(lab, sim.scenario);
    result = await runLabAsync(captureAt(labEndpoints(sim.scenario), lab.netns), labActions(sim), 0.1);
    proc = runCommand('ip', ['netns', 'exec', lab.netns['server']!, 'cat', '/proc/net/nf_conntrack']);
  }, 60_000);
  afterAll(() => destroyLab(lab), 30_000);

  const get = () => {
    if (!sim || !result) throw new Error('the kernel run did not happen');
    return { sim, result };
  };

  it('answers the same pings: the containers reach everything through NAT, the outside cannot reach a container', () => {
    const { sim, result } = get();
    const pings = TRAFFIC.map((a, i) => [a, i] as const).filter(([a]) => a.do === 'ping');
    expect(pings.map(([, i]) => buildReport(sim).actions[i]!.outcome === 'ok')).toEqual(pings.map(([, i]) => result.actions[i]!.ok));
    expect(pings.map(([, i]) => result.actions[i]!.ok)).toEqual([true, true, true, true, false]);
    expect(TRAFFIC.length).toBe(result.actions.length);
  });

  it.each([
    ['the LAN host', 2, 'lan:eth0'],
    ['the outside', 3, 'web:eth0'],
  ] as const)('%s receives the same echo request: from the host\'s address, masqueraded', (_who, index, endpoint) => {
    const { sim, result } = get();
    const frames = received(sim, result, index, endpoint, 'icmp-echo-request', '192.168.1.10');
    expect(frames.kernel, 'the kernel delivered no masqueraded echo request').toBeDefined();
    expect(frames.sim, 'the simulator delivered no masqueraded echo request').toBeDefined();
    const { frameLength: _k, ...kernel } = ipv4Comparable(frames.kernel!);
    const { frameLength: _s, ...simulated } = ipv4Comparable(frames.sim!);
    expect(simulated).toEqual(kernel);
  });

  it('c1 receives the same datagram through the port forward (to 10.0.1.2:80, from the LAN host, not translated)', () => {
    const { sim, result } = get();
    const frames = received(sim, result, UDP_ACTION, 'c1:eth0', 'udp', '192.168.1.20');
    expect(frames.kernel, 'the kernel forwarded no datagram to c1').toBeDefined();
    expect(frames.sim, 'the simulator forwarded no datagram to c1').toBeDefined();
    expect(udpComparable(frames.sim!)).toEqual(udpComparable(frames.kernel!));
    expect(decodeIpv4Packet(decodeEthernetFrame(frames.sim!).payload).protocol).toBe(IP_PROTOCOL_UDP);
  });

  it.each([
    ['c1\'s "port unreachable" about the forwarded datagram reaches the LAN host from the published address', UDP_ACTION, 'lan:eth0', '192.168.1.10'],
    ['the outside\'s "port unreachable" about c1\'s masqueraded datagram reaches c1', UDP_OUT_ACTION, 'c1:eth0', '203.0.113.10'],
  ] as const)('%s, the packet it quotes translated the same way (nf_nat_icmp_reply_translation)', (_what, index, endpoint, source) => {
    const { sim, result } = get();
    const frames = received(sim, result, index, endpoint, 'icmp-error', source);
    expect(frames.kernel, 'the kernel delivered no ICMP error').toBeDefined();
    expect(frames.sim, 'the simulator delivered no ICMP error').toBeDefined();
    expect(icmpErrorComparable(frames.sim!)).toEqual(icmpErrorComparable(frames.kernel!));
  });

  it('lists the same flows in its connection table, both tuples (/proc/net/nf_conntrack)', () => {
    const { sim } = get();
    expect(flowsOfSim(sim.state.devices.get('server') as HostState, sim.state.time)).toEqual(flowsOfProc(proc));
  });
});
