// The "Run it on Linux" script as the build highlights it (src/widgets/run-for-real/highlight.ts):
// every character of the script, in order, in spans with token classes.

import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index';
import { linuxScript } from '../../src/sim/export/linux-script';
import { highlightScript } from '../../src/widgets/run-for-real/highlight';

const unescape = (html: string) => html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('highlightScript', () => {
  it('keeps every character of the script, its lines and its order, and marks comments, commands, options and strings', async () => {
    // The macvlan passthru script: the one whose highlighting once failed the build on a busy machine.
    const { text } = linuxScript(scenarios['macvlan-ipvlan-bridge/macvlan-passthru']!);
    const html = await highlightScript(text);
    expect(unescape(html)).toBe(text);
    expect(html.split('\n')).toHaveLength(text.split('\n').length);
    for (const name of ['sh-c', 'sh-f', 'sh-o', 'sh-s', 'sh-v']) expect(html, name).toContain(`<span class="${name}">`);
    expect(html).not.toMatch(/style=/);
  });
});
