// A Linux bridge as data (struct net_bridge): its ports, ageing time, forwarding database, VLAN
// configuration when it filters VLANs (the `switch` kind), and per-port flags; and how a scenario's
// bridge or switch becomes one.

import type { BridgeNetdevSpec, BridgeSpec, SwitchSpec } from '../../scenario/format';
import type { MacAddress } from '../../wire/mac-address';
import { createFdb, type Fdb } from '../bridge-fdb';
import type { DeviceContext } from '../context';
import { createHost, type HostState } from '../host';

export const DEFAULT_AGEING_TIME_SECONDS = 300;

/** The default VLAN of a port that says nothing (Linux bridge default_pvid, and every switch's VLAN 1). */
export const DEFAULT_VLAN = 1;

/** Without VLAN filtering every frame is in "VLAN 0" for the FDB, as in the kernel. */
export const NO_VLAN = 0;

export const STP_MAC = '01:80:c2:00:00:00';
export const PAUSE_MAC = '01:80:c2:00:00:01';

/**
 * A switch port's VLAN membership, as `bridge vlan show` lists it. A switch box's port is `access`
 * or `trunk`; a Linux bridge's (vlan_filtering on a namespace's bridge) is `bridge-vlan`, built from
 * its `bridge vlan` lines, where PVID and untagged are separate flags. The bridge's own entry (self:
 * what br0 sends and is handed) is kept under the bridge's own name.
 */
export interface PortVlans {
  mode: 'access' | 'trunk' | 'bridge-vlan';
  /** The VLAN an untagged frame joins (access VLAN or native VLAN); null: untagged frames are dropped. */
  pvid: number | null;
  /** VLANs that leave this port tagged (on a `bridge-vlan` port, the PVID too when it is not untagged). */
  tagged: number[];
  /** `bridge-vlan` only: VLANs other than the PVID that leave untagged. */
  untagged?: number[];
  /** Port security: the most source MACs the port learns; frames from others are dropped. */
  maxMacs?: number;
}

export interface BridgeState {
  /** "switch": VLAN filtering on. */
  kind: 'bridge' | 'switch';
  /** The device id of a bridge box; the interface name ("br0") of a bridge inside a namespace. */
  id: string;
  /** Set on a bridge net device inside a namespace: the namespace's device id, for the trace. */
  owner?: string;
  ports: string[];
  /** Milliseconds. */
  ageingTime: number;
  /** fdb_max_learned: the most learned entries the FDB takes (br_fdb_create); absent: no limit. */
  fdbMaxLearned?: number;
  fdb: Fdb;
  /** Earliest time an entry can expire: the sweep is skipped before it (Infinity when empty). */
  nextSweep: number;
  /** Switch only (absent on a plain bridge, which keeps snapshots of large bridge fabrics small). */
  vlan?: SwitchVlans;
  /**
   * Ports in hairpin mode (BR_HAIRPIN_MODE, `bridge link set dev X hairpin on`): a frame may leave
   * by the port it came in on. Absent: none, Linux's default.
   */
  hairpin?: string[];
  /**
   * The MAC of the bridge's own interface (br0 as a net device), when it has one: a permanent local
   * FDB entry, so a frame to it is passed up (br_pass_frame_up) and forwarded nowhere.
   */
  localMac?: MacAddress;
  /**
   * The ports' own MACs, when they have any (a namespace's NICs do; a box's ports do not), MAC →
   * port: each is a permanent local FDB entry on its port (br_fdb_add_local), so a frame to it is
   * passed up like one to localMac, and a frame from it is never learned.
   */
  portMacs?: Map<MacAddress, string>;
  /**
   * Set on a bridge whose ports are interfaces with an MTU (a namespace's NICs): each port's MTU
   * when not 1500. A frame bigger than its egress port takes is dropped there
   * (br_dev_queue_push_xmit → is_skb_forwardable). Absent on a box, whose ports have no MTU.
   */
  egressMtu?: Map<string, number>;
  /**
   * A bridge box's own interface when the scenario gives it one: a host stack with one interface
   * named after the bridge. Absent otherwise, and on a bridge inside a namespace, whose interface is
   * one of that namespace's own interfaces.
   */
  local?: HostState;
}

/** Keyed by port names and MAC addresses a scenario chooses: Maps, so that a port called "constructor" is just a port. */
export interface SwitchVlans {
  /** Each port's VLANs. */
  ports: Map<string, PortVlans>;
  /** MAC-based VLAN assignment for untagged frames on access ports. */
  macVlans: Map<string, number>;
  /** VLANs an access port has joined because a MAC-based member spoke on it. */
  joined: Map<string, number[]>;
}

/** `random` seeds the local interface's counters (IP identification, echo identifier), as createHost's; drawn only for a bridge with one. */
export function createBridge(spec: BridgeSpec | SwitchSpec, random: () => number = () => 0): BridgeState {
  const vlans = new Map<string, PortVlans>();
  const macVlans = new Map<string, number>();
  if (spec.kind === 'switch') {
    for (const port of spec.ports) {
      const entry: PortVlans = port.mode === 'trunk'
        ? { mode: 'trunk', pvid: port.native ?? null, tagged: [...(port.vlans ?? [])].filter((vid) => vid !== port.native).sort((x, y) => x - y) }
        : { mode: 'access', pvid: port.vlan ?? DEFAULT_VLAN, tagged: [] };
      if (port.maxMacs !== undefined) entry.maxMacs = port.maxMacs;
      vlans.set(port.port, entry);
    }
    for (const assignment of spec.macVlans ?? []) macVlans.set(assignment.mac, assignment.vlan);
  }
  const bridge: BridgeState = {
    kind: spec.kind,
    id: spec.id,
    ports: spec.kind === 'switch' ? spec.ports.map((port) => port.port) : [...spec.ports],
    ageingTime: (spec.ageingTime ?? DEFAULT_AGEING_TIME_SECONDS) * 1000,
    fdb: createFdb(),
    nextSweep: Infinity,
  };
  if (spec.fdbMaxLearned) bridge.fdbMaxLearned = spec.fdbMaxLearned;
  if (spec.kind === 'switch') {
    bridge.vlan = { ports: vlans, macVlans, joined: new Map() };
    // Reflective relay (`hairpin`): what a VEPA host needs of its switch port.
    const hairpin = spec.ports.filter((port) => port.hairpin === true).map((port) => port.port);
    if (hairpin.length > 0) bridge.hairpin = hairpin;
  }
  if (spec.kind === 'bridge' && spec.local) {
    // The interface is called after the bridge, as `ip addr add 10.0.0.1/24 dev br0` names it.
    const local = createHost({ id: spec.id, kind: 'host', nics: [{ port: spec.id, mac: spec.local.mac, ip: spec.local.ip }] }, random);
    // Present from the start (a host's is absent until first written): a Map makes the stack state,
    // not configuration, so freezeConfiguration freezes only its interface list, never the stack itself.
    local.arp = new Map();
    bridge.local = local;
    bridge.localMac = spec.local.mac;
  }
  return bridge;
}

/**
 * A namespace bridge's VLAN table (vlan_filtering 1, vlan_default_pvid 0): each `bridge vlan add dev
 * <dev> vid <vid> [pvid] [untagged] [self]` line as net_bridge_vlan flags (br_vlan_add / nbp_vlan_add),
 * kept per port in the switch's shape so that the switch's code (vlan.ts) decides for both. The
 * bridge's own entries (self) are kept under its own name, which no port has.
 */
export function bridgeVlanTable(spec: BridgeNetdevSpec): SwitchVlans {
  const ports = new Map<string, PortVlans>();
  for (const dev of [...spec.ports, spec.name]) ports.set(dev, { mode: 'bridge-vlan', pvid: null, tagged: [] });
  for (const entry of spec.bridgeVlans ?? []) {
    const port = ports.get(entry.dev)!;
    if (entry.pvid === true) port.pvid = entry.vid;
    if (entry.untagged !== true) port.tagged.push(entry.vid);
    else if (entry.pvid !== true) (port.untagged ??= []).push(entry.vid);
  }
  for (const port of ports.values()) port.tagged.sort((x, y) => x - y);
  return { ports, macVlans: new Map(), joined: new Map() };
}

/** The bridge as the trace names it: a box by its name, a bridge net device as "<namespace>'s br0". */
export function bridgeName(ctx: DeviceContext, bridge: BridgeState): string {
  return bridge.owner === undefined ? ctx.name(bridge.id) : `${ctx.name(bridge.owner)}'s ${bridge.id}`;
}

/** The `bridge` of a bridge's trace args: a bridge net device's interface name, undefined on a box (narrate.ts). */
export function bridgeArg(bridge: BridgeState): string | undefined {
  return bridge.owner === undefined ? undefined : bridge.id;
}

/** "15 s", "0.5 s": seconds to one decimal, without a trailing ".0". */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
