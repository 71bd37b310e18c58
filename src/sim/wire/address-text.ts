// Addresses as a reader types them: IPv4 addresses and prefixes, MAC addresses. A module of its own
// so that the page's send form can check what is typed without loading the wire code it is part of
// (ipv4-address.ts and mac-address.ts re-export all of it).

import { WireError } from './wire-error.ts';

/** Canonical dotted quad without leading zeros, e.g. "10.0.0.1". */
type Ipv4Address = string;
/** Canonical lower-case colon-separated, e.g. "02:00:00:00:00:0a". */
type MacAddress = string;

export interface Ipv4Cidr {
  address: Ipv4Address;
  prefixLength: number;
}

// Leading zeros are rejected because some tools read "010" as octal (8); refusing is clearer than guessing.
const OCTET_PATTERN = /^(?:0|[1-9][0-9]{0,2})$/;
const PREFIX_PATTERN = /^(?:[0-9]|[12][0-9]|3[0-2])$/;

/** Returns the address in canonical form, or null for anything that is not exactly four octets 0..255. */
export function parseIpv4Address(text: string): Ipv4Address | null {
  const parts = text.trim().split('.');
  if (parts.length !== 4) return null;
  for (const part of parts) {
    if (!OCTET_PATTERN.test(part) || Number(part) > 255) return null;
  }
  return parts.join('.');
}

/** A canonical dotted quad (parseIpv4Address's) as an unsigned 32-bit number. */
export function dottedToNumber(canonical: Ipv4Address): number {
  const [a, b, c, d] = canonical.split('.').map(Number);
  // `>>> 0` keeps the result unsigned: `a << 24` alone is negative for addresses from 128.0.0.0 up.
  return ((a! << 24) | (b! << 16) | (c! << 8) | d!) >>> 0;
}

/** "10.0.0.1/24" → { address: "10.0.0.1", prefixLength: 24 }; the host bits are kept, since an interface needs them. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | null {
  const parts = text.trim().split('/');
  if (parts.length !== 2 || !PREFIX_PATTERN.test(parts[1])) return null;
  const address = parseIpv4Address(parts[0]);
  if (address === null) return null;
  return { address, prefixLength: Number(parts[1]) };
}

/** The subnet mask as a number: `prefixLength` one-bits followed by zero-bits. */
export function prefixMask(prefixLength: number): number {
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 32) {
    throw new WireError(`an IPv4 prefix length must be 0..32, got ${prefixLength}`);
  }
  // Special case because JavaScript shifts count modulo 32: 0xffffffff << 32 is 0xffffffff, not 0.
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

/** Whether `theirs` is inside `mine`'s subnet, by `mine`'s prefix (as its host decides). */
export function cidrHolds(mine: Ipv4Cidr, theirs: Ipv4Cidr): boolean {
  const mask = prefixMask(mine.prefixLength);
  return (dottedToNumber(mine.address) & mask) >>> 0 === (dottedToNumber(theirs.address) & mask) >>> 0;
}

// Six hex pairs; the backreference forces one separator style, so "aa:bb-cc:..." is rejected as a typo.
const MAC_PATTERN = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$/i;

/** Accepts "02:00:00:00:00:0A", "02-00-00-00-00-0a" and surrounding spaces; returns the canonical form, or null. */
export function parseMacAddress(text: string): MacAddress | null {
  const trimmed = text.trim();
  if (!MAC_PATTERN.test(trimmed)) return null;
  return trimmed.toLowerCase().replace(/-/g, ':');
}
