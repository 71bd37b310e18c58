// The tables a reader watches fill: each bridge's MAC table (a bridge box's, or a bridge net device's
// inside a namespace) and each host's (and bridge's local) ARP cache, read from the simulation state
// at the current virtual time.

import type { SimState } from './engine/state';
import { fdbRows } from './devices/bridge-fdb';
import { bridgeLocalMac, type BridgeState } from './devices/learning-bridge';
import { conntrackEntries, conntrackLine, routingTable as hostRoutingTable, type RouteRow } from './devices/host';
import { vxlanFdbRows, vxlanNamed, type VxlanFdbRow } from './devices/host/vxlan';

export type { VxlanFdbRow };

export type { RouteRow };

export interface MacTableRow {
  mac: string;
  port: string;
  vid: number;
  /** Milliseconds since the entry was last refreshed. */
  age: number;
  /** The bridge's own MAC (its local interface's; `port` is the bridge itself) or a port's own MAC: `bridge fdb show` lists it as permanent, never aged. */
  permanent?: true;
}

export interface ArpCacheRow {
  ip: string;
  mac: string;
  port: string;
  age: number;
}

/**
 * A bridge's or switch's FDB as `bridge fdb show` would list it (live entries only; VLAN 0 on a plain
 * bridge), or null for other kinds. For a host or router, `bridge` names one of its bridge net
 * devices ("br0"): its FDB, listed the same way; null when it has no such bridge.
 */
export function macTable(state: Readonly<SimState>, deviceId: string, bridge?: string): MacTableRow[] | null {
  const device = state.devices.get(deviceId);
  if (!device) return null;
  if (device.kind === 'host' || device.kind === 'router') {
    const netdev = bridge === undefined ? undefined : device.bridges?.find((b) => b.id === bridge);
    return netdev === undefined ? null : fdbTable(netdev, state.time);
  }
  if (device.kind !== 'bridge' && device.kind !== 'switch') return null;
  return fdbTable(device, state.time);
}

/** The bridge net devices of a host or router (`ip link show type bridge`), by interface name; [] for other kinds. */
export function namespaceBridges(state: Readonly<SimState>, deviceId: string): string[] {
  const device = state.devices.get(deviceId);
  return device && (device.kind === 'host' || device.kind === 'router') ? (device.bridges ?? []).map((b) => b.id) : [];
}

/**
 * Every FDB in the scenario, keyed by the bridge box's id, or by "<device> <bridge>" ("server br0")
 * for a bridge net device inside a namespace, in device order.
 */
export function macTables(state: Readonly<SimState>): Map<string, MacTableRow[]> {
  const tables = new Map<string, MacTableRow[]>();
  for (const [id, device] of state.devices) {
    if (device.kind === 'bridge' || device.kind === 'switch') tables.set(id, fdbTable(device, state.time));
    else if (device.kind === 'host' || device.kind === 'router') for (const bridge of device.bridges ?? []) tables.set(`${id} ${bridge.id}`, fdbTable(bridge, state.time));
  }
  return tables;
}

/** A device's permanent local entries: VLAN 0, then each VLAN of `dev` (a port, or the bridge itself) when the bridge filters VLANs. */
function localRows(bridge: BridgeState, mac: string, dev: string): MacTableRow[] {
  const rows: MacTableRow[] = [{ mac, port: dev, vid: 0, age: 0, permanent: true }];
  const vlans = bridge.vlan?.ports.get(dev);
  if (vlans === undefined) return rows;
  const vids = [...new Set([...(vlans.pvid === null ? [] : [vlans.pvid]), ...vlans.tagged, ...(vlans.untagged ?? [])])].sort((x, y) => x - y);
  for (const vid of vids) rows.push({ mac, port: dev, vid, age: 0, permanent: true });
  return rows;
}

function fdbTable(bridge: BridgeState, now: number): MacTableRow[] {
  const rows: MacTableRow[] = fdbRows(bridge.fdb, now)
    .filter((entry) => entry.age < bridge.ageingTime)
    .map(({ mac, port, vid, age }) => ({ mac, port, vid, age }));
  // br_fdb_change_mac_address: the bridge's own MAC is a local entry on the bridge device itself
  // (`<mac> dev br0 master br0 permanent`), first, as the kernel inserts it before anything is learned.
  // Each port's own MAC, when it has one, is a permanent local entry on that port (br_fdb_add_local).
  // With VLAN filtering each is also a local entry in every VLAN of its device (br_vlan_add,
  // nbp_vlan_add: `<mac> dev br0 vlan 10 master br0 permanent`), after the one without a VLAN.
  const own: MacTableRow[] = [...(bridge.portMacs ?? [])].flatMap(([mac, port]) => localRows(bridge, mac, port));
  const local = bridgeLocalMac(bridge);
  if (local !== undefined) own.unshift(...localRows(bridge, local, bridge.id));
  return own.length === 0 ? rows : [...own, ...rows];
}

/**
 * A host's, router's or (with a local interface) bridge's ARP cache as `ip neigh` would list it (`port` is the interface, e.g. eth0.10),
 * or null for other kinds. Entries are per (interface, IP), so one IP can appear once per interface.
 * `ip neigh` prints in the kernel's hash order, which is no order at all; these rows are sorted by
 * IP, then interface, so the same run always shows the same table.
 */
export function arpCache(state: Readonly<SimState>, deviceId: string): ArpCacheRow[] | null {
  const device = state.devices.get(deviceId);
  if (!device) return null;
  // A bridge with a local interface has a neighbour table of its own (on br0).
  const stack = device.kind === 'host' || device.kind === 'router' ? device : device.kind === 'bridge' ? device.local : undefined;
  if (stack === undefined) return null;
  const rows: ArpCacheRow[] = [];
  for (const table of stack.arp?.values() ?? []) {
    for (const entry of table.values()) rows.push({ ip: entry.ip, mac: entry.mac, port: entry.port, age: state.time - entry.updated });
  }
  return rows.sort((x, y) => (x.ip < y.ip ? -1 : x.ip > y.ip ? 1 : x.port < y.port ? -1 : x.port > y.port ? 1 : 0));
}

/** A host's or router's routing table as `ip route` would list it, or null for other kinds. It does not change while a scenario runs. */
export function routingTable(state: Readonly<SimState>, deviceId: string): RouteRow[] | null {
  const device = state.devices.get(deviceId);
  if (!device || (device.kind !== 'host' && device.kind !== 'router')) return null;
  return hostRoutingTable(device);
}

/**
 * A namespace's tracked connections as `conntrack -L` lists them (one line per flow), or null when
 * the device is not a host or router or has connection tracking off.
 */
export function conntrackTable(state: Readonly<SimState>, deviceId: string): string[] | null {
  const device = state.devices.get(deviceId);
  if (!device || (device.kind !== 'host' && device.kind !== 'router') || device.conntrack === undefined) return null;
  return conntrackEntries(device, state.time).map((entry) => conntrackLine(entry, state.time));
}

/**
 * A VXLAN device's own FDB as `bridge fdb show dev vxlan0` lists it (its `self` entries): one row
 * per remote, static entries (installed, `permanent`) and learned ones (vxlan_snoop) with their
 * age since last use; null when the device has no such VXLAN device.
 */
export function vxlanFdb(state: Readonly<SimState>, deviceId: string, vxlan: string): VxlanFdbRow[] | null {
  const device = state.devices.get(deviceId);
  if (!device || (device.kind !== 'host' && device.kind !== 'router')) return null;
  const found = vxlanNamed(device, vxlan);
  return found === undefined ? null : vxlanFdbRows(found, state.time);
}

/** The VXLAN devices of a host or router (`ip link show type vxlan`), by interface name; [] for other kinds. */
export function namespaceVxlans(state: Readonly<SimState>, deviceId: string): string[] {
  const device = state.devices.get(deviceId);
  return device && (device.kind === 'host' || device.kind === 'router') ? (device.vxlans ?? []).map((x) => x.name) : [];
}
