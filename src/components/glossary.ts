// The glossary: one short definition per term, shown by <Term> (./Term.astro) where a chapter first
// uses the term, on hover, keyboard focus or tap. A chapter names a term by its key:
//   <Term id="fdb">forwarding database</Term>
// tests/site/glossary.test.ts checks that every key a chapter uses is defined here.
// Definitions are plain text, one or two sentences, that make sense without the chapter around them.

export interface GlossaryEntry {
  /** The term as a heading would write it. */
  readonly term: string;
  /** One or two plain sentences. */
  readonly definition: string;
}

export const GLOSSARY = {
  arp: {
    term: 'ARP',
    definition:
      'Address Resolution Protocol: a host broadcasts "who has 10.0.0.12?" and the owner of that IPv4 address answers with its MAC address, which the asker keeps in its ARP cache.',
  },
  'mac-learning': {
    term: 'MAC learning',
    definition:
      'A bridge reads the source MAC address of every frame it receives and notes the port it came in on, so that later frames to that address go out of that port alone.',
  },
  fdb: {
    term: 'FDB',
    definition:
      'Forwarding database: a bridge’s MAC table, one entry per learned MAC address with the port it lives behind (and, on a VLAN-aware bridge, its VLAN). Linux shows it with "bridge fdb show".',
  },
  ageing: {
    term: 'Ageing',
    definition:
      'A bridge forgets a learned MAC address when no frame has come from it for the ageing time (300 s by default in Linux); ageing time 0 keeps nothing, so the bridge floods like a hub.',
  },
  flood: {
    term: 'Flooding',
    definition:
      'Sending a copy of a frame out of every port except the one it came in on: what a bridge does with broadcasts and with frames to an address it has not learned.',
  },
  'broadcast-domain': {
    term: 'Broadcast domain',
    definition:
      'Every host that a broadcast frame (to ff:ff:ff:ff:ff:ff) reaches: all the ports of a hub or bridge, or of one VLAN on a VLAN-aware switch. Routers end it.',
  },
  stp: {
    term: 'STP',
    definition:
      'Spanning Tree Protocol: bridges exchange messages and block the ports that would close a loop, so that a flooded frame cannot circle forever.',
  },
  '802.1q-tag': {
    term: '802.1Q tag',
    definition:
      'Four bytes inserted after the source MAC address: the tag protocol identifier 0x8100, then a 3-bit priority, a drop-eligible bit and the 12-bit VLAN ID.',
  },
  ethertype: {
    term: 'EtherType',
    definition:
      'Bytes 12 and 13 of an Ethernet frame: what the payload is, 0x0800 for IPv4, 0x0806 for ARP. In a tagged frame 0x8100 sits there and the real EtherType follows the tag.',
  },
  'access-port': {
    term: 'Access port',
    definition:
      'A switch port in exactly one VLAN: frames on its cable carry no tag, the switch adds the VLAN on the way in and removes it on the way out.',
  },
  trunk: {
    term: 'Trunk port',
    definition:
      'A switch port that carries several VLANs over one cable, each frame tagged with its VLAN ID: between two switches, or a switch and a router.',
  },
  pvid: {
    term: 'PVID',
    definition:
      'Port VLAN ID: the VLAN a switch port puts untagged frames into when they arrive. An access port’s PVID is its VLAN.',
  },
  'on-link': {
    term: 'On-link',
    definition:
      'A destination inside one of the host’s own subnets: the host asks for its MAC address with ARP and sends to it directly, with no router in between.',
  },
  gateway: {
    term: 'Default gateway',
    definition:
      'The router a host sends every packet for another subnet to: the host asks ARP for the gateway’s MAC address, not the destination’s.',
  },
  'sub-interface': {
    term: '802.1Q sub-interface',
    definition:
      'A Linux interface such as eth0.10 stacked on a network card: it sends frames tagged with its VLAN ID and receives the frames of that VLAN, untagged.',
  },
  vtep: {
    term: 'VTEP',
    definition:
      'VXLAN tunnel endpoint: the device that wraps a layer-2 frame in UDP (IANA port 4789; Linux defaults to 8472) with a 24-bit VXLAN network ID to carry it across an IP network, and unwraps it at the other end.',
  },
  vxlan: {
    term: 'VXLAN',
    definition:
      'Virtual eXtensible LAN (RFC 7348): a whole Ethernet frame carried inside UDP over IP between two VTEPs, with a 24-bit network ID that says which virtual LAN it belongs to.',
  },
  vni: {
    term: 'VNI',
    definition:
      'VXLAN network identifier: 24 bits in the VXLAN header naming the virtual LAN a frame belongs to, 0 to 16,777,215, where a VLAN ID has 12 bits.',
  },
  underlay: {
    term: 'underlay',
    definition:
      'The physical IP network that carries the tunnels: the switches and routers between the VTEPs, which see only the VTEPs’ addresses.',
  },
  overlay: {
    term: 'overlay',
    definition:
      'The virtual network built on top of the underlay: the VMs’ own Ethernet segment, whose frames travel inside the tunnels.',
  },
  bum: {
    term: 'BUM traffic',
    definition:
      'Broadcast, unknown unicast and multicast: frames a switch cannot send to one known port, so it floods them; a VTEP sends them to every VTEP on its flood list.',
  },
  'head-end-replication': {
    term: 'head-end replication',
    definition:
      'The sending VTEP makes one unicast copy of a flooded frame per remote VTEP on its flood list (the all-zeros FDB entries), instead of relying on IP multicast in the underlay.',
  },
  'control-plane': {
    term: 'control plane',
    definition:
      'The part of a network that computes and distributes forwarding tables (routing protocols, EVPN, an orchestrator); the data plane only forwards frames by those tables.',
  },
  tor: {
    term: 'top-of-rack switch',
    definition:
      'The switch at the top of a data-center rack that every server in the rack is cabled to; it connects the rack to the spine switches.',
  },
  mtu: {
    term: 'MTU',
    definition:
      'Maximum transmission unit: the largest IP packet an interface sends in one frame, 1500 bytes on Ethernet by default; the Ethernet header comes on top.',
  },
  // Chapter "macvlan vs ipvlan vs bridge".
  namespace: {
    term: 'Network namespace',
    definition:
      'A separate copy of Linux’s network stack inside one machine, with its own interfaces, addresses, routes and neighbour table: what a container’s network is.',
  },
  veth: {
    term: 'veth pair',
    definition:
      'Two virtual network interfaces joined like the ends of a cable: a frame sent into one comes out of the other. One end usually sits in a container, the other on a bridge.',
  },
  macvlan: {
    term: 'macvlan',
    definition:
      'A Linux driver that stacks extra interfaces on one network card, each with a MAC address of its own, so that containers appear on the card’s LAN as separate machines.',
  },
  ipvlan: {
    term: 'ipvlan',
    definition:
      'A Linux driver like macvlan, except that every stacked interface uses the card’s own MAC address; incoming packets are sorted by destination IP address instead.',
  },
  vepa: {
    term: 'VEPA',
    definition:
      'Virtual Ethernet Port Aggregator: every frame between two virtual machines on one card goes out to the switch, which must send it back in (hairpin mode) for it to arrive.',
  },
  hairpin: {
    term: 'Hairpin mode',
    definition:
      'A switch or bridge port setting (reflective relay) that lets a frame leave by the port it came in on, which a bridge otherwise never does.',
  },
  nat: {
    term: 'NAT',
    definition:
      'Network address translation: a router rewrites the addresses of the packets it forwards and keeps a table of the connections, so that the replies can be rewritten back.',
  },
  masquerade: {
    term: 'Masquerade',
    definition:
      'The source NAT Linux applies to packets leaving by an interface: their source becomes that interface’s own address, so that private addresses behind it never appear outside.',
  },
  conntrack: {
    term: 'Connection tracking',
    definition:
      'Linux’s table of the connections passing through a machine (conntrack): for each, the addresses and ports of both directions, which NAT reads to translate replies.',
  },
  'port-security': {
    term: 'Port security',
    definition:
      'A switch feature that limits how many source MAC addresses a port may learn, and drops frames from any further address.',
  },
} as const satisfies Record<string, GlossaryEntry>;

export type GlossaryKey = keyof typeof GLOSSARY;

export function isGlossaryKey(key: string): key is GlossaryKey {
  return Object.hasOwn(GLOSSARY, key);
}
