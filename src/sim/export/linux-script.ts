// A scenario as a bash script that builds the same experiment on a real Linux machine, with network
// namespaces, and runs its traffic there. Pure: scenario in, text out (no DOM, no file system).
//
// - Every host, router, hub, bridge and switch is a network namespace named "$P-<id>" ($P defaults
//   to "vnl"; the kernel tests set their own so that concurrent runs never clash).
// - Every link is a veth pair named after its two ports: a `veth` link is one, a cable is stood in
//   for by one (there is no physical NIC between two namespaces).
// - A hub is a Linux bridge that keeps no MAC (ageing 0), so it floods every frame; a bridge box is a
//   bridge (no STP, no multicast snooping, as the simulator's); a switch is a bridge with
//   vlan_filtering and its ports' `bridge vlan` entries; a namespace's bridges, 802.1Q
//   sub-interfaces, addresses, MTUs, routes and ip_forward are the scenario's.
// - Then the traffic (ping, arping, python3 for a raw frame or a UDP datagram, at the scenario's
//   times), the tables (`bridge fdb`, `ip neigh`) and a cleanup.
// What Linux lacks (port security, MAC-based VLANs on a plain bridge…) is listed in `unsupported`
// and left out of the script, never faked.
//
// The script has sections the reader (and the kernel tests) can run one by one:
// `sudo bash lab.sh [all|build|traffic|tables|cleanup|action N]`.

import { splitEndpoint, type BridgeNetdevSpec, type BridgeSpec, type DeviceSpec, type HostNicSpec, type HostSpec, type HubSpec, type LinkSpec, type RouterSpec, type Scenario, type SwitchSpec, type TrafficAction } from '../scenario/format';

/** The default namespace prefix: namespaces are "vnl-A", "vnl-br0"… */
export const DEFAULT_PREFIX = 'vnl';
/** Linux interface names are at most 15 bytes (IFNAMSIZ − 1). */
export const IFNAMSIZ = 16;

export type SectionName = 'build' | 'traffic' | 'tables' | 'cleanup';

export interface ScriptSection {
  name: SectionName;
  /** What it does, as the script's comment says it. */
  title: string;
  /** Bash lines: commands, and comments (starting with #) that say why. */
  lines: string[];
}

/** A command run inside one namespace (or one containerlab node), without the namespace: `ip link set eth0 up`. */
export interface DeviceCommand {
  device: string;
  command: string;
  /** A comment to print above it. */
  comment?: string;
  /** Part of making a macvlan or ipvlan child in another namespace (made on the parent, moved): no single node's own command. */
  crossNamespace?: true;
}

export interface LinuxScript {
  /** The whole script, ready to save and run as root. */
  text: string;
  /** Its sections, in order. */
  sections: ScriptSection[];
  /** Every command of the script (no comments), in order. */
  commands: string[];
  /** What the scenario has that Linux does not: each left out of the script, with why. */
  unsupported: string[];
  /** What the reader must know about how the script differs from the simulator. */
  notes: string[];
  /** The devices that become namespaces (all of them), by id. */
  namespaces: string[];
  /** The configuration each device gets inside its namespace, in order (for containerlab's exec lines too). */
  perDevice: DeviceCommand[];
}

type IpDevice = HostSpec | RouterSpec;
type BoxDevice = HubSpec | BridgeSpec | SwitchSpec;

const isIpDevice = (d: DeviceSpec): d is IpDevice => d.kind === 'host' || d.kind === 'router';

/** A bash single-quoted string: safe for any text. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A comment line's text: one line, no control characters. */
function commentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

/** Is `name` a valid Linux interface name (1–15 bytes, no "/", ":" or whitespace, not "." or "..")? */
export function validIfname(name: string): boolean {
  return name.length > 0 && new TextEncoder().encode(name).length < IFNAMSIZ && !/[\s/:]/.test(name) && name !== '.' && name !== '..';
}

/** A cap on learned FDB entries (`fdbMaxLearned`): Linux 6.8's `fdb_max_learned`, which needs iproute2 6.8 too. */
const maxLearned = (n: number | undefined): string => (n ? ` fdb_max_learned ${n}` : '');

/** Centiseconds, as `ip link … type bridge ageing_time` takes them (USER_HZ). */
const centiseconds = (seconds: number) => String(Math.round(seconds * 100));

function addressOf(cidr: string): string {
  return cidr.slice(0, cidr.indexOf('/'));
}

function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function inSubnet(ip: string, cidr: string): boolean {
  const [network, length] = cidr.split('/');
  const bits = Number(length);
  if (bits === 0) return true;
  const mask = bits === 32 ? 0xffffffff : (~((1 << (32 - bits)) - 1)) >>> 0;
  return ((ipv4ToNumber(ip) & mask) >>> 0) === ((ipv4ToNumber(network!) & mask) >>> 0);
}

/** An interface of a namespace with its address: NICs and their sub-interfaces, then bridges and theirs (createHost's order). */
interface Iface {
  name: string;
  mac: string;
  ip?: string;
  /** A NIC that is a bridge port, or a sub-interface: not the namespace's own interface at layer 2. */
  portOrSub?: boolean;
  bridge?: boolean;
}

function interfacesOf(device: IpDevice): Iface[] {
  const out: Iface[] = [];
  const ports = new Set((device.bridges ?? []).flatMap((b) => b.ports));
  for (const nic of device.nics) {
    out.push({ name: nic.port, mac: nic.mac, ...(nic.ip ? { ip: nic.ip } : {}), ...(ports.has(nic.port) ? { portOrSub: true } : {}) });
    for (const sub of nic.vlans ?? []) out.push({ name: `${nic.port}.${sub.vlan}`, mac: nic.mac, ip: sub.ip, portOrSub: true });
  }
  for (const bridge of device.bridges ?? []) {
    out.push({ name: bridge.name, mac: bridge.mac, ...(bridge.ip ? { ip: bridge.ip } : {}), bridge: true });
    for (const sub of bridge.vlans ?? []) out.push({ name: `${bridge.name}.${sub.vlan}`, mac: bridge.mac, ip: sub.ip, portOrSub: true, bridge: true });
  }
  // VXLAN devices come last, as createHost puts them.
  for (const vx of device.vxlans ?? []) out.push({ name: vx.name, mac: vx.mac, ...(vx.ip ? { ip: vx.ip } : {}), portOrSub: true });
  return out;
}

/** The interfaces of any device that sends (a namespace, or a bridge box with its own interface). */
function senderInterfaces(device: DeviceSpec, bridgeName: (box: BoxDevice) => string): Iface[] {
  if (isIpDevice(device)) return interfacesOf(device);
  if (device.kind === 'bridge' && device.local) return [{ name: bridgeName(device), mac: device.local.mac, ip: device.local.ip, bridge: true }];
  return [];
}

/** A target's IPv4 address: as written, or the device's first address (registry.ts firstIp). */
function targetIp(scenario: Scenario, to: string, bridgeName: (box: BoxDevice) => string): string | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(to)) return to;
  const device = scenario.devices.find((d) => d.id === to);
  if (!device) return undefined;
  const ip = senderInterfaces(device, bridgeName).find((i) => i.ip)?.ip;
  return ip ? addressOf(ip) : undefined;
}

/** The interface that stands for a namespace at layer 2 (state.ts ownInterface): its first NIC that is no port or sub-interface, else its first bridge. */
function ownInterface(ifaces: readonly Iface[]): Iface | undefined {
  return ifaces.find((i) => !i.portOrSub && !i.bridge) ?? ifaces.find((i) => i.bridge && !i.portOrSub) ?? ifaces[0];
}

/** A raw frame's destination MAC: "broadcast", a MAC as written, or a device's own interface's MAC. */
function targetMac(scenario: Scenario, to: string, bridgeName: (box: BoxDevice) => string): string | undefined {
  if (to === 'broadcast') return 'ff:ff:ff:ff:ff:ff';
  if (/^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i.test(to)) return to.toLowerCase().replace(/-/g, ':');
  const device = scenario.devices.find((d) => d.id === to);
  if (!device) return undefined;
  return ownInterface(senderInterfaces(device, bridgeName))?.mac;
}

/** The interface an ARP request for `ip` leaves by: the one whose subnet holds it (else the first with an address). */
function arpInterface(ifaces: readonly Iface[], ip: string): Iface | undefined {
  return ifaces.find((i) => i.ip && inSubnet(ip, i.ip)) ?? ifaces.find((i) => i.ip);
}

/** Default times as the simulator reads them: the first action at 0, each next 1,000 ms after the one before. */
function actionTimes(traffic: readonly TrafficAction[]): number[] {
  const times: number[] = [];
  let previous: number | undefined;
  for (const action of traffic) {
    const at = action.at ?? (previous === undefined ? 0 : previous + 1000);
    times.push(at);
    previous = at;
  }
  return times;
}

function hex(text: string): string {
  return Array.from(new TextEncoder().encode(text), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The layer-2 forwarders (hubs, bridges, switches, namespace bridges) that links join into a cycle: a storm on Linux without STP. */
function loops(scenario: Scenario): string[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  // The forwarder an endpoint belongs to, if any.
  const forwarder = (endpoint: string): string | undefined => {
    const { device, port } = splitEndpoint(endpoint);
    const spec = scenario.devices.find((d) => d.id === device);
    if (!spec) return undefined;
    if (!isIpDevice(spec)) return device;
    const bridge = spec.bridges?.find((b) => b.ports.includes(port));
    return bridge ? `${device}:${bridge.name}` : undefined;
  };
  const found: string[] = [];
  for (const link of scenario.links) {
    const a = forwarder(link.a);
    const b = forwarder(link.b);
    if (a === undefined || b === undefined) continue;
    const [ra, rb] = [find(a), find(b)];
    if (ra === rb) found.push(`${link.a} – ${link.b}`);
    else parent.set(ra, rb);
  }
  return found;
}

/** The IPv4 address a ping, ARP or UDP action of the scenario goes to (what the script's command names), if any. */
export function actionTargetIp(scenario: Scenario, to: string): string | undefined {
  return targetIp(scenario, to, boxBridgeName);
}

/** Does a switch need VLAN filtering (a trunk, a VLAN other than 1, MAC-based VLANs)? Else a plain bridge behaves the same. */
function switchFilters(sw: SwitchSpec): boolean {
  return (sw.macVlans?.length ?? 0) > 0 || sw.ports.some((p) => (p.mode ?? 'access') === 'trunk' || (p.vlan ?? 1) !== 1);
}

/** What the generator needs to render a device's namespace: its bridge device's name for a box. */
function boxBridgeName(box: BoxDevice): string {
  const ports = box.kind === 'switch' ? box.ports.map((p) => p.port) : box.ports;
  if (validIfname(box.id) && !ports.includes(box.id)) return box.id;
  for (const name of ['br0', 'br', 'bridge0']) if (!ports.includes(name)) return name;
  return 'vnlbr';
}

const IPV4_CONF = ['rp_filter', 'arp_ignore', 'arp_accept', 'arp_announce'];

/** One namespace's sysctls: no IPv6 (no router solicitations, MLD or DAD frames), forwarding as the kind, the IPv4 ARP and reverse-path settings the simulator models. */
function sysctls(forwarding: boolean): string {
  const keys = ['net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1', `net.ipv4.ip_forward=${forwarding ? 1 : 0}`, ...['all', 'default'].flatMap((dev) => IPV4_CONF.map((key) => `net.ipv4.conf.${dev}.${key}=0`))];
  return `sysctl -qw ${keys.join(' ')}`;
}

export interface LinuxScriptOptions {
  /** The default namespace prefix written into the script (the reader may override it with P=…). */
  prefix?: string;
}

/** The scenario as a Linux script. */
export function linuxScript(scenario: Scenario, options: LinuxScriptOptions = {}): LinuxScript {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const unsupported: string[] = [];
  const notes: string[] = [];
  const perDevice: DeviceCommand[] = [];
  const devices = new Map(scenario.devices.map((d) => [d.id, d]));
  const bridgeNames = new Map<string, string>();
  const bridgeName = (box: BoxDevice): string => {
    let name = bridgeNames.get(box.id);
    if (name === undefined) bridgeNames.set(box.id, (name = boxBridgeName(box)));
    return name;
  };
  const ns = (id: string) => `$P-${id}`;
  const at = (device: string, command: string, comment?: string) => perDevice.push(comment ? { device, command, comment } : { device, command });

  // Names Linux would refuse.
  for (const d of scenario.devices) {
    const names = isIpDevice(d)
      ? [...d.nics.flatMap((n) => [n.port, ...(n.vlans ?? []).map((s) => `${n.port}.${s.vlan}`)]), ...(d.bridges ?? []).flatMap((b) => [b.name, ...(b.vlans ?? []).map((s) => `${b.name}.${s.vlan}`)]), ...(d.vxlans ?? []).map((x) => x.name)]
      : d.kind === 'switch' ? d.ports.map((p) => p.port) : d.ports;
    for (const name of names) if (!validIfname(name)) unsupported.push(`${d.id}: interface name "${name}" is longer than Linux allows (15 bytes); the script cannot create it.`);
    if (d.kind === 'bridge' && d.local && bridgeName(d) !== d.id) unsupported.push(`${d.id}: its own interface is named after the bridge, "${d.id}", which Linux cannot take as an interface name; the script calls it ${bridgeName(d)}.`);
  }

  // Links: each a veth pair named after its two ports.
  const linked = new Set<string>();
  const linkLines: string[] = [];
  const linkOf = new Map<string, LinkSpec>();
  for (const link of scenario.links) {
    const a = splitEndpoint(link.a);
    const b = splitEndpoint(link.b);
    linked.add(link.a);
    linked.add(link.b);
    linkOf.set(link.a, link);
    linkOf.set(link.b, link);
    linkLines.push(link.type === 'veth' ? `# veth pair ${link.a} – ${link.b}` : `# cable ${link.a} – ${link.b} (a veth pair stands in for it)`);
    linkLines.push(`ip -n ${ns(a.device)} link add name ${a.port} type veth peer name ${b.port} netns ${ns(b.device)}`);
  }
  // A NIC without a link: a veth whose other end stays down in a namespace of its own, as an unplugged cable (NO-CARRIER).
  const unplugged: string[] = [];
  for (const d of scenario.devices) {
    if (!isIpDevice(d)) continue;
    for (const nic of d.nics) {
      if (linked.has(`${d.id}:${nic.port}`) || nic.macvlan || nic.ipvlan) continue;
      const peer = `u${unplugged.length}`;
      unplugged.push(`${d.id}:${nic.port}`);
      linkLines.push(`# ${d.id}:${nic.port} has no link: its veth's other end stays down, unplugged`);
      linkLines.push(`ip -n ${ns(d.id)} link add name ${nic.port} type veth peer name ${peer} netns $P-unplugged`);
    }
  }

  const bridgesToWait: Array<{ device: string; bridge: string }> = [];
  const bridgeAdd = (name: string, extra: string) => `ip link add name ${name} type bridge stp_state 0 mcast_snooping 0${extra}`;

  for (const d of scenario.devices) {
    at(d.id, sysctls(d.kind === 'router'), d.kind === 'router' ? 'a router: forwarding on; no IPv6, the ARP and reverse-path settings the simulator models' : 'forwarding off; no IPv6, the ARP and reverse-path settings the simulator models');
    at(d.id, 'ip link set lo up');
    if (d.kind === 'hub' || d.kind === 'bridge' || d.kind === 'switch') {
      const br = bridgeName(d);
      const ports = d.kind === 'switch' ? d.ports.map((p) => p.port) : d.ports;
      if (d.kind === 'hub') {
        at(d.id, bridgeAdd(br, ' ageing_time 0'), `hub ${d.id}: a bridge that keeps no MAC address floods every frame out of every other port, as a repeater does`);
      } else if (d.kind === 'bridge') {
        at(d.id, bridgeAdd(br, `${d.ageingTime !== undefined ? ` ageing_time ${centiseconds(d.ageingTime)}` : ''}${maxLearned(d.fdbMaxLearned)}`), `bridge ${d.id}: no STP, no multicast snooping${d.ageingTime !== undefined ? `, ageing ${d.ageingTime} s` : ''}`);
        if (d.local) at(d.id, `ip link set dev ${br} address ${d.local.mac}`, 'its own interface: the MAC set before any port joins (else Linux takes the lowest port MAC)');
      } else if (switchFilters(d)) {
        at(d.id, bridgeAdd(br, ` vlan_filtering 1 vlan_default_pvid 0${d.ageingTime !== undefined ? ` ageing_time ${centiseconds(d.ageingTime)}` : ''}${maxLearned(d.fdbMaxLearned)}`), `switch ${d.id}: a VLAN-filtering bridge, no VLAN unless an entry says so`);
      } else {
        at(d.id, bridgeAdd(br, `${d.ageingTime !== undefined ? ` ageing_time ${centiseconds(d.ageingTime)}` : ''}${maxLearned(d.fdbMaxLearned)}`), `switch ${d.id}: every port an access port of VLAN 1, so a plain bridge (no VLAN filtering) behaves the same`);
      }
      for (const port of ports) if (linked.has(`${d.id}:${port}`)) at(d.id, `ip link set dev ${port} master ${br}`);
      if (d.kind === 'switch') {
        for (const port of d.ports) {
          if (!linked.has(`${d.id}:${port.port}`)) continue;
          if (!switchFilters(d)) {
            // nothing: untagged, one VLAN
          } else if ((port.mode ?? 'access') === 'access') at(d.id, `bridge vlan add dev ${port.port} vid ${port.vlan ?? 1} pvid untagged`);
          else {
            for (const vid of port.vlans ?? []) if (vid !== port.native) at(d.id, `bridge vlan add dev ${port.port} vid ${vid}`);
            if (port.native !== undefined) at(d.id, `bridge vlan add dev ${port.port} vid ${port.native} pvid untagged`);
          }
          if (port.hairpin) at(d.id, `bridge link set dev ${port.port} hairpin on`, `hairpin (reflective relay) on ${port.port}: a frame may leave by the port it came in on, as a VEPA's switch must`);
          if (port.maxMacs !== undefined) unsupported.push(`${d.id}:${port.port}: port security (at most ${port.maxMacs} MAC address${port.maxMacs === 1 ? '' : 'es'}) is a hardware switch's feature; the Linux bridge has no per-port limit, so the script leaves it out and Linux forwards what the simulator drops.`);
        }
        for (const entry of d.macVlans ?? []) unsupported.push(`${d.id}: MAC-based VLAN (${entry.mac} → VLAN ${entry.vlan}) is a hardware switch's feature that a plain Linux bridge lacks; the script leaves it out, so that host's frames stay in its port's VLAN.`);
      }
      if (d.kind === 'bridge' && d.local) at(d.id, `ip addr add ${d.local.ip} dev ${br}`);
      at(d.id, `ip link set dev ${br} up`);
      for (const port of ports) if (linked.has(`${d.id}:${port}`)) at(d.id, `ip link set dev ${port} up`);
      bridgesToWait.push({ device: d.id, bridge: br });
      continue;
    }
    // A host or router namespace.
    for (const bridge of d.bridges ?? []) configureBridgeNetdev(d, bridge);
    const ports = new Map((d.bridges ?? []).flatMap((b) => b.ports.map((p) => [p, b] as const)));
    for (const nic of d.nics) if (!nic.macvlan && !nic.ipvlan) configureNic(d, nic, ports.get(nic.port));
    // VXLAN devices once their underlay exists (the MTU follows `dev` at creation), then their static FDB.
    for (const vx of d.vxlans ?? []) {
      const options = [`id ${vx.vni}`, `dstport ${vx.dstport ?? 8472}`];
      if (vx.local !== undefined) options.push(`local ${vx.local}`);
      if (vx.dev !== undefined) options.push(`dev ${vx.dev}`);
      if (vx.learning === false) options.push('nolearning');
      if (vx.ageing !== undefined) options.push(`ageing ${vx.ageing}`);
      if (vx.udpcsum === false) options.push('noudpcsum');
      if (vx.mtu !== undefined) options.push(`mtu ${vx.mtu}`);
      at(d.id, `ip link add name ${vx.name} type vxlan ${options.join(' ')}`, `VXLAN ${vx.name}: VNI ${vx.vni}, UDP port ${vx.dstport ?? 8472}${(vx.dstport ?? 8472) === 8472 ? " (Linux's default; IANA's is 4789)" : ''}`);
      at(d.id, `ip link set dev ${vx.name} address ${vx.mac}`);
      if (vx.ip) at(d.id, `ip addr add ${vx.ip} dev ${vx.name}`);
      const master = d.bridges?.find((b) => b.ports.includes(vx.name));
      if (master) at(d.id, `ip link set dev ${vx.name} master ${master.name}`);
      for (const entry of vx.fdb ?? []) at(d.id, `bridge fdb append ${entry.mac} dev ${vx.name} dst ${entry.dst}`, entry.mac === '00:00:00:00:00:00' ? `flood list: broadcasts and unknown destinations go to ${entry.dst} too` : undefined);
      at(d.id, `ip link set dev ${vx.name} up`);
    }
    for (const bridge of d.bridges ?? []) {
      if (bridge.ip) at(d.id, `ip addr add ${bridge.ip} dev ${bridge.name}`);
      at(d.id, `ip link set dev ${bridge.name} up`);
      for (const sub of bridge.vlans ?? []) {
        const name = `${bridge.name}.${sub.vlan}`;
        at(d.id, `ip link add link ${bridge.name} name ${name} type vlan id ${sub.vlan}`, `802.1Q sub-interface ${name} on the bridge's own interface`);
        if (sub.mtu !== undefined) at(d.id, `ip link set dev ${name} mtu ${sub.mtu}`);
        at(d.id, `ip addr add ${sub.ip} dev ${name}`);
        at(d.id, `ip link set dev ${name} up`);
      }
      bridgesToWait.push({ device: d.id, bridge: bridge.name });
    }
  }

  // macvlan and ipvlan children, once every parent exists: made on the parent in its namespace, then
  // moved into the child's and renamed (a child of its own namespace's NIC is made in place).
  const children: DeviceCommand[] = [];
  let moved = 0;
  for (const d of scenario.devices) {
    if (!isIpDevice(d)) continue;
    for (const nic of d.nics) {
      const child = nic.macvlan ?? nic.ipvlan;
      if (!child) continue;
      const parent = splitEndpoint(child.parent);
      const here = parent.device === d.id;
      const first = children.length;
      const temp = here ? nic.port : `vnlc${moved++}`;
      let type: string;
      if (nic.macvlan) {
        const mode = nic.macvlan.mode ?? 'vepa';
        type = `${mode === 'passthru' ? '' : `address ${nic.mac} `}type macvlan mode ${mode}`;
      } else type = `type ipvlan mode ${nic.ipvlan!.mode ?? 'l3'}`;
      const what = nic.macvlan ? `macvlan (${nic.macvlan.mode ?? 'vepa'})` : `ipvlan (${nic.ipvlan!.mode ?? 'l3'})`;
      children.push({ device: parent.device, command: `ip link add link ${parent.port} name ${temp} ${type}`, comment: `${d.id}:${nic.port}, a ${what} child of ${child.parent}${nic.ipvlan ? ', sharing its MAC' : ''}` });
      if (nic.macvlan?.mode === 'source') for (const mac of nic.macvlan.sources ?? []) children.push({ device: parent.device, command: `ip link set link dev ${temp} type macvlan macaddr add ${mac}` });
      if (!here) {
        children.push({ device: parent.device, command: `ip link set dev ${temp} netns ${ns(d.id)}` });
        children.push({ device: d.id, command: `ip link set dev ${temp} name ${nic.port}` });
      }
      if (!here) for (const c of children.slice(first)) c.crossNamespace = true;
      if (nic.mtu !== undefined) children.push({ device: d.id, command: `ip link set dev ${nic.port} mtu ${nic.mtu}` });
      if (nic.ip) children.push({ device: d.id, command: `ip addr add ${nic.ip} dev ${nic.port}` });
      children.push({ device: d.id, command: `ip link set dev ${nic.port} up` });
    }
  }
  perDevice.push(...children);

  // Routes once every address is in place (a gateway must be on-link), then NAT.
  const late: DeviceCommand[] = [];
  for (const d of scenario.devices) {
    if (!isIpDevice(d)) continue;
    if (d.kind === 'host' && d.gateway) late.push({ device: d.id, command: `ip route add default via ${d.gateway}` });
    if (d.kind === 'router') for (const route of d.routes ?? []) late.push({ device: d.id, command: `ip route add ${route.to === '0.0.0.0/0' ? 'default' : route.to} via ${route.via}` });
    if (d.nat) {
      late.push({ device: d.id, command: 'nft add table ip nat', comment: `NAT in ${d.id} (nftables; it implies connection tracking)` });
      late.push({ device: d.id, command: "nft add chain ip nat prerouting '{ type nat hook prerouting priority dstnat; }'" });
      late.push({ device: d.id, command: "nft add chain ip nat postrouting '{ type nat hook postrouting priority srcnat; }'" });
      for (const rule of d.nat.masquerade ?? []) late.push({ device: d.id, command: `nft add rule ip nat postrouting oifname ${rule.out}${rule.source ? ` ip saddr ${rule.source}` : ''} masquerade` });
      for (const rule of d.nat.forward ?? []) late.push({ device: d.id, command: `nft add rule ip nat prerouting iifname ${rule.in} ${rule.proto} dport ${rule.port} dnat to ${rule.to}:${rule.toPort ?? rule.port}`, comment: `Docker's -p ${rule.port}:${rule.toPort ?? rule.port}/${rule.proto}` });
      // Where br_netfilter is loaded (Docker loads it), bridged IPv4 would pass the IP hooks and be tracked; the simulator's bridge has none.
      if (d.bridges?.length) late.push({ device: d.id, command: 'sysctl -qw net.bridge.bridge-nf-call-iptables=0 2>/dev/null || true', comment: 'bridged frames skip the IP hooks, as in the simulator (no br_netfilter)' });
    }
  }
  perDevice.push(...late);

  function configureBridgeNetdev(d: IpDevice, bridge: BridgeNetdevSpec): void {
    const extra = `${bridge.vlanFiltering ? ' vlan_filtering 1 vlan_default_pvid 0' : ''}${bridge.ageingTime !== undefined ? ` ageing_time ${centiseconds(bridge.ageingTime)}` : ''}${maxLearned(bridge.fdbMaxLearned)}`;
    at(d.id, bridgeAdd(bridge.name, extra), `bridge ${bridge.name} in ${d.id}${bridge.vlanFiltering ? ', VLAN-filtering' : ''}: no STP, no multicast snooping`);
    at(d.id, `ip link set dev ${bridge.name} address ${bridge.mac}`, 'its MAC set before any port joins (else Linux takes the lowest port MAC)');
    if (bridge.mtu !== undefined) at(d.id, `ip link set dev ${bridge.name} mtu ${bridge.mtu}`);
  }

  function configureNic(d: IpDevice, nic: HostNicSpec, bridge: BridgeNetdevSpec | undefined): void {
    at(d.id, `ip link set dev ${nic.port} address ${nic.mac}`);
    if (nic.mtu !== undefined) at(d.id, `ip link set dev ${nic.port} mtu ${nic.mtu}`);
    if (nic.ip) at(d.id, `ip addr add ${nic.ip} dev ${nic.port}`);
    if (bridge) {
      at(d.id, `ip link set dev ${nic.port} master ${bridge.name}`);
      for (const entry of bridge.bridgeVlans ?? []) {
        if (entry.dev !== nic.port) continue;
        at(d.id, `bridge vlan add dev ${nic.port} vid ${entry.vid}${entry.pvid ? ' pvid' : ''}${entry.untagged ? ' untagged' : ''}`);
      }
      // The bridge's own entries once its first port is in (they need the bridge only, but read best here).
      if (bridge.ports[0] === nic.port) {
        for (const entry of bridge.bridgeVlans ?? []) {
          if (entry.dev !== bridge.name) continue;
          at(d.id, `bridge vlan add dev ${bridge.name} vid ${entry.vid}${entry.pvid ? ' pvid' : ''}${entry.untagged ? ' untagged' : ''} self`);
        }
      }
    }
    at(d.id, `ip link set dev ${nic.port} up`);
    for (const sub of nic.vlans ?? []) {
      const name = `${nic.port}.${sub.vlan}`;
      at(d.id, `ip link add link ${nic.port} name ${name} type vlan id ${sub.vlan}`, `802.1Q sub-interface ${name} (needs the 8021q module)`);
      if (sub.mtu !== undefined) at(d.id, `ip link set dev ${name} mtu ${sub.mtu}`);
      at(d.id, `ip addr add ${sub.ip} dev ${name}`);
      at(d.id, `ip link set dev ${name} up`);
    }
  }

  // A bridge net device's entries when it has no port at all.
  for (const d of scenario.devices) {
    if (!isIpDevice(d)) continue;
    for (const bridge of d.bridges ?? []) {
      if (bridge.ports.length > 0) continue;
      for (const entry of bridge.bridgeVlans ?? []) if (entry.dev === bridge.name) at(d.id, `bridge vlan add dev ${bridge.name} vid ${entry.vid}${entry.pvid ? ' pvid' : ''}${entry.untagged ? ' untagged' : ''} self`);
    }
  }

  // UDP sockets.
  // The listener runs in the background, its lines in a log the tables section prints (not on the
  // script's own output, which a background process would hold open).
  for (const d of scenario.devices) if (isIpDevice(d) && d.udpListen?.length) at(d.id, `python3 -c "$UDP_LISTEN" ${d.udpListen.join(' ')} > "$LOGS/${d.id}.udp" 2>&1 &`, `UDP sockets on port${d.udpListen.length === 1 ? '' : 's'} ${d.udpListen.join(', ')} (else Linux answers "port unreachable")`);

  const cycle = loops(scenario);
  if (cycle.length > 0) notes.push(`The links ${cycle.join(', ')} close a loop of bridges without STP: on Linux a broadcast would circle until the namespaces are deleted (a real storm that keeps a CPU busy), where the simulator stops it. The traffic runs only with STORM=yes.`);
  notes.push('Every link is a veth pair: a cable hands frames over at once on Linux, where the simulator takes 1 ms per link.');
  if (scenario.devices.some((d) => d.kind === 'hub')) notes.push('A hub is a bridge that keeps no MAC address (ageing 0): it floods every frame as a repeater does, but, unlike a hub, it does not repeat frames to 01:80:c2:00:00:0x (STP and other link-local protocols).');

  // ---- The build section.
  const listeners = scenario.devices.filter((d): d is IpDevice => isIpDevice(d) && (d.udpListen?.length ?? 0) > 0);
  const build: string[] = [];
  if (listeners.length > 0) build.push('mkdir -p "$LOGS"');
  const needsUnplugged = unplugged.length > 0;
  build.push('# One network namespace per device; each device\'s settings inside it.');
  for (const d of scenario.devices) build.push(`new_ns ${ns(d.id)} ${d.kind === 'router' ? 1 : 0}`);
  if (needsUnplugged) build.push('new_ns $P-unplugged 0');
  build.push('', '# The links.', ...linkLines);
  for (const d of scenario.devices) {
    // Its sysctls and lo are new_ns's; its children, routes and NAT come after every device.
    const lines = perDevice.filter((c) => c.device === d.id && !children.includes(c) && !late.includes(c)).slice(2);
    if (lines.length === 0) continue;
    build.push('', `# ${commentText(deviceTitle(d))}`);
    for (const c of lines) {
      if (c.comment) build.push(`# ${commentText(c.comment)}`);
      build.push(inNamespace(ns(d.id), c.command));
    }
  }
  const block = (title: string, commands: readonly DeviceCommand[]) => {
    if (commands.length === 0) return;
    build.push('', `# ${title}`);
    for (const c of commands) {
      if (c.comment) build.push(`# ${commentText(c.comment)}`);
      build.push(inNamespace(ns(c.device), c.command));
    }
  };
  block('macvlan and ipvlan children.', children);
  block('Routes and NAT.', late);
  if (bridgesToWait.length > 0) {
    build.push('', '# Until every bridge port forwards (no STP: as soon as its link is up).');
    for (const { device, bridge } of bridgesToWait) build.push(`wait_forwarding ${ns(device)} ${bridge}`);
  }

  // ---- The traffic section: one function per action.
  const times = actionTimes(scenario.traffic);
  const actionFunctions: string[] = [];
  const actionBodies: string[][] = [];
  const traffic: string[] = [];
  scenario.traffic.forEach((action, i) => {
    const body = actionLines(action);
    const label = action.label ?? defaultLabel(action);
    actionBodies.push(body);
    actionFunctions.push(`action_${i + 1}() {  # ${commentText(label)}`, `  say ${shellQuote(`${i + 1}. ${commentText(label)}`)}`, ...body.map((l) => `  ${l}`), '}');
    // An action that fails (no reply, an ICMP error) says so and the traffic goes on; `action N` alone exits with its status.
    traffic.push(`at_ms ${times[i]}; action_${i + 1} || true`);
  });

  function actionLines(action: TrafficAction): string[] {
    const from = devices.get(action.from);
    const ifaces = from ? senderInterfaces(from, bridgeName) : [];
    const where = ns(action.from);
    if (!from || ifaces.length === 0) return [`echo '  ${action.from} cannot send: it is no namespace with an interface (the simulator says why)'`];
    switch (action.do) {
      case 'ping': {
        const ip = targetIp(scenario, action.to, bridgeName);
        if (!ip) return [`echo '  no address to ping for ${action.to}'`];
        const size = action.size !== undefined ? ` -s ${action.size}` : '';
        const pmtu = action.mtuDiscovery !== undefined ? ` -M ${action.mtuDiscovery}` : '';
        return [`ip netns exec ${where} ping -c 1 -W 2${size}${pmtu} ${ip}`];
      }
      case 'arp': {
        const ip = targetIp(scenario, action.to, bridgeName);
        const iface = ip ? arpInterface(ifaces, ip) : undefined;
        if (!ip || !iface) return [`echo '  no address to ask for ${action.to}'`];
        // As the simulator's (and the kernel's own) resolution: a broadcast request a second, three at
        // most (mcast_probes 3, retrans_time 1 s), ending at the first reply (-f).
        return [`ip netns exec ${where} arping -f -c 3 -w 3 -I ${iface.name} ${ip}`];
      }
      case 'raw': {
        const mac = targetMac(scenario, action.to, bridgeName);
        const iface = ownInterface(ifaces)!;
        if (!mac) return [`echo '  no MAC address for ${action.to}'`];
        // A NIC on a cable pads a short frame to 60 bytes; a veth end and a bridge's own interface do not.
        const link = linkOf.get(`${action.from}:${iface.name}`);
        const pad = link !== undefined && link.type !== 'veth' ? ' pad' : '';
        return [`send_raw ${where} ${iface.name} ${mac} ${hex(action.payload ?? 'hello')}${pad}  # payload ${shellQuote(commentText(action.payload ?? 'hello'))}`];
      }
      case 'udp': {
        const ip = targetIp(scenario, action.to, bridgeName);
        if (!ip) return [`echo '  no address to send to for ${action.to}'`];
        return [`send_udp ${where} ${ip} ${action.port} ${action.sourcePort ?? 0} ${action.size ?? 32}`];
      }
    }
  }

  const usesRaw = scenario.traffic.some((a) => a.do === 'raw');
  const neededTools: Array<[string, string]> = [];
  if (scenario.traffic.some((a) => a.do === 'ping')) neededTools.push(['ping', 'iputils-ping']);
  if (scenario.traffic.some((a) => a.do === 'arp')) neededTools.push(['arping', 'iputils-arping']);
  const usesUdp = scenario.traffic.some((a) => a.do === 'udp') || scenario.devices.some((d) => isIpDevice(d) && d.udpListen?.length);

  // ---- Tables.
  const tables: string[] = [];
  for (const d of scenario.devices) {
    if (!isIpDevice(d)) {
      tables.push(`say '${d.id}: bridge fdb (its MAC table)'`, `bridge -n ${ns(d.id)} fdb show br ${bridgeName(d)} | grep -v permanent || true`);
      if (d.kind === 'bridge' && d.local) tables.push(`say '${d.id}: ip neigh (its ARP cache)'`, `ip -n ${ns(d.id)} neigh show`);
      continue;
    }
    for (const bridge of d.bridges ?? []) tables.push(`say '${d.id}: bridge fdb of ${bridge.name}'`, `bridge -n ${ns(d.id)} fdb show br ${bridge.name} | grep -v permanent || true`);
    for (const vx of d.vxlans ?? []) tables.push(`say '${d.id}: the FDB of ${vx.name} (MAC → remote VTEP)'`, `bridge -n ${ns(d.id)} fdb show dev ${vx.name}`);
    tables.push(`say '${d.id}: ip neigh (its ARP cache)'`, `ip -n ${ns(d.id)} neigh show`);
    if (d.kind === 'router') tables.push(`say '${d.id}: ip route'`, `ip -n ${ns(d.id)} route show`);
    if (d.nat) tables.push(`say '${d.id}: its NAT rules and tracked connections'`, `in_ns ${ns(d.id)} nft list table ip nat`, `in_ns ${ns(d.id)} conntrack -L 2>/dev/null || cat /proc/net/nf_conntrack 2>/dev/null || true`);
  }

  for (const d of listeners) tables.push(`say '${d.id}: what its UDP sockets took'`, `cat "$LOGS/${d.id}.udp"`);

  // ---- Cleanup.
  const cleanup: string[] = [];
  for (const d of scenario.devices) cleanup.push(`remove_ns ${ns(d.id)}`);
  if (needsUnplugged) cleanup.push('remove_ns $P-unplugged');
  if (listeners.length > 0) cleanup.push('rm -rf "$LOGS"');

  const sections: ScriptSection[] = [
    { name: 'build', title: 'Build the topology', lines: build },
    { name: 'traffic', title: "Run the scenario's traffic, at its times", lines: traffic },
    { name: 'tables', title: 'Show the tables', lines: tables },
    { name: 'cleanup', title: 'Remove every namespace (and with them every interface and process in them)', lines: cleanup },
  ];

  const text = render();
  const commands = sections.flatMap((s) => (s.name === 'traffic' ? [...s.lines, ...actionBodies.flat()] : s.lines)).filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  return { text, sections, commands, unsupported, notes, namespaces: scenario.devices.map((d) => d.id), perDevice };

  function inNamespace(where: string, command: string): string {
    if (command.startsWith('ip ')) return `ip -n ${where} ${command.slice(3)}`;
    if (command.startsWith('bridge ')) return `bridge -n ${where} ${command.slice(7)}`;
    return `in_ns ${where} ${command}`;
  }

  function render(): string {
    const out: string[] = [];
    out.push('#!/usr/bin/env bash');
    out.push(`# ${commentText(scenario.title)}`);
    out.push(`# The vnet-live experiment "${scenario.id}", built on Linux with network namespaces.`);
    out.push('#');
    out.push('# Run as root: sudo bash lab.sh [all|build|traffic|tables|cleanup|action N]');
    out.push(`#   all (the default) builds, runs the traffic and shows the tables; then \`sudo bash lab.sh cleanup\`.`);
    out.push(`#   Namespaces are named "$P-<device>", $P being "${prefix}" unless you set P=… in the environment;`);
    out.push('#   look around with `sudo ip netns exec $P-<device> bash`.');
    out.push(`# Needs iproute2${scenario.traffic.some((a) => a.do === 'ping') ? ', ping (iputils-ping)' : ''}${scenario.traffic.some((a) => a.do === 'arp') ? ', arping (iputils-arping)' : ''}${usesRaw || usesUdp ? ', python3' : ''}.`);
    if (unsupported.length > 0) {
      out.push('#', '# Not on Linux, so left out (the simulator has it):');
      for (const line of unsupported) out.push(`#   - ${commentText(line)}`);
    }
    out.push('#', '# How this differs from the simulator:');
    for (const line of notes) out.push(`#   - ${commentText(line)}`);
    out.push('');
    out.push('set -euo pipefail');
    out.push(`P="\${P:-${prefix}}"`);
    out.push('[[ $P =~ ^[A-Za-z0-9_-]{1,40}$ ]] || { echo "P must be letters, digits, - or _" >&2; exit 2; }');
    if (listeners.length > 0) out.push('LOGS="${TMPDIR:-/tmp}/$P-logs"  # what the UDP sockets took');
    out.push('');
    out.push('say() { printf \'\\n== %s\\n\' "$1"; }');
    out.push('in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }');
    out.push('new_ns() {  # NAME FORWARDING: a namespace with lo up, no IPv6 (no router solicitations, MLD or DAD frames), ip_forward');
    out.push('  # as given, and the IPv4 ARP and reverse-path settings the simulator models (all 0), set before any interface exists');
    out.push('  ip netns add "$1"');
    out.push('  local keys=(net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 "net.ipv4.ip_forward=$2") dev key');
    out.push(`  for dev in all default; do for key in ${IPV4_CONF.join(' ')}; do keys+=("net.ipv4.conf.$dev.$key=0"); done; done`);
    out.push('  ip netns exec "$1" sysctl -qw "${keys[@]}"');
    out.push('  ip -n "$1" link set lo up');
    out.push('}');
    out.push('remove_ns() {  # NAMESPACE…: their processes stopped, then the namespaces (their interfaces go with them)');
    out.push('  local ns');
    out.push('  for ns in "$@"; do ip netns pids "$ns" 2>/dev/null || true; done | xargs -r kill 2>/dev/null || true');
    out.push('  printf \'netns del %s\\n\' "$@" | ip -force -batch - 2>/dev/null || true');
    out.push('}');
    if (bridgesToWait.length > 0) {
      out.push('wait_forwarding() {  # NAMESPACE BRIDGE: until every port of the bridge is in state forwarding');
      out.push('  local i');
      out.push('  for i in $(seq 100); do');
      out.push('    bridge -n "$1" link show | grep " master $2 " | grep -vq "state forwarding" || return 0');
      out.push('    sleep 0.05');
      out.push('  done');
      out.push('  echo "bridge $2 in $1: ports still not forwarding after 5 s" >&2; return 1');
      out.push('}');
    }
    out.push('at_ms() {  # MS: wait until MS milliseconds after the traffic started (the scenario\'s "at")');
    out.push('  local now=$(( ($(date +%s%N) - T0) / 1000000 ))');
    out.push('  if (( $1 > now )); then sleep "$(( ($1 - now) / 1000 )).$(printf %03d $(( ($1 - now) % 1000 )))"; fi');
    out.push('}');
    if (usesRaw) {
      out.push('send_raw() {  # NAMESPACE IFACE DST-MAC PAYLOAD-HEX [pad]: one Ethernet frame, EtherType 0x88b5 (local experimental), from IFACE\'s MAC');
      out.push('  ip netns exec "$1" python3 -c \'');
      out.push('import socket, sys');
      out.push('ifname, dst, payload, pad = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", "")), bytes.fromhex(sys.argv[3]), sys.argv[4:] == ["pad"]');
      out.push('s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)');
      out.push('s.bind((ifname, 0))');
      out.push('frame = dst + s.getsockname()[4] + b"\\x88\\xb5" + payload');
      out.push('s.send(frame + bytes(max(0, 60 - len(frame))) if pad else frame)');
      out.push('\' "${@:2}"');
      out.push('}');
    }
    if (usesUdp) {
      out.push('send_udp() {  # NAMESPACE ADDRESS PORT SOURCE-PORT SIZE: one datagram, byte k of it k mod 256, like nc -u; then');
      out.push('  # up to UDP_WAIT seconds (4 unless set) for an ICMP error about it, which fails the action as it fails nc');
      out.push('  ip netns exec "$1" python3 -c \'');
      out.push('import socket, sys');
      out.push('to, port, sport, size, wait = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])');
      out.push('s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)');
      out.push('s.bind(("0.0.0.0", sport))');
      out.push('s.setsockopt(socket.IPPROTO_IP, 11, 1)  # IP_RECVERR: every ICMP error about it, not only "port unreachable"');
      out.push('s.connect((to, port))  # connected: the kernel hands the socket the ICMP errors about what it sent');
      out.push('s.send(bytes(k % 256 for k in range(size)))');
      out.push('s.settimeout(wait)');
      out.push('try:');
      out.push('    s.recv(65535)');
      out.push('except socket.timeout:');
      out.push('    print(f"  no ICMP error within {wait:g} s (UDP has no acknowledgement)")');
      out.push('except OSError as error:');
      out.push('    print(f"  {error.strerror}"); sys.exit(1)');
      out.push('\' "${@:2}" "${UDP_WAIT:-4}"');
      out.push('}');
      out.push('# A socket on each port given, printing what it takes: python3 -c "$UDP_LISTEN" PORT…');
      out.push('UDP_LISTEN=\'');
      out.push('import select, socket, sys');
      out.push('socks = []');
      out.push('for port in sys.argv[1:]:');
      out.push('    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", int(port))); socks.append(s)');
      out.push('while True:');
      out.push('    for s in select.select(socks, [], [])[0]:');
      out.push('        data, peer = s.recvfrom(65535); print(f"  port {s.getsockname()[1]} took {len(data)} bytes from {peer[0]}", flush=True)');
      out.push('\'');
    }
    out.push('');
    for (const section of sections) {
      if (section.name === 'traffic') {
        out.push(...actionFunctions, '');
      }
      out.push(`${section.name}() {  # ${section.title}`);
      if (section.name === 'traffic') {
        for (const [tool, pkg] of neededTools) out.push(`  command -v ${tool} >/dev/null || echo "${tool} is not installed (apt-get install ${pkg}): its actions will fail" >&2`);
        out.push('  T0=$(date +%s%N)');
        if (cycle.length > 0) out.push('  if [ "${STORM:-}" != yes ]; then echo "skipped: this topology loops without STP, and on Linux the first broadcast would storm; run with STORM=yes to see it" >&2; return 0; fi');
        if (scenario.traffic.length === 0) out.push('  :  # the scenario has no traffic');
      }
      if (section.lines.length === 0) out.push('  :');
      for (const line of section.name === 'build' ? batched(section.lines) : section.name === 'cleanup' ? removedAtOnce(section.lines) : section.lines) out.push(line === '' ? '' : `  ${line}`);
      out.push('}', '');
    }
    out.push('case "${1:-all}" in');
    out.push('  build) build ;;');
    out.push('  traffic) traffic ;;');
    out.push('  tables) tables ;;');
    out.push('  cleanup) cleanup ;;');
    out.push(`  action) T0=$(date +%s%N); "action_\${2:?which action: 1 to ${scenario.traffic.length}}" ;;`);
    out.push(`  all) build; traffic; tables; echo; echo "When done: sudo P=$P bash $0 cleanup" ;;`);
    out.push('  *) echo "usage: $0 [all|build|traffic|tables|cleanup|action N]" >&2; exit 2 ;;');
    out.push('esac');
    return `${out.join('\n')}\n`;
  }
}

const VETH_ADD = /^ip -n (\S+) link add name (\S+) type veth peer name (\S+) netns (\S+)$/;
const IP_IN = /^ip -n (\S+) (.+)$/;

/**
 * The build section as the script runs it: consecutive `ip` commands in one namespace as one
 * `ip -n NS -batch -` (one process instead of one each: a lab builds several times faster), the
 * veth pairs as one `ip -batch -` that makes each pair straight in its two namespaces. The comments
 * among them go above the batch (never inside its double-quoted text, which bash would expand).
 * `commands` keeps one line per command, each as it would run alone.
 */
function batched(lines: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const veth = VETH_ADD.exec(line);
    const ip = IP_IN.exec(line);
    if (!veth && !ip) {
      out.push(line);
      i++;
      continue;
    }
    // The run: lines of the same kind (veth pairs, or ip in this namespace), comments among them.
    const same = (l: string) => (veth ? VETH_ADD.test(l) : !VETH_ADD.test(l) && IP_IN.exec(l)?.[1] === ip![1]);
    let end = i;
    for (let j = i; j < lines.length && (same(lines[j]!) || lines[j]!.startsWith('#')); j++) if (same(lines[j]!)) end = j;
    const run = lines.slice(i, end + 1);
    const commands = run.filter(same);
    if (commands.length < 2) {
      out.push(line);
      i++;
      continue;
    }
    out.push(...run.filter((l) => l.startsWith('#')));
    if (veth) {
      out.push('ip -batch - <<< "');
      for (const c of commands) {
        const [, a, aName, bName, b] = VETH_ADD.exec(c)!;
        out.push(`  link add name ${aName} netns ${a} type veth peer name ${bName} netns ${b}`);
      }
    } else {
      out.push(`ip -n ${ip![1]} -batch - <<< "`);
      for (const c of commands) out.push(`  ${IP_IN.exec(c)![2]}`);
    }
    out.push('"');
    i = end + 1;
  }
  return out;
}

/** The cleanup as the script runs it: every namespace in one remove_ns (one `ip -batch` deletes them all). */
function removedAtOnce(lines: readonly string[]): string[] {
  const names = lines.filter((l) => l.startsWith('remove_ns ')).map((l) => l.slice('remove_ns '.length));
  const rest = lines.filter((l) => !l.startsWith('remove_ns '));
  return names.length > 0 ? [`remove_ns ${names.join(' ')}`, ...rest] : [...rest];
}

function deviceTitle(d: DeviceSpec): string {
  const label = d.label && d.label !== d.id ? ` ("${d.label}")` : '';
  switch (d.kind) {
    case 'host': return `host ${d.id}${label}${d.node ? `, a namespace of machine ${d.node}` : ''}`;
    case 'router': return `router ${d.id}${label}${d.node ? `, a namespace of machine ${d.node}` : ''}`;
    case 'hub': return `hub ${d.id}${label}`;
    case 'bridge': return `bridge ${d.id}${label}`;
    case 'switch': return `switch ${d.id}${label}`;
  }
}

function defaultLabel(action: TrafficAction): string {
  switch (action.do) {
    case 'ping': return `${action.from} pings ${action.to}`;
    case 'arp': return `${action.from} asks who has ${action.to}`;
    case 'raw': return `${action.from} sends a frame to ${action.to}`;
    case 'udp': return `${action.from} sends a UDP datagram to ${action.to}:${action.port}`;
  }
}
