// The player's connection table (chapter "macvlan vs ipvlan vs bridge", NAT): a namespace that does
// NAT shows `conntrack -L` as a table under the drawing, empty at first (in the StartView the page
// hydrates from), then a row per flow with both directions and what NAT did to it.

import { describe, expect, it } from 'vitest';
import { scenario } from '../../src/scenarios/index.ts';
import { createPlayerModel } from '../../src/widgets/player-model.ts';

describe('player model: the connection table of a namespace that does NAT', () => {
  it('lists the server\'s flows: c1\'s masqueraded ping, then the LAN\'s datagrams, the forwarded one translated', () => {
    const model = createPlayerModel(scenario('macvlan-ipvlan-bridge/nat'));
    expect(model.conntrack.value).toEqual([{ device: 'server', name: 'server', rows: [] }]);
    expect(model.startView().conntrack).toEqual([{ device: 'server', name: 'server', rows: [] }]);
    while (model.canStep.value) model.stepForward();
    const rows = model.conntrack.value[0]!.rows;
    expect(rows.map((r) => [r.protocol, r.nat])).toEqual([['icmp', 'masquerade'], ['udp', ''], ['udp', 'dnat']]);
    expect(rows[0]!.original).toMatch(/^10\.0\.1\.2 → 192\.168\.1\.20/);
    expect(rows[0]!.reply).toMatch(/^192\.168\.1\.20 → 192\.168\.1\.10/);
    expect(rows[2]!.reply).toMatch(/^10\.0\.1\.2:80 → 192\.168\.1\.20:40001/);
    model.dispose();
  });

  it('shows no connection table where nothing does NAT', () => {
    const model = createPlayerModel(scenario('macvlan-ipvlan-bridge/macvlan-bridge'));
    expect(model.conntrack.value).toEqual([]);
    expect(model.startView()).not.toHaveProperty('conntrack');
    model.dispose();
  });
});
