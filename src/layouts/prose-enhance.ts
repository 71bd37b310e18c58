// What a chapter's rendered HTML gains before it is written into the page (src/layouts/ChapterLayout.astro):
//  - every h2/h3 of the chapter's own headings gets a "#" link to itself, a sibling after the heading
//    (not inside it, so that the heading's accessible name stays its text), named
//    "Link to section: <heading>";
//  - every Shiki code block is wrapped in <div class="code-block"> (and loses Shiki's tabindex: its
//    lines wrap, so it has nothing to scroll), where the page's small script puts a Copy button (only when scripts run; the wrapper reserves its strip under :root.js, so nothing
//    moves when the button appears).
// Done at render time on the HTML the layout already renders (for the CSP's style hashes) rather than
// as rehype plugins: Astro 7 applies MDX plugins only with the unified processor opted in
// (markdown.processor), which would change how every chapter and its Shiki blocks are built, for
// two string edits on headings whose ids Astro has already given us. No style attribute is added,
// so the page's CSP hashes are unchanged.
import type { MarkdownHeading } from 'astro';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The chapter's HTML with heading anchors and code-block wrappers (see above). */
export function enhanceProse(html: string, headings: readonly MarkdownHeading[]): string {
  let out = html;
  for (const { depth, slug, text } of headings) {
    if (depth !== 2 && depth !== 3) continue;
    const id = escapeHtml(slug);
    const heading = new RegExp(`<h${depth} id="${escapeRegExp(id)}"([^>]*)>([\\s\\S]*?)</h${depth}>`);
    out = out.replace(
      heading,
      (whole) =>
        `<div class="heading-wrap heading-wrap--h${depth}">${whole}` +
        `<a class="heading-anchor" href="#${id}" aria-label="${escapeHtml(`Link to section: ${text}`)}"><span aria-hidden="true">#</span></a></div>`,
    );
  }
  // Its lines wrap (global.css), so it never scrolls: Shiki's tabindex="0" would be an empty tab stop.
  return out.replace(
    /<pre class="astro-code\b[^"]*"[^>]*>[\s\S]*?<\/pre>/g,
    (pre) => `<div class="code-block">${pre.replace(/^(<pre\b[^>]*?) tabindex="0"/, '$1')}</div>`,
  );
}

/**
 * The chapter's HTML without its module scripts (`<script type="module">`, inline or not), and those
 * scripts in order, for the layout to write after the chapter (ChapterLayout.astro says why). A
 * module script is deferred: it runs once the whole document is parsed, so it sees the same page
 * wherever it stands; the moved ones keep their order. Classic scripts (which run where they stand)
 * stay.
 */
export function moveModuleScripts(html: string): { html: string; scripts: string } {
  const scripts: string[] = [];
  const rest = html.replace(/<script\b(?=[^>]*\stype="module")[^>]*>[\s\S]*?<\/script>/g, (script) => {
    scripts.push(script);
    return '';
  });
  return { html: rest, scripts: scripts.join('') };
}
