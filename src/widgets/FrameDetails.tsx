// A frame's bytes, in the inspector: the layers describeFrame decodes (field, value, where it
// sits) and the hex dump, linked both ways: hovering or focusing a field highlights its bytes in the
// dump, hovering a byte highlights the fields it belongs to. The field names are one Tab stop
// (↑ ↓ Home End move between them); pressing one keeps its bytes highlighted.

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { FrameField } from '../sim/wire/describe';
import { ScrollBox } from './ScrollBox';
import { breakAtColons } from './break-at-colons';
import type { FrameDetail, FrameTone } from './player-model';

export interface FrameDetailsProps {
  idPrefix: string;
  detail: FrameDetail;
  /** The frame's bytes, for the dump whose bytes light up (the dump's text is `detail.hex`). */
  bytes: Uint8Array;
  /** Shown between the dump and the field tables (the inspector's layered view). */
  children?: ComponentChildren;
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

/** A field's place: "<layer index>:<field index>". */
type FieldKey = string;

interface Range {
  offset: number;
  length: number;
}

const within = (f: Range, byte: number) => byte >= f.offset && byte < f.offset + f.length;

/** The hex dump as hexDump writes it (offset, two spaces, 16 bytes, a second space after the 8th), one span per byte. */
function HexLines({ bytes, lit, onByte }: { bytes: Uint8Array; lit: Range | null; onByte: (byte: number | null) => void }) {
  const width = Math.max(4, (bytes.length - 1).toString(16).length);
  const lines = [];
  for (let start = 0; start < bytes.length; start += 16) {
    const half = (from: number) => {
      const cells = [];
      for (let i = from; i < Math.min(bytes.length, from + 8); i++) {
        if (i > from) cells.push(' ');
        cells.push(
          <span key={i} data-b={i} class={lit !== null && within(lit, i) ? 'vp-byte vp-byte--on' : 'vp-byte'}>
            {bytes[i]!.toString(16).padStart(2, '0')}
          </span>,
        );
      }
      return cells;
    };
    // The second 8 bytes in a span of their own: on a phone it goes under the first 8 (CSS), the
    // text staying hexDump's.
    lines.push(
      <span key={start} class="vp-hex-line">
        {start > 0 && <span class="vp-hex-nl">{'\n'}</span>}
        {start.toString(16).padStart(width, '0')}
        {'  '}
        {half(start)}
        {start + 8 < bytes.length && (
          <>
            {'  '}
            <span class="vp-hex-half">
              {half(start + 8)}
            </span>
          </>
        )}
      </span>,
    );
  }
  return (
    <pre
      class="vp-mono"
      onMouseOver={(event) => {
        const b = (event.target as HTMLElement | null)?.dataset?.['b'];
        onByte(b === undefined ? null : Number(b));
      }}
      onMouseLeave={() => onByte(null)}
    >
      {lines}
    </pre>
  );
}

export function FrameDetails({ idPrefix, detail, bytes, children }: FrameDetailsProps) {
  const titleId = `${idPrefix}-bytes-title`;
  const [hovered, setHovered] = useState<FieldKey | null>(null);
  const [focused, setFocused] = useState<FieldKey | null>(null);
  const [pinned, setPinned] = useState<FieldKey | null>(null);
  const [byte, setByte] = useState<number | null>(null);
  const [rover, setRover] = useState<FieldKey>('0:0');
  const fields = new Map<FieldKey, FrameField>();
  detail.description.layers.forEach((layer, l) => layer.fields.forEach((f, i) => fields.set(`${l}:${i}`, f)));
  // A byte under the pointer lights its fields and the bytes of the smallest of them.
  const underByte = byte === null ? [] : [...fields].filter(([, f]) => within(f, byte));
  const active = hovered ?? focused ?? pinned;
  const litFields = new Set(underByte.length > 0 ? underByte.map(([k]) => k) : active ? [active] : []);
  const smallest = underByte.reduce<FrameField | null>((best, [, f]) => (best === null || f.length < best.length ? f : best), null);
  const lit: Range | null = smallest ?? (active ? fields.get(active) ?? null : null);
  const tabStop = fields.has(rover) ? rover : '0:0';

  const onFieldKey = (event: KeyboardEvent) => {
    const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End'];
    if (!keys.includes(event.key)) return;
    const root = (event.currentTarget as HTMLElement).closest('.vp-bytes');
    const buttons = [...(root?.querySelectorAll<HTMLButtonElement>('button[data-field]') ?? [])];
    const at = buttons.indexOf(event.target as HTMLButtonElement);
    if (at < 0) return;
    event.preventDefault();
    let to = at;
    if (event.key === 'ArrowDown') to = Math.min(buttons.length - 1, at + 1);
    if (event.key === 'ArrowUp') to = Math.max(0, at - 1);
    if (event.key === 'Home') to = 0;
    if (event.key === 'End') to = buttons.length - 1;
    buttons[to]?.focus();
  };

  return (
    <div class="vp-bytes" role="group" aria-labelledby={titleId}>
      <p class="vp-panel-title" id={titleId}>
        Frame bytes
      </p>
      <p class="vp-bytes-event">{detail.event}</p>
      <p class="vp-bytes-summary">
        <span class={`vp-chip vp-tone--${detail.tone}`}>{TONE_TEXT[detail.tone]}</span> <span class="vp-mono">{detail.description.summary}</span>{' '}
        <span class="vp-muted">({detail.description.length} bytes)</span>
      </p>
      <figure class="vp-hex">
        <figcaption>Hex dump (each line: its offset, then 16 bytes)</figcaption>
        <ScrollBox label="Hex dump" class="vp-hex-box">
          <HexLines bytes={bytes} lit={lit} onByte={setByte} />
        </ScrollBox>
      </figure>
      {children}
      <p class="vp-hint" id={`${idPrefix}-fields-hint`}>
        Point at a field, or focus it (↑ ↓ move), to light its bytes in the dump; point at a byte to light its field. Press a field to keep its bytes lit.
      </p>
      {detail.description.layers.map((layer, l) => (
        <ScrollBox key={`${l}-${layer.name}`} label={`${layer.name} fields`}>
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
              {layer.fields.map((f, i) => {
                const key = `${l}:${i}`;
                return (
                  <tr key={`${f.name}-${f.offset}`} class={litFields.has(key) ? 'vp-field--on' : undefined} onMouseEnter={() => setHovered(key)} onMouseLeave={() => setHovered(null)}>
                    <th scope="row">
                      <button
                        type="button"
                        class="vp-field-btn"
                        data-field={key}
                        tabIndex={key === tabStop ? 0 : -1}
                        aria-pressed={pinned === key ? 'true' : 'false'}
                        aria-describedby={`${idPrefix}-fields-hint`}
                        onFocus={() => {
                          setFocused(key);
                          setRover(key);
                        }}
                        onBlur={() => setFocused(null)}
                        onKeyDown={onFieldKey}
                        onClick={() => setPinned(pinned === key ? null : key)}
                      >
                        {f.name}
                      </button>
                    </th>
                    <td class="vp-mono">{breakAtColons(f.value)}</td>
                    <td class="vp-num">{bytesText(f.offset, f.length)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollBox>
      ))}
    </div>
  );
}
