// The network drawing: cables, devices with their names, port names, frames on the cables and
// what each device did in the latest step. Rendered on the server as plain SVG; after hydration
// the frames put on a cable by the latest step slide along it (d3-timer and d3-ease), unless the reader
// prefers reduced motion. In a big topology hosts are drawn in groups (render/layout.ts): the
// frames on a group's bundle of cables are one marker per direction and kind with their count,
// and what its hosts did in the latest step is one badge ("↓ received ×12"). The namespaces of one
// node sit inside an outlined box named after it; a veth pair is a dashed line marked "veth"; a
// namespace's bridge devices are written inside its box. Each device's IPv4 addresses are written
// inside its box under its name; a focusable spot over it (one Tab stop for all, arrow keys between
// them) shows its MACs and gateway in a tooltip on hover or focus, and says them to a screen reader.

import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { animateMarker, finishAnimations, markerTransform } from '../render/animate';
import { ADDRESS_STEP, bezierPoint, markerSpan, MIN_SCALE, travelsForward, type Layout, type LaidOutCable, type LaidOutDevice } from '../render/layout';
import { formatCount } from '../sim/scenario/limits';
import type { DeviceMark, FlightView, FrameTone, MarkKind, Move } from './player-model';
import { ShowMore } from './ShowMore';

export interface TopologyProps {
  layout: Layout;
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

/** Baseline to baseline of the lines written inside a box under its name (layout.ts leaves this much room per line). */
const LINE_STEP = 13;

/** Devices and cables the drawing's text description names one by one; the rest are counted. */
const DESCRIBED = 40;

export function describeTopology(layout: Layout, title: string, name: (id: string) => string): string {
  const end = (e: Layout['cables'][number]['a']) => `${name(e.device)} ${e.port}${e.about ? ` (${e.about})` : ''}`;
  const more = (n: number, what: string) => (n > 0 ? `, and ${formatCount(n)} more ${what}` : '');
  const devices = layout.devices
    .slice(0, DESCRIBED)
    .map((d) => (d.members ? `a group of ${d.label} cabled to ${name(d.id.slice('group:'.length))}` : `${d.label} (${d.kind}${d.about ? `; ${d.about}` : ''})`));
  const plain = layout.cables.filter((c) => c.link >= 0);
  const cables = plain.slice(0, DESCRIBED).map((c) => `${end(c.a)} to ${end(c.b)}${c.veth ? ' (veth pair)' : ''}`);
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
 * Over each device with addresses, a focusable spot the size of its box: hovering or focusing it
 * shows a tooltip with its MACs and gateway (HTML, so that its text keeps its size on a phone),
 * and its accessible name says all of them. Placed in percentages of the drawing, which keeps
 * the viewBox's proportions. The spots are one Tab stop (the first device's, before hydration);
 * the arrow keys, Home and End move between them.
 */
function DeviceSpots({ layout }: { layout: Layout }) {
  const pct = (n: number) => `${Math.round(n * 10000) / 100}%`;
  const spots = layout.devices.filter((d) => !d.members && (d.addresses || d.details));
  const [current, setCurrent] = useState(0);
  const stop = Math.min(current, spots.length - 1);
  const onKeyDown = (event: KeyboardEvent, k: number) => {
    const next = { ArrowRight: k + 1, ArrowDown: k + 1, ArrowLeft: k - 1, ArrowUp: k - 1, Home: 0, End: spots.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const to = (next + spots.length) % spots.length;
    setCurrent(to);
    ((event.currentTarget as HTMLElement).parentElement?.children[to] as HTMLElement | undefined)?.focus();
  };
  if (spots.length === 0) return null;
  return (
    <div class="vp-spots">
      {spots.map((d, k) => {
        const fromLeft = (d.x - layout.x0) / layout.width;
        const side = fromLeft < 0.34 ? 'start' : fromLeft > 0.66 ? 'end' : 'middle';
        // Below a device in the upper half, above one in the lower half: inside the drawing, which may scroll sideways and so clips.
        const above = (d.y - layout.y0) / layout.height > 0.5;
        return (
          <span
            key={d.id}
            class="vp-spot"
            data-spot={d.id}
            tabindex={k === stop ? 0 : -1}
            role="img"
            aria-label={deviceSummary(d)}
            onKeyDown={(event) => onKeyDown(event, k)}
            onFocus={() => setCurrent(k)}
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
  if (d.kind === 'hub') return <ellipse class="vp-dev-box" rx={hw + 4} ry={hh + 2} />;
  // A router: a pill with a cross of arrows' worth of hint, distinct from the switch's square box.
  if (d.kind === 'router') return <rect class="vp-dev-box vp-dev-box--router" x={-hw - 2} y={-hh} width={2 * hw + 4} height={2 * hh} rx={hh} />;
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
}

function markerViews(layout: Layout, flights: readonly FlightView[], selected: number | null): MarkerView[] {
  const views: MarkerView[] = [];
  const bundled = new Map<string, MarkerView>();
  for (const f of flights) {
    const cable = layout.cables[layout.cableOf[f.link] ?? -1];
    if (!cable) continue;
    if (cable.link >= 0) {
      const forward = travelsForward(cable, f.from.device, f.from.port);
      views.push({
        key: String(f.frameId),
        cable,
        forward,
        tone: f.tone,
        count: 1,
        fresh: f.fresh,
        eventIndex: f.eventIndex,
        selected: selected === f.eventIndex,
      });
      continue;
    }
    // A bundle's a end is the group box: a frame sent by one of its hosts travels forward.
    const forward = layout.nodeOf.get(f.from.device)?.id === cable.a.device;
    const key = `bundle-${cable.index}-${forward ? 'out' : 'in'}-${f.tone}`;
    const view = bundled.get(key);
    if (view) {
      view.count++;
      view.fresh ||= f.fresh;
      view.selected ||= selected === f.eventIndex;
    } else {
      const created: MarkerView = {
        key,
        cable,
        forward,
        tone: f.tone,
        count: 1,
        fresh: f.fresh,
        eventIndex: f.eventIndex,
        selected: selected === f.eventIndex,
      };
      bundled.set(key, created);
      views.push(created);
    }
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

export function Topology(props: TopologyProps) {
  const { layout, flights, marks, selected, onSelect, edit } = props;
  const svgRef = useRef<SVGSVGElement>(null);
  const markByBox = boxMarks(layout, marks);
  const label = useMemo(() => describeTopology(layout, props.title, props.name), [layout, props.title]);
  const markers = markerViews(layout, flights, selected);
  const addressed = useMemo(() => layout.devices.some((d) => d.addresses), [layout]);

  useLayoutEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    finishAnimations(svg);
    if (props.lastMove !== 'forward') return;
    for (const el of svg.querySelectorAll<SVGGElement>('[data-fresh="true"]')) {
      const cable = layout.cables[Number(el.dataset['cable'])];
      if (cable) animateMarker(el, cable, el.dataset['forward'] === 'true', props.duration);
    }
  }, [props.version]);

  return (
    // Never smaller than MIN_SCALE when it writes addresses: a wide drawing scrolls sideways on a phone rather than shrink them.
    // (A big topology's drawing writes none, and shrinks to fit.)
    <div class="vp-svg-scroll">
      <div class={`vp-svg-wrap${edit ? ' vp-svg-wrap--edit' : ''}`} style={addressed ? { minWidth: `${Math.ceil(layout.width * MIN_SCALE)}px` } : undefined}>
        <svg ref={svgRef} class={`vp-svg${edit ? ' vp-svg--edit' : ''}`} viewBox={layout.viewBox} role="img" aria-label={label} preserveAspectRatio="xMidYMid meet">
          {layout.nodes.length > 0 && (
            <g class="vp-nodes">
              {layout.nodes.map((n) => (
                <g key={n.name} class="vp-node" data-node={n.name}>
                  <rect class="vp-node-box" x={n.x} y={n.y} width={n.width} height={n.height} rx="8" />
                  <text class="vp-node-name" x={n.x + 4} y={n.y - 5}>
                    {`node ${n.name}`}
                  </text>
                </g>
              ))}
            </g>
          )}
          <g class="vp-cables">
            {layout.cables.map((c) => (
              <path key={c.index} class={c.link < 0 ? 'vp-cable vp-cable--bundle' : c.trunk ? 'vp-cable vp-cable--trunk' : c.veth ? 'vp-cable vp-cable--veth' : 'vp-cable'} d={c.d} />
            ))}
            {layout.cables.map(
              (c) =>
                c.tag && (
                  <text key={`tag-${c.index}`} class="vp-port vp-veth-tag" x={c.tag.x} y={c.tag.y + 4} text-anchor="middle">
                    veth
                  </text>
                ),
            )}
          </g>
          <g class="vp-devices">
            {layout.devices.map((d) => {
              const mark = markByBox.get(d.id)?.mark;
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
                  <text class="vp-dev-name" y={d.lines || d.addresses ? -d.hh + 20 : 5} text-anchor="middle">
                    {d.label}
                  </text>
                  {d.lines?.map((line, k) => (
                    <text key={k} class="vp-dev-line" y={-d.hh + 20 + LINE_STEP * (k + 1)} text-anchor="middle">
                      {line}
                    </text>
                  ))}
                  {d.addresses?.map((address, k) => (
                    <text key={`a${k}`} class="vp-dev-addr" y={-d.hh + 20 + LINE_STEP * (d.lines?.length ?? 0) + ADDRESS_STEP * (k + 1)} text-anchor="middle">
                      {address}
                    </text>
                  ))}
                  {d.freePorts.length > 0 && (
                    <text class="vp-port vp-free" y={d.hh + 14} text-anchor="middle">
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
                  <text key={`${c.index}-${end.device}-${end.port}`} class="vp-port" x={end.label.x} y={end.label.y + 4} text-anchor="middle">
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
              return (
                <g
                  key={m.key}
                  class={`vp-marker vp-tone--${m.tone}${m.selected ? ' vp-marker--selected' : ''}`}
                  transform={end}
                  data-end={end}
                  data-fresh={m.fresh ? 'true' : 'false'}
                  data-cable={String(m.cable.index)}
                  data-forward={m.forward ? 'true' : 'false'}
                  onClick={() => m.eventIndex >= 0 && onSelect(m.eventIndex)}
                >
                  <FrameShape tone={m.tone} />
                  {m.count > 1 && (
                    <text class="vp-marker-count" x="10" y="-8">
                      {`×${formatCount(m.count)}`}
                    </text>
                  )}
                </g>
              );
            })}
          </g>
          <g class="vp-badges">
            {[...markByBox].map(([boxId, { mark: m, count }]) => {
              const d = layout.device.get(boxId);
              if (!d) return null;
              const at = !d.members && (m.mark === 'dropped' || m.mark === 'filtered') ? portPoint(layout, m.device, m.port) : null;
              return (
                <g key={boxId} class={`vp-badge vp-mark--${m.mark}`}>
                  {at && (
                    <g class="vp-cross" transform={`translate(${at.x},${at.y})`}>
                      <circle r="8" />
                      <path d="M-3.8,-3.8 L3.8,3.8 M3.8,-3.8 L-3.8,3.8" />
                    </g>
                  )}
                  <text class="vp-badge-text" x={d.x} y={d.y - d.hh - 11} text-anchor="middle">
                    {count > 1 ? `${MARK_TEXT[m.mark]} ×${formatCount(count)}` : MARK_TEXT[m.mark]}
                  </text>
                </g>
              );
            })}
          </g>
        </svg>
        <DeviceSpots layout={layout} />
      </div>
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
export function Legend({ vlans = false, namespaces = false }: { vlans?: boolean; namespaces?: boolean }) {
  const tones: { tone: FrameTone; text: string }[] = [
    { tone: 'broadcast', text: 'broadcast' },
    { tone: 'unicast', text: 'unicast' },
    { tone: 'reply', text: 'reply' },
  ];
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
      {vlans && <li class="vp-legend-vlans">v10: access port in VLAN 10 · trunk (thick cable): tagged VLANs · .10: sub-interface eth0.10</li>}
      {namespaces && <li class="vp-legend-vlans">dotted outline: the namespaces of one node (machine) · dashed line marked veth: a veth pair · br0 in a box: its bridge device</li>}
    </ul>
  );
}
