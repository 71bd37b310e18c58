// The "shared living room" control of chapter "Why one VLAN per subnet", as the server renders it:
// labelled fields and a live result whose numbers are the simulator's counts times the rate.
// (Typing into it, errors included, is walked through in e2e/one-vlan-per-subnet.spec.ts.)

import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import BroadcastCost, { settleLivingRoom } from '../../src/widgets/BroadcastCost.tsx';
import { typedBeforeHydration } from '../../src/widgets/typed-before-hydration.ts';

function text(html: string): string {
  return html.replace(/<[^>]+>/g, '').replace(/&#39;|&apos;/g, "'").replace(/\s+/g, ' ');
}

describe('BroadcastCost server render', () => {
  it('is a region named "The shared living room" with three labelled text fields', () => {
    const html = renderToString(h(BroadcastCost, { hosts: 250, vlans: 1, rate: 0.5 }));
    const titleId = /<section[^>]*aria-labelledby="([^"]+)"/.exec(html)?.[1];
    expect(html).toContain(`id="${titleId}">The shared living room<`);
    for (const label of ['Hosts on the switch', 'VLANs', 'ARP requests per host per second']) {
      const forId = new RegExp(`<label for="([^"]+)">${label}</label>`).exec(html)?.[1];
      expect(forId, label).toBeTruthy();
      expect(html).toMatch(new RegExp(`<input id="${forId}"[^>]*aria-invalid="false"`));
    }
    expect(html).toMatch(/role="status" aria-live="polite"/);
  });

  it('with 250 hosts in one VLAN at 0.5 requests/s: 250 frames per request, 249 hosts reached, 124.5 broadcasts/s per host', () => {
    const result = text(renderToString(h(BroadcastCost, { hosts: 250, vlans: 1, rate: 0.5 })));
    expect(result).toContain('One ARP request puts 250 frames on the cables (1 from the sender, 249 copies from the switch) and reaches 249 hosts.');
    expect(result).toContain('every host has to read 124.5 broadcasts per second');
    expect(result).toContain('31,250 broadcast frames per second in all');
  });

  it('split into 10 VLANs: 25 frames, 24 hosts, none of them in another VLAN', () => {
    const result = text(renderToString(h(BroadcastCost, { hosts: 250, vlans: 10, rate: 1 })));
    expect(result).toContain('In each VLAN (25 hosts), one ARP request puts 25 frames on the cables (1 from the sender, 24 copies from the switch) and reaches 24 hosts; 0 hosts in other VLANs received it.');
    expect(result).toContain('every host has to read 24 broadcasts per second');
    expect(result).toContain('6,250 broadcast frames per second in all');
    expect(result).toContain('At 1 request per host per second');
  });

  it('says one copy, one request, one broadcast and one frame in the singular', () => {
    // Two hosts: the sender's frame and one copy from the switch, reaching the other host.
    const two = text(renderToString(h(BroadcastCost, { hosts: 2, vlans: 1, rate: 1 })));
    expect(two).toContain('One ARP request puts 2 frames on the cables (1 from the sender, 1 copy from the switch) and reaches 1 host.');
    expect(two).toContain('At 1 request per host per second, every host has to read 1 broadcast per second');
    expect(two).toContain('the cables carry 4 broadcast frames per second in all');
    const half = text(renderToString(h(BroadcastCost, { hosts: 2, vlans: 1, rate: 0.5 })));
    expect(half).toContain('At 0.5 requests per host per second, every host has to read 0.5 broadcasts per second');
    expect(half).toContain('the cables carry 2 broadcast frames per second in all');
    expect(text(renderToString(h(BroadcastCost, { hosts: 2, vlans: 1, rate: 0.25 })))).toContain('the cables carry 1 broadcast frame per second in all');
    expect(`${two}${half}`).not.toMatch(/\b1 (copies|requests|broadcasts|hosts|frames)\b/);
  });
});

describe('BroadcastCost hydration: input typed before the script arrived counts', () => {
  const rendered = { hosts: '250', vlans: '1', rate: '0.5' };
  const good = { hosts: 250, vlans: 1, rate: 0.5 };

  it('reads what the reader typed into the server-rendered fields, and shows the result for it', () => {
    // The reader typed 40 hosts and 4 VLANs while the page was still loading; the rate is as rendered.
    const typed = typedBeforeHydration(rendered, { hosts: { value: '40' }, vlans: { value: '4' }, rate: { value: '0.5' } });
    expect(typed).toEqual({ hosts: '40', vlans: '4', rate: '0.5' });
    expect(settleLivingRoom(typed, good)).toEqual({ hosts: 40, vlans: 4, rate: 0.5 });
    // What the island then renders for those values, as the e2e walkthrough reads it after typing.
    const result = text(renderToString(h(BroadcastCost, { hosts: 40, vlans: 4, rate: 0.5 })));
    expect(result).toContain('every host has to read 4.5 broadcasts per second');
  });

  it('keeps the rendered text of a field it cannot find, and the last good value of a field typed wrong', () => {
    expect(typedBeforeHydration(rendered, { hosts: null, vlans: { value: '10' }, rate: null })).toEqual({ hosts: '250', vlans: '10', rate: '0.5' });
    const halfTyped = typedBeforeHydration(rendered, { hosts: { value: '4x' }, vlans: { value: '1' }, rate: { value: '2' } });
    expect(settleLivingRoom(halfTyped, good)).toEqual({ hosts: 250, vlans: 1, rate: 2 });
    // Nothing typed: the values stay the very same object (no re-render).
    expect(settleLivingRoom(rendered, good)).toBe(good);
    // Too many VLANs for the hosts typed: the VLANs keep their last good value...
    expect(settleLivingRoom({ hosts: '3', vlans: '5', rate: '1' }, good)).toEqual({ hosts: 3, vlans: 1, rate: 1 });
    // ...and when even that is more than the hosts, the last good values all stay.
    const ten = { hosts: 250, vlans: 10, rate: 1 };
    expect(settleLivingRoom({ hosts: '3', vlans: '10', rate: '1' }, ten)).toBe(ten);
  });
});
