// The glossary (src/components/glossary.ts) and the chapters' <Term> uses: every term a chapter
// uses is defined, each at most once per chapter (its first mention; the tooltip's id is the term's),
// and every chapter that uses <Term> imports it.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GLOSSARY, isGlossaryKey } from '../../src/components/glossary';

const dir = new URL('../../content/chapters/', import.meta.url);
const chapters = readdirSync(dir)
  .filter((f) => f.endsWith('.mdx'))
  .map((file) => ({ file, text: readFileSync(new URL(file, dir), 'utf8') }));

/** Every <Term ...> opening tag of a chapter, with its id (undefined when it has none or a non-literal one). */
function termTags(text: string): { tag: string; id: string | undefined }[] {
  return [...text.matchAll(/<Term\b[^>]*>/g)].map(([tag]) => ({ tag, id: /\sid="([^"]*)"/.exec(tag)?.[1] }));
}

describe('glossary', () => {
  it('defines each term with a name and a one- or two-sentence definition', () => {
    for (const [key, { term, definition }] of Object.entries(GLOSSARY)) {
      expect(key, 'keys are lower case, words joined by "-"').toMatch(/^[a-z0-9.]+(-[a-z0-9.]+)*$/);
      expect(term.trim(), key).not.toBe('');
      expect(definition.length, `${key}: a definition, not an essay`).toBeGreaterThan(40);
      expect(definition.length, `${key}: a definition, not an essay`).toBeLessThan(260);
      expect(definition, `${key}: a sentence`).toMatch(/\.$/);
    }
  });

  it('the chapters use glossary terms', () => {
    expect(chapters.length).toBeGreaterThan(0);
    expect(chapters.flatMap(({ text }) => termTags(text)).length).toBeGreaterThan(0);
  });

  for (const { file, text } of chapters) {
    const tags = termTags(text);
    if (tags.length === 0) continue;

    it(`${file}: every term it uses exists, with a literal id, once`, () => {
      const seen = new Set<string>();
      for (const { tag, id } of tags) {
        expect(id, `${tag} needs id="<key>"`).toBeDefined();
        expect(isGlossaryKey(id!), `${tag}: "${id}" is not in src/components/glossary.ts`).toBe(true);
        expect(seen.has(id!), `${tag}: the term is already explained earlier in the chapter (first mention only)`).toBe(false);
        seen.add(id!);
      }
    });

    it(`${file}: imports the Term component`, () => {
      expect(text).toMatch(/^import Term from '\.\.\/\.\.\/src\/components\/Term\.astro';$/m);
    });
  }
});
