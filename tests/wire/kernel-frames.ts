// Frames the Linux kernel put on a veth, captured with an AF_PACKET socket (tests/wire/capture-kernel-frames.py):
// the byte fixtures for UDP and ICMP "fragmentation needed". Three namespaces: A (10.9.0.1, MAC 02:..:00:0a)
// – router R (10.9.0.254 on r0, MAC 02:..:00:fe; 10.9.1.254 on r1, MTU 1450) – B (10.9.1.2, MTU 1450).
// Each frame is as captured on A's interface, before any Ethernet padding (veth adds none).

import { hex } from './helpers.ts';

/**
 * A sends "hello" from UDP port 40000 to B's port 7 (the kernel computed the checksum itself).
 * UDP checksum by hand: pseudo-header 0a09 + 0001 + 0a09 + 0102 + 0011 + 000d = 1533;
 * header 9c40 + 0007 + 000d + 0000 = 9c54; data 6865 + 6c6c + 6f00 = 143d1;
 * 1533 + 9c54 + 143d1 = 1f558, folded f559; complement 0aa6.
 */
export const LINUX_UDP_HELLO_FRAME = hex(`
  02 00 00 00 00 fe 02 00 00 00 00 0a     // → R's MAC, from A's
  08 00                                   // EtherType IPv4
  45 00 00 21                             // version 4, IHL 5, DSCP 0, total length 33
  ab 29 40 00                             // identification 0xab29, DF
  40 11 7a 8e                             // TTL 64, protocol 17 = UDP, header checksum
  0a 09 00 01 0a 09 01 02                 // 10.9.0.1 → 10.9.1.2
  9c 40 00 07                             // source port 40000, destination port 7
  00 0d 0a a6                             // length 13 = 8 + 5, checksum 0x0aa6
  68 65 6c 6c 6f                          // "hello"
`);

/**
 * A sends the two bytes 4e 7e from port 40000 to B's port 7: they make the UDP checksum compute to 0,
 * and the kernel sends 0xffff instead (udp_send_skb: `if (uh->check == 0) uh->check = CSUM_MANGLED_0`).
 */
export const LINUX_UDP_MANGLED_ZERO_FRAME = hex(`
  02 00 00 00 00 fe 02 00 00 00 00 0a 08 00   // → R's MAC, from A's, IPv4
  45 00 00 1e ab 2a 40 00                 // total length 30, identification 0xab2a, DF
  40 11 7a 90 0a 09 00 01 0a 09 01 02     // TTL 64, UDP, header checksum, 10.9.0.1 → 10.9.1.2
  9c 40 00 07                             // ports 40000 → 7
  00 0a ff ff                             // length 10, checksum 0xffff (computed 0)
  4e 7e                                   // data
`);

/**
 * A sends 1,472 bytes (0x00, 0x01, … wrapping) from port 40001 to B's port 9 with DF set: a 1,500-byte
 * packet that R cannot put on its 1,450-byte link to B. R answers with ICMP destination unreachable,
 * code 4, next-hop MTU 1450 (ip_forward → icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu))),
 * quoting the first 548 bytes of the packet so that the error fits in 576. The quote still says TTL 64:
 * ip_forward checks the MTU before it decrements the TTL.
 */
export const LINUX_FRAG_NEEDED_FRAME = hex(`
  02 00 00 00 00 0a 02 00 00 00 00 fe     // → A's MAC, from R's
  08 00                                   // EtherType IPv4
  45 c0 02 40                             // version 4, IHL 5, TOS 0xc0 (DSCP 48, "internetwork control"), total length 576
  6b 6e 00 00                             // identification 0x6b6e, no flags
  40 01 f7 7e                             // TTL 64, protocol 1 = ICMP, header checksum
  0a 09 00 fe 0a 09 00 01                 // 10.9.0.254 → 10.9.0.1
  03 04 0b 13                             // type 3 destination unreachable, code 4 fragmentation needed, checksum
  00 00 05 aa                             // unused, next-hop MTU 0x05aa = 1450
  45 00 05 dc                             // quoted packet: version 4, IHL 5, total length 1500
  43 1a 40 00                             // identification 0x431a, DF
  40 11 dc e2                             // TTL 64 (not yet decremented), UDP, header checksum
  0a 09 00 01 0a 09 01 02                 // 10.9.0.1 → 10.9.1.2
  9c 41 00 09                             // ports 40001 → 9
  05 c8 bd 9c                             // UDP length 1480, checksum 0xbd9c
                                          // the first 520 bytes of the data:
  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
  10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f
  20 21 22 23 24 25 26 27 28 29 2a 2b 2c 2d 2e 2f
  30 31 32 33 34 35 36 37 38 39 3a 3b 3c 3d 3e 3f
  40 41 42 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f
  50 51 52 53 54 55 56 57 58 59 5a 5b 5c 5d 5e 5f
  60 61 62 63 64 65 66 67 68 69 6a 6b 6c 6d 6e 6f
  70 71 72 73 74 75 76 77 78 79 7a 7b 7c 7d 7e 7f
  80 81 82 83 84 85 86 87 88 89 8a 8b 8c 8d 8e 8f
  90 91 92 93 94 95 96 97 98 99 9a 9b 9c 9d 9e 9f
  a0 a1 a2 a3 a4 a5 a6 a7 a8 a9 aa ab ac ad ae af
  b0 b1 b2 b3 b4 b5 b6 b7 b8 b9 ba bb bc bd be bf
  c0 c1 c2 c3 c4 c5 c6 c7 c8 c9 ca cb cc cd ce cf
  d0 d1 d2 d3 d4 d5 d6 d7 d8 d9 da db dc dd de df
  e0 e1 e2 e3 e4 e5 e6 e7 e8 e9 ea eb ec ed ee ef
  f0 f1 f2 f3 f4 f5 f6 f7 f8 f9 fa fb fc fd fe ff
  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
  10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f
  20 21 22 23 24 25 26 27 28 29 2a 2b 2c 2d 2e 2f
  30 31 32 33 34 35 36 37 38 39 3a 3b 3c 3d 3e 3f
  40 41 42 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f
  50 51 52 53 54 55 56 57 58 59 5a 5b 5c 5d 5e 5f
  60 61 62 63 64 65 66 67 68 69 6a 6b 6c 6d 6e 6f
  70 71 72 73 74 75 76 77 78 79 7a 7b 7c 7d 7e 7f
  80 81 82 83 84 85 86 87 88 89 8a 8b 8c 8d 8e 8f
  90 91 92 93 94 95 96 97 98 99 9a 9b 9c 9d 9e 9f
  a0 a1 a2 a3 a4 a5 a6 a7 a8 a9 aa ab ac ad ae af
  b0 b1 b2 b3 b4 b5 b6 b7 b8 b9 ba bb bc bd be bf
  c0 c1 c2 c3 c4 c5 c6 c7 c8 c9 ca cb cc cd ce cf
  d0 d1 d2 d3 d4 d5 d6 d7 d8 d9 da db dc dd de df
  e0 e1 e2 e3 e4 e5 e6 e7 e8 e9 ea eb ec ed ee ef
  f0 f1 f2 f3 f4 f5 f6 f7 f8 f9 fa fb fc fd fe ff
  00 01 02 03 04 05 06 07
`);
