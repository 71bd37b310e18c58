// Edit operations on a scenario: each takes a scenario (possibly invalid: the reader may be
// half-way through typing a MAC) and returns a NEW scenario object, never mutating its input.
// Nothing here decides anything about networking: the operations only rewrite the document, and
// validateScenario() judges the result. What they do keep consistent is the document's own
// cross-references (renaming a device or a port rewrites the cables and traffic that name it;
// removing one removes what would otherwise point to nowhere), and they say what they removed.

import { devicePorts, splitEndpoint, type DeviceKind, type DeviceSpec, type BridgeNetdevSpec, type LinkSpec, type LinkType, type Position, type Scenario, type TrafficAction } from '../sim/scenario/format';

/** A path into the scenario, as the validator names it: ['devices', 0, 'nics', 1, 'mac']. */
export type FieldPath = readonly (string | number)[];

/** The kinds the editor can add. */
export const ADDABLE_KINDS: readonly DeviceKind[] = ['host', 'hub', 'bridge', 'switch', 'router'];
/** Kinds that are a set of ports joined inside (hub, bridge, VLAN-aware switch), which can turn into one another. */
export const PORT_KINDS: readonly DeviceKind[] = ['hub', 'bridge', 'switch'];

/** The validator's name for a path: devices[0].nics[1].mac. */
export function pathKey(path: FieldPath): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

// Operations that only add or take away a whole device, cable or action copy the lists they change
// and share everything else with their input (nothing here changes a scenario in place), instead of
// cloning a document of thousands of devices for each edit.

function deviceIndex(s: Scenario, id: string): number {
  const i = s.devices.findIndex((d) => d.id === id);
  if (i < 0) throw new Error(`no device "${id}"`);
  return i;
}

/**
 * Sets (or, with `undefined`, removes) one scalar field: a MAC, an address, a gateway, an ageing
 * time, a label, a position coordinate, a VLAN setting. The value is stored as given, even if it
 * is not valid: the validator reports it next to the field.
 */
export function setField(s: Scenario, path: FieldPath, value: unknown): Scenario {
  const next = clone(s);
  const { node, last } = parentOf(next, path);
  if (value === undefined) delete node[last];
  else node[last] = value;
  return next;
}

/** The object that holds the field at `path` inside `root`, and the field's key. */
function parentOf(root: Scenario, path: FieldPath): { node: Record<string | number, unknown>; last: string | number } {
  if (path.length === 0) throw new Error('empty path');
  const last = path[path.length - 1]!;
  // Paths name the document's own fields; "__proto__" would reach Object.prototype instead.
  if (path.includes('__proto__')) throw new Error(`no field at ${pathKey(path)}`);
  let node = root as unknown as Record<string | number, unknown>;
  for (const part of path.slice(0, -1)) {
    const child = Object.hasOwn(node, part) ? node[part] : undefined;
    if (child === null || typeof child !== 'object') throw new Error(`no field at ${pathKey(path)}`);
    node = child as Record<string | number, unknown>;
  }
  return { node, last };
}

/** Turns a number field's text into a number if it is one, else keeps the text for the validator to reject. */
export function numberOrText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) && /^-?\d+(\.\d+)?$/.test(trimmed) ? n : trimmed;
}

function usedMacs(s: Scenario): Set<string> {
  const macs = new Set<string>();
  for (const d of s.devices) {
    if (d.kind === 'host' || d.kind === 'router') {
      for (const nic of d.nics) macs.add(String(nic.mac).toLowerCase());
      for (const bridge of d.bridges ?? []) macs.add(String(bridge.mac).toLowerCase());
      for (const vxlan of d.vxlans ?? []) macs.add(String(vxlan.mac).toLowerCase());
    } else if (d.kind === 'bridge' && d.local) macs.add(String(d.local.mac).toLowerCase());
  }
  return macs;
}

/** `count` locally administered MAC addresses no NIC of the scenario uses yet. */
export function freeMacs(s: Scenario, count: number): string[] {
  const used = usedMacs(s);
  const out: string[] = [];
  for (let n = 1; out.length < count; n++) {
    const hex = n.toString(16).padStart(4, '0');
    const mac = `02:00:00:00:${hex.slice(0, 2)}:${hex.slice(2)}`;
    if (!used.has(mac)) out.push(mac);
  }
  return out;
}

export function freeMac(s: Scenario): string {
  return freeMacs(s, 1)[0]!;
}

/**
 * An address for a new host: the next free one in the subnet of the first host that has one
 * (a suggestion the reader can change; the validator and the core judge it like any other).
 */
export function suggestIp(s: Scenario): string | undefined {
  const taken = new Set<string>();
  let template: string | undefined;
  for (const d of s.devices) {
    if (d.kind === 'bridge' && typeof d.local?.ip === 'string') taken.add(d.local.ip.split('/')[0]!);
    if (d.kind !== 'host' && d.kind !== 'router') continue;
    for (const bridge of d.bridges ?? []) if (typeof bridge.ip === 'string') taken.add(bridge.ip.split('/')[0]!);
    for (const nic of d.nics) {
      if (typeof nic.ip !== 'string') continue;
      const [address] = nic.ip.split('/');
      taken.add(address!);
      if (d.kind === 'host' && template === undefined && /^(\d+\.){3}\d+\/\d+$/.test(nic.ip)) template = nic.ip;
    }
  }
  if (!template) return '10.0.0.1/24';
  const [address, prefix] = template.split('/') as [string, string];
  const parts = address.split('.').map(Number);
  for (let last = (parts[3]! + 1) % 255 || 1; last < 255; last++) {
    const candidate = `${parts[0]}.${parts[1]}.${parts[2]}.${last}`;
    if (!taken.has(candidate)) return `${candidate}/${prefix}`;
  }
  return undefined;
}

/** A device name not used yet: single letters for hosts (A, B, … like the chapters), else hub1, br1, … */
export function freeName(s: Scenario, kind: DeviceKind): string {
  const names = new Set(s.devices.map((d) => d.id));
  if (kind === 'host') {
    for (let c = 65; c <= 90; c++) if (!names.has(String.fromCharCode(c))) return String.fromCharCode(c);
  }
  const base = kind === 'bridge' ? 'br' : kind === 'switch' ? 'sw' : kind === 'router' ? 'r' : kind === 'host' ? 'host' : kind;
  for (let n = kind === 'bridge' ? 0 : 1; ; n++) if (!names.has(`${base}${n}`)) return `${base}${n}`;
}

/** Where to put a new device: right of everything drawn so far (positions are only hints). */
function freePosition(s: Scenario): Position {
  const known = s.devices.map((d) => d.position).filter((p): p is Position => !!p && typeof p.x === 'number' && typeof p.y === 'number');
  if (known.length === 0) return { x: 100 * (s.devices.length + 1), y: 100 };
  const maxX = Math.max(...known.map((p) => p.x));
  const minY = Math.min(...known.map((p) => p.y));
  const maxY = Math.max(...known.map((p) => p.y));
  return { x: Math.round(maxX + 120), y: Math.round((minY + maxY) / 2) };
}

export function newDevice(s: Scenario, kind: DeviceKind, position: Position = freePosition(s)): DeviceSpec {
  const id = freeName(s, kind);
  switch (kind) {
    case 'host': {
      const ip = suggestIp(s);
      return { id, kind, nics: [ip ? { port: 'eth0', mac: freeMac(s), ip } : { port: 'eth0', mac: freeMac(s) }], position };
    }
    case 'router': {
      const [m0, m1] = freeMacs(s, 2) as [string, string];
      return { id, kind, nics: [{ port: 'eth0', mac: m0 }, { port: 'eth1', mac: m1 }], position };
    }
    case 'switch':
      return { id, kind, ports: [{ port: 'p1' }, { port: 'p2' }, { port: 'p3' }, { port: 'p4' }], position };
    default:
      return { id, kind, ports: ['p1', 'p2', 'p3', 'p4'], position };
  }
}

export function addDevice(s: Scenario, kind: DeviceKind, position?: Position): { scenario: Scenario; id: string } {
  const device = newDevice(s, kind, position);
  return { scenario: { ...s, devices: [...s.devices, device] }, id: device.id };
}

export interface Removal {
  scenario: Scenario;
  /** Cables removed with the device or port, as "A:eth0 – br0:p1". */
  links: string[];
  /** Traffic actions removed because they named the device, by label or as "A ping B". */
  traffic: string[];
}

export function describeLink(link: LinkSpec): string {
  return `${link.a} – ${link.b}`;
}

function describeAction(a: TrafficAction): string {
  return a.label ?? `${a.from} ${a.do} ${a.to}`;
}

/**
 * Removes a device with the cables and traffic that name it. `index` picks the device when two
 * share a name (a mistake the validator reports): only that one goes, and the cables and traffic
 * that name both stay, since they cannot be told apart.
 */
export function removeDevice(s: Scenario, id: string, index = deviceIndex(s, id)): Removal {
  if (s.devices[index]?.id !== id) throw new Error(`no device "${id}" at #${index}`);
  const shared = s.devices.filter((d) => d.id === id).length > 1;
  const touches = (l: LinkSpec) => !shared && (splitEndpoint(l.a).device === id || splitEndpoint(l.b).device === id);
  const names = (a: TrafficAction) => !shared && (a.from === id || a.to === id);
  return {
    scenario: { ...clone(s), devices: s.devices.filter((_, i) => i !== index).map(clone), links: s.links.filter((l) => !touches(l)).map(clone), traffic: s.traffic.filter((a) => !names(a)).map(clone) },
    links: s.links.filter(touches).map(describeLink),
    traffic: s.traffic.filter(names).map(describeAction),
  };
}

/**
 * Changes a device between kinds that share a shape (hub, bridge, switch): same name, ports,
 * cables and position. The ageing time carries over between bridge and switch; a switch's VLAN
 * settings do not survive becoming a hub or bridge (the reader can undo).
 */
export function changeKind(s: Scenario, id: string, kind: DeviceKind): Scenario {
  const i = deviceIndex(s, id);
  const old = s.devices[i]!;
  if (old.kind === kind) return s;
  if (!PORT_KINDS.includes(old.kind) || !PORT_KINDS.includes(kind)) throw new Error(`cannot turn a ${old.kind} into a ${kind}`);
  const ports = devicePorts(old);
  const ageing = (old.kind === 'bridge' || old.kind === 'switch') && old.ageingTime !== undefined && kind !== 'hub' ? { ageingTime: old.ageingTime } : {};
  const device = {
    id: old.id,
    kind,
    ...(old.label !== undefined ? { label: old.label } : {}),
    ports: kind === 'switch' ? ports.map((port) => ({ port })) : [...ports],
    ...ageing,
    ...(old.position ? { position: { ...old.position } } : {}),
  } as DeviceSpec;
  const next = clone(s);
  next.devices[i] = device;
  return next;
}

/** The list a port lives in: a host's or router's NICs, a switch's port objects, or a hub's or bridge's names. */
function portList(d: DeviceSpec): { key: 'nics' | 'ports'; names: string[] } {
  return { key: d.kind === 'host' || d.kind === 'router' ? 'nics' : 'ports', names: devicePorts(d) };
}

/** A port name the device does not have yet: eth1, eth2 … for NICs, p5, p6 … for ports. */
export function freePortName(d: DeviceSpec): string {
  const { key, names } = portList(d);
  const base = key === 'nics' ? 'eth' : 'p';
  for (let n = key === 'nics' ? 0 : 1; ; n++) if (!names.includes(`${base}${n}`)) return `${base}${n}`;
}

/** Adds a NIC (hosts, routers) or a port (hubs, bridges, switches); returns its name. */
export function addPort(s: Scenario, id: string): { scenario: Scenario; port: string } {
  const i = deviceIndex(s, id);
  const next = clone(s);
  const d = next.devices[i]!;
  const port = freePortName(d);
  if (d.kind === 'host' || d.kind === 'router') d.nics.push({ port, mac: freeMac(s) });
  else if (d.kind === 'switch') d.ports.push({ port });
  else d.ports.push(port);
  return { scenario: next, port };
}

/** Removes a NIC or port, and its cable. */
export function removePort(s: Scenario, id: string, index: number): Removal {
  const i = deviceIndex(s, id);
  const d = s.devices[i]!;
  const port = devicePorts(d)[index];
  if (port === undefined) throw new Error(`${id} has no port #${index}`);
  const next = clone(s);
  const nd = next.devices[i]!;
  if (nd.kind === 'host' || nd.kind === 'router') {
    nd.nics.splice(index, 1);
    // A NIC that goes leaves the bridge it was a port of (Linux: deleting a link releases it from its master).
    for (const bridge of nd.bridges ?? []) if (Array.isArray(bridge.ports)) bridge.ports = bridge.ports.filter((p) => p !== port);
  } else (nd.ports as unknown[]).splice(index, 1);
  const end = `${id}:${port}`;
  const touches = (l: LinkSpec) => l.a === end || l.b === end;
  next.links = next.links.filter((l) => !touches(l));
  return { scenario: next, links: s.links.filter(touches).map(describeLink), traffic: [] };
}

/** Renames a NIC or port, and the cable end plugged into it. */
export function renamePort(s: Scenario, id: string, index: number, name: string): Scenario {
  const i = deviceIndex(s, id);
  const old = devicePorts(s.devices[i]!)[index];
  if (old === undefined) throw new Error(`${id} has no port #${index}`);
  if (old === name) return s;
  const next = clone(s);
  const d = next.devices[i]!;
  if (d.kind === 'host' || d.kind === 'router') {
    d.nics[index]!.port = name;
    // A renamed NIC stays a port of its bridge, in the bridge's VLAN entries too (`bridge vlan` names the port).
    for (const bridge of d.bridges ?? []) {
      if (Array.isArray(bridge.ports)) bridge.ports = bridge.ports.map((p) => (p === old ? name : p));
      if (Array.isArray(bridge.bridgeVlans)) bridge.bridgeVlans = bridge.bridgeVlans.map((e) => (e.dev === old ? { ...e, dev: name } : e));
    }
  } else if (d.kind === 'switch') d.ports[index]!.port = name;
  else d.ports[index] = name;
  const from = `${id}:${old}`;
  const to = `${id}:${name}`;
  next.links = next.links.map((l) => ({ ...l, a: l.a === from ? to : l.a, b: l.b === from ? to : l.b }));
  return next;
}

/** Adds a link between two endpoints ("A:eth0"): a cable, or a veth pair. Whether it is legal is the validator's call. */
export function connect(s: Scenario, a: string, b: string, type: LinkType = 'cable'): Scenario {
  return { ...s, links: [...s.links, type === 'veth' ? { a, b, type } : { a, b }] };
}

/** Makes a link a cable (the default, so the field goes) or a veth pair. */
export function setLinkType(s: Scenario, index: number, type: LinkType): Scenario {
  if (!s.links[index]) throw new Error(`no cable #${index}`);
  return setField(s, ['links', index, 'type'], type === 'veth' ? 'veth' : undefined);
}

export function disconnect(s: Scenario, index: number): Scenario {
  if (!s.links[index]) throw new Error(`no cable #${index}`);
  return { ...s, links: s.links.filter((_, i) => i !== index) };
}

/** Ports with no cable, as "device:port", in device order. */
export function freeEndpoints(s: Scenario): string[] {
  // Plain loops: a big topology has thousands of ports, and this runs for each new draft.
  const used = new Set<string>();
  for (const l of s.links) {
    used.add(l.a);
    used.add(l.b);
  }
  const free: string[] = [];
  for (const d of s.devices) {
    for (const p of devicePorts(d)) {
      const endpoint = `${d.id}:${p}`;
      if (!used.has(endpoint)) free.push(endpoint);
    }
  }
  return free;
}

/**
 * The pointer way to connect: a cable between two devices (a veth pair between two namespaces of
 * one node), each on its first free port; a hub, bridge or switch with none gets a new port. A host or router with no free NIC cannot be
 * connected that way (adding a NIC is a choice the reader makes in its form), and says so.
 */
export function connectDevices(s: Scenario, a: string, b: string): { scenario: Scenario; link: LinkSpec } | { error: string } {
  if (a === b) return { error: 'Choose two different devices to connect.' };
  let next = s;
  const ends: string[] = [];
  for (const id of [a, b]) {
    const d = next.devices[deviceIndex(next, id)]!;
    let port = freeEndpoints(next).find((e) => splitEndpoint(e).device === id);
    if (!port) {
      if (d.kind === 'host' || d.kind === 'router') return { error: `${id} has no free network interface: add one in its form first, or remove one of its cables.` };
      const added = addPort(next, id);
      next = added.scenario;
      port = `${id}:${added.port}`;
    }
    ends.push(port);
  }
  // Two namespaces of one node are joined the way they are inside a machine: by a veth pair.
  const node = (id: string) => {
    const d = next.devices[deviceIndex(next, id)]!;
    return d.kind === 'host' || d.kind === 'router' ? d.node : undefined;
  };
  const veth = node(a) !== undefined && node(a) === node(b);
  const link: LinkSpec = veth ? { a: ends[0]!, b: ends[1]!, type: 'veth' } : { a: ends[0]!, b: ends[1]! };
  return { scenario: { ...next, links: [...next.links, link] }, link };
}

/**
 * Moves a device to a new position hint. Devices without a hint are pinned where the drawing put
 * them (`hints`), so that giving one device a position does not rearrange the others.
 */
export function moveDevice(s: Scenario, id: string, to: Position, hints: ReadonlyMap<string, Position> | Readonly<Record<string, Position>> = new Map()): Scenario {
  const i = deviceIndex(s, id);
  const next = clone(s);
  next.devices.forEach((d, j) => {
    const hint = j === i || d.position ? undefined : hintFor(hints, d.id);
    if (j === i) d.position = { x: Math.round(to.x), y: Math.round(to.y) };
    else if (hint) d.position = { x: Math.round(hint.x), y: Math.round(hint.y) };
  });
  return next;
}

/** A device's drawn position by id: own keys only, so that a device called "constructor" finds its own hint, not Object's. */
function hintFor(hints: ReadonlyMap<string, Position> | Readonly<Record<string, Position>>, id: string): Position | undefined {
  if (hints instanceof Map) return hints.get(id);
  return Object.hasOwn(hints, id) ? (hints as Readonly<Record<string, Position>>)[id] : undefined;
}

/**
 * Gives a bridge its own interface (Linux br0 with a MAC and an address: it then also answers,
 * pings and ARPs on its segment), with a MAC nothing uses and the next free address of the hosts'
 * subnet; or, with `on` false, takes it away. Traffic that names the bridge stays, for the
 * validator to judge.
 */
export function setBridgeLocal(s: Scenario, id: string, on: boolean): Scenario {
  const i = deviceIndex(s, id);
  const d = s.devices[i]!;
  if (d.kind !== 'bridge') throw new Error(`${id} is no bridge`);
  if (on === (d.local !== undefined)) return s;
  return setField(s, ['devices', i, 'local'], on ? { mac: freeMac(s), ip: suggestIp(s) ?? '10.0.0.1/24' } : undefined);
}

/** Interface names of a host or router namespace that a new bridge's name could clash with: NICs and bridges. */
function interfaceNames(d: DeviceSpec): Set<string> {
  const names = new Set<string>();
  if (d.kind !== 'host' && d.kind !== 'router') return names;
  // A sub-interface is named "<nic>.<vlan>", never "br<n>".
  for (const nic of d.nics) names.add(nic.port);
  for (const bridge of d.bridges ?? []) names.add(bridge.name);
  return names;
}

/**
 * A new bridge net device for a host or router namespace (`ip link add br0 type bridge`): the first
 * free name br0, br1 …, a MAC nothing uses, no address and no ports yet (the reader picks them from
 * the namespace's NICs).
 */
export function newNetdevBridge(s: Scenario, id: string): BridgeNetdevSpec {
  const names = interfaceNames(s.devices[deviceIndex(s, id)]!);
  let n = 0;
  while (names.has(`br${n}`)) n++;
  return { name: `br${n}`, mac: freeMac(s), ports: [] };
}

/** Enslaves a NIC to a namespace's bridge, or releases it (`ip link set <port> master <bridge>` / `nomaster`). */
export function setBridgePort(s: Scenario, id: string, bridge: number, port: string, on: boolean): Scenario {
  const i = deviceIndex(s, id);
  const d = s.devices[i]!;
  const b = d.kind === 'host' || d.kind === 'router' ? d.bridges?.[bridge] : undefined;
  if (!b) throw new Error(`no bridge #${bridge}`);
  const ports = Array.isArray(b.ports) ? b.ports : [];
  if (on === ports.includes(port)) return s;
  // Kept in the order of the device's NICs, as `bridge link show` lists them.
  const order = devicePorts(d);
  const next = on ? [...ports, port].sort((x, y) => order.indexOf(x) - order.indexOf(y)) : ports.filter((p) => p !== port);
  return setField(s, ['devices', i, 'bridges', bridge, 'ports'], next);
}

/**
 * A new scripted action of `kind` from one device to another. A UDP datagram goes to the first
 * port its target listens on, else 5000.
 */
export function newAction(s: Scenario, kind: TrafficAction['do'], from: string, to: string): TrafficAction {
  if (kind !== 'udp') return { do: kind, from, to } as TrafficAction;
  const target = s.devices.find((d) => d.id === to);
  const port = target && (target.kind === 'host' || target.kind === 'router') ? target.udpListen?.[0] : undefined;
  return { do: 'udp', from, to, port: typeof port === 'number' ? port : 5000 };
}

export function addTraffic(s: Scenario, action: TrafficAction): Scenario {
  return { ...s, traffic: [...s.traffic, clone(action)] };
}

export function removeTraffic(s: Scenario, index: number): Scenario {
  if (!s.traffic[index]) throw new Error(`no action #${index}`);
  return { ...s, traffic: s.traffic.filter((_, i) => i !== index) };
}

/** Adds an element to a list field (a sub-interface, a route, a MAC-VLAN rule), creating the list. */
export function addListItem(s: Scenario, path: FieldPath, item: unknown): Scenario {
  const next = clone(s);
  const { node, last } = parentOf(next, path);
  const list = Array.isArray(node[last]) ? (node[last] as unknown[]) : [];
  list.push(clone(item));
  node[last] = list;
  return next;
}

/** Removes an element of a list field; an emptied optional list is removed. */
export function removeListItem(s: Scenario, path: FieldPath, index: number): Scenario {
  const next = clone(s);
  const { node, last } = parentOf(next, path);
  const list = node[last];
  if (!Array.isArray(list) || index >= list.length) throw new Error(`no item #${index} at ${pathKey(path)}`);
  list.splice(index, 1);
  if (list.length === 0) delete node[last];
  return next;
}

/** Turns a list field's text ("10, 20 30") into numbers, keeping what is not a number as text for the validator; empty gives undefined. */
export function listOrText(text: string): (number | string)[] | undefined {
  const items = text.split(/[\s,]+/).filter(Boolean);
  return items.length ? items.map((t) => numberOrText(t)!) : undefined;
}

/** Sets a switch port's mode, dropping the settings the other mode has (an access port has no "vlans", a trunk no "vlan"). */
export function setPortMode(s: Scenario, id: string, index: number, mode: 'access' | 'trunk'): Scenario {
  const i = deviceIndex(s, id);
  const next = clone(s);
  const d = next.devices[i]!;
  if (d.kind !== 'switch' || !d.ports[index]) throw new Error(`${id} has no switch port #${index}`);
  const port = d.ports[index];
  if (mode === 'trunk') {
    port.mode = 'trunk';
    const vlan = port.vlan;
    delete port.vlan;
    if (port.vlans === undefined && vlan !== undefined) port.vlans = [vlan];
  } else {
    delete port.mode;
    delete port.vlans;
    delete port.native;
  }
  return next;
}
