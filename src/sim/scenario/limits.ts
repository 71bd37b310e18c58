// Every limit the scenario format puts on its input, in one place: the schema (validate.ts), the
// format's README (a unit test checks its "Limits" table against these numbers), the CLI, the
// editor's import and share links all read them from here.

/** Longest `title`, in characters: one line above the drawing. */
export const MAX_TITLE_LENGTH = 120;
/** Longest `description`, in characters: a paragraph or two under the title. */
export const MAX_DESCRIPTION_LENGTH = 2_000;
/** Longest scenario `id` (lowercase, "chapter/name"). */
export const MAX_ID_LENGTH = 80;
/** Longest device `id` (a name), and longest `from` of a traffic action. */
export const MAX_NAME_LENGTH = 32;
/** Longest port name ("eth0", "p1"). */
export const MAX_PORT_NAME_LENGTH = 16;
/** Longest device `label`, drawn under the device. */
export const MAX_LABEL_LENGTH = 40;
/** Longest traffic action `label`, shown in the player's action list. */
export const MAX_ACTION_LABEL_LENGTH = 80;
/** Longest raw frame `payload`, in characters. */
export const MAX_PAYLOAD_LENGTH = 200;
/** Longest traffic `to` (a device name, an IPv4 address, a MAC address or "broadcast"). */
export const MAX_TARGET_LENGTH = 32;

/** `position.x` and `position.y` are finite numbers within ± this many units. */
export const MAX_COORDINATE = 1_000_000;

/** Most devices in one scenario: 2,000 hosts and the bridges joining them fit with room to spare. */
export const MAX_DEVICES = 5_000;
/** Most ports of one hub, bridge or switch. */
export const MAX_PORTS_PER_DEVICE = 4_096;
/** Most NICs of one host or router. */
export const MAX_NICS_PER_DEVICE = 16;
/** Most bridge net devices (`bridges`) in one host or router namespace. */
export const MAX_BRIDGES_PER_DEVICE = 16;
/** Most VXLAN devices (`vxlans`) in one host or router namespace. */
export const MAX_VXLANS_PER_DEVICE = 16;
/** Most static entries (`fdb`) of one VXLAN device: a flood list or a control plane's entries for a large overlay. */
export const MAX_VXLAN_FDB_ENTRIES = 4_096;
/** Most ports of one bridge net device: its ports are NICs and VXLAN devices of the same namespace, so never more than it has. */
export const MAX_PORTS_PER_BRIDGE = MAX_NICS_PER_DEVICE + MAX_VXLANS_PER_DEVICE;
/**
 * Most `bridgeVlans` entries of one bridge net device (`bridge vlan add` lines): a trunk carrying every
 * VLAN ID and a few access ports fit.
 */
export const MAX_BRIDGE_VLANS = 8_192;
/** Most 802.1Q sub-interfaces on one NIC or bridge interface (one per VLAN ID). */
export const MAX_SUBINTERFACES_PER_NIC = 4_094;
/** Most interfaces in the whole scenario: ports, NICs, sub-interfaces, bridge local interfaces and bridge net devices together. */
export const MAX_TOTAL_INTERFACES = 20_000;
/** Most cables. */
export const MAX_LINKS = 10_000;
/** Most static routes of one router. */
export const MAX_ROUTES_PER_ROUTER = 1_000;
/** Most MAC-based VLAN assignments of one switch. */
export const MAX_MAC_VLANS_PER_SWITCH = 4_096;
/** Most VLANs listed on one trunk port (every VLAN ID once). */
export const MAX_VLANS_PER_PORT = 4_094;
/** Port security: the highest `maxMacs` of a switch port. */
export const MAX_MACS_PER_PORT = 4_096;
/** Masquerade rules, and port forwards, per namespace. */
export const MAX_NAT_RULES = 256;
/** Most UDP ports one host or router listens on (`udpListen`). */
export const MAX_UDP_LISTEN_PORTS = 64;
/** Most traffic actions. */
export const MAX_TRAFFIC_ACTIONS = 1_000;
/** Latest `at` of a traffic action: one day of virtual time, in milliseconds. */
export const MAX_ACTION_TIME_MS = 86_400_000;
/** Highest `fdbMaxLearned` of a bridge or switch (the kernel's is a u32; a bigger table than any scenario can fill is pointless). */
export const MAX_FDB_MAX_LEARNED = 1_000_000;
/** Longest bridge or switch `ageingTime`, in seconds. */
export const MAX_AGEING_TIME_SECONDS = 1_000_000;

/** The largest scenario JSON text the site and the CLI read, in characters (a 2,000-host topology is about 0.5 MB). */
export const MAX_JSON_LENGTH = 5_000_000;

/** Most errors one validation returns; the rest are counted in `omittedErrors`. */
export const MAX_REPORTED_ERRORS = 50;

import { formatCount } from './count';

export { countOf, formatCount } from './count';

/**
 * The line printed after a capped list of errors: "… and 1,234 more". Empty when nothing was
 * left out, so callers may print it unconditionally if they skip empty lines.
 */
export function moreErrorsLine(omitted: number): string {
  return omitted > 0 ? `… and ${formatCount(omitted)} more` : '';
}

/** Rejects JSON text longer than MAX_JSON_LENGTH before it is parsed: a message for the reader, or null when the size is fine. */
export function jsonTooLong(text: string): string | null {
  return text.length > MAX_JSON_LENGTH
    ? `the scenario is ${formatCount(text.length)} characters long; at most ${formatCount(MAX_JSON_LENGTH)} are accepted`
    : null;
}
