// Validates untrusted scenario input (a file, a share link, the editor) with valibot, then checks
// what a schema cannot: references between devices, links and traffic. Every error names the
// path and what was expected; suspicious-but-legal setups (duplicate MAC or IP) are warnings.

import * as v from 'valibot';
import { broadcastAddress, formatIpv4Cidr, inSameSubnet, parseIpv4Address, parseIpv4Cidr } from '../wire/ipv4-address';
import { BROADCAST_MAC, isMulticastMac, parseMacAddress, ZERO_MAC } from '../wire/mac-address';
import { devicePorts, SCENARIO_FORMAT, splitEndpoint, type HostNicSpec, type Scenario, type SwitchSpec } from './format';

export interface ScenarioIssue {
  /** Where, e.g. "devices[2].nics[0].mac". */
  path: string;
  message: string;
}

export type ValidationResult =
  | { ok: true; scenario: Scenario; warnings: ScenarioIssue[] }
  | { ok: false; errors: ScenarioIssue[]; warnings: ScenarioIssue[] };

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
const PORT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,15}$/;

const Name = v.pipe(
  v.string('expected a name (text)'),
  v.regex(NAME_PATTERN, 'expected a name of 1–32 letters, digits, "-" or "_", starting with a letter'),
  // Names become keys of plain objects in the state; "constructor" and friends would collide.
  v.check((name) => !(name in Object.prototype), (issue) => `"${String(issue.input)}" is a reserved word here; choose another name`),
);
const PortName = v.pipe(v.string('expected a port name (text)'), v.regex(PORT_PATTERN, 'expected a port name of 1–16 letters, digits, ".", "-" or "_", like "eth0" or "p1"'));
const Label = v.pipe(v.string('expected a label (text)'), v.minLength(1, 'expected a non-empty label'), v.maxLength(40, 'expected a label of at most 40 characters'));
const Mac = v.pipe(
  v.string('expected a MAC address (text) like 02:00:00:00:00:0a'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const mac = parseMacAddress(dataset.value);
    if (mac === null) {
      addIssue({ message: `expected a MAC address like 02:00:00:00:00:0a, got "${dataset.value}"` });
      return NEVER;
    }
    return mac;
  }),
);
const Cidr = v.pipe(
  v.string('expected an IPv4 address with prefix length (text) like 10.0.0.1/24'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const cidr = parseIpv4Cidr(dataset.value);
    if (cidr === null) {
      addIssue({ message: `expected an IPv4 address with prefix length like 10.0.0.1/24, got "${dataset.value}"` });
      return NEVER;
    }
    return formatIpv4Cidr(cidr);
  }),
);
const Ipv4 = v.pipe(
  v.string('expected an IPv4 address (text) like 10.0.0.254'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const ip = parseIpv4Address(dataset.value);
    if (ip === null) {
      addIssue({ message: `expected an IPv4 address like 10.0.0.254, got "${dataset.value}"` });
      return NEVER;
    }
    return ip;
  }),
);
const Position = v.strictObject({ x: v.number('expected a number'), y: v.number('expected a number') }, 'expected a position { "x": number, "y": number }');
const Endpoint = v.pipe(v.string('expected "device:port"'), v.regex(/^[^:]+:[^:]+$/, 'expected "device:port", like "A:eth0"'));
const Time = v.pipe(v.number('expected a time in milliseconds'), v.integer('expected a whole number of milliseconds'), v.minValue(0, 'expected a time ≥ 0 ms'), v.maxValue(86_400_000, 'expected a time of at most one day (86400000 ms)'));

/** 0 means "no VLAN" (a priority tag) and 4095 is reserved, so a VLAN is 1–4094 (IEEE 802.1Q). */
const VlanId = v.pipe(
  v.number('expected a VLAN ID (a number from 1 to 4094)'),
  v.check((vid) => Number.isInteger(vid) && vid >= 1 && vid <= 4094, (issue) => `expected a VLAN ID from 1 to 4094 (0 and 4095 are reserved), got ${JSON.stringify(issue.input)}`),
);
const Nic = v.strictObject(
  {
    port: PortName,
    mac: Mac,
    ip: v.optional(Cidr),
    vlans: v.optional(v.pipe(v.array(v.strictObject({ vlan: VlanId, ip: Cidr }, 'expected a sub-interface { "vlan", "ip" }'), 'expected a list of 802.1Q sub-interfaces'), v.maxLength(4094, 'expected at most 4094 sub-interfaces'))),
  },
  'expected a NIC { "port", "mac", "ip"?, "vlans"? }',
);
const Nics = v.pipe(v.array(Nic, 'expected a list of NICs'), v.minLength(1, 'expected at least one NIC'), v.maxLength(16, 'expected at most 16 NICs'));
const HostSchema = v.strictObject({
  id: Name,
  kind: v.literal('host'),
  label: v.optional(Label),
  nics: Nics,
  gateway: v.optional(Ipv4),
  position: v.optional(Position),
});
const Ports = v.pipe(v.array(PortName, 'expected a list of port names'), v.minLength(1, 'expected at least one port'), v.maxLength(4096, 'expected at most 4096 ports'));
const HubSchema = v.strictObject({ id: Name, kind: v.literal('hub'), label: v.optional(Label), ports: Ports, position: v.optional(Position) });
const AgeingTime = v.pipe(v.number('expected the ageing time in seconds'), v.integer('expected whole seconds'), v.minValue(0, 'expected an ageing time ≥ 0 s'), v.maxValue(1_000_000, 'expected an ageing time of at most 1000000 s'));
const BridgeSchema = v.strictObject({
  id: Name,
  kind: v.literal('bridge'),
  label: v.optional(Label),
  ports: Ports,
  ageingTime: v.optional(AgeingTime),
  position: v.optional(Position),
});
const SwitchPort = v.strictObject(
  {
    port: PortName,
    mode: v.optional(v.picklist(['access', 'trunk'], (issue) => `expected "mode" to be "access" or "trunk", got ${JSON.stringify(issue.input)}`)),
    vlan: v.optional(VlanId),
    vlans: v.optional(v.pipe(v.array(VlanId, 'expected a list of VLAN IDs'), v.maxLength(4094, 'expected at most 4094 VLANs'))),
    native: v.optional(VlanId),
    maxMacs: v.optional(v.pipe(v.number('expected a number of MAC addresses'), v.integer('expected a whole number of MAC addresses'), v.minValue(1, 'expected a limit of at least 1 MAC address'), v.maxValue(4096, 'expected a limit of at most 4096 MAC addresses'))),
  },
  'expected a switch port { "port", "mode"?, "vlan"?, "vlans"?, "native"?, "maxMacs"? }',
);
const SwitchSchema = v.strictObject({
  id: Name,
  kind: v.literal('switch'),
  label: v.optional(Label),
  ports: v.pipe(v.array(SwitchPort, 'expected a list of switch ports'), v.minLength(1, 'expected at least one port'), v.maxLength(4096, 'expected at most 4096 ports')),
  ageingTime: v.optional(AgeingTime),
  macVlans: v.optional(v.array(v.strictObject({ mac: Mac, vlan: VlanId }, 'expected a MAC-based VLAN { "mac", "vlan" }'), 'expected a list of MAC-based VLAN assignments')),
  position: v.optional(Position),
});
const RouterSchema = v.strictObject({
  id: Name,
  kind: v.literal('router'),
  label: v.optional(Label),
  nics: Nics,
  routes: v.optional(v.pipe(v.array(v.strictObject({ to: Cidr, via: Ipv4 }, 'expected a route { "to": "10.9.0.0/16", "via": "10.0.0.254" }'), 'expected a list of routes'), v.maxLength(1000, 'expected at most 1000 routes'))),
  position: v.optional(Position),
});
const DeviceSchema = v.variant(
  'kind',
  [HostSchema, HubSchema, BridgeSchema, SwitchSchema, RouterSchema],
  (issue) => `expected "kind" to be "host", "hub", "bridge", "switch" or "router", got ${JSON.stringify(issue.input)}`,
);

const ActionFields = { at: v.optional(Time), from: Name, label: v.optional(v.pipe(v.string(), v.maxLength(80, 'expected a label of at most 80 characters'))) };
const Target = v.pipe(v.string('expected a target: a device name or an address'), v.minLength(1, 'expected a target'));
const ActionSchema = v.variant(
  'do',
  [
    v.strictObject({ ...ActionFields, do: v.literal('ping'), to: Target }),
    v.strictObject({ ...ActionFields, do: v.literal('arp'), to: Target }),
    v.strictObject({ ...ActionFields, do: v.literal('raw'), to: Target, payload: v.optional(v.pipe(v.string(), v.maxLength(200, 'expected a payload of at most 200 characters'))) }),
  ],
  (issue) => `expected "do" to be "ping", "arp" or "raw", got ${JSON.stringify(issue.input)}`,
);

export const ScenarioSchema = v.strictObject(
  {
    format: v.literal(SCENARIO_FORMAT, (issue) => `expected "${SCENARIO_FORMAT}", got ${JSON.stringify(issue.input)}`),
    id: v.pipe(v.string('expected an id (text)'), v.regex(/^[a-z0-9][a-z0-9/-]{0,79}$/, 'expected a lowercase id like "hub-vs-bridge/hub"')),
    title: v.pipe(v.string('expected a title (text)'), v.minLength(1, 'expected a non-empty title')),
    description: v.optional(v.string('expected a description (text)')),
    devices: v.pipe(v.array(DeviceSchema, 'expected a list of devices'), v.minLength(1, 'expected at least one device'), v.maxLength(10_000, 'expected at most 10000 devices')),
    links: v.array(v.strictObject({ a: Endpoint, b: Endpoint }, 'expected a link { "a": "device:port", "b": "device:port" }'), 'expected a list of links'),
    traffic: v.pipe(v.array(ActionSchema, 'expected a list of traffic actions'), v.maxLength(1000, 'expected at most 1000 actions')),
  },
  'expected a scenario object',
);

function formatPath(path: ReadonlyArray<{ key: unknown }> | undefined): string {
  if (!path || path.length === 0) return '(top level)';
  let out = '';
  for (const item of path) {
    if (typeof item.key === 'number') out += `[${item.key}]`;
    else out += out ? `.${String(item.key)}` : String(item.key);
  }
  return out;
}

/** Validates and normalises (canonical MAC addresses). Never throws. */
export function validateScenario(input: unknown): ValidationResult {
  const parsed = v.safeParse(ScenarioSchema, input, { abortPipeEarly: true });
  if (!parsed.success) {
    const errors = parsed.issues.map((issue) => {
      const path = formatPath(issue.path as ReadonlyArray<{ key: unknown }> | undefined);
      // valibot's default message for an unexpected key is terse; say what to do.
      const key = issue.path?.at(-1)?.key;
      const message =
        issue.type === 'strict_object' && issue.expected === 'never'
          ? `unknown field "${formatPath(issue.path?.slice(-1) as never)}": remove it or check its spelling`
          : issue.input === undefined && typeof key === 'string'
            ? `missing field "${key}"`
            : issue.message;
      return { path, message };
    });
    return { ok: false, errors: dedupe(errors), warnings: [] };
  }
  const scenario = parsed.output as Scenario;
  const errors: ScenarioIssue[] = [];
  const warnings: ScenarioIssue[] = [];
  checkReferences(scenario, errors, warnings);
  return errors.length ? { ok: false, errors, warnings } : { ok: true, scenario, warnings };
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
  scenario.devices.forEach((device, i) => {
    const first = byId.get(device.id);
    if (first !== undefined) errors.push({ path: `devices[${i}].id`, message: `duplicate device name "${device.id}" (already used by devices[${first}])` });
    else byId.set(device.id, i);
    const ports = devicePorts(device);
    const seenPorts = new Set<string>();
    ports.forEach((port, j) => {
      const where = device.kind === 'host' || device.kind === 'router' ? `devices[${i}].nics[${j}].port` : device.kind === 'switch' ? `devices[${i}].ports[${j}].port` : `devices[${i}].ports[${j}]`;
      if (seenPorts.has(port)) errors.push({ path: where, message: `duplicate port "${port}" on ${device.id}` });
      seenPorts.add(port);
    });
    if (device.kind === 'host' || device.kind === 'router') {
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
      if (!devicePorts(spec).includes(port)) {
        errors.push({ path, message: `${device} has no port "${port}" (its ports: ${devicePorts(spec).join(', ')})` });
        continue;
      }
      const other = used.get(endpoint);
      if (other) errors.push({ path, message: `port ${endpoint} already has a cable (${other}); a port takes one cable` });
      else used.set(endpoint, `links[${i}]`);
    }
    if (link.a === link.b) errors.push({ path: `links[${i}]`, message: `a cable cannot join ${link.a} to itself` });
  });

  const macs = new Map<string, string>();
  const ips = new Map<string, string>();
  scenario.devices.forEach((device, i) => {
    if (device.kind !== 'host' && device.kind !== 'router') return;
    device.nics.forEach((nic, j) => {
      const where = `devices[${i}].nics[${j}]`;
      if (nic.mac === ZERO_MAC || isMulticastMac(nic.mac)) {
        const what = nic.mac === ZERO_MAC ? 'all zeros' : nic.mac === BROADCAST_MAC ? 'the broadcast address' : 'a group (multicast) address';
        warnings.push({ path: `${where}.mac`, message: `${nic.mac} is ${what}: Linux refuses it for a NIC (EADDRNOTAVAIL); here bridges will drop every frame sent from it` });
      }
      const previous = macs.get(nic.mac);
      if (previous) warnings.push({ path: `${where}.mac`, message: `${nic.mac} is also used by ${previous}: bridges will see it move between ports and deliver frames for it to one of the two at a time` });
      else macs.set(nic.mac, `${device.id}:${nic.port}`);
      const addresses = [
        ...(nic.ip ? [{ ip: nic.ip, path: `${where}.ip`, owner: `${device.id}:${nic.port}` }] : []),
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
    if (from.kind !== 'host') {
      errors.push({ path: `traffic[${i}].from`, message: `${from.id} is a ${from.kind}; only hosts send traffic` });
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
      if (targetDevice?.kind !== 'host' && targetDevice?.kind !== 'router') errors.push({ path: `traffic[${i}].to`, message: `expected an IPv4 address or the name of a host or router, got "${target}"` });
      else if (!targetDevice.nics.some((nic) => nic.ip || nic.vlans?.length)) errors.push({ path: `traffic[${i}].to`, message: `${target} has no IPv4 address to ${action.do === 'ping' ? 'ping' : 'ask for'}` });
    }
    if (!from.nics.some((nic) => nic.ip || nic.vlans?.length)) errors.push({ path: `traffic[${i}].from`, message: `${from.id} has no IPv4 address, so it cannot ${action.do === 'ping' ? 'ping' : 'send ARP requests'}` });
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
