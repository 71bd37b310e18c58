// VLAN filtering (net/bridge/br_vlan.c): which VLAN a frame belongs to on the way in
// (br_allowed_ingress, plus MAC-based assignment, a hardware switch feature), whether a port may
// carry it (br_allowed_egress), and the bytes each port sends, tagged or not (br_handle_vlan).

import { nameSome, type VlanPvidArgs } from '../../trace';
import { popVlanTag, pushVlanTag, type VlanTag } from '../../wire/ethernet';
import { emitEvent, type DeviceContext } from '../context';
import { bridgeArg, bridgeName, type BridgeState } from './state';

/**
 * br_allowed_ingress, plus MAC-based assignment: the frame's VLAN, or null after dropping it. An
 * untagged (or priority-tagged) frame joins the port's PVID; a tagged one must carry a VLAN the port is a member of.
 */
export function classify(ctx: DeviceContext, bridge: BridgeState, ingress: string, bytes: Uint8Array, source: string, tag: VlanTag | null): number | null {
  const { ports, macVlans, joined } = bridge.vlan!;
  const port = ports.get(ingress)!;
  const named = bridgeArg(bridge);
  if (tag !== null && tag.vid !== 0) {
    if (isMember(bridge, ingress, tag.vid)) {
      // Every tagged frame a switch takes in: its args only for someone who reads them (DeviceContext.tracing).
      emitEvent(ctx, 'classify', 'vlan-tagged', ingress, bytes, undefined, !ctx.tracing ? undefined : named === undefined ? { vid: tag.vid } : { vid: tag.vid, bridge: named });
      return tag.vid;
    }
    ctx.emit({ kind: 'drop', reason: 'vlan-not-allowed', port: ingress, frame: bytes, text: `${bridgeName(ctx, bridge)} drops the frame: it is tagged for VLAN ${tag.vid}, and ${describeMembership(bridge, ingress)}.` });
    return null;
  }
  const byMac = port.mode === 'access' ? macVlans.get(source) : undefined;
  if (byMac !== undefined) {
    let extra = joined.get(ingress);
    if (!extra) joined.set(ingress, (extra = []));
    const joins = !extra.includes(byMac) && byMac !== port.pvid;
    if (joins) extra.push(byMac);
    const note = joins ? ` Port ${ingress} now also carries VLAN ${byMac}, untagged, so answers can reach it.` : '';
    ctx.emit({ kind: 'classify', reason: 'mac-vlan', port: ingress, frame: bytes, text: `${bridgeName(ctx, bridge)} puts the frame into VLAN ${byMac}: its source ${source} is assigned to VLAN ${byMac} by MAC address, whatever the port.${note}` });
    return byMac;
  }
  if (port.pvid === null) {
    const why = port.mode === 'bridge-vlan'
      ? `${ingress === bridge.id ? `${bridge.id} itself` : `port ${ingress}`} has no PVID (no \`bridge vlan\` entry with pvid), so an untagged frame belongs to no VLAN there (br_allowed_ingress)`
      : `port ${ingress} is a trunk without a native VLAN, so every frame on it must carry a tag`;
    ctx.emit({ kind: 'drop', reason: 'vlan-untagged', port: ingress, frame: bytes, text: `${bridgeName(ctx, bridge)} drops the untagged frame: ${why}.` });
    return null;
  }
  // Every untagged frame a switch takes in: its args only for someone who reads them (DeviceContext.tracing).
  let args: VlanPvidArgs | undefined;
  if (ctx.tracing) {
    args = { vid: port.pvid };
    if (named !== undefined) args.bridge = named;
    if (port.mode === 'trunk') args.trunk = true;
    if (tag !== null) args.priorityTagged = true;
  }
  emitEvent(ctx, 'classify', 'vlan-pvid', ingress, bytes, undefined, args);
  return port.pvid;
}

/** Whether frames of `vid` may enter and leave `port` (br_allowed_ingress / br_allowed_egress); always, without VLAN filtering. */
export function isMember(bridge: BridgeState, port: string, vid: number): boolean {
  if (!bridge.vlan) return true;
  const vlans = bridge.vlan.ports.get(port);
  if (!vlans) return false;
  return vlans.pvid === vid || vlans.tagged.includes(vid) || (vlans.untagged?.includes(vid) ?? false) || (bridge.vlan.joined.get(port)?.includes(vid) ?? false);
}

/** The VLANs of `port` (or of the bridge itself, under its own name), as the drop sentences say them: "port p5 is a trunk carrying VLANs 10, 20". */
export function describeMembership(bridge: BridgeState, port: string): string {
  const vlans = bridge.vlan!.ports.get(port)!;
  if (vlans.mode === 'access') return `port ${port} is an access port in VLAN ${vlans.pvid}`;
  const all = [...new Set([...vlans.tagged, ...(vlans.untagged ?? []), ...(vlans.pvid === null ? [] : [vlans.pvid])])].sort((x, y) => x - y);
  const listed = `VLAN${all.length === 1 ? '' : 's'} ${nameSome(all, ', ') || 'none'}`;
  if (vlans.mode === 'trunk') return `port ${port} is a trunk carrying ${listed}`;
  // A Linux bridge's port, or the bridge itself (self), as `bridge vlan show` would list it.
  return all.length === 0 ? `${port === bridge.id ? `${port} itself` : `port ${port}`} is in no VLAN` : `${port === bridge.id ? `${port} itself (self)` : `port ${port}`} is only in ${listed}`;
}

/** The bytes to send out of each port (br_handle_vlan): tagged or untagged per port, each variant built once so copies share it. */
export class Egress {
  private untagged: Uint8Array | undefined;
  private tagged: Uint8Array | undefined;

  constructor(private readonly bridge: BridgeState, readonly bytes: Uint8Array, private readonly tag: VlanTag | null, readonly vid: number) {}

  /** Whether the frame leaves `port` with a tag. */
  isTagged(port: string): boolean {
    if (this.bridge.kind === 'bridge') return this.tag !== null;
    return this.bridge.vlan?.ports.get(port)?.tagged.includes(this.vid) ?? false;
  }

  bytesFor(port: string): Uint8Array {
    // A plain bridge forwards whatever it got, tags and all.
    if (this.bridge.kind === 'bridge') return this.bytes;
    if (this.isTagged(port)) {
      if (this.tag !== null && this.tag.vid === this.vid) return this.bytes;
      const base = this.tag === null ? this.bytes : this.untag();
      return (this.tagged ??= pushVlanTag(base, { pcp: this.tag?.pcp ?? 0, dei: this.tag?.dei ?? false, vid: this.vid }));
    }
    return this.tag === null ? this.bytes : this.untag();
  }

  /** For the log: " (tagged 802.1Q VLAN 10)" / " (untagged)" on a switch, nothing on a plain bridge. */
  how(port: string): string {
    if (this.bridge.kind === 'bridge') return '';
    return this.isTagged(port) ? `, tagged with VLAN ${this.vid}` : ', untagged';
  }

  private untag(): Uint8Array {
    return (this.untagged ??= popVlanTag(this.bytes).frame);
  }
}
