// Issue 10, acceptance 2: no label of any chapter player's drawing (every player of the four
// chapters, and every drawing chapter 4's matrix player loads for a cell) collides with another, with a
// box or with a cable, at 1280 px (the wide layout) and at 360 px (the narrow one), and no text is
// under 12 CSS pixels. Checked on the layout's computed text boxes (the e2e check in
// e2e/one-vlan-per-subnet.spec.ts reads the same from the rendered page).

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index.ts';
import { matrixExperiments } from '../../src/scenarios/reach-matrix.ts';
import { sideBySideExperiment, sideBySideExperiments } from '../../src/scenarios/side-by-side.ts';
import { variant, variantExperiments, variantScenario } from '../../src/scenarios/vxlan-variants.ts';
import type { Scenario } from '../../src/sim/scenario/format.ts';
import { bezierPoint, layoutScenario, markerSpan, pointAlong, MIN_TEXT, NARROW_WIDTH, overlaps, textWidth, WIDE_WIDTH, type Layout, type TextBox } from '../../src/render/layout.ts';

const chapters = new URL('../../content/chapters/', import.meta.url);
const chapterFiles = readdirSync(chapters).filter((f) => f.endsWith('.mdx'));
const sources = new Map(chapterFiles.map((f) => [f, readFileSync(new URL(f, chapters), 'utf8')]));
// A player's scenario is a chapter scenario (scenarios['id']), one of the closing table's experiments
// (sideBySideExperiment('id'), read as "side:id") or a VXLAN chapter variant
// (variantScenario(variant('id')), read as "variant:id").
const PLAYER = /<ScenarioPlayer[^>]*scenario=\{(?:scenarios\['([^']+)'\]|sideBySideExperiment\('([^']+)'\)|variantScenario\(variant\('([^']+)'\)\))\}/g;
const embedded = new Map(chapterFiles.map((f) => [f, [...sources.get(f)!.matchAll(PLAYER)].map((m) => m[1] ?? (m[2] ? `side:${m[2]}` : `variant:${m[3]!}`))]));
const scenarioOf = (id: string): Scenario | undefined =>
  id.startsWith('side:') ? sideBySideExperiment(id.slice('side:'.length)) : id.startsWith('variant:') ? variantScenario(variant(id.slice('variant:'.length))) : scenarios[id];
// A player with a chooser (chapter 4's reachability matrix) also shows every cell's experiment: the
// drawings among them that no embedded player shows (a design's devices and cables; a cell changes
// only the traffic) are checked too, under the first cell's id.
const drawingKey = (s: Scenario) => JSON.stringify([s.devices, s.links]);
const drawn = new Set([...embedded.values()].flat().map((id) => drawingKey(scenarioOf(id)!)));
const chosen = new Map<string, Scenario>();
// So do the VXLAN chapter's choices and chapter 5's closing table, for each of their cells.
for (const cell of [...Object.values(matrixExperiments()), ...Object.values(variantExperiments()), ...Object.values(sideBySideExperiments())]) {
  const key = drawingKey(cell);
  if (drawn.has(key)) continue;
  drawn.add(key);
  chosen.set(cell.id, cell);
}
const players = [...embedded.values()].flat();
const drawings: [string, Scenario][] = [...players.map((id) => [id, scenarioOf(id)!] as [string, Scenario]), ...chosen];

/**
 * The closing table's "what the switch sees" cells of the VLAN and VXLAN rows load the top-of-rack
 * experiment (2 racks of 4 servers with 2 VMs each): too dense for either width, so the layout draws
 * its compact form there, and only there.
 */
const COMPACT = new Set(['side-by-side/vlan/switch', 'side-by-side/vxlan/switch']);

const box = (d: Layout['devices'][number]) => ({ x: d.x, y: d.y, w: 2 * d.hw, h: 2 * d.hh });
const name = (t: TextBox) => `${t.kind} "${t.text}" at ${t.x},${t.y}`;

/** The distance from a point to a cable (sampled every 1/200 of it). */
function distance(layout: Layout, cable: number, x: number, y: number): number {
  const c = layout.cables[cable]!;
  let best = Infinity;
  for (let i = 0; i <= 200; i++) {
    const p = bezierPoint(c, i / 200);
    best = Math.min(best, Math.hypot(p.x - x, p.y - y));
  }
  return best;
}

it('finds every player of every chapter, and the matrix player\'s other drawings', () => {
  // The four chapters, each with its players; the pattern misses none of a file's <ScenarioPlayer> tags.
  expect(chapterFiles.sort()).toEqual(['hub-vs-bridge.mdx', 'macvlan-ipvlan-bridge.mdx', 'one-vlan-per-subnet.mdx', 'side-by-side.mdx', 'vlan-vs-vxlan.mdx']);
  for (const [file, ids] of embedded) {
    expect(ids.length, file).toBeGreaterThan(0);
    expect(ids.length, `${file}: a <ScenarioPlayer> the pattern does not read`).toBe(sources.get(file)!.match(/<ScenarioPlayer\b/g)!.length);
  }
  expect(players.length).toBe(30);
  for (const id of players) expect(scenarioOf(id), id).toBeDefined();
  // The matrix's designs that no player of the page embeds: macvlan private, vepa, passthru, ipvlan l3.
  const matrix = matrixExperiments();
  expect([...chosen.keys()].filter((id) => Object.hasOwn(matrix, id)).map((id) => id.split('/')[2]).sort()).toEqual(['ipvlan-l3', 'macvlan-passthru', 'macvlan-private', 'macvlan-vepa']);
});

it('draws the ToR cells in the compact form: each server one box at 1280 px, the servers on each ToR one group at 360 px', () => {
  expect(drawings.filter(([id]) => COMPACT.has(id))).toHaveLength(2);
  for (const [id, scenario] of drawings) {
    if (!COMPACT.has(id)) continue;
    const wide = layoutScenario(scenario, undefined, { width: WIDE_WIDTH });
    const narrow = layoutScenario(scenario, undefined, { width: NARROW_WIDTH });
    // 1280 px: server 1-2's box stands for it and its VMs (1-2 and 1-6), whose veth pairs are not drawn.
    const server = wide.nodeOf.get('s1-2')!;
    expect(server.id).toBe('s1-2');
    expect(server.holds).toEqual(['s1-2', 'vm1-2', 'vm1-6']);
    expect(wide.nodeOf.get('vm1-6')).toBe(server);
    expect(server.rows.map((r) => r.text)).toEqual(expect.arrayContaining(['s1-2', 'br0', 'vm1-2', 'vm1-6']));
    expect(wide.devices.filter((d) => /^s\d-\d$/.test(d.id))).toHaveLength(8);
    expect(wide.devices.some((d) => d.id.startsWith('vm'))).toBe(false);
    // ToR 1's four server ports are drawn, each on its own cable.
    expect(wide.cables.filter((c) => c.b.device === 'tor1' && /^p\d$/.test(c.b.port)).map((c) => c.b.text)).toEqual(['p1 v100', 'p2 v100', 'p3 v100', 'p4 v100'].map((t) => (id.includes('vxlan') ? t.replace('v100', 'v1') : t)));
    // 360 px: rack 1's servers and VMs are one group on ToR 1, cabled to it by one bundle of its four ports.
    const rack = narrow.nodeOf.get('vm1-6')!;
    expect(rack.id).toBe('group:tor1');
    expect(rack.label).toBe('4 machines');
    expect(narrow.nodeOf.get('s1-4')).toBe(rack);
    expect(narrow.nodeOf.get('tor1')!.id).toBe('tor1');
    const bundle = narrow.cables.find((c) => c.a.device === 'group:tor1')!;
    expect(bundle.links).toHaveLength(4);
    expect(bundle.b).toMatchObject({ device: 'tor1', text: '4 ports' });
  }
});

for (const [screen, width] of [
  ['1280 px', WIDE_WIDTH],
  ['360 px', NARROW_WIDTH],
] as const) {
  describe(`drawings at ${screen} (laid out for ${width} CSS px)`, () => {
    for (const [id, scenario] of drawings) {
      it(`${id}: fits, writes nothing under ${MIN_TEXT} px, and no label collides`, () => {
        const layout = layoutScenario(scenario, undefined, { width });
        expect(layout.fixed).toBe(true);
        // Every other drawing has a box per device: the compact form is for drawings too dense for their width.
        if (!COMPACT.has(id)) expect([layout.grouped, layout.devices.length]).toEqual([0, scenario.devices.length]);
        // Shown at one CSS pixel per unit: it fits the width without scrolling sideways.
        expect(layout.width).toBeLessThanOrEqual(width);
        const texts = layout.texts;
        for (const t of texts) expect(t.size, name(t)).toBeGreaterThanOrEqual(MIN_TEXT);
        // Every row inside its box, at least MIN_TEXT.
        for (const d of layout.devices) {
          for (const row of d.rows) {
            expect(row.size).toBeGreaterThanOrEqual(MIN_TEXT);
            expect(textWidth(row.text, row.size, row.kind === 'name' ? 'bold' : 'mono'), `${d.id} ${row.text}`).toBeLessThanOrEqual(2 * d.hw - 6);
            expect(Math.abs(row.y) + (row.size * 1.25) / 2, `${d.id} ${row.text}`).toBeLessThanOrEqual(d.hh);
          }
        }
        // What a device did in the latest step ("→ forwarded") has its own row in its box.
        for (const d of layout.devices) {
          expect(textWidth('→ forwarded', 12, 'bold')).toBeLessThanOrEqual(2 * d.hw - 6);
          expect(Math.abs(d.badgeY) + 7.5).toBeLessThanOrEqual(d.hh);
          for (const row of d.rows) expect(Math.abs(row.y - d.badgeY)).toBeGreaterThanOrEqual(14);
        }
        // No two texts overlap; no text overlaps a box.
        for (let i = 0; i < texts.length; i++) {
          for (let j = i + 1; j < texts.length; j++) expect(overlaps(texts[i]!, texts[j]!, 0), `${name(texts[i]!)} / ${name(texts[j]!)}`).toBe(false);
          for (const d of layout.devices) expect(overlaps(texts[i]!, box(d), 0), `${name(texts[i]!)} on ${d.id}`).toBe(false);
        }
        for (let i = 0; i < layout.devices.length; i++) for (let j = i + 1; j < layout.devices.length; j++) expect(overlaps(box(layout.devices[i]!), box(layout.devices[j]!), 0)).toBe(false);
        // No port name or veth tag lies across a node's dotted outline: it is inside it or outside it.
        for (const t of texts.filter((x) => x.kind === 'port' || x.kind === 'veth')) {
          for (const n of layout.nodes) {
            const [x0, x1, y0, y1] = [t.x - t.w / 2, t.x + t.w / 2, t.y - t.h / 2, t.y + t.h / 2];
            const meets = x1 > n.x && x0 < n.x + n.width && y1 > n.y && y0 < n.y + n.height;
            const within = x0 >= n.x && x1 <= n.x + n.width && y0 >= n.y && y1 <= n.y + n.height;
            expect(meets && !within, `${name(t)} across node ${n.name}'s outline`).toBe(false);
          }
        }
        // Each port name beside its own cable, nearer its own port than the other end's, clear of
        // every cable (a frame's marker passes on it), of the ✕ that marks a drop at a port and of
        // the edit mode's ✕ on each cable's middle.
        for (const c of layout.cables) {
          const mid = bezierPoint(c, 0.5);
          for (const [end, other] of [
            [c.a, c.b],
            [c.b, c.a],
          ] as const) {
            if (end.text === '') continue;
            const t = texts.find((x) => x.kind === 'port' && x.x === end.label.x && x.y === end.label.y && x.text === end.text)!;
            expect(t, `${id} ${end.device} ${end.port}`).toBeDefined();
            const own = distance(layout, c.index, t.x, t.y);
            for (const k of layout.cables.keys()) if (k !== c.index) expect(distance(layout, k, t.x, t.y), `${name(t)} nearer cable ${k}`).toBeGreaterThan(own);
            expect(Math.hypot(t.x - end.port0.x, t.y - end.port0.y)).toBeLessThan(Math.hypot(t.x - other.port0.x, t.y - other.port0.y));
            expect(overlaps(t, { x: mid.x, y: mid.y, w: 18, h: 18 }, 0), `${name(t)} under the ✕ of cable ${c.index}`).toBe(false);
          }
          for (const end of [c.a, c.b])
            for (const t of texts) expect(overlaps(t, { x: end.port0.x, y: end.port0.y, w: 16, h: 16 }, 0), `${name(t)} under the drop mark of ${end.device} ${end.port}`).toBe(false);
        }
        // Clear of every cable (a frame passes there), but a port's name may interrupt its own
        // cable; clear, too, of where a frame waits on any cable for its arrival.
        const ownCable = new Map<TextBox, number>();
        for (const c of layout.cables) for (const end of [c.a, c.b]) for (const t of texts) if (t.kind === 'port' && t.x === end.label.x && t.y === end.label.y) ownCable.set(t, c.index);
        for (const t of texts)
          for (const c of layout.cables) {
            for (const forward of [true, false]) {
              const rest = pointAlong(c, forward, markerSpan(c, forward).end);
              expect(overlaps(t, { x: rest.x, y: rest.y, w: 26, h: 26 }, 0), `${name(t)} over a frame waiting on cable ${c.index}`).toBe(false);
            }
            if (ownCable.get(t) === c.index) continue;
            const half = { x: t.w / 2, y: t.h / 2 };
            for (let i = 0; i <= 200; i++) {
              const p = bezierPoint(c, i / 200);
              expect(Math.abs(p.x - t.x) < half.x + 1 && Math.abs(p.y - t.y) < half.y + 1, `${name(t)} on cable ${c.index}`).toBe(false);
            }
          }
      });
    }
  });
}

describe('port names where cables fan out', () => {
  // The side of the line from a to b that p is on (its sign): the same sign means the same side.
  const sideOf = (a: { x: number; y: number }, b: { x: number; y: number }, p: { x: number; y: number }) => Math.sign((b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x));

  it.each([WIDE_WIDTH, NARROW_WIDTH])('the spine\'s t1 and t2 (stretched VLAN, %i px): each on the outer side of its own cable, not both in the wedge between the two', (width) => {
    const layout = layoutScenario(scenarios['vlan-vs-vxlan/stretched-vlan']!, undefined, { width });
    const at = (id: string) => layout.devices.find((d) => d.id === id)!;
    const spine = at('spine');
    for (const [own, other] of [['tor1', 'tor2'], ['tor2', 'tor1']] as const) {
      const cable = layout.cables.find((c) => [c.a, c.b].some((e) => e.device === 'spine') && [c.a, c.b].some((e) => e.device === own))!;
      const end = cable.a.device === 'spine' ? cable.a : cable.b;
      // Across its own cable (spine → own ToR) from the other ToR.
      expect(sideOf(spine, at(own), end.label), `${end.port}`).toBe(-sideOf(spine, at(own), at(other)));
    }
  });
});
