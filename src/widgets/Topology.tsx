// The network drawing: cables, devices with their names, port names, frames on the cables and
// what each device did in the latest step. Rendered on the server as plain SVG; after hydration
// the frames put on a cable by the latest step slide along it (d3-transition), unless the reader
// prefers reduced motion.

import { useLayoutEffect, useRef } from 'preact/hooks';
import { animateMarker, finishAnimations, markerTransform } from '../render/animate';
import { bezierPoint, markerSpan, travelsForward, type Layout, type LaidOutCable, type LaidOutDevice } from '../render/layout';
import type { DeviceMark, FlightView, FrameTone, MarkKind, Move } from './player-model';

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

export const MARK_TEXT: Record<MarkKind, string> = {
  delivered: '✓ delivered',
  dropped: '✕ dropped',
  filtered: '✕ filtered',
  flooded: '⇉ flooded',
  forwarded: '→ forwarded',
  received: '↓ received',
  sent: '↑ sent',
};

function describeTopology(layout: Layout, title: string, name: (id: string) => string): string {
  const end = (e: Layout['cables'][number]['a']) => `${name(e.device)} ${e.port}${e.about ? ` (${e.about})` : ''}`;
  const cables = layout.cables.map((c) => `${end(c.a)} to ${end(c.b)}`);
  const devices = layout.devices.map((d) => `${d.label} (${d.kind})`);
  return `Network diagram of “${title}”: ${devices.join(', ')}. Cables: ${cables.join('; ')}.`;
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

export function Topology(props: TopologyProps) {
  const { layout, flights, marks, selected, onSelect, edit } = props;
  const svgRef = useRef<SVGSVGElement>(null);
  const markByDevice = new Map(marks.map((m) => [m.device, m]));
  const label = describeTopology(layout, props.title, props.name);

  useLayoutEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    finishAnimations(svg);
    if (props.lastMove !== 'forward') return;
    for (const el of svg.querySelectorAll<SVGGElement>('[data-fresh="true"]')) {
      const cable = layout.cables[Number(el.dataset['link'])];
      if (cable) animateMarker(el, cable, el.dataset['forward'] === 'true', props.duration);
    }
  }, [props.version]);

  return (
    <svg ref={svgRef} class={`vp-svg${edit ? ' vp-svg--edit' : ''}`} viewBox={layout.viewBox} role="img" aria-label={label} preserveAspectRatio="xMidYMid meet">
      <g class="vp-cables">
        {layout.cables.map((c) => (
          <path key={c.index} class={c.trunk ? 'vp-cable vp-cable--trunk' : 'vp-cable'} d={c.d} />
        ))}
      </g>
      <g class="vp-devices">
        {layout.devices.map((d) => {
          const mark = markByDevice.get(d.id);
          const editing = edit ? `${edit.selected === d.id ? ' vp-dev--selected' : ''}${edit.cableFrom === d.id ? ' vp-dev--cable-from' : ''}` : '';
          return (
            <g
              key={d.id}
              class={`vp-dev vp-dev--${d.kind}${mark ? ` vp-mark--${mark.mark}` : ''}${editing}`}
              transform={`translate(${d.x},${d.y})`}
              data-device={d.id}
              onPointerDown={edit ? (e) => edit.onDevicePointerDown(d.id, e) : undefined}
            >
              {edit && <rect class="vp-dev-hit" x={-d.hw - 6} y={-d.hh - 6} width={2 * d.hw + 12} height={2 * d.hh + 12} rx="10" />}
              {mark && <rect class="vp-dev-ring" x={-d.hw - 5} y={-d.hh - 5} width={2 * d.hw + 10} height={2 * d.hh + 10} rx="12" />}
              <DeviceShape d={d} />
              <text class="vp-dev-name" y="5" text-anchor="middle">
                {d.label}
              </text>
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
          [c.a, c.b].map((end) => (
            <text key={`${c.index}-${end.device}-${end.port}`} class="vp-port" x={end.label.x} y={end.label.y + 4} text-anchor="middle">
              {end.text}
            </text>
          )),
        )}
      </g>
      {edit && (
        <g class="vp-cuts">
          {layout.cables.map((c) => {
            const mid = bezierPoint(c, 0.5);
            return (
              <g key={c.index} class="vp-cut" transform={`translate(${mid.x},${mid.y})`} data-link={String(c.index)} onClick={() => edit.onCableRemove(c.index)}>
                <title>{`Disconnect ${props.name(c.a.device)} ${c.a.port} from ${props.name(c.b.device)} ${c.b.port}`}</title>
                <circle r="9" />
                <path d="M-3.5,-3.5 L3.5,3.5 M3.5,-3.5 L-3.5,3.5" />
              </g>
            );
          })}
        </g>
      )}
      <g class="vp-markers">
        {flights.map((f) => {
          const cable: LaidOutCable | undefined = layout.cables[f.link];
          if (!cable) return null;
          const forward = travelsForward(cable, f.from.device, f.from.port);
          const end = markerTransform(cable, forward, markerSpan(cable, forward).end);
          return (
            <g
              key={f.frameId}
              class={`vp-marker vp-tone--${f.tone}${selected === f.eventIndex ? ' vp-marker--selected' : ''}`}
              transform={end}
              data-end={end}
              data-fresh={f.fresh ? 'true' : 'false'}
              data-link={String(f.link)}
              data-forward={forward ? 'true' : 'false'}
              onClick={() => f.eventIndex >= 0 && onSelect(f.eventIndex)}
            >
              <FrameShape tone={f.tone} />
            </g>
          );
        })}
      </g>
      <g class="vp-badges">
        {marks.map((m) => {
          const d = layout.device[m.device];
          if (!d) return null;
          const at = m.mark === 'dropped' || m.mark === 'filtered' ? portPoint(layout, m.device, m.port) : null;
          return (
            <g key={m.device} class={`vp-badge vp-mark--${m.mark}`}>
              {at && (
                <g class="vp-cross" transform={`translate(${at.x},${at.y})`}>
                  <circle r="8" />
                  <path d="M-3.8,-3.8 L3.8,3.8 M3.8,-3.8 L-3.8,3.8" />
                </g>
              )}
              <text class="vp-badge-text" x={d.x} y={d.y - d.hh - 11} text-anchor="middle">
                {MARK_TEXT[m.mark]}
              </text>
            </g>
          );
        })}
      </g>
    </svg>
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

/** The drawing in words: what each device did in the latest step, and the frames on the cables. */
export function StepNotes({ flights, marks, selected, hydrated, onSelect, name }: StepNotesProps) {
  return (
    <div class="vp-notes">
      {marks.length > 0 && (
        <ul class="vp-marks" aria-label="Latest step">
          {marks.map((m) => (
            <li key={m.device} class={`vp-mark vp-mark--${m.mark}`} title={m.text}>
              <strong>{name(m.device)}</strong> {MARK_TEXT[m.mark]}
              {(m.mark === 'dropped' || m.mark === 'filtered') && m.port ? ` at ${m.port}` : ''}
            </li>
          ))}
        </ul>
      )}
      <p class="vp-flight-title">{flights.length === 0 ? 'No frame on the cables.' : `On the cables (${flights.length}):`}</p>
      {flights.length > 0 && (
        <ul class="vp-flights">
          {flights.map((f) => (
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
    </div>
  );
}

/** Which shape and colour means what, in words. */
export function Legend({ vlans = false }: { vlans?: boolean }) {
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
      {vlans && (
        <li class="vp-legend-vlans">v10: access port in VLAN 10 · trunk (thick cable): tagged VLANs · .10: sub-interface eth0.10</li>
      )}
    </ul>
  );
}
