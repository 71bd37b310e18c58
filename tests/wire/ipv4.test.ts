// Tests for IPv4 packets: header bytes, checksum, Ethernet padding, options and the router's TTL decrement.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { internetChecksum } from '../../src/sim/wire/checksum.ts';
import {
  decodeIpv4Packet,
  decrementTtl,
  encodeIpv4Packet,
  IP_PROTOCOL_ICMP,
  IP_PROTOCOL_UDP,
  recomputeIpv4Checksum,
  type Ipv4Packet,
} from '../../src/sim/wire/ipv4.ts';
import { WireError } from '../../src/sim/wire/wire-error.ts';
import { hex, ipv4Arbitrary, toHex } from './helpers.ts';

// The classic example header: a 115-byte UDP datagram from 192.168.0.1 to 192.168.0.199.
// Checksum by hand (checksum field taken as 0):
//   4500 + 0073 + 0000 + 4000 + 4011 + c0a8 + 0001 + c0a8 + 00c7 = 2479c
//   fold the carry: 479c + 2 = 479e; complement: ~479e = b861
const CLASSIC_HEADER = hex(`
  45                  // version 4, IHL 5 (20-byte header)
  00                  // DSCP 0, ECN 0
  00 73               // total length 115 = 20 header + 95 payload
  00 00               // identification 0
  40 00               // flags: DF; fragment offset 0
  40                  // TTL 64
  11                  // protocol 17 = UDP
  b8 61               // header checksum
  c0 a8 00 01         // source 192.168.0.1
  c0 a8 00 c7         // destination 192.168.0.199
`);
const CLASSIC_PAYLOAD = Uint8Array.from({ length: 95 }, (_, i) => i);
const CLASSIC_PACKET = concat(CLASSIC_HEADER, CLASSIC_PAYLOAD);

const CLASSIC_FIELDS: Ipv4Packet = {
  dscp: 0,
  ecn: 0,
  identification: 0,
  dontFragment: true,
  moreFragments: false,
  fragmentOffset: 0,
  ttl: 64,
  protocol: IP_PROTOCOL_UDP,
  source: '192.168.0.1',
  destination: '192.168.0.199',
  payload: CLASSIC_PAYLOAD,
};

function concat(...parts: Uint8Array[]): Uint8Array {
  const result = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}

function withIdentification(identification: number): Uint8Array {
  return encodeIpv4Packet({ ...CLASSIC_FIELDS, identification });
}

describe('encodeIpv4Packet', () => {
  it('writes the classic header, total length and checksum 0xb861 included', () => {
    expect(toHex(encodeIpv4Packet(CLASSIC_FIELDS))).toBe(toHex(CLASSIC_PACKET));
  });

  it('packs DSCP and ECN into the second byte and the flags with the fragment offset', () => {
    const bytes = encodeIpv4Packet({
      ...CLASSIC_FIELDS,
      dscp: 46, // expedited forwarding: 101110
      ecn: 1,
      dontFragment: false,
      moreFragments: true,
      fragmentOffset: 185, // 185 × 8 = 1480 bytes
      payload: new Uint8Array(0),
    });
    expect(bytes[1]).toBe(0xb9); // 101110 01
    expect(toHex(bytes.subarray(6, 8))).toBe('20 b9'); // 0x2000 (MF) | 0x00b9
    expect(internetChecksum(bytes)).toBe(0);
  });

  it('rejects fields out of range', () => {
    expect(() => encodeIpv4Packet({ ...CLASSIC_FIELDS, ttl: 256 })).toThrow(
      new WireError('IPv4 TTL must be a whole number from 0 to 255, got 256'),
    );
    expect(() => encodeIpv4Packet({ ...CLASSIC_FIELDS, dscp: 64 })).toThrow(WireError);
    expect(() => encodeIpv4Packet({ ...CLASSIC_FIELDS, ecn: 4 })).toThrow(WireError);
    expect(() => encodeIpv4Packet({ ...CLASSIC_FIELDS, fragmentOffset: 8192 })).toThrow(WireError);
    expect(() => encodeIpv4Packet({ ...CLASSIC_FIELDS, identification: 1.5 })).toThrow(WireError);
    expect(() => encodeIpv4Packet({ ...CLASSIC_FIELDS, source: '1.2.3' })).toThrow(WireError);
  });

  it('rejects a payload too big for the 16-bit total length', () => {
    expect(() => encodeIpv4Packet({ ...CLASSIC_FIELDS, payload: new Uint8Array(65516) })).toThrow(WireError);
    expect(encodeIpv4Packet({ ...CLASSIC_FIELDS, payload: new Uint8Array(65515) }).length).toBe(65535);
  });
});

describe('decodeIpv4Packet', () => {
  it('reads the classic header and says the checksum verifies', () => {
    expect(decodeIpv4Packet(CLASSIC_PACKET)).toEqual({
      ...CLASSIC_FIELDS,
      headerChecksum: 0xb861,
      checksumValid: true,
      totalLength: 115,
    });
  });

  it('drops Ethernet padding after the total length', () => {
    const padded = concat(CLASSIC_PACKET, new Uint8Array(10));
    expect(decodeIpv4Packet(padded).payload).toEqual(CLASSIC_PAYLOAD);
  });

  it('reports a wrong checksum instead of throwing', () => {
    const damaged = CLASSIC_PACKET.slice();
    damaged[11] = 0x60;
    const packet = decodeIpv4Packet(damaged);
    expect(packet.headerChecksum).toBe(0xb860);
    expect(packet.checksumValid).toBe(false);
  });

  it('skips options when the header is longer than 20 bytes', () => {
    // Checksum by hand: 4600 + 001c + 0000 + 4000 + 4011 + c0a8 + 0001 + c0a8 + 00c7 + 0101 + 0100
    //   = 24a46; fold: 4a46 + 2 = 4a48; complement: b5b7.
    const withOptions = hex(`
      46                  // version 4, IHL 6 (24-byte header)
      00                  // DSCP 0, ECN 0
      00 1c               // total length 28 = 24 header + 4 payload
      00 00 40 00         // identification 0, DF
      40 11               // TTL 64, UDP
      b5 b7               // header checksum
      c0 a8 00 01         // source 192.168.0.1
      c0 a8 00 c7         // destination 192.168.0.199
      01 01 01 00         // options: NOP, NOP, NOP, end of list
      de ad be ef         // payload
    `);
    const packet = decodeIpv4Packet(withOptions);
    expect(packet.checksumValid).toBe(true);
    expect(packet.totalLength).toBe(28);
    expect(toHex(packet.payload)).toBe('de ad be ef');
  });

  it('throws a WireError on a packet shorter than a header', () => {
    expect(() => decodeIpv4Packet(CLASSIC_HEADER.subarray(0, 19))).toThrow(
      new WireError('IPv4 packet too short: 19 bytes, an IPv4 header needs 20'),
    );
  });

  it('throws a WireError on a version other than 4', () => {
    const v6 = CLASSIC_PACKET.slice();
    v6[0] = 0x65;
    expect(() => decodeIpv4Packet(v6)).toThrow('not an IPv4 packet: the version field says 6, not 4');
  });

  it('throws a WireError on an IHL below 5 or beyond the bytes', () => {
    const tiny = CLASSIC_PACKET.slice();
    tiny[0] = 0x44;
    expect(() => decodeIpv4Packet(tiny)).toThrow(WireError);
    const huge = CLASSIC_HEADER.slice();
    huge[0] = 0x4f; // 60-byte header in 20 bytes
    expect(() => decodeIpv4Packet(huge)).toThrow(WireError);
  });

  it('throws a WireError when the total length is smaller than the header or larger than the bytes', () => {
    expect(() => decodeIpv4Packet(CLASSIC_HEADER)).toThrow(
      new WireError('IPv4 packet truncated: total length says 115 bytes but only 20 arrived'),
    );
    const shortLength = CLASSIC_PACKET.slice();
    shortLength[3] = 10;
    expect(() => decodeIpv4Packet(shortLength)).toThrow(WireError);
  });
});

describe('decrementTtl', () => {
  it('lowers TTL 64 to 63 and patches the checksum to 0xb961', () => {
    // The word holding TTL goes from 4011 to 3f11, 0x0100 less, so the sum 479e becomes 469e
    // and the checksum ~469e = b961.
    const forwarded = decrementTtl(CLASSIC_PACKET);
    expect(toHex(forwarded.subarray(8, 12))).toBe('3f 11 b9 61');
    expect(toHex(forwarded.subarray(12))).toBe(toHex(CLASSIC_PACKET.subarray(12)));
  });

  it('returns a new copy and leaves the original alone', () => {
    const original = CLASSIC_PACKET.slice();
    expect(decrementTtl(original)).not.toBe(original);
    expect(original).toEqual(CLASSIC_PACKET);
  });

  it('agrees with a full recompute when the new checksum comes out as 0x0000', () => {
    // Identification b961 makes the TTL-63 sum 469e + b961 = ffff, whose complement is 0000.
    const packet = withIdentification(0xb961);
    const forwarded = decrementTtl(packet);
    expect(toHex(forwarded.subarray(10, 12))).toBe('00 00');
    expect(forwarded).toEqual(recomputeIpv4Checksum(forwarded));
  });

  it('agrees with a full recompute when the old checksum was 0x0000', () => {
    // Identification b861 makes the TTL-64 sum 479e + b861 = ffff, so the checksum starts at 0000.
    const packet = withIdentification(0xb861);
    expect(toHex(packet.subarray(10, 12))).toBe('00 00');
    const forwarded = decrementTtl(packet);
    expect(toHex(forwarded.subarray(10, 12))).toBe('01 00');
    expect(forwarded).toEqual(recomputeIpv4Checksum(forwarded));
  });

  it('takes TTL 1 to 0 but throws a WireError on TTL 0', () => {
    const lastHop = encodeIpv4Packet({ ...CLASSIC_FIELDS, ttl: 1 });
    const expired = decrementTtl(lastHop);
    expect(decodeIpv4Packet(expired).ttl).toBe(0);
    expect(() => decrementTtl(expired)).toThrow(WireError);
  });

  it('throws a WireError on bytes that are not an IPv4 header', () => {
    expect(() => decrementTtl(new Uint8Array(10))).toThrow(WireError);
  });
});

const packetArbitrary = fc.record({
  dscp: fc.integer({ min: 0, max: 63 }),
  ecn: fc.integer({ min: 0, max: 3 }),
  identification: fc.integer({ min: 0, max: 0xffff }),
  dontFragment: fc.boolean(),
  moreFragments: fc.boolean(),
  fragmentOffset: fc.integer({ min: 0, max: 0x1fff }),
  ttl: fc.integer({ min: 0, max: 255 }),
  protocol: fc.oneof(fc.constant(IP_PROTOCOL_ICMP), fc.integer({ min: 0, max: 255 })),
  source: ipv4Arbitrary,
  destination: ipv4Arbitrary,
  payload: fc.uint8Array({ maxLength: 100 }),
});

describe('IPv4 properties', () => {
  it('decode(encode(packet)) gives the packet back with a valid checksum', () => {
    fc.assert(
      fc.property(packetArbitrary, (packet) => {
        const bytes = encodeIpv4Packet(packet);
        const decoded = decodeIpv4Packet(bytes);
        expect(decoded).toEqual({
          ...packet,
          headerChecksum: (bytes[10] << 8) | bytes[11],
          checksumValid: true,
          totalLength: 20 + packet.payload.length,
        });
        expect(encodeIpv4Packet(decoded)).toEqual(bytes);
      }),
    );
  });

  it('decrementTtl keeps the checksum valid and matches a full recompute', () => {
    fc.assert(
      fc.property(
        packetArbitrary.filter((p) => p.ttl > 0),
        (packet) => {
          const forwarded = decrementTtl(encodeIpv4Packet(packet));
          const decoded = decodeIpv4Packet(forwarded);
          expect(decoded.ttl).toBe(packet.ttl - 1);
          expect(decoded.checksumValid).toBe(true);
          expect(forwarded).toEqual(recomputeIpv4Checksum(forwarded));
          expect(forwarded).toEqual(encodeIpv4Packet({ ...packet, ttl: packet.ttl - 1 }));
        },
      ),
    );
  });
});
