#!/usr/bin/env python3
"""Captures the Linux frames of tests/wire/kernel-frames.ts: two UDP datagrams and an ICMP "fragmentation needed".

Run as root where network namespaces work: python3 tests/wire/capture-kernel-frames.py > frames.json.
It builds A (10.9.0.1) - router R - B (10.9.1.2, link MTU 1450) from veth pairs in three namespaces,
sends from UDP sockets in A, records every frame on A's and B's interface with AF_PACKET sockets,
prints them as JSON hex and removes the namespaces. The IPv4 identification is random, so a new
capture differs from the fixtures in that field and the header checksum; everything else repeats.
Not run by the tests: the fixtures keep the bytes of one capture (Linux 6.18, veth).
"""
import ctypes, os, socket, struct, subprocess, sys, time, json

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)
NS = {'A': 'vnwire-A', 'R': 'vnwire-R', 'B': 'vnwire-B'}

def sh(*cmd):
    subprocess.run(cmd, check=True)

def setup():
    for n in NS.values():
        sh('ip', 'netns', 'add', n)
    sh('ip', 'link', 'add', 'a0', 'netns', NS['A'], 'address', '02:00:00:00:00:0a', 'type', 'veth', 'peer', 'r0', 'netns', NS['R'], 'address', '02:00:00:00:00:fe')
    sh('ip', 'link', 'add', 'r1', 'netns', NS['R'], 'address', '02:00:00:00:01:fe', 'mtu', '1450', 'type', 'veth', 'peer', 'b0', 'netns', NS['B'], 'address', '02:00:00:00:01:0b', 'mtu', '1450')
    def ipn(ns, *a): sh('ip', '-n', NS[ns], *a)
    ipn('A', 'addr', 'add', '10.9.0.1/24', 'dev', 'a0'); ipn('A', 'link', 'set', 'a0', 'up'); ipn('A', 'link', 'set', 'lo', 'up')
    ipn('A', 'route', 'add', 'default', 'via', '10.9.0.254')
    ipn('R', 'addr', 'add', '10.9.0.254/24', 'dev', 'r0'); ipn('R', 'addr', 'add', '10.9.1.254/24', 'dev', 'r1')
    ipn('R', 'link', 'set', 'r0', 'up'); ipn('R', 'link', 'set', 'r1', 'up')
    sh('ip', 'netns', 'exec', NS['R'], 'sysctl', '-qw', 'net.ipv4.ip_forward=1')
    ipn('B', 'addr', 'add', '10.9.1.2/24', 'dev', 'b0'); ipn('B', 'link', 'set', 'b0', 'up')
    ipn('B', 'route', 'add', 'default', 'via', '10.9.1.254')

def teardown():
    for n in NS.values():
        subprocess.run(['ip', 'netns', 'del', n], stderr=subprocess.DEVNULL)

def enter(name):
    fd = os.open(f'/run/netns/{name}', os.O_RDONLY)
    assert libc.setns(fd, CLONE_NEWNET) == 0
    os.close(fd)

def in_ns(name, make):
    home = os.open('/proc/self/ns/net', os.O_RDONLY)
    try:
        enter(name)
        return make()
    finally:
        assert libc.setns(home, CLONE_NEWNET) == 0
        os.close(home)

def packet_socket(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.bind((ifname, 3))
    s.setblocking(False)
    return s

def drain(s, seconds):
    out = []
    end = time.time() + seconds
    while time.time() < end:
        try:
            data, addr = s.recvfrom(65535)
            out.append({'pkttype': addr[2], 'hex': data.hex()})
        except BlockingIOError:
            time.sleep(0.01)
    return out

def csum(data):
    if len(data) % 2: data += b'\0'
    s = sum(struct.unpack(f'!{len(data)//2}H', data))
    while s > 0xffff: s = (s & 0xffff) + (s >> 16)
    return s

def main():
    teardown(); setup()
    try:
        capA = in_ns(NS['A'], lambda: packet_socket('a0'))
        capB = in_ns(NS['B'], lambda: packet_socket('b0'))
        # A UDP listener on B port 7 so that no port-unreachable follows.
        lis = in_ns(NS['B'], lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
        lis.bind(('10.9.1.2', 7))
        udp = in_ns(NS['A'], lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
        udp.bind(('10.9.0.1', 40000))
        udp.connect(('10.9.1.2', 7))
        # MSG_MORE: the kernel then computes the checksum itself (CHECKSUM_NONE) instead of leaving it to veth's offload.
        udp.send(b'hel', socket.MSG_MORE); udp.send(b'lo')
        time.sleep(0.3)
        # A payload that makes the checksum compute to 0: the kernel must send 0xffff (CSUM_MANGLED_0).
        pseudo = socket.inet_aton('10.9.0.1') + socket.inet_aton('10.9.1.2') + struct.pack('!BBH', 0, 17, 10)
        header = struct.pack('!HHHH', 40000, 7, 10, 0)
        s = csum(pseudo + header + b'\0\0')
        word = (0xffff - s) & 0xffff  # s + word == 0xffff -> complement 0
        payload = struct.pack('!H', word)
        assert (~csum(pseudo + header + payload)) & 0xffff == 0, 'payload does not zero the checksum'
        udp.send(payload[:1], socket.MSG_MORE); udp.send(payload[1:])
        time.sleep(0.3)
        # Don't fragment, 1472 bytes of data: a 1500-byte packet the router cannot put on its 1450-byte link.
        big = in_ns(NS['A'], lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
        big.setsockopt(socket.IPPROTO_IP, 10, 2)  # IP_MTU_DISCOVER = IP_PMTUDISC_DO
        big.bind(('10.9.0.1', 40001))
        big.connect(('10.9.1.2', 9))
        data = bytes((i & 0xff) for i in range(1472))
        big.send(data[:1], socket.MSG_MORE); big.send(data[1:])
        time.sleep(0.5)
        print(json.dumps({'A': drain(capA, 0.3), 'B': drain(capB, 0.3), 'zeroPayload': payload.hex()}, indent=1))
    finally:
        teardown()

main()
