// Tests for describeFrame and hexDump, the learner-facing view of a frame, through the wire index.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  describeFrame,
  echoRequest,
  encodeUdpDatagram,
  encodeEthernetFrame,
  padToMinimum,
  encodeIcmpMessage,
  encodeIpv4Packet,
  ETHERTYPE_IPV4,
  ETHERTYPE_LOCAL_EXPERIMENTAL,
  hexDump,
  IP_PROTOCOL_ICMP,
  IP_PROTOCOL_TCP,
  IP_PROTOCOL_UDP,
  pushVlanTag,
  timeExceeded,
  type FrameDescription,
  type Ipv4Packet,
} from '../../src/sim/wire/index.ts';
import { hex, zeros } from './helpers.ts';
import { LINUX_FRAG_NEEDED_FRAME, LINUX_UDP_HELLO_FRAME, LINUX_UDP_MANGLED_ZERO_FRAME } from './kernel-frames.ts';

const ARP_REQUEST_FRAME = hex(`
  ff ff ff ff ff ff 02 00 00 00 00 0a 08 06   // broadcast ← 02:..:0a, ARP
  00 01 08 00 06 04 00 01                     // Ethernet/IPv4 request
  02 00 00 00 00 0a 0a 00 00 01               // sender 10.0.0.1
  00 00 00 00 00 00 0a 00 00 02               // target 10.0.0.2
  ${zeros(18)}                                // padding
`);

const ARP_REPLY_FRAME = hex(`
  02 00 00 00 00 0a 02 00 00 00 00 0b 08 06   // 02:..:0a ← 02:..:0b, ARP
  00 01 08 00 06 04 00 02                     // Ethernet/IPv4 reply
  02 00 00 00 00 0b 0a 00 00 02               // sender: 10.0.0.2 is at 02:..:0b
  02 00 00 00 00 0a 0a 00 00 01               // target: the asker
  ${zeros(18)}                                // padding
`);

const ECHO_REQUEST_FRAME = hex(`
  02 00 00 00 00 0b 02 00 00 00 00 0a 08 00   // 02:..:0b ← 02:..:0a, IPv4
  45 00 00 20 00 01 40 00 40 01 26 da         // 32 bytes, id 1, DF, TTL 64, ICMP, checksum
  0a 00 00 01 0a 00 00 02                     // 10.0.0.1 → 10.0.0.2
  08 00 19 2d 00 01 00 01 70 69 6e 67         // echo request id 1 seq 1 "ping"
  ${zeros(14)}                                // padding
`);

// IPv4 checksum: 4500 + 0020 + 0007 + 0000 + 4001 + 0a00 + 0002 + 0a00 + 0001 = 992b; ~992b = 66d4
const ECHO_REPLY_FRAME = hex(`
  02 00 00 00 00 0a 02 00 00 00 00 0b 08 00   // 02:..:0a ← 02:..:0b, IPv4
  45 00 00 20 00 07 00 00 40 01 66 d4         // 32 bytes, id 7, no flags, TTL 64, ICMP, checksum
  0a 00 00 02 0a 00 00 01                     // 10.0.0.2 → 10.0.0.1
  00 00 21 2d 00 01 00 01 70 69 6e 67         // echo reply id 1 seq 1 "ping"
  ${zeros(14)}                                // padding
`);

const RAW_FRAME = hex(`
  ff ff ff ff ff ff 02 00 00 00 00 0a 88 b5   // broadcast ← 02:..:0a, local experimental
  68 65 6c 6c 6f                              // "hello"
  ${zeros(41)}                                // padding
`);

function ipv4(fields: Partial<Ipv4Packet>): Uint8Array {
  return encodeIpv4Packet({
    dscp: 0,
    ecn: 0,
    identification: 0,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 64,
    protocol: IP_PROTOCOL_ICMP,
    source: '10.0.0.1',
    destination: '10.0.0.2',
    payload: new Uint8Array(0),
    ...fields,
  });
}

function ipv4Frame(packet: Uint8Array): Uint8Array {
  return encodeEthernetFrame({
    destination: '02:00:00:00:00:0b',
    source: '02:00:00:00:00:0a',
    etherType: ETHERTYPE_IPV4,
    payload: packet,
  });
}

function fieldOf(description: FrameDescription, layer: string, name: string) {
  const found = description.layers.find((l) => l.name === layer)?.fields.find((f) => f.name === name);
  if (found === undefined) throw new Error(`no field ${layer}/${name}`);
  return found;
}

describe('describeFrame summaries', () => {
  it('reads an ARP request as who-has, broadcast', () => {
    const d = describeFrame(ARP_REQUEST_FRAME);
    expect(d.summary).toBe('ARP who-has 10.0.0.2? tell 10.0.0.1');
    expect(d.protocol).toBe('arp-request');
    expect(d.frameClass).toBe('broadcast');
    expect(d.isReply).toBe(false);
    expect(d.destination).toBe('ff:ff:ff:ff:ff:ff');
    expect(d.source).toBe('02:00:00:00:00:0a');
    expect(d.length).toBe(60);
    expect(d.vlan).toBeUndefined();
  });

  it('reads an ARP reply as is-at, unicast, a reply', () => {
    const d = describeFrame(ARP_REPLY_FRAME);
    expect(d.summary).toBe('ARP 10.0.0.2 is-at 02:00:00:00:00:0b');
    expect(d.protocol).toBe('arp-reply');
    expect(d.frameClass).toBe('unicast');
    expect(d.isReply).toBe(true);
  });

  it('reads an ICMP echo request with its addresses, id, sequence and TTL', () => {
    const d = describeFrame(ECHO_REQUEST_FRAME);
    expect(d.summary).toBe('ICMP echo request 10.0.0.1 → 10.0.0.2 (id 1, seq 1, TTL 64)');
    expect(d.protocol).toBe('icmp-echo-request');
    expect(d.isReply).toBe(false);
  });

  it('reads an ICMP echo reply as a reply', () => {
    const d = describeFrame(ECHO_REPLY_FRAME);
    expect(d.summary).toBe('ICMP echo reply 10.0.0.2 → 10.0.0.1 (id 1, seq 1, TTL 64)');
    expect(d.protocol).toBe('icmp-echo-reply');
    expect(d.isReply).toBe(true);
  });

  it('reads a frame of an unknown EtherType as raw', () => {
    const d = describeFrame(RAW_FRAME);
    expect(d.summary).toBe('frame 02:00:00:00:00:0a → ff:ff:ff:ff:ff:ff, EtherType 0x88b5');
    expect(d.protocol).toBe('raw');
    expect(d.layers.map((l) => l.name)).toEqual(['Ethernet', 'Data']);
    expect(fieldOf(d, 'Data', 'Payload')).toEqual({
      name: 'Payload',
      value: '46 bytes: "hello"',
      offset: 14,
      length: 46,
    });
  });

  it('marks a gratuitous ARP request', () => {
    const gratuitous = ARP_REQUEST_FRAME.slice();
    gratuitous.set([10, 0, 0, 1], 38);
    expect(describeFrame(gratuitous).summary).toBe('ARP who-has 10.0.0.1? tell 10.0.0.1 (gratuitous announcement)');
  });

  it('reads an ICMP time exceeded as an error naming the original destination', () => {
    const expired = ipv4({
      ttl: 1,
      destination: '10.0.1.9',
      payload: encodeIcmpMessage(echoRequest(1, 1, new Uint8Array(8))),
    });
    const frame = ipv4Frame(
      ipv4({ source: '10.0.0.254', destination: '10.0.0.1', payload: encodeIcmpMessage(timeExceeded(expired)) }),
    );
    const d = describeFrame(frame);
    expect(d.protocol).toBe('icmp-error');
    expect(d.summary).toBe(
      'ICMP time exceeded 10.0.0.254 → 10.0.0.1 (TTL exceeded in transit; original packet to 10.0.1.9)',
    );
  });

  it('reads other IPv4 traffic as ipv4 with its protocol', () => {
    const d = describeFrame(ipv4Frame(ipv4({ protocol: IP_PROTOCOL_TCP, ttl: 3, payload: new Uint8Array(20) })));
    expect(d.protocol).toBe('ipv4');
    expect(d.summary).toBe('IPv4 10.0.0.1 → 10.0.0.2, protocol 6 (TCP), TTL 3');
  });

  it('reads a UDP datagram Linux sent with its ports, size and TTL', () => {
    const d = describeFrame(LINUX_UDP_HELLO_FRAME);
    expect(d.protocol).toBe('udp');
    expect(d.isReply).toBe(false);
    expect(d.summary).toBe('UDP 10.9.0.1:40000 → 10.9.1.2:7 (5 bytes, TTL 64)');
  });

  it('flags a bad UDP checksum in the summary and the field', () => {
    const damaged = LINUX_UDP_HELLO_FRAME.slice();
    damaged[42] = 0x48; // "hello" → "Hello": the data word 6865 becomes 4865, the sum 2000 lower
    const d = describeFrame(damaged);
    expect(d.summary).toBe('UDP 10.9.0.1:40000 → 10.9.1.2:7 (5 bytes, TTL 64) [bad UDP checksum]');
    expect(fieldOf(d, 'UDP', 'Checksum').value).toBe('0x0aa6 (wrong, should be 0x2aa6)');
  });

  it('reads an ICMP fragmentation needed with the next-hop MTU and the original destination', () => {
    const d = describeFrame(LINUX_FRAG_NEEDED_FRAME);
    expect(d.protocol).toBe('icmp-error');
    expect(d.summary).toBe(
      'ICMP destination unreachable 10.9.0.254 → 10.9.0.1 (fragmentation needed, next-hop MTU 1450; original packet to 10.9.1.2)',
    );
  });

  it('does not decode ICMP inside a fragment', () => {
    const d = describeFrame(ipv4Frame(ipv4({ identification: 5, moreFragments: true, payload: new Uint8Array(16) })));
    expect(d.protocol).toBe('ipv4');
    expect(d.summary).toBe(
      'IPv4 fragment 10.0.0.1 → 10.0.0.2 (id 5, offset 0 bytes, more follow), protocol 1 (ICMP), TTL 64',
    );
  });

  it('flags a bad checksum in the summary and the field', () => {
    const damaged = ECHO_REQUEST_FRAME.slice();
    damaged[25] = 0xdb; // IPv4 checksum 26da → 26db
    const d = describeFrame(damaged);
    expect(d.summary).toBe('ICMP echo request 10.0.0.1 → 10.0.0.2 (id 1, seq 1, TTL 64) [bad IPv4 checksum]');
    expect(fieldOf(d, 'IPv4', 'Header checksum').value).toBe('0x26db (wrong, should be 0x26da)');
    expect(fieldOf(describeFrame(ECHO_REQUEST_FRAME), 'IPv4', 'Header checksum').value).toBe('0x26da (correct)');
  });

  it('classifies a multicast destination', () => {
    const lldp = RAW_FRAME.slice();
    lldp.set([0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e], 0);
    expect(describeFrame(lldp).frameClass).toBe('multicast');
  });
});

describe('describeFrame layers', () => {
  it('locate every ARP field in the frame, and the padding', () => {
    const d = describeFrame(ARP_REQUEST_FRAME);
    expect(d.layers.map((l) => l.name)).toEqual(['Ethernet', 'ARP']);
    expect(fieldOf(d, 'Ethernet', 'EtherType')).toEqual({
      name: 'EtherType',
      value: '0x0806 (ARP)',
      offset: 12,
      length: 2,
    });
    expect(fieldOf(d, 'ARP', 'Operation')).toMatchObject({ value: '1 (request)', offset: 20, length: 2 });
    expect(fieldOf(d, 'ARP', 'Target IP')).toEqual({ name: 'Target IP', value: '10.0.0.2', offset: 38, length: 4 });
    expect(fieldOf(d, 'Ethernet', 'Padding')).toMatchObject({ offset: 42, length: 18 });
  });

  it('locate IPv4 and ICMP fields in the frame', () => {
    const d = describeFrame(ECHO_REQUEST_FRAME);
    expect(d.layers.map((l) => l.name)).toEqual(['Ethernet', 'IPv4', 'ICMP']);
    expect(fieldOf(d, 'IPv4', 'TTL')).toEqual({ name: 'TTL', value: '64', offset: 22, length: 1 });
    expect(fieldOf(d, 'IPv4', 'Destination IP')).toMatchObject({ value: '10.0.0.2', offset: 30, length: 4 });
    expect(fieldOf(d, 'ICMP', 'Checksum')).toMatchObject({ value: '0x192d (correct)', offset: 36, length: 2 });
    expect(fieldOf(d, 'ICMP', 'Sequence number')).toMatchObject({ value: '1', offset: 40, length: 2 });
    expect(fieldOf(d, 'Ethernet', 'Padding')).toMatchObject({ offset: 46, length: 14 });
  });

  it('locate UDP fields and the data after them', () => {
    const d = describeFrame(LINUX_UDP_HELLO_FRAME);
    expect(d.layers.map((l) => l.name)).toEqual(['Ethernet', 'IPv4', 'UDP', 'Data']);
    expect(fieldOf(d, 'IPv4', 'Protocol').value).toBe('17 (UDP)');
    expect(fieldOf(d, 'UDP', 'Source port')).toEqual({ name: 'Source port', value: '40000', offset: 34, length: 2 });
    expect(fieldOf(d, 'UDP', 'Destination port')).toMatchObject({ value: '7', offset: 36, length: 2 });
    expect(fieldOf(d, 'UDP', 'Length')).toMatchObject({ value: '13 bytes', offset: 38, length: 2 });
    expect(fieldOf(d, 'UDP', 'Checksum')).toMatchObject({ value: '0x0aa6 (correct)', offset: 40, length: 2 });
    expect(fieldOf(d, 'Data', 'Payload')).toMatchObject({ value: '5 bytes: "hello"', offset: 42, length: 5 });
  });

  it('read a UDP checksum of 0xffff as correct (it computed to 0) and of 0 as none', () => {
    expect(fieldOf(describeFrame(LINUX_UDP_MANGLED_ZERO_FRAME), 'UDP', 'Checksum').value).toBe('0xffff (correct)');
    const unchecked = LINUX_UDP_HELLO_FRAME.slice();
    unchecked.set([0, 0], 40);
    const d = describeFrame(unchecked);
    expect(fieldOf(d, 'UDP', 'Checksum').value).toBe('0x0000 (none: the sender left it out)');
    expect(d.summary).toBe('UDP 10.9.0.1:40000 → 10.9.1.2:7 (5 bytes, TTL 64)');
  });

  it('name the VXLAN port', () => {
    const addresses = { source: '10.0.0.1', destination: '10.0.0.2' };
    const d = describeFrame(ipv4Frame(ipv4({ protocol: IP_PROTOCOL_UDP, payload: encodeUdpDatagram({ sourcePort: 49152, destinationPort: 4789, payload: new Uint8Array(0) }, addresses) })));
    expect(fieldOf(d, 'UDP', 'Destination port').value).toBe('4789 (VXLAN)');
    expect(d.layers.map((l) => l.name)).toEqual(['Ethernet', 'IPv4', 'UDP']);
    expect(d.summary).toBe('UDP 10.0.0.1:49152 → 10.0.0.2:4789 (0 bytes, TTL 64)');
  });

  it('locate the next-hop MTU of a fragmentation needed in the ICMP header', () => {
    const d = describeFrame(LINUX_FRAG_NEEDED_FRAME);
    expect(fieldOf(d, 'ICMP', 'Code')).toMatchObject({ value: '4', offset: 35 });
    expect(fieldOf(d, 'ICMP', 'Unused')).toMatchObject({ value: '0x0000', offset: 38, length: 2 });
    expect(fieldOf(d, 'ICMP', 'Next-hop MTU')).toEqual({ name: 'Next-hop MTU', value: '1450 bytes', offset: 40, length: 2 });
    expect(fieldOf(d, 'ICMP', 'Quoted original packet')).toMatchObject({ value: '548 bytes', offset: 42, length: 548 });
  });

  it('show the VLAN tag and shift the fields after it by 4 bytes', () => {
    const d = describeFrame(pushVlanTag(ARP_REQUEST_FRAME, { pcp: 5, dei: false, vid: 10 }));
    expect(d.vlan).toEqual({ pcp: 5, dei: false, vid: 10 });
    expect(d.summary).toBe('[802.1Q VLAN 10] ARP who-has 10.0.0.2? tell 10.0.0.1');
    expect(d.length).toBe(64);
    expect(fieldOf(d, 'Ethernet', 'VLAN ID')).toMatchObject({ value: '10', offset: 14, length: 2 });
    expect(fieldOf(d, 'Ethernet', 'EtherType')).toMatchObject({ offset: 16 });
    expect(fieldOf(d, 'ARP', 'Target IP')).toMatchObject({ offset: 42 });
  });

  it('stay inside the frame for every field', () => {
    for (const frame of [ARP_REQUEST_FRAME, ARP_REPLY_FRAME, ECHO_REQUEST_FRAME, ECHO_REPLY_FRAME, RAW_FRAME, LINUX_UDP_HELLO_FRAME, LINUX_FRAG_NEEDED_FRAME]) {
      for (const layer of describeFrame(frame).layers) {
        for (const f of layer.fields) {
          expect(f.offset).toBeGreaterThanOrEqual(0);
          expect(f.offset + f.length).toBeLessThanOrEqual(frame.length);
        }
      }
    }
  });
});

describe('describeFrame on malformed frames', () => {
  it('turns a runt frame into a malformed layer instead of throwing', () => {
    const d = describeFrame(ARP_REQUEST_FRAME.subarray(0, 12));
    expect(d.summary).toBe('malformed frame: frame too short: 12 bytes, an Ethernet header needs 14');
    expect(d.protocol).toBe('raw');
    expect(d.destination).toBe('ff:ff:ff:ff:ff:ff');
    expect(d.source).toBe('02:00:00:00:00:0a');
    expect(d.layers).toEqual([
      {
        name: 'malformed',
        fields: [
          { name: 'error', value: 'frame too short: 12 bytes, an Ethernet header needs 14', offset: 0, length: 12 },
        ],
      },
    ]);
  });

  it('keeps the Ethernet layer when the ARP inside is bad', () => {
    const bad = ARP_REQUEST_FRAME.slice();
    bad[15] = 6; // hardware type 6
    const d = describeFrame(bad);
    expect(d.layers.map((l) => l.name)).toEqual(['Ethernet', 'malformed']);
    expect(d.layers[1].fields[0]).toEqual({
      name: 'error',
      value: 'ARP hardware type 6 is not supported: only Ethernet (1) is',
      offset: 14,
      length: 46,
    });
    expect(d.summary).toBe(
      'malformed ARP packet from 02:00:00:00:00:0a: ARP hardware type 6 is not supported: only Ethernet (1) is',
    );
  });

  it('keeps the IPv4 layer when the UDP inside is too short', () => {
    const d = describeFrame(ipv4Frame(ipv4({ protocol: IP_PROTOCOL_UDP, payload: new Uint8Array(4) })));
    expect(d.layers.map((l) => l.name)).toEqual(['Ethernet', 'IPv4', 'malformed']);
    expect(d.protocol).toBe('ipv4');
    expect(d.summary).toBe('IPv4 10.0.0.1 → 10.0.0.2, malformed UDP: UDP datagram too short: 4 bytes, a UDP header needs 8');
  });

  it('keeps the IPv4 layer when the ICMP inside is too short', () => {
    const d = describeFrame(ipv4Frame(ipv4({ payload: new Uint8Array(4) })));
    expect(d.layers.map((l) => l.name)).toEqual(['Ethernet', 'IPv4', 'malformed']);
    expect(d.protocol).toBe('ipv4');
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        expect(typeof describeFrame(bytes).summary).toBe('string');
      }),
    );
  });

  it('never throws on damaged copies of real frames', () => {
    const frames = [
      ARP_REQUEST_FRAME,
      ECHO_REQUEST_FRAME,
      pushVlanTag(ECHO_REPLY_FRAME, { pcp: 0, dei: false, vid: 1 }),
      LINUX_UDP_HELLO_FRAME,
      LINUX_FRAG_NEEDED_FRAME,
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...frames),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.nat({ max: 70 }),
        (frame, changes, cut) => {
          const damaged = frame.slice(0, Math.min(frame.length, cut));
          for (const [index, value] of changes) if (damaged.length > 0) damaged[index % damaged.length] = value;
          const d = describeFrame(damaged);
          expect(d.length).toBe(damaged.length);
        },
      ),
    );
  });
});

describe('hexDump', () => {
  it('prints 16 bytes per line with an offset column', () => {
    expect(hexDump(ARP_REQUEST_FRAME)).toBe(
      [
        '0000  ff ff ff ff ff ff 02 00  00 00 00 0a 08 06 00 01',
        '0010  08 00 06 04 00 01 02 00  00 00 00 0a 0a 00 00 01',
        '0020  00 00 00 00 00 00 0a 00  00 02 00 00 00 00 00 00',
        '0030  00 00 00 00 00 00 00 00  00 00 00 00',
      ].join('\n'),
    );
  });

  it('prints a short line and nothing for no bytes', () => {
    expect(hexDump(hex('01 02 03'))).toBe('0000  01 02 03');
    expect(hexDump(new Uint8Array(0))).toBe('');
  });

  it('widens the offset column for long packets', () => {
    const lines = hexDump(new Uint8Array(0x10010)).split('\n');
    expect(lines.at(-1)).toBe('10000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00');
    expect(lines[0].startsWith('00000  ')).toBe(true);
  });

  it('can show a frame built from the raw EtherType constant (as a cable carries it, padded)', () => {
    const frame = encodeEthernetFrame({
      destination: 'ff:ff:ff:ff:ff:ff',
      source: '02:00:00:00:00:0a',
      etherType: ETHERTYPE_LOCAL_EXPERIMENTAL,
      payload: new TextEncoder().encode('hello'),
    });
    expect(frame).toEqual(RAW_FRAME.subarray(0, 19));
    expect(padToMinimum(frame)).toEqual(RAW_FRAME);
  });
});
