// Tests for UDP datagrams: the bytes Linux put on a veth, the pseudo-header checksum, "no checksum" and the length checks.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeIpv4Packet, encodeIpv4Packet, IP_PROTOCOL_UDP } from '../../src/sim/wire/ipv4.ts';
import {
  decodeUdpDatagram,
  encodeUdpDatagram,
  ipv4PseudoHeaderSum,
  udpDestinationPort,
  UDP_CHECKSUM_MANGLED_ZERO,
  type UdpDatagram,
} from '../../src/sim/wire/udp.ts';
import { WireError } from '../../src/sim/wire/wire-error.ts';
import { hex, ipv4Arbitrary, toHex } from './helpers.ts';
import { LINUX_UDP_HELLO_FRAME, LINUX_UDP_MANGLED_ZERO_FRAME } from './kernel-frames.ts';

const HELLO = new TextEncoder().encode('hello');
const A_TO_B = { source: '10.9.0.1', destination: '10.9.1.2' };
/** The UDP datagram inside a captured frame: after 14 bytes of Ethernet and 20 of IPv4. */
const udpOf = (frame: Uint8Array) => frame.subarray(34);

describe('encodeUdpDatagram', () => {
  it('writes the datagram Linux sent, checksum 0x0aa6 included', () => {
    const bytes = encodeUdpDatagram({ sourcePort: 40000, destinationPort: 7, payload: HELLO }, A_TO_B);
    expect(toHex(bytes)).toBe(toHex(udpOf(LINUX_UDP_HELLO_FRAME)));
  });

  it('makes the whole IPv4 packet Linux sent, given its identification', () => {
    const packet = encodeIpv4Packet({
      dscp: 0, ecn: 0, identification: 0xab29, dontFragment: true, moreFragments: false, fragmentOffset: 0, ttl: 64,
      protocol: IP_PROTOCOL_UDP, ...A_TO_B,
      payload: encodeUdpDatagram({ sourcePort: 40000, destinationPort: 7, payload: HELLO }, A_TO_B),
    });
    expect(toHex(packet)).toBe(toHex(LINUX_UDP_HELLO_FRAME.subarray(14)));
  });

  it('sends a checksum that computes to 0 as 0xffff, as Linux does (CSUM_MANGLED_0)', () => {
    const bytes = encodeUdpDatagram({ sourcePort: 40000, destinationPort: 7, payload: hex('4e 7e') }, A_TO_B);
    expect(toHex(bytes)).toBe(toHex(udpOf(LINUX_UDP_MANGLED_ZERO_FRAME)));
    expect(bytes[6] << 8 | bytes[7]).toBe(UDP_CHECKSUM_MANGLED_ZERO);
  });

  it('leaves the checksum 0 when asked not to compute one', () => {
    const bytes = encodeUdpDatagram({ sourcePort: 40000, destinationPort: 7, payload: HELLO }, A_TO_B, { checksum: false });
    expect(toHex(bytes)).toBe('9c 40 00 07 00 0d 00 00 68 65 6c 6c 6f');
  });

  it('covers the addresses: the same datagram to another host has another checksum', () => {
    const d: UdpDatagram = { sourcePort: 40000, destinationPort: 7, payload: HELLO };
    // Destination 10.9.1.3 adds 1 to the pseudo-header sum, so the checksum is one lower: 0x0aa5.
    expect(toHex(encodeUdpDatagram(d, { ...A_TO_B, destination: '10.9.1.3' }).subarray(6, 8))).toBe('0a a5');
  });

  it('sums the pseudo-header as RFC 768 lays it out', () => {
    // 0a09 + 0001 + 0a09 + 0102 + 0011 + 000d = 1533
    expect(ipv4PseudoHeaderSum(A_TO_B, IP_PROTOCOL_UDP, 13)).toBe(0x1533);
  });

  it('rejects ports out of range and a datagram longer than its length field can say', () => {
    expect(() => encodeUdpDatagram({ sourcePort: 65536, destinationPort: 7, payload: HELLO }, A_TO_B)).toThrow(WireError);
    expect(() => encodeUdpDatagram({ sourcePort: 1, destinationPort: -1, payload: HELLO }, A_TO_B)).toThrow(WireError);
    expect(() => encodeUdpDatagram({ sourcePort: 1, destinationPort: 2, payload: new Uint8Array(65528) }, A_TO_B)).toThrow(
      new WireError('UDP datagram too long: 65536 bytes, the 16-bit length field allows at most 65535'),
    );
    expect(encodeUdpDatagram({ sourcePort: 1, destinationPort: 2, payload: new Uint8Array(65527) }, A_TO_B).length).toBe(65535);
  });
});

describe('decodeUdpDatagram', () => {
  it('reads the datagram Linux sent and verifies its checksum over the pseudo-header', () => {
    const ip = decodeIpv4Packet(LINUX_UDP_HELLO_FRAME.subarray(14));
    expect(decodeUdpDatagram(ip.payload, ip)).toEqual({
      sourcePort: 40000,
      destinationPort: 7,
      payload: HELLO,
      length: 13,
      checksum: 0x0aa6,
      checksumPresent: true,
      checksumValid: true,
    });
  });

  it('accepts 0xffff where the checksum computed to 0', () => {
    const decoded = decodeUdpDatagram(udpOf(LINUX_UDP_MANGLED_ZERO_FRAME), A_TO_B);
    expect(decoded.checksum).toBe(0xffff);
    expect(decoded.checksumValid).toBe(true);
  });

  it('reads a zero checksum as "none sent", not as wrong (udp4_csum_init)', () => {
    const decoded = decodeUdpDatagram(hex('9c 40 00 07 00 0d 00 00 68 65 6c 6c 6f'), A_TO_B);
    expect(decoded.checksumPresent).toBe(false);
    expect(decoded.checksumValid).toBe(true);
  });

  it('reports a wrong checksum: a flipped bit, or the right bytes for other addresses', () => {
    const damaged = udpOf(LINUX_UDP_HELLO_FRAME).slice();
    damaged[8] ^= 0x20; // "hello" → "Hello"
    expect(decodeUdpDatagram(damaged, A_TO_B).checksumValid).toBe(false);
    expect(decodeUdpDatagram(udpOf(LINUX_UDP_HELLO_FRAME), { ...A_TO_B, source: '10.9.0.2' }).checksumValid).toBe(false);
  });

  it('trims bytes beyond the length field and checks only the datagram (pskb_trim_rcsum)', () => {
    const padded = new Uint8Array([...udpOf(LINUX_UDP_HELLO_FRAME), 0, 0, 0]);
    const decoded = decodeUdpDatagram(padded, A_TO_B);
    expect(decoded.payload).toEqual(HELLO);
    expect(decoded.checksumValid).toBe(true);
  });

  it('throws a WireError on a short datagram or a length field that lies (__udp4_lib_rcv: short packet)', () => {
    const datagram = udpOf(LINUX_UDP_HELLO_FRAME);
    expect(() => decodeUdpDatagram(datagram.subarray(0, 7), A_TO_B)).toThrow(
      new WireError('UDP datagram too short: 7 bytes, a UDP header needs 8'),
    );
    const tooSmall = datagram.slice();
    tooSmall[5] = 7;
    expect(() => decodeUdpDatagram(tooSmall, A_TO_B)).toThrow(
      new WireError('UDP length field 7 is smaller than the UDP header itself (8 bytes)'),
    );
    expect(() => decodeUdpDatagram(datagram.subarray(0, 12), A_TO_B)).toThrow(
      new WireError('UDP datagram truncated: its length field says 13 bytes but only 12 arrived'),
    );
  });

  it('reads the destination port without decoding, for demultiplexing', () => {
    expect(udpDestinationPort(udpOf(LINUX_UDP_HELLO_FRAME))).toBe(7);
    expect(udpDestinationPort(hex('c0 00 12 b5 00 08 00 00'))).toBe(4789);
    expect(udpDestinationPort(hex('c0 00 12 b5 00 08 00'))).toBeNull(); // no whole header: not a datagram
  });
});

describe('UDP round trip', () => {
  const datagramArbitrary = fc.record({
    sourcePort: fc.integer({ min: 0, max: 0xffff }),
    destinationPort: fc.integer({ min: 0, max: 0xffff }),
    payload: fc.uint8Array({ maxLength: 120 }),
  });
  const addressesArbitrary = fc.record({ source: ipv4Arbitrary, destination: ipv4Arbitrary });

  it('decode(encode(datagram)) gives the datagram back with a valid checksum, and encodes to the same bytes', () => {
    fc.assert(
      fc.property(datagramArbitrary, addressesArbitrary, (d, addresses) => {
        const bytes = encodeUdpDatagram(d, addresses);
        const decoded = decodeUdpDatagram(bytes, addresses);
        expect(decoded).toEqual({ ...d, length: 8 + d.payload.length, checksum: (bytes[6] << 8) | bytes[7], checksumPresent: true, checksumValid: true });
        expect(decoded.checksum).not.toBe(0);
        expect(encodeUdpDatagram(decoded, addresses)).toEqual(bytes);
      }),
    );
  });

  it('any one flipped bit in the data is caught by the checksum', () => {
    fc.assert(
      fc.property(datagramArbitrary.filter((d) => d.payload.length > 0), addressesArbitrary, fc.nat(), fc.integer({ min: 0, max: 7 }), (d, addresses, at, bit) => {
        const bytes = encodeUdpDatagram(d, addresses);
        bytes[8 + (at % d.payload.length)] ^= 1 << bit;
        expect(decodeUdpDatagram(bytes, addresses).checksumValid).toBe(false);
      }),
    );
  });
});
