// VXLAN on the wire (RFC 7348, src/sim/wire/vxlan.ts): the header's bytes, a frame Linux's vxlan
// driver sent, the checks a receiver makes, the outer source port's hash, and, where tshark is
// installed, Wireshark's own VXLAN dissector reading a frame the simulator put on the underlay.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios';
import { Simulation } from '../../src/sim/engine/simulation';
import { decodeEthernetFrame } from '../../src/sim/wire/ethernet.ts';
import { decodeIpv4Packet, encodeIpv4Packet, IP_PROTOCOL_UDP } from '../../src/sim/wire/ipv4.ts';
import { decodeUdpDatagram, encodeUdpDatagram, ipv4PseudoHeaderSum } from '../../src/sim/wire/udp.ts';
import { decodeVxlanPacket, encodeVxlanPacket, innerFlowHash, udpFlowSourcePort, VXLAN_HEADER_LENGTH, VXLAN_HEADROOM, vxlanVniValid } from '../../src/sim/wire/vxlan.ts';
import { WireError } from '../../src/sim/wire/wire-error.ts';
import { hex, toHex } from './helpers.ts';

/**
 * An ARP request wrapped by Linux 6.18's vxlan driver (`ip link add vxlan0 type vxlan id 42 local
 * 192.168.9.1 dev eth0`, dstport left at the default, the other VTEP in the all-zeros entry),
 * captured on the VTEP's veth eth0. The UDP checksum field holds 0x939f, the folded pseudo-header
 * sum (c0a8 + 0901 + c0a8 + 0902 + 0011 + 003a = 1939e → 939f): the seed of checksum offload
 * (CHECKSUM_PARTIAL), which a veth never completes; a NIC would write the real checksum.
 */
const LINUX_VXLAN_ARP_FRAME = hex(`
  a6 f5 57 95 25 8c d2 11 d0 71 1d f8 08 00   // outer Ethernet: → the other VTEP's eth0, IPv4
  45 00 00 4e d3 d2 00 00                     // IPv4, total length 78, identification 0xd3d2, DF clear
  40 11 13 79                                 // TTL 64, UDP, header checksum
  c0 a8 09 01 c0 a8 09 02                     // 192.168.9.1 → 192.168.9.2
  97 09 21 18                                 // source port 38665 (the flow's hash), destination port 8472
  00 3a 93 9f                                 // length 58 = 8 + 8 + 42, checksum left to offload
  08 00 00 00 00 00 2a 00                     // VXLAN: flags I, reserved, VNI 42, reserved
  ff ff ff ff ff ff 22 b1 1b 13 4d 9d 08 06   // inner Ethernet: broadcast, from vxlan0's MAC, ARP
  00 01 08 00 06 04 00 01                     // ARP request
  22 b1 1b 13 4d 9d 0a 09 00 01               // sender 22:b1:1b:13:4d:9d 10.9.0.1
  00 00 00 00 00 00 0a 09 00 02               // target ? 10.9.0.2
`);
const OUTER = { source: '192.168.9.1', destination: '192.168.9.2' };
const udpOf = (frame: Uint8Array) => frame.subarray(34);
const innerOf = (frame: Uint8Array) => frame.subarray(50);

describe('encodeVxlanPacket / decodeVxlanPacket', () => {
  it('writes the header Linux wrote: 08 00 00 00, the VNI in three bytes, a zero byte, then the inner frame whole (no FCS)', () => {
    const bytes = encodeVxlanPacket({ vni: 42, frame: innerOf(LINUX_VXLAN_ARP_FRAME) });
    expect(toHex(bytes)).toBe(toHex(udpOf(LINUX_VXLAN_ARP_FRAME).subarray(8)));
  });

  it('makes Linux’s whole outer packet from its fields, all but the checksum Linux left to offload', () => {
    const udp = encodeUdpDatagram({ sourcePort: 38665, destinationPort: 8472, payload: encodeVxlanPacket({ vni: 42, frame: innerOf(LINUX_VXLAN_ARP_FRAME) }) }, OUTER);
    const packet = encodeIpv4Packet({ dscp: 0, ecn: 0, identification: 0xd3d2, dontFragment: false, moreFragments: false, fragmentOffset: 0, ttl: 64, protocol: IP_PROTOCOL_UDP, ...OUTER, payload: udp });
    const linux = LINUX_VXLAN_ARP_FRAME.subarray(14);
    expect(toHex(packet.subarray(0, 26))).toBe(toHex(linux.subarray(0, 26)));
    expect(toHex(packet.subarray(28))).toBe(toHex(linux.subarray(28)));
    // Linux's field is the pseudo-header's folded sum, the offload seed; ours is the finished checksum, which verifies.
    expect(ipv4PseudoHeaderSum(OUTER, IP_PROTOCOL_UDP, 58)).toBe(0x939f);
    expect(decodeUdpDatagram(udp, OUTER).checksumValid).toBe(true);
  });

  it('reads Linux’s frame: flags 0x08, VNI 42, nothing reserved set, the 42-byte ARP request inside', () => {
    const decoded = decodeVxlanPacket(udpOf(LINUX_VXLAN_ARP_FRAME).subarray(8));
    expect([decoded.flags, decoded.vni, decoded.reservedBitsSet, vxlanVniValid(decoded), decoded.frame.length]).toEqual([0x08, 42, false, true, 42]);
  });

  it('counts 50 bytes of headroom: outer IPv4 20, UDP 8, VXLAN 8 and the inner Ethernet header 14', () => {
    expect(VXLAN_HEADROOM).toBe(50);
    expect(LINUX_VXLAN_ARP_FRAME.length - 14 - innerOf(LINUX_VXLAN_ARP_FRAME).length + 14).toBe(VXLAN_HEADROOM);
  });

  it('takes every VNI from 0 to 16,777,215 and gives it back; refuses 2^24 and a frame shorter than an Ethernet header', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffff }), (vni) => decodeVxlanPacket(encodeVxlanPacket({ vni, frame: innerOf(LINUX_VXLAN_ARP_FRAME) })).vni === vni));
    expect(() => encodeVxlanPacket({ vni: 0x1000000, frame: innerOf(LINUX_VXLAN_ARP_FRAME) })).toThrow(WireError);
    expect(() => encodeVxlanPacket({ vni: 1, frame: new Uint8Array(13) })).toThrow(/not even an Ethernet header/);
  });

  it('reports what Linux drops: no I flag, reserved bits set; and refuses too few bytes with a WireError', () => {
    const good = encodeVxlanPacket({ vni: 42, frame: innerOf(LINUX_VXLAN_ARP_FRAME) });
    const noFlag = good.slice();
    noFlag[0] = 0;
    expect(vxlanVniValid(decodeVxlanPacket(noFlag))).toBe(false);
    for (const offset of [1, 2, 3, 7]) {
      const reserved = good.slice();
      reserved[offset] = 1;
      expect(decodeVxlanPacket(reserved).reservedBitsSet, `byte ${offset}`).toBe(true);
    }
    const gbp = good.slice();
    gbp[0] = 0x88;
    expect(decodeVxlanPacket(gbp).reservedBitsSet).toBe(true);
    expect(() => decodeVxlanPacket(good.subarray(0, VXLAN_HEADER_LENGTH - 1))).toThrow(WireError);
    expect(() => decodeVxlanPacket(good.subarray(0, VXLAN_HEADER_LENGTH + 13))).toThrow(/inner Ethernet header/);
  });
});

describe('the outer source port (udp_flow_src_port)', () => {
  it('scales a hash into [min, max) as Linux does: ((hash ^ hash << 16) × (max − min)) >> 32, + min', () => {
    expect(udpFlowSourcePort(0, 32768, 60999)).toBe(32768);
    expect(udpFlowSourcePort(0xffffffff, 32768, 60999)).toBe(32768 + Math.floor((0x0000ffff * 28231) / 2 ** 32));
    expect(udpFlowSourcePort(0x0000ffff, 32768, 60999)).toBe(60998);
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (hash) => {
      const port = udpFlowSourcePort(hash, 32768, 60999);
      return port >= 32768 && port < 60999;
    }));
  });

  it('hashes a flow the same both ways (addresses and ports swapped), and depends on the secret', () => {
    const arp = innerOf(LINUX_VXLAN_ARP_FRAME);
    const reply = arp.slice();
    // The ARP reply's addresses: sender 10.9.0.2, target 10.9.0.1.
    reply.set([0x0a, 0x09, 0x00, 0x02], 28);
    reply.set([0x0a, 0x09, 0x00, 0x01], 38);
    reply[21] = 2;
    expect(innerFlowHash(reply, 7)).toBe(innerFlowHash(arp, 7));
    expect(innerFlowHash(arp, 8)).not.toBe(innerFlowHash(arp, 7));
  });
});

const tshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
const noTshark = tshark.error || tshark.status !== 0 ? 'tshark (Wireshark) is not installed here' : null;
if (noTshark) console.warn(`tests/wire/vxlan.test.ts: the tshark dissection test is skipped: ${noTshark}`);

/** A classic pcap file (LINKTYPE_ETHERNET) holding `frames`. */
function pcap(frames: readonly Uint8Array[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  const records = frames.map((frame, i) => {
    const record = Buffer.alloc(16);
    record.writeUInt32LE(i, 0);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    return Buffer.concat([record, Buffer.from(frame)]);
  });
  return Buffer.concat([header, ...records]);
}

describe.skipIf(noTshark !== null)('Wireshark’s VXLAN dissector (tshark) reads what the simulator puts on the underlay', () => {
  it('the first frame vtep1 sends for VM 1’s ping: VXLAN, VNI 42, flags 0x08, the inner broadcast from VM 1’s MAC, a good UDP checksum', () => {
    const sim = new Simulation(scenarios['vlan-vs-vxlan/two-vteps']!);
    sim.run();
    const frames = sim.trace.filter((e) => e.device === 'vtep1' && e.port === 'eth0' && e.kind === 'transmit' && decodeEthernetFrame(e.frame!).etherType === 0x0800).map((e) => e.frame!);
    const first = frames.find((f) => decodeIpv4Packet(decodeEthernetFrame(f).payload).protocol === IP_PROTOCOL_UDP)!;
    const dir = mkdtempSync(join(tmpdir(), 'vxcore-tshark-'));
    try {
      const file = join(dir, 'vxlan.pcap');
      writeFileSync(file, pcap([first, LINUX_VXLAN_ARP_FRAME]));
      // Linux's port is 8472, not IANA's 4789 that Wireshark knows: told with -d.
      const out = execFileSync('tshark', ['-n', '-r', file, '-d', 'udp.port==8472,vxlan', '-o', 'udp.check_checksum:TRUE', '-T', 'fields', '-E', 'separator=|', '-e', 'frame.protocols', '-e', 'vxlan.vni', '-e', 'vxlan.flags', '-e', 'eth.src', '-e', 'eth.dst', '-e', 'udp.checksum.status'], { encoding: 'utf8' });
      const [ours, linux] = out.trim().split('\n').map((line) => line.split('|'));
      expect(ours![0]).toBe('eth:ethertype:ip:udp:vxlan:eth:ethertype:arp');
      expect(ours![1]).toBe('42');
      expect(Number(ours![2])).toBe(0x0800);
      // Outer, then inner addresses.
      expect(ours![3]).toBe('02:00:00:00:01:01,02:00:00:00:0a:01');
      expect(ours![4]).toBe('02:00:00:00:00:f1,ff:ff:ff:ff:ff:ff');
      // 1 = Good: our checksum verifies. Linux's capture holds the offload seed, which does not (0 = Bad).
      expect(ours![5]).toBe('1');
      expect(linux!.slice(0, 3)).toEqual(['eth:ethertype:ip:udp:vxlan:eth:ethertype:arp', '42', ours![2]]);
      expect(linux![5]).toBe('0');
      expect(decodeUdpDatagram(decodeIpv4Packet(decodeEthernetFrame(first).payload).payload, { source: '192.168.1.1', destination: '192.168.2.1' }).checksumValid).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
