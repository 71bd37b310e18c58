// The sentences of a bridge's frequent decisions (VLAN, learn, refresh, flood, forward, pass up), written
// from the event and its args only when a reader reads them: a bridge in a big fabric makes these
// for every frame, and a headless run reads none.

import type { Namer, Narrators } from '../../narrate';
import { formatPortList, type BridgeFrameArgs, type BridgeLearnArgs, type TraceEvent } from '../../trace';
import { readDestinationMac } from '../../wire/ethernet';

/** The bridge as the trace names it (bridgeName): a box by its name, a bridge net device as "<namespace>'s br0". */
function me(e: TraceEvent, args: { bridge?: string }, name: Namer): string {
  return args.bridge === undefined ? name(e.device) : `${name(e.device)}'s ${args.bridge}`;
}

/** The bridge's own interface's name: the box's id, or the bridge net device's. */
function own(e: TraceEvent, args: { bridge?: string }): string {
  return args.bridge ?? e.device;
}

const inVlan = (vid: number | undefined): string => (vid === undefined || vid === 0 ? '' : ` in VLAN ${vid}`);

function learnt(e: TraceEvent, args: BridgeLearnArgs, name: Namer): string {
  return e.reason === 'fdb-learn'
    ? `${me(e, args, name)} learns that ${args.mac} lives behind port ${e.port}${inVlan(args.vid)}.`
    : `${me(e, args, name)} already knows ${args.mac} is behind port ${e.port}${inVlan(args.vid)}; its age is reset to 0.`;
}

/** Why the frame is flooded (br_handle_frame_finish or br_dev_xmit), as the flood sentence's second half. */
function floodWhy(e: TraceEvent, args: BridgeFrameArgs, name: Namer): string {
  const destination = readDestinationMac(e.frame!);
  const what = e.reason === 'fdb-miss'
    ? `the destination ${destination} is not in its MAC table${args.own || args.vid === undefined ? '' : ` for VLAN ${args.vid}`} yet`
    : e.reason === 'broadcast' ? 'the broadcast address' : 'a multicast address';
  if (args.own) return `${me(e, args, name)} sends the frame from its own interface ${own(e, args)}, and ${e.reason === 'fdb-miss' ? what : `${destination} is ${what}`}`;
  return e.reason === 'fdb-miss' ? what : `${destination} is ${what}`;
}

function flooded(e: TraceEvent, args: BridgeFrameArgs, name: Namer): string {
  const ports = e.ports!;
  const switched = args.vid !== undefined;
  const named = switched ? ports.map((port) => (args.tagged?.includes(port) ? `${port} (tagged)` : port)) : ports;
  const kept = args.kept ?? 0;
  const outside = kept === 0 ? '' : `; ${kept === 1 ? 'the other port is' : `${kept} other ports are`} not in VLAN ${args.vid} and get${kept === 1 ? 's' : ''} nothing`;
  return `${me(e, args, name)} floods the frame${switched ? ` in VLAN ${args.vid}` : ''} to ${formatPortList(named)}: ${floodWhy(e, args, name)}${outside}.`;
}

function forwarded(e: TraceEvent, args: BridgeFrameArgs, name: Namer): string {
  const destination = readDestinationMac(e.frame!);
  const port = e.ports![0]!;
  if (args.own) return `${me(e, args, name)} sends the frame from its own interface ${own(e, args)}: it knows ${destination} is behind port ${port}, so the frame leaves there only (br_dev_xmit → br_forward).`;
  const how = args.vid === undefined ? '' : args.tagged?.includes(port) ? `, tagged with VLAN ${args.vid}` : ', untagged';
  return `${me(e, args, name)} knows ${destination} is behind port ${port}${inVlan(args.vid)}: it forwards the frame there only${how}.`;
}

/** br_pass_frame_up: a frame for the bridge's own interface, or a broadcast/multicast copy for it. */
function passedUp(e: TraceEvent, args: BridgeFrameArgs, name: Namer): string {
  if (e.reason !== 'fdb-hit') return `${me(e, args, name)} also passes a copy up to its own interface ${own(e, args)} (br_pass_frame_up): a ${e.reason} is for the bridge's own host as well.`;
  const destination = readDestinationMac(e.frame!);
  const whose = args.portMac === undefined ? 'its own address' : `the address of its port ${args.portMac}`;
  return `${me(e, args, name)} finds ${destination} in its MAC table as ${whose} (a permanent local entry): the frame is for its own interface ${own(e, args)}, so it passes it up (br_pass_frame_up) and forwards it nowhere.`;
}

/** A frame decision: by the event's kind (flood, forward, or deliver for a pass-up). */
function frameDecision(e: TraceEvent, args: BridgeFrameArgs, name: Namer): string {
  if (e.kind === 'flood') return flooded(e, args, name);
  if (e.kind === 'forward') return forwarded(e, args, name);
  return passedUp(e, args, name);
}

export const bridgeNarrators: Narrators = {
  'vlan-tagged': (e, args, name) => `${name(e.device)} reads the 802.1Q tag: the frame belongs to VLAN ${args.vid}, which port ${e.port} carries.`,
  'vlan-pvid': (e, args, name) =>
    `${name(e.device)} puts the ${args.priorityTagged ? 'priority-tagged (VLAN 0)' : 'untagged'} frame into VLAN ${args.vid}, ${args.trunk ? `the native VLAN of trunk port ${e.port}` : `the access VLAN of port ${e.port}`}.`,
  'fdb-learn': learnt,
  'fdb-refresh': learnt,
  'fdb-hit': frameDecision,
  'fdb-miss': frameDecision,
  broadcast: frameDecision,
  multicast: frameDecision,
};
