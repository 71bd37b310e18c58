// The fate of a bridge's local copy, not of the frame: the bridge passing a broadcast up to its own
// host (br_pass_frame_up) and that host's stack ignoring what is not for it. A device that also
// flooded or forwarded the frame is described by that (the status marks, the inspector's way
// through): a VTEP whose br0 floods VM 1's ARP request into vxlan0 did not drop it at br0.

const LOCAL_COPY: ReadonlySet<string> = new Set(['deliver:broadcast', 'deliver:multicast', 'drop:not-for-me', 'drop:arp-request-not-for-me']);

export function isLocalCopy(e: { kind: string; reason: string }): boolean {
  return LOCAL_COPY.has(`${e.kind}:${e.reason}`);
}
