// Tests for ARP packets, against hand-written request and reply bytes.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ARP_REPLY,
  ARP_REQUEST,
  arpReplyTo,
  arpRequest,
  decodeArpPacket,
  encodeArpPacket,
  readArpRequestTarget,
  readArpRequestTargetNumber,
  type ArpPacket,
} from '../../src/sim/wire/arp.ts';
import { decodeEthernetFrame, encodeEthernetFrame, ETHERTYPE_ARP, padToMinimum } from '../../src/sim/wire/ethernet.ts';
import { ipv4ToNumber } from '../../src/sim/wire/ipv4-address.ts';
import { BROADCAST_MAC } from '../../src/sim/wire/mac-address.ts';
import { WireError } from '../../src/sim/wire/wire-error.ts';
import { hex, ipv4Arbitrary, macArbitrary, toHex, zeros } from './helpers.ts';

const REQUEST: ArpPacket = {
  operation: ARP_REQUEST,
  senderMac: '02:00:00:00:00:0a',
  senderIp: '10.0.0.1',
  targetMac: '00:00:00:00:00:00',
  targetIp: '10.0.0.2',
};

const REQUEST_BYTES = hex(`
  00 01               // hardware type: 1 = Ethernet
  08 00               // protocol type: 0x0800 = IPv4
  06                  // hardware address length: 6 (MAC)
  04                  // protocol address length: 4 (IPv4)
  00 01               // operation: 1 = request
  02 00 00 00 00 0a   // sender MAC
  0a 00 00 01         // sender IP 10.0.0.1
  00 00 00 00 00 00   // target MAC: unknown, that is the question
  0a 00 00 02         // target IP 10.0.0.2
`);

const REPLY: ArpPacket = {
  operation: ARP_REPLY,
  senderMac: '02:00:00:00:00:0b',
  senderIp: '10.0.0.2',
  targetMac: '02:00:00:00:00:0a',
  targetIp: '10.0.0.1',
};

const REPLY_BYTES = hex(`
  00 01 08 00 06 04   // Ethernet, IPv4, 6, 4
  00 02               // operation: 2 = reply
  02 00 00 00 00 0b   // sender MAC: the answer
  0a 00 00 02         // sender IP 10.0.0.2
  02 00 00 00 00 0a   // target MAC: the asker
  0a 00 00 01         // target IP 10.0.0.1
`);

// The request as it crosses the cable: a broadcast frame padded to 60 bytes.
const REQUEST_FRAME = hex(`
  ff ff ff ff ff ff   // destination: broadcast, every host must see the question
  02 00 00 00 00 0a   // source
  08 06               // EtherType: ARP
  00 01 08 00 06 04   // Ethernet, IPv4, 6, 4
  00 01               // request
  02 00 00 00 00 0a   // sender MAC
  0a 00 00 01         // sender IP
  00 00 00 00 00 00   // target MAC
  0a 00 00 02         // target IP
  ${zeros(18)}        // padding: 14 + 28 = 42 bytes, 18 more make the 60-byte minimum
`);

describe('encodeArpPacket', () => {
  it('writes a request as the 28 bytes of RFC 826', () => {
    expect(toHex(encodeArpPacket(REQUEST))).toBe(toHex(REQUEST_BYTES));
    expect(REQUEST_BYTES.length).toBe(28);
  });

  it('writes a reply', () => {
    expect(toHex(encodeArpPacket(REPLY))).toBe(toHex(REPLY_BYTES));
  });

  it('builds the broadcast frame of an ARP request: 42 bytes from the stack, 60 once a NIC pads it for the cable', () => {
    const frame = encodeEthernetFrame({
      destination: BROADCAST_MAC,
      source: REQUEST.senderMac,
      etherType: ETHERTYPE_ARP,
      payload: encodeArpPacket(REQUEST),
    });
    expect(toHex(frame)).toBe(toHex(REQUEST_FRAME.subarray(0, 42)));
    expect(toHex(padToMinimum(frame))).toBe(toHex(REQUEST_FRAME));
  });

  it('rejects an operation that does not fit in 16 bits and an invalid address', () => {
    expect(() => encodeArpPacket({ ...REQUEST, operation: 70000 })).toThrow(WireError);
    expect(() => encodeArpPacket({ ...REQUEST, senderIp: '10.0.0.256' })).toThrow(WireError);
  });
});

describe('decodeArpPacket', () => {
  it('reads a request and a reply', () => {
    expect(decodeArpPacket(REQUEST_BYTES)).toEqual(REQUEST);
    expect(decodeArpPacket(REPLY_BYTES)).toEqual(REPLY);
  });

  it('ignores the Ethernet padding after the 28 bytes', () => {
    expect(decodeArpPacket(decodeEthernetFrame(REQUEST_FRAME).payload)).toEqual(REQUEST);
  });

  it('reads a packet that does not start at the beginning of its buffer', () => {
    expect(decodeArpPacket(REQUEST_FRAME.subarray(14))).toEqual(REQUEST);
  });

  it('rejects a hardware type other than Ethernet', () => {
    const bad = REQUEST_BYTES.slice();
    bad[1] = 6; // IEEE 802 networks
    expect(() => decodeArpPacket(bad)).toThrow(
      new WireError('ARP hardware type 6 is not supported: only Ethernet (1) is'),
    );
  });

  it('rejects a protocol type other than IPv4', () => {
    const bad = REQUEST_BYTES.slice();
    bad[2] = 0x86;
    bad[3] = 0xdd;
    expect(() => decodeArpPacket(bad)).toThrow('ARP protocol type 0x86dd is not supported: only IPv4 (0x0800) is');
  });

  it('rejects address lengths other than 6 and 4', () => {
    const bad = REQUEST_BYTES.slice();
    bad[4] = 8;
    expect(() => decodeArpPacket(bad)).toThrow(WireError);
    const bad2 = REQUEST_BYTES.slice();
    bad2[5] = 16;
    expect(() => decodeArpPacket(bad2)).toThrow(WireError);
  });

  it('rejects a truncated packet', () => {
    expect(() => decodeArpPacket(REQUEST_BYTES.subarray(0, 27))).toThrow(
      new WireError('ARP packet too short: 27 bytes, an Ethernet/IPv4 ARP packet needs 28'),
    );
    expect(() => decodeArpPacket(REQUEST_BYTES.subarray(0, 3))).toThrow(WireError);
  });
});

describe('readArpRequestTarget', () => {
  it('reads the target of a request in place, at any offset, and agrees with decodeArpPacket', () => {
    expect(readArpRequestTarget(REQUEST_BYTES, 0)).toBe(REQUEST.targetIp);
    expect(readArpRequestTarget(REQUEST_FRAME, 14)).toBe(decodeArpPacket(REQUEST_FRAME.subarray(14)).targetIp);
    fc.assert(
      fc.property(macArbitrary, ipv4Arbitrary, ipv4Arbitrary, (mac, sender, target) => {
        const bytes = encodeArpPacket(arpRequest(mac, sender, target));
        expect(readArpRequestTarget(bytes, 0)).toBe(target);
        // The same address as a number, for a host to compare with its own without making a string.
        expect(readArpRequestTargetNumber(bytes, 0)).toBe(ipv4ToNumber(target));
      }),
    );
  });

  it('says null for what is not a well-formed Ethernet/IPv4 request, for the full decoder to judge', () => {
    expect(readArpRequestTarget(REPLY_BYTES, 0)).toBeNull();
    expect(readArpRequestTarget(REQUEST_BYTES.subarray(0, 27), 0)).toBeNull();
    expect(readArpRequestTargetNumber(REPLY_BYTES, 0)).toBe(-1);
    for (const [at, value] of [[1, 6], [2, 0x86], [4, 8], [5, 16], [7, 3]] as const) {
      const bad = REQUEST_BYTES.slice();
      bad[at] = value;
      expect(readArpRequestTarget(bad, 0), `byte ${at} = ${value}`).toBeNull();
      expect(readArpRequestTargetNumber(bad, 0), `byte ${at} = ${value}`).toBe(-1);
      if (at !== 7) expect(() => decodeArpPacket(bad)).toThrow(WireError);
    }
  });
});

describe('ARP helpers', () => {
  it('build the request a host broadcasts and the reply its neighbour sends', () => {
    const request = arpRequest('02:00:00:00:00:0a', '10.0.0.1', '10.0.0.2');
    expect(request).toEqual(REQUEST);
    expect(arpReplyTo(request, '02:00:00:00:00:0b')).toEqual(REPLY);
  });
});

describe('ARP round trip', () => {
  it('decode(encode(packet)) gives the packet back', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        macArbitrary,
        ipv4Arbitrary,
        macArbitrary,
        ipv4Arbitrary,
        (operation, senderMac, senderIp, targetMac, targetIp) => {
          const packet: ArpPacket = { operation, senderMac, senderIp, targetMac, targetIp };
          const bytes = encodeArpPacket(packet);
          expect(bytes.length).toBe(28);
          expect(decodeArpPacket(bytes)).toEqual(packet);
        },
      ),
    );
  });
});
