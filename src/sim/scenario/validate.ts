// Validates untrusted scenario input (a file, a share link, the editor): a v1 document is first
// migrated to v2 (migrate.ts), then the valibot schema (schema.ts) judges every field, then this
// file checks what a schema cannot: references between devices, links, bridges and traffic. Every
// error names the path and what was expected in the site's own words; suspicious-but-legal setups
// (duplicate MAC or IP) are warnings. Limits come from limits.ts; counts are checked before anything deep, and
// at most MAX_REPORTED_ERRORS errors are returned.

import * as v from 'valibot';
import { broadcastAddress, inSameSubnet, parseIpv4Address, parseIpv4Cidr } from '../wire/ipv4-address';
import { BROADCAST_MAC, isMulticastMac, parseMacAddress, ZERO_MAC } from '../wire/mac-address';
import { devicePorts, splitEndpoint, type BridgeNetdevSpec, type HostNicSpec, type HostSpec, type LinkSpec, type RouterSpec, type Scenario, type SwitchSpec, type VxlanSpec } from './format';
import {
  formatCount,
  MAX_DEVICES,
  MAX_LINKS,
  MAX_BRIDGES_PER_DEVICE,
  MAX_NICS_PER_DEVICE,
  MAX_REPORTED_ERRORS,
  MAX_TOTAL_INTERFACES,
  MAX_TRAFFIC_ACTIONS,
} from './limits';
import { migrateScenario } from './migrate';
import { NOT_A_SCENARIO, ScenarioSchema, show } from './schema';

export { MAX_MTU, MIN_MTU, NOT_A_SCENARIO, ScenarioSchema, show } from './schema';

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
      errors.push({ path: 'devices', message: `expected at most ${formatCount(MAX_TOTAL_INTERFACES)} interfaces in all (ports, NICs, sub-interfaces and bridges together), got ${formatCount(total)}` });
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
    total += length(device['ports']) + length(device['nics']) + (isObject(device['local']) ? 1 : 0) + length(device['bridges']) + length(device['vxlans']);
    const nics = device['nics'];
    if (!Array.isArray(nics) || nics.length > MAX_NICS_PER_DEVICE) continue;
    for (const nic of nics) if (isObject(nic)) total += length(nic['vlans']);
    const bridges = device['bridges'];
    // A bridge's sub-interfaces (br0.10) too; its own list is checked against its limit first, as a NIC's.
    if (Array.isArray(bridges) && bridges.length <= MAX_BRIDGES_PER_DEVICE) for (const bridge of bridges) if (isObject(bridge)) total += length(bridge['vlans']);
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

/** Validates and normalises (a v1 document migrated to the current format, canonical addresses). Never throws; returns at most MAX_REPORTED_ERRORS errors. */
export function validateScenario(input: unknown): ValidationResult {
  try {
    const shape = checkShape(input);
    if (shape.length) return rejected(shape, []);
    // A v1 document opens as v2 (migrate.ts): only its format string changes.
    const parsed = v.safeParse(ScenarioSchema, migrateScenario(input), { abortPipeEarly: true });
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
      device.nics.forEach((nic, j) => checkSubinterfaces(nic.port, nic.mtu, 'NIC', nic.vlans, `devices[${i}].nics[${j}]`, errors));
      checkVxlans(device, i, errors, warnings);
      checkBridges(device, i, errors, warnings);
      const listening = new Set<number>();
      (device.udpListen ?? []).forEach((port, k) => {
        if (listening.has(port)) errors.push({ path: `devices[${i}].udpListen[${k}]`, message: `UDP port ${port} is listed twice on ${device.id}; a second socket bound to it would fail (EADDRINUSE)` });
        listening.add(port);
      });
    }
    if (device.kind === 'host' && device.gateway !== undefined) {
      checkNextHop(device.gateway, device, `devices[${i}].gateway`, 'gateway', device.id, errors);
      const own = interfaceAddresses(device).map((ip) => parseIpv4Cidr(ip)!.address);
      // Linux accepts `ip route add default via <own address>` (checked on a real kernel); nothing answers ARP for it on the wire.
      if (own.includes(device.gateway)) warnings.push({ path: `devices[${i}].gateway`, message: `the gateway ${device.gateway} is ${device.id}'s own address: Linux accepts it, but ${device.id} will ask the wire who has its own address, nobody answers, and every packet for another subnet fails with "Destination Host Unreachable"` });
    }
    if (device.kind === 'router') {
      (device.routes ?? []).forEach((route, k) => checkNextHop(route.via, device, `devices[${i}].routes[${k}].via`, 'next hop', device.id, errors));
    }
    if (device.kind === 'switch') checkSwitch(device, i, errors);
    if (device.kind === 'bridge' && device.local !== undefined) {
      // The local interface is named after the bridge (br0); Linux has one namespace of link names.
      const clash = device.ports.indexOf(device.id);
      if (clash >= 0) errors.push({ path: `devices[${i}].ports[${clash}]`, message: `${device.id} has a local interface, which is called ${device.id} like the bridge itself; a port cannot have that name too` });
    }
  });

  /** Which link each port is on already, and whether that link is a veth pair (for the words). */
  const used = new Map<string, { at: string; veth: boolean }>();
  scenario.links.forEach((link, i) => {
    for (const side of ['a', 'b'] as const) {
      const endpoint = link[side];
      const { device, port } = splitEndpoint(endpoint);
      const index = byId.get(device);
      const path = `links[${i}].${side}`;
      if (index === undefined) {
        errors.push({ path, message: `the ${link.type === 'veth' ? 'veth pair' : 'cable'} goes to "${device}", which is not a device of this scenario` });
        continue;
      }
      const spec = scenario.devices[index]!;
      if (!portsOf.get(device)!.has(port)) {
        // A bridge net device is an interface with no wire of its own: links go to its ports.
        const bridge = spec.kind === 'host' || spec.kind === 'router' ? spec.bridges?.find((b) => b.name === port) : undefined;
        const vxlan = spec.kind === 'host' || spec.kind === 'router' ? spec.vxlans?.find((x) => x.name === port) : undefined;
        if (vxlan) errors.push({ path, message: `${port} is a VXLAN device in ${device}, not a NIC: it has no wire of its own (its frames travel in UDP over the namespace's routes), so a link goes to a NIC` });
        else if (bridge) errors.push({ path, message: `${port} is a bridge in ${device}, not a NIC: a link goes to a NIC, so ${bridge.ports.length ? `join one of its ports (${listSome(bridge.ports)}) or add a NIC to it` : 'add a NIC to its ports and join that'}` });
        else errors.push({ path, message: `${device} has no port ${show(port)} (its ports: ${listSome(devicePorts(spec))})` });
        continue;
      }
      const other = used.get(endpoint);
      if (other === undefined) used.set(endpoint, { at: `links[${i}]`, veth: link.type === 'veth' });
      else if (!other.veth && link.type !== 'veth') errors.push({ path, message: `port ${endpoint} already has a cable (${other.at}); a port takes one cable` });
      else errors.push({ path, message: `port ${endpoint} already has ${other.veth ? 'a veth pair' : 'a cable'} (${other.at}); a port takes one link, a cable or a veth pair` });
    }
    if (link.a === link.b) errors.push({ path: `links[${i}]`, message: `a ${link.type === 'veth' ? 'veth pair' : 'cable'} cannot join ${link.a} to itself` });
    if (link.type === 'veth') checkVeth(scenario, byId, link, i, errors);
  });

  const macs = new Map<string, string>();
  const ips = new Map<string, string>();
  /** One interface's MAC and addresses against everyone else's: a NIC, a bridge box's local interface, or a namespace's bridge. */
  const checkInterface = (device: string, port: string, mac: string, ip: string | undefined, vlans: HostNicSpec['vlans'], where: string, who: string, bridge?: BridgeNetdevSpec, portsMac = false): void => {
    if (mac === ZERO_MAC || isMulticastMac(mac)) {
      const what = mac === ZERO_MAC ? 'all zeros' : mac === BROADCAST_MAC ? 'the broadcast address' : 'a group (multicast) address';
      // A NIC's stays a warning, as in v1; the new bridge field says no outright, as Linux does.
      if (bridge) errors.push({ path: `${where}.mac`, message: `${mac} is ${what}: Linux refuses it for bridge ${bridge.name} (EADDRNOTAVAIL); give it a unicast MAC, such as 02:00:00:00:00:b0` });
      else warnings.push({ path: `${where}.mac`, message: `${mac} is ${what}: Linux refuses it for a NIC (EADDRNOTAVAIL); here bridges will drop every frame sent from it` });
    }
    const previous = macs.get(mac);
    if (previous === undefined) macs.set(mac, who);
    // A bridge with one of its own ports' MACs is what Linux does by default (br_stp_recalculate_bridge_id): not a clash.
    else if (!portsMac) warnings.push({ path: `${where}.mac`, message: `${mac} is also used by ${previous}: bridges will see it move between ports and deliver frames for it to one of the two at a time` });
    if (ip) checkAddress(ip, `${where}.ip`, who);
    if (vlans) for (let k = 0; k < vlans.length; k++) checkAddress(vlans[k]!.ip, `${where}.vlans[${k}].ip`, `${device}:${port}.${vlans[k]!.vlan}`);
  };
  const checkAddress = (ip: string, path: string, me: string): void => {
    const address = parseIpv4Cidr(ip)!.address;
    const owner = ips.get(address);
    if (owner) warnings.push({ path, message: `${address} is also used by ${owner}: both will answer ARP for it; the first answer wins and a second one within 1 s is ignored (Linux's ARP locktime)` });
    else ips.set(address, me);
  };
  // Plain loops, no object per interface: a 5,000-device file passes here once per keystroke in the editor.
  scenario.devices.forEach((device, i) => {
    if (device.kind === 'host' || device.kind === 'router') {
      const { nics, bridges } = device;
      for (let j = 0; j < nics.length; j++) {
        const nic = nics[j]!;
        checkInterface(device.id, nic.port, nic.mac, nic.ip, nic.vlans, `devices[${i}].nics[${j}]`, `${device.id}:${nic.port}`);
      }
      const vxlans = device.vxlans;
      if (vxlans) for (let k = 0; k < vxlans.length; k++) checkInterface(device.id, vxlans[k]!.name, vxlans[k]!.mac, vxlans[k]!.ip, undefined, `devices[${i}].vxlans[${k}]`, `${device.id}:${vxlans[k]!.name}`);
      if (bridges) {
        for (let k = 0; k < bridges.length; k++) {
          const bridge = bridges[k]!;
          const portsMac = bridge.ports.some((port) => nics.some((nic) => nic.port === port && nic.mac === bridge.mac));
          checkInterface(device.id, bridge.name, bridge.mac, bridge.ip, bridge.vlans, `devices[${i}].bridges[${k}]`, `${device.id}:${bridge.name}`, bridge, portsMac);
        }
      }
    } else if (device.kind === 'bridge' && device.local) {
      // A bridge box's local interface is checked as a NIC: it is one on the segment, as far as the others can tell.
      checkInterface(device.id, device.id, device.local.mac, device.local.ip, undefined, `devices[${i}].local`, `${device.id}'s local interface`);
    }
  });

  scenario.traffic.forEach((action, i) => {
    const index = byId.get(action.from);
    if (index === undefined) {
      errors.push({ path: `traffic[${i}].from`, message: `"${action.from}" is not a device of this scenario` });
      return;
    }
    const from = scenario.devices[index]!;
    // A router is a Linux box with forwarding on: it pings and sends like any host.
    if (from.kind !== 'host' && from.kind !== 'router' && !(from.kind === 'bridge' && from.local)) {
      const bridge = from.kind === 'bridge' ? ' (and a bridge once it has a local interface, "local")' : '';
      errors.push({ path: `traffic[${i}].from`, message: `${from.id} is a ${from.kind}; only hosts and routers send traffic${bridge}` });
      return;
    }
    const target = action.to;
    const targetDevice = byId.has(target) ? scenario.devices[byId.get(target)!]! : undefined;
    if (action.do === 'raw') {
      // A namespace by name is its own interface's MAC (registry.ts): a router's as much as a host's.
      if (target !== 'broadcast' && parseMacAddress(target) === null && targetDevice?.kind !== 'host' && targetDevice?.kind !== 'router') {
        errors.push({ path: `traffic[${i}].to`, message: `expected "broadcast", a MAC address or the name of a host or router, got "${target}"` });
      }
      return;
    }
    if (parseIpv4Address(target) === null) {
      // A bridge with a local interface is a target too, by its local address.
      if (targetDevice?.kind === 'bridge' && targetDevice.local) { /* its address is required by the schema */ }
      else if (targetDevice?.kind !== 'host' && targetDevice?.kind !== 'router') errors.push({ path: `traffic[${i}].to`, message: `expected an IPv4 address or the name of a host or router, got "${target}"` });
      // The engine resolves a device to its first NIC address, else its first bridge address.
      else if (interfaceAddresses(targetDevice).length === 0) errors.push({ path: `traffic[${i}].to`, message: `${target} has no IPv4 address to ${action.do === 'ping' ? 'ping' : action.do === 'udp' ? 'send to' : 'ask for'}` });
    }
    if ((from.kind === 'host' || from.kind === 'router') && interfaceAddresses(from).length === 0) errors.push({ path: `traffic[${i}].from`, message: `${from.id} has no IPv4 address, so it cannot ${action.do === 'ping' ? 'ping' : action.do === 'udp' ? 'send UDP datagrams' : 'send ARP requests'}` });
  });
}

/**
 * The 802.1Q sub-interfaces of a NIC or a bridge's interface (`dev`): one per VLAN, each MTU at most
 * the real device's (vlan_dev_change_mtu: -ERANGE).
 */
function checkSubinterfaces(dev: string, devMtu: number | undefined, what: string, subs: HostNicSpec['vlans'], where: string, errors: ScenarioIssue[]): void {
  const mtu = devMtu ?? 1500;
  const seen = new Set<number>();
  (subs ?? []).forEach((sub, k) => {
    if (sub.mtu !== undefined && sub.mtu > mtu) errors.push({ path: `${where}.vlans[${k}].mtu`, message: `${dev}.${sub.vlan} cannot have an MTU of ${sub.mtu}: ${dev}'s is ${mtu}, and Linux refuses a sub-interface an MTU above its ${what}'s` });
    if (seen.has(sub.vlan)) errors.push({ path: `${where}.vlans[${k}].vlan`, message: `${dev} already has a sub-interface for VLAN ${sub.vlan} (${dev}.${sub.vlan})` });
    seen.add(sub.vlan);
  });
}

/** Every interface address of a namespace, as "10.0.0.1/24": its NICs' (in order, each NIC's sub-interfaces after it), then its bridges'. */
function interfaceAddresses(device: HostSpec | RouterSpec): string[] {
  const addresses = device.nics.flatMap((nic) => [...(nic.ip ? [nic.ip] : []), ...(nic.vlans ?? []).map((sub) => sub.ip)]);
  for (const bridge of device.bridges ?? []) {
    if (bridge.ip) addresses.push(bridge.ip);
    for (const sub of bridge.vlans ?? []) addresses.push(sub.ip);
  }
  for (const vxlan of device.vxlans ?? []) if (vxlan.ip) addresses.push(vxlan.ip);
  return addresses;
}

/** A gateway or a route's next hop must be one host inside a subnet of one of the device's interfaces (Linux: "Nexthop has invalid gateway"). */
function checkNextHop(hop: string, device: HostSpec | RouterSpec, path: string, what: string, id: string, errors: ScenarioIssue[]): void {
  const subnets = interfaceAddresses(device).map((ip) => parseIpv4Cidr(ip)!);
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
function checkBridges(device: HostSpec | RouterSpec, i: number, errors: ScenarioIssue[], warnings: ScenarioIssue[]): void {
  const bridges = device.bridges ?? [];
  if (bridges.length === 0) return;
  const nicIndex = new Map<string, number>();
  device.nics.forEach((nic, j) => nicIndex.set(nic.port, j));
  const vxlanIndex = new Map<string, number>();
  (device.vxlans ?? []).forEach((vxlan, j) => vxlanIndex.set(vxlan.name, j));
  const names = new Map<string, string>();
  device.nics.forEach((nic) => {
    names.set(nic.port, `NIC ${nic.port}`);
    for (const sub of nic.vlans ?? []) names.set(`${nic.port}.${sub.vlan}`, `${nic.port}'s sub-interface for VLAN ${sub.vlan}`);
  });
  for (const vxlan of device.vxlans ?? []) if (!names.has(vxlan.name)) names.set(vxlan.name, `VXLAN device ${vxlan.name}`);
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
      const x = vxlanIndex.get(port);
      if (j === undefined && x === undefined) {
        errors.push({ path, message: `${device.id} has no NIC ${show(port)} to put in bridge ${bridge.name} (a bridge's ports are NICs or VXLAN devices of the same device: ${listSome([...device.nics.map((nic) => nic.port), ...(device.vxlans ?? []).map((vxlan) => vxlan.name)])})` });
        return;
      }
      const other = master.get(port);
      if (other !== undefined) {
        errors.push({ path, message: `${port} is already a port of bridge ${other}; a NIC is in at most one bridge` });
        return;
      }
      master.set(port, bridge.name);
      if (j === undefined) {
        const vxlan = device.vxlans![x!]!;
        if (vxlan.ip !== undefined) errors.push({ path: `devices[${i}].vxlans[${x}].ip`, message: `${port} is a port of bridge ${bridge.name} and cannot have an address: the bridge's rx_handler takes every frame ${port} unwraps, so nothing would reach it; give the address to ${bridge.name} instead` });
        return;
      }
      const nic = device.nics[j]!;
      const why = `its frames go to bridge ${bridge.name} (the bridge's rx_handler takes every frame the NIC receives), so nothing would reach it; give the address to ${bridge.name} instead`;
      if (nic.ip !== undefined) errors.push({ path: `devices[${i}].nics[${j}].ip`, message: `${port} is a port of bridge ${bridge.name} and cannot have an address: ${why}` });
      if (nic.vlans?.length) errors.push({ path: `devices[${i}].nics[${j}].vlans`, message: `${port} is a port of bridge ${bridge.name} and cannot have sub-interfaces: ${why}` });
    });
    checkSubinterfaces(bridge.name, bridge.mtu, 'bridge', bridge.vlans, where, errors);
    // br0.10 is one more link name; the bridge's own VLANs (self), for the warning below.
    const self = new Set<number>();
    const pvid = new Map<string, number>();
    const seenVlans = new Set<string>();
    if (bridge.bridgeVlans?.length && !bridge.vlanFiltering) errors.push({ path: `${where}.bridgeVlans`, message: `Linux ignores a VLAN table without VLAN filtering: set "vlanFiltering": true` });
    (bridge.bridgeVlans ?? []).forEach(({ dev, vid, pvid: isPvid }, m) => {
      const path = `${where}.bridgeVlans[${m}]`;
      if (dev === bridge.name) self.add(vid);
      else if (!seen.has(dev)) errors.push({ path: `${path}.dev`, message: `${show(dev)} is neither a port of ${bridge.name} nor ${bridge.name} itself` });
      if (seenVlans.has(`${dev} ${vid}`)) errors.push({ path: `${path}.vid`, message: `VLAN ${vid} is listed twice on ${dev}` });
      seenVlans.add(`${dev} ${vid}`);
      if (isPvid && pvid.has(dev)) errors.push({ path: `${path}.pvid`, message: `${dev} already has PVID ${pvid.get(dev)}; it has one` });
      if (isPvid) pvid.set(dev, vid);
    });
    (bridge.vlans ?? []).forEach((sub, m) => {
      const name = `${bridge.name}.${sub.vlan}`;
      const mine = `${bridge.name}'s sub-interface for VLAN ${sub.vlan}`;
      const taken = names.get(name);
      if (taken !== undefined && taken !== mine) errors.push({ path: `${where}.vlans[${m}].vlan`, message: `${device.id} already has an interface called ${name} (${taken})` });
      names.set(name, mine);
      if (bridge.vlanFiltering && !self.has(sub.vlan)) warnings.push({ path: `${where}.vlans[${m}].vlan`, message: `${bridge.name} itself is not in VLAN ${sub.vlan} (no "bridgeVlans" entry for it): ${name} gets no frame` });
    });
  });
}

/**
 * A namespace's VXLAN devices (`ip link add vxlan0 type vxlan id … local … dev … dstport …`): each
 * name is one more interface name of the namespace; `local` one of its addresses; `dev` one of its
 * interfaces; one device per VNI and port (vxlan_vni_in_use: EEXIST); an MTU above what `dev`
 * allows is lowered as Linux lowers it (vxlan_config_apply), with a warning; and the static FDB
 * entries as `bridge fdb` takes them: a unicast MAC has one remote (`append` adds remotes only to the
 * all-zeros entry and to group MACs), and the same MAC and remote twice is "File exists".
 */
function checkVxlans(device: HostSpec | RouterSpec, i: number, errors: ScenarioIssue[], warnings: ScenarioIssue[]): void {
  const vxlans = device.vxlans ?? [];
  if (vxlans.length === 0) return;
  const names = new Map<string, string>();
  device.nics.forEach((nic) => {
    names.set(nic.port, `NIC ${nic.port}`);
    for (const sub of nic.vlans ?? []) names.set(`${nic.port}.${sub.vlan}`, `${nic.port}'s sub-interface for VLAN ${sub.vlan}`);
  });
  for (const bridge of device.bridges ?? []) {
    names.set(bridge.name, `bridge ${bridge.name}`);
    for (const sub of bridge.vlans ?? []) names.set(`${bridge.name}.${sub.vlan}`, `${bridge.name}'s sub-interface for VLAN ${sub.vlan}`);
  }
  const own = new Set(interfaceAddresses(device).map((ip) => parseIpv4Cidr(ip)!.address));
  const vniPorts = new Map<string, string>();
  vxlans.forEach((vxlan, k) => {
    const where = `devices[${i}].vxlans[${k}]`;
    const taken = names.get(vxlan.name);
    if (taken !== undefined) errors.push({ path: `${where}.name`, message: `${device.id} already has an interface called ${vxlan.name} (${taken}); a VXLAN device needs a name of its own` });
    else names.set(vxlan.name, `VXLAN device ${vxlan.name}`);
    const port = vxlan.dstport ?? 8472;
    const key = `${vxlan.vni}/${port}`;
    const twin = vniPorts.get(key);
    if (twin !== undefined) errors.push({ path: `${where}.vni`, message: `${twin} already has VNI ${vxlan.vni} on UDP port ${port}: Linux refuses a second one ("A VXLAN device with the specified VNI already exists"), since a datagram could not tell them apart` });
    else vniPorts.set(key, vxlan.name);
    if (vxlan.local !== undefined && !own.has(vxlan.local)) errors.push({ path: `${where}.local`, message: `${vxlan.local} is not an address of ${device.id}: the outer source of ${vxlan.name}'s packets must be one of its own addresses (${own.size ? listSome([...own]) : 'it has none'})` });
    if (vxlan.dev !== undefined) {
      const nic = device.nics.find((n) => n.port === vxlan.dev);
      const dev = names.get(vxlan.dev);
      if (dev === undefined || vxlan.dev === vxlan.name || dev.startsWith('VXLAN')) errors.push({ path: `${where}.dev`, message: `${device.id} has no interface ${show(vxlan.dev)} to carry ${vxlan.name} (its interfaces: ${listSome([...names.keys()].filter((name) => !names.get(name)!.startsWith('VXLAN')))})` });
      else {
        const lower = nic?.mtu ?? device.bridges?.find((b) => b.name === vxlan.dev)?.mtu ?? vxlanLowerMtu(device, vxlan.dev);
        const max = Math.max(68, lower - 50);
        if (vxlan.mtu !== undefined && vxlan.mtu > max) warnings.push({ path: `${where}.mtu`, message: `${vxlan.name} cannot have an MTU of ${vxlan.mtu} over ${vxlan.dev} (MTU ${lower}): 50 bytes of every packet are the outer IPv4, UDP and VXLAN headers and the inner Ethernet header, so Linux lowers it to ${max} (vxlan_config_apply)` });
      }
    }
    checkVxlanFdb(device, vxlan, where, own, errors);
  });
}

/** The MTU of a sub-interface `name` ("eth0.10") of a namespace, else 1500. */
function vxlanLowerMtu(device: HostSpec | RouterSpec, name: string): number {
  for (const nic of device.nics) for (const sub of nic.vlans ?? []) if (`${nic.port}.${sub.vlan}` === name) return sub.mtu ?? nic.mtu ?? 1500;
  return 1500;
}

function checkVxlanFdb(device: HostSpec | RouterSpec, vxlan: VxlanSpec, where: string, own: ReadonlySet<string>, errors: ScenarioIssue[]): void {
  const remotes = new Map<string, string[]>();
  (vxlan.fdb ?? []).forEach((entry, m) => {
    const path = `${where}.fdb[${m}]`;
    if (entry.dst === '0.0.0.0' || entry.dst === '255.255.255.255' || parseIpv4Cidr(`${entry.dst}/32`) === null) errors.push({ path: `${path}.dst`, message: `expected the unicast address of a remote VTEP, got ${entry.dst}` });
    else if (Number(entry.dst.split('.')[0]) >= 224) errors.push({ path: `${path}.dst`, message: `${entry.dst} is a multicast or reserved address: VXLAN multicast groups are not modelled here; list each remote VTEP with the all-zeros MAC instead (head-end replication)` });
    else if (own.has(entry.dst)) errors.push({ path: `${path}.dst`, message: `${entry.dst} is ${device.id}'s own address: a remote VTEP is another machine` });
    const listed = remotes.get(entry.mac);
    if (listed === undefined) {
      remotes.set(entry.mac, [entry.dst]);
      return;
    }
    if (listed.includes(entry.dst)) errors.push({ path, message: `${entry.mac} dst ${entry.dst} is listed twice on ${vxlan.name}: Linux answers the second \`bridge fdb append\` with "File exists"` });
    else if (entry.mac !== ZERO_MAC && !isMulticastMac(entry.mac)) errors.push({ path: `${path}.mac`, message: `${entry.mac} already goes to ${listed[0]} on ${vxlan.name}: a unicast MAC has one remote VTEP (\`bridge fdb append\` adds remotes only to the all-zeros entry and to group MACs)` });
    else listed.push(entry.dst);
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
