// A frame's bytes: the layers describeFrame decodes (field, value, where it sits) and the hex
// dump, for the log line or the frame on a cable the reader chose.

import { ScrollBox } from './ScrollBox';
import type { FrameDetail, FrameTone } from './player-model';

export interface FrameDetailsProps {
  idPrefix: string;
  detail: FrameDetail | null;
  hydrated: boolean;
  onClose: () => void;
}

// The chip sits right before the frame's summary, which may begin with "frame" (a raw frame:
// "frame 02:00:00:00:00:0a → ff:ff:ff:ff:ff:ff, …"): the chip names the kind, not the noun, so the
// line never reads "frame frame".
const TONE_TEXT: Record<FrameTone, string> = {
  broadcast: 'broadcast or multicast',
  unicast: 'unicast',
  reply: 'reply',
};

function bytesText(offset: number, length: number): string {
  return length <= 1 ? String(offset) : `${offset}–${offset + length - 1}`;
}

export function FrameDetails({ idPrefix, detail, hydrated, onClose }: FrameDetailsProps) {
  const titleId = `${idPrefix}-bytes-title`;
  return (
    <div class="vp-bytes" role="group" aria-labelledby={titleId}>
      <div class="vp-bytes-head">
        <p class="vp-panel-title" id={titleId}>
          Frame bytes
        </p>
        {detail && (
          <button type="button" class="vp-btn vp-btn--small" disabled={!hydrated} onClick={onClose}>
            Hide bytes
          </button>
        )}
      </div>
      {!detail ? (
        <p class="vp-muted">No frame chosen. Choose a line with a frame in the event log, or a frame on the cables, to see its layers and bytes here.</p>
      ) : (
        <>
          <p class="vp-bytes-event">{detail.event}</p>
          <p class="vp-bytes-summary">
            <span class={`vp-chip vp-tone--${detail.tone}`}>{TONE_TEXT[detail.tone]}</span> <span class="vp-mono">{detail.description.summary}</span>{' '}
            <span class="vp-muted">({detail.description.length} bytes)</span>
          </p>
          {detail.description.layers.map((layer, i) => (
            <ScrollBox key={`${i}-${layer.name}`} label={`${layer.name} fields`}>
              <table class="vp-table vp-fields">
                <caption>{layer.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <th scope="col">Value</th>
                    <th scope="col">Offset</th>
                  </tr>
                </thead>
                <tbody>
                  {layer.fields.map((f) => (
                    <tr key={`${f.name}-${f.offset}`}>
                      <th scope="row">{f.name}</th>
                      <td class="vp-mono">{f.value}</td>
                      <td class="vp-num">{bytesText(f.offset, f.length)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollBox>
          ))}
          <figure class="vp-hex">
            <figcaption>Hex dump (offset, then 16 bytes per line)</figcaption>
            <ScrollBox label="Hex dump" class="vp-hex-box">
              <pre class="vp-mono">{detail.hex}</pre>
            </ScrollBox>
          </figure>
        </>
      )}
    </div>
  );
}
