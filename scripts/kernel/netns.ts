// Builds a chapter scenario of hosts around one Linux bridge for real (network namespaces, veth pairs, a bridge), runs scripts/kernel/lab.py in it and tears it all down.
// buildRoutedLab does the same for hosts and routers joined by point-to-point cables (one namespace per device, IP forwarding on in routers);
// buildNamespaceLab for the namespace model (format v2): hosts and routers, their bridge net devices, veth pairs and cables.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitEndpoint, type BridgeSpec, type HostNicSpec, type HostSpec, type RouterSpec, type Scenario } from '../../src/sim/scenario/format';

const LAB_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'lab.py');
/** Every namespace a lab creates is called `vnt<pid>-<device>`, so a crashed run's leftovers can be found again. */
const NAME_PATTERN = /^vnt(\d+)-\S+/;

export interface CommandResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; never throws (a missing program is a failed result). */
export function tryRun(command: string, args: readonly string[], input?: string): CommandResult {
  const result = spawnSync(command, args, { input, encoding: 'utf8', timeout: 20_000 });
  const stderr = result.error ? String(result.error.message) : (result.stderr ?? '');
  return { ok: !result.error && result.status === 0, stdout: result.stdout ?? '', stderr };
}

/** Runs a command and returns its stdout; throws with the command line and its stderr if it fails. */
export function run(command: string, args: readonly string[], input?: string): string {
  const result = tryRun(command, args, input);
  if (!result.ok) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr.trim() || 'no message'}`);
  return result.stdout;
}

/** `ip` inside namespace `netns`. */
function ipIn(netns: string, ...args: string[]): string {
  return run('ip', ['-n', netns, ...args]);
}

/** The prefix for this process's namespaces. */
export function labPrefix(): string {
  return `vnt${process.pid}`;
}

/** Why real namespaces cannot be used here (not root, no `ip`, no python3, no netns/veth/bridge), or null when they can. */
export function kernelLabUnavailable(): string | null {
  if (process.platform !== 'linux') return `needs Linux, this is ${process.platform}`;
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces';
  if (!tryRun('ip', ['-V']).ok) return 'the `ip` command (iproute2) is not installed';
  if (!tryRun('bridge', ['-V']).ok) return 'the `bridge` command (iproute2) is not installed';
  if (!tryRun('python3', ['-c', 'import socket; socket.AF_PACKET']).ok) return 'python3 with AF_PACKET sockets is not available';
  const probe = `${labPrefix()}-probe`;
  tryRun('ip', ['netns', 'del', probe]);
  try {
    const steps: Array<[string, string[]]> = [
      ['create a network namespace', ['netns', 'add', probe]],
      ['create a veth pair', ['-n', probe, 'link', 'add', 'vp0', 'type', 'veth', 'peer', 'name', 'vp1']],
      ['create a bridge', ['-n', probe, 'link', 'add', 'vbr', 'type', 'bridge']],
      ['attach a veth to a bridge', ['-n', probe, 'link', 'set', 'vp0', 'master', 'vbr']],
    ];
    for (const [what, args] of steps) {
      const result = tryRun('ip', args);
      if (!result.ok) return `cannot ${what}: ${result.stderr.trim()}`;
    }
    return null;
  } finally {
    tryRun('ip', ['netns', 'del', probe]);
  }
}

/** Deletes namespaces left by earlier runs whose process is gone (and this process's own). */
export function removeLeftovers(): string[] {
  const removed: string[] = [];
  for (const line of run('ip', ['netns', 'list']).split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const match = NAME_PATTERN.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid !== process.pid && existsSync(`/proc/${pid}`)) continue; // a concurrent run's: not ours to touch
    if (tryRun('ip', ['netns', 'del', name]).ok) removed.push(name);
  }
  return removed;
}

/** A frame as a capture socket saw it: "out" = sent by the host, "in" = arrived (pkttype 0 host, 1 broadcast, 3 other host). */
export interface CapturedFrame {
  dir: 'in' | 'out';
  pkttype: number;
  /** Seconds from the start of the action to the kernel's timestamp of the frame (SO_TIMESTAMPNS). */
  t?: number;
  /** The frame as on the wire (an 802.1Q tag the kernel had moved into metadata is put back). */
  hex: string;
}

export type LabAction =
  | { kind: 'raw'; from: string; frame: string; settle?: number }
  /** Several raw frames from one interface, `gap` seconds apart (default 0.02), captured as one action; `settle` overrides the run's. */
  | { kind: 'frames'; from: string; frames: string[]; gap?: number; settle?: number }
  /** `pmtudisc` sets IP_MTU_DISCOVER as `ping -M` does; a send the kernel refuses ends the action with ok false and ping's words in `note`. */
  | { kind: 'ping'; from: string; to: string; icmp: string; timeout?: number; pmtudisc?: 'want' | 'do' | 'dont'; settle?: number }
  /** One UDP datagram from a socket bound to `sourcePort` (`payload` in hex). */
  | { kind: 'udp'; from: string; to: string; port: number; sourcePort: number; payload: string; settle?: number };

export interface LabActionResult {
  ok: boolean;
  note: string;
  frames: Record<string, CapturedFrame[]>;
}

export interface LabResult {
  /** Frames captured before the first action: none if the setup is quiet. */
  before: Record<string, CapturedFrame[]>;
  actions: LabActionResult[];
}

export interface FdbEntry {
  mac: string;
  port: string;
}

export interface BridgeLab {
  /** Host id → its namespace. */
  hostNetns: Record<string, string>;
  bridgeNetns: string;
  /** Runs the actions one after another, capturing on every host's interface; `settle` seconds after each. */
  run(actions: readonly LabAction[], settle?: number): LabResult;
  /** The bridge's learned (not permanent, not self) entries, as `bridge fdb show` lists them. */
  fdb(): FdbEntry[];
  destroy(): void;
}

interface Topology {
  bridge: BridgeSpec;
  /** Host NICs in bridge port order. */
  attachments: Array<{ host: HostSpec; nic: string; mac: string; ip?: string; port: string }>;
}

/** Checks that the scenario is hosts with one cable each to a single bridge, the shape this lab can build. */
function topology(scenario: Scenario): Topology {
  const bridges = scenario.devices.filter((d): d is BridgeSpec => d.kind === 'bridge');
  const others = scenario.devices.filter((d) => d.kind !== 'bridge' && d.kind !== 'host');
  if (bridges.length !== 1 || others.length > 0) throw new Error(`${scenario.id}: the lab builds hosts around exactly one bridge`);
  const bridge = bridges[0]!;
  const attachments: Topology['attachments'] = [];
  for (const link of scenario.links) {
    const [a, b] = [splitEndpoint(link.a), splitEndpoint(link.b)];
    const [hostEnd, bridgeEnd] = a.device === bridge.id ? [b, a] : [a, b];
    if (bridgeEnd.device !== bridge.id) throw new Error(`${scenario.id}: cable ${link.a} – ${link.b} does not reach the bridge`);
    const host = scenario.devices.find((d): d is HostSpec => d.id === hostEnd.device && d.kind === 'host');
    const nic = host?.nics.find((n) => n.port === hostEnd.port);
    if (!host || !nic) throw new Error(`${scenario.id}: ${hostEnd.device}:${hostEnd.port} is not a host NIC`);
    attachments.push({ host, nic: nic.port, mac: nic.mac, ...(nic.ip ? { ip: nic.ip } : {}), port: bridgeEnd.port });
  }
  attachments.sort((x, y) => bridge.ports.indexOf(x.port) - bridge.ports.indexOf(y.port));
  return { bridge, attachments };
}

/** Quiet namespace: no IPv6 at all (no router solicitation, MLD or DAD frames), set before any link exists. */
function addQuietNetns(name: string): void {
  run('ip', ['netns', 'add', name]);
  run('ip', ['netns', 'exec', name, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A capture point of the lab script: an interface in a namespace. */
interface CapturePoint {
  netns: string;
  ifname: string;
}

/** Each endpoint "<device>:<port>" as a capture point: that port's interface in its device's namespace. */
function captureAt(endpoints: readonly string[], netns: Readonly<Record<string, string>>): Record<string, CapturePoint> {
  return Object.fromEntries(
    endpoints.map((endpoint) => {
      const { device, port } = splitEndpoint(endpoint);
      return [endpoint, { netns: netns[device]!, ifname: port }];
    }),
  );
}

/** Runs the actions in a built lab (lab.py): what each capture point sent and received, and how each action ended. */
function runLab(points: Record<string, CapturePoint>, actions: unknown, settle: number): LabResult {
  return JSON.parse(run('python3', [LAB_SCRIPT], JSON.stringify({ hosts: points, actions, settle }))) as LabResult;
}

/**
 * Builds the scenario: one namespace per host with its NIC (the scenario's name, MAC and IPv4/prefix),
 * one namespace for the bridge with a veth port per cable (the scenario's port names), attached in
 * port order, ageing time from the scenario. Returns once every port forwards.
 */
export function buildBridgeLab(scenario: Scenario, prefix = labPrefix()): BridgeLab {
  const { bridge, attachments } = topology(scenario);
  const bridgeNetns = `${prefix}-${bridge.id}`;
  const hostNetns: Record<string, string> = Object.fromEntries(attachments.map((a) => [a.host.id, `${prefix}-${a.host.id}`]));
  const created: string[] = [];
  const destroy = (): void => {
    for (const name of created.splice(0).reverse()) tryRun('ip', ['netns', 'del', name]);
  };
  try {
    for (const name of [bridgeNetns, ...Object.values(hostNetns)]) {
      addQuietNetns(name);
      created.push(name);
    }
    // No STP (no BPDUs), as the scenario's bridge. No multicast snooping either: with it on, the bridge
    // device itself joins 224.0.0.106 (multicast router discovery) and sends IGMPv3 reports from its own
    // MAC out of every port a moment after it comes up; the scenario has no such traffic.
    const bridgeArgs = ['link', 'add', bridge.id, 'type', 'bridge', 'stp_state', '0', 'mcast_snooping', '0'];
    // ip takes the ageing time in centiseconds (USER_HZ); the scenario gives seconds.
    if (bridge.ageingTime !== undefined) bridgeArgs.push('ageing_time', String(Math.round(bridge.ageingTime * 100)));
    ipIn(bridgeNetns, ...bridgeArgs);
    for (const a of attachments) {
      const ns = hostNetns[a.host.id]!;
      ipIn(bridgeNetns, 'link', 'add', a.port, 'type', 'veth', 'peer', 'name', a.nic, 'netns', ns);
      ipIn(ns, 'link', 'set', a.nic, 'address', a.mac);
      if (a.ip) ipIn(ns, 'addr', 'add', a.ip, 'dev', a.nic);
      ipIn(bridgeNetns, 'link', 'set', a.port, 'master', bridge.id);
    }
    ipIn(bridgeNetns, 'link', 'set', bridge.id, 'up');
    for (const a of attachments) ipIn(bridgeNetns, 'link', 'set', a.port, 'up');
    for (const a of attachments) ipIn(hostNetns[a.host.id]!, 'link', 'set', a.nic, 'up');
    waitUntilForwarding(bridgeNetns, attachments.map((a) => a.port));
  } catch (error) {
    destroy();
    throw error;
  }

  return {
    hostNetns,
    bridgeNetns,
    run: (actions, settle = 0.1) => runLab(Object.fromEntries(attachments.map((a) => [a.host.id, { netns: hostNetns[a.host.id]!, ifname: a.nic }])), actions, settle),
    fdb() {
      const rows = JSON.parse(run('bridge', ['-n', bridgeNetns, '-j', 'fdb', 'show', 'br', bridge.id])) as Array<{
        mac: string;
        ifname: string;
        flags?: string[];
        state?: string;
      }>;
      return rows
        .filter((r) => r.state !== 'permanent' && !(r.flags ?? []).includes('self'))
        .map((r) => ({ mac: r.mac.toLowerCase(), port: r.ifname }));
    },
    destroy,
  };
}

/** Polls `bridge link` until every port is in state forwarding (STP is off, so that is as soon as its carrier is up). */
function waitUntilForwarding(netns: string, ports: readonly string[], timeoutMs = 5000): void {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const links = JSON.parse(run('bridge', ['-n', netns, '-j', 'link', 'show'])) as Array<{ ifname: string; state?: string }>;
    const waiting = ports.filter((p) => links.find((l) => l.ifname === p)?.state !== 'forwarding');
    if (waiting.length === 0) return;
    if (Date.now() > deadline) throw new Error(`bridge ports ${waiting.join(', ')} are not forwarding after ${timeoutMs} ms`);
    sleepMs(10);
  }
}

// ---------------------------------------------------------------------------------------------
// Hosts and routers joined by cables: one namespace per device, one veth pair per cable.

/** Why 802.1Q sub-interfaces (Linux `eth0.10`, the 8021q driver) cannot be made here, or null when they can. */
export function vlanUnavailable(): string | null {
  const probe = `${labPrefix()}-vprobe`;
  tryRun('ip', ['netns', 'del', probe]);
  try {
    const steps: Array<[string, string[]]> = [
      ['create a network namespace', ['netns', 'add', probe]],
      ['create a veth pair', ['-n', probe, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth1']],
    ];
    for (const [what, args] of steps) {
      const result = tryRun('ip', args);
      if (!result.ok) return `cannot ${what}: ${result.stderr.trim()}`;
    }
    const vlan = tryRun('ip', ['-n', probe, 'link', 'add', 'link', 'eth0', 'name', 'eth0.10', 'type', 'vlan', 'id', '10']);
    if (!vlan.ok) return `this kernel has no 802.1Q (8021q) support: \`ip link add link eth0 name eth0.10 type vlan id 10\` fails with "${vlan.stderr.trim()}"`;
    return null;
  } finally {
    tryRun('ip', ['netns', 'del', probe]);
  }
}

/** Why a Linux bridge cannot filter VLANs here (`vlan_filtering 1`), or null when it can. */
export function bridgeVlanFilteringUnavailable(): string | null {
  const probe = `${labPrefix()}-bprobe`;
  tryRun('ip', ['netns', 'del', probe]);
  try {
    const ns = tryRun('ip', ['netns', 'add', probe]);
    if (!ns.ok) return `cannot create a network namespace: ${ns.stderr.trim()}`;
    const bridge = tryRun('ip', ['-n', probe, 'link', 'add', 'br0', 'type', 'bridge', 'vlan_filtering', '1']);
    if (!bridge.ok) return `this kernel's bridge has no VLAN filtering: \`ip link add br0 type bridge vlan_filtering 1\` fails with "${bridge.stderr.trim()}"`;
    return null;
  } finally {
    tryRun('ip', ['netns', 'del', probe]);
  }
}

/** A neighbour (ARP) entry as `ip neigh` lists it, with a link-layer address. */
export interface NeighbourEntry {
  ip: string;
  mac: string;
  dev: string;
  state: string[];
}

/** A row of `ip -4 neigh show`, resolved or not: FAILED and INCOMPLETE entries have no link-layer address. */
export interface NeighbourRow {
  ip: string;
  dev: string;
  mac?: string;
  state: string[];
}

/** Every IPv4 neighbour entry in namespace `netns`, including those `RoutedLab.neighbours` leaves out (no MAC: FAILED, INCOMPLETE). */
export function neighbourTable(netns: string): NeighbourRow[] {
  const rows = JSON.parse(run('ip', ['-n', netns, '-j', '-4', 'neigh', 'show'])) as Array<{ dst: string; dev: string; lladdr?: string; state?: string[] }>;
  return rows.map((r) => ({ ip: r.dst, dev: r.dev, ...(r.lladdr ? { mac: r.lladdr.toLowerCase() } : {}), state: r.state ?? [] }));
}

/** Sets IPv4 sysctls (`net.ipv4.conf.all.rp_filter=0`, ...) in namespace `netns`. */
export function setSysctls(netns: string, settings: Record<string, string | number>): void {
  run('ip', ['netns', 'exec', netns, 'sysctl', '-qw', ...Object.entries(settings).map(([key, value]) => `${key}=${value}`)]);
}

export interface RoutedLab {
  /** Device id → its namespace. */
  netns: Record<string, string>;
  /** Every cabled interface, "device:port". */
  endpoints: string[];
  /** Runs the actions one after another, capturing on every cabled interface; `from` and the frame keys are "device:port". */
  run(actions: readonly LabAction[], settle?: number): LabResult;
  /** The device's resolved neighbours (entries without a link-layer address are left out). */
  neighbours(device: string): NeighbourEntry[];
  destroy(): void;
}

type IpDevice = HostSpec | RouterSpec;

function nicOf(device: IpDevice, port: string): HostNicSpec | undefined {
  return device.nics.find((n) => n.port === port);
}

/**
 * Builds a scenario of hosts and routers whose cables join two NICs directly: one namespace per
 * device (no IPv6; lo up; ip_forward 1 in routers, 0 in hosts), a veth pair per cable named after
 * the two ports, the scenario's MACs and addresses, 802.1Q sub-interfaces (`eth0.10`, needs 8021q),
 * each host's default gateway and each router's static routes.
 */
export function buildRoutedLab(scenario: Scenario, prefix = labPrefix()): RoutedLab {
  const devices = new Map<string, IpDevice>();
  for (const d of scenario.devices) {
    if (d.kind !== 'host' && d.kind !== 'router') throw new Error(`${scenario.id}: the routed lab builds hosts and routers only, not ${d.kind} ${d.id}`);
    devices.set(d.id, d);
  }
  const netns: Record<string, string> = Object.fromEntries([...devices.keys()].map((id) => [id, `${prefix}-${id}`]));
  const cables = scenario.links.map((link) => {
    const ends = [splitEndpoint(link.a), splitEndpoint(link.b)] as const;
    for (const end of ends) {
      if (!nicOf(devices.get(end.device)!, end.port)) throw new Error(`${scenario.id}: ${end.device}:${end.port} is not a NIC`);
    }
    return ends;
  });
  const endpoints = cables.flatMap(([a, b]) => [`${a.device}:${a.port}`, `${b.device}:${b.port}`]);
  const created: string[] = [];
  const destroy = (): void => {
    for (const name of created.splice(0).reverse()) tryRun('ip', ['netns', 'del', name]);
  };
  try {
    for (const [id, device] of devices) {
      const ns = netns[id]!;
      addQuietNetns(ns);
      created.push(ns);
      run('ip', ['netns', 'exec', ns, 'sysctl', '-qw', `net.ipv4.ip_forward=${device.kind === 'router' ? 1 : 0}`]);
      ipIn(ns, 'link', 'set', 'lo', 'up');
    }
    for (const [a, b] of cables) ipIn(netns[a.device]!, 'link', 'add', a.port, 'type', 'veth', 'peer', 'name', b.port, 'netns', netns[b.device]!);
    const cabled = new Set(endpoints);
    for (const [id, device] of devices) {
      const ns = netns[id]!;
      for (const nic of device.nics) {
        if (!cabled.has(`${id}:${nic.port}`)) continue;
        ipIn(ns, 'link', 'set', nic.port, 'address', nic.mac);
        if (nic.mtu !== undefined) ipIn(ns, 'link', 'set', nic.port, 'mtu', String(nic.mtu));
        if (nic.ip) ipIn(ns, 'addr', 'add', nic.ip, 'dev', nic.port);
        ipIn(ns, 'link', 'set', nic.port, 'up');
        for (const sub of nic.vlans ?? []) {
          const name = `${nic.port}.${sub.vlan}`;
          ipIn(ns, 'link', 'add', 'link', nic.port, 'name', name, 'type', 'vlan', 'id', String(sub.vlan));
          if (sub.mtu !== undefined) ipIn(ns, 'link', 'set', name, 'mtu', String(sub.mtu));
          ipIn(ns, 'addr', 'add', sub.ip, 'dev', name);
          ipIn(ns, 'link', 'set', name, 'up');
        }
      }
      if (device.kind === 'host' && device.gateway) ipIn(ns, 'route', 'add', 'default', 'via', device.gateway);
      if (device.kind === 'router') for (const route of device.routes ?? []) ipIn(ns, 'route', 'add', route.to === '0.0.0.0/0' ? 'default' : route.to, 'via', route.via);
    }
  } catch (error) {
    destroy();
    throw error;
  }
  return {
    netns,
    endpoints,
    run: (actions, settle = 0.1) => runLab(captureAt(endpoints, netns), actions, settle),
    neighbours(device) {
      const rows = JSON.parse(run('ip', ['-n', netns[device]!, '-j', '-4', 'neigh', 'show'])) as Array<{ dst: string; dev: string; lladdr?: string; state?: string[] }>;
      return rows.filter((r) => r.lladdr).map((r) => ({ ip: r.dst, mac: r.lladdr!.toLowerCase(), dev: r.dev, state: r.state ?? [] }));
    },
    destroy,
  };
}

// ---------------------------------------------------------------------------------------------
// A bridge with its own interface: br0 with a MAC and an address, hosts on its ports.

/** An entry of `bridge fdb show`, with the flags that tell a learned entry from the bridge's own. */
export interface FdbRow {
  mac: string;
  /** The port, or the bridge itself for an entry on the bridge device (its own MAC). */
  dev: string;
  permanent: boolean;
  /** Listed by the device's own address lists (`self`), not by the bridge's FDB. */
  self: boolean;
}

/** The IPv4 settings of `dev` the simulator models: no reverse-path filter, ARP answered for any local address, no learning from unsolicited replies, any source in ARP requests. */
function ipv4Conf(dev: string): string[] {
  return ['rp_filter', 'arp_ignore', 'arp_accept', 'arp_announce'].map((key) => `net.ipv4.conf.${dev}.${key}=0`);
}

export interface BridgeLocalLab {
  /** Device id (the bridge's too) → its namespace. */
  netns: Record<string, string>;
  /** Where frames are captured: "host:nic", "bridge:port" for each port, and "bridge" for the bridge device (br0) itself. */
  endpoints: string[];
  /** Runs the actions one after another; `from` is "host:nic", or the bridge's id for its own interface. */
  run(actions: readonly LabAction[], settle?: number): LabResult;
  /** Every row of `bridge fdb show br <bridge>`. */
  fdb(): FdbRow[];
  destroy(): void;
}

/**
 * Builds hosts around one bridge that has a local interface (`local`): the bridge's namespace holds
 * the bridge device, named after the bridge, with the scenario's MAC and address, and a veth port
 * per cable; each host has its own namespace, as in buildBridgeLab. No STP, no multicast snooping,
 * no IPv6, ip_forward 0 and the IPv4 ARP and reverse-path settings the simulator models (rp_filter 0,
 * arp_ignore 0, arp_accept 0, arp_announce 0) everywhere, set rather than inherited.
 */
export function buildBridgeLocalLab(scenario: Scenario, prefix = labPrefix()): BridgeLocalLab {
  const { bridge, attachments } = topology(scenario);
  if (!bridge.local) throw new Error(`${scenario.id}: bridge ${bridge.id} has no local interface`);
  const netns: Record<string, string> = { [bridge.id]: `${prefix}-${bridge.id}`, ...Object.fromEntries(attachments.map((a) => [a.host.id, `${prefix}-${a.host.id}`])) };
  const bridgeNetns = netns[bridge.id]!;
  const endpoints = [...attachments.map((a) => `${a.host.id}:${a.nic}`), ...attachments.map((a) => `${bridge.id}:${a.port}`), bridge.id];
  const created: string[] = [];
  const destroy = (): void => {
    for (const name of created.splice(0).reverse()) tryRun('ip', ['netns', 'del', name]);
  };
  try {
    for (const ns of Object.values(netns)) {
      addQuietNetns(ns);
      created.push(ns);
      // all and default now; each interface's own keys once it exists (below). Effective rp_filter is max(all, interface).
      run('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.ip_forward=0', ...['all', 'default'].flatMap(ipv4Conf)]);
      ipIn(ns, 'link', 'set', 'lo', 'up');
    }
    ipIn(bridgeNetns, 'link', 'add', bridge.id, 'type', 'bridge', 'stp_state', '0', 'mcast_snooping', '0');
    // Set before any port joins: an address set by hand (NET_ADDR_SET) is kept, where Linux would otherwise take the lowest port MAC.
    ipIn(bridgeNetns, 'link', 'set', bridge.id, 'address', bridge.local.mac);
    if (bridge.ageingTime !== undefined) ipIn(bridgeNetns, 'link', 'set', bridge.id, 'type', 'bridge', 'ageing_time', String(Math.round(bridge.ageingTime * 100)));
    for (const a of attachments) {
      const ns = netns[a.host.id]!;
      ipIn(bridgeNetns, 'link', 'add', a.port, 'type', 'veth', 'peer', 'name', a.nic, 'netns', ns);
      ipIn(ns, 'link', 'set', a.nic, 'address', a.mac);
      if (a.ip) ipIn(ns, 'addr', 'add', a.ip, 'dev', a.nic);
      ipIn(bridgeNetns, 'link', 'set', a.port, 'master', bridge.id);
    }
    ipIn(bridgeNetns, 'addr', 'add', bridge.local.ip, 'dev', bridge.id);
    run('ip', ['netns', 'exec', bridgeNetns, 'sysctl', '-qw', ...ipv4Conf(bridge.id)]);
    for (const a of attachments) run('ip', ['netns', 'exec', netns[a.host.id]!, 'sysctl', '-qw', ...ipv4Conf(a.nic)]);
    ipIn(bridgeNetns, 'link', 'set', bridge.id, 'up');
    for (const a of attachments) ipIn(bridgeNetns, 'link', 'set', a.port, 'up');
    for (const a of attachments) ipIn(netns[a.host.id]!, 'link', 'set', a.nic, 'up');
    waitUntilForwarding(bridgeNetns, attachments.map((a) => a.port));
  } catch (error) {
    destroy();
    throw error;
  }
  return {
    netns,
    endpoints,
    // br0 itself is a capture point too, in the bridge's namespace.
    run: (actions, settle = 0.1) => runLab({ ...captureAt(endpoints.filter((e) => e !== bridge.id), netns), [bridge.id]: { netns: bridgeNetns, ifname: bridge.id } }, actions, settle),
    fdb() {
      const rows = JSON.parse(run('bridge', ['-n', bridgeNetns, '-j', 'fdb', 'show', 'br', bridge.id])) as Array<{ mac: string; ifname: string; flags?: string[]; state?: string }>;
      return rows.map((r) => ({ mac: r.mac.toLowerCase(), dev: r.ifname, permanent: r.state === 'permanent', self: (r.flags ?? []).includes('self') }));
    },
    destroy,
  };
}

// ---------------------------------------------------------------------------------------------
// The namespace model (format v2): each host or router is a namespace, with its bridge net devices.

export interface NamespaceLab {
  /** Device id → its namespace. */
  netns: Record<string, string>;
  /** Where frames are captured: every linked NIC ("device:port") and every bridge device ("device:br0"). */
  endpoints: string[];
  /** Runs the actions one after another; `from` is an endpoint of the sending namespace. */
  run(actions: readonly LabAction[], settle?: number): LabResult;
  /** Every row of `bridge fdb show br <bridge>` in the device's namespace. */
  fdb(device: string, bridge: string): FdbRow[];
  /** Every row of `bridge fdb show dev <vxlan>` in the device's namespace (a VXLAN device's own FDB). */
  vxlanFdb(device: string, vxlan: string): VxlanFdbRow[];
  destroy(): void;
}

/** A row of a VXLAN device's FDB (`bridge fdb show dev vxlan0`): its remote, and whether it was installed (`permanent`) or learned. */
export interface VxlanFdbRow {
  mac: string;
  dst: string;
  permanent: boolean;
}

/**
 * Builds a v2 scenario of hosts and routers: one namespace per device (no IPv6; lo up; ip_forward 1
 * in routers, 0 in hosts; the IPv4 ARP and reverse-path settings the simulator models on every
 * interface), a veth pair per link — a `veth` link is one by definition, a cable is stood in for by
 * one, as in the other labs — named after the two ports, the scenario's MACs, MTUs and addresses,
 * each bridge net device (no STP, no multicast snooping, its MAC set before any port joins, its
 * ports enslaved, its address), each host's default gateway and each router's static routes.
 * Returns once every bridge port forwards.
 */
export function buildNamespaceLab(scenario: Scenario, prefix = labPrefix()): NamespaceLab {
  const devices = new Map<string, IpDevice>();
  for (const d of scenario.devices) {
    if (d.kind !== 'host' && d.kind !== 'router') throw new Error(`${scenario.id}: the namespace lab builds hosts and routers only, not ${d.kind} ${d.id}`);
    devices.set(d.id, d);
  }
  const netns: Record<string, string> = Object.fromEntries([...devices.keys()].map((id) => [id, `${prefix}-${id}`]));
  const pairs = scenario.links.map((link) => {
    const ends = [splitEndpoint(link.a), splitEndpoint(link.b)] as const;
    for (const end of ends) if (!nicOf(devices.get(end.device)!, end.port)) throw new Error(`${scenario.id}: ${end.device}:${end.port} is not a NIC`);
    return ends;
  });
  const linked = new Set(pairs.flatMap(([a, b]) => [`${a.device}:${a.port}`, `${b.device}:${b.port}`]));
  const endpoints = [...linked, ...[...devices.values()].flatMap((d) => [...(d.bridges ?? []).map((b) => `${d.id}:${b.name}`), ...(d.vxlans ?? []).map((x) => `${d.id}:${x.name}`)])];
  const created: string[] = [];
  const destroy = (): void => {
    for (const name of created.splice(0).reverse()) tryRun('ip', ['netns', 'del', name]);
  };
  try {
    for (const [id, device] of devices) {
      const ns = netns[id]!;
      addQuietNetns(ns);
      created.push(ns);
      run('ip', ['netns', 'exec', ns, 'sysctl', '-qw', `net.ipv4.ip_forward=${device.kind === 'router' ? 1 : 0}`, ...['all', 'default'].flatMap(ipv4Conf)]);
      ipIn(ns, 'link', 'set', 'lo', 'up');
    }
    for (const [a, b] of pairs) ipIn(netns[a.device]!, 'link', 'add', a.port, 'type', 'veth', 'peer', 'name', b.port, 'netns', netns[b.device]!);
    for (const [id, device] of devices) {
      const ns = netns[id]!;
      for (const bridge of device.bridges ?? []) {
        ipIn(ns, 'link', 'add', bridge.name, 'type', 'bridge', 'stp_state', '0', 'mcast_snooping', '0');
        // Set before any port joins: an address set by hand (NET_ADDR_SET) is kept, where Linux would otherwise take the lowest port MAC.
        ipIn(ns, 'link', 'set', bridge.name, 'address', bridge.mac);
        if (bridge.ageingTime !== undefined) ipIn(ns, 'link', 'set', bridge.name, 'type', 'bridge', 'ageing_time', String(Math.round(bridge.ageingTime * 100)));
        if (bridge.mtu !== undefined) ipIn(ns, 'link', 'set', bridge.name, 'mtu', String(bridge.mtu));
      }
      for (const nic of device.nics) {
        if (!linked.has(`${id}:${nic.port}`)) continue;
        ipIn(ns, 'link', 'set', nic.port, 'address', nic.mac);
        if (nic.mtu !== undefined) ipIn(ns, 'link', 'set', nic.port, 'mtu', String(nic.mtu));
        if (nic.ip) ipIn(ns, 'addr', 'add', nic.ip, 'dev', nic.port);
        const master = device.bridges?.find((b) => b.ports.includes(nic.port));
        if (master) ipIn(ns, 'link', 'set', nic.port, 'master', master.name);
        run('ip', ['netns', 'exec', ns, 'sysctl', '-qw', ...ipv4Conf(nic.port)]);
      }
      // VXLAN devices once their underlay exists (the MTU follows `dev` at creation), then their static FDB (`bridge fdb append`).
      for (const vx of device.vxlans ?? []) {
        const args = ['link', 'add', vx.name, 'type', 'vxlan', 'id', String(vx.vni), 'dstport', String(vx.dstport ?? 8472)];
        if (vx.local !== undefined) args.push('local', vx.local);
        if (vx.dev !== undefined) args.push('dev', vx.dev);
        if (vx.learning === false) args.push('nolearning');
        if (vx.ageing !== undefined) args.push('ageing', String(vx.ageing));
        if (vx.udpcsum === false) args.push('noudpcsum');
        if (vx.mtu !== undefined) args.push('mtu', String(vx.mtu));
        ipIn(ns, ...args);
        ipIn(ns, 'link', 'set', vx.name, 'address', vx.mac);
        if (vx.ip) ipIn(ns, 'addr', 'add', vx.ip, 'dev', vx.name);
        const master = device.bridges?.find((b) => b.ports.includes(vx.name));
        if (master) ipIn(ns, 'link', 'set', vx.name, 'master', master.name);
        for (const entry of vx.fdb ?? []) run('bridge', ['-n', ns, 'fdb', 'append', entry.mac, 'dev', vx.name, 'dst', entry.dst]);
        run('ip', ['netns', 'exec', ns, 'sysctl', '-qw', ...ipv4Conf(vx.name)]);
        ipIn(ns, 'link', 'set', vx.name, 'up');
      }
      for (const bridge of device.bridges ?? []) {
        if (bridge.ip) ipIn(ns, 'addr', 'add', bridge.ip, 'dev', bridge.name);
        run('ip', ['netns', 'exec', ns, 'sysctl', '-qw', ...ipv4Conf(bridge.name)]);
        ipIn(ns, 'link', 'set', bridge.name, 'up');
      }
      for (const nic of device.nics) if (linked.has(`${id}:${nic.port}`)) ipIn(ns, 'link', 'set', nic.port, 'up');
      if (device.kind === 'host' && device.gateway) ipIn(ns, 'route', 'add', 'default', 'via', device.gateway);
      if (device.kind === 'router') for (const route of device.routes ?? []) ipIn(ns, 'route', 'add', route.to === '0.0.0.0/0' ? 'default' : route.to, 'via', route.via);
    }
    for (const [id, device] of devices) for (const bridge of device.bridges ?? []) waitUntilForwarding(netns[id]!, bridge.ports.filter((port) => linked.has(`${id}:${port}`) || device.vxlans?.some((x) => x.name === port)));
  } catch (error) {
    destroy();
    throw error;
  }
  return {
    netns,
    endpoints,
    run: (actions, settle = 0.1) => runLab(captureAt(endpoints, netns), actions, settle),
    fdb(device, bridge) {
      const rows = JSON.parse(run('bridge', ['-n', netns[device]!, '-j', 'fdb', 'show', 'br', bridge])) as Array<{ mac: string; ifname: string; flags?: string[]; state?: string }>;
      return rows.map((r) => ({ mac: r.mac.toLowerCase(), dev: r.ifname, permanent: r.state === 'permanent', self: (r.flags ?? []).includes('self') }));
    },
    vxlanFdb(device, vxlan) {
      const rows = JSON.parse(run('bridge', ['-n', netns[device]!, '-j', 'fdb', 'show', 'dev', vxlan])) as Array<{ mac: string; dst?: string; flags?: string[]; state?: string; master?: string }>;
      // Only the device's own entries (self, with a remote), not the bridge's entries for this port (master br0).
      return rows.filter((r) => r.dst !== undefined && r.master === undefined).map((r) => ({ mac: r.mac.toLowerCase(), dst: r.dst!, permanent: r.state === 'permanent' }));
    },
    destroy,
  };
}
