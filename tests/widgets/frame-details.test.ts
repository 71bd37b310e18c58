// The frame bytes panel's summary line: a chip naming the kind of frame, then the frame's own
// summary. A raw frame's summary begins with "frame", so the chip must not end with it too.

import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { scenario } from '../../src/scenarios/index.ts';
import { FrameDetails } from '../../src/widgets/FrameDetails.tsx';
import { createPlayerModel } from '../../src/widgets/player-model.ts';
import { hexDump } from '../../src/sim/wire/describe.ts';

function text(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('FrameDetails summary line', () => {
  it('reads "broadcast or multicast frame 02:… → ff:…" for the loop’s raw broadcast, never "frame frame"', () => {
    const model = createPlayerModel(scenario('hub-vs-bridge/loop'));
    model.stepForward();
    const transmit = model.log.value.flatMap((g) => g.events).find((e) => e.kind === 'transmit')!;
    model.select(transmit.index);
    const shown = text(renderToString(h(FrameDetails, { idPrefix: 't', detail: model.selectedFrame.value!, bytes: model.sim.eventAt(transmit.index)!.frame! })));
    expect(shown).toContain('broadcast or multicast frame 02:00:00:00:00:0a → ff:ff:ff:ff:ff:ff, EtherType');
    expect(shown).not.toMatch(/\bframe frame\b/);
  });

  it('draws the hex dump one span per byte, with the same text as hexDump, and lights a field\'s bytes', () => {
    const model = createPlayerModel(scenario('one-vlan-per-subnet/router-on-a-stick'));
    model.stepForward();
    model.stepForward();
    const tagged = model.log.value.flatMap((g) => g.events).find((e) => e.kind === 'transmit' && e.device === 'sw1' && e.port === 'p5')!;
    model.select(tagged.index);
    const frame = model.sim.eventAt(tagged.index)!.frame!;
    const html = renderToString(h(FrameDetails, { idPrefix: 't', detail: model.selectedFrame.value!, bytes: frame }));
    const pre = html.match(/<pre[^>]*>([\s\S]*?)<\/pre>/)![1]!.replace(/<[^>]+>/g, '');
    expect(pre).toBe(hexDump(frame));
    expect(html.match(/data-b="/g)).toHaveLength(frame.length);
    // One Tab stop among the field names.
    expect(html.match(/data-field="[^"]+" tabindex="0"/g) ?? html.match(/tabindex="0"[^>]*data-field/g)).toHaveLength(1);
  });
});
