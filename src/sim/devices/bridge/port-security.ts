// Port security, a hardware switch feature the Linux bridge lacks: a port learns at most `maxMacs`
// source addresses, and a frame from another new one is dropped before it is learned.

import { nameSome } from '../../trace';
import { fdbEntries, fdbFind } from '../bridge-fdb';
import type { DeviceContext } from '../context';
import { bridgeName, type BridgeState } from './state';

/** Whether the frame from `source` may be learned and go on; emits the drop when not. */
export function portSecurityAllows(ctx: DeviceContext, bridge: BridgeState, ingress: string, source: string, vid: number, bytes: Uint8Array): boolean {
  const limit = bridge.vlan?.ports.get(ingress)?.maxMacs;
  if (limit === undefined || fdbFind(bridge.fdb, vid, source, bridge.ageingTime, ctx.now)?.port === ingress) return true;
  const onPort = fdbEntries(bridge.fdb).filter((entry) => entry.port === ingress && entry.updated + bridge.ageingTime > ctx.now);
  if (onPort.length < limit) return true;
  const known = nameSome(onPort.map((entry) => entry.mac), ', ');
  ctx.emit({ kind: 'drop', reason: 'port-security', port: ingress, frame: bytes, text: `${bridgeName(ctx, bridge)} drops the frame from ${source}: port ${ingress} allows ${limit} MAC address${limit === 1 ? '' : 'es'} and has already learned ${known}. This is port security; a host with several MACs behind one port (macvlan, VMs) needs the limit raised.` });
  return false;
}
