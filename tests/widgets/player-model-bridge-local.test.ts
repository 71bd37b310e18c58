// The player's tables for a bridge with a local interface (br0 with an address): its neighbour
// table is listed with the hosts', and its own MAC shows in its MAC table as permanent.

import { describe, expect, it } from 'vitest';
import type { DeviceSpec } from '../../src/sim/scenario/format.ts';
import { createPlayerModel } from '../../src/widgets/player-model.ts';
import { scenarioOf } from '../sim/build.ts';

describe('player model: a bridge with a local interface', () => {
  const devices: DeviceSpec[] = [
    { id: 'br0', kind: 'bridge', ports: ['p1', 'p2'], local: { mac: '02:00:00:00:00:b0', ip: '10.0.0.1/24' } },
    { id: 'C1', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:c1', ip: '10.0.0.2/24' }] },
    { id: 'C2', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:c2', ip: '10.0.0.3/24' }] },
  ];
  const links = [{ a: 'C1:eth0', b: 'br0:p1' }, { a: 'C2:eth0', b: 'br0:p2' }];

  it('lists the bridge’s ARP cache (on br0) with the hosts’, and its own MAC as permanent', () => {
    const model = createPlayerModel(scenarioOf(devices, links, [{ from: 'C1', do: 'ping', to: 'br0' }]));
    expect(model.arpCaches.value.map((t) => [t.name, t.rows])).toEqual([['br0', []], ['C1', []], ['C2', []]]);
    while (model.canStep.value) model.stepForward();
    const arp = Object.fromEntries(model.arpCaches.value.map((t) => [t.name, t.rows]));
    expect(arp['br0']).toEqual([{ ip: '10.0.0.2', mac: '02:00:00:00:00:c1', owner: 'C1', dev: 'br0' }]);
    expect(model.macTables.value[0]!.rows.map((r) => [r.mac, r.port, r.age])).toEqual([
      ['02:00:00:00:00:b0', 'br0', 'permanent'],
      ['02:00:00:00:00:c1', 'p1', expect.stringMatching(/^[0-9.]+$/)],
    ]);
  });

  it('offers the bridge in "Send packet" as a source and as a ping target, but not as a raw frame’s destination', () => {
    const model = createPlayerModel(scenarioOf([...devices, { id: 'hub1', kind: 'hub', ports: ['p1'] }], links, []));
    expect(model.senders.map((s) => s.id)).toEqual(['br0', 'C1', 'C2']);
    expect(model.targets).toEqual([
      { id: 'br0', name: 'br0', ip: true, raw: false },
      { id: 'C1', name: 'C1', ip: true, raw: true },
      { id: 'C2', name: 'C2', ip: true, raw: true },
    ]);
  });
});
