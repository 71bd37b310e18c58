// IPv4 addresses and prefixes: parse, convert, and answer "is this address on my subnet?".

import { dottedToNumber, parseIpv4Address, prefixMask, type Ipv4Cidr } from './address-text.ts';
import { WireError } from './wire-error.ts';

// Reading addresses typed as text lives in address-text.ts (the page's send form needs it at load
// without the rest of this module); it is part of this module's interface all the same.
export { parseIpv4Address, parseIpv4Cidr, prefixMask, type Ipv4Cidr } from './address-text.ts';

/** Canonical dotted quad without leading zeros, e.g. "10.0.0.1". */
export type Ipv4Address = string;

export const IPV4_BROADCAST: Ipv4Address = '255.255.255.255';
export const IPV4_ADDRESS_LENGTH = 4;

/** The address as an unsigned 32-bit number, so masks and comparisons are plain arithmetic. */
/**
 * Addresses already converted, text → number: a router's route lookup (inSameSubnet over every
 * static route, for every packet it forwards) converts the same few strings again and again, and
 * parsing them was a tenth of a run through 100 routed racks. Bounded: emptied when full.
 */
const known = new Map<string, number>();
const KNOWN_MAX = 65_536;

export function ipv4ToNumber(ip: Ipv4Address): number {
  const cached = known.get(ip);
  if (cached !== undefined) return cached;
  const canonical = parseIpv4Address(ip);
  if (canonical === null) {
    throw new WireError(`"${ip}" is not an IPv4 address: expected four numbers 0..255 like 10.0.0.1`);
  }
  const n = dottedToNumber(canonical);
  if (known.size >= KNOWN_MAX) known.clear();
  known.set(ip, n);
  return n;
}

export function ipv4FromNumber(n: number): Ipv4Address {
  const u = n >>> 0;
  return `${u >>> 24}.${(u >>> 16) & 0xff}.${(u >>> 8) & 0xff}.${u & 0xff}`;
}

/** The 4 bytes of the address, most significant first (network byte order). */
export function ipv4ToBytes(ip: Ipv4Address): Uint8Array {
  const n = ipv4ToNumber(ip);
  return Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

export function ipv4FromBytes(bytes: Uint8Array, offset = 0): Ipv4Address {
  if (!Number.isInteger(offset) || offset < 0 || offset + IPV4_ADDRESS_LENGTH > bytes.length) {
    const available = Math.max(0, bytes.length - Math.max(0, offset));
    throw new WireError(`an IPv4 address needs 4 bytes, but only ${available} are left at offset ${offset}`);
  }
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/**
 * The address at `offset` as an unsigned 32-bit number, read in place (no string): for a hot path
 * that compares an address off the wire with known ones (ipv4ToNumber of each). The caller has
 * checked that the 4 bytes are there.
 */
export function readIpv4Number(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}

/**
 * ipv4ToNumber for an address already in canonical form (what parseIpv4Address and parseIpv4Cidr
 * return), read digit by digit without validating it again: for building thousands of interfaces.
 */
export function canonicalIpv4ToNumber(ip: Ipv4Address): number {
  let number = 0;
  let octet = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 0x2e) {
      number = number * 256 + octet;
      octet = 0;
    } else {
      octet = octet * 10 + (c - 0x30);
    }
  }
  return number * 256 + octet;
}

/**
 * Whether `ip` (canonical dotted quad) is the address at `offset` of `bytes`, read off both in
 * place: no string is made for the bytes. For a hot path that looks an address off the wire up
 * among a few known ones.
 */
export function ipv4MatchesBytes(ip: Ipv4Address, bytes: Uint8Array, offset: number): boolean {
  let octet = 0;
  let at = offset;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 0x2e) {
      if (octet !== bytes[at++]) return false;
      octet = 0;
    } else {
      octet = octet * 10 + (c - 0x30);
    }
  }
  return at === offset + 3 && octet === bytes[at];
}

export function formatIpv4Cidr(c: Ipv4Cidr): string {
  return `${c.address}/${c.prefixLength}`;
}

/** The subnet mask in dotted form, e.g. 24 → "255.255.255.0". */
export function netmask(prefixLength: number): Ipv4Address {
  return ipv4FromNumber(prefixMask(prefixLength));
}

/** The first address of the subnet (host bits cleared), e.g. ("10.0.0.7", 24) → "10.0.0.0". */
export function networkAddress(ip: Ipv4Address, prefixLength: number): Ipv4Address {
  return ipv4FromNumber((ipv4ToNumber(ip) & prefixMask(prefixLength)) >>> 0);
}

/** The last address of the subnet (host bits set), e.g. ("10.0.0.7", 24) → "10.0.0.255". */
export function broadcastAddress(ip: Ipv4Address, prefixLength: number): Ipv4Address {
  return ipv4FromNumber((ipv4ToNumber(ip) | ~prefixMask(prefixLength)) >>> 0);
}

/** The question a host asks before sending: deliver directly (ARP for it) or hand to the gateway? */
export function inSameSubnet(a: Ipv4Address, b: Ipv4Address, prefixLength: number): boolean {
  const mask = prefixMask(prefixLength);
  return (ipv4ToNumber(a) & mask) >>> 0 === (ipv4ToNumber(b) & mask) >>> 0;
}
