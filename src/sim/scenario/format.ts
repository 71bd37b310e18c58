// The scenario format: one declarative, versioned, JSON-compatible description of a topology and
// the traffic to run on it. Documented for authors in content/scenarios/README.md; its schema is
// schema.ts, validated by validate.ts. These types are what the core consumes after validation.

import type * as v from 'valibot';
import type * as s from './schema';

export { KNOWN_SCENARIO_FORMATS, SCENARIO_FORMAT, SCENARIO_FORMAT_V1 } from './format-id';

// Every type below is derived from its schema (schema.ts), where each field is documented: the
// validator and the types cannot drift apart. Type-only imports: this file weighs nothing in a page.

/** A position hint for drawing, in abstract units; the renderer scales the drawing to fit. */
export type Position = v.InferOutput<typeof s.PositionSchema>;
/** An 802.1Q sub-interface of a NIC (Linux `eth0.10`): it sends tagged with `vlan`, receives only that VLAN, and shares the NIC's MAC. */
export type VlanSubinterfaceSpec = v.InferOutput<typeof s.VlanSubinterfaceSchema>;
/** One network interface of a host or router: its port name, hardware address and optional IPv4 address. */
export type HostNicSpec = v.InferOutput<typeof s.NicSchema>;
/** A macvlan child's link to its parent: the parent interface and the mode. */
export type MacvlanSpec = v.InferOutput<typeof s.MacvlanSchema>;
export type MacvlanMode = NonNullable<MacvlanSpec['mode']>;
/** An ipvlan child's link to its parent: the parent interface and the mode. */
export type IpvlanSpec = v.InferOutput<typeof s.IpvlanSchema>;
export type IpvlanMode = NonNullable<IpvlanSpec['mode']>;
/** NAT in a namespace: masquerade rules and port forwards. */
export type NatSpec = v.InferOutput<typeof s.NatSchema>;
export type MasqueradeSpec = v.InferOutput<typeof s.MasqueradeSchema>;
export type PortForwardSpec = v.InferOutput<typeof s.PortForwardSchema>;
/** A bridge net device inside a host or router namespace (br0 over veth ends), with its own interface. */
export type BridgeNetdevSpec = v.InferOutput<typeof s.BridgeNetdevSchema>;
export type BridgeVlanSpec = v.InferOutput<typeof s.BridgeVlanSchema>;
/** A VXLAN device in a host or router namespace (a VTEP's vxlan0). */
export type VxlanSpec = v.InferOutput<typeof s.VxlanSchema>;
/** One static entry of a VXLAN device's FDB (all-zeros: a line of the flood list). */
export type VxlanFdbEntrySpec = v.InferOutput<typeof s.VxlanFdbEntrySchema>;
/** A host: one network namespace, forwarding off. */
export type HostSpec = v.InferOutput<typeof s.HostSchema>;
/** A hub: every frame in on one port goes out of every other. */
export type HubSpec = v.InferOutput<typeof s.HubSchema>;
/** A learning bridge as a box of its own. */
export type BridgeSpec = v.InferOutput<typeof s.BridgeSchema>;
/** A bridge box's local interface, named after the bridge (br0 with a MAC and an address). */
export type BridgeLocalSpec = v.InferOutput<typeof s.BridgeLocalSchema>;
/** A port of a VLAN-aware switch: access (one untagged VLAN) or trunk (tagged VLANs, optional native). */
export type SwitchPortSpec = v.InferOutput<typeof s.SwitchPortSchema>;
/** MAC-based VLAN assignment: an untagged frame from `mac` arriving on an access port joins `vlan` instead of the port's own. */
export type MacVlanSpec = v.InferOutput<typeof s.MacVlanSchema>;
/** A VLAN-aware switch. */
export type SwitchSpec = v.InferOutput<typeof s.SwitchSchema>;
/** A static route: `to` a prefix, `via` the next hop on-link through one of the router's interfaces. */
export type RouteSpec = v.InferOutput<typeof s.RouteSchema>;
/** A router: a namespace like a host's, with static routes and IP forwarding on. */
export type RouterSpec = v.InferOutput<typeof s.RouterSchema>;

export type DeviceSpec = v.InferOutput<typeof s.DeviceSchema>;
export type DeviceKind = DeviceSpec['kind'];

/** A link between two ports, each written "<device>:<port>": a cable (the default) or a veth pair. */
export type LinkSpec = v.InferOutput<typeof s.LinkSchema>;
/** What a link is: a cable between machines, or a veth pair inside one. */
export type LinkType = v.InferOutput<typeof s.LinkTypeSchema>;

/** ICMP echo request to a device (its first interface address) or to an IPv4 address. */
export type PingAction = v.InferOutput<typeof s.PingSchema>;
/** The IP_MTU_DISCOVER choices of `ping -M`. */
export type MtuDiscovery = v.InferOutput<typeof s.MtuDiscoverySchema>;
/** One UDP datagram to `to` (a device or an IPv4 address) on port `port`, like `nc -u`: fire and forget. */
export type UdpAction = v.InferOutput<typeof s.UdpSchema>;
/** An ARP request ("who has <to>?"), like `arping`. */
export type ArpAction = v.InferOutput<typeof s.ArpSchema>;
/** A raw Ethernet frame (EtherType 0x88b5) to a device, a MAC, or "broadcast". */
export type RawAction = v.InferOutput<typeof s.RawSchema>;

export type TrafficAction = v.InferOutput<typeof s.ActionSchema>;
export type ActionKind = TrafficAction['do'];

/** A whole scenario, as validateScenario returns it (migrated to the current format, addresses canonical). */
export type Scenario = v.InferOutput<typeof s.ScenarioSchema>;

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

/**
 * A macvlan or ipvlan child and its parent, as the engine joins them: the child's NIC (`child`) and,
 * on the parent's namespace, the parent interface (`lower`, a NIC or "eth0.10") and the port the
 * child's frames arrive on there (`upper`: "<child device>.<child port>@<lower>", a link of no
 * cable, like a veth's other end). Only for a validated scenario.
 */
export interface StackedLinkSpec {
  kind: 'macvlan' | 'ipvlan';
  /** The mode with the kernel's default applied (macvlan vepa, ipvlan l3). */
  mode: MacvlanMode | IpvlanMode;
  child: { device: string; port: string };
  parent: { device: string; lower: string; upper: string };
  mac: string;
  /** The child's IPv4 addresses (ipvlan demultiplexes by them). */
  ips: string[];
  /** macvlan mode source: the source MACs it takes frames from. */
  sources?: string[];
}

/** The port on the parent's namespace that a child's link ends at. */
export function upperPortName(childDevice: string, childPort: string, lower: string): string {
  return `${childDevice}.${childPort}@${lower}`;
}

/** Every macvlan and ipvlan child of the scenario, in device and NIC order. */
export function stackedLinks(scenario: Pick<Scenario, 'devices'>): StackedLinkSpec[] {
  const out: StackedLinkSpec[] = [];
  for (const device of scenario.devices) {
    if (device.kind !== 'host' && device.kind !== 'router') continue;
    for (const nic of device.nics) {
      const link = nic.macvlan ?? nic.ipvlan;
      if (link === undefined) continue;
      const { device: parent, port: lower } = splitEndpoint(link.parent);
      const ips = nic.ip === undefined ? [] : [nic.ip.slice(0, nic.ip.indexOf('/'))];
      const spec: StackedLinkSpec = nic.macvlan !== undefined
        ? { kind: 'macvlan', mode: nic.macvlan.mode ?? 'vepa', child: { device: device.id, port: nic.port }, parent: { device: parent, lower, upper: upperPortName(device.id, nic.port, lower) }, mac: nic.mac, ips }
        : { kind: 'ipvlan', mode: nic.ipvlan!.mode ?? 'l3', child: { device: device.id, port: nic.port }, parent: { device: parent, lower, upper: upperPortName(device.id, nic.port, lower) }, mac: nic.mac, ips };
      if (nic.macvlan?.sources !== undefined) spec.sources = [...nic.macvlan.sources];
      out.push(spec);
    }
  }
  return out;
}
