// Drawing the namespace model: the namespaces of one node inside one outlined, named box that holds
// nothing else; veth links marked apart from cables, in the drawing and in its text description;
// a namespace's bridge device written inside its box.

import { describe, expect, it } from 'vitest';
import renderToString from 'preact-render-to-string';
import { h } from 'preact';
import { layoutScenario, type Layout, type LaidOutDevice } from '../../src/render/layout.ts';
import { SCENARIO_FORMAT, type DeviceSpec, type Scenario } from '../../src/sim/scenario/format.ts';
import { describeTopology, Legend, Topology } from '../../src/widgets/Topology.tsx';

/** The Docker-like host of the shared design: node server (br0 over veth1, veth2; eth0 up), containers c1 and c2, and a client outside. */
function dockerHost(positions: boolean): Scenario {
  const at = (x: number, y: number) => (positions ? { position: { x, y } } : {});
  const devices: DeviceSpec[] = [
    {
      id: 'server',
      kind: 'router',
      node: 'server',
      nics: [
        { port: 'eth0', mac: '02:00:00:00:00:01', ip: '192.168.0.2/24' },
        { port: 'veth1', mac: '02:00:00:00:01:01' },
        { port: 'veth2', mac: '02:00:00:00:01:02' },
      ],
      bridges: [{ name: 'br0', mac: '02:00:00:00:00:b0', ip: '10.0.1.1/24', ports: ['veth1', 'veth2'] }],
      ...at(200, 100),
    },
    { id: 'client', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:02', ip: '192.168.0.3/24' }], ...at(420, 100) },
    { id: 'c1', kind: 'host', node: 'server', nics: [{ port: 'eth0', mac: '02:00:00:00:0c:01', ip: '10.0.1.2/24' }], gateway: '10.0.1.1', ...at(120, 240) },
    { id: 'c2', kind: 'host', node: 'server', nics: [{ port: 'eth0', mac: '02:00:00:00:0c:02', ip: '10.0.1.3/24' }], gateway: '10.0.1.1', ...at(280, 240) },
  ];
  return {
    format: SCENARIO_FORMAT,
    id: 'docker-host',
    title: 'A Docker-like host',
    devices,
    links: [
      { a: 'server:veth1', b: 'c1:eth0', type: 'veth' },
      { a: 'server:veth2', b: 'c2:eth0', type: 'veth' },
      { a: 'server:eth0', b: 'client:eth0' },
    ],
    traffic: [],
  };
}

const inside = (d: LaidOutDevice, n: Layout['nodes'][number]) => d.x - d.hw >= n.x && d.x + d.hw <= n.x + n.width && d.y - d.hh >= n.y && d.y + d.hh <= n.y + n.height;

describe('drawing nodes, namespaces and veth pairs', () => {
  for (const positions of [true, false]) {
    it(`draws one outline for node server that holds its three namespaces and not the client (${positions ? 'with' : 'without'} position hints)`, () => {
      const layout = layoutScenario(dockerHost(positions));
      expect(layout.nodes.map((n) => [n.name, n.members])).toEqual([['server', ['server', 'c1', 'c2']]]);
      const node = layout.nodes[0]!;
      for (const id of ['server', 'c1', 'c2']) expect(inside(layout.device.get(id)!, node), id).toBe(true);
      const client = layout.device.get('client')!;
      const overlaps = client.x + client.hw > node.x && client.x - client.hw < node.x + node.width && client.y + client.hh > node.y && client.y - client.hh < node.y + node.height;
      expect(overlaps).toBe(false);
      // The outline and its name are inside the viewBox.
      expect(node.x).toBeGreaterThanOrEqual(layout.x0);
      expect(node.y - 14).toBeGreaterThanOrEqual(layout.y0);
      expect(node.x + node.width).toBeLessThanOrEqual(layout.x0 + layout.width);
      expect(node.y + node.height).toBeLessThanOrEqual(layout.y0 + layout.height);
    });
  }

  it('marks the veth links, and only them, with their "veth" tag inside the viewBox', () => {
    const layout = layoutScenario(dockerHost(true));
    expect(layout.cables.map((c) => [c.a.port, c.b.device, c.veth])).toEqual([
      ['veth1', 'c1', true],
      ['veth2', 'c2', true],
      ['eth0', 'client', false],
    ]);
    for (const c of layout.cables.filter((x) => x.veth)) {
      expect(c.tag!.x).toBeGreaterThan(layout.x0);
      expect(c.tag!.x).toBeLessThan(layout.x0 + layout.width);
      expect(c.tag!.y).toBeGreaterThan(layout.y0);
    }
    expect(layout.cables[2]!.tag).toBeUndefined();
  });

  it('writes the bridge device inside its namespace’s box, which grows to hold it', () => {
    const layout = layoutScenario(dockerHost(true));
    const server = layout.device.get('server')!;
    // The bridge's name as a line, its address once, among the box's addresses.
    expect(server.lines).toEqual(['br0']);
    expect(server.addresses).toEqual(['eth0 192.168.0.2/24', 'br0 10.0.1.1/24']);
    expect(server.about).toBe('bridge br0 10.0.1.1/24 over veth1 and veth2');
    expect(server.hh).toBeGreaterThan(layout.device.get('client')!.hh);
  });

  it('says all of it in the drawing’s text alternative, and draws it: outline, dashed veth links, br0 in the box', () => {
    const scenario = dockerHost(true);
    const layout = layoutScenario(scenario);
    const text = describeTopology(layout, scenario.title, (id) => id);
    expect(text).toContain('server (router; bridge br0 10.0.1.1/24 over veth1 and veth2; ');
    expect(text).toContain('Node server holds the namespaces server, c1, c2.');
    expect(text).toContain('Links: server veth1 to c1 eth0 (veth pair); server veth2 to c2 eth0 (veth pair); server eth0 to client eth0.');
    const html = renderToString(h(Topology, { layout, title: scenario.title, flights: [], marks: [], version: 0, lastMove: 'reset', duration: 0, selected: null, onSelect: () => {}, name: (id: string) => id }));
    expect(html.match(/class="vp-node-box"/g)).toHaveLength(1);
    expect(html).toContain('>node server</text>');
    expect(html.match(/vp-cable vp-cable--veth/g)).toHaveLength(2);
    expect(html.match(/>veth<\/text>/g)).toHaveLength(2);
    expect(html).toContain('>br0</text>');
    expect(html).toContain('>br0 10.0.1.1/24</text>');
    // The legend says what the outline, the dashed line and the line in a box mean, only when asked to.
    expect(renderToString(h(Legend, { namespaces: true }))).toContain('dotted outline: the namespaces of one node (machine) · dashed line marked veth: a veth pair · br0 in a box: its bridge device');
    expect(renderToString(h(Legend, { vlans: false }))).not.toContain('veth');
    // Its VLAN examples are the drawing's own: VLAN 100 in the stretched VLAN, not a fixed VLAN 10.
    const stretched = renderToString(h(Legend, { vlans: true, palette: [100] }));
    expect(stretched).toContain('v100: access port in VLAN 100');
    expect(stretched).not.toMatch(/VLAN 10\b/);
  });

  it('draws no outline, tag or line for a scenario without nodes, veth pairs or bridge devices', () => {
    const plain = dockerHost(true);
    plain.devices = plain.devices.map((d) => (d.kind === 'host' || d.kind === 'router' ? (({ node: _n, bridges: _b, ...rest }) => rest)(d) : d)) as DeviceSpec[];
    plain.links = plain.links.map(({ a, b }) => ({ a, b }));
    const layout = layoutScenario(plain);
    expect(layout.nodes).toEqual([]);
    expect(layout.cables.some((c) => c.veth || c.tag)).toBe(false);
    expect(layout.devices.some((d) => d.lines)).toBe(false);
    expect(describeTopology(layout, plain.title, (id) => id)).toContain(' Cables: ');
  });
});
