// Which devices of a scenario can start traffic, and which can be named as its target: the lists
// the "Send packet" form and the editor's traffic script offer. A device with an IP stack sends
// (a host or router namespace, or a bridge with its own interface, br0); an IP target is any
// device with an address of its own; a raw frame goes to a host by name (its first NIC's MAC).

import type { ActionKind, DeviceSpec, Scenario } from '../sim/scenario/format';
import { cidrHolds, parseIpv4Address, parseIpv4Cidr, parseMacAddress } from '../sim/wire/address-text';

/** A device with an IP stack of its own: it can send pings, ARP requests, UDP datagrams and raw frames. */
export function canSend(d: DeviceSpec): boolean {
  return d.kind === 'host' || d.kind === 'router' || (d.kind === 'bridge' && d.local !== undefined);
}

/** Can `d` be named as the target of a `kind` action (the validator decides whether its address is usable)? */
export function canTarget(d: DeviceSpec, kind: ActionKind): boolean {
  return kind === 'raw' ? d.kind === 'host' : canSend(d);
}

/** What the "Send packet" form starts with. */
export interface SendDefault {
  kind: ActionKind;
  from: string;
  /** A device id, or an address as written ("10.1.10.1", "broadcast"). */
  to: string;
}

const KINDS: readonly ActionKind[] = ['ping', 'udp', 'arp', 'raw'];

/**
 * The form's first packet: the script's first action that the form can send again (its sender
 * can send, its kind is one the form offers), since the script is what the player's prose
 * explains; so the default shows the lesson instead of failing for a reason unrelated to it (a
 * sender without an address, a destination in another subnet without a gateway). Without a script,
 * the first sender with an address pings the next device with an address in its subnet.
 */
export function defaultSend(scenario: Pick<Scenario, 'devices' | 'traffic'>): SendDefault | null {
  const byId = new Map(scenario.devices.map((d) => [d.id, d]));
  for (const action of scenario.traffic) {
    const from = byId.get(action.from);
    if (!from || !canSend(from) || !KINDS.includes(action.do)) continue;
    const to = byId.get(action.to);
    if (to ? !canTarget(to, action.do) : !isAddress(action.to, action.do)) continue;
    return { kind: action.do, from: action.from, to: action.to };
  }
  const addressed = scenario.devices.filter((d) => canSend(d) && addressOf(d) !== undefined);
  const from = addressed[0] ?? scenario.devices.find(canSend);
  if (!from) return null;
  const mine = addressOf(from);
  const to =
    addressed.find((d) => d !== from && mine !== undefined && sameSubnet(mine, addressOf(d)!)) ??
    addressed.find((d) => d !== from) ??
    scenario.devices.find((d) => d !== from && canTarget(d, 'ping'));
  return { kind: 'ping', from: from.id, to: to?.id ?? '' };
}

/** A literal destination the kind can use: an IPv4 address, or for a raw frame a MAC or "broadcast". */
export function isAddress(text: string, kind: ActionKind): boolean {
  return kind === 'raw' ? text === 'broadcast' || parseMacAddress(text) !== null : parseIpv4Address(text) !== null;
}

/** Why a typed destination cannot be sent to, or null when it can (the core resolves it as written). */
export function destinationError(text: string, kind: ActionKind): string | null {
  const typed = text.trim();
  if (typed === '') return kind === 'raw' ? 'Type a MAC address (like 02:00:00:00:00:0b) or "broadcast".' : 'Type an IPv4 address (like 10.0.0.1).';
  if (isAddress(typed, kind)) return null;
  if (kind === 'raw') return `"${typed}" is not a MAC address: write six pairs of hex digits separated by colons (02:00:00:00:00:0b), or "broadcast".`;
  return `"${typed}" is not an IPv4 address: write four numbers from 0 to 255 separated by dots (10.0.0.1).`;
}

/** The first address of a host, router or bridge's own interface, as "a.b.c.d/len". */
function addressOf(d: DeviceSpec): string | undefined {
  if (d.kind === 'bridge') return d.local?.ip;
  if (d.kind !== 'host' && d.kind !== 'router') return undefined;
  for (const nic of d.nics) {
    if (nic.ip) return nic.ip;
    for (const vlan of nic.vlans ?? []) if (vlan.ip) return vlan.ip;
  }
  return undefined;
}

/** Whether two "a.b.c.d/len" addresses are in one subnet, by the first one's prefix (as its host decides). */
function sameSubnet(a: string, b: string): boolean {
  const mine = parseIpv4Cidr(a);
  const theirs = parseIpv4Cidr(b);
  return mine !== null && theirs !== null && cidrHolds(mine, theirs);
}
