// What the real-kernel tests compare: captured frames as hex, and an IPv4/ICMP frame field by
// field, leaving out what each sending kernel picks for itself; and how a lab is taken down. Shared
// by every test in tests/kernel.

import { run as runCommand, runAsync, tryRun, type CapturedFrame, type LabAction, type LabResult, type ScriptLab } from '../../scripts/kernel/netns';
import type { Experiment } from '../../src/scenarios/experiments';
import { actionTargetIp } from '../../src/sim/export/linux-script';
import type { Scenario } from '../../src/sim/scenario/format';
import { decodeEthernetFrame, decodeIcmpMessage, decodeIpv4Packet, describeFrame, ETHERTYPE_ARP, ETHERTYPE_IPV4, padToMinimum } from '../../src/sim/wire';

export const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
export const hex = (frame: Uint8Array): string => Buffer.from(frame).toString('hex');

/** Everything in an IPv4/ICMP frame except what the sending kernel picks (IPv4 identification) and what follows from it (the header checksum). */
export function ipv4Comparable(frame: Uint8Array) {
  const ethernet = decodeEthernetFrame(frame);
  const ip = decodeIpv4Packet(ethernet.payload);
  const icmp = decodeIcmpMessage(ip.payload);
  return {
    frameLength: frame.length,
    ethernetHeader: hex(frame.subarray(0, 14)),
    versionAndIhl: frame[14],
    dscp: ip.dscp,
    ecn: ip.ecn,
    totalLength: ip.totalLength,
    dontFragment: ip.dontFragment,
    moreFragments: ip.moreFragments,
    fragmentOffset: ip.fragmentOffset,
    ttl: ip.ttl,
    protocol: ip.protocol,
    source: ip.source,
    destination: ip.destination,
    ipChecksumValid: ip.checksumValid,
    icmpType: icmp.type,
    icmpCode: icmp.code,
    icmpChecksumValid: icmp.checksumValid,
    /** Type, code, checksum, identifier, sequence and data. */
    icmpMessage: hex(ip.payload),
  };
}

/** dst(6) src(6) type(2) + ARP(28): all of an ARP frame that a Linux stack sends, and a veth carries (a cable's NIC pads it to 60). */
export const ARP_FRAME_BYTES = 42;

/** The frames the kernel sent (`out`) or received (`in`) on one interface during action `index`. */
export function kernelFrames(result: LabResult, index: number, endpoint: string, dir: CapturedFrame['dir']): Uint8Array[] {
  return (result.actions[index]!.frames[endpoint] ?? []).filter((f) => f.dir === dir).map((f) => bytes(f.hex));
}

/** What a reader checks first: who sent it to whom, and what it is. */
export function frameSummary(frame: Uint8Array): string {
  const d = describeFrame(frame);
  return `${d.source} > ${d.destination} ${d.summary}`;
}

/** An ARP frame as Linux's stack sends it: the simulator's minus the padding a cable adds (see asOnWire for an exact comparison). */
export const unpadded = (frame: Uint8Array): string => hex(decodeEthernetFrame(frame).etherType === ETHERTYPE_ARP ? frame.subarray(0, ARP_FRAME_BYTES) : frame);
export const isIpv4 = (frame: Uint8Array): boolean => decodeEthernetFrame(frame).etherType === ETHERTYPE_IPV4;
/** A frame as both sides must agree on it: an ARP frame whole, an IPv4/ICMP one all but what the sending kernel picks (IPv4 identification, hence checksum). */
export const comparable = (frame: Uint8Array) => (isIpv4(frame) ? ipv4Comparable(frame) : unpadded(frame));

/** As comparable, but every byte of a non-IPv4 frame, padding included: for frames taken through asOnWire. */
export const exactlyComparable = (frame: Uint8Array) => (isIpv4(frame) ? ipv4Comparable(frame) : hex(frame));

/**
 * The kernel's frames at a scenario endpoint ("device:port") as that link carries them. A veth is a
 * veth in the lab too: its frames are the kernel's as captured, padding included or not. A cable is
 * also a veth pair in the lab (there is no physical NIC), so its frames are padded here as the NIC at
 * either end would pad them on the wire (padToMinimum, eth_skb_pad); anything else (a bridge's own
 * interface, br0) is as captured. Exact only where a cable's frames are the kernel's own: a frame
 * that came in by a lab "cable" and is bridged onto a veth is unpadded in the lab, but would carry
 * its padding onto the veth behind a physical NIC (and does in the simulator).
 */
export function asOnWire(scenario: Scenario, endpoint: string): (frame: Uint8Array) => Uint8Array {
  const link = scenario.links.find((l) => l.a === endpoint || l.b === endpoint);
  return link !== undefined && link.type !== 'veth' ? padToMinimum : (frame) => frame;
}

/** Takes labs down all at once (each its script's cleanup), and fails (in afterAll) if any of their network namespaces is left behind. */
export async function destroyLabs(labs: ReadonlyArray<{ destroyAsync(): Promise<void>; netns: Record<string, string> } | null | undefined>): Promise<void> {
  const all = labs.filter((lab) => lab != null);
  await Promise.all(all.map((lab) => lab.destroyAsync()));
  const names = all.flatMap((lab) => Object.values(lab.netns));
  const left = runCommand('ip', ['netns', 'list']).split('\n').map((line) => line.split(' ')[0] ?? '').filter((n) => names.includes(n));
  if (left.length > 0) throw new Error(`namespaces left behind: ${left.join(', ')}`);
}

/** Takes a lab down, and fails (in afterAll) if any of its network namespaces is left behind. */
export function destroyLab(lab: { destroy(): void; netns: Record<string, string> } | null | undefined): void {
  if (!lab) return;
  lab.destroy();
  const names = Object.values(lab.netns);
  const left = runCommand('ip', ['netns', 'list']).split('\n').map((line) => line.split(' ')[0] ?? '').filter((n) => names.includes(n));
  if (left.length > 0) throw new Error(`namespaces left behind: ${left.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// Who received what: a chapter scenario's lab, built by its Linux script, against the simulator.

/** Linux's pkttype for a frame whose destination MAC is neither ours, broadcast nor multicast. */
export const PACKET_OTHERHOST = 3;

/** Is iputils ping installed (else a ping runs as lab.py's stand-in: the simulator's ICMP echo on a raw socket, as ping does as root)? */
export const hasPing = tryRun('sh', ['-c', 'command -v ping']).ok;
/** Is iputils arping installed (else an ARP request is the simulator's, sent as a raw frame)? */
export const hasArping = tryRun('sh', ['-c', 'command -v arping']).ok;

/** The frames `device` sent in action `index`, in the simulator. */
export function simSent(experiment: Experiment, index: number, device: string): Uint8Array[] {
  const id = experiment.report.actions[index]!.id;
  return experiment.sim.trace.filter((e) => e.kind === 'transmit' && e.actionId === id && e.device === device).map((e) => e.frame!);
}

/** An ICMP echo request (identifier 0x7e57, sequence 1, ping's 56 data bytes), for a ping the simulator never got to send. */
export function echoRequestHex(): string {
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

/**
 * The scenario's traffic as the lab runs it: each action the script's own (`bash lab.sh action N`),
 * but a ping where iputils ping is missing (lab.py's ICMP echo with the simulator's identifier,
 * sequence and data) and an ARP request where arping is (the simulator's request frame, sent raw
 * from the same interface: what arping puts on the wire, the reply answered by the peer's kernel).
 */
export function scriptActions(experiment: Experiment, lab: ScriptLab, endpoints: readonly string[], { timed = false }: { timed?: boolean } = {}): LabAction[] {
  const scenario = experiment.sim.scenario;
  // Timed: each action waits for its time in the scenario (the lab otherwise runs them back to back).
  return scenario.traffic.map((action, i): LabAction => (timed ? { ...labAction(action, i), at: (action.at ?? 0) / 1000 } : labAction(action, i)));

  function labAction(action: Scenario['traffic'][number], i: number): LabAction {
    // lab.py sends from the namespace of a capture point: any link end of the sending device.
    const from = endpoints.find((e) => e.startsWith(`${action.from}:`))!;
    // An ICMP error about a datagram comes back over veths within milliseconds: the script waits 1 s for one, not 4.
    const script: LabAction = { kind: 'command', from, argv: ['bash', lab.file, 'action', String(i + 1)], env: { ...lab.env, UDP_WAIT: '1' } };
    if (action.do === 'raw' || action.do === 'udp' || (action.do === 'arp' && hasArping) || (action.do === 'ping' && hasPing)) return script;
    const failed = experiment.report.actions[i]!.outcome !== 'ok';
    if (action.do === 'arp') {
      // The requests as the simulator sent them, a second apart (the script's `arping -f -c 3`: up to three, until a reply).
      const requests = arpRequests(experiment, i);
      if (requests.length === 0) throw new Error(`${action.label ?? i}: the simulator sent no ARP request to replay`);
      const port = endpoints.find((e) => e === `${action.from}:${requests[0]!.port}`) ?? from;
      return { kind: 'frames', from: port, frames: requests.map((r) => hex(r.frame!.subarray(0, ARP_FRAME_BYTES))), gap: 1, settle: failed ? 1 : 0.3 };
    }
    const request = simSent(experiment, i, action.from).find((f) => describeFrame(f).protocol === 'icmp-echo-request');
    const ip = request ? decodeIpv4Packet(decodeEthernetFrame(request).payload) : undefined;
    const to = ip?.destination ?? actionTargetIp(scenario, action.to);
    if (!to) throw new Error(`${action.label ?? i}: no address to ping`);
    // A ping that fails waits out ARP's three probes, 1 s apart, as the simulator does.
    return { kind: 'ping', from, to, icmp: ip ? hex(ip.payload) : echoRequestHex(), timeout: failed ? 3.2 : 2 };
  }
}

/** The ARP requests the sender of action `index` broadcast for it, in the simulator. */
function arpRequests(experiment: Experiment, index: number) {
  const action = experiment.sim.scenario.traffic[index]!;
  return experiment.sim.trace.filter((e) => e.kind === 'transmit' && e.actionId === experiment.report.actions[index]!.id && e.device === action.from && describeFrame(e.frame!).protocol === 'arp-request');
}

/**
 * How each action ended in the lab: as the script's command or lab.py's stand-in says, but an ARP
 * request sent raw (no arping here), which is answered when the sender's interface received an ARP
 * reply from the address it asked for.
 */
export function kernelOutcomes(experiment: Experiment, result: LabResult, endpoints: readonly string[]): boolean[] {
  return experiment.sim.scenario.traffic.map((action, i) => {
    if (action.do !== 'arp' || hasArping) return result.actions[i]!.ok;
    const requests = arpRequests(experiment, i);
    const asked = requests.length > 0 ? describeFrame(requests[0]!.frame!).summary.match(/who-has ([\d.]+)/)?.[1] : undefined;
    const endpoint = endpoints.find((e) => e === `${action.from}:${requests[0]?.port}`);
    return endpoint !== undefined && (result.actions[i]!.frames[endpoint] ?? []).some((f) => f.dir === 'in' && describeFrame(bytes(f.hex)).summary.startsWith(`ARP ${asked} is-at `));
  });
}

/**
 * How each action ended in the simulator, as the script can tell: a UDP datagram fails only when an
 * error comes back (the script's send_udp cannot see a socket take it, and waits for an ICMP error;
 * the simulator's "no word within 4 s" is the script's success).
 */
export function simOutcomes(experiment: Experiment): boolean[] {
  return experiment.report.actions.map((report, i) => {
    if (report.outcome === 'ok') return true;
    if (experiment.sim.scenario.traffic[i]!.do !== 'udp') return false;
    const end = experiment.sim.trace.find((e) => e.kind === 'result' && e.actionId === report.id);
    return end?.reason === 'udp-timeout';
  });
}

/**
 * A frame's summary without what each kernel picks for itself: a VXLAN packet's outer UDP source
 * port (udp_flow_src_port hashes the inner flow with a secret drawn at boot), and the partial UDP
 * checksum a veth capture shows before offload fills it in ("bad UDP checksum").
 */
export const summaryOf = (text: string): string => text.replace(' [bad UDP checksum]', '').replace(/(UDP [\d.]+):\d+ → ([\d.]+:(?:8472|4789)\b)/, '$1:* → $2');

const UDP_SOURCE_PORT = /^UDP [\d.]+:(\d+) →/;

/** A summary with the source port a socket was given by its kernel (bound to port 0) written as "<ephemeral>", wherever it appears. */
function withoutEphemeral(summary: string, port: number | undefined): string {
  return port === undefined ? summary : summary.replace(new RegExp(`:${port}\\b`, 'g'), ':<ephemeral>');
}

/**
 * The source port each kernel picked for action `index`'s datagram, when the scenario leaves it to
 * the kernel (a UDP action without sourcePort: inet_hash_connect's pick on Linux, the simulator's own).
 */
export function ephemeralPorts(experiment: Experiment, result: LabResult, index: number, endpoints: readonly string[]): { sim?: number; kernel?: number } {
  const action = experiment.sim.scenario.traffic[index]!;
  if (action.do !== 'udp' || action.sourcePort !== undefined) return {};
  const portOf = (frames: Uint8Array[]) => frames.map((f) => UDP_SOURCE_PORT.exec(describeFrame(f).summary)?.[1]).find((p) => p !== undefined);
  const sim = portOf(simSent(experiment, index, action.from));
  const kernel = portOf(endpoints.filter((e) => e.startsWith(`${action.from}:`)).flatMap((e) => (result.actions[index]!.frames[e] ?? []).filter((f) => f.dir === 'out').map((f) => bytes(f.hex))));
  return { ...(sim ? { sim: Number(sim) } : {}), ...(kernel ? { kernel: Number(kernel) } : {}) };
}

/** What `endpoint` received in action `index`, as [summary, addressed to another MAC], sorted. */
export function kernelReceptions(result: LabResult, index: number, endpoint: string, ephemeral?: number, skip?: (endpoint: string, frame: Uint8Array) => boolean): Array<[string, boolean]> {
  return (result.actions[index]!.frames[endpoint] ?? [])
    .filter((f) => f.dir === 'in' && !skip?.(endpoint, bytes(f.hex)))
    .map((f): [string, boolean] => [withoutEphemeral(summaryOf(describeFrame(bytes(f.hex)).summary), ephemeral), f.pkttype === PACKET_OTHERHOST])
    .sort();
}

export function simReceptions(experiment: Experiment, index: number, endpoint: string, ephemeral?: number): Array<[string, boolean]> {
  const at = endpoint.lastIndexOf(':');
  const [device, port] = [endpoint.slice(0, at), endpoint.slice(at + 1)];
  return (experiment.report.actions[index]!.receivedBy[device] ?? [])
    .filter((r) => r.port === port)
    .map((r): [string, boolean] => [withoutEphemeral(summaryOf(r.frame), ephemeral), r.reason === 'not-for-me'])
    .sort();
}

/** Every endpoint's receptions in action `index` that differ between the lab and the simulator, as "endpoint: kernel ≠ simulator" (none when they agree). */
export function receptionDifferences(experiment: Experiment, result: LabResult, index: number, endpoints: readonly string[], skip?: (endpoint: string, frame: Uint8Array) => boolean): string[] {
  const scenario = experiment.sim.scenario;
  const ports = ephemeralPorts(experiment, result, index, endpoints);
  const differences: string[] = [];
  for (const endpoint of endpoints) {
    const flagged = stackNic(scenario, endpoint);
    const kernel = JSON.stringify(receptionsComparable(kernelReceptions(result, index, endpoint, ports.kernel, skip), flagged));
    const sim = JSON.stringify(receptionsComparable(simReceptions(experiment, index, endpoint, ports.sim), flagged));
    if (kernel !== sim) differences.push(`${endpoint}: kernel ${kernel} ≠ simulator ${sim}`);
  }
  return differences;
}

/**
 * Makes a built lab's neighbour caches as the simulator's, which has no NUD states: an entry in use
 * is never re-confirmed, where Linux sends a unicast probe 5 s after using a STALE one
 * (delay_first_probe_time). Set to 60 s on every interface, so that no such probe lands in a later
 * action of a lab that runs its actions back to back.
 */
export async function quietNeighbourProbes(lab: { netns: Record<string, string> }, scenario: Scenario): Promise<void> {
  const ipDevices = scenario.devices.filter((d) => d.kind === 'host' || d.kind === 'router').map((d) => d.id);
  await Promise.all(ipDevices.map((id) => runAsync('ip', ['netns', 'exec', lab.netns[id]!, 'sh', '-c', 'for f in /proc/sys/net/ipv4/neigh/*/delay_first_probe_time; do echo 60 > "$f"; done'])));
}

/**
 * Is the endpoint a NIC whose own stack takes its frames (so that "addressed to another MAC" means
 * something), not a bridge's or hub's port, nor a macvlan or ipvlan parent (whose rx_handler hands
 * its children their frames: a capture on the parent sees them as PACKET_OTHERHOST, eth_type_trans's
 * word for a MAC not the parent's, yet they are taken)?
 */
export function stackNic(scenario: Scenario, endpoint: string): boolean {
  const at = endpoint.lastIndexOf(':');
  const device = scenario.devices.find((d) => d.id === endpoint.slice(0, at));
  const parent = scenario.devices.some((d) => (d.kind === 'host' || d.kind === 'router') && d.nics.some((n) => (n.macvlan ?? n.ipvlan)?.parent === endpoint));
  return (device?.kind === 'host' || device?.kind === 'router') && !parent && !device.bridges?.some((b) => b.ports.includes(endpoint.slice(at + 1)));
}

/** Receptions as compared: on a bridge's or hub's port, which takes every frame, the frames only. */
export function receptionsComparable(list: Array<[string, boolean]>, flagged: boolean): Array<[string, boolean]> {
  return flagged ? list : list.map(([frame]) => [frame, false]);
}

/** Every link end of the scenario, and every macvlan or ipvlan child (on no link, but an interface a capture can watch). */
export function labEndpoints(scenario: Scenario): string[] {
  const children = scenario.devices.flatMap((d) => (d.kind === 'host' || d.kind === 'router' ? d.nics.filter((n) => n.macvlan || n.ipvlan).map((n) => `${d.id}:${n.port}`) : []));
  return [...scenario.links.flatMap((l) => [l.a, l.b]), ...children];
}

/** Runs `task` on every item, at most `limit` at a time: labs that wait (pings, ARP probes) overlap. */
export async function inParallel<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The labs of one test file, started together (`limit` at a time) by a file-level beforeAll, each
 * describe awaiting its own in its beforeAll: a lab that waits (a ping's timeout, ARP's probes, a
 * settle) no longer holds the others up. A lab that fails fails its own describe only. `destroyAll`
 * (a file-level afterAll) takes every lab down at once, and fails if a namespace is left behind.
 */
export class LabSchedule<T> {
  private readonly jobs = new Map<string, () => Promise<T>>();
  private readonly started = new Map<string, Promise<T>>();

  constructor(private readonly labsOf: (value: T) => ReadonlyArray<{ destroyAsync(): Promise<void>; netns: Record<string, string> }>, private readonly limit = 6) {}

  /** Registers a lab's job; the returned function awaits its result (starting it if startAll has not). */
  add(tag: string, job: () => Promise<T>): () => Promise<T> {
    this.jobs.set(tag, job);
    return () => this.start(tag);
  }

  async startAll(): Promise<void> {
    await inParallel([...this.jobs.keys()], this.limit, async (tag) => {
      await this.start(tag).catch(() => undefined);
    });
  }

  async destroyAll(): Promise<void> {
    const values = await Promise.all([...this.started.values()].map((promise) => promise.catch(() => undefined)));
    await destroyLabs(values.flatMap((value) => (value === undefined ? [] : this.labsOf(value))));
  }

  private start(tag: string): Promise<T> {
    let promise = this.started.get(tag);
    if (promise === undefined) {
      promise = this.jobs.get(tag)!();
      promise.catch(() => undefined);
      this.started.set(tag, promise);
    }
    return promise;
  }
}
