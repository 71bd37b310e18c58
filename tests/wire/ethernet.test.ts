// Tests for Ethernet II framing, padding and 802.1Q tags, against hand-written frames.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodeEthernetFrame,
  decodeVlanTci,
  encodeEthernetFrame,
  encodeVlanTci,
  ETHERNET_MIN_PAYLOAD,
  padToMinimum,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  ETHERTYPE_LOCAL_EXPERIMENTAL,
  popVlanTag,
  pushVlanTag,
  readDestinationMac,
  readHeaderLength,
  readSourceMac,
  readVlanTag,
  type EthernetFrame,
} from '../../src/sim/wire/ethernet.ts';
import { WireError } from '../../src/sim/wire/wire-error.ts';
import { hex, macArbitrary, toHex, vlanArbitrary, zeros } from './helpers.ts';

// The ARP packet "who has 10.0.0.2? tell 10.0.0.1" from 02:00:00:00:00:0a (see arp.test.ts).
const ARP_REQUEST_PACKET = hex(`
  00 01 08 00 06 04 00 01             // Ethernet, IPv4, 6, 4, request
  02 00 00 00 00 0a 0a 00 00 01       // sender
  00 00 00 00 00 00 0a 00 00 02       // target
`);

// That packet broadcast as the stack hands it to its device (and a veth carries it): 14 + 28 = 42 bytes.
const ARP_FRAME = hex(`
  ff ff ff ff ff ff                   // destination: broadcast
  02 00 00 00 00 0a                   // source
  08 06                               // EtherType: ARP
  00 01 08 00 06 04 00 01             // ARP: Ethernet, IPv4, 6, 4, request
  02 00 00 00 00 0a 0a 00 00 01       // sender 02:00:00:00:00:0a 10.0.0.1
  00 00 00 00 00 00 0a 00 00 02       // target unknown 10.0.0.2
`);

// The same frame as a NIC puts it on a cable: padded with 18 zeros to the 60-byte minimum.
const UNTAGGED_FRAME = hex(`
  ff ff ff ff ff ff                   // destination: broadcast
  02 00 00 00 00 0a                   // source
  08 06                               // EtherType: ARP
  00 01 08 00 06 04 00 01             // ARP: Ethernet, IPv4, 6, 4, request
  02 00 00 00 00 0a 0a 00 00 01       // sender 02:00:00:00:00:0a 10.0.0.1
  00 00 00 00 00 00 0a 00 00 02       // target unknown 10.0.0.2
  ${zeros(18)}                        // padding up to 60 bytes
`);

// The stack's frame tagged PCP 5, DEI 0, VID 10 (TCI = 101 0 000000001010 = 0xa00a): 46 bytes.
const TAGGED_ARP_FRAME = hex(`
  ff ff ff ff ff ff                   // destination: broadcast
  02 00 00 00 00 0a                   // source
  81 00                               // TPID: 802.1Q tag follows
  a0 0a                               // TCI: PCP 5, DEI 0, VID 10
  08 06                               // EtherType: ARP
  00 01 08 00 06 04 00 01             // ARP: Ethernet, IPv4, 6, 4, request
  02 00 00 00 00 0a 0a 00 00 01       // sender 02:00:00:00:00:0a 10.0.0.1
  00 00 00 00 00 00 0a 00 00 02       // target unknown 10.0.0.2
`);

// The padded cable frame on a trunk, tagged by a switch: 64 bytes.
const TAGGED_FRAME = hex(`
  ff ff ff ff ff ff                   // destination: broadcast
  02 00 00 00 00 0a                   // source
  81 00                               // TPID: 802.1Q tag follows
  a0 0a                               // TCI: PCP 5, DEI 0, VID 10
  08 06                               // EtherType: ARP
  00 01 08 00 06 04 00 01             // ARP: Ethernet, IPv4, 6, 4, request
  02 00 00 00 00 0a 0a 00 00 01       // sender 02:00:00:00:00:0a 10.0.0.1
  00 00 00 00 00 00 0a 00 00 02       // target unknown 10.0.0.2
  ${zeros(18)}                        // padding: the payload is still 46 bytes
`);

const TAG = { pcp: 5, dei: false, vid: 10 };

const UNTAGGED_FIELDS: EthernetFrame = {
  destination: 'ff:ff:ff:ff:ff:ff',
  source: '02:00:00:00:00:0a',
  etherType: ETHERTYPE_ARP,
  payload: ARP_REQUEST_PACKET,
};

function padded(payload: Uint8Array): Uint8Array {
  const result = new Uint8Array(Math.max(payload.length, ETHERNET_MIN_PAYLOAD));
  result.set(payload);
  return result;
}

describe('the hand-written fixtures', () => {
  it('have the lengths a capture would show', () => {
    expect(ARP_FRAME.length).toBe(42);
    expect(UNTAGGED_FRAME.length).toBe(60);
    expect(TAGGED_ARP_FRAME.length).toBe(46);
    expect(TAGGED_FRAME.length).toBe(64);
  });
});

describe('encodeEthernetFrame', () => {
  it('writes destination, source, EtherType and the payload, unpadded: the 42 bytes a stack hands its device', () => {
    expect(toHex(encodeEthernetFrame(UNTAGGED_FIELDS))).toBe(toHex(ARP_FRAME));
  });

  it('inserts 0x8100 and the TCI after the source address for a tagged frame', () => {
    expect(toHex(encodeEthernetFrame({ ...UNTAGGED_FIELDS, vlan: TAG }))).toBe(toHex(TAGGED_ARP_FRAME));
  });

  it('does not pad a payload that is already 46 bytes or more', () => {
    const payload = new Uint8Array(100).fill(0xab);
    const bytes = encodeEthernetFrame({ ...UNTAGGED_FIELDS, etherType: ETHERTYPE_IPV4, payload });
    expect(bytes.length).toBe(114);
    expect(bytes.subarray(14)).toEqual(payload);
  });

  it('writes an empty payload as the 14-byte header alone', () => {
    const bytes = encodeEthernetFrame({
      ...UNTAGGED_FIELDS,
      etherType: ETHERTYPE_LOCAL_EXPERIMENTAL,
      payload: new Uint8Array(0),
    });
    expect(toHex(bytes)).toBe('ff ff ff ff ff ff 02 00 00 00 00 0a 88 b5');
  });
});

describe('padToMinimum (what a NIC does on a cable)', () => {
  it('pads the 42-byte ARP frame with 18 zeros to 60 bytes, a new array', () => {
    const padded = padToMinimum(ARP_FRAME);
    expect(toHex(padded)).toBe(toHex(UNTAGGED_FRAME));
    expect(ARP_FRAME.length).toBe(42);
  });

  it('pads a tagged frame to 60 bytes, tag included, as a driver pads the frame it was given', () => {
    expect(toHex(padToMinimum(TAGGED_ARP_FRAME))).toBe(toHex(TAGGED_FRAME.subarray(0, 60)));
  });

  it('returns a frame of 60 bytes or more as it is, the same array', () => {
    expect(padToMinimum(UNTAGGED_FRAME)).toBe(UNTAGGED_FRAME);
    expect(padToMinimum(TAGGED_FRAME)).toBe(TAGGED_FRAME);
  });

  it('pads a header-only frame to 60', () => {
    expect(padToMinimum(ARP_FRAME.subarray(0, 14)).length).toBe(60);
  });

  it('rejects VID 4096 and PCP 8, but accepts the priority tag VID 0 and the reserved VID 4095', () => {
    expect(() => encodeEthernetFrame({ ...UNTAGGED_FIELDS, vlan: { pcp: 0, dei: false, vid: 4096 } })).toThrow(
      WireError,
    );
    expect(() => encodeEthernetFrame({ ...UNTAGGED_FIELDS, vlan: { pcp: 8, dei: false, vid: 10 } })).toThrow(
      'VLAN priority (PCP) must be a whole number from 0 to 7, got 8',
    );
    expect(() => encodeEthernetFrame({ ...UNTAGGED_FIELDS, vlan: { pcp: 0, dei: false, vid: -1 } })).toThrow(WireError);
    expect(readVlanTag(encodeEthernetFrame({ ...UNTAGGED_FIELDS, vlan: { pcp: 0, dei: false, vid: 0 } }))?.vid).toBe(0);
    expect(readVlanTag(encodeEthernetFrame({ ...UNTAGGED_FIELDS, vlan: { pcp: 0, dei: false, vid: 4095 } }))?.vid).toBe(
      4095,
    );
  });

  it('rejects an EtherType that does not fit in 16 bits, and 0x8100 without a tag', () => {
    expect(() => encodeEthernetFrame({ ...UNTAGGED_FIELDS, etherType: 0x10000 })).toThrow(WireError);
    expect(() => encodeEthernetFrame({ ...UNTAGGED_FIELDS, etherType: 0x8100 })).toThrow(WireError);
  });

  it('rejects a MAC address that is not one', () => {
    expect(() => encodeEthernetFrame({ ...UNTAGGED_FIELDS, destination: '02:00:00:00:00' })).toThrow(WireError);
  });
});

describe('decodeEthernetFrame', () => {
  it('reads the fields back, keeping the padding in the payload', () => {
    expect(decodeEthernetFrame(UNTAGGED_FRAME)).toEqual({ ...UNTAGGED_FIELDS, payload: padded(ARP_REQUEST_PACKET) });
  });

  it('reads the VLAN tag and the EtherType after it', () => {
    const frame = decodeEthernetFrame(TAGGED_FRAME);
    expect(frame).toEqual({ ...UNTAGGED_FIELDS, vlan: TAG, payload: padded(ARP_REQUEST_PACKET) });
    expect(frame.payload.length).toBe(46);
  });

  it('leaves vlan undefined for an untagged frame', () => {
    expect('vlan' in decodeEthernetFrame(UNTAGGED_FRAME)).toBe(false);
  });

  it('returns a payload that does not share memory with the frame', () => {
    const frame = UNTAGGED_FRAME.slice();
    decodeEthernetFrame(frame).payload[0] = 0xff;
    expect(frame[14]).toBe(0x00);
  });

  it('throws a WireError a learner understands when the frame is too short', () => {
    expect(() => decodeEthernetFrame(UNTAGGED_FRAME.subarray(0, 12))).toThrow(
      new WireError('frame too short: 12 bytes, an Ethernet header needs 14'),
    );
    expect(() => decodeEthernetFrame(new Uint8Array(0))).toThrow(WireError);
    expect(() => decodeEthernetFrame(TAGGED_FRAME.subarray(0, 16))).toThrow(
      'frame too short: 16 bytes, an Ethernet header with an 802.1Q tag needs 18',
    );
  });

  it('accepts a header-only frame with an empty payload', () => {
    expect(decodeEthernetFrame(UNTAGGED_FRAME.subarray(0, 14)).payload.length).toBe(0);
  });
});

describe('header accessors', () => {
  it('read the addresses and the tag without decoding the payload', () => {
    expect(readDestinationMac(TAGGED_FRAME)).toBe('ff:ff:ff:ff:ff:ff');
    expect(readSourceMac(TAGGED_FRAME)).toBe('02:00:00:00:00:0a');
    expect(readVlanTag(TAGGED_FRAME)).toEqual(TAG);
    expect(readVlanTag(UNTAGGED_FRAME)).toBeNull();
  });

  it('say where the payload starts, after the tag if there is one, as decodeEthernetFrame finds it', () => {
    expect(readHeaderLength(UNTAGGED_FRAME)).toBe(14);
    expect(readHeaderLength(TAGGED_FRAME)).toBe(18);
    for (const frame of [UNTAGGED_FRAME, TAGGED_FRAME]) {
      expect(frame.length - readHeaderLength(frame)).toBe(decodeEthernetFrame(frame).payload.length);
    }
  });

  it('throw a WireError on a runt frame', () => {
    expect(() => readDestinationMac(hex('ff ff ff'))).toThrow(WireError);
    expect(() => readSourceMac(UNTAGGED_FRAME.subarray(0, 13))).toThrow(WireError);
    expect(() => readVlanTag(TAGGED_FRAME.subarray(0, 17))).toThrow(WireError);
  });
});

describe('VLAN tag control information', () => {
  it('packs PCP 5, DEI 0, VID 10 as 0xa00a', () => {
    expect(encodeVlanTci({ pcp: 5, dei: false, vid: 10 })).toBe(0xa00a);
    expect(encodeVlanTci({ pcp: 5, dei: true, vid: 10 })).toBe(0xb00a);
    expect(encodeVlanTci({ pcp: 7, dei: true, vid: 4095 })).toBe(0xffff);
    expect(decodeVlanTci(0xa00a)).toEqual(TAG);
  });

  it('rejects VID 4096', () => {
    expect(() => encodeVlanTci({ pcp: 0, dei: false, vid: 4096 })).toThrow(
      'VLAN ID (VID) must be a whole number from 0 to 4095, got 4096',
    );
  });
});

describe('pushVlanTag and popVlanTag', () => {
  it('push turns the untagged frame into the tagged one, 4 bytes longer', () => {
    expect(toHex(pushVlanTag(UNTAGGED_FRAME, TAG))).toBe(toHex(TAGGED_FRAME));
  });

  it('pop turns the tagged frame back into the untagged one and returns the tag', () => {
    const { tag, frame } = popVlanTag(TAGGED_FRAME);
    expect(tag).toEqual(TAG);
    expect(toHex(frame)).toBe(toHex(UNTAGGED_FRAME));
  });

  it('pop leaves 56 bytes of a tagged frame that was minimum size only with its tag: the cable it leaves by pads it', () => {
    // 18-byte tagged header + 42 bytes of payload = 60; without the tag, 56 (padToMinimum makes it 60 again).
    const short = TAGGED_FRAME.subarray(0, 60);
    const { frame } = popVlanTag(short);
    expect(toHex(frame)).toBe(toHex(UNTAGGED_FRAME.subarray(0, 56)));
    expect(toHex(padToMinimum(frame))).toBe(toHex(UNTAGGED_FRAME));
  });

  it('pop turns the stack’s 46-byte tagged frame into its 42-byte untagged one', () => {
    expect(toHex(popVlanTag(TAGGED_ARP_FRAME).frame)).toBe(toHex(ARP_FRAME));
  });

  it('pop keeps a long frame exactly 4 bytes shorter', () => {
    const long = encodeEthernetFrame({ ...UNTAGGED_FIELDS, vlan: TAG, payload: new Uint8Array(200).fill(7) });
    expect(popVlanTag(long).frame.length).toBe(long.length - 4);
  });

  it('pop throws a WireError on an untagged frame', () => {
    expect(() => popVlanTag(UNTAGGED_FRAME)).toThrow(
      new WireError('frame has no VLAN tag to remove: EtherType is 0x0806, not 0x8100'),
    );
  });

  it('push rejects an out-of-range tag and a runt frame', () => {
    expect(() => pushVlanTag(UNTAGGED_FRAME, { pcp: 0, dei: false, vid: 4096 })).toThrow(WireError);
    expect(() => pushVlanTag(hex('ff ff'), TAG)).toThrow(WireError);
  });

  it('push then pop gives back any padded frame', () => {
    fc.assert(
      fc.property(
        macArbitrary,
        macArbitrary,
        fc.uint8Array({ maxLength: 120 }),
        vlanArbitrary,
        (destination, source, payload, tag) => {
          const untagged = encodeEthernetFrame({ destination, source, etherType: ETHERTYPE_IPV4, payload });
          const popped = popVlanTag(pushVlanTag(untagged, tag));
          expect(popped.tag).toEqual(tag);
          expect(popped.frame).toEqual(untagged);
        },
      ),
    );
  });
});

describe('Ethernet round trip', () => {
  const etherType = fc.integer({ min: 0, max: 0xffff }).filter((t) => t !== 0x8100);

  it('decode(encode(frame)) gives back an untagged frame; decode(padToMinimum(...)) with the payload padded to 46', () => {
    fc.assert(
      fc.property(
        macArbitrary,
        macArbitrary,
        etherType,
        fc.uint8Array({ maxLength: 120 }),
        (destination, source, type, payload) => {
          const frame: EthernetFrame = { destination, source, etherType: type, payload };
          const bytes = encodeEthernetFrame(frame);
          expect(bytes.length).toBe(14 + payload.length);
          expect(decodeEthernetFrame(bytes)).toEqual(frame);
          expect(decodeEthernetFrame(padToMinimum(bytes))).toEqual({ ...frame, payload: padded(payload) });
        },
      ),
    );
  });

  it('decode(encode(frame)) gives back a tagged frame, and re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(
        macArbitrary,
        macArbitrary,
        vlanArbitrary,
        etherType,
        fc.uint8Array({ maxLength: 120 }),
        (destination, source, vlan, type, payload) => {
          const frame: EthernetFrame = { destination, source, vlan, etherType: type, payload };
          const bytes = encodeEthernetFrame(frame);
          expect(bytes.length).toBe(18 + payload.length);
          expect(decodeEthernetFrame(bytes)).toEqual(frame);
          expect(encodeEthernetFrame(decodeEthernetFrame(bytes))).toEqual(bytes);
        },
      ),
    );
  });
});
