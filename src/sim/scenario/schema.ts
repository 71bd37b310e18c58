// The scenario format as valibot schemas: the single source of both the validator's first pass
// (the shape of every field, in the site's own words) and the TypeScript types the core consumes
// (format.ts derives each one with v.InferOutput). Each field's documentation lives here, on the
// schema entry, and shows on the derived types. Checks between fields are validate.ts's.

import * as v from 'valibot';
import { formatIpv4Cidr, parseIpv4Address, parseIpv4Cidr } from '../wire/ipv4-address';
import { parseMacAddress } from '../wire/mac-address';
import { KNOWN_SCENARIO_FORMATS, SCENARIO_FORMAT } from './format';
import {
  formatCount,
  MAX_ACTION_LABEL_LENGTH,
  MAX_ACTION_TIME_MS,
  MAX_AGEING_TIME_SECONDS,
  MAX_FDB_MAX_LEARNED,
  MAX_BRIDGE_VLANS,
  MAX_BRIDGES_PER_DEVICE,
  MAX_COORDINATE,
  MAX_DESCRIPTION_LENGTH,
  MAX_DEVICES,
  MAX_ID_LENGTH,
  MAX_LABEL_LENGTH,
  MAX_LINKS,
  MAX_MAC_VLANS_PER_SWITCH,
  MAX_MACS_PER_PORT,
  MAX_NAT_RULES,
  MAX_NAME_LENGTH,
  MAX_NICS_PER_DEVICE,
  MAX_PAYLOAD_LENGTH,
  MAX_PORT_NAME_LENGTH,
  MAX_PORTS_PER_BRIDGE,
  MAX_PORTS_PER_DEVICE,
  MAX_ROUTES_PER_ROUTER,
  MAX_SUBINTERFACES_PER_NIC,
  MAX_TARGET_LENGTH,
  MAX_TITLE_LENGTH,
  MAX_TRAFFIC_ACTIONS,
  MAX_UDP_LISTEN_PORTS,
  MAX_VLANS_PER_PORT,
  MAX_VXLAN_FDB_ENTRIES,
  MAX_VXLANS_PER_DEVICE,
} from './limits';

/** The one error for input that is not an object at all (an array, a number, a string, null). */
export const NOT_A_SCENARIO = 'expected a scenario object { "format", "id", "title", "devices", "links", "traffic" }';

const NAME_PATTERN = new RegExp(`^[A-Za-z_][A-Za-z0-9_-]{0,${MAX_NAME_LENGTH - 1}}$`);
const PORT_PATTERN = new RegExp(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,${MAX_PORT_NAME_LENGTH - 1}}$`);
/** A port name, or a sub-interface's ("<port>.<vlan>"): up to five characters longer. */
const PORT_PATTERN_LONG = new RegExp(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,${MAX_PORT_NAME_LENGTH + 4}}$`);
const ID_PATTERN = new RegExp(`^[a-z0-9][a-z0-9/-]{0,${MAX_ID_LENGTH - 1}}$`);
/** Longest text an address field reads before giving up: far more than any address written with spaces around it. */
const MAX_ADDRESS_TEXT = 64;

/** A value as a message quotes it: strings in quotes and cut short, numbers as written, other things by what they are. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (value === undefined) return 'nothing';
  return typeof value === 'boolean' ? String(value) : `a ${typeof value}`;
}

/** "got 2,000,000 characters" for the too-long message of a text field. */
function tooLong(what: string, max: number) {
  return (issue: { input: unknown }) =>
    `expected ${what} of at most ${formatCount(max)} characters, got ${formatCount(typeof issue.input === 'string' ? issue.input.length : 0)}`;
}

/** A text field: its type, then its length (cheap, before any pattern or parser sees the text). */
function text(what: string, max: number, minOne = true) {
  const base = v.pipe(v.string(`expected ${what} (text)`), v.maxLength(max, tooLong(what, max)));
  return minOne ? v.pipe(base, v.minLength(1, `expected a non-empty ${what.replace(/^an? /, '')}`)) : base;
}

/**
 * A list whose length is checked before its items are: `v.array(item)` alone validates every item
 * first, so a million-item list would cost a million validations before the limit said no. Even
 * `v.array(v.unknown())` visits every item (a dataset each: 0.8 s for a million), so the first
 * test is only Array.isArray.
 */
function list<TItem extends v.GenericSchema>(item: TItem, what: string, max: number, atLeastOne?: string) {
  const notList = `expected a list of ${what}`;
  return v.pipe(
    v.custom<unknown[]>(Array.isArray, notList),
    v.minLength(atLeastOne ? 1 : 0, `expected at least one ${atLeastOne ?? ''}`),
    v.maxLength(max, (issue) => `expected at most ${formatCount(max)} ${what}, got ${formatCount((issue.input as unknown[]).length)}`),
    v.array(item, notList),
  );
}

const Name = v.pipe(
  text('a name', MAX_NAME_LENGTH),
  v.regex(NAME_PATTERN, (issue) => `expected a name of 1–${MAX_NAME_LENGTH} letters, digits, "-" or "_", starting with a letter or "_", got ${show(issue.input)}`),
);
const PortName = v.pipe(
  text('a port name', MAX_PORT_NAME_LENGTH),
  v.regex(PORT_PATTERN, (issue) => `expected a port name of 1–${MAX_PORT_NAME_LENGTH} letters, digits, ".", "-" or "_", like "eth0" or "p1", got ${show(issue.input)}`),
);
const Label = text('a label', MAX_LABEL_LENGTH);

/** An address field: text of sane length, parsed, stored in canonical form. */
function address<T>(what: string, example: string, parse: (text: string) => T | null, format: (value: T) => string) {
  return v.pipe(
    v.string(`expected ${what} (text) like ${example}`),
    v.maxLength(MAX_ADDRESS_TEXT, (issue) => `expected ${what} like ${example}, got ${formatCount((issue.input as string).length)} characters of text`),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const parsed = parse(dataset.value);
      if (parsed === null) {
        addIssue({ message: `expected ${what} like ${example}, got ${show(dataset.value)}` });
        return NEVER;
      }
      return format(parsed);
    }),
  );
}
const Mac = address('a MAC address', '02:00:00:00:00:0a', parseMacAddress, (mac) => mac);
const Cidr = address('an IPv4 address with prefix length', '10.0.0.1/24', parseIpv4Cidr, formatIpv4Cidr);
const Ipv4 = address('an IPv4 address', '10.0.0.254', parseIpv4Address, (ip) => ip);

/** A whole number in a range, with its unit in every message. */
function wholeNumber(what: string, min: number, max: number, unit = '') {
  const range = `from ${formatCount(min)} to ${formatCount(max)}${unit}`;
  return v.pipe(
    v.number(`expected ${what} (a number ${range})`),
    v.check((n) => Number.isInteger(n) && n >= min && n <= max, (issue) => `expected ${what}: a whole number ${range}, got ${show(issue.input)}`),
  );
}

const Coordinate = v.pipe(
  v.number(`expected a coordinate (a number from -${formatCount(MAX_COORDINATE)} to ${formatCount(MAX_COORDINATE)})`),
  v.check(
    (n) => Number.isFinite(n) && Math.abs(n) <= MAX_COORDINATE,
    (issue) => `expected a coordinate from -${formatCount(MAX_COORDINATE)} to ${formatCount(MAX_COORDINATE)}, got ${show(issue.input)}`,
  ),
);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A strict object that is an object: valibot's own object check lets a list through (and then
 * reports each field missing), so anything but a plain object is turned away first, in one error.
 */
function objectOf<TEntries extends v.ObjectEntries>(entries: TEntries, what: string) {
  return v.pipe(notAList(what), v.strictObject(entries, what));
}

function notAList(what: string) {
  return v.custom<Record<string, unknown>>(isObject, (issue) => `${what}, got ${show(issue.input)}`);
}

/** A position hint for drawing, in abstract units; the renderer scales the drawing to fit. */
export const PositionSchema = objectOf(
  {
    /** Horizontal, finite, within ± MAX_COORDINATE. */
    x: Coordinate,
    /** Vertical, finite, within ± MAX_COORDINATE. */
    y: Coordinate,
  },
  'expected a position { "x": number, "y": number }',
);
const MAX_ENDPOINT_LENGTH = MAX_NAME_LENGTH + 1 + MAX_PORT_NAME_LENGTH;
const Endpoint = v.pipe(
  v.string('expected "device:port" (text), like "A:eth0"'),
  v.maxLength(MAX_ENDPOINT_LENGTH, (issue) => `expected "device:port", like "A:eth0", of at most ${MAX_ENDPOINT_LENGTH} characters, got ${formatCount((issue.input as string).length)}`),
  v.regex(/^[^:]+:[^:]+$/, (issue) => `expected "device:port", like "A:eth0", got ${show(issue.input)}`),
);
const Time = wholeNumber('a time in milliseconds', 0, MAX_ACTION_TIME_MS, ' ms');

/** 0 means "no VLAN" (a priority tag) and 4095 is reserved, so a VLAN is 1–4094 (IEEE 802.1Q). */
const VlanId = v.pipe(
  v.number('expected a VLAN ID (a number from 1 to 4094)'),
  v.check((vid) => Number.isInteger(vid) && vid >= 1 && vid <= 4094, (issue) => `expected a VLAN ID from 1 to 4094 (0 and 4095 are reserved), got ${show(issue.input)}`),
);
/** Linux takes an IPv4 interface MTU from 68 (RFC 791's minimum) to 65535 (IPv4's total length field). */
export const MIN_MTU = 68;
export const MAX_MTU = 65_535;
const Mtu = wholeNumber('an MTU in bytes', MIN_MTU, MAX_MTU, ' bytes');

/** An 802.1Q sub-interface of a NIC (Linux `eth0.10`): it sends tagged with `vlan`, receives only that VLAN, and shares the NIC's MAC. */
export const VlanSubinterfaceSchema = objectOf(
  {
    /** VLAN ID, 1–4094. */
    vlan: VlanId,
    /** IPv4 address with prefix length, e.g. "10.0.10.1/24". */
    ip: Cidr,
    /** The sub-interface's MTU, 68–65535 and at most its NIC's (Linux refuses more); default: the NIC's. */
    mtu: v.optional(Mtu),
  },
  'expected a sub-interface { "vlan", "ip", "mtu"? }',
);

/** "<device>:<interface>": the parent of a macvlan or ipvlan child, a NIC ("server:eth0") or an 802.1Q sub-interface ("server:eth0.10") of a namespace of the same node. */
const ParentInterface = v.pipe(
  v.string('expected the parent interface as "device:interface" (text), like "server:eth0"'),
  v.maxLength(MAX_NAME_LENGTH + 1 + MAX_PORT_NAME_LENGTH, (issue) => `expected the parent interface as "device:interface", like "server:eth0", got ${formatCount((issue.input as string).length)} characters`),
  v.regex(/^[^:]+:[^:]+$/, (issue) => `expected the parent interface as "device:interface", like "server:eth0" or "server:eth0.10", got ${show(issue.input)}`),
);

/** The macvlan modes (`ip link add … type macvlan mode <mode>`). */
export const MACVLAN_MODES = ['private', 'vepa', 'bridge', 'passthru', 'source'] as const;
/**
 * A macvlan child (drivers/net/macvlan.c, `ip link add link eth0 name mv0 type macvlan mode bridge`,
 * then moved into this namespace): a NIC with a MAC of its own that sends through its parent and
 * receives what the parent receives for that MAC.
 */
export const MacvlanSchema = objectOf(
  {
    /** The lower device: "device:interface" of a namespace of the same node (or of this one), e.g. "server:eth0" or "server:eth0.10". */
    parent: ParentInterface,
    /**
     * "private" (no sibling ever hears this child's broadcasts), "vepa" (everything goes out to the
     * switch, siblings reached only if it sends frames back: hairpin), "bridge" (siblings in bridge
     * mode reached directly), "passthru" (the one child takes over its parent), "source" (takes
     * frames only from `sources`' MACs). Default "vepa", as Linux's; Docker's macvlan driver uses "bridge".
     */
    mode: v.optional(v.picklist(MACVLAN_MODES, (issue) => `expected "mode" to be "private", "vepa", "bridge", "passthru" or "source" (Linux's macvlan modes), got ${show(issue.input)}`)),
    /** Mode "source" only: the source MACs whose frames this child receives (`macaddr add`). */
    sources: v.optional(list(Mac, 'source MACs', MAX_MACS_PER_PORT)),
  },
  'expected a macvlan { "parent", "mode"? }',
);

/** The ipvlan modes (`ip link add … type ipvlan mode <mode>`). */
export const IPVLAN_MODES = ['l2', 'l3', 'l3s'] as const;
/**
 * An ipvlan child (drivers/net/ipvlan/, Documentation/networking/ipvlan.rst): a NIC with its
 * parent's MAC; the parent hands it the frames and packets for its IP addresses.
 */
export const IpvlanSchema = objectOf(
  {
    /** The lower device, as for a macvlan: "server:eth0". */
    parent: ParentInterface,
    /** "l2" (ARP and broadcasts per child), "l3" (NOARP: the parent routes; no broadcast from children), "l3s" (l3 through netfilter). Default "l3", as Linux's; Docker's ipvlan driver uses "l2". */
    mode: v.optional(v.picklist(IPVLAN_MODES, (issue) => `expected "mode" to be "l2", "l3" or "l3s" (Linux's ipvlan modes), got ${show(issue.input)}`)),
  },
  'expected an ipvlan { "parent", "mode"? }',
);

/** One network interface of a host or router: its port name, hardware address and optional IPv4 address. */
export const NicSchema = objectOf(
  {
    /** The port's name, e.g. "eth0"; links refer to it as "<device>:<port>". */
    port: PortName,
    /** Canonical MAC address, e.g. "02:00:00:00:00:0a". */
    mac: Mac,
    /** IPv4 address with prefix length, e.g. "10.0.0.1/24", used for untagged frames; a NIC without one still sees frames. A bridge port has none. */
    ip: v.optional(Cidr),
    /** 802.1Q sub-interfaces on this NIC ("router on a stick"). A bridge port has none. */
    vlans: v.optional(list(VlanSubinterfaceSchema, '802.1Q sub-interfaces', MAX_SUBINTERFACES_PER_NIC)),
    /** The largest IPv4 packet the interface sends or takes, in bytes: 68–65535 (Linux's range for IPv4), default 1500. */
    mtu: v.optional(Mtu),
    /** A macvlan child of another interface of the node instead of a NIC on a link: it is on no link and has no `vlans`. */
    macvlan: v.optional(MacvlanSchema),
    /** An ipvlan child of another interface of the node: on no link, no `vlans`, and its `mac` is its parent's. */
    ipvlan: v.optional(IpvlanSchema),
  },
  'expected a NIC { "port", "mac", "ip"?, "vlans"? }',
);
const UdpPort = wholeNumber('a UDP port', 1, 65_535);
const UdpListen = list(UdpPort, 'UDP ports', MAX_UDP_LISTEN_PORTS);
/** ping -s and a UDP datagram: at most what fits in one IPv4 packet (65535 − 20 − 8). */
const MAX_DATA_BYTES = 65_507;
const DataSize = wholeNumber('a size in bytes', 0, MAX_DATA_BYTES, ' bytes');
const Nics = list(NicSchema, 'NICs', MAX_NICS_PER_DEVICE, 'NIC');
const Ports = list(PortName, 'ports', MAX_PORTS_PER_DEVICE, 'port');
const AgeingTime = wholeNumber('an ageing time in seconds', 0, MAX_AGEING_TIME_SECONDS, ' s');
/**
 * `fdb_max_learned` (Linux 6.8, `ip link add br0 type bridge fdb_max_learned N`): once the table holds
 * N learned entries, a new source MAC is not learned (br_fdb_create refuses it), so frames to it are
 * flooded as unknown unicast. 0, the default, is no limit.
 */
const FdbMaxLearned = wholeNumber('a limit of learned MAC addresses', 0, MAX_FDB_MAX_LEARNED);

const Flag = v.optional(v.custom<boolean>((value) => typeof value === 'boolean', 'expected true or false'));

/**
 * One line of a VLAN-filtering bridge's VLAN table (`bridge vlan add dev <dev> vid <vid> [pvid]
 * [untagged] [self]`): `dev` is one of the bridge's ports, or the bridge's own name for the bridge
 * itself (`self`: the frames its own interface sends and is handed).
 */
export const BridgeVlanSchema = objectOf(
  {
    /** A port of the bridge ("eth1"), or the bridge's own name ("br0") for `self`. */
    dev: PortName,
    /** The VLAN, 1–4094. */
    vid: VlanId,
    /** Untagged (and priority-tagged) frames arriving on `dev` join this VLAN; at most one per dev. Default false. */
    pvid: Flag,
    /** Frames of this VLAN leave `dev` without their tag (for `self`: are handed to the bridge's own interface untagged). Default false: tagged. */
    untagged: Flag,
  },
  'expected { "dev", "vid", "pvid"?, "untagged"? }',
);

/**
 * A bridge net device inside a host or router namespace (Linux `ip link add br0 type bridge`, then
 * `ip link set veth1 master br0`): its ports are NICs of the same device. A frame arriving on a
 * port is the bridge's (learned, forwarded, flooded, or passed up to the bridge's own interface);
 * the bridge's interface `name` has its own MAC and, optionally, an address.
 */
export const BridgeNetdevSchema = objectOf(
  {
    /** The bridge's interface name in its namespace, e.g. "br0": unique among the device's NIC ports, sub-interfaces and bridges. */
    name: PortName,
    /** The bridge interface's MAC, e.g. "02:00:00:00:00:b0" (Linux would take its lowest port's unless set; a scenario sets it). */
    mac: Mac,
    /** IPv4 address with prefix length of the bridge interface, e.g. "10.0.1.1/24": an interface address like a NIC's (connected route, gateway on-link, traffic target). */
    ip: v.optional(Cidr),
    /** The NIC port names (or VXLAN device names) enslaved to the bridge (`ip link set <port> master <name>`); a NIC is in at most one bridge and then has no ip and no vlans. */
    ports: list(PortName, 'bridge ports', MAX_PORTS_PER_BRIDGE),
    /** Seconds an FDB entry survives without traffic (Linux default 300). 0 makes the bridge flood every frame. */
    ageingTime: v.optional(AgeingTime),
    /** At most this many learned FDB entries (`fdb_max_learned`); 0 or absent: no limit. */
    fdbMaxLearned: v.optional(FdbMaxLearned),
    /** The bridge interface's MTU, 68–65535, default 1500. */
    mtu: v.optional(Mtu),
    /**
     * VLAN filtering (`ip link add br0 type bridge vlan_filtering 1 vlan_default_pvid 0`): every frame
     * belongs to a VLAN, and a port or the bridge itself takes only the VLANs `bridgeVlans` gives it.
     * Default false: the bridge forwards every frame as it came, tags and all.
     */
    vlanFiltering: Flag,
    /** With vlanFiltering: the VLAN table, one entry per `bridge vlan add` (no VLAN 1 unless listed, as with vlan_default_pvid 0). */
    bridgeVlans: v.optional(list(BridgeVlanSchema, 'VLAN entries', MAX_BRIDGE_VLANS)),
    /** 802.1Q sub-interfaces on the bridge's own interface (`ip link add link br0 name br0.10 type vlan id 10`), as on a NIC: "br0.10" sends tagged with 10 into the bridge and receives the frames of VLAN 10 the bridge hands up. */
    vlans: v.optional(list(VlanSubinterfaceSchema, '802.1Q sub-interfaces', MAX_SUBINTERFACES_PER_NIC)),
  },
  'expected a bridge { "name", "mac", "ip"?, "ports", … }',
);
const Bridges = list(BridgeNetdevSchema, 'bridges', MAX_BRIDGES_PER_DEVICE);

/** The largest VXLAN network identifier: the VNI field is 24 bits (RFC 7348), VXLAN_N_VID − 1 in Linux. */
export const MAX_VNI = 16_777_215;
/** Linux's VXLAN destination port (vxlan_port in drivers/net/vxlan/vxlan_core.c, kept for early adopters); IANA's is 4789. */
export const LINUX_VXLAN_PORT = 8472;
export const IANA_VXLAN_PORT = 4789;

/**
 * One static entry of a VXLAN device's FDB (`bridge fdb append <mac> dev vxlan0 dst <dst>`): frames
 * for `mac` go to the VTEP `dst`. The all-zeros MAC is the flood list: every `dst` listed with it gets
 * a copy of each broadcast, multicast and unknown unicast (head-end replication).
 */
export const VxlanFdbEntrySchema = objectOf(
  {
    /** The inner destination MAC; 00:00:00:00:00:00 is a line of the flood list. */
    mac: Mac,
    /** The remote VTEP's IPv4 address (the outer destination). */
    dst: Ipv4,
  },
  'expected a VXLAN FDB entry { "mac", "dst" }',
);

/**
 * A VXLAN device in a host or router namespace (`ip link add vxlan0 type vxlan id 42 local
 * 192.168.1.1 dev eth0 dstport 8472 [nolearning] [ageing 300]`): it wraps each Ethernet frame it
 * sends in VXLAN, UDP and IPv4 to the remote VTEP its FDB names, routed by the namespace's own
 * stack, and hands the frames it unwraps to its own interface (a bridge port, or an interface with
 * an address). Multicast groups (`group`) are not modelled: the flood list is the all-zeros entries.
 */
export const VxlanSchema = objectOf(
  {
    /** The interface name in its namespace, e.g. "vxlan0": unique among the device's NICs, sub-interfaces, bridges and VXLAN devices. */
    name: PortName,
    /** The VXLAN interface's own MAC, e.g. "02:00:00:00:0e:01". */
    mac: Mac,
    /** The VXLAN network identifier, 0–16,777,215 (24 bits). */
    vni: wholeNumber('a VNI (VXLAN network identifier)', 0, MAX_VNI),
    /** The outer source address: one of the namespace's addresses. Default: the address of the interface the route to the remote leaves by. */
    local: v.optional(Ipv4),
    /** The underlay interface (`dev eth0`): the device's MTU defaults to its MTU − 50. */
    dev: v.optional(PortName),
    /** The UDP destination port, and the port it listens on: default 8472 (Linux's default); 4789 is IANA's. */
    dstport: v.optional(wholeNumber('a UDP port', 1, 65_535)),
    /** Learn inner source MAC → outer source IP from what arrives (vxlan_snoop). Default true; false is `nolearning`. */
    learning: Flag,
    /** Whether the outer UDP datagram carries a checksum: default true, as Linux (iproute2 shows `udpcsum`); false is `noudpcsum` (checksum 0, which IPv4 allows). */
    udpcsum: Flag,
    /** Seconds a learned entry lives without being used, default 300 (0 is taken as 300, as Linux does). */
    ageing: v.optional(AgeingTime),
    /** The VXLAN interface's MTU, 68–65535. Default: the `dev` interface's MTU − 50 (IPv4 underlay); 1500 without `dev`, as Linux. */
    mtu: v.optional(Mtu),
    /** An address on the VXLAN interface itself, when it is no bridge port, e.g. "10.0.0.1/24". */
    ip: v.optional(Cidr),
    /** Static FDB entries, as `bridge fdb append … dev vxlan0 dst …` installs them: all-zeros entries are the flood list. */
    fdb: v.optional(list(VxlanFdbEntrySchema, 'VXLAN FDB entries', MAX_VXLAN_FDB_ENTRIES)),
  },
  'expected a VXLAN device { "name", "mac", "vni", … }',
);
const Vxlans = list(VxlanSchema, 'VXLAN devices', MAX_VXLANS_PER_DEVICE);

/** An interface of a namespace as a NAT rule names it: a NIC, a sub-interface ("eth0.10", up to 21 characters) or a bridge. */
const InterfaceName = v.pipe(
  text('an interface name', MAX_PORT_NAME_LENGTH + 5),
  v.regex(PORT_PATTERN_LONG, (issue) => `expected an interface name like "eth0", "eth0.10" or "br0", got ${show(issue.input)}`),
);

/** `nft add rule ip nat postrouting oifname "eth0" ip saddr 10.0.1.0/24 masquerade`. */
export const MasqueradeSchema = objectOf(
  {
    /** The output interface (`oifname`): a NIC, sub-interface or bridge of this namespace. */
    out: InterfaceName,
    /** Only packets from this prefix (`ip saddr`), e.g. "10.0.1.0/24"; default: every source. */
    source: v.optional(Cidr),
  },
  'expected a masquerade rule { "out", "source"? }',
);
/** A port forward as Docker's `-p 8080:80/udp`: a DNAT in prerouting (`iifname "eth0" udp dport 8080 dnat to 10.0.1.2:80`). */
export const PortForwardSchema = objectOf(
  {
    /** The input interface (`iifname`) the connections come in on. */
    in: InterfaceName,
    /** "udp" (ICMP has no ports to forward). */
    proto: v.picklist(['udp'], (issue) => `expected "proto" to be "udp" (the simulator forwards UDP ports), got ${show(issue.input)}`),
    /** The published port on this namespace's address. */
    port: wholeNumber('a UDP port', 1, 65_535),
    /** The container's address the connection goes to. */
    to: Ipv4,
    /** The container's port; default: `port`. */
    toPort: v.optional(wholeNumber('a UDP port', 1, 65_535)),
  },
  'expected a port forward { "in", "proto", "port", "to", "toPort"? }',
);
/** NAT in this namespace (netfilter's nat table; turns connection tracking on). */
export const NatSchema = objectOf(
  {
    /** Source NAT to the output interface's address (postrouting). */
    masquerade: v.optional(list(MasqueradeSchema, 'masquerade rules', MAX_NAT_RULES)),
    /** Destination NAT of published ports (prerouting). */
    forward: v.optional(list(PortForwardSchema, 'port forwards', MAX_NAT_RULES)),
  },
  'expected NAT { "masquerade"?, "forward"? }',
);
const kindLiteral = <K extends string>(kind: K) => v.literal(kind, `expected "kind" to be "${kind}"`);

/** A device's name, e.g. "A" or "br0": unique in the scenario; links, traffic and the reader refer to it. */
const DeviceId = Name;
/** Shown under the device instead of its name. */
const DeviceLabel = v.optional(Label);
/** The machine a namespace belongs to (a name): host and router devices with the same `node` are namespaces of one machine, which veth links may join. Default: a machine of its own. */
const NodeName = v.optional(Name);

/** A host: one network namespace (interfaces, addresses, one default gateway, a neighbour table per interface), forwarding off. */
export const HostSchema = v.strictObject(
  {
    /** The host's name, unique in the scenario. */
    id: DeviceId,
    /** A host: one namespace, forwarding off. */
    kind: kindLiteral('host'),
    /** Shown under the device instead of its name. */
    label: DeviceLabel,
    /** The machine this namespace belongs to: host and router devices with the same `node` are namespaces of one machine, which veth links may join. Default: a machine of its own. */
    node: NodeName,
    /** The namespace's NICs, each on a link (a cable or a veth pair) or none. */
    nics: Nics,
    /** Bridge net devices over this namespace's NICs (br0 over veth ends). */
    bridges: v.optional(Bridges),
    /** VXLAN devices of this namespace (a VTEP); a bridge's `ports` may name them. */
    vxlans: v.optional(Vxlans),
    /** Default gateway (an IPv4 address that must be on-link through one of the interfaces: a NIC, a sub-interface or a bridge). */
    gateway: v.optional(Ipv4),
    /** UDP ports with a socket bound to them (on every address of the host); a datagram for any other port is answered with ICMP port unreachable. */
    udpListen: v.optional(UdpListen),
    /** NAT rules (masquerade, port forwards): the namespace then tracks connections. */
    nat: v.optional(NatSchema),
    /** Where to draw it. */
    position: v.optional(PositionSchema),
  },
  'expected a host { "id", "kind", "nics", … }',
);
/** A hub: every frame in on one port goes out of every other (no collisions modelled). */
export const HubSchema = v.strictObject(
  {
    /** The hub's name, unique in the scenario. */
    id: DeviceId,
    /** A hub. */
    kind: kindLiteral('hub'),
    /** Shown under the device instead of its name. */
    label: DeviceLabel,
    /** Its port names, e.g. ["p1", "p2"]. */
    ports: Ports,
    /** Where to draw it. */
    position: v.optional(PositionSchema),
  },
  'expected a hub { "id", "kind", "ports", … }',
);

/**
 * A bridge's local interface, named after the bridge (`ip link set br0 address …; ip addr add … dev br0`):
 * frames for `mac`, and broadcasts, reach its own IP stack; it can ping, ARP and be pinged.
 */
export const BridgeLocalSchema = objectOf(
  {
    /** The bridge device's MAC, e.g. "02:00:00:00:00:b0" (Linux would take its lowest port's unless set; a scenario sets it). */
    mac: Mac,
    /** IPv4 address with prefix length, e.g. "10.0.0.1/24". */
    ip: Cidr,
  },
  'expected a local interface { "mac", "ip" }',
);
/** A learning bridge as a box of its own (Linux bridge, no VLAN filtering). */
export const BridgeSchema = v.strictObject(
  {
    /** The bridge's name, unique in the scenario. */
    id: DeviceId,
    /** A learning bridge box. */
    kind: kindLiteral('bridge'),
    /** Shown under the device instead of its name. */
    label: DeviceLabel,
    /** Its port names, e.g. ["p1", "p2"]. */
    ports: Ports,
    /** Seconds an FDB entry survives without traffic (Linux default 300). 0 makes the bridge a hub. */
    ageingTime: v.optional(AgeingTime),
    /** At most this many learned FDB entries (`fdb_max_learned`); 0 or absent: no limit. */
    fdbMaxLearned: v.optional(FdbMaxLearned),
    /** The bridge's own interface (Linux br0 with an address): the bridge is then also a host on its segment. */
    local: v.optional(BridgeLocalSchema),
    /** Where to draw it. */
    position: v.optional(PositionSchema),
  },
  'expected a bridge { "id", "kind", "ports", … }',
);

/**
 * A port of a VLAN-aware switch (like a Linux bridge with vlan_filtering=1).
 * Access (the default): untagged on the wire, every frame in VLAN `vlan` (default 1).
 * Trunk: frames tagged with one of `vlans` pass; untagged frames belong to `native` and leave untagged (no native VLAN: untagged frames are dropped).
 */
export const SwitchPortSchema = objectOf(
  {
    /** The port's name, e.g. "p1". */
    port: PortName,
    /** "access" (the default) or "trunk". */
    mode: v.optional(v.picklist(['access', 'trunk'], (issue) => `expected "mode" to be "access" or "trunk", got ${show(issue.input)}`)),
    /** Access VLAN (the PVID), 1–4094; default 1. */
    vlan: v.optional(VlanId),
    /** Trunk: the VLANs allowed tagged. */
    vlans: v.optional(list(VlanId, 'VLANs', MAX_VLANS_PER_PORT)),
    /** Trunk: the native VLAN, carried untagged. */
    native: v.optional(VlanId),
    /** Port security: at most this many source MACs are learned on the port; frames from any other are dropped. */
    maxMacs: v.optional(wholeNumber('a limit of MAC addresses', 1, MAX_MACS_PER_PORT)),
    /** Reflective relay (hairpin, what VEPA needs): a frame may go back out of the port it came in on. Default false. */
    hairpin: Flag,
  },
  'expected a switch port { "port", "mode"?, "vlan"?, "vlans"?, "native"?, "maxMacs"?, "hairpin"? }',
);
/** MAC-based VLAN assignment: an untagged frame from `mac` arriving on an access port joins `vlan` instead of the port's own. */
export const MacVlanSchema = objectOf(
  {
    /** The source MAC the assignment matches. */
    mac: Mac,
    /** The VLAN its untagged frames join. */
    vlan: VlanId,
  },
  'expected a MAC-based VLAN { "mac", "vlan" }',
);
/** A VLAN-aware switch (one learning bridge that filters by VLAN). */
export const SwitchSchema = v.strictObject(
  {
    /** The switch's name, unique in the scenario. */
    id: DeviceId,
    /** A VLAN-aware switch. */
    kind: kindLiteral('switch'),
    /** Shown under the device instead of its name. */
    label: DeviceLabel,
    /** Its ports, each access or trunk. */
    ports: list(SwitchPortSchema, 'ports', MAX_PORTS_PER_DEVICE, 'port'),
    /** Seconds an FDB entry survives without traffic (default 300). */
    ageingTime: v.optional(AgeingTime),
    /** At most this many learned MAC table entries, all ports together (`fdb_max_learned`); 0 or absent: no limit. Past it, unknown unicast floods. */
    fdbMaxLearned: v.optional(FdbMaxLearned),
    /** MAC-based VLAN assignments for untagged frames on access ports. */
    macVlans: v.optional(list(MacVlanSchema, 'MAC-based VLAN assignments', MAX_MAC_VLANS_PER_SWITCH)),
    /** Where to draw it. */
    position: v.optional(PositionSchema),
  },
  'expected a switch { "id", "kind", "ports", … }',
);

/** A static route: `to` is a prefix ("10.9.0.0/16", or "0.0.0.0/0" for the default route), `via` the next hop, on-link through one of the router's interfaces. */
export const RouteSchema = objectOf(
  {
    /** The destination prefix, e.g. "10.9.0.0/16"; "0.0.0.0/0" is the default route. */
    to: Cidr,
    /** The next hop, inside the subnet of one of the router's interfaces. */
    via: Ipv4,
  },
  'expected a route { "to": "10.9.0.0/16", "via": "10.0.0.254" }',
);
/** A router: a namespace like a host's (NICs, sub-interfaces, bridges), connected routes for each address, static routes, and IP forwarding on. */
export const RouterSchema = v.strictObject(
  {
    /** The router's name, unique in the scenario. */
    id: DeviceId,
    /** A router: one namespace, forwarding on. */
    kind: kindLiteral('router'),
    /** Shown under the device instead of its name. */
    label: DeviceLabel,
    /** The machine this namespace belongs to, as on a host. */
    node: NodeName,
    /** The namespace's NICs, as on a host. */
    nics: Nics,
    /** Bridge net devices over this namespace's NICs, as on a host. */
    bridges: v.optional(Bridges),
    /** VXLAN devices of this namespace, as on a host. */
    vxlans: v.optional(Vxlans),
    /** Static routes, tried after the connected ones by longest prefix. */
    routes: v.optional(list(RouteSchema, 'routes', MAX_ROUTES_PER_ROUTER)),
    /** UDP ports with a socket bound to them, as on a host. */
    udpListen: v.optional(UdpListen),
    /** NAT rules, as on a host: masquerade on the uplink, port forwards. */
    nat: v.optional(NatSchema),
    /** Where to draw it. */
    position: v.optional(PositionSchema),
  },
  'expected a router { "id", "kind", "nics", … }',
);
// A variant's issue carries a path to its key when the input is an object with a wrong key, and none when the input is no object.
export const DeviceSchema = v.pipe(notAList('expected a device { "id", "kind", … }'), v.variant('kind', [HostSchema, HubSchema, BridgeSchema, SwitchSchema, RouterSchema], (issue) =>
  issue.path?.length
    ? `expected "kind" to be "host", "hub", "bridge", "switch" or "router", got ${show(issue.input)}`
    : `expected a device { "id", "kind", … }, got ${show(issue.input)}`,
));

const ActionFields = {
  /** Virtual time in milliseconds at which the action starts. Default: 0 for the first action, else 1000 ms after the previous one. */
  at: v.optional(Time),
  /** The device that acts: a host or router (or a bridge box with a local interface). */
  from: Name,
  /** A short label shown to the reader, e.g. "A pings B". Default: generated. */
  label: v.optional(text('an action label', MAX_ACTION_LABEL_LENGTH, false)),
};
const Target = text('a target (a device name or an address)', MAX_TARGET_LENGTH);

/** The IP_MTU_DISCOVER choices of `ping -M`. */
export const MtuDiscoverySchema = v.picklist(['want', 'do', 'dont'], (issue) => `expected "mtuDiscovery" to be "want", "do" or "dont" (as ping -M), got ${show(issue.input)}`);
/** ICMP echo request to a device (its first interface address: a NIC's, else a bridge's) or to an IPv4 address. */
export const PingSchema = v.strictObject(
  {
    ...ActionFields,
    /** An ICMP echo request, like `ping`. */
    do: v.literal('ping', 'expected "do" to be "ping"'),
    /** A device name (its first address) or an IPv4 address. */
    to: Target,
    /** Data bytes after the ICMP header, like `ping -s`: 0–65507, default 56 (a 84-byte IPv4 packet). */
    size: v.optional(DataSize),
    /**
     * Path MTU discovery, like `ping -M`: "want" (the default, as Linux ping without -M: DF set when the
     * packet fits the path, else fragmented here), "do" (DF always; too big for the path is a local
     * error) or "dont" (DF never; fragmented wherever it does not fit).
     */
    mtuDiscovery: v.optional(MtuDiscoverySchema),
  },
  'expected a ping { "from", "do", "to", "size"?, "mtuDiscovery"? }',
);
/** An ARP request ("who has <to>?"), like `arping`. `to` is a device or an IPv4 address. */
export const ArpSchema = v.strictObject(
  {
    ...ActionFields,
    /** An ARP request, like `arping`. */
    do: v.literal('arp', 'expected "do" to be "arp"'),
    /** A device name (its first address) or an IPv4 address. */
    to: Target,
  },
  'expected an ARP request { "from", "do", "to" }',
);
/** A raw Ethernet frame (EtherType 0x88b5, local experimental) to a device (its first NIC's MAC), a MAC, or "broadcast". */
export const RawSchema = v.strictObject(
  {
    ...ActionFields,
    /** A raw Ethernet frame. */
    do: v.literal('raw', 'expected "do" to be "raw"'),
    /** A host's name (its first NIC's MAC), a MAC address, or "broadcast". */
    to: Target,
    /** Text carried as the payload. */
    payload: v.optional(text('a payload', MAX_PAYLOAD_LENGTH, false)),
  },
  'expected a raw frame { "from", "do", "to", "payload"? }',
);
/** One UDP datagram to `to` (a device or an IPv4 address) on port `port`, like `nc -u`: fire and forget. */
export const UdpSchema = v.strictObject(
  {
    ...ActionFields,
    /** One UDP datagram, like `nc -u`. */
    do: v.literal('udp', 'expected "do" to be "udp"'),
    /** A device name (its first address) or an IPv4 address. */
    to: Target,
    /** The destination port, 1–65535. */
    port: UdpPort,
    /** The source port, 1–65535; default: one the host picks from Linux's ephemeral range 32768–60999. */
    sourcePort: v.optional(UdpPort),
    /** Data bytes, 0–65507; byte k is k mod 256. Default 32. */
    size: v.optional(DataSize),
  },
  'expected a UDP datagram { "from", "do", "to", "port", "sourcePort"?, "size"? }',
);
export const ActionSchema = v.pipe(notAList('expected a traffic action { "from", "do", "to", … }'), v.variant(
  'do',
  [PingSchema, ArpSchema, RawSchema, UdpSchema],
  (issue) =>
    issue.path?.length
      ? `expected "do" to be "ping", "arp", "raw" or "udp", got ${show(issue.input)}`
      : `expected a traffic action { "from", "do", "to", … }, got ${show(issue.input)}`,
));

/** What a link is: a cable between machines (the default), or a veth pair inside one. */
export const LinkTypeSchema = v.picklist(['cable', 'veth'], (issue) => `expected "type" to be "cable" or "veth", got ${show(issue.input)}`);
/**
 * A link between two ports, each written "<device>:<port>": a cable (the default), or a veth pair
 * (`type: "veth"`) joining two interfaces of host/router namespaces of the same node.
 */
export const LinkSchema = objectOf(
  {
    /** One end, "<device>:<port>". */
    a: Endpoint,
    /** The other end, "<device>:<port>". */
    b: Endpoint,
    /** "cable" (the default) or "veth": a veth pair lives inside one machine, so both ends are namespaces with the same `node`. */
    type: v.optional(LinkTypeSchema),
  },
  'expected a link { "a": "device:port", "b": "device:port" }',
);

/** The error for a format this version does not read: which ones it does, and whether this one is newer. */
function unknownFormat(format: unknown): string {
  const known = `expected ${KNOWN_SCENARIO_FORMATS.map((f) => `"${f}"`).join(' or ')} (the formats this version of vnet-live reads), got ${show(format)}`;
  const version = typeof format === 'string' ? /^vnet-live\/scenario@([1-9][0-9]{0,8})$/.exec(format)?.[1] : undefined;
  const newer = version !== undefined && Number(version) > Number(SCENARIO_FORMAT.slice(SCENARIO_FORMAT.indexOf('@') + 1));
  return newer ? `${known}, a format of a newer version of vnet-live` : known;
}

/** A whole scenario: a topology and the traffic to run on it. */
export const ScenarioSchema = v.strictObject(
  {
    /** The format and its version, "vnet-live/scenario@2" (a "@1" file is migrated to it before validation). */
    format: v.literal(SCENARIO_FORMAT, (issue) => unknownFormat(issue.input)),
    /** Unique, URL-safe, e.g. "hub-vs-bridge/hub". */
    id: v.pipe(text('an id', MAX_ID_LENGTH), v.regex(ID_PATTERN, (issue) => `expected a lowercase id like "hub-vs-bridge/hub", got ${show(issue.input)}`)),
    /** One line above the drawing. */
    title: text('a title', MAX_TITLE_LENGTH),
    /** A paragraph or two under the title. */
    description: v.optional(text('a description', MAX_DESCRIPTION_LENGTH, false)),
    /** Every device: hosts and routers (namespaces), hubs, bridges, switches. */
    devices: list(DeviceSchema, 'devices', MAX_DEVICES, 'device'),
    /** Every link: cables and veth pairs. */
    links: list(LinkSchema, 'links', MAX_LINKS),
    /** The scripted traffic, in order. */
    traffic: list(ActionSchema, 'traffic actions', MAX_TRAFFIC_ACTIONS),
  },
  NOT_A_SCENARIO,
);
