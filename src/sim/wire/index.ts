// The wire-format layer: real frame bytes in and out, for everything in the simulator that touches a cable.

export * from './wire-error.ts';
export * from './mac-address.ts';
export * from './ipv4-address.ts';
export * from './checksum.ts';
export * from './ethernet.ts';
export * from './arp.ts';
export * from './ipv4.ts';
export * from './icmp.ts';
export * from './udp.ts';
export * from './describe.ts';
export * from './vxlan.ts';
