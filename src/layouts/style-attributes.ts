// CSP hashes of the style="" attributes in a piece of server-rendered HTML (Shiki colours each code
// token with one), so that a page's style-src-attr can allow exactly those ('unsafe-hashes' plus
// their hashes) instead of any inline style.
import { createHash } from 'node:crypto';

const ENTITIES: Record<string, string> = { '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };

/** The value a browser hashes: the attribute as parsed, entities decoded. */
function decode(value: string): string {
  return value.replace(/&quot;|&#39;|&#x27;|&lt;|&gt;|&amp;/g, (entity) => ENTITIES[entity] ?? entity);
}

/** One 'sha256-…' source per distinct style attribute value in `html` (double-quoted, as Astro writes them). */
export function styleAttributeHashes(html: string): `sha256-${string}`[] {
  const values = new Set<string>();
  for (const match of html.matchAll(/<[a-zA-Z][^>]*?\sstyle="([^"]*)"/g)) values.add(decode(match[1]!));
  return [...values].map((value): `sha256-${string}` => `sha256-${createHash('sha256').update(value, 'utf8').digest('base64')}`);
}
