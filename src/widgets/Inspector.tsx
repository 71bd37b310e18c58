// The inspector: opens beside the event log (under it on a narrow player) when the reader chooses a
// line with a frame, or a frame on the cables. It shows what the chosen event's device did, layer by
// layer, computed from the trace (device-layers.ts), then the frame's bytes (FrameDetails).
//
// Focus stays on the chosen line (its aria-pressed says it is the one shown, and ↑ ↓ go on choosing);
// the inspector is the next Tab stop after the log, announces what it shows, and Esc closes it, in
// the log or in the inspector, giving focus back to the line.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { DeviceSpec } from '../sim/scenario/format';
import { deviceLayers, LAYER_NAMES, type DeviceLayers, type FrameSide, type LayerNumber, type LayerRow, type TraceReader } from './device-layers';
import { FrameDetails } from './FrameDetails';
import { ScrollBox } from './ScrollBox';
import { breakAtColons } from './break-at-colons';
import type { FrameDetail } from './player-model';

export interface InspectorProps {
  idPrefix: string;
  /** The chosen frame; null: the inspector is closed (only its announcement stays, empty). */
  detail: FrameDetail | null;
  /** The run's trace (the player's Simulation), read for the layered view and the frame's bytes. */
  trace: TraceReader;
  devices: readonly DeviceSpec[];
  /** Bumped by every step: the trace grew (a packet waiting for ARP leaves later) or shrank. */
  version: number;
  hydrated: boolean;
  name: (deviceId: string) => string;
  onSelect: (eventIndex: number) => void;
  onClose: () => void;
}

export const inspectorId = (idPrefix: string) => `${idPrefix}-inspector`;

const LAYERS_SHOWN: LayerNumber[] = [4, 3, 2, 1];

function Cell({ rows }: { rows: LayerRow[] }) {
  if (rows.length === 0) return <td class="vp-muted">—</td>;
  return (
    <td>
      {rows.map((r, i) => (
        <span key={i} class="vp-insp-row">
          {breakAtColons(r.text)}
          {r.changed && <span class="vp-insp-changed"> changed</span>}
        </span>
      ))}
    </td>
  );
}

function SideButton({ side, chosen, label, onSelect, name }: { side: FrameSide; chosen: number; label: string; onSelect: (i: number) => void; name: (deviceId: string) => string }) {
  const here = side.event === chosen;
  return (
    <li>
      <span class="vp-insp-dir">{label}</span> <span class="vp-mono">{side.iface}</span>
      {side.toward ? ` to ${name(side.toward)}` : ''}
      {label.startsWith('Out') && (side.forwarded ? ', passed on' : <>, a frame of its own: <span class="vp-mono">{side.summary}</span></>)}{' '}
      {here ? (
        <span class="vp-muted">(shown here)</span>
      ) : (
        <button type="button" class="vp-btn vp-btn--small" onClick={() => onSelect(side.event)}>
          Show its bytes
        </button>
      )}
    </li>
  );
}

export function Inspector(props: InspectorProps) {
  const { detail, trace, devices, version, name } = props;
  const index = detail?.eventIndex ?? null;
  const view = useMemo(() => (index === null ? null : deviceLayers(trace, index, devices)), [trace, index, devices, version]);
  const device = view ? name(view.device) : '';
  // Always there, and written just after it appears (the module is fetched when first wanted), so
  // that what it says is announced when the inspector opens, and on each line chosen.
  const text = detail && view ? `Inspector: ${device}: ${view.path.join(', then ')}.` : '';
  const [said, setSaid] = useState('');
  useEffect(() => setSaid(text), [text]);
  return (
    <>
      <p class="visually-hidden" role="status">
        {said}
      </p>
      {detail && index !== null && <Open {...props} detail={detail} index={index} view={view} device={device} />}
    </>
  );
}

function Open({ idPrefix, detail, index, view, device, trace, hydrated, onSelect, onClose, name }: InspectorProps & { detail: FrameDetail; index: number; view: DeviceLayers | null; device: string }) {
  const bytes = trace.eventAt(index)?.frame;
  const titleId = `${idPrefix}-insp-title`;
  const boxRef = useRef<HTMLElement>(null);

  // Opened: bring its top part (the way through and the bytes) into view if it is not, moving the
  // page as little as it can; a line chosen after it is open changes it where it is.
  useEffect(() => {
    const hex = boxRef.current?.querySelector<HTMLElement>('.vp-hex');
    const head = boxRef.current;
    if (!hex || !head || typeof window === 'undefined') return;
    const top = head.getBoundingClientRect().top;
    const bottom = hex.getBoundingClientRect().bottom;
    if (top >= 0 && bottom <= window.innerHeight) return;
    const by = bottom > window.innerHeight ? Math.min(bottom - window.innerHeight + 16, Math.max(0, top - 8)) : top - 8;
    window.scrollBy({ top: by, behavior: 'instant' as ScrollBehavior });
  }, []);

  const main = view?.out.find((o) => o.forwarded) ?? view?.out[0] ?? null;
  const layers = view ? LAYERS_SHOWN.filter((l) => view.in?.rows.some((r) => r.layer === l) || main?.rows.some((r) => r.layer === l) || view.decisions.some((d) => d.layer === l)) : [];

  return (
    <section
      ref={boxRef}
      id={inspectorId(idPrefix)}
      class="vp-insp"
      aria-labelledby={titleId}
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || event.defaultPrevented) return;
        event.preventDefault();
        onClose();
      }}
    >
      <div class="vp-insp-head">
        <p class="vp-panel-title" id={titleId}>
          Inspector{device ? `: ${device}` : ''}
        </p>
        <button type="button" class="vp-btn vp-btn--small" disabled={!hydrated} aria-keyshortcuts="Escape" onClick={onClose}>
          Close inspector
        </button>
      </div>
      {view && (
        <p class="vp-insp-path">
          {view.path.map((step, i) => (
            <span key={i} class="vp-insp-step">
              {i > 0 && <span aria-hidden="true"> → </span>}
              {i > 0 && <span class="visually-hidden">, then </span>}
              {step}
            </span>
          ))}
        </p>
      )}
      {bytes && (
        <FrameDetails key={index} idPrefix={idPrefix} detail={detail} bytes={bytes}>
          {view && (
            <>
              {layers.length > 0 && (
                <ScrollBox label={`${device} layer by layer`} class="vp-insp-layers">
                  <table class="vp-table">
                    <caption>Layer by layer at {device}</caption>
                    <thead>
                      <tr>
                        <th scope="col">Layer</th>
                        <th scope="col">In{view.in ? ` (${view.in.iface})` : ''}</th>
                        <th scope="col">Out{main ? ` (${main.iface})` : ''}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {layers.map((l) => (
                        <tr key={l}>
                          <th scope="row">
                            {l} {LAYER_NAMES[l]}
                          </th>
                          <Cell rows={view.in?.rows.filter((r) => r.layer === l) ?? []} />
                          <Cell rows={main?.rows.filter((r) => r.layer === l) ?? []} />
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </ScrollBox>
              )}
              {view.decisions.length > 0 && (
                <details class="vp-insp-decisions">
                  <summary>
                    What {device} decided ({view.decisions.length} {view.decisions.length === 1 ? 'event' : 'events'})
                  </summary>
                  <ol>
                    {view.decisions.map((d) => (
                      <li key={d.event}>
                        <span class="vp-insp-layer">Layer {d.layer}</span> {d.text}
                      </li>
                    ))}
                  </ol>
                </details>
              )}
              {(view.in || view.out.length > 1 || (view.out[0] && view.out[0].event !== index)) && (
                <ul class="vp-insp-frames" aria-label={`Frames in and out of ${device}`}>
                  {view.in && <SideButton side={view.in} chosen={index} label="In on" onSelect={onSelect} name={name} />}
                  {view.out.map((o) => (
                    <SideButton key={o.event} side={o} chosen={index} label="Out of" onSelect={onSelect} name={name} />
                  ))}
                  {view.moreOut > 0 && <li class="vp-muted">…and {view.moreOut} more copies out.</li>}
                </ul>
              )}

            </>
          )}
        </FrameDetails>
      )}
    </section>
  );
}
