// Ethernet II frames with an optional IEEE 802.1Q VLAN tag, as the bytes tcpdump shows (no preamble, no FCS).

import { macFromBytes, type MacAddress, writeMac } from './mac-address.ts';
import { copyBytes, newBytes, readUint16At, writeUint16 } from './bytes.ts';
import { assertFieldRange, WireError } from './wire-error.ts';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_VLAN = 0x8100;
/** IEEE 802 "local experimental" EtherType: the simulator's raw frames use it, as no real protocol will. */
export const ETHERTYPE_LOCAL_EXPERIMENTAL = 0x88b5;

export const ETHERNET_HEADER_LENGTH = 14;
export const VLAN_TAG_LENGTH = 4;
/** A NIC on a cable pads shorter payloads so the frame reaches 64 bytes with its 4-byte FCS (60 as captured). */
export const ETHERNET_MIN_PAYLOAD = 46;
export const ETHERNET_MIN_FRAME_LENGTH = ETHERNET_HEADER_LENGTH + ETHERNET_MIN_PAYLOAD;

const DESTINATION_OFFSET = 0;
const SOURCE_OFFSET = 6;
const TYPE_OFFSET = 12;
const TCI_OFFSET = 14;

/** IEEE 802.1Q tag control information: TCI = PCP(3 bits) | DEI(1 bit) | VID(12 bits). */
export interface VlanTag {
  /** Priority code point 0..7 (class of service). */
  pcp: number;
  /** Drop eligible indicator: may be dropped first under congestion. */
  dei: boolean;
  /** VLAN identifier 0..4095; 0 means "priority tag only, no VLAN", 4095 is reserved. */
  vid: number;
}

export interface EthernetFrame {
  destination: MacAddress;
  source: MacAddress;
  vlan?: VlanTag;
  /** The type of the payload (0x0800 IPv4, 0x0806 ARP...); for a tagged frame, the type after the tag. */
  etherType: number;
  payload: Uint8Array;
}

/** The 16-bit TCI for a tag; throws a WireError if a field is out of range. */
export function encodeVlanTci(tag: VlanTag): number {
  assertFieldRange(tag.pcp, 7, 'VLAN priority (PCP)');
  assertFieldRange(tag.vid, 4095, 'VLAN ID (VID)');
  return (tag.pcp << 13) | (tag.dei ? 0x1000 : 0) | tag.vid;
}

export function decodeVlanTci(tci: number): VlanTag {
  return { pcp: (tci >>> 13) & 0x7, dei: (tci & 0x1000) !== 0, vid: tci & 0x0fff };
}

/**
 * dst(6) src(6) [0x8100 TCI(2)] etherType(2) payload, unpadded: the frame a stack hands to its
 * device, as Linux does (a 42-byte ARP stays 42 bytes). Padding belongs to the wire: padToMinimum.
 */
export function encodeEthernetFrame(frame: EthernetFrame): Uint8Array {
  assertFieldRange(frame.etherType, 0xffff, 'EtherType');
  if (frame.vlan === undefined && frame.etherType === ETHERTYPE_VLAN) {
    // Decoding would read the first payload bytes as a tag, so the frame would not mean what was asked.
    throw new WireError("EtherType 0x8100 marks a VLAN tag: set the frame's vlan field instead");
  }
  const tci = frame.vlan === undefined ? null : encodeVlanTci(frame.vlan);
  const headerLength = ETHERNET_HEADER_LENGTH + (tci === null ? 0 : VLAN_TAG_LENGTH);
  // Written in place: no 6-byte array per MAC, no DataView per frame.
  const bytes = newBytes(headerLength + frame.payload.length);
  writeMac(bytes, DESTINATION_OFFSET, frame.destination);
  writeMac(bytes, SOURCE_OFFSET, frame.source);
  if (tci !== null) {
    writeUint16(bytes, TYPE_OFFSET, ETHERTYPE_VLAN);
    writeUint16(bytes, TCI_OFFSET, tci);
  }
  writeUint16(bytes, headerLength - 2, frame.etherType);
  bytes.set(frame.payload, headerLength);
  return bytes;
}

/**
 * A frame as a NIC puts it on a cable: zero-padded to the 60-byte minimum (eth_skb_pad,
 * skb_put_padto(skb, ETH_ZLEN) in the drivers); a frame already that long is returned as it is.
 * A tagged frame is padded to 60 too, tag included, as a driver pads the skb it was given.
 */
export function padToMinimum(bytes: Uint8Array): Uint8Array {
  if (bytes.length >= ETHERNET_MIN_FRAME_LENGTH) return bytes;
  // The padding is zero: new bytes start zero-filled.
  const padded = newBytes(ETHERNET_MIN_FRAME_LENGTH);
  padded.set(bytes);
  return padded;
}

/**
 * Parses a frame; the payload keeps any padding, because only the upper layer's length field knows where data ends.
 * The payload is a copy, so a caller that edits it cannot change the frame other ports still hold;
 * `copy` false makes it a view of `bytes` instead, for a receive path that only reads it (the core
 * never changes a frame's bytes once made: a router's TTL decrement, NAT and tagging make new ones).
 */
export function decodeEthernetFrame(bytes: Uint8Array, copy = true): EthernetFrame {
  const tag = readVlanTag(bytes);
  const headerLength = ETHERNET_HEADER_LENGTH + (tag === null ? 0 : VLAN_TAG_LENGTH);
  const frame: EthernetFrame = {
    destination: macFromBytes(bytes, DESTINATION_OFFSET),
    source: macFromBytes(bytes, SOURCE_OFFSET),
    etherType: readUint16At(bytes, headerLength - 2),
    payload: copy ? copyBytes(bytes.subarray(headerLength)) : bytes.subarray(headerLength),
  };
  if (tag !== null) frame.vlan = tag;
  return frame;
}

/** The destination MAC, without decoding the rest: all a switch needs to pick an output port. */
export function readDestinationMac(bytes: Uint8Array): MacAddress {
  assertHeaderPresent(bytes);
  return macFromBytes(bytes, DESTINATION_OFFSET);
}

/** The source MAC, without decoding the rest: all a switch needs to learn where a station lives. */
export function readSourceMac(bytes: Uint8Array): MacAddress {
  assertHeaderPresent(bytes);
  return macFromBytes(bytes, SOURCE_OFFSET);
}

/**
 * Where the payload starts: 14 bytes in, or 18 after an 802.1Q tag. Read off the bytes, for a hot
 * path that has checked that the header (with its tag, if any) is there; readVlanTag checks.
 */
export function readHeaderLength(bytes: Uint8Array): number {
  const tagged = bytes[TYPE_OFFSET] === ETHERTYPE_VLAN >> 8 && bytes[TYPE_OFFSET + 1] === (ETHERTYPE_VLAN & 0xff);
  return tagged ? ETHERNET_HEADER_LENGTH + VLAN_TAG_LENGTH : ETHERNET_HEADER_LENGTH;
}

/** The 802.1Q tag of a frame, or null when the frame is untagged. */
export function readVlanTag(bytes: Uint8Array): VlanTag | null {
  assertHeaderPresent(bytes);
  if (readUint16At(bytes, TYPE_OFFSET) !== ETHERTYPE_VLAN) return null;
  if (bytes.length < ETHERNET_HEADER_LENGTH + VLAN_TAG_LENGTH) {
    throw new WireError(
      `frame too short: ${bytes.length} bytes, ` +
        `an Ethernet header with an 802.1Q tag needs ${ETHERNET_HEADER_LENGTH + VLAN_TAG_LENGTH}`,
    );
  }
  return decodeVlanTci(readUint16At(bytes, TCI_OFFSET));
}

/** What a switch does on a trunk port: inserts 0x8100 + TCI after the source MAC. Returns a new, 4-byte-longer array. */
export function pushVlanTag(bytes: Uint8Array, tag: VlanTag): Uint8Array {
  const tci = encodeVlanTci(tag);
  assertHeaderPresent(bytes);
  // The rest shifted 4 bytes on, the addresses copied byte by byte: no view or DataView per frame.
  const tagged = newBytes(bytes.length + VLAN_TAG_LENGTH);
  tagged.set(bytes, VLAN_TAG_LENGTH);
  for (let i = 0; i < TYPE_OFFSET; i++) tagged[i] = bytes[i]!;
  writeUint16(tagged, TYPE_OFFSET, ETHERTYPE_VLAN);
  writeUint16(tagged, TCI_OFFSET, tci);
  return tagged;
}

/**
 * What a switch does on an access port: removes the tag and returns it with the untagged frame,
 * 4 bytes shorter. A frame that was minimum size with its tag is then 56 bytes: the cable it leaves
 * by pads it back to 60 (padToMinimum, in the engine), as 802.1Q asks of a bridge that untags.
 */
export function popVlanTag(bytes: Uint8Array): { tag: VlanTag; frame: Uint8Array } {
  const tag = readVlanTag(bytes);
  if (tag === null) {
    const type = readUint16At(bytes, TYPE_OFFSET).toString(16).padStart(4, '0');
    throw new WireError(`frame has no VLAN tag to remove: EtherType is 0x${type}, not 0x8100`);
  }
  const frame = newBytes(bytes.length - VLAN_TAG_LENGTH);
  for (let i = 0; i < TYPE_OFFSET; i++) frame[i] = bytes[i]!;
  frame.set(bytes.subarray(TYPE_OFFSET + VLAN_TAG_LENGTH), TYPE_OFFSET);
  return { tag, frame };
}

/** A short name for well-known EtherTypes, or null. Values up to 1500 are 802.3 length fields, not types. */
export function etherTypeName(etherType: number): string | null {
  switch (etherType) {
    case ETHERTYPE_IPV4:
      return 'IPv4';
    case ETHERTYPE_ARP:
      return 'ARP';
    case ETHERTYPE_VLAN:
      return '802.1Q VLAN tag';
    case 0x86dd:
      return 'IPv6';
    case 0x88a8:
      return '802.1ad service VLAN tag';
    case 0x88cc:
      return 'LLDP';
    case ETHERTYPE_LOCAL_EXPERIMENTAL:
      return 'local experimental';
    default:
      return etherType <= 1500 ? `802.3 length ${etherType}` : null;
  }
}

function assertHeaderPresent(bytes: Uint8Array): void {
  if (bytes.length < ETHERNET_HEADER_LENGTH) {
    throw new WireError(`frame too short: ${bytes.length} bytes, an Ethernet header needs ${ETHERNET_HEADER_LENGTH}`);
  }
}

