// Every chapter scenario's "Run it on Linux" script, run as root on this machine's kernel, against the
// simulator: the script's build section makes the namespaces, veth pairs and bridges; its raw-frame
// actions run as the reader would run them (`bash lab.sh action N`), and a ping runs as the script's
// `ping` where iputils ping is installed, else as lab.py's stand-in (an ICMP echo on a raw socket with
// the simulator's identifier, sequence and data, what ping does as root). Every link end is captured,
// and each action must reach the same interfaces with the same frames, addressed to them or not, and
// end the same way. A scenario this kernel cannot build says why and is skipped.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bridgeMaxLearnedUnavailable, bridgeVlanFilteringUnavailable,
  buildFromScript,
  captureAt,
  kernelLabUnavailable,
  labPrefix,
  removeLeftovers,
  stackedLabUnavailable,
  runLab,
  tryRun,
  vlanUnavailable,
  type LabAction,
  type LabResult,
  type ScriptLab,
} from '../../scripts/kernel/netns';
import { runExperiment, type Experiment } from '../../src/scenarios/experiments';
import { scenarios } from '../../src/scenarios/index';
import { actionTargetIp, linuxScript } from '../../src/sim/export/linux-script';
import type { Scenario } from '../../src/sim/scenario/format';
import { decodeEthernetFrame, decodeIpv4Packet, describeFrame } from '../../src/sim/wire';
import { bytes, destroyLab, hex } from './compare';

/** Linux's pkttype for a frame whose destination MAC is neither ours, broadcast nor multicast. */
const PACKET_OTHERHOST = 3;

const unavailable = kernelLabUnavailable();
if (unavailable !== null) console.warn(`tests/kernel/linux-script.test.ts skipped: ${unavailable}`);
const hasPing = unavailable === null && tryRun('sh', ['-c', 'command -v ping']).ok;
const hasArping = unavailable === null && tryRun('sh', ['-c', 'command -v arping']).ok;

/**
 * Scenarios another kernel test already builds from this same script (buildFromScript, through
 * netns.ts) and compares frame by frame, byte by byte: not built a second time, to keep the kernel
 * tests' time about what it was.
 */
const COMPARED_ELSEWHERE: Record<string, string> = {
  'hub-vs-bridge/bridge': 'tests/kernel/linux-bridge.test.ts',
  'hub-vs-bridge/bridge-ageing-zero': 'tests/kernel/linux-bridge.test.ts',
  'vlan-vs-vxlan/two-vteps': 'tests/kernel/linux-vxlan.test.ts',
};

/** Why this kernel cannot run scenario `id`'s script, or null when it can. */
function cannotRun(scenario: Scenario): string | null {
  if (unavailable !== null) return unavailable;
  const elsewhere = COMPARED_ELSEWHERE[scenario.id];
  if (elsewhere) return `built from this script and compared frame by frame in ${elsewhere}`;
  const script = linuxScript(scenario);
  if (script.unsupported.length > 0) return `Linux lacks what it shows: ${script.unsupported[0]}`;
  if (script.notes.some((n) => n.includes('loop of bridges'))) return 'a loop of bridges without STP: on Linux its first broadcast storms until the namespaces go (the script sends it only with STORM=yes)';
  // What the script itself asks of the kernel: a VLAN-filtering bridge, 802.1Q sub-interfaces.
  if (script.commands.some((c) => c.includes(' vlan_filtering 1'))) {
    const why = bridgeVlanFilteringUnavailable();
    if (why) return why;
  }
  if (script.commands.some((c) => c.includes(' fdb_max_learned '))) {
    const why = bridgeMaxLearnedUnavailable();
    if (why) return why;
  }
  if (script.commands.some((c) => c.includes(' type vlan id '))) {
    const why = vlanUnavailable();
    if (why) return why;
  }
  if (scenario.devices.some((d) => (d.kind === 'host' || d.kind === 'router') && d.nics.some((n) => n.ipvlan))) {
    const why = stackedLabUnavailable({ ipvlan: true });
    if (why) return why;
  }
  if (scenario.devices.some((d) => (d.kind === 'host' || d.kind === 'router') && d.nat)) {
    const why = stackedLabUnavailable({ nft: true });
    if (why) return why;
  }
  if (scenario.traffic.some((a) => a.do === 'arp') && !hasArping) return 'its ARP request is the script\'s arping, and arping (iputils-arping) is not installed here';
  // Its point is ageing over 20 s of virtual time: the script waits them out (`at_ms`), which this suite cannot afford.
  const last = Math.max(0, ...scenario.traffic.map((a) => a.at ?? 0));
  if (last > 2000) return `its traffic spans ${last / 1000} s of real time (the script waits for each action's "at"); too slow for the unit suite`;
  return null;
}

/** The frames `device` sent in action `index`, in the simulator. */
function simSent(experiment: Experiment, index: number, device: string): Uint8Array[] {
  const id = experiment.report.actions[index]!.id;
  return experiment.sim.trace.filter((e) => e.kind === 'transmit' && e.actionId === id && e.device === device).map((e) => e.frame!);
}

/** An ICMP echo request (identifier 0x7e57, sequence 1, ping's 56 data bytes), for a ping the simulator never got to send. */
function echoRequest(): string {
  const message = new Uint8Array(64);
  message.set([8, 0, 0, 0, 0x7e, 0x57, 0, 1]);
  for (let k = 8; k < 64; k++) message[k] = k - 8;
  let sum = 0;
  for (let k = 0; k < 64; k += 2) sum += (message[k]! << 8) | message[k + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const checksum = ~sum & 0xffff;
  message[2] = checksum >> 8;
  message[3] = checksum & 0xff;
  return hex(message);
}

function labActions(experiment: Experiment, lab: ScriptLab, endpoints: readonly string[]): LabAction[] {
  const scenario = experiment.sim.scenario;
  return scenario.traffic.map((action, i): LabAction => {
    // lab.py sends from the namespace of a capture point: any link end of the sending device.
    const from = endpoints.find((e) => e.startsWith(`${action.from}:`))!;
    const script: LabAction = { kind: 'command', from, argv: ['bash', lab.file, 'action', String(i + 1)], env: lab.env };
    if (action.do === 'raw' || action.do === 'udp' || action.do === 'arp' || (action.do === 'ping' && hasPing)) return script;
    {
      const request = simSent(experiment, i, action.from).find((f) => describeFrame(f).protocol === 'icmp-echo-request');
      const ip = request ? decodeIpv4Packet(decodeEthernetFrame(request).payload) : undefined;
      const to = ip?.destination ?? actionTargetIp(scenario, action.to);
      if (!to) throw new Error(`${action.label ?? i}: no address to ping`);
      // A ping that fails waits out ARP's three probes, 1 s apart, as the simulator does.
      const failed = experiment.report.actions[i]!.outcome !== 'ok';
      return { kind: 'ping', from, to, icmp: ip ? hex(ip.payload) : echoRequest(), timeout: failed ? 3.2 : 2 };
    }
  });
}

/**
 * A frame's summary without what each kernel picks for itself: a VXLAN packet's outer UDP source
 * port (udp_flow_src_port hashes the inner flow with a secret drawn at boot), and the partial UDP
 * checksum a veth capture shows before offload fills it in ("bad UDP checksum").
 */
const summaryOf = (text: string): string => text.replace(' [bad UDP checksum]', '').replace(/(UDP [\d.]+):\d+ → ([\d.]+:(?:8472|4789)\b)/, '$1:* → $2');

/** What `endpoint` received in action `index`, as [summary, addressed to another MAC], sorted. */
function kernelReceptions(result: LabResult, index: number, endpoint: string): Array<[string, boolean]> {
  return (result.actions[index]!.frames[endpoint] ?? [])
    .filter((f) => f.dir === 'in')
    .map((f): [string, boolean] => [summaryOf(describeFrame(bytes(f.hex)).summary), f.pkttype === PACKET_OTHERHOST])
    .sort();
}

function simReceptions(experiment: Experiment, index: number, endpoint: string): Array<[string, boolean]> {
  const at = endpoint.lastIndexOf(':');
  const [device, port] = [endpoint.slice(0, at), endpoint.slice(at + 1)];
  return (experiment.report.actions[index]!.receivedBy[device] ?? [])
    .filter((r) => r.port === port)
    .map((r): [string, boolean] => [summaryOf(r.frame), r.reason === 'not-for-me'])
    .sort();
}

/** Is the endpoint a NIC whose own stack takes its frames (so that "addressed to another MAC" means something), not a bridge's or hub's port? */
function stackNic(scenario: Scenario, endpoint: string): boolean {
  const at = endpoint.lastIndexOf(':');
  const device = scenario.devices.find((d) => d.id === endpoint.slice(0, at));
  return (device?.kind === 'host' || device?.kind === 'router') && !device.bridges?.some((b) => b.ports.includes(endpoint.slice(at + 1)));
}

/** Receptions as compared: on a bridge's or hub's port, which takes every frame, the frames only. */
function comparable(list: Array<[string, boolean]>, flagged: boolean): Array<[string, boolean]> {
  return flagged ? list : list.map(([frame]) => [frame, false]);
}

const ids = Object.keys(scenarios);

describe('every chapter scenario\'s Linux script, run on this kernel, against the simulator', () => {
  for (const id of ids) {
    const scenario = scenarios[id]!;
    const why = cannotRun(scenario);
    if (why !== null) {
      it.skip(`${id}: skipped, ${why}`, () => {});
      continue;
    }
    describe(id, () => {
      let lab: ScriptLab | undefined;
      let result: LabResult | undefined;
      let experiment: Experiment | undefined;
      let endpoints: string[] = [];
      beforeAll(() => {
        removeLeftovers();
        experiment = runExperiment(id);
        lab = buildFromScript(scenario, `${labPrefix()}-s${ids.indexOf(id)}`);
        // Every link end, and every macvlan or ipvlan child (on no link, but an interface tcpdump can watch).
        const children = scenario.devices.flatMap((d) => (d.kind === 'host' || d.kind === 'router' ? d.nics.filter((n) => n.macvlan || n.ipvlan).map((n) => `${d.id}:${n.port}`) : []));
        endpoints = [...scenario.links.flatMap((l) => [l.a, l.b]), ...children];
        result = runLab(captureAt(endpoints, lab.netns), labActions(experiment, lab, endpoints), 0.1);
      }, 60_000);
      afterAll(() => destroyLab(lab));

      it('is quiet once built (no IPv6, STP or IGMP frame), and ends every action as the simulator does', () => {
        for (const endpoint of endpoints) expect(result!.before[endpoint], endpoint).toEqual([]);
        expect(result!.actions.map((a) => a.ok)).toEqual(experiment!.report.actions.map((a) => a.outcome === 'ok'));
      });

      it('gives every link end the same frames in each action, and the same ones are addressed to another MAC', () => {
        experiment!.report.actions.forEach((action, i) => {
          for (const endpoint of endpoints) {
            const flagged = stackNic(scenario, endpoint);
            expect(comparable(kernelReceptions(result!, i, endpoint), flagged), `${action.label}: ${endpoint}`).toEqual(comparable(simReceptions(experiment!, i, endpoint), flagged));
          }
        });
      });
    });
  }
});
