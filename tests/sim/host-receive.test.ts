// The host's receive path on frames no scenario produces (bad checksums, truncated packets, stray
// replies), driven directly with a recording context.
import { describe, expect, it } from 'vitest';
import type { DeviceContext, EmittedEvent } from '../../src/sim/devices/context';
import { createHost, hostReceive, type HostTimer } from '../../src/sim/devices/host';
import { ARP_REPLY, encodeArpPacket } from '../../src/sim/wire/arp';
import { encodeEthernetFrame, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from '../../src/sim/wire/ethernet';
import { echoReply, encodeIcmpMessage } from '../../src/sim/wire/icmp';
import { encodeIpv4Packet, IP_PROTOCOL_ICMP } from '../../src/sim/wire/ipv4';

const ME = '02:00:00:00:00:01';
const PEER = '02:00:00:00:00:02';

function receive(frame: Uint8Array): EmittedEvent[] {
  const events: EmittedEvent[] = [];
  const sent: Uint8Array[] = [];
  const ctx: DeviceContext<HostTimer> = {
    now: 0,
    actionId: undefined,
    origin: undefined,
    // The events are the point of these tests: they are recorded.
    tracing: true,
    name: (id) => id,
    // A copy: a device may reuse its event object (DeviceContext.emit).
    emit: (e) => void events.push({ ...e }),
    isConnected: () => true,
    linkedPorts: (ports) => ports,
    send: (_port, bytes) => void sent.push(bytes),
    relay: () => undefined,
    relayAll: () => undefined,
    sendRouted: (_port, bytes) => void sent.push(bytes),
    copy: (_port, bytes) => void sent.push(bytes),
    setTimer: () => {},
    cancelTimers: () => {},
    finishAction: () => {},
  };
  let n = 0;
  const host = createHost({ id: 'H', kind: 'host', nics: [{ port: 'eth0', mac: ME, ip: '10.0.0.1/24' }] }, () => ++n);
  hostReceive(ctx, host, 'eth0', frame);
  expect(sent).toEqual([]);
  return events;
}

function ipv4Frame(payload: Uint8Array): Uint8Array {
  const packet = encodeIpv4Packet({ dscp: 0, ecn: 0, identification: 1, dontFragment: false, moreFragments: false, fragmentOffset: 0, ttl: 64, protocol: IP_PROTOCOL_ICMP, source: '10.0.0.2', destination: '10.0.0.1', payload });
  return encodeEthernetFrame({ destination: ME, source: PEER, etherType: ETHERTYPE_IPV4, payload: packet });
}

describe('host receive path', () => {
  it('drops a packet whose IPv4 header checksum is wrong', () => {
    const frame = ipv4Frame(encodeIcmpMessage(echoReply(1, 1, new Uint8Array(8))));
    frame[14 + 10] ^= 0xff;
    expect(receive(frame).map((e) => e.reason)).toEqual(['bad-checksum']);
  });

  it('drops an ICMP message whose checksum is wrong', () => {
    const icmp = encodeIcmpMessage(echoReply(1, 1, new Uint8Array(8)));
    icmp[2] ^= 0xff;
    expect(receive(ipv4Frame(icmp)).map((e) => e.reason)).toEqual(['bad-checksum']);
  });

  it('drops an echo reply that no ping of its own is waiting for', () => {
    expect(receive(ipv4Frame(encodeIcmpMessage(echoReply(7, 7, new Uint8Array(8))))).map((e) => e.reason)).toEqual(['echo-reply-unknown']);
  });

  it('drops an ARP reply it never asked for (arp_accept=0)', () => {
    const arp = encodeArpPacket({ operation: ARP_REPLY, senderMac: PEER, senderIp: '10.0.0.2', targetMac: ME, targetIp: '10.0.0.1' });
    expect(receive(encodeEthernetFrame({ destination: ME, source: PEER, etherType: ETHERTYPE_ARP, payload: arp })).map((e) => e.reason)).toEqual(['arp-unsolicited']);
  });

  it('drops a truncated frame as malformed, saying what is wrong', () => {
    const frame = encodeEthernetFrame({ destination: ME, source: PEER, etherType: ETHERTYPE_ARP, payload: new Uint8Array(0) }).slice(0, 20);
    const events = receive(frame);
    expect(events.map((e) => e.reason)).toEqual(['malformed']);
    expect(events[0]!.text).toMatch(/malformed frame: .+/);
  });
});
