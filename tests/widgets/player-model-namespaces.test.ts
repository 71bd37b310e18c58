// The player on the Docker-like host (src/scenarios/docker-host.ts): the FDB of the bridge device
// inside the server namespace is listed like a bridge's MAC table ("server br0"), the namespaces
// can all send and be sent to, and the drawing's outline holds the node's namespaces.

import { describe, expect, it } from 'vitest';
import { DOCKER_HOST_MAC, dockerHostScenario } from '../../src/scenarios/docker-host.ts';
import { validateScenario } from '../../src/sim/scenario/validate.ts';
import { createPlayerModel } from '../../src/widgets/player-model.ts';
import { layoutScenario } from '../../src/render/layout.ts';

function scenario() {
  const r = validateScenario(dockerHostScenario());
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return r.scenario;
}

describe('player model: a bridge device inside a namespace', () => {
  it('lists br0’s FDB as “MAC table of server br0”: its own MAC permanent, then c1 and c2 on their veth ports once they spoke', () => {
    const model = createPlayerModel(scenario());
    expect(model.macTables.value.map((t) => [t.device, t.name, t.detailed])).toEqual([['server br0', 'server br0', false]]);
    while (model.canStep.value) model.stepForward();
    const rows = model.macTables.value[0]!.rows.map((r) => [r.mac, r.port, r.age === 'permanent' ? 'permanent' : 'aging']);
    expect(rows).toContainEqual([DOCKER_HOST_MAC.br0, expect.any(String), 'permanent']);
    expect(rows).toContainEqual([DOCKER_HOST_MAC.c1, 'veth1', 'aging']);
    expect(rows).toContainEqual([DOCKER_HOST_MAC.c2, 'veth2', 'aging']);
    // The server namespace's neighbour table names br0 as the interface it learned c1 on.
    const server = model.arpCaches.value.find((t) => t.device === 'server')!;
    expect(server.rows).toContainEqual({ ip: '10.0.1.2', mac: DOCKER_HOST_MAC.c1, owner: 'c1', dev: 'br0' });
  });

  it('offers every namespace as a source and a destination in “Send packet”', () => {
    const s = scenario();
    const model = createPlayerModel(s);
    const namespaces = s.devices.filter((d) => d.kind === 'host' || d.kind === 'router').map((d) => d.id);
    expect(model.senders.map((x) => x.id)).toEqual(namespaces);
    expect(model.targets.filter((t) => t.ip).map((t) => t.id)).toEqual(namespaces);
  });

  it('draws node server around its three namespaces, and the veth pairs marked', () => {
    const layout = layoutScenario(scenario());
    expect(layout.nodes.map((n) => [n.name, [...n.members].sort()])).toEqual([['server', ['c1', 'c2', 'server']]]);
    expect(layout.cables.filter((c) => c.veth).map((c) => [c.a.device, c.b.device].sort().join('-')).sort()).toEqual(['c1-server', 'c2-server']);
  });
});
