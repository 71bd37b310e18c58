// The share-link notice (ShareLinkNotice.astro): a link opened on a page without its experiment is
// not ignored in silence; the reader is told which chapter has it, or that none does.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeScenario, shareFragment } from '../../src/editor/share.ts';
import { experimentPlaces, sharedExperimentId, shareLinkNotice, type ExperimentPlaces } from '../../src/editor/share-target.ts';
import { scenarios } from '../../src/scenarios/index.ts';

const places: ExperimentPlaces = {
  'hub-vs-bridge/bridge': ['/chapters/hub-vs-bridge/', 'Hub vs bridge', 'Four hosts on a learning bridge'],
  'one-vlan-per-subnet/trap': ['/chapters/one-vlan-per-subnet/', 'Why one VLAN per subnet', 'The trap'],
};

describe('the experiment a share link is for', () => {
  it('is the id between "#vnet=" and "~", percent-decoded', async () => {
    const hash = shareFragment('hub-vs-bridge/bridge', await encodeScenario(scenarios['hub-vs-bridge/bridge']!));
    expect(sharedExperimentId(hash)).toBe('hub-vs-bridge/bridge');
    expect(sharedExperimentId('#vnet=hub-vs-bridge%2Fbridge~1abc')).toBe('hub-vs-bridge/bridge');
    expect(sharedExperimentId('#vnet=%3Cb%3E~1')).toBe('<b>');
  });

  it('is null for any other fragment, and false for a broken %-escape (never an exception)', () => {
    for (const hash of ['', '#', '#intro', '#vnet=', '#vnet=~1abc', '#vnet=hub-vs-bridge/bridge', '#VNET=a~1', 'vnet=a~1']) expect(sharedExperimentId(hash), hash).toBeNull();
    for (const hash of ['#vnet=%~1', '#vnet=a%E0%A4%A~1', '#vnet=%C3%28~1']) expect(sharedExperimentId(hash), hash).toBe(false);
  });
});

describe('the notice', () => {
  const here = new Set(['one-vlan-per-subnet/trap', 'one-vlan-per-subnet/partitioned']);

  it('says nothing for a link to an experiment on this page (its player opens it), or for no share link', () => {
    expect(shareLinkNotice('#vnet=one-vlan-per-subnet/trap~1abc', here, places)).toBeNull();
    expect(shareLinkNotice('#the-trap', here, places)).toBeNull();
    expect(shareLinkNotice('', here, places)).toBeNull();
  });

  it('links to the chapter that has the experiment, carrying the whole link along', () => {
    const hash = '#vnet=hub-vs-bridge/bridge~1eNqrVg';
    expect(shareLinkNotice(hash, here, places)).toEqual({
      text: 'This share link is for an edited version of the experiment "Four hosts on a learning bridge", which is on another page: ',
      link: { href: `/chapters/hub-vs-bridge/${hash}`, label: 'open it in the chapter "Hub vs bridge"' },
      after: '.',
    });
  });

  it('says that no chapter has an unknown experiment, quoting at most 80 characters of its id', () => {
    expect(shareLinkNotice('#vnet=hub-vs-bridge/switch~1abc', here, places)).toEqual({
      text: 'This share link is for an experiment ("hub-vs-bridge/switch") that no chapter of this site has; it may have been changed, or made by another version of this site.',
    });
    expect(shareLinkNotice(`#vnet=${'x'.repeat(1000)}~1`, here, places)!.text).toContain(`("${'x'.repeat(80)}…")`);
  });

  it('finds no chapter through Object.prototype names', () => {
    for (const id of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(shareLinkNotice(`#vnet=${id}~1`, here, places)!.text, id).toMatch(/no chapter of this site has/);
    }
  });

  it('says a link with a broken %-escape in its experiment name is damaged', () => {
    expect(shareLinkNotice('#vnet=%E0%A4%A~1', here, places)).toEqual({ text: 'This share link is damaged (its experiment name contains a broken %-escape), so it cannot be opened.' });
  });
});

describe('where each experiment lives (computed at build time)', () => {
  const dir = join(process.cwd(), 'content', 'chapters');
  const chapters = readdirSync(dir)
    .filter((name) => name.endsWith('.mdx'))
    .map((name) => {
      const body = readFileSync(join(dir, name), 'utf8');
      const slug = name.replace(/\.mdx$/, '');
      return { url: `/chapters/${slug}/`, title: /^title:\s*(.+)$/m.exec(body)![1]!.replace(/^['"]|['"]$/g, ''), body, order: Number(/^order:\s*(\d+)/m.exec(body)![1]) };
    })
    .sort((a, b) => a.order - b.order);

  it('maps every chapter scenario to the chapter that embeds it, with its title', () => {
    const found = experimentPlaces(chapters, scenarios);
    expect(Object.keys(found).sort()).toEqual(Object.keys(scenarios).sort());
    expect(found['hub-vs-bridge/loop']).toEqual(['/chapters/hub-vs-bridge/', 'Hub vs bridge', scenarios['hub-vs-bridge/loop']!.title]);
    expect(found['one-vlan-per-subnet/router-on-a-stick']![0]).toBe('/chapters/one-vlan-per-subnet/');
  });

  it('takes the first chapter in reading order when two embed the same experiment, and omits one no chapter embeds', () => {
    const found = experimentPlaces(
      [
        { url: '/chapters/a/', title: 'A', body: "<ScenarioPlayer scenario={scenarios['x/one']} />" },
        { url: '/chapters/b/', title: 'B', body: '<ScenarioPlayer scenario={scenarios["x/one"]} /> <ScenarioPlayer scenario={scenarios["x/two"]} />' },
      ],
      { 'x/one': { title: 'One' }, 'x/two': { title: 'Two' }, 'x/three': { title: 'Three' }, 'x/t': { title: 'Prefix of two' } },
    );
    expect(found).toEqual({ 'x/one': ['/chapters/a/', 'A', 'One'], 'x/two': ['/chapters/b/', 'B', 'Two'] });
  });
});
