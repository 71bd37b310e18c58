// The network drawing: cables, devices with their names, port names, frames on the cables and
// what each device did in the latest step. Rendered on the server as plain SVG; after hydration
// the frames put on a cable by the latest step slide along it (d3-timer and d3-ease), unless the reader
// prefers reduced motion. In a big topology hosts are drawn in groups (render/layout.ts): the
// frames on a group's bundle of cables are one marker per direction and kind with their count,
// and what its hosts did in the latest step is one badge ("↓ received ×12"). The namespaces of one
// node sit inside an outlined box named after it; a veth pair is a dashed line marked "veth"; a
// namespace's bridge devices are written inside its box. Each device's IPv4 addresses are written
// inside its box under its name, and what it did in the latest step in the box's last row; a spot
// over it shows its MACs and gateway in a tooltip on hover, or on a tap or click (no Tab stop: the
// drawing's text alternative says them, and the run controls stay the player's first Tab stop).
//
// A small topology is laid out twice (render/layout.ts), for a wide player and for a phone's, each
// drawn at one CSS pixel per unit so that no text is under 12 px and nothing scrolls sideways.
// The server sends both and a container query shows the one that fits; once hydrated, the player
// measures its width and keeps only that one. VLANs have colours (access ports, their cables, the
// frames on them; a trunk is striped with its VLANs' colours) and words ("p1 v10", "trunk", a
// tagged frame's "tag 20"), so that colour is never the only cue.

import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { bezierPoint, freeY, markerSpan, markerTransform, travelsForward, WIDE_WIDTH } from '../render/geometry';
import { loadedCore } from './core-loader';
import type { Layout, LaidOutCable, LaidOutDevice } from '../render/layout';
import { formatCount } from '../sim/scenario/count';
import type { TraceEvent } from '../sim/trace';
import type { DeviceMark, FlightView, FrameTone, MarkKind, Move } from './player-model';
import { ShowMore } from './ShowMore';

/** Which of a small topology's two layouts the player shows: unknown until it has measured itself (then the server's container query decides). */
export type Fit = 'wide' | 'narrow' | null;

export interface TopologyProps {
  /** The layout for a player at least WIDE_WIDTH wide, and the one for a narrower one (the same object for a big topology, which shrinks to fit). */
  layout: Layout;
  narrow?: Layout | undefined;
  fit?: Fit;
  /** The player measured its width: the layout that fits it. */
  onFit?: ((fit: 'wide' | 'narrow') => void) | undefined;
  title: string;
  flights: FlightView[];
  marks: DeviceMark[];
  /** Changes with every step: the moment to (re)start animations. */
  version: number;
  lastMove: Move;
  /** Milliseconds a frame takes to slide along its cable. */
  duration: number;
  selected: number | null;
  onSelect: (eventIndex: number) => void;
  name: (deviceId: string) => string;
  /** Edit mode: the pointer drags devices, draws and cuts cables (the editor's forms do the same by keyboard). */
  edit?: TopologyEdit | undefined;
  /** Ports a switch's flood in the latest step did not reach because they are outside the frame's VLAN (vlanStops). */
  stops?: VlanStop[] | undefined;
  /** Failures of the latest step that are not a frame's drop (failuresOf): drawn on the device, as a drop is. */
  failures?: Failure[] | undefined;
}

/** A device's failure in the latest step, with what its box says ("✕ ARP failed"). */
export interface Failure {
  device: string;
  text: string;
}

/** What the latest step's events say failed that the marks do not show as a drop: an ARP request nobody answered (A in the trap). */
export function failuresOf(events: readonly Pick<TraceEvent, 'kind' | 'reason' | 'device'>[]): Failure[] {
  return events.filter((e) => e.kind === 'arp' && e.reason === 'arp-failed').map((e) => ({ device: e.device, text: '✕ ARP failed' }));
}

/** A cabled port a flood left out because it is not in the frame's VLAN: where the broadcast domain ends. */
export interface VlanStop {
  device: string;
  port: string;
  vlan: number;
}

/**
 * From the latest step's events: each flood on a VLAN-aware switch that left ports out for being
 * outside the frame's VLAN (the event's `kept`), and which cabled ports those are (not the one the
 * frame came in on, not one it went out of, not in its VLAN).
 */
export function vlanStops(events: readonly Pick<TraceEvent, 'kind' | 'device' | 'port' | 'ports' | 'args'>[], layout: Layout): VlanStop[] {
  const stops: VlanStop[] = [];
  for (const e of events) {
    const args = e.args as { vid?: number; kept?: number } | undefined;
    if (e.kind !== 'flood' || !args?.kept || args.vid === undefined) continue;
    const out = new Set(e.ports ?? []);
    for (const c of layout.cables) {
      for (const end of [c.a, c.b]) {
        if (end.device !== e.device || end.port === e.port || out.has(end.port)) continue;
        const carried = end.vlan !== undefined ? end.vlan === args.vid : (c.vlans ?? []).includes(args.vid);
        if (!carried) stops.push({ device: e.device, port: end.port, vlan: args.vid });
      }
    }
  }
  return stops;
}

export interface TopologyEdit {
  /** The device whose form is open. */
  selected: string | null;
  /** The device a cable is being drawn from (pointer cable mode). */
  cableFrom: string | null;
  onDevicePointerDown: (deviceId: string, event: PointerEvent) => void;
  onCableRemove: (linkIndex: number) => void;
}

/** Strongest first (the order of the model's MARK_ORDER). */
export const MARK_TEXT: Record<MarkKind, string> = {
  dropped: '✕ dropped',
  filtered: '✕ filtered',
  delivered: '✓ delivered',
  flooded: '⇉ flooded',
  forwarded: '→ forwarded',
  received: '↓ received',
  sent: '↑ sent',
};

/** Devices and cables the drawing's text description names one by one; the rest are counted. */
const DESCRIBED = 40;

export function describeTopology(layout: Layout, title: string, name: (id: string) => string): string {
  const end = (e: Layout['cables'][number]['a']) => `${name(e.device)} ${e.port}${e.about ? ` (${e.about})` : ''}`;
  const more = (n: number, what: string) => (n > 0 ? `, and ${formatCount(n)} more ${what}` : '');
  const devices = layout.devices.slice(0, DESCRIBED).map((d) => {
    if (d.members) return `a group of ${d.label} cabled to ${name(d.id.slice('group:'.length))}`;
    // Its addresses, MACs and gateway: what its box and its tooltip show.
    const own = [...(d.addresses ?? []), ...(d.details ?? [])];
    return `${d.label} (${d.kind}${d.about ? `; ${d.about}` : ''}${own.length ? `; ${own.join(', ')}` : ''})`;
  });
  const plain = layout.cables.filter((c) => c.link >= 0);
  const cables = plain.slice(0, DESCRIBED).map((c) => `${end(c.a)} to ${end(c.b)}${c.tagText !== undefined ? ` (a child of its parent, mode ${c.tagText})` : c.veth ? ' (veth pair)' : ''}`);
  const grouped = layout.grouped > 0 ? ` ${formatCount(layout.grouped)} hosts are drawn in groups, one box per device they are cabled to; the tables and the editor list each of them.` : '';
  const nodes = layout.nodes.slice(0, DESCRIBED).map((n) => ` Node ${n.name} holds the namespace${n.members.length > 1 ? 's' : ''} ${n.members.map(name).join(', ')}.`);
  const links = plain.some((c) => c.veth) ? 'Links' : 'Cables';
  return `Network diagram of “${title}”: ${devices.join(', ')}${more(layout.devices.length - devices.length, 'boxes')}.${nodes.join('')}${grouped} ${links}: ${cables.join('; ')}${more(plain.length - cables.length, links.toLowerCase())}.`;
}

/** A device's name with its addresses, MACs and gateway: its accessible name and its tooltip in one line. */
export function deviceSummary(d: LaidOutDevice): string {
  const parts = [...(d.addresses ?? []), ...(d.details ?? [])];
  return parts.length ? `${d.label} (${d.kind}): ${parts.join(', ')}` : d.label;
}

/**
 * Over each device with addresses, a spot the size of its box: hovering it, or a tap or click
 * (which focuses it), shows a tooltip with its MACs and gateway (HTML, so that its text keeps its
 * size on a phone), and its accessible name says all of them. Placed in percentages of the
 * drawing, which keeps the viewBox's proportions. Not a Tab stop: the run controls stay the
 * player's first, and the drawing's text alternative says the same.
 */
function DeviceSpots({ layout }: { layout: Layout }) {
  const pct = (n: number) => `${Math.round(n * 10000) / 100}%`;
  const spots = layout.devices.filter((d) => !d.members && (d.addresses || d.details));
  if (spots.length === 0) return null;
  return (
    <div class="vp-spots">
      {spots.map((d) => {
        const fromLeft = (d.x - layout.x0) / layout.width;
        const side = fromLeft < 0.34 ? 'start' : fromLeft > 0.66 ? 'end' : 'middle';
        // Below a device in the upper half, above one in the lower half: inside the drawing.
        const above = (d.y - layout.y0) / layout.height > 0.5;
        return (
          <span
            key={d.id}
            class="vp-spot"
            data-spot={d.id}
            tabindex={-1}
            role="img"
            aria-label={deviceSummary(d)}
            style={{
              left: pct((d.x - d.hw - layout.x0) / layout.width),
              top: pct((d.y - d.hh - layout.y0) / layout.height),
              width: pct((2 * d.hw) / layout.width),
              height: pct((2 * d.hh) / layout.height),
            }}
          >
            <span class={`vp-tip vp-tip--${side} vp-tip--${above ? 'above' : 'below'}`} aria-hidden="true">
              <strong>{d.label}</strong>
              {[...(d.addresses ?? []), ...(d.details ?? [])].map((line, j) => (
                <span key={j} class="vp-tip-line">
                  {line}
                </span>
              ))}
            </span>
          </span>
        );
      })}
    </div>
  );
}

export function FrameShape({ tone, size = 7 }: { tone: FrameTone; size?: number }) {
  if (tone === 'broadcast') return <path class="vp-shape" d={`M0,${-size - 1.5} L${size + 1.5},0 L0,${size + 1.5} L${-size - 1.5},0 Z`} />;
  if (tone === 'reply') return <rect class="vp-shape" x={-size + 0.5} y={-size + 0.5} width={2 * size - 1} height={2 * size - 1} rx="1.5" />;
  return <circle class="vp-shape" r={size} />;
}

function DeviceShape({ d }: { d: LaidOutDevice }) {
  const { hw, hh } = d;
  if (d.kind === 'host') return <rect class="vp-dev-box" x={-hw} y={-hh} width={2 * hw} height={2 * hh} rx="9" />;
  if (d.kind === 'hub') return <rect class="vp-dev-box" x={-hw} y={-hh} width={2 * hw} height={2 * hh} rx={Math.min(hh, 16)} />;
  // A router: rounder corners than a host's and a thicker outline, distinct from the switch's square box.
  if (d.kind === 'router') return <rect class="vp-dev-box vp-dev-box--router" x={-hw} y={-hh} width={2 * hw} height={2 * hh} rx={Math.min(hh, 14)} />;
  return (
    <g>
      <rect class="vp-dev-box" x={-hw} y={-hh} width={2 * hw} height={2 * hh} rx="2" />
      <rect class="vp-dev-inner" x={-hw + 3} y={-hh + 3} width={2 * hw - 6} height={2 * hh - 6} rx="1" />
    </g>
  );
}

function portPoint(layout: Layout, device: string, port: string | undefined): { x: number; y: number } | null {
  if (port === undefined) return null;
  for (const c of layout.cables) {
    if (c.a.device === device && c.a.port === port) return c.a.port0;
    if (c.b.device === device && c.b.port === port) return c.b.port0;
  }
  return null;
}

/** The VLANs a drawing colours, in order: each one's place picks its colour (--vp-vlan-0 …), so that a chapter's VLAN 10 and 20 look the same in each player. */
export function vlanPalette(layout: Layout): Map<number, number> {
  const ids = new Set<number>();
  for (const c of layout.cables) for (const v of c.vlans ?? []) ids.add(v);
  return new Map([...ids].sort((a, b) => a - b).map((v, k) => [v, k % VLAN_COLOURS]));
}

/** How many VLAN colours player.css defines. */
const VLAN_COLOURS = 4;

/** A frame's VLAN: its 802.1Q tag (its description starts "[802.1Q VLAN 20]"), else the one VLAN of an access cable; undefined where none applies. */
export function frameVlan(cable: LaidOutCable, summary: string): { vlan: number; tagged: boolean } | undefined {
  const tag = /^\[802\.1Q VLAN (\d+)\]/.exec(summary);
  if (tag) return { vlan: Number(tag[1]), tagged: true };
  if (!cable.trunk && cable.vlans?.length === 1) return { vlan: cable.vlans[0]!, tagged: false };
  return undefined;
}

/** Frames drawn as one marker: one frame on its own cable, or all frames going one way with one look along a group's bundle. */
interface MarkerView {
  key: string;
  cable: LaidOutCable;
  forward: boolean;
  tone: FrameTone;
  count: number;
  fresh: boolean;
  /** The first frame's transmit event (to inspect its bytes), or -1. */
  eventIndex: number;
  selected: boolean;
  vlan?: { vlan: number; tagged: boolean } | undefined;
}

function markerViews(layout: Layout, flights: readonly FlightView[], selected: number | null): MarkerView[] {
  const views: MarkerView[] = [];
  const bundled = new Map<string, MarkerView>();
  for (const f of flights) {
    const cable = layout.cables[layout.cableOf[f.link] ?? -1];
    if (!cable) continue;
    const own = cable.link >= 0;
    // A bundle's a end is the group box: a frame sent by one of its hosts travels forward.
    const forward = own ? travelsForward(cable, f.from.device, f.from.port) : layout.nodeOf.get(f.from.device)?.id === cable.a.device;
    const key = own ? String(f.frameId) : `bundle-${cable.index}-${forward ? 'out' : 'in'}-${f.tone}`;
    const view = own ? undefined : bundled.get(key);
    if (view) {
      view.count++;
      view.fresh ||= f.fresh;
      view.selected ||= selected === f.eventIndex;
      continue;
    }
    const created: MarkerView = { key, cable, forward, tone: f.tone, count: 1, fresh: f.fresh, eventIndex: f.eventIndex, selected: selected === f.eventIndex };
    // A frame on its own cable shows its VLAN; a bundle's copies may be of several.
    if (own) created.vlan = frameVlan(cable, f.summary);
    else bundled.set(key, created);
    views.push(created);
  }
  return views;
}

/** What each box did in the latest step: a device's own mark, or for a group its hosts' strongest mark and how many had it. */
function boxMarks(layout: Layout, marks: readonly DeviceMark[]): Map<string, { mark: DeviceMark; count: number }> {
  // MARK_TEXT lists the marks strongest first, as the model ranks them.
  const order = Object.keys(MARK_TEXT) as MarkKind[];
  const rank = (m: MarkKind) => order.indexOf(m);
  const byBox = new Map<string, { mark: DeviceMark; count: number }>();
  for (const m of marks) {
    const box = layout.nodeOf.get(m.device);
    if (!box) continue;
    const current = byBox.get(box.id);
    if (!current) byBox.set(box.id, { mark: m, count: 1 });
    else if (rank(m.mark) < rank(current.mark.mark)) byBox.set(box.id, { mark: m, count: 1 });
    else if (m.mark === current.mark.mark) current.count++;
  }
  return byBox;
}

/**
 * A tagged frame's flag ("tag 100"), on the marker's trailing side: behind it and away from the
 * box it is heading to, so that where it waits at the far port the flag does not lie over that
 * box's border.
 */
function TagFlag({ vid, cable, forward }: { vid: number; cable: LaidOutCable; forward: boolean }) {
  const label = `tag ${vid}`;
  const width = label.length * 7.5 + 6;
  const [from, to] = forward ? [cable.p0, cable.p3] : [cable.p3, cable.p0];
  const x = to.x - from.x > 0 ? -9 - width : 9;
  const y = to.y - from.y < 0 ? 7 : -22;
  return (
    <g class="vp-marker-tag">
      <rect x={x} y={y} width={width} height="15" rx="3" />
      <text x={x + 3} y={y + 7.5} dominant-baseline="central">
        {label}
      </text>
    </g>
  );
}

/** A cable: in its VLAN's colour (an access cable), striped with its VLANs' colours (a trunk), or plain. */
function Cable({ c, palette }: { c: LaidOutCable; palette: Map<number, number> }) {
  const base = c.link < 0 ? 'vp-cable vp-cable--bundle' : c.trunk ? 'vp-cable vp-cable--trunk' : c.veth ? 'vp-cable vp-cable--veth' : 'vp-cable';
  const colours = (c.vlans ?? []).map((v) => palette.get(v)).filter((k): k is number => k !== undefined);
  if (colours.length === 0) return <path class={base} d={c.d} />;
  if (colours.length === 1) return <path class={`${base} vp-vlan-${colours[0]}`} d={c.d} data-vlans={c.vlans!.join(' ')} />;
  // Stripes: each VLAN's colour in turn, DASH units each.
  const DASH = 9;
  return (
    <g data-vlans={c.vlans!.join(' ')}>
      {colours.map((k, i) => (
        <path key={k} class={`${base} vp-vlan-${k}`} d={c.d} stroke-dasharray={i === 0 ? undefined : `${DASH} ${DASH * (colours.length - 1)}`} stroke-dashoffset={i === 0 ? undefined : -DASH * i} />
      ))}
    </g>
  );
}

/** One drawing of the topology: the SVG at one CSS pixel per unit for a small topology (never scaled up past it), or shrunk to its column for a big one, and the spots over its devices. */
function Drawing(props: TopologyProps & { fitClass: string; svgRef?: { current: SVGSVGElement | null } | undefined }) {
  const { layout, flights, marks, selected, onSelect, edit } = props;
  const markByBox = boxMarks(layout, marks);
  const label = useMemo(() => describeTopology(layout, props.title, props.name), [layout, props.title]);
  const palette = useMemo(() => vlanPalette(layout), [layout]);
  const markers = markerViews(layout, flights, selected);
  const size = layout.fixed ? { width: layout.width, height: layout.height } : {};
  return (
    <div class={`vp-svg-wrap ${props.fitClass}${layout.fixed ? '' : ' vp-svg-wrap--fluid'}${edit ? ' vp-svg-wrap--edit' : ''}`}>
      <svg ref={props.svgRef} class={`vp-svg${edit ? ' vp-svg--edit' : ''}`} viewBox={layout.viewBox} {...size} role="img" aria-label={label} preserveAspectRatio="xMidYMid meet">
        {layout.nodes.length > 0 && (
          <g class="vp-nodes">
            {layout.nodes.map((n) => {
              const name = layout.texts.find((t) => t.kind === 'node' && t.text === `node ${n.name}`);
              return (
                <g key={n.name} class="vp-node" data-node={n.name}>
                  <rect class="vp-node-box" x={n.x} y={n.y} width={n.width} height={n.height} rx="8" />
                  <text class="vp-node-name" x={n.x + 4} y={name?.y ?? n.y - 9} dominant-baseline="central">
                    {`node ${n.name}`}
                  </text>
                </g>
              );
            })}
          </g>
        )}
        <g class="vp-cables">
          {layout.cables.map((c) => (
            <Cable key={c.index} c={c} palette={palette} />
          ))}
          {layout.cables.map(
            (c) =>
              c.tag && (
                <text key={`tag-${c.index}`} class="vp-port vp-veth-tag" x={c.tag.x} y={c.tag.y} text-anchor="middle" dominant-baseline="central">
                  {c.tagText ?? 'veth'}
                </text>
              ),
          )}
          {/* Each access port of a switch: a square in its VLAN's colour where its cable meets the box. */}
          {layout.cables.flatMap((c) =>
            [c.a, c.b]
              .filter((end) => end.vlan !== undefined && palette.has(end.vlan))
              .map((end) => (
                <rect key={`sq-${c.index}-${end.device}-${end.port}`} class={`vp-port-square vp-vlan-${palette.get(end.vlan!)}`} x={end.port0.x - 4} y={end.port0.y - 4} width="8" height="8" />
              )),
          )}
        </g>
        <g class="vp-devices">
          {layout.devices.map((d) => {
            const box = markByBox.get(d.id);
            const failed = props.failures?.find((f) => f.device === d.id);
            const mark = failed ? { device: d.id, mark: 'dropped' as const, text: failed.text } : box?.mark;
            const group = d.members !== undefined;
            const editing = edit && !group ? `${edit.selected === d.id ? ' vp-dev--selected' : ''}${edit.cableFrom === d.id ? ' vp-dev--cable-from' : ''}` : '';
            return (
              <g
                key={d.id}
                class={`vp-dev vp-dev--${group ? 'group' : d.kind}${mark ? ` vp-mark--${mark.mark}` : ''}${editing}`}
                transform={`translate(${d.x},${d.y})`}
                data-device={group ? undefined : d.id}
                data-group={group ? d.id : undefined}
                onPointerDown={edit && !group ? (e) => edit.onDevicePointerDown(d.id, e) : undefined}
              >
                {!group && (d.addresses || d.details) && <title>{deviceSummary(d)}</title>}
                {edit && !group && <rect class="vp-dev-hit" x={-d.hw - 6} y={-d.hh - 6} width={2 * d.hw + 12} height={2 * d.hh + 12} rx="10" />}
                {mark && <rect class="vp-dev-ring" x={-d.hw - 5} y={-d.hh - 5} width={2 * d.hw + 10} height={2 * d.hh + 10} rx="12" />}
                {group && <rect class="vp-dev-box vp-dev-stack" x={-d.hw + 5} y={-d.hh - 5} width={2 * d.hw} height={2 * d.hh} rx="9" />}
                <DeviceShape d={d} />
                {d.rows.map((row, k) => (
                  <text key={k} class={row.kind === 'name' ? 'vp-dev-name' : row.kind === 'line' ? 'vp-dev-line' : 'vp-dev-addr'} y={row.y} text-anchor="middle" dominant-baseline="central">
                    {row.text}
                  </text>
                ))}
                {mark && (
                  <text class={`vp-badge-text vp-mark--${mark.mark}`} y={d.badgeY} text-anchor="middle" dominant-baseline="central">
                    {failed ? failed.text : box && box.count > 1 ? `${MARK_TEXT[mark.mark]} ×${formatCount(box.count)}` : MARK_TEXT[mark.mark]}
                  </text>
                )}
                {d.freePorts.length > 0 && (
                  <text class="vp-port vp-free" y={freeY(d) - d.y} text-anchor="middle" dominant-baseline="central">
                    {`free: ${d.freePorts.join(', ')}`}
                  </text>
                )}
              </g>
            );
          })}
        </g>
        <g class="vp-ports">
          {layout.cables.flatMap((c) =>
            [c.a, c.b]
              .filter((end) => end.text !== '')
              .map((end) => (
                <text
                  key={`${c.index}-${end.device}-${end.port}`}
                  class={`vp-port${end.vlan !== undefined && palette.has(end.vlan) ? ` vp-vlan-${palette.get(end.vlan)}` : ''}`}
                  x={end.label.x}
                  y={end.label.y}
                  text-anchor="middle"
                  dominant-baseline="central"
                >
                  {end.text}
                </text>
              )),
          )}
        </g>
        {edit && (
          <g class="vp-cuts">
            {layout.cables
              .filter((c) => c.link >= 0)
              .map((c) => {
                const mid = bezierPoint(c, 0.5);
                return (
                  <g key={c.index} class="vp-cut" transform={`translate(${mid.x},${mid.y})`} data-link={String(c.link)} onClick={() => edit.onCableRemove(c.link)}>
                    <title>{`Disconnect ${props.name(c.a.device)} ${c.a.port} from ${props.name(c.b.device)} ${c.b.port}`}</title>
                    <circle r="9" />
                    <path d="M-3.5,-3.5 L3.5,3.5 M3.5,-3.5 L-3.5,3.5" />
                  </g>
                );
              })}
          </g>
        )}
        <g class="vp-markers">
          {markers.map((m) => {
            const end = markerTransform(m.cable, m.forward, markerSpan(m.cable, m.forward).end);
            const vlan = m.vlan && palette.has(m.vlan.vlan) ? m.vlan : undefined;
            return (
              <g
                key={m.key}
                class={`vp-marker vp-tone--${m.tone}${m.selected ? ' vp-marker--selected' : ''}${vlan ? ` vp-vlan-${palette.get(vlan.vlan)}` : ''}${vlan?.tagged ? ' vp-marker--tagged' : ''}`}
                transform={end}
                data-end={end}
                data-fresh={m.fresh ? 'true' : 'false'}
                data-cable={String(m.cable.index)}
                data-forward={m.forward ? 'true' : 'false'}
                data-vlan={vlan ? String(vlan.vlan) : undefined}
                onClick={() => m.eventIndex >= 0 && onSelect(m.eventIndex)}
              >
                {/* Its VLAN: a ring in the VLAN's colour; a tagged frame also carries its tag, a flag with the VLAN's number. */}
                {vlan && <circle class="vp-marker-vlan" r="11.5" />}
                <FrameShape tone={m.tone} />
                {vlan?.tagged && <TagFlag vid={vlan.vlan} cable={m.cable} forward={m.forward} />}
                {m.count > 1 && (
                  <text class="vp-marker-count" x="10" y="-8">
                    {`×${formatCount(m.count)}`}
                  </text>
                )}
              </g>
            );
          })}
        </g>
        {/* Where a flood stopped at the edge of its VLAN: a barred circle on each port it left out. */}
        {(props.stops ?? []).map((stop) => {
          const at = portPoint(layout, stop.device, stop.port);
          return (
            at && (
              <g key={`stop-${stop.device}-${stop.port}`} class="vp-stop" transform={`translate(${at.x},${at.y})`} data-stop={`${stop.device} ${stop.port}`}>
                <title>{`${props.name(stop.device)} ${stop.port} is not in VLAN ${stop.vlan}: the flood leaves it out`}</title>
                <circle r="8" />
                <path d="M-5.6,5.6 L5.6,-5.6" />
              </g>
            )
          );
        })}
        {/* A frame dropped or filtered at a port: a cross where it happened, on that port. */}
        <g class="vp-badges">
          {[...markByBox].map(([boxId, { mark: m }]) => {
            const d = layout.device.get(boxId);
            const at = d && !d.members && (m.mark === 'dropped' || m.mark === 'filtered') ? portPoint(layout, m.device, m.port) : null;
            return (
              at && (
                <g key={boxId} class={`vp-badge vp-mark--${m.mark}`}>
                  <g class="vp-cross" transform={`translate(${at.x},${at.y})`}>
                    <circle r="8" />
                    <path d="M-3.8,-3.8 L3.8,3.8 M3.8,-3.8 L-3.8,3.8" />
                  </g>
                </g>
              )
            );
          })}
        </g>
      </svg>
      <DeviceSpots layout={layout} />
    </div>
  );
}

export function Topology(props: TopologyProps) {
  const { layout, narrow, fit, onFit } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const two = narrow !== undefined && narrow !== layout;
  // Before the player has measured itself (and on the server) both layouts are drawn, and
  // player.css's container query shows the one that fits; then only that one.
  const shown = !two ? [layout] : fit === 'wide' ? [layout] : fit === 'narrow' ? [narrow] : [layout, narrow];

  useLayoutEffect(() => {
    const box = scrollRef.current;
    if (!box || !two || !onFit) return;
    const measure = () => onFit(box.clientWidth >= WIDE_WIDTH ? 'wide' : 'narrow');
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    return () => observer.disconnect();
  }, [two, onFit]);

  useLayoutEffect(() => {
    const svg = svgRef.current;
    if (!svg || shown.length > 1) return;
    const drawn = shown[0]!;
    // Markers move only after a step, and a step needs the core: its motion code comes with it.
    const core = loadedCore();
    if (!core) return;
    core.finishAnimations(svg);
    if (props.lastMove !== 'forward') return;
    for (const el of svg.querySelectorAll<SVGGElement>('[data-fresh="true"]')) {
      const cable = drawn.cables[Number(el.dataset['cable'])];
      if (cable) core.animateMarker(el, cable, el.dataset['forward'] === 'true', props.duration);
    }
  }, [props.version, shown[0], shown.length]);

  return (
    <div class="vp-svg-scroll" ref={scrollRef}>
      {shown.map((l, k) => (
        <Drawing
          key={l === layout ? 'wide' : 'narrow'}
          {...props}
          layout={l}
          svgRef={shown.length === 1 ? svgRef : undefined}
          fitClass={shown.length === 1 ? '' : k === 0 ? 'vp-svg-wrap--wide' : 'vp-svg-wrap--narrow'}
        />
      ))}
    </div>
  );
}

export interface StepNotesProps {
  flights: FlightView[];
  marks: DeviceMark[];
  selected: number | null;
  hydrated: boolean;
  onSelect: (eventIndex: number) => void;
  name: (deviceId: string) => string;
}

/** Frames listed under "On the cables" at first; "Show more" adds FLIGHTS_PAGE at a time. */
export const FLIGHTS_SHOWN = 12;
export const FLIGHTS_PAGE = 50;
/** Devices listed under "Latest step" at first. */
export const MARKS_SHOWN = 12;

/** The drawing in words: what each device did in the latest step, and the frames on the cables. */
export function StepNotes({ flights, marks, selected, hydrated, onSelect, name }: StepNotesProps) {
  const [flightsShown, setFlightsShown] = useState(FLIGHTS_SHOWN);
  const [marksShown, setMarksShown] = useState(MARKS_SHOWN);
  return (
    <div class="vp-notes">
      {marks.length > 0 && (
        <ul class="vp-marks" aria-label="Latest step">
          {marks.slice(0, marksShown).map((m) => (
            <li key={m.device} class={`vp-mark vp-mark--${m.mark}`} title={m.text}>
              <strong>{name(m.device)}</strong> {MARK_TEXT[m.mark]}
              {(m.mark === 'dropped' || m.mark === 'filtered') && m.port ? ` at ${m.port}` : ''}
            </li>
          ))}
        </ul>
      )}
      <ShowMore hidden={marks.length - Math.min(marksShown, marks.length)} shown={marksShown} initial={MARKS_SHOWN} what="devices" page={FLIGHTS_PAGE} onShow={setMarksShown} />
      <p class="vp-flight-title">{flights.length === 0 ? 'No frame on the cables.' : `On the cables (${formatCount(flights.length)}):`}</p>
      {flights.length > 0 && (
        <ul class="vp-flights">
          {flights.slice(0, flightsShown).map((f) => (
            <li key={f.frameId}>
              <button
                type="button"
                class={`vp-flight vp-tone--${f.tone}`}
                disabled={!hydrated || f.eventIndex < 0}
                aria-pressed={selected === f.eventIndex ? 'true' : 'false'}
                onClick={() => onSelect(f.eventIndex)}
              >
                <svg class="vp-swatch" viewBox="-10 -10 20 20" aria-hidden="true" focusable="false">
                  <FrameShape tone={f.tone} />
                </svg>
                <span>
                  {name(f.from.device)} {f.from.port} → {name(f.to.device)} {f.to.port}: {f.summary}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <ShowMore hidden={flights.length - Math.min(flightsShown, flights.length)} shown={flightsShown} initial={FLIGHTS_SHOWN} what="frames" page={FLIGHTS_PAGE} onShow={setFlightsShown} />
    </div>
  );
}

/** Which shape and colour means what, in words. */
export function Legend({ vlans = false, namespaces = false, palette = [] }: { vlans?: boolean; namespaces?: boolean; palette?: number[] }) {
  const tones: { tone: FrameTone; text: string }[] = [
    { tone: 'broadcast', text: 'broadcast' },
    { tone: 'unicast', text: 'unicast' },
    { tone: 'reply', text: 'reply' },
  ];
  // The examples in words use a VLAN of this drawing (VLAN 100 in the stretched VLAN), not a fixed one.
  const ex = palette[0] ?? 10;
  return (
    <ul class="vp-legend" aria-label="Legend">
      {tones.map((t) => (
        <li key={t.tone} class={`vp-tone--${t.tone}`}>
          <svg class="vp-swatch" viewBox="-10 -10 20 20" aria-hidden="true" focusable="false">
            <FrameShape tone={t.tone} />
          </svg>
          {t.text}
        </li>
      ))}
      <li class="vp-mark--dropped">
        <span class="vp-legend-sym" aria-hidden="true">
          ✕
        </span>
        dropped or filtered
      </li>
      <li class="vp-mark--delivered">
        <span class="vp-legend-sym" aria-hidden="true">
          ✓
        </span>
        delivered
      </li>
      {palette.map((vlan, k) => (
        <li key={`vlan-${vlan}`} class={`vp-vlan-${k % VLAN_COLOURS}`}>
          <svg class="vp-swatch" viewBox="-10 -10 20 20" aria-hidden="true" focusable="false">
            <path class="vp-cable vp-vlan-swatch" d="M-9,0 L9,0" />
          </svg>
          VLAN {vlan}
        </li>
      ))}
      {vlans && (
        <li class="vp-legend-vlans">
          v{ex}: access port in VLAN {ex}, its cable and its frames (ringed) in VLAN {ex}'s colour · trunk (thick; striped in its VLANs' colours when it carries several): frames on it tagged · a
          frame flagged “tag {ex}”: tagged · .{ex}: sub-interface eth0.{ex} · ⊘ on a port: the flood leaves it out, not in the frame's VLAN
        </li>
      )}
      {namespaces && <li class="vp-legend-vlans">dotted outline: the namespaces of one node (machine) · dashed line marked veth: a veth pair · br0 in a box: its bridge device</li>}
    </ul>
  );
}
