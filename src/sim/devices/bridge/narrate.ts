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
  const how = args.vid === undefined ? '' : args.tagged?.includes(port) ? `, tagged with VLAN ${args.vid}` : ', untagged';
  if (args.own) return `${me(e, args, name)} sends the frame from its own interface ${own(e, args)}: it knows ${destination} is behind port ${port}${inVlan(args.vid)}, so the frame leaves there only${how} (br_dev_xmit → br_forward).`;
  return `${me(e, args, name)} knows ${destination} is behind port ${port}${inVlan(args.vid)}: it forwards the frame there only${how}.`;
}

/** br_pass_frame_up: a frame for the bridge's own interface, or a broadcast/multicast copy for it. */
function passedUp(e: TraceEvent, args: BridgeFrameArgs, name: Namer): string {
  // With VLAN filtering the frame goes up in its VLAN (br_handle_vlan on the bridge's own entry):
  // tagged, for the sub-interface of that VLAN, unless the bridge itself takes it untagged.
  const up = args.vid === undefined ? '' : args.tagged?.includes(own(e, args)) ? `, still tagged with VLAN ${args.vid}, so it is ${own(e, args)}.${args.vid}'s` : `, untagged (VLAN ${args.vid} is untagged on ${own(e, args)} itself)`;
  if (e.reason !== 'fdb-hit') return `${me(e, args, name)} also passes a copy up to its own interface ${own(e, args)}${up} (br_pass_frame_up): a ${e.reason} is for the bridge's own host as well.`;
  const destination = readDestinationMac(e.frame!);
  const whose = args.portMac === undefined ? 'its own address' : `the address of its port ${args.portMac}`;
  return `${me(e, args, name)} finds ${destination} in its MAC table${inVlan(args.vid)} as ${whose} (a permanent local entry): the frame is for its own interface ${own(e, args)}, so it passes it up${up} (br_pass_frame_up) and forwards it nowhere.`;
}

/** A frame decision: by the event's kind (flood, forward, or deliver for a pass-up). */
function frameDecision(e: TraceEvent, args: BridgeFrameArgs, name: Namer): string {
  if (e.kind === 'flood') return flooded(e, args, name);
  if (e.kind === 'forward') return forwarded(e, args, name);
  return passedUp(e, args, name);
}

export const bridgeNarrators: Narrators = {
  // A bridge net device's ingress check (br_allowed_ingress) runs on its ports and, for what its own
  // interface sends (br_dev_xmit), on the bridge itself: the event's port is then the bridge's name.
  'vlan-tagged': (e, args, name) => args.bridge !== undefined && e.port === args.bridge
    ? `${me(e, args, name)} takes the frame its own interface sends, tagged with VLAN ${args.vid}: ${args.bridge} itself is in VLAN ${args.vid} (\`bridge vlan … self\`), so the frame enters the bridge in VLAN ${args.vid} (br_dev_xmit → br_allowed_ingress).`
    : `${me(e, args, name)} reads the 802.1Q tag: the frame belongs to VLAN ${args.vid}, which port ${e.port} carries.`,
  'vlan-pvid': (e, args, name) => {
    const frame = args.priorityTagged ? 'priority-tagged (VLAN 0)' : 'untagged';
    if (args.bridge !== undefined) return `${me(e, args, name)} puts the ${frame} frame into VLAN ${args.vid}, the PVID of ${e.port === args.bridge ? `${e.port} itself` : `port ${e.port}`} (br_allowed_ingress).`;
    return `${name(e.device)} puts the ${frame} frame into VLAN ${args.vid}, ${args.trunk ? `the native VLAN of trunk port ${e.port}` : `the access VLAN of port ${e.port}`}.`;
  },
  'fdb-learn': learnt,
  'fdb-refresh': learnt,
  'fdb-hit': frameDecision,
  'fdb-miss': frameDecision,
  broadcast: frameDecision,
  multicast: frameDecision,
};
