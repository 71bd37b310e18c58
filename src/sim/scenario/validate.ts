// Validates untrusted scenario input (a file, a share link, the editor) with valibot, then checks
// what a schema cannot: references between devices, links and traffic. Every error names the
// path and what was expected in the site's own words; suspicious-but-legal setups (duplicate MAC
// or IP) are warnings. Limits come from limits.ts; counts are checked before anything deep, and
// at most MAX_REPORTED_ERRORS errors are returned.

import * as v from 'valibot';
import { broadcastAddress, formatIpv4Cidr, inSameSubnet, parseIpv4Address, parseIpv4Cidr } from '../wire/ipv4-address';
import { BROADCAST_MAC, isMulticastMac, parseMacAddress, ZERO_MAC } from '../wire/mac-address';
import { devicePorts, SCENARIO_FORMAT, splitEndpoint, type HostNicSpec, type HostSpec, type LinkSpec, type RouterSpec, type Scenario, type SwitchSpec } from './format';
import {
  formatCount,
  MAX_ACTION_LABEL_LENGTH,
  MAX_ACTION_TIME_MS,
  MAX_AGEING_TIME_SECONDS,
  MAX_BRIDGES_PER_DEVICE,
  MAX_COORDINATE,
  MAX_DESCRIPTION_LENGTH,
  MAX_DEVICES,
  MAX_ID_LENGTH,
  MAX_LABEL_LENGTH,
  MAX_LINKS,
  MAX_MAC_VLANS_PER_SWITCH,
  MAX_MACS_PER_PORT,
  MAX_NAME_LENGTH,
  MAX_NICS_PER_DEVICE,
  MAX_PAYLOAD_LENGTH,
  MAX_PORTS_PER_BRIDGE,
  MAX_PORT_NAME_LENGTH,
  MAX_PORTS_PER_DEVICE,
  MAX_REPORTED_ERRORS,
  MAX_ROUTES_PER_ROUTER,
  MAX_SUBINTERFACES_PER_NIC,
  MAX_TARGET_LENGTH,
  MAX_TITLE_LENGTH,
  MAX_TOTAL_INTERFACES,
  MAX_TRAFFIC_ACTIONS,
  MAX_UDP_LISTEN_PORTS,
  MAX_VLANS_PER_PORT,
} from './limits';

export interface ScenarioIssue {
  /** Where, e.g. "devices[2].nics[0].mac"; "(top level)" for the input as a whole. */
  path: string;
  message: string;
}

/**
 * The outcome of validateScenario. A rejection lists at most MAX_REPORTED_ERRORS errors (in input
 * order); `omittedErrors` counts the ones left out (0 when none were), for a closing line such
 * as moreErrorsLine(omittedErrors) → "… and 1,234 more".
 */
export type ValidationResult =
  | { ok: true; scenario: Scenario; warnings: ScenarioIssue[] }
  | { ok: false; errors: ScenarioIssue[]; omittedErrors: number; warnings: ScenarioIssue[] };

/** The one error for input that is not an object at all (an array, a number, a string, null). */
export const NOT_A_SCENARIO = 'expected a scenario object { "format", "id", "title", "devices", "links", "traffic" }';

const NAME_PATTERN = new RegExp(`^[A-Za-z_][A-Za-z0-9_-]{0,${MAX_NAME_LENGTH - 1}}$`);
const PORT_PATTERN = new RegExp(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,${MAX_PORT_NAME_LENGTH - 1}}$`);
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
 * first, so a million-item list would cost a million validations before the limit said no.
 */
function list<TItem extends v.GenericSchema>(item: TItem, what: string, max: number, atLeastOne?: string) {
  const notList = `expected a list of ${what}`;
  return v.pipe(
    v.array(v.unknown(), notList),
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

const Position = objectOf({ x: Coordinate, y: Coordinate }, 'expected a position { "x": number, "y": number }');
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
const Nic = objectOf(
  {
    port: PortName,
    mac: Mac,
    ip: v.optional(Cidr),
    vlans: v.optional(list(objectOf({ vlan: VlanId, ip: Cidr, mtu: v.optional(Mtu) }, 'expected a sub-interface { "vlan", "ip", "mtu"? }'), '802.1Q sub-interfaces', MAX_SUBINTERFACES_PER_NIC)),
    mtu: v.optional(Mtu),
  },
  'expected a NIC { "port", "mac", "ip"?, "vlans"? }',
);
const UdpPort = wholeNumber('a UDP port', 1, 65_535);
const UdpListen = list(UdpPort, 'UDP ports', MAX_UDP_LISTEN_PORTS);
/** ping -s and a UDP datagram: at most what fits in one IPv4 packet (65535 − 20 − 8). */
const MAX_DATA_BYTES = 65_507;
const DataSize = wholeNumber('a size in bytes', 0, MAX_DATA_BYTES, ' bytes');
const Nics = list(Nic, 'NICs', MAX_NICS_PER_DEVICE, 'NIC');
const Ports = list(PortName, 'ports', MAX_PORTS_PER_DEVICE, 'port');
const AgeingTime = wholeNumber('an ageing time in seconds', 0, MAX_AGEING_TIME_SECONDS, ' s');
/** A bridge net device in a host or router namespace (br0 over veth ends). */
const BridgeNetdev = objectOf(
  {
    name: PortName,
    mac: Mac,
    ip: v.optional(Cidr),
    ports: list(PortName, 'bridge ports', MAX_PORTS_PER_BRIDGE),
    ageingTime: v.optional(AgeingTime),
    mtu: v.optional(Mtu),
  },
  'expected a bridge { "name", "mac", "ip"?, "ports", "ageingTime"?, "mtu"? }',
);
const Bridges = list(BridgeNetdev, 'bridges', MAX_BRIDGES_PER_DEVICE);
const kindLiteral = <K extends string>(kind: K) => v.literal(kind, `expected "kind" to be "${kind}"`);

const HostSchema = v.strictObject(
  { id: Name, kind: kindLiteral('host'), label: v.optional(Label), node: v.optional(Name), nics: Nics, bridges: v.optional(Bridges), gateway: v.optional(Ipv4), udpListen: v.optional(UdpListen), position: v.optional(Position) },
  'expected a host { "id", "kind", "nics", … }',
);
const HubSchema = v.strictObject(
  { id: Name, kind: kindLiteral('hub'), label: v.optional(Label), ports: Ports, position: v.optional(Position) },
  'expected a hub { "id", "kind", "ports", … }',
);
const BridgeSchema = v.strictObject(
  {
    id: Name,
    kind: kindLiteral('bridge'),
    label: v.optional(Label),
    ports: Ports,
    ageingTime: v.optional(AgeingTime),
    local: v.optional(objectOf({ mac: Mac, ip: Cidr }, 'expected a local interface { "mac", "ip" }')),
    position: v.optional(Position),
  },
  'expected a bridge { "id", "kind", "ports", … }',
);
const SwitchPort = objectOf(
  {
    port: PortName,
    mode: v.optional(v.picklist(['access', 'trunk'], (issue) => `expected "mode" to be "access" or "trunk", got ${show(issue.input)}`)),
    vlan: v.optional(VlanId),
    vlans: v.optional(list(VlanId, 'VLANs', MAX_VLANS_PER_PORT)),
    native: v.optional(VlanId),
    maxMacs: v.optional(wholeNumber('a limit of MAC addresses', 1, MAX_MACS_PER_PORT)),
  },
  'expected a switch port { "port", "mode"?, "vlan"?, "vlans"?, "native"?, "maxMacs"? }',
);
const SwitchSchema = v.strictObject(
  {
    id: Name,
    kind: kindLiteral('switch'),
    label: v.optional(Label),
    ports: list(SwitchPort, 'ports', MAX_PORTS_PER_DEVICE, 'port'),
    ageingTime: v.optional(AgeingTime),
    macVlans: v.optional(list(objectOf({ mac: Mac, vlan: VlanId }, 'expected a MAC-based VLAN { "mac", "vlan" }'), 'MAC-based VLAN assignments', MAX_MAC_VLANS_PER_SWITCH)),
    position: v.optional(Position),
  },
  'expected a switch { "id", "kind", "ports", … }',
);
const RouterSchema = v.strictObject(
  {
    id: Name,
    kind: kindLiteral('router'),
    label: v.optional(Label),
    node: v.optional(Name),
    nics: Nics,
    bridges: v.optional(Bridges),
    routes: v.optional(list(objectOf({ to: Cidr, via: Ipv4 }, 'expected a route { "to": "10.9.0.0/16", "via": "10.0.0.254" }'), 'routes', MAX_ROUTES_PER_ROUTER)),
    udpListen: v.optional(UdpListen),
    position: v.optional(Position),
  },
  'expected a router { "id", "kind", "nics", … }',
);
// A variant's issue carries a path to its key when the input is an object with a wrong key, and none when the input is no object.
const DeviceSchema = v.pipe(notAList('expected a device { "id", "kind", … }'), v.variant('kind', [HostSchema, HubSchema, BridgeSchema, SwitchSchema, RouterSchema], (issue) =>
  issue.path?.length
    ? `expected "kind" to be "host", "hub", "bridge", "switch" or "router", got ${show(issue.input)}`
    : `expected a device { "id", "kind", … }, got ${show(issue.input)}`,
));

const ActionFields = {
  at: v.optional(Time),
  from: Name,
  label: v.optional(text('an action label', MAX_ACTION_LABEL_LENGTH, false)),
};
const Target = text('a target (a device name or an address)', MAX_TARGET_LENGTH);
const ActionSchema = v.pipe(notAList('expected a traffic action { "from", "do", "to", … }'), v.variant(
  'do',
  [
    v.strictObject(
      {
        ...ActionFields,
        do: v.literal('ping', 'expected "do" to be "ping"'),
        to: Target,
        size: v.optional(DataSize),
        mtuDiscovery: v.optional(v.picklist(['want', 'do', 'dont'], (issue) => `expected "mtuDiscovery" to be "want", "do" or "dont" (as ping -M), got ${show(issue.input)}`)),
      },
      'expected a ping { "from", "do", "to", "size"?, "mtuDiscovery"? }',
    ),
    v.strictObject({ ...ActionFields, do: v.literal('arp', 'expected "do" to be "arp"'), to: Target }, 'expected an ARP request { "from", "do", "to" }'),
    v.strictObject(
      { ...ActionFields, do: v.literal('raw', 'expected "do" to be "raw"'), to: Target, payload: v.optional(text('a payload', MAX_PAYLOAD_LENGTH, false)) },
      'expected a raw frame { "from", "do", "to", "payload"? }',
    ),
    v.strictObject(
      { ...ActionFields, do: v.literal('udp', 'expected "do" to be "udp"'), to: Target, port: UdpPort, sourcePort: v.optional(UdpPort), size: v.optional(DataSize) },
      'expected a UDP datagram { "from", "do", "to", "port", "sourcePort"?, "size"? }',
    ),
  ],
  (issue) =>
    issue.path?.length
      ? `expected "do" to be "ping", "arp", "raw" or "udp", got ${show(issue.input)}`
      : `expected a traffic action { "from", "do", "to", … }, got ${show(issue.input)}`,
));
const LinkSchema = objectOf(
  {
    a: Endpoint,
    b: Endpoint,
    type: v.optional(v.picklist(['cable', 'veth'], (issue) => `expected "type" to be "cable" or "veth", got ${show(issue.input)}`)),
  },
  'expected a link { "a": "device:port", "b": "device:port" }',
);

export const ScenarioSchema = v.strictObject(
  {
    format: v.literal(SCENARIO_FORMAT, (issue) => `expected "${SCENARIO_FORMAT}", got ${show(issue.input)}`),
    id: v.pipe(text('an id', MAX_ID_LENGTH), v.regex(ID_PATTERN, (issue) => `expected a lowercase id like "hub-vs-bridge/hub", got ${show(issue.input)}`)),
    title: text('a title', MAX_TITLE_LENGTH),
    description: v.optional(text('a description', MAX_DESCRIPTION_LENGTH, false)),
    devices: list(DeviceSchema, 'devices', MAX_DEVICES, 'device'),
    links: list(LinkSchema, 'links', MAX_LINKS),
    traffic: list(ActionSchema, 'traffic actions', MAX_TRAFFIC_ACTIONS),
  },
  NOT_A_SCENARIO,
);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The cheap pass before the schema: the input is an object, and its lists are not longer than the
 * limits (one error each, naming the count). When it finds anything, nothing deeper is checked,
 * so a file of a million cables costs a few reads, not a million validations.
 */
function checkShape(input: unknown): ScenarioIssue[] {
  if (!isObject(input)) return [{ path: '(top level)', message: NOT_A_SCENARIO }];
  const errors: ScenarioIssue[] = [];
  const counted: Array<[string, number, string]> = [
    ['devices', MAX_DEVICES, 'devices'],
    ['links', MAX_LINKS, 'links'],
    ['traffic', MAX_TRAFFIC_ACTIONS, 'traffic actions'],
  ];
  for (const [field, max, what] of counted) {
    const value = Object.hasOwn(input, field) ? input[field] : undefined;
    if (Array.isArray(value) && value.length > max) errors.push({ path: field, message: `expected at most ${formatCount(max)} ${what}, got ${formatCount(value.length)}` });
  }
  const devices = Object.hasOwn(input, 'devices') ? input['devices'] : undefined;
  if (errors.length === 0 && Array.isArray(devices)) {
    const total = countInterfaces(devices);
    if (total > MAX_TOTAL_INTERFACES) {
      errors.push({ path: 'devices', message: `expected at most ${formatCount(MAX_TOTAL_INTERFACES)} interfaces in all (ports, NICs and sub-interfaces together), got ${formatCount(total)}` });
    }
  }
  return errors;
}

/**
 * Ports, NICs and sub-interfaces of every device, counted from the raw input by list lengths: at
 * most MAX_DEVICES × MAX_NICS_PER_DEVICE reads (a NIC list over its own limit is not walked).
 */
function countInterfaces(devices: readonly unknown[]): number {
  const length = (value: unknown): number => (Array.isArray(value) ? value.length : 0);
  let total = 0;
  for (const device of devices) {
    if (!isObject(device)) continue;
    // A bridge's local interface (br0) and each bridge net device are one more interface each.
    total += length(device['ports']) + length(device['nics']) + (isObject(device['local']) ? 1 : 0) + length(device['bridges']);
    const nics = device['nics'];
    if (!Array.isArray(nics) || nics.length > MAX_NICS_PER_DEVICE) continue;
    for (const nic of nics) if (isObject(nic)) total += length(nic['vlans']);
  }
  return total;
}

/**
 * "devices[2].nics[0].mac". A key that is not a plain word (an unknown field called "" or "a b")
 * is written in brackets and quotes, cut short like a quoted value, so that a path is never empty
 * and never longer than a line.
 */
function formatPath(path: ReadonlyArray<{ key: unknown }> | undefined): string {
  if (!path || path.length === 0) return '(top level)';
  let out = '';
  for (const item of path) {
    if (typeof item.key === 'number') out += `[${item.key}]`;
    else if (/^[A-Za-z_$][\w$]{0,39}$/.test(String(item.key))) out += out ? `.${String(item.key)}` : String(item.key);
    else out += `[${show(String(item.key))}]`;
  }
  return out;
}

/** What a reader sees for a schema issue: the schema's own message, or a sentence for an unknown or missing field. */
function issueMessage(issue: v.BaseIssue<unknown>): string {
  const key = issue.path?.at(-1)?.key;
  if (issue.type === 'strict_object' && issue.expected === 'never') {
    return `unknown field ${show(String(key))}: remove it or check its spelling`;
  }
  if (issue.input === undefined && typeof key === 'string') return `missing field "${key}"`;
  // Every schema above has its own message; this only guards against one slipping through in
  // valibot's own wording ("Invalid type: …"), which a reader should never see.
  if (issue.message.startsWith('Invalid')) return `this value is not accepted here: expected ${issue.expected ?? 'another value'}, got ${show(issue.input)}`;
  return issue.message;
}

/** Validates and normalises (canonical addresses). Never throws; returns at most MAX_REPORTED_ERRORS errors. */
export function validateScenario(input: unknown): ValidationResult {
  try {
    const shape = checkShape(input);
    if (shape.length) return rejected(shape, []);
    const parsed = v.safeParse(ScenarioSchema, input, { abortPipeEarly: true });
    if (!parsed.success) {
      const errors = parsed.issues.map((issue) => ({ path: formatPath(issue.path as ReadonlyArray<{ key: unknown }> | undefined), message: issueMessage(issue) }));
      return rejected(dedupe(errors), []);
    }
    const scenario = parsed.output as Scenario;
    const errors: ScenarioIssue[] = [];
    const warnings: ScenarioIssue[] = [];
    checkReferences(scenario, errors, warnings);
    return errors.length ? rejected(errors, warnings) : { ok: true, scenario, warnings };
  } catch (error) {
    // Validation must never throw at its caller (a page, the CLI); this would be a bug here, said as one.
    return rejected([{ path: '(top level)', message: `the scenario could not be checked (a bug in vnet-live's validator: ${error instanceof Error ? error.message : String(error)})` }], []);
  }
}

function rejected(errors: ScenarioIssue[], warnings: ScenarioIssue[]): ValidationResult {
  return {
    ok: false,
    errors: errors.slice(0, MAX_REPORTED_ERRORS),
    omittedErrors: Math.max(0, errors.length - MAX_REPORTED_ERRORS),
    warnings,
  };
}

/** A list for a message, cut after ten items: "p1, p2, … (4,096 in all)". */
function listSome(items: readonly string[]): string {
  return items.length <= 10 ? items.join(', ') : `${items.slice(0, 10).join(', ')}, … (${formatCount(items.length)} in all)`;
}

function dedupe(issues: ScenarioIssue[]): ScenarioIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\n${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function checkReferences(scenario: Scenario, errors: ScenarioIssue[], warnings: ScenarioIssue[]): void {
  const byId = new Map<string, number>();
  /** Each device's ports, for O(1) lookups from thousands of cables. */
  const portsOf = new Map<string, Set<string>>();
  scenario.devices.forEach((device, i) => {
    const first = byId.get(device.id);
    if (first !== undefined) errors.push({ path: `devices[${i}].id`, message: `duplicate device name "${device.id}" (already used by devices[${first}])` });
    else byId.set(device.id, i);
    const ports = devicePorts(device);
    const seenPorts = new Set<string>();
    if (!portsOf.has(device.id)) portsOf.set(device.id, seenPorts);
    ports.forEach((port, j) => {
      const where = device.kind === 'host' || device.kind === 'router' ? `devices[${i}].nics[${j}].port` : device.kind === 'switch' ? `devices[${i}].ports[${j}].port` : `devices[${i}].ports[${j}]`;
      if (seenPorts.has(port)) errors.push({ path: where, message: `duplicate port "${port}" on ${device.id}` });
      seenPorts.add(port);
    });
    if (device.kind === 'host' || device.kind === 'router') {
      // A sub-interface is named "<port>.<vlan>", like a port: Linux refuses a second link of the same name.
      const subNames = new Map<string, string>();
      for (const nic of device.nics) for (const sub of nic.vlans ?? []) subNames.set(`${nic.port}.${sub.vlan}`, nic.port);
      device.nics.forEach((nic, j) => {
        const parent = subNames.get(nic.port);
        if (parent !== undefined) errors.push({ path: `devices[${i}].nics[${j}].port`, message: `${nic.port} is already the name of ${parent}'s sub-interface for VLAN ${nic.port.slice(parent.length + 1)} on ${device.id}; choose another port name` });
      });
      device.nics.forEach((nic, j) => {
        const mtu = nic.mtu ?? 1500;
        (nic.vlans ?? []).forEach((sub, k) => {
          // vlan_dev_change_mtu: a VLAN device's MTU may not exceed its real device's (-ERANGE).
          if (sub.mtu !== undefined && sub.mtu > mtu) errors.push({ path: `devices[${i}].nics[${j}].vlans[${k}].mtu`, message: `${nic.port}.${sub.vlan} cannot have an MTU of ${sub.mtu}: ${nic.port}'s is ${mtu}, and Linux refuses a sub-interface an MTU above its NIC's` });
        });
      });
      checkBridges(device, i, errors);
      const listening = new Set<number>();
      (device.udpListen ?? []).forEach((port, k) => {
        if (listening.has(port)) errors.push({ path: `devices[${i}].udpListen[${k}]`, message: `UDP port ${port} is listed twice on ${device.id}; a second socket bound to it would fail (EADDRINUSE)` });
        listening.add(port);
      });
      device.nics.forEach((nic, j) => {
        const seen = new Set<number>();
        (nic.vlans ?? []).forEach((sub, k) => {
          if (seen.has(sub.vlan)) errors.push({ path: `devices[${i}].nics[${j}].vlans[${k}].vlan`, message: `${nic.port} already has a sub-interface for VLAN ${sub.vlan} (${nic.port}.${sub.vlan})` });
          seen.add(sub.vlan);
        });
      });
    }
    if (device.kind === 'host' && device.gateway !== undefined) {
      checkNextHop(device.gateway, device.nics, `devices[${i}].gateway`, 'gateway', device.id, errors);
      const own = device.nics.flatMap((nic) => [...(nic.ip ? [nic.ip] : []), ...(nic.vlans ?? []).map((sub) => sub.ip)]).map((ip) => parseIpv4Cidr(ip)!.address);
      // Linux accepts `ip route add default via <own address>` (checked on a real kernel); nothing answers ARP for it on the wire.
      if (own.includes(device.gateway)) warnings.push({ path: `devices[${i}].gateway`, message: `the gateway ${device.gateway} is ${device.id}'s own address: Linux accepts it, but ${device.id} will ask the wire who has its own address, nobody answers, and every packet for another subnet fails with "Destination Host Unreachable"` });
    }
    if (device.kind === 'router') {
      (device.routes ?? []).forEach((route, k) => checkNextHop(route.via, device.nics, `devices[${i}].routes[${k}].via`, 'next hop', device.id, errors));
    }
    if (device.kind === 'switch') checkSwitch(device, i, errors);
    if (device.kind === 'bridge' && device.local !== undefined) {
      // The local interface is named after the bridge (br0); Linux has one namespace of link names.
      const clash = device.ports.indexOf(device.id);
      if (clash >= 0) errors.push({ path: `devices[${i}].ports[${clash}]`, message: `${device.id} has a local interface, which is called ${device.id} like the bridge itself; a port cannot have that name too` });
    }
  });

  const used = new Map<string, string>();
  scenario.links.forEach((link, i) => {
    for (const side of ['a', 'b'] as const) {
      const endpoint = link[side];
      const { device, port } = splitEndpoint(endpoint);
      const index = byId.get(device);
      const path = `links[${i}].${side}`;
      if (index === undefined) {
        errors.push({ path, message: `the cable goes to "${device}", which is not a device of this scenario` });
        continue;
      }
      const spec = scenario.devices[index]!;
      if (!portsOf.get(device)!.has(port)) {
        errors.push({ path, message: `${device} has no port ${show(port)} (its ports: ${listSome(devicePorts(spec))})` });
        continue;
      }
      const other = used.get(endpoint);
      if (other) errors.push({ path, message: `port ${endpoint} already has a cable (${other}); a port takes one cable` });
      else used.set(endpoint, `links[${i}]`);
    }
    if (link.a === link.b) errors.push({ path: `links[${i}]`, message: `a cable cannot join ${link.a} to itself` });
    if (link.type === 'veth') checkVeth(scenario, byId, link, i, errors);
  });

  const macs = new Map<string, string>();
  const ips = new Map<string, string>();
  scenario.devices.forEach((device, i) => {
    // A bridge's local interface is checked as a NIC: it is one on the segment, as far as the others can tell.
    const nics: ReadonlyArray<{ port: string; mac: string; ip?: string; vlans?: HostNicSpec['vlans'] }> =
      device.kind === 'host' || device.kind === 'router' ? device.nics : device.kind === 'bridge' && device.local ? [{ port: device.id, ...device.local }] : [];
    nics.forEach((nic, j) => {
      const where = device.kind === 'bridge' ? `devices[${i}].local` : `devices[${i}].nics[${j}]`;
      const who = device.kind === 'bridge' ? `${device.id}'s local interface` : `${device.id}:${nic.port}`;
      if (nic.mac === ZERO_MAC || isMulticastMac(nic.mac)) {
        const what = nic.mac === ZERO_MAC ? 'all zeros' : nic.mac === BROADCAST_MAC ? 'the broadcast address' : 'a group (multicast) address';
        warnings.push({ path: `${where}.mac`, message: `${nic.mac} is ${what}: Linux refuses it for a NIC (EADDRNOTAVAIL); here bridges will drop every frame sent from it` });
      }
      const previous = macs.get(nic.mac);
      if (previous) warnings.push({ path: `${where}.mac`, message: `${nic.mac} is also used by ${previous}: bridges will see it move between ports and deliver frames for it to one of the two at a time` });
      else macs.set(nic.mac, who);
      const addresses = [
        ...(nic.ip ? [{ ip: nic.ip, path: `${where}.ip`, owner: who }] : []),
        ...(nic.vlans ?? []).map((sub, k) => ({ ip: sub.ip, path: `${where}.vlans[${k}].ip`, owner: `${device.id}:${nic.port}.${sub.vlan}` })),
      ];
      for (const { ip, path, owner: me } of addresses) {
        const address = parseIpv4Cidr(ip)!.address;
        const owner = ips.get(address);
        if (owner) warnings.push({ path, message: `${address} is also used by ${owner}: both will answer ARP for it; the first answer wins and a second one within 1 s is ignored (Linux's ARP locktime)` });
        else ips.set(address, me);
      }
    });
  });

  scenario.traffic.forEach((action, i) => {
    const index = byId.get(action.from);
    if (index === undefined) {
      errors.push({ path: `traffic[${i}].from`, message: `"${action.from}" is not a device of this scenario` });
      return;
    }
    const from = scenario.devices[index]!;
    if (from.kind !== 'host' && !(from.kind === 'bridge' && from.local)) {
      const bridge = from.kind === 'bridge' ? ' (and a bridge once it has a local interface, "local")' : '';
      errors.push({ path: `traffic[${i}].from`, message: `${from.id} is a ${from.kind}; only hosts send traffic${bridge}` });
      return;
    }
    const target = action.to;
    const targetDevice = byId.has(target) ? scenario.devices[byId.get(target)!]! : undefined;
    if (action.do === 'raw') {
      if (target !== 'broadcast' && parseMacAddress(target) === null && targetDevice?.kind !== 'host') {
        errors.push({ path: `traffic[${i}].to`, message: `expected "broadcast", a MAC address or a host's name, got "${target}"` });
      }
      return;
    }
    if (parseIpv4Address(target) === null) {
      // A bridge with a local interface is a target too, by its local address.
      if (targetDevice?.kind === 'bridge' && targetDevice.local) { /* its address is required by the schema */ }
      else if (targetDevice?.kind !== 'host' && targetDevice?.kind !== 'router') errors.push({ path: `traffic[${i}].to`, message: `expected an IPv4 address or the name of a host or router, got "${target}"` });
      else if (!targetDevice.nics.some((nic) => nic.ip || nic.vlans?.length)) errors.push({ path: `traffic[${i}].to`, message: `${target} has no IPv4 address to ${action.do === 'ping' ? 'ping' : action.do === 'udp' ? 'send to' : 'ask for'}` });
    }
    if (from.kind === 'host' && !from.nics.some((nic) => nic.ip || nic.vlans?.length)) errors.push({ path: `traffic[${i}].from`, message: `${from.id} has no IPv4 address, so it cannot ${action.do === 'ping' ? 'ping' : action.do === 'udp' ? 'send UDP datagrams' : 'send ARP requests'}` });
  });
}

/** A gateway or a route's next hop must be one host inside a subnet of one of the device's interfaces (Linux: "Nexthop has invalid gateway"). */
function checkNextHop(hop: string, nics: readonly HostNicSpec[], path: string, what: string, id: string, errors: ScenarioIssue[]): void {
  const subnets = nics.flatMap((nic) => [...(nic.ip ? [nic.ip] : []), ...(nic.vlans ?? []).map((sub) => sub.ip)]).map((ip) => parseIpv4Cidr(ip)!);
  if (!subnets.some((cidr) => inSameSubnet(hop, cidr.address, cidr.prefixLength))) {
    errors.push({ path, message: `the ${what} ${hop} must be inside the subnet of one of ${id}'s interfaces (Linux refuses an unreachable ${what})` });
  }
  if (hop === '255.255.255.255' || subnets.some((cidr) => cidr.prefixLength < 31 && broadcastAddress(cidr.address, cidr.prefixLength) === hop)) {
    errors.push({ path, message: `the ${what} ${hop} is a broadcast address; a ${what} must be one host (Linux refuses it as an invalid gateway)` });
  }
}

/**
 * A namespace's bridge net devices: each name is one more interface name in the namespace (Linux
 * has one namespace of link names), each port one of the device's own NICs, in at most one bridge
 * (a netdev has one master), with no address or sub-interface of its own (once enslaved, the
 * bridge's rx_handler takes every frame the NIC receives, so IP on the NIC would never see one).
 */
function checkBridges(device: HostSpec | RouterSpec, i: number, errors: ScenarioIssue[]): void {
  const bridges = device.bridges ?? [];
  if (bridges.length === 0) return;
  const nicIndex = new Map<string, number>();
  device.nics.forEach((nic, j) => nicIndex.set(nic.port, j));
  const names = new Map<string, string>();
  device.nics.forEach((nic) => {
    names.set(nic.port, `NIC ${nic.port}`);
    for (const sub of nic.vlans ?? []) names.set(`${nic.port}.${sub.vlan}`, `${nic.port}'s sub-interface for VLAN ${sub.vlan}`);
  });
  const master = new Map<string, string>();
  bridges.forEach((bridge, k) => {
    const where = `devices[${i}].bridges[${k}]`;
    const taken = names.get(bridge.name);
    if (taken !== undefined) errors.push({ path: `${where}.name`, message: `${device.id} already has an interface called ${bridge.name} (${taken}); a bridge needs a name of its own` });
    else names.set(bridge.name, `bridge ${bridge.name}`);
    const seen = new Set<string>();
    bridge.ports.forEach((port, m) => {
      const path = `${where}.ports[${m}]`;
      if (seen.has(port)) {
        errors.push({ path, message: `${port} is listed twice in bridge ${bridge.name}` });
        return;
      }
      seen.add(port);
      const j = nicIndex.get(port);
      if (j === undefined) {
        errors.push({ path, message: `${device.id} has no NIC ${show(port)} to put in bridge ${bridge.name} (a bridge's ports are NICs of the same device: ${listSome(device.nics.map((nic) => nic.port))})` });
        return;
      }
      const other = master.get(port);
      if (other !== undefined) {
        errors.push({ path, message: `${port} is already a port of bridge ${other}; a NIC is in at most one bridge` });
        return;
      }
      master.set(port, bridge.name);
      const nic = device.nics[j]!;
      const why = `its frames go to bridge ${bridge.name} (the bridge's rx_handler takes every frame the NIC receives), so nothing would reach it; give the address to ${bridge.name} instead`;
      if (nic.ip !== undefined) errors.push({ path: `devices[${i}].nics[${j}].ip`, message: `${port} is a port of bridge ${bridge.name} and cannot have an address: ${why}` });
      if (nic.vlans?.length) errors.push({ path: `devices[${i}].nics[${j}].vlans`, message: `${port} is a port of bridge ${bridge.name} and cannot have sub-interfaces: ${why}` });
    });
  });
}

/** A veth pair lives inside one machine: both ends are interfaces of host/router namespaces with the same node. */
function checkVeth(scenario: Scenario, byId: ReadonlyMap<string, number>, link: LinkSpec, i: number, errors: ScenarioIssue[]): void {
  const ends = [link.a, link.b].map((endpoint) => {
    const index = byId.get(splitEndpoint(endpoint).device);
    return index === undefined ? undefined : scenario.devices[index]!;
  });
  for (const [side, device] of [['a', ends[0]], ['b', ends[1]]] as const) {
    if (device && device.kind !== 'host' && device.kind !== 'router') {
      errors.push({ path: `links[${i}].${side}`, message: `a veth pair joins namespaces (hosts and routers), and ${device.id} is a ${device.kind}; join it with a cable instead` });
    }
  }
  const [a, b] = ends;
  if (!a || !b || (a.kind !== 'host' && a.kind !== 'router') || (b.kind !== 'host' && b.kind !== 'router')) return;
  // Both ends in one namespace is legal in Linux (and one device is one machine, node or not).
  if (a !== b && (a.node === undefined || a.node !== b.node)) {
    const where = (d: HostSpec | RouterSpec) => (d.node === undefined ? `${d.id} is a machine of its own (no "node")` : `${d.id} is on node ${d.node}`);
    errors.push({ path: `links[${i}].type`, message: `a veth pair lives inside one machine, so both ends need the same "node": ${where(a)}, ${where(b)}` });
  }
}

function checkSwitch(device: SwitchSpec, i: number, errors: ScenarioIssue[]): void {
  device.ports.forEach((port, j) => {
    const where = `devices[${i}].ports[${j}]`;
    if (port.mode === 'trunk') {
      if (port.vlan !== undefined) errors.push({ path: `${where}.vlan`, message: `port ${port.port} is a trunk: give its VLANs as "vlans" (tagged) and "native" (untagged), not "vlan"` });
      if ((port.vlans ?? []).length === 0 && port.native === undefined) errors.push({ path: `${where}.vlans`, message: `trunk port ${port.port} carries no VLAN: list at least one in "vlans" or set "native"` });
      const seen = new Set<number>();
      (port.vlans ?? []).forEach((vid, k) => {
        if (seen.has(vid)) errors.push({ path: `${where}.vlans[${k}]`, message: `VLAN ${vid} is listed twice on port ${port.port}` });
        seen.add(vid);
      });
    } else {
      if (port.vlans !== undefined) errors.push({ path: `${where}.vlans`, message: `port ${port.port} is an access port (one untagged VLAN, "vlan"); only a trunk ("mode": "trunk") has "vlans"` });
      if (port.native !== undefined) errors.push({ path: `${where}.native`, message: `port ${port.port} is an access port; only a trunk ("mode": "trunk") has a native VLAN` });
    }
  });
  const macs = new Map<string, number>();
  (device.macVlans ?? []).forEach((assignment, k) => {
    const first = macs.get(assignment.mac);
    if (first !== undefined) errors.push({ path: `devices[${i}].macVlans[${k}].mac`, message: `${assignment.mac} is already assigned to VLAN ${first}; a MAC belongs to one VLAN` });
    else macs.set(assignment.mac, assignment.vlan);
  });
}
