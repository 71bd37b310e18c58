// The scenario format: one declarative, versioned, JSON-compatible description of a topology and
// the traffic to run on it. Documented for authors in content/scenarios/README.md; validated by
// validate.ts. These types are what the core consumes after validation.

/** The value of a scenario's `format` field; bump the number when the format changes incompatibly. */
export const SCENARIO_FORMAT = 'vnet-live/scenario@1';

/** A position hint for drawing, in abstract units; the renderer scales the drawing to fit. */
export interface Position {
  x: number;
  y: number;
}

/** An 802.1Q sub-interface of a NIC (Linux `eth0.10`): it sends tagged with `vlan`, receives only that VLAN, and shares the NIC's MAC. */
export interface VlanSubinterfaceSpec {
  /** VLAN ID, 1–4094. */
  vlan: number;
  /** IPv4 address with prefix length, e.g. "10.0.10.1/24". */
  ip: string;
  /** The sub-interface's MTU, 68–65535 and at most its NIC's (Linux refuses more); default: the NIC's. */
  mtu?: number;
}

/** One network interface of a host or router: its port name, hardware address and optional IPv4 address. */
export interface HostNicSpec {
  /** The port's name, e.g. "eth0"; cables refer to it as "<device>:<port>". */
  port: string;
  /** Canonical MAC address, e.g. "02:00:00:00:00:0a". */
  mac: string;
  /** IPv4 address with prefix length, e.g. "10.0.0.1/24", used for untagged frames; a NIC without one still sees frames. */
  ip?: string;
  /** 802.1Q sub-interfaces on this NIC ("router on a stick"). */
  vlans?: VlanSubinterfaceSpec[];
  /** The largest IPv4 packet the interface sends or takes, in bytes: 68–65535 (Linux's range for IPv4), default 1500. */
  mtu?: number;
}

/**
 * A bridge net device inside a host or router namespace (Linux `ip link add br0 type bridge`, then
 * `ip link set veth1 master br0`): its ports are NICs of the same device. A frame arriving on a
 * port is the bridge's (learned, forwarded, flooded, or passed up to the bridge's own interface);
 * the bridge's interface `name` has its own MAC and, optionally, an address.
 */
export interface BridgeNetdevSpec {
  /** The bridge's interface name in its namespace, e.g. "br0": unique among the device's NIC ports, sub-interfaces and bridges. */
  name: string;
  /** The bridge interface's MAC, e.g. "02:00:00:00:00:b0" (Linux would take its lowest port's unless set; a scenario sets it). */
  mac: string;
  /** IPv4 address with prefix length of the bridge interface, e.g. "10.0.1.1/24": an interface address like a NIC's. */
  ip?: string;
  /** The NIC port names enslaved to the bridge (`ip link set <port> master <name>`); a NIC is in at most one bridge and then has no ip and no vlans. */
  ports: string[];
  /** Seconds an FDB entry survives without traffic (Linux default 300). 0 makes the bridge flood every frame. */
  ageingTime?: number;
  /** The bridge interface's MTU, 68–65535, default 1500. */
  mtu?: number;
}

export interface HostSpec {
  id: string;
  kind: 'host';
  label?: string;
  /** The machine this namespace belongs to (a name): host and router devices with the same `node` are namespaces of one machine, which veth links may join. Default: a machine of its own. */
  node?: string;
  nics: HostNicSpec[];
  /** Bridge net devices over this namespace's NICs. */
  bridges?: BridgeNetdevSpec[];
  /** Default gateway (an IPv4 address that must be on-link through one of the NICs). */
  gateway?: string;
  /** UDP ports with a socket bound to them (on every address of the host); a datagram for any other port is answered with ICMP port unreachable. */
  udpListen?: number[];
  position?: Position;
}

export interface HubSpec {
  id: string;
  kind: 'hub';
  label?: string;
  ports: string[];
  position?: Position;
}

export interface BridgeSpec {
  id: string;
  kind: 'bridge';
  label?: string;
  ports: string[];
  /** Seconds an FDB entry survives without traffic (Linux default 300). 0 makes the bridge a hub. */
  ageingTime?: number;
  /** The bridge's own interface (Linux br0 with an address): the bridge is then also a host on its segment. */
  local?: BridgeLocalSpec;
  position?: Position;
}

/**
 * A bridge's local interface, named after the bridge (`ip link set br0 address …; ip addr add … dev br0`):
 * frames for `mac`, and broadcasts, reach its own IP stack; it can ping, ARP and be pinged.
 */
export interface BridgeLocalSpec {
  /** The bridge device's MAC, e.g. "02:00:00:00:00:b0" (Linux would take its lowest port's unless set; a scenario sets it). */
  mac: string;
  /** IPv4 address with prefix length, e.g. "10.0.0.1/24". */
  ip: string;
}

/**
 * A port of a VLAN-aware switch (like a Linux bridge with vlan_filtering=1).
 * Access (the default): untagged on the wire, every frame in VLAN `vlan` (default 1).
 * Trunk: frames tagged with one of `vlans` pass; untagged frames belong to `native` and leave untagged (no native VLAN: untagged frames are dropped).
 */
export interface SwitchPortSpec {
  port: string;
  mode?: 'access' | 'trunk';
  /** Access VLAN (the PVID), 1–4094; default 1. */
  vlan?: number;
  /** Trunk: the VLANs allowed tagged. */
  vlans?: number[];
  /** Trunk: the native VLAN, carried untagged. */
  native?: number;
  /** Port security: at most this many source MACs are learned on the port; frames from any other are dropped. */
  maxMacs?: number;
}

/** MAC-based VLAN assignment: an untagged frame from `mac` arriving on an access port joins `vlan` instead of the port's own. */
export interface MacVlanSpec {
  mac: string;
  vlan: number;
}

export interface SwitchSpec {
  id: string;
  kind: 'switch';
  label?: string;
  ports: SwitchPortSpec[];
  /** Seconds an FDB entry survives without traffic (default 300). */
  ageingTime?: number;
  macVlans?: MacVlanSpec[];
  position?: Position;
}

/** A static route: `to` is a prefix ("10.9.0.0/16", or "0.0.0.0/0" for the default route), `via` the next hop, on-link through one of the router's interfaces. */
export interface RouteSpec {
  to: string;
  via: string;
}

/** A router: NICs like a host's (with optional 802.1Q sub-interfaces), connected routes for each address, static routes, and IP forwarding on. */
export interface RouterSpec {
  id: string;
  kind: 'router';
  label?: string;
  /** The machine this namespace belongs to, as on a host. */
  node?: string;
  nics: HostNicSpec[];
  /** Bridge net devices over this namespace's NICs, as on a host. */
  bridges?: BridgeNetdevSpec[];
  routes?: RouteSpec[];
  /** UDP ports with a socket bound to them, as on a host. */
  udpListen?: number[];
  position?: Position;
}

export type DeviceSpec = HostSpec | HubSpec | BridgeSpec | SwitchSpec | RouterSpec;
export type DeviceKind = DeviceSpec['kind'];

/**
 * A link between two ports, each written "<device>:<port>": a cable (the default), or a veth pair
 * (`type: "veth"`) joining two interfaces of host/router namespaces of the same node.
 */
export interface LinkSpec {
  a: string;
  b: string;
  /** "cable" (the default) or "veth": a veth pair lives inside one machine, so both ends are namespaces with the same `node`. */
  type?: LinkType;
}

/** What a link is: a cable between machines, or a veth pair inside one. */
export type LinkType = 'cable' | 'veth';

interface ActionBase {
  /** Virtual time in milliseconds at which the action starts. Default: 0 for the first action, else 1000 ms after the previous one. */
  at?: number;
  /** The host that acts. */
  from: string;
  /** A short label shown to the reader, e.g. "A pings B". Default: generated. */
  label?: string;
}

/** ICMP echo request to a device (its first IPv4 address) or to an IPv4 address. */
export interface PingAction extends ActionBase {
  do: 'ping';
  to: string;
  /** Data bytes after the ICMP header, like `ping -s`: 0–65507, default 56 (a 84-byte IPv4 packet). */
  size?: number;
  /**
   * Path MTU discovery, like `ping -M`: "want" (the default, as Linux ping without -M: DF set when the
   * packet fits the path, else fragmented here), "do" (DF always; too big for the path is a local
   * error) or "dont" (DF never; fragmented wherever it does not fit).
   */
  mtuDiscovery?: MtuDiscovery;
}

/** The IP_MTU_DISCOVER choices of `ping -M`. */
export type MtuDiscovery = 'want' | 'do' | 'dont';

/** One UDP datagram to `to` (a device or an IPv4 address) on port `port`, like `nc -u`: fire and forget. */
export interface UdpAction extends ActionBase {
  do: 'udp';
  to: string;
  /** The destination port, 1–65535. */
  port: number;
  /** The source port, 1–65535; default: one the host picks from Linux's ephemeral range 32768–60999. */
  sourcePort?: number;
  /** Data bytes, 0–65507; byte k is k mod 256. Default 32. */
  size?: number;
}

/** An ARP request ("who has <to>?"), like `arping`. `to` is a device or an IPv4 address. */
export interface ArpAction extends ActionBase {
  do: 'arp';
  to: string;
}

/** A raw Ethernet frame (EtherType 0x88b5, local experimental) to a device (its first NIC's MAC), a MAC, or "broadcast". */
export interface RawAction extends ActionBase {
  do: 'raw';
  to: string;
  /** Text carried as the payload. */
  payload?: string;
}

export type TrafficAction = PingAction | ArpAction | RawAction | UdpAction;
export type ActionKind = TrafficAction['do'];

export interface Scenario {
  format: typeof SCENARIO_FORMAT;
  /** Unique, URL-safe, e.g. "hub-vs-bridge/hub". */
  id: string;
  title: string;
  description?: string;
  devices: DeviceSpec[];
  links: LinkSpec[];
  traffic: TrafficAction[];
}

/** Splits "<device>:<port>" at the last colon. */
export function splitEndpoint(endpoint: string): { device: string; port: string } {
  const at = endpoint.lastIndexOf(':');
  return { device: endpoint.slice(0, at), port: endpoint.slice(at + 1) };
}

/** The port names a device has, whatever its kind. */
export function devicePorts(device: DeviceSpec): string[] {
  switch (device.kind) {
    case 'host':
    case 'router':
      return device.nics.map((nic) => nic.port);
    case 'switch':
      return device.ports.map((port) => port.port);
    default:
      return device.ports;
  }
}

/** The virtual time at which each scripted action starts, applying the documented defaults. */
export function actionTimes(traffic: readonly TrafficAction[]): number[] {
  const times: number[] = [];
  let previous: number | null = null;
  for (const action of traffic) {
    const at: number = action.at ?? (previous === null ? 0 : previous + 1000);
    times.push(at);
    previous = at;
  }
  return times;
}
