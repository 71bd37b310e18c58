// Tests for ICMP messages: echo request and reply bytes with hand-computed checksums, the error helpers, and
// "fragmentation needed" against a frame the Linux kernel sent.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeEthernetFrame, encodeEthernetFrame, ETHERTYPE_IPV4, padToMinimum } from '../../src/sim/wire/ethernet.ts';
import {
  decodeIcmpMessage,
  destinationUnreachable,
  echoIdentifier,
  echoReply,
  echoReplyTo,
  echoRequest,
  echoSequence,
  encodeIcmpMessage,
  ICMP_DESTINATION_UNREACHABLE,
  ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST,
  ICMP_FRAGMENTATION_NEEDED,
  ICMP_TIME_EXCEEDED,
  ICMP_UNREACHABLE_HOST,
  fragmentationNeeded,
  nextHopMtu,
  timeExceeded,
  type IcmpMessage,
} from '../../src/sim/wire/icmp.ts';
import { ipv4FromBytes } from '../../src/sim/wire/ipv4-address.ts';
import { decodeIpv4Packet, encodeIpv4Packet, IP_PROTOCOL_ICMP, IP_PROTOCOL_UDP } from '../../src/sim/wire/ipv4.ts';
import { encodeUdpDatagram } from '../../src/sim/wire/udp.ts';
import { WireError } from '../../src/sim/wire/wire-error.ts';
import { hex, toHex, zeros } from './helpers.ts';
import { LINUX_FRAG_NEEDED_FRAME } from './kernel-frames.ts';

const PING = new TextEncoder().encode('ping'); // 70 69 6e 67

// Checksum by hand (checksum field taken as 0):
//   0800 + 0000 + 0001 + 0001 + 7069 + 6e67 = e6d2 (no carry); complement: ~e6d2 = 192d
const ECHO_REQUEST_BYTES = hex(`
  08                  // type 8: echo request
  00                  // code 0
  19 2d               // checksum
  00 01               // identifier 1
  00 01               // sequence number 1
  70 69 6e 67         // data "ping"
`);

// Same words with type 0: 0000 + 0001 + 0001 + 7069 + 6e67 = ded2; complement: 212d
const ECHO_REPLY_BYTES = hex(`
  00                  // type 0: echo reply
  00                  // code 0
  21 2d               // checksum
  00 01 00 01         // identifier 1, sequence 1
  70 69 6e 67         // data "ping", echoed back
`);

describe('encodeIcmpMessage', () => {
  it('writes an echo request with the checksum worked out by hand', () => {
    expect(toHex(encodeIcmpMessage(echoRequest(1, 1, PING)))).toBe(toHex(ECHO_REQUEST_BYTES));
  });

  it('writes an echo reply', () => {
    expect(toHex(encodeIcmpMessage(echoReply(1, 1, PING)))).toBe(toHex(ECHO_REPLY_BYTES));
  });

  it('pads an odd-length message with a zero byte for the checksum only', () => {
    // 0800 + 0001 + 0001 + 7069 + 6e00 (the "n" plus a pad byte) = e66b; complement: 1994
    const bytes = encodeIcmpMessage(echoRequest(1, 1, PING.subarray(0, 3)));
    expect(toHex(bytes)).toBe('08 00 19 94 00 01 00 01 70 69 6e');
  });

  it('rejects fields out of range', () => {
    expect(() => encodeIcmpMessage({ type: 256, code: 0, rest: 0, payload: PING })).toThrow(WireError);
    expect(() => encodeIcmpMessage({ type: 8, code: 0, rest: 2 ** 32, payload: PING })).toThrow(WireError);
    expect(() => echoRequest(65536, 1, PING)).toThrow(WireError);
    expect(() => echoRequest(1, -1, PING)).toThrow(WireError);
  });
});

describe('decodeIcmpMessage', () => {
  it('reads an echo request and verifies its checksum', () => {
    expect(decodeIcmpMessage(ECHO_REQUEST_BYTES)).toEqual({
      type: ICMP_ECHO_REQUEST,
      code: 0,
      rest: 0x00010001,
      payload: PING,
      checksum: 0x192d,
      checksumValid: true,
    });
  });

  it('reads an echo reply', () => {
    const reply = decodeIcmpMessage(ECHO_REPLY_BYTES);
    expect(reply.type).toBe(ICMP_ECHO_REPLY);
    expect(reply.checksumValid).toBe(true);
  });

  it('reports a wrong checksum, for example after a bit flip in the data', () => {
    const damaged = ECHO_REQUEST_BYTES.slice();
    damaged[11] ^= 0x01;
    expect(decodeIcmpMessage(damaged).checksumValid).toBe(false);
  });

  it('throws a WireError on fewer than 8 bytes', () => {
    expect(() => decodeIcmpMessage(ECHO_REQUEST_BYTES.subarray(0, 4))).toThrow(
      new WireError('ICMP message too short: 4 bytes, an ICMP header needs 8'),
    );
  });
});

describe('echo helpers', () => {
  it('pack identifier and sequence into the rest of the header', () => {
    const request = echoRequest(0xbeef, 0x0102, PING);
    expect(request.rest).toBe(0xbeef0102);
    expect(echoIdentifier(request)).toBe(0xbeef);
    expect(echoSequence(request)).toBe(0x0102);
  });

  it('build the reply to a request by copying identifier, sequence and data', () => {
    const request = echoRequest(7, 3, PING);
    expect(echoReplyTo(request)).toEqual(echoReply(7, 3, PING));
  });
});

describe('an echo request on the wire', () => {
  it('is a 46-byte frame (60 on a cable) with the IPv4 and ICMP checksums worked out by hand', () => {
    // IPv4 checksum: 4500 + 0020 + 0001 + 4000 + 4001 + 0a00 + 0001 + 0a00 + 0002 = d925; ~d925 = 26da
    const expected = hex(`
      02 00 00 00 00 0b   // destination MAC (the neighbour, already resolved by ARP)
      02 00 00 00 00 0a   // source MAC
      08 00               // EtherType: IPv4
      45 00               // version 4, IHL 5; DSCP 0, ECN 0
      00 20               // total length 32 = 20 IPv4 + 8 ICMP + 4 data
      00 01               // identification 1
      40 00               // DF, offset 0
      40 01               // TTL 64, protocol 1 = ICMP
      26 da               // header checksum
      0a 00 00 01         // source 10.0.0.1
      0a 00 00 02         // destination 10.0.0.2
      08 00 19 2d         // echo request, code 0, checksum
      00 01 00 01         // identifier 1, sequence 1
      70 69 6e 67         // "ping"
      ${zeros(14)}        // Ethernet padding: 14 + 32 = 46, 14 more make 60
    `);
    const frame = encodeEthernetFrame({
      destination: '02:00:00:00:00:0b',
      source: '02:00:00:00:00:0a',
      etherType: ETHERTYPE_IPV4,
      payload: encodeIpv4Packet({
        dscp: 0,
        ecn: 0,
        identification: 1,
        dontFragment: true,
        moreFragments: false,
        fragmentOffset: 0,
        ttl: 64,
        protocol: IP_PROTOCOL_ICMP,
        source: '10.0.0.1',
        destination: '10.0.0.2',
        payload: encodeIcmpMessage(echoRequest(1, 1, PING)),
      }),
    });
    expect(toHex(frame)).toBe(toHex(expected.subarray(0, 46)));
    expect(toHex(padToMinimum(frame))).toBe(toHex(expected));
  });
});

describe('error helpers', () => {
  const original = encodeIpv4Packet({
    dscp: 0,
    ecn: 0,
    identification: 9,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 1,
    protocol: IP_PROTOCOL_ICMP,
    source: '10.0.0.1',
    destination: '10.0.1.2',
    payload: encodeIcmpMessage(echoRequest(1, 1, new Uint8Array(56))),
  });

  it('time exceeded quotes the whole original packet when it fits, as Linux does', () => {
    const message = timeExceeded(original);
    expect(message.type).toBe(ICMP_TIME_EXCEEDED);
    expect(message.code).toBe(0);
    expect(message.rest).toBe(0);
    expect(original.length).toBe(84);
    expect(message.payload).toEqual(original);
  });

  it('keeps the error within 576 bytes: a long packet is quoted up to 548 bytes', () => {
    const long = encodeIpv4Packet({ ...decodeIpv4Packet(original), payload: new Uint8Array(1400) });
    expect(timeExceeded(long).payload).toEqual(long.subarray(0, 548));
    expect(20 + encodeIcmpMessage(timeExceeded(long)).length).toBe(576);
  });

  it('destination unreachable carries its code and the same quote', () => {
    const message = destinationUnreachable(ICMP_UNREACHABLE_HOST, original);
    expect(message.type).toBe(ICMP_DESTINATION_UNREACHABLE);
    expect(message.code).toBe(1);
    expect(message.payload.length).toBe(84);
    expect(decodeIcmpMessage(encodeIcmpMessage(message)).checksumValid).toBe(true);
  });
});

describe('fragmentation needed (type 3 code 4), against the frame Linux sent', () => {
  // What A sent: 1,472 bytes 0x00, 0x01, … from port 40001 to 10.9.1.2:9, DF set, 1,500 bytes in all.
  const addresses = { source: '10.9.0.1', destination: '10.9.1.2' };
  const original = encodeIpv4Packet({
    dscp: 0, ecn: 0, identification: 0x431a, dontFragment: true, moreFragments: false, fragmentOffset: 0, ttl: 64,
    protocol: IP_PROTOCOL_UDP, ...addresses,
    payload: encodeUdpDatagram({ sourcePort: 40001, destinationPort: 9, payload: Uint8Array.from({ length: 1472 }, (_, i) => i & 0xff) }, addresses),
  });
  const captured = decodeIpv4Packet(decodeEthernetFrame(LINUX_FRAG_NEEDED_FRAME).payload);

  it('the rebuilt original is the packet the router quoted (its UDP checksum 0xbd9c included)', () => {
    expect(original.length).toBe(1500);
    expect(toHex(original.subarray(0, 548))).toBe(toHex(captured.payload.subarray(8)));
  });

  it('encodes to the ICMP message Linux sent: rest of header 00 00 05 aa, 548 bytes quoted, checksum 0x0b13', () => {
    const bytes = encodeIcmpMessage(fragmentationNeeded(1450, original));
    expect(toHex(bytes)).toBe(toHex(captured.payload));
    expect(toHex(bytes.subarray(0, 8))).toBe('03 04 0b 13 00 00 05 aa');
  });

  it('makes the whole frame byte for byte, given the IPv4 header Linux chose (TOS 0xc0, its identification, no DF)', () => {
    const frame = encodeEthernetFrame({
      destination: '02:00:00:00:00:0a',
      source: '02:00:00:00:00:fe',
      etherType: ETHERTYPE_IPV4,
      payload: encodeIpv4Packet({
        dscp: 48, ecn: 0, identification: 0x6b6e, dontFragment: false, moreFragments: false, fragmentOffset: 0, ttl: 64,
        protocol: IP_PROTOCOL_ICMP, source: '10.9.0.254', destination: '10.9.0.1',
        payload: encodeIcmpMessage(fragmentationNeeded(1450, original)),
      }),
    });
    expect(frame.length).toBe(590);
    expect(toHex(frame)).toBe(toHex(LINUX_FRAG_NEEDED_FRAME));
  });

  it('decodes to type 3, code 4, next-hop MTU 1450, with a valid checksum', () => {
    expect(captured.checksumValid).toBe(true);
    expect(captured.totalLength).toBe(576);
    const icmp = decodeIcmpMessage(captured.payload);
    expect(icmp).toMatchObject({ type: ICMP_DESTINATION_UNREACHABLE, code: ICMP_FRAGMENTATION_NEEDED, rest: 1450, checksum: 0x0b13, checksumValid: true });
    expect(nextHopMtu(icmp)).toBe(1450);
    // The quote is the packet as it reached the router (cut, so read straight from the bytes): TTL still 64, DF set.
    const quote = icmp.payload;
    expect(quote.length).toBe(548);
    expect(quote[8]).toBe(64);
    expect(quote[6]! & 0x40).toBe(0x40);
    expect(ipv4FromBytes(quote, 16)).toBe('10.9.1.2');
  });

  it('reads the MTU from the low 16 bits only, as icmp_unreach does, and only from this type and code', () => {
    expect(nextHopMtu({ type: 3, code: 4, rest: 0xdead05aa, payload: new Uint8Array(0) })).toBe(1450);
    expect(nextHopMtu({ type: 3, code: 4, rest: 0, payload: new Uint8Array(0) })).toBe(0);
    expect(nextHopMtu(destinationUnreachable(ICMP_UNREACHABLE_HOST, original))).toBeNull();
    expect(nextHopMtu(echoRequest(1, 1, PING))).toBeNull();
  });

  it('rejects an MTU the 16-bit field cannot hold', () => {
    expect(() => fragmentationNeeded(65536, original)).toThrow(WireError);
    expect(() => fragmentationNeeded(-1, original)).toThrow(WireError);
    expect(fragmentationNeeded(68, original).rest).toBe(68);
  });
});

describe('ICMP round trip', () => {
  it('decode(encode(message)) gives the message back with a valid checksum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.uint8Array({ maxLength: 100 }),
        (type, code, rest, payload) => {
          const message: IcmpMessage = { type, code, rest, payload };
          const bytes = encodeIcmpMessage(message);
          const decoded = decodeIcmpMessage(bytes);
          expect(decoded).toEqual({ ...message, checksum: (bytes[2] << 8) | bytes[3], checksumValid: true });
          expect(encodeIcmpMessage(decoded)).toEqual(bytes);
        },
      ),
    );
  });

  it('echo helpers round-trip identifier and sequence', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), (identifier, sequence) => {
        const decoded = decodeIcmpMessage(encodeIcmpMessage(echoRequest(identifier, sequence, PING)));
        expect(echoIdentifier(decoded)).toBe(identifier);
        expect(echoSequence(decoded)).toBe(sequence);
      }),
    );
  });
});
