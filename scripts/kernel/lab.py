#!/usr/bin/env python3
"""Sends a scenario's traffic from inside network namespaces and records every frame each host's interface sees.

Used by tests/kernel/*: the namespaces, veths and bridge already exist (scripts/kernel/netns.ts builds
them); this script only talks and listens. It reads one JSON job on stdin and prints one JSON result:

  job    {"hosts": {"A": {"netns": "vnt123-A", "ifname": "eth0"}, ...},
          "actions": [{"kind": "raw", "from": "A", "frame": "<hex>"},
                      {"kind": "frames", "from": "A", "frames": ["<hex>", "<hex>"], "gap": 0.02, "settle": 4.0},
                      {"kind": "ping", "from": "A", "to": "10.0.0.12", "icmp": "<hex>", "timeout": 2.0, "pmtudisc": "want"},
                      {"kind": "udp", "from": "A", "to": "10.0.0.12", "port": 9, "sourcePort": 40000, "payload": "<hex>"},
                      {"kind": "command", "from": "A", "argv": ["bash", "lab.sh", "action", "1"], "env": {"P": "vnt123"}}],
          "settle": 0.1}
  result {"actions": [{"ok": true, "note": "...", "frames": {"A": [{"dir": "out", "pkttype": 4, "t": 0.0004, "hex": "..."}], ...}}]}

The keys of "hosts" are free-form (the router lab uses "R:eth1"); `t` is seconds since the action started.

One process holds a socket in every namespace (setns(2) is per thread, and a socket stays in the
namespace it was created in), so actions run strictly one after another and every frame that arrives
between the start of an action and the end of its settle time is attributed to that action. An
action's "at" (seconds after the first action started) makes it wait until then: the scenario's own
times, where time passing is the point (frames seen while waiting go to the action before).

Raw frames go out through an AF_PACKET socket exactly as given (the simulator's bytes); a "frames"
action sends several, `gap` seconds apart, from one interface. A ping is an
ICMP message sent on a raw IPv4 socket, as iputils ping does when run as root: the kernel writes the
IPv4 header, resolves the neighbour with ARP, and the peer's kernel answers; "pmtudisc" sets the
socket's IP_MTU_DISCOVER as `ping -M want|do|dont` does (default: the kernel's, want), and a send the
kernel refuses (EMSGSIZE) is reported as ping reports it. A "udp" action sends one datagram from
a UDP socket bound to `sourcePort`, in two writes (MSG_MORE) so that the kernel computes the
checksum itself instead of leaving it to the veth's offload.
"""

import ctypes
import errno
import json
import os
import select
import socket
import struct
import subprocess
import sys
import time

CLONE_NEWNET = 0x40000000
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
SOL_PACKET = 263
PACKET_AUXDATA = 8
# struct tpacket_auxdata: tp_status, tp_len, tp_snaplen (u32), tp_mac, tp_net, tp_vlan_tci, tp_vlan_tpid (u16).
AUXDATA = struct.Struct("=IIIHHHH")
TP_STATUS_VLAN_VALID = 1 << 4
TP_STATUS_VLAN_TPID_VALID = 1 << 6
ETH_P_8021Q = 0x8100
# SO_TIMESTAMPNS (= SCM_TIMESTAMPNS; not in Python's socket module): the kernel's receive time, a struct timespec.
SO_TIMESTAMPNS = 35
TIMESPEC = struct.Struct("=qq")
ICMP_ECHO_REPLY = 0
IP_MTU_DISCOVER = 10
IP_MTU = 14
PMTUDISC = {"dont": 0, "want": 1, "do": 2}

_libc = ctypes.CDLL(None, use_errno=True)


def enter_netns(path):
    """Moves this (single-threaded) process into the network namespace at `path`."""
    fd = os.open(path, os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"setns({path}): {os.strerror(err)}")
    finally:
        os.close(fd)


def in_netns(name, make):
    """Calls make() inside namespace `name` (as `ip netns` names it) and comes back to the original one."""
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    try:
        enter_netns(f"/run/netns/{name}")
        return make()
    finally:
        if _libc.setns(home, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns back to the original namespace")
        os.close(home)


def packet_socket(ifname):
    """An AF_PACKET socket that sees every frame in and out of `ifname` (ETH_P_ALL), from the moment it is bound."""
    # Protocol 0 at creation: the socket receives nothing until bind() names both interface and protocol.
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    # The kernel moves an 802.1Q tag out of the frame into metadata (skb_vlan_untag on receive, VLAN
    # offload on a veth's transmit); with PACKET_AUXDATA it says so, and wire_bytes() puts it back.
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    # Frame times come from the kernel (CLOCK_REALTIME when the frame passed the tap), not from when
    # this process got round to reading it: on a loaded machine that can be hundreds of ms later.
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    s.bind((ifname, ETH_P_ALL))
    s.setblocking(False)
    return s


def wire_bytes(data, ancdata):
    """The frame as it is on the wire: with its 802.1Q tag re-inserted after the source MAC, if the kernel had taken it out."""
    for level, kind, payload in ancdata:
        if level != SOL_PACKET or kind != PACKET_AUXDATA or len(payload) < AUXDATA.size:
            continue
        status, _, _, _, _, tci, tpid = AUXDATA.unpack_from(payload)
        if status & TP_STATUS_VLAN_VALID:
            tpid = tpid if status & TP_STATUS_VLAN_TPID_VALID else ETH_P_8021Q
            return data[:12] + struct.pack("!HH", tpid, tci) + data[12:]
    return data


def kernel_time(ancdata):
    """The kernel's timestamp of a captured frame (seconds since the epoch), or now if it gave none."""
    for level, kind, payload in ancdata:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(payload) >= TIMESPEC.size:
            seconds, nanoseconds = TIMESPEC.unpack_from(payload)
            return seconds + nanoseconds / 1e9
    return time.time()


def drain(captures, into, started=None):
    """Reads whatever is queued on the capture sockets, without waiting; `t` is the kernel's time of the frame since `started` (a time.time())."""
    for host, s in captures.items():
        while True:
            try:
                data, ancdata, _, addr = s.recvmsg(65535, socket.CMSG_SPACE(AUXDATA.size) + socket.CMSG_SPACE(TIMESPEC.size))
            except BlockingIOError:
                break
            pkttype = addr[2]
            frame = {"dir": "out" if pkttype == PACKET_OUTGOING else "in", "pkttype": pkttype, "hex": wire_bytes(data, ancdata).hex()}
            if started is not None:
                frame["t"] = round(kernel_time(ancdata) - started, 6)
            into[host].append(frame)


def collect_for(captures, into, seconds, until=None, started=None):
    """Keeps capturing for `seconds`, or until until() returns True when given; returns whether it did."""
    deadline = time.monotonic() + seconds
    while True:
        drain(captures, into, started)
        if until is not None and until():
            return True
        left = deadline - time.monotonic()
        if left <= 0:
            return until is None
        select.select(list(captures.values()), [], [], min(left, 0.01))


def main():
    job = json.load(sys.stdin)
    hosts = job["hosts"]
    settle = float(job.get("settle", 0.1))

    captures = {h: in_netns(spec["netns"], lambda spec=spec: packet_socket(spec["ifname"])) for h, spec in hosts.items()}
    # Anything already queued (nothing should be) belongs to no action.
    before = {h: [] for h in hosts}
    drain(captures, before)

    results = []
    first = None  # when the first action started (time.monotonic())
    last = (before, None)  # the frames of the action before, and its start (time.time())
    for action in job["actions"]:
        # "at": start no sooner than that many seconds after the first action started (the scenario's
        # own times, where time passing is its point: a MAC ageing out between two actions). Frames
        # seen meanwhile belong to the action before, as its settle time's do.
        if first is None:
            first = time.monotonic()
        elif "at" in action:
            wait = first + float(action["at"]) - time.monotonic()
            if wait > 0:
                collect_for(captures, last[0], wait, started=last[1])
        frames = {h: [] for h in hosts}
        last = (frames, time.time())
        sender = hosts[action["from"]]
        started = last[1]
        if action["kind"] in ("raw", "frames"):
            out = in_netns(sender["netns"], lambda: socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0))
            out.bind((sender["ifname"], 0))
            sends = [action["frame"]] if action["kind"] == "raw" else action["frames"]
            for i, frame in enumerate(sends):
                if i > 0:
                    collect_for(captures, frames, float(action.get("gap", 0.02)), started=started)
                out.send(bytes.fromhex(frame))
            out.close()
            collect_for(captures, frames, float(action.get("settle", settle)), started=started)
            results.append({"ok": True, "note": "sent", "frames": frames})
        elif action["kind"] == "ping":
            icmp = bytes.fromhex(action["icmp"])
            ident, seq = struct.unpack("!HH", icmp[4:8])
            pinger = in_netns(sender["netns"], lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP))
            pinger.setblocking(False)
            if "pmtudisc" in action:
                pinger.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, PMTUDISC[action["pmtudisc"]])
            try:
                pinger.sendto(icmp, (action["to"], 0))
            except OSError as error:
                # iputils ping: "local error: message too long, mtu=1400", the MTU from the route (IP_MTU of a connected socket).
                note = f"local error: {os.strerror(error.errno)}"
                if error.errno == errno.EMSGSIZE:
                    pinger.connect((action["to"], 0))
                    note = f"local error: message too long, mtu={pinger.getsockopt(socket.IPPROTO_IP, IP_MTU)}"
                pinger.close()
                collect_for(captures, frames, float(action.get("settle", settle)), started=started)
                results.append({"ok": False, "note": note, "frames": frames})
                continue
            answered = []

            def replied():
                while True:
                    try:
                        packet, (source, _) = pinger.recvfrom(65535)
                    except BlockingIOError:
                        return bool(answered)
                    ihl = (packet[0] & 0x0F) * 4
                    reply = packet[ihl:]
                    if source == action["to"] and len(reply) >= 8 and reply[0] == ICMP_ECHO_REPLY and struct.unpack("!HH", reply[4:8]) == (ident, seq):
                        answered.append(time.time() - started)

            ok = collect_for(captures, frames, float(action.get("timeout", 2.0)), replied, started)
            pinger.close()
            collect_for(captures, frames, float(action.get("settle", settle)), started=started)
            note = f"reply after {answered[0] * 1000:.2f} ms" if ok else "no reply"
            results.append({"ok": ok, "note": note, "frames": frames})
        elif action["kind"] == "udp":
            payload = bytes.fromhex(action["payload"])
            sock = in_netns(sender["netns"], lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
            sock.bind(("0.0.0.0", int(action["sourcePort"])))
            sock.connect((action["to"], int(action["port"])))
            if len(payload) > 1:
                sock.send(payload[:1], socket.MSG_MORE)
                sock.send(payload[1:])
            else:
                sock.send(payload)
            collect_for(captures, frames, float(action.get("settle", settle)), started=started)
            sock.close()
            results.append({"ok": True, "note": "sent", "frames": frames})
        elif action["kind"] == "command":
            # A command run to its end while every interface is captured: the reader's script itself
            # (`bash lab.sh action 2`), so that what it sends is what is compared.
            done = subprocess.run(action["argv"], env={**os.environ, **action.get("env", {})}, capture_output=True, text=True, timeout=30)
            collect_for(captures, frames, float(action.get("settle", settle)), started=started)
            results.append({"ok": done.returncode == 0, "note": (done.stdout + done.stderr).strip(), "frames": frames})
        else:
            raise ValueError(f"unknown action kind {action['kind']!r}")

    for s in captures.values():
        s.close()
    json.dump({"before": before, "actions": results}, sys.stdout)


if __name__ == "__main__":
    main()
