// The line under a shortened list says how many it leaves out, in the singular for one.

import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { ShowMore, singular } from '../../src/widgets/ShowMore.tsx';

function line(hidden: number, what: string, word?: 'more' | 'earlier'): string {
  const html = renderToString(h(ShowMore, { hidden, shown: 10, initial: 10, what, page: 100, onShow: () => {}, word }));
  return html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
}

describe('ShowMore', () => {
  it('says "1 more frame", "1 more entry", "1 earlier event", and the plural for more than one', () => {
    expect(line(1, 'frames')).toBe('… and 1 more frame not shown. Show 1 more');
    expect(line(1, 'entries')).toBe('… and 1 more entry not shown. Show 1 more');
    expect(line(1, 'events', 'earlier')).toBe('… and 1 earlier event not shown. Show 1 earlier');
    expect(line(1, 'ARP caches')).toBe('… and 1 more ARP cache not shown. Show 1 more');
    expect(line(1_988, 'ARP caches')).toBe('… and 1,988 more ARP caches not shown. Show 100 more');
  });

  it('makes the singular of every list name the player uses', () => {
    const names = ['ARP caches', 'MAC tables', 'routing tables', 'actions', 'cables', 'devices', 'entries', 'events', 'frames', 'ports', 'routes'];
    expect(names.map(singular)).toEqual(['ARP cache', 'MAC table', 'routing table', 'action', 'cable', 'device', 'entry', 'event', 'frame', 'port', 'route']);
  });
});
