// The chapter HTML's heading anchors and code-block wrappers, and its module scripts moved after it
// (src/layouts/prose-enhance.ts).
import { describe, expect, it } from 'vitest';
import { enhanceProse, moveModuleScripts } from '../../src/layouts/prose-enhance';

const headings = [
  { depth: 2, slug: 'a-bridge-learns', text: 'A bridge learns' },
  { depth: 3, slug: 'who-is-in-which-vlan', text: 'Who is in "which" VLAN & why' },
  { depth: 4, slug: 'deeper', text: 'Deeper' },
];

describe('enhanceProse', () => {
  it('puts a named "#" link after each h2 and h3, and leaves other headings alone', () => {
    const html = [
      '<h2 id="a-bridge-learns">A bridge learns</h2>',
      '<p>text</p>',
      '<h3 id="who-is-in-which-vlan">Who is in “which” <code>VLAN</code> &amp; why</h3>',
      '<h4 id="deeper">Deeper</h4>',
      '<h2 id="not-in-the-list">Not in the list</h2>',
    ].join('');
    const out = enhanceProse(html, headings);
    expect(out).toContain(
      '<div class="heading-wrap heading-wrap--h2"><h2 id="a-bridge-learns">A bridge learns</h2><a class="heading-anchor" href="#a-bridge-learns" aria-label="Link to section: A bridge learns"><span aria-hidden="true">#</span></a></div>',
    );
    expect(out).toContain('<h3 id="who-is-in-which-vlan">Who is in “which” <code>VLAN</code> &amp; why</h3><a class="heading-anchor" href="#who-is-in-which-vlan" aria-label="Link to section: Who is in &quot;which&quot; VLAN &amp; why">');
    expect(out).toContain('<h4 id="deeper">Deeper</h4><h2 id="not-in-the-list">');
    expect(out.match(/heading-anchor/g)).toHaveLength(2);
  });

  it('wraps each Shiki block and drops its tabindex (its lines wrap), keeping its style attribute as is', () => {
    const pre = (n: number) => `<pre class="astro-code github-light-default" style="background-color:#fff;overflow-x:auto" tabindex="0" data-language="sh"><code><span class="line">echo ${n}</span></code></pre>`;
    const out = enhanceProse(`<p>a</p>${pre(1)}<pre>plain</pre>${pre(2)}`, []);
    expect(out).toBe(
      `<p>a</p><div class="code-block">${pre(1).replace(' tabindex="0"', '')}</div><pre>plain</pre><div class="code-block">${pre(2).replace(' tabindex="0"', '')}</div>`,
    );
  });
});

describe('moveModuleScripts', () => {
  it('takes out every module script, inline or not, in order, and leaves classic and JSON scripts where they are', () => {
    const term = '<script type="module">document.addEventListener(`keydown`,e=>{})</script>';
    const external = '<script type="module" src="/_astro/a.js"></script>';
    const classic = '<script>(()=>{var a=1})();</script>';
    const json = '<script type="application/json" id="x">{"a":"<p>"}</script>';
    const html = `<p>A <span class="term">term</span>${term}, and more.</p>${classic}<astro-island>${json}</astro-island>${external}<p>end</p>`;
    const { html: rest, scripts } = moveModuleScripts(html);
    expect(scripts).toBe(term + external);
    expect(rest).toBe(`<p>A <span class="term">term</span>, and more.</p>${classic}<astro-island>${json}</astro-island><p>end</p>`);
  });

  it('leaves HTML without module scripts unchanged', () => {
    const html = '<p>no <code>&lt;script type="module"&gt;</code> here</p>';
    expect(moveModuleScripts(html)).toEqual({ html, scripts: '' });
  });
});
