// The ToR control's first render, as the server sends it: the sentence over the table and the
// table's rows, counted by the core for the values it is given.

import { describe, expect, it } from 'vitest';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import TorTable from '../../src/widgets/TorTable.tsx';

/** The row's two cells (stretched VLAN, VXLAN), as the table shows them. */
function row(html: string, label: string): string[] {
  const at = html.indexOf(label);
  expect(at, label).toBeGreaterThan(-1);
  const cells = html.slice(at).split('</tr>')[0]!;
  return [...cells.matchAll(/<td[^>]*>(?:<strong>)?([\d,]+)/g)].map((m) => m[1]!);
}

describe('TorTable server render', () => {
  it('at a table limit of 1: "1 MAC address", and VXLAN’s ToR, refusing its servers’ MACs, still saw no VM MAC', () => {
    const html = renderToString(h(TorTable, { racks: 2, vms: 8, limit: 1 }));
    expect(html).toContain('takes at most <strong>1</strong> MAC address.');
    const seen = row(html, 'Source MACs it saw');
    expect(row(html, '…of which VM MACs')).toEqual([seen[0], '0']);
    expect(row(html, 'MACs not learned: table full')[1]).not.toBe('0');
  });

  it('at a larger limit: "MAC addresses"', () => {
    expect(renderToString(h(TorTable, { racks: 2, vms: 8, limit: 100 }))).toContain('takes at most <strong>100</strong> MAC addresses.');
  });
});
