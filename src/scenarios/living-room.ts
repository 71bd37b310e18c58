// The "shared living room" experiment behind the BroadcastCost control of chapter "Why one VLAN
// per subnet": N hosts on one VLAN-aware switch, split round-robin into V VLANs, and one ARP
// request sent in each VLAN. The counts come from running that scenario through the core, not
// from a formula; the widget only multiplies them by the reader's ARP rate.

import { Simulation } from '../sim/engine/simulation';
import type { DeviceSpec, LinkSpec, Scenario, TrafficAction } from '../sim/scenario/format';
import type { TraceEvent } from '../sim/trace';

import { LIVING_ROOM_MAX_HOSTS, LIVING_ROOM_MIN_HOSTS } from './living-room-limits';

export { LIVING_ROOM_MAX_HOSTS, LIVING_ROOM_MIN_HOSTS };

/** What one ARP request cost inside one VLAN, as counted in the trace. */
export interface VlanBroadcastCost {
  vlan: number;
  hosts: number;
  /** Copies of the broadcast put on cables: the sender's one plus the switch's. */
  frames: number;
  /** Hosts other than the sender that received the broadcast. */
  hostsReached: number;
  /** Hosts in other VLANs that received it (always 0 if VLANs work). */
  reachedOutsideVlan: number;
}

export interface LivingRoomRun {
  hosts: number;
  vlans: VlanBroadcastCost[];
  /** Simulation steps the run took (how much work the browser did). */
  steps: number;
}

function mac(i: number): string {
  // 02:… is a locally administered unicast address; i < 2^24.
  return `02:00:00:${((i >> 16) & 0xff).toString(16).padStart(2, '0')}:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
}

/** VLAN k (1-based) is 10.k.0.0/16; its j-th host (0-based) is 10.k.hi.lo with hi.lo = j + 1. */
function address(vlanIndex: number, j: number): string {
  const n = j + 1;
  return `10.${vlanIndex + 1}.${n >> 8}.${n & 0xff}`;
}

/** N hosts on one switch, host i in VLAN (i mod V) + 1, and one ARP request from the first host of each VLAN. */
export function livingRoomScenario(hosts: number, vlanCount = 1): Scenario {
  if (!Number.isInteger(hosts) || hosts < LIVING_ROOM_MIN_HOSTS || hosts > LIVING_ROOM_MAX_HOSTS) throw new RangeError(`hosts must be a whole number from ${LIVING_ROOM_MIN_HOSTS} to ${LIVING_ROOM_MAX_HOSTS}`);
  if (!Number.isInteger(vlanCount) || vlanCount < 1 || vlanCount > hosts) throw new RangeError('vlans must be a whole number from 1 to the number of hosts');
  const devices: DeviceSpec[] = [];
  const links: LinkSpec[] = [];
  const ports: { port: string; mode: 'access'; vlan: number }[] = [];
  const members: string[][] = Array.from({ length: vlanCount }, () => []);
  for (let i = 0; i < hosts; i++) {
    const v = i % vlanCount;
    const j = members[v]!.length;
    const id = `h${i + 1}`;
    members[v]!.push(address(v, j));
    devices.push({ id, kind: 'host', nics: [{ port: 'eth0', mac: mac(i + 1), ip: `${address(v, j)}/16` }] });
    ports.push({ port: `p${i + 1}`, mode: 'access', vlan: v + 1 });
    links.push({ a: `${id}:eth0`, b: `sw1:p${i + 1}` });
  }
  devices.push({ id: 'sw1', kind: 'switch', ports });
  // The first host of each VLAN asks for the second one's address (or, alone, for an unused one).
  const traffic: TrafficAction[] = members.map((ips, v) => ({ at: 0, from: `h${v + 1}`, do: 'arp', to: ips[1] ?? `10.${v + 1}.255.254` }));
  return { format: 'vnet-live/scenario@2', id: 'living-room', title: 'The shared living room', devices, links, traffic };
}

function isBroadcast(frame: Uint8Array | undefined): boolean {
  if (!frame || frame.length < 6) return false;
  for (let k = 0; k < 6; k++) if (frame[k] !== 0xff) return false;
  return true;
}

/** Runs the living room and counts, per VLAN, the copies of its first ARP request and the hosts they reached. */
export function measureLivingRoom(hosts: number, vlanCount = 1): LivingRoomRun {
  const scenario = livingRoomScenario(hosts, vlanCount);
  // Nobody steps back here: keep no history.
  const sim = new Simulation(scenario, { history: false });
  // Only the first probe: a request nobody answers is repeated after 1 s, which is a second broadcast.
  for (let next = sim.peekNext(); next && next.time < 1000 && sim.canStep; next = sim.peekNext()) sim.step();

  const vlanOfHost = new Map<string, number>();
  for (let i = 0; i < hosts; i++) vlanOfHost.set(`h${i + 1}`, i % vlanCount);
  const actionVlan = new Map<number, number>();
  for (const record of Object.values(sim.state.actions)) actionVlan.set(record.id, vlanOfHost.get(record.action.from) ?? 0);
  const costs: VlanBroadcastCost[] = Array.from({ length: vlanCount }, (_, v) => ({ vlan: v + 1, hosts: 0, frames: 0, hostsReached: 0, reachedOutsideVlan: 0 }));
  for (const [, v] of vlanOfHost) costs[v]!.hosts += 1;
  const reached: Set<string>[] = costs.map(() => new Set());

  const trace: readonly TraceEvent[] = sim.trace;
  for (const event of trace) {
    if (event.actionId === undefined) continue;
    if (!isBroadcast(event.frame)) continue;
    const v = actionVlan.get(event.actionId);
    if (v === undefined) continue;
    if (event.kind === 'transmit') costs[v]!.frames += 1;
    else if (event.kind === 'receive' && vlanOfHost.has(event.device)) reached[v]!.add(event.device);
  }
  costs.forEach((cost, v) => {
    for (const device of reached[v]!) {
      if (vlanOfHost.get(device) === v) cost.hostsReached += 1;
      else cost.reachedOutsideVlan += 1;
    }
  });
  return { hosts, vlans: costs, steps: sim.stepCount };
}
