// The executor of the Linux script a reader copies (src/sim/export/linux-script.ts): every lab here is
// built by running that script's `build` section as root (buildFromScript), torn down by its `cleanup`
// section, and driven in between by scripts/kernel/lab.py (the test's own traffic, captured on every
// interface). So the script the player shows is the one the kernel tests prove.
// buildBridgeLab checks for hosts around one Linux bridge; buildRoutedLab for hosts and routers joined by
// point-to-point cables; buildBridgeLocalLab for a bridge with its own interface; buildNamespaceLab for the
// namespace model (format v2): hosts and routers, their bridge net devices, veth pairs and cables.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { linuxScript } from '../../src/sim/export/linux-script';
import { splitEndpoint, type BridgeSpec, type HostNicSpec, type HostSpec, type RouterSpec, type Scenario } from '../../src/sim/scenario/format';

const LAB_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'lab.py');
/** Every namespace a lab creates is called `vnt<pid>-<device>`, so a crashed run's leftovers can be found again. */
const NAME_PATTERN = /^vnt(\d+)-\S+/;

export interface CommandResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion; never throws (a missing program is a failed result). One that runs
 * longer than `timeout` ms (60 s; a lab's work gets LAB_TIMEOUT_MS) is stopped and fails. 60, not
 * less: the probes that decide whether a file runs at all (can a namespace be made?) run this, and
 * on a 2-core machine busy with the other lanes `ip netns add` once took over 20 s: a slow moment
 * must not read as a missing kernel feature.
 */
export function tryRun(command: string, args: readonly string[], input?: string, timeout = 60_000): CommandResult {
  const result = spawnSync(command, args, { input, encoding: 'utf8', timeout });
  const stderr = result.error ? String(result.error.message) : (result.stderr ?? '');
  return { ok: !result.error && result.status === 0, stdout: result.stdout ?? '', stderr };
}

/**
 * As tryRun, without blocking: so that a test file can build and drive several labs at once, each
 * waiting (for a ping's timeout, an ARP probe, a link) while the others work.
 */
export function tryRunAsync(command: string, args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let failure: string | undefined;
    const timer = setTimeout(() => {
      failure = `timed out after ${options.timeout ?? 60_000} ms`;
      child.kill('SIGKILL');
    }, options.timeout ?? 60_000);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => {
      failure = error.message;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      resolve({ ok: failure === undefined && code === 0, stdout: Buffer.concat(out).toString('utf8'), stderr: failure !== undefined ? `${failure}${stderr ? `: ${stderr}` : ''}` : stderr });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/** As run, without blocking. */
export async function runAsync(command: string, args: readonly string[], input?: string): Promise<string> {
  const result = await tryRunAsync(command, args, { input });
  if (!result.ok) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr.trim() || 'no message'}`);
  return result.stdout;
}

/**
 * python3 as a shell finds it, resolved once to the interpreter itself, whose folder then comes first
 * on PATH for everything the labs run (lab.py, and the scripts' `ip netns exec … python3`). A version
 * manager's shim in between (pyenv's, on the machines these tests run on) starts some twenty shell
 * processes a call: measured, 0.6 s of CPU and 1.2 s on a busy machine each time, against 0.1 s for
 * the interpreter itself, and a run of the kernel tests calls python3 about seventy times.
 */
function resolvePython(): string {
  const found = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8', timeout: 20_000 });
  const path = found.status === 0 ? found.stdout.trim() : '';
  if (!path.startsWith('/') || !existsSync(path)) return 'python3';
  // PATH changes only when the first python3 on it is not the interpreter (a shim): elsewhere its
  // order, and so which `ip` or `bash` the labs run, stays as it was.
  const dirs = (process.env['PATH'] ?? '').split(':');
  const first = dirs.map((dir) => join(dir, 'python3')).find((candidate) => existsSync(candidate));
  if (first === undefined || realpathSync(first) !== realpathSync(path)) process.env['PATH'] = [dirname(path), ...dirs].join(':');
  return path;
}
const PYTHON = resolvePython();

/**
 * How long a lab's work may run: a section of its script (build, traffic, cleanup) or its actions
 * through lab.py. A file's labs are built at once (up to six), each build a few hundred short
 * processes, and on a 2-core machine busy with the other lanes one build took over 60 s and a lab of
 * timed pings over 20 s (the hooks that wait for them allow 240).
 */
const LAB_TIMEOUT_MS = 120_000;

/** Runs a command and returns its stdout; throws with the command line and its stderr if it fails. */
export function run(command: string, args: readonly string[], input?: string, timeout?: number): string {
  const result = tryRun(command, args, input, timeout);
  if (!result.ok) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr.trim() || 'no message'}`);
  return result.stdout;
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
  if (!tryRun(PYTHON, ['-c', 'import socket; socket.AF_PACKET']).ok) return 'python3 with AF_PACKET sockets is not available';
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

/** A lab built by the generated script: its namespaces, and how to take them down (the script's cleanup). */
export interface ScriptLab {
  /** Device id → its namespace ("<prefix>-<id>", as the script names it). */
  netns: Record<string, string>;
  /** The script's file and the environment it runs with (P=prefix). */
  file: string;
  env: Record<string, string>;
  /** The script as run (the reader's copy, byte for byte). */
  text: string;
  /** Runs another section of the script (`traffic`, `tables`, `action 2`…): its stdout. */
  section(...args: string[]): string;
  destroy(): void;
  /** As destroy, without blocking: the labs of a file come down at once. */
  destroyAsync(): Promise<void>;
}

/** The scenario's Linux script saved to a file of its own, and how to run its sections with P=prefix. */
function scriptFile(scenario: Scenario, prefix: string) {
  const script = linuxScript(scenario);
  const dir = mkdtempSync(join(tmpdir(), 'vnet-lab-'));
  const file = join(dir, 'lab.sh');
  writeFileSync(file, script.text);
  const env = { ...process.env, P: prefix };
  const failed = (args: readonly string[], why: string) => new Error(`bash lab.sh ${args.join(' ')} (${scenario.id}) failed: ${why}`);
  const section = (...args: string[]): string => {
    const result = spawnSync('bash', [file, ...args], { encoding: 'utf8', env, timeout: LAB_TIMEOUT_MS });
    if (result.error || result.status !== 0) throw failed(args, result.error?.message ?? result.stderr.trim() ?? 'no message');
    return result.stdout;
  };
  const sectionAsync = async (...args: string[]): Promise<string> => {
    const result = await tryRunAsync('bash', [file, ...args], { env, timeout: LAB_TIMEOUT_MS });
    if (!result.ok) throw failed(args, result.stderr.trim() || 'no message');
    return result.stdout;
  };
  const destroy = (): void => {
    spawnSync('bash', [file, 'cleanup'], { encoding: 'utf8', env, timeout: LAB_TIMEOUT_MS });
    rmSync(dir, { recursive: true, force: true });
  };
  const destroyAsync = async (): Promise<void> => {
    await tryRunAsync('bash', [file, 'cleanup'], { env, timeout: LAB_TIMEOUT_MS });
    rmSync(dir, { recursive: true, force: true });
  };
  const lab: ScriptLab = { netns: Object.fromEntries(script.namespaces.map((id) => [id, `${prefix}-${id}`])), file, env: { P: prefix }, text: script.text, section, destroy, destroyAsync };
  return { lab, sectionAsync };
}

/**
 * Saves the scenario's Linux script and runs its `build` section as root with P=prefix: every
 * namespace is "<prefix>-<device id>". Throws with the script's stderr if a command fails, after
 * running its cleanup. `destroy` runs the cleanup section (idempotent) and deletes the file.
 */
export function buildFromScript(scenario: Scenario, prefix = labPrefix()): ScriptLab {
  const { lab } = scriptFile(scenario, prefix);
  try {
    lab.section('build');
  } catch (error) {
    lab.destroy();
    throw error;
  }
  return lab;
}

/** As buildFromScript, without blocking: several labs of one test file build at once. */
export async function buildFromScriptAsync(scenario: Scenario, prefix = labPrefix()): Promise<ScriptLab> {
  const { lab, sectionAsync } = scriptFile(scenario, prefix);
  try {
    await sectionAsync('build');
  } catch (error) {
    lab.destroy();
    throw error;
  }
  return lab;
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

export type LabAction = (
  | { kind: 'raw'; from: string; frame: string; settle?: number }
  /** Several raw frames from one interface, `gap` seconds apart (default 0.02), captured as one action; `settle` overrides the run's. */
  | { kind: 'frames'; from: string; frames: string[]; gap?: number; settle?: number }
  /** `pmtudisc` sets IP_MTU_DISCOVER as `ping -M` does; a send the kernel refuses ends the action with ok false and ping's words in `note`. */
  | { kind: 'ping'; from: string; to: string; icmp: string; timeout?: number; pmtudisc?: 'want' | 'do' | 'dont'; settle?: number }
  /** One UDP datagram from a socket bound to `sourcePort` (`payload` in hex). */
  | { kind: 'udp'; from: string; to: string; port: number; sourcePort: number; payload: string; settle?: number }
  /** A command run to its end (the reader's script: `bash lab.sh action 2`), every interface captured meanwhile; ok is its exit status 0. */
  | { kind: 'command'; from: string; argv: string[]; env?: Record<string, string>; settle?: number }
) & {
  /** Start no sooner than this many seconds after the first action started (the scenario's own time, where time passing is its point). */
  at?: number;
};

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

/** A capture point of the lab script: an interface in a namespace. */
export interface CapturePoint {
  netns: string;
  ifname: string;
}

/** Each endpoint "<device>:<port>" as a capture point: that port's interface in its device's namespace. */
export function captureAt(endpoints: readonly string[], netns: Readonly<Record<string, string>>): Record<string, CapturePoint> {
  return Object.fromEntries(
    endpoints.map((endpoint) => {
      const { device, port } = splitEndpoint(endpoint);
      return [endpoint, { netns: netns[device]!, ifname: port }];
    }),
  );
}

/** Runs the actions in a built lab (lab.py): what each capture point sent and received, and how each action ended. */
export function runLab(points: Record<string, CapturePoint>, actions: unknown, settle: number): LabResult {
  return JSON.parse(run(PYTHON, [LAB_SCRIPT], JSON.stringify({ hosts: points, actions, settle }), LAB_TIMEOUT_MS)) as LabResult;
}

/** As runLab, without blocking: the labs of one test file run their actions at once, each waiting out its own timeouts. */
export async function runLabAsync(points: Record<string, CapturePoint>, actions: unknown, settle: number): Promise<LabResult> {
  const result = await tryRunAsync(PYTHON, [LAB_SCRIPT], { input: JSON.stringify({ hosts: points, actions, settle }), timeout: LAB_TIMEOUT_MS });
  if (!result.ok) throw new Error(`python3 lab.py failed: ${result.stderr.trim() || 'no message'}`);
  return JSON.parse(result.stdout) as LabResult;
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
  // The reader's script builds it: no STP (no BPDUs), as the scenario's bridge, and no multicast
  // snooping either (with it on, the bridge device itself joins 224.0.0.106 and sends IGMPv3 reports
  // from its own MAC out of every port a moment after it comes up; the scenario has no such traffic).
  const { destroy } = buildFromScript(scenario, prefix);

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

/** Why a Linux bridge cannot cap its learned entries here (`fdb_max_learned`: Linux and iproute2 6.8), or null when it can. */
export function bridgeMaxLearnedUnavailable(): string | null {
  const probe = `${labPrefix()}-mprobe`;
  tryRun('ip', ['netns', 'del', probe]);
  try {
    const ns = tryRun('ip', ['netns', 'add', probe]);
    if (!ns.ok) return `cannot create a network namespace: ${ns.stderr.trim()}`;
    const bridge = tryRun('ip', ['-n', probe, 'link', 'add', 'br0', 'type', 'bridge', 'fdb_max_learned', '1']);
    if (!bridge.ok) return `this machine's bridge cannot cap its table (Linux and iproute2 6.8's fdb_max_learned): \`ip link add br0 type bridge fdb_max_learned 1\` fails with "${bridge.stderr.trim().split('\n')[0]}"`;
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
  const { destroy } = buildFromScript(scenario, prefix);
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
  const { destroy } = buildFromScript(scenario, prefix);
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
  /** As run, without blocking (another lab runs meanwhile). */
  runAsync(actions: readonly LabAction[], settle?: number): Promise<LabResult>;
  /** Every row of `bridge fdb show br <bridge>` in the device's namespace. */
  fdb(device: string, bridge: string): FdbRow[];
  /** Every row of `bridge fdb show dev <vxlan>` in the device's namespace (a VXLAN device's own FDB). */
  vxlanFdb(device: string, vxlan: string): VxlanFdbRow[];
  destroy(): void;
  destroyAsync(): Promise<void>;
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
  const plan = namespacePlan(scenario, prefix);
  return namespaceLab(plan, buildFromScript(scenario, prefix));
}

/** As buildNamespaceLab, without blocking: the labs of one test file build at once. */
export async function buildNamespaceLabAsync(scenario: Scenario, prefix = labPrefix()): Promise<NamespaceLab> {
  const plan = namespacePlan(scenario, prefix);
  return namespaceLab(plan, await buildFromScriptAsync(scenario, prefix));
}

/** A namespace lab's namespaces and capture points, once its scenario is checked (hosts and routers, links between NICs). */
function namespacePlan(scenario: Scenario, prefix: string): { netns: Record<string, string>; endpoints: string[] } {
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
  return { netns, endpoints };
}

function namespaceLab({ netns, endpoints }: { netns: Record<string, string>; endpoints: string[] }, { destroy, destroyAsync }: ScriptLab): NamespaceLab {
  return {
    netns,
    endpoints,
    run: (actions, settle = 0.1) => runLab(captureAt(endpoints, netns), actions, settle),
    runAsync: (actions, settle = 0.1) => runLabAsync(captureAt(endpoints, netns), actions, settle),
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
    destroyAsync,
  };
}

// ---------------------------------------------------------------------------------------------
// macvlan children, a switch, NAT (issue 12): built by the Linux script as every other lab; what
// this kernel must have for them.

/** Why a lab with macvlan children and nft NAT cannot be built here (no macvlan, no nft), or null. */
export function stackedLabUnavailable(needs: { macvlan?: boolean; nft?: boolean; ipvlan?: boolean }): string | null {
  const base = kernelLabUnavailable();
  if (base !== null) return base;
  const probe = `mv${process.pid}-probe`;
  tryRun('ip', ['netns', 'del', probe]);
  try {
    run('ip', ['netns', 'add', probe]);
    run('ip', ['-n', probe, 'link', 'add', 'pd0', 'type', 'veth', 'peer', 'name', 'pd1']);
    if (needs.macvlan) {
      const made = tryRun('ip', ['-n', probe, 'link', 'add', 'link', 'pd0', 'name', 'pm0', 'type', 'macvlan', 'mode', 'bridge']);
      if (!made.ok) return `cannot create a macvlan: ${made.stderr.trim()}`;
    }
    if (needs.ipvlan) {
      const made = tryRun('ip', ['-n', probe, 'link', 'add', 'link', 'pd0', 'name', 'pi0', 'type', 'ipvlan', 'mode', 'l2']);
      if (!made.ok) return `this kernel has no ipvlan module (${made.stderr.trim() || 'ip link add … type ipvlan failed'})`;
    }
    if (needs.nft) {
      const nft = tryRun('ip', ['netns', 'exec', probe, 'nft', 'add', 'table', 'ip', 'probe']);
      if (!nft.ok) return `cannot use nftables (nft): ${nft.stderr.trim() || 'not installed'}`;
    }
    return null;
  } finally {
    tryRun('ip', ['netns', 'del', probe]);
  }
}
