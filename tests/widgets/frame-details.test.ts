// The frame bytes panel's summary line: a chip naming the kind of frame, then the frame's own
// summary. A raw frame's summary begins with "frame", so the chip must not end with it too.

import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { scenario } from '../../src/scenarios/index.ts';
import { FrameDetails } from '../../src/widgets/FrameDetails.tsx';
import { createPlayerModel } from '../../src/widgets/player-model.ts';

function text(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('FrameDetails summary line', () => {
  it('reads "broadcast or multicast frame 02:… → ff:…" for the loop’s raw broadcast, never "frame frame"', () => {
    const model = createPlayerModel(scenario('hub-vs-bridge/loop'));
    model.stepForward();
    const transmit = model.log.value.flatMap((g) => g.events).find((e) => e.kind === 'transmit')!;
    model.select(transmit.index);
    const shown = text(renderToString(h(FrameDetails, { idPrefix: 't', detail: model.selectedFrame.value, hydrated: true, onClose: () => {} })));
    expect(shown).toContain('broadcast or multicast frame 02:00:00:00:00:0a → ff:ff:ff:ff:ff:ff, EtherType');
    expect(shown).not.toMatch(/\bframe frame\b/);
  });
});
