// MAC addresses: parse, convert and classify the 48-bit Ethernet addresses that switches learn and forward on.

import { parseMacAddress } from './address-text.ts';
import { WireError } from './wire-error.ts';

export { parseMacAddress } from './address-text.ts';

/** Canonical form: six lowercase hex bytes separated by colons, e.g. "02:00:00:00:00:0a". */
export type MacAddress = string;

export const BROADCAST_MAC: MacAddress = 'ff:ff:ff:ff:ff:ff';
/** The all-zero address, which an ARP request carries as "target MAC: unknown yet". */
export const ZERO_MAC: MacAddress = '00:00:00:00:00:00';
export const MAC_ADDRESS_LENGTH = 6;

// Precomputed because macFromBytes runs for every frame a switch sees.
/** The character code of each hex digit, lower case: macFromBytes writes a MAC's 17 characters with them. */
const HEX_CODE: readonly number[] = Array.from({ length: 16 }, (_, i) => i.toString(16).charCodeAt(0));

const LINK_LOCAL_GROUP_PATTERN = /^01:80:c2:00:00:0[0-9a-f]$/i;

/** A hex digit's value, or -1 for a character that is not one. */
function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 32;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/**
 * The 6 bytes of a canonical-looking "xx:xx:xx:xx:xx:xx" read straight off its characters, or null
 * for any other text. Every frame a host sends encodes two MACs: without a regular expression and
 * six slices each, as parseMacAddress would.
 */
function macBytesFast(mac: string): Uint8Array | null {
  if (mac.length !== 17) return null;
  const bytes = new Uint8Array(MAC_ADDRESS_LENGTH);
  for (let i = 0; i < MAC_ADDRESS_LENGTH; i++) {
    const at = i * 3;
    if (i > 0 && mac.charCodeAt(at - 1) !== 58) return null;
    const high = hexValue(mac.charCodeAt(at));
    const low = hexValue(mac.charCodeAt(at + 1));
    if (high < 0 || low < 0) return null;
    bytes[i] = (high << 4) | low;
  }
  return bytes;
}

/** The 6 bytes of a MAC address, in the order they go on the wire. */
export function macToBytes(mac: MacAddress): Uint8Array {
  const fast = macBytesFast(mac);
  if (fast !== null) return fast;
  const canonical = parseMacAddress(mac);
  if (canonical === null) {
    throw new WireError(`"${mac}" is not a MAC address: expected six hex bytes like 02:00:00:00:00:0a`);
  }
  const bytes = new Uint8Array(MAC_ADDRESS_LENGTH);
  for (let i = 0; i < MAC_ADDRESS_LENGTH; i++) {
    bytes[i] = parseInt(canonical.slice(i * 3, i * 3 + 2), 16);
  }
  return bytes;
}

/**
 * Whether the 6 bytes at `offset` are the MAC `mac` (canonical: lower-case hex, colons), compared
 * in place: what a NIC's address filter does with every frame, without making a string per frame.
 */
export function macMatchesBytes(mac: MacAddress, bytes: Uint8Array, offset: number): boolean {
  for (let i = 0; i < MAC_ADDRESS_LENGTH; i++) {
    const byte = bytes[offset + i];
    if (byte === undefined || mac.charCodeAt(3 * i) !== HEX_CODE[byte >> 4] || mac.charCodeAt(3 * i + 1) !== HEX_CODE[byte & 15]) return false;
  }
  return true;
}

/** Reads the 6 bytes at `offset` as a MAC address. */
export function macFromBytes(bytes: Uint8Array, offset = 0): MacAddress {
  if (!Number.isInteger(offset) || offset < 0 || offset + MAC_ADDRESS_LENGTH > bytes.length) {
    const available = Math.max(0, bytes.length - Math.max(0, offset));
    throw new WireError(`a MAC address needs 6 bytes, but only ${available} are left at offset ${offset}`);
  }
  // One flat string made at once: joining the six parts with += made five short strings and two
  // cons strings per MAC, flattened again when a Map hashed it (a switch reads two MACs per frame).
  const b0 = bytes[offset]!, b1 = bytes[offset + 1]!, b2 = bytes[offset + 2]!, b3 = bytes[offset + 3]!, b4 = bytes[offset + 4]!, b5 = bytes[offset + 5]!;
  return String.fromCharCode(
    HEX_CODE[b0 >> 4]!, HEX_CODE[b0 & 15]!, 58, HEX_CODE[b1 >> 4]!, HEX_CODE[b1 & 15]!, 58, HEX_CODE[b2 >> 4]!, HEX_CODE[b2 & 15]!, 58,
    HEX_CODE[b3 >> 4]!, HEX_CODE[b3 & 15]!, 58, HEX_CODE[b4 >> 4]!, HEX_CODE[b4 & 15]!, 58, HEX_CODE[b5 >> 4]!, HEX_CODE[b5 & 15]!,
  );
}

/**
 * Writes the 6 bytes of a MAC address into `bytes` at `offset`: an encoder's own frame, without a
 * 6-byte array per address (every frame a host sends has two).
 */
export function writeMac(bytes: Uint8Array, offset: number, mac: MacAddress): void {
  if (mac.length === 17) {
    let ok = true;
    for (let i = 0; i < MAC_ADDRESS_LENGTH; i++) {
      const at = i * 3;
      const high = hexValue(mac.charCodeAt(at));
      const low = hexValue(mac.charCodeAt(at + 1));
      if ((i > 0 && mac.charCodeAt(at - 1) !== 58) || high < 0 || low < 0) {
        ok = false;
        break;
      }
      bytes[offset + i] = (high << 4) | low;
    }
    if (ok) return;
  }
  bytes.set(macToBytes(mac), offset);
}

export function isBroadcastMac(mac: MacAddress): boolean {
  // Most frames are not broadcasts: answered by the first character, without a lower-case copy of each MAC.
  if (mac === BROADCAST_MAC) return true;
  const first = mac.charCodeAt(0) | 32;
  return first === 102 && mac.toLowerCase() === BROADCAST_MAC;
}

/**
 * True when the group bit (least significant bit of the first byte, the first bit on the wire) is set:
 * the frame is for a group of stations, not one. Broadcast is the group of everyone, so it counts too.
 */
export function isMulticastMac(mac: MacAddress): boolean {
  // The first byte's low bit is the low bit of its second hex digit (a switch asks this of every frame).
  const low = mac.length >= 2 && hexValue(mac.charCodeAt(0)) >= 0 ? hexValue(mac.charCodeAt(1)) : -1;
  return low >= 0 ? (low & 1) === 1 : (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}

/**
 * True for 01:80:c2:00:00:00 to 01:80:c2:00:00:0f, the IEEE 802.1D reserved group addresses
 * (spanning tree, LLDP, pause frames...): a bridge consumes or drops them, it never forwards them.
 */
export function isLinkLocalGroupMac(mac: MacAddress): boolean {
  return LINK_LOCAL_GROUP_PATTERN.test(mac);
}
