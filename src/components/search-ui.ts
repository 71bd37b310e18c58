// The search behind ./SiteSearch.astro, loaded on first use. It loads Pagefind's script from the
// built site (/pagefind/pagefind.js, written by astro.config.mjs after the build), searches as the
// reader types, and lists each matching chapter with its best-matching sections, each a link to
// its heading, with an excerpt whose matched words are marked.

/** The part of Pagefind's browser API this file uses (pagefind.js has no types of its own). */
interface PagefindSubResult {
  title: string;
  url: string;
  excerpt: string;
  locations?: number[];
}
interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: { title?: string };
  sub_results?: PagefindSubResult[];
}
interface PagefindApi {
  options(options: Record<string, unknown>): Promise<void>;
  init(): Promise<void>;
  debouncedSearch(term: string, options?: Record<string, unknown>, debounceMs?: number): Promise<{ results: { data(): Promise<PagefindResultData> }[] } | null>;
}

const PAGEFIND_URL = '/pagefind/pagefind.js';
/** Chapters listed, and sections listed under each. */
const MAX_PAGES = 6;
const MAX_SECTIONS = 4;

/** Pagefind's excerpt as DOM nodes: its text, and <mark> for the matched words; nothing else of it is kept. */
function excerptNodes(html: string): Node[] {
  const body = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html').body;
  return [...body.childNodes].map((node) => {
    if (node.nodeName === 'MARK') {
      const mark = document.createElement('mark');
      mark.textContent = node.textContent;
      return mark;
    }
    return document.createTextNode(node.textContent ?? '');
  });
}

function resultLink(href: string, title: string, excerpt: string | undefined, className: string): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = href;
  a.className = className;
  const heading = document.createElement('span');
  heading.className = 'site-search__title';
  heading.textContent = title;
  a.append(heading);
  if (excerpt) {
    const text = document.createElement('span');
    text.className = 'site-search__excerpt';
    text.append(...excerptNodes(excerpt));
    a.append(text);
  }
  return a;
}

/**
 * The chapter's best sections for the query: those whose heading has one of its words first, then
 * those with the most matches, then in page order.
 */
function bestSections(data: PagefindResultData, query: string): PagefindSubResult[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const sections = (data.sub_results ?? []).filter((s) => s.url !== data.url && s.url.includes('#'));
  return sections
    .map((s, i) => ({ s, i, titled: words.some((w) => s.title.toLowerCase().includes(w)) ? 1 : 0, hits: s.locations?.length ?? 0 }))
    .sort((a, b) => b.titled - a.titled || b.hits - a.hits || a.i - b.i)
    .slice(0, MAX_SECTIONS)
    .map(({ s }) => s);
}

export async function startSearch(root: HTMLElement, input: HTMLInputElement): Promise<void> {
  const panel = root.querySelector<HTMLElement>('.site-search__panel')!;
  const status = root.querySelector<HTMLElement>('[data-search-status]')!;
  let pagefind: PagefindApi | undefined;
  let failed = false;
  let shown = '';

  const open = (on: boolean) => {
    panel.hidden = !on;
  };
  const say = (text: string) => {
    status.textContent = text;
  };
  const links = () => [...panel.querySelectorAll<HTMLAnchorElement>('a')];

  const render = async (term: string) => {
    if (!pagefind) return;
    const query = term.trim();
    if (query === '') {
      panel.replaceChildren();
      open(false);
      say('');
      shown = '';
      return;
    }
    const search = await pagefind.debouncedSearch(query, {}, 150);
    if (search === null || input.value.trim() !== query) return; // a newer search replaced this one
    const pages = await Promise.all(search.results.slice(0, MAX_PAGES).map((r) => r.data()));
    if (input.value.trim() !== query) return;
    const list = document.createElement('ol');
    list.className = 'site-search__results';
    list.setAttribute('aria-label', `Results for “${query}”`);
    let sectionCount = 0;
    for (const data of pages) {
      const item = document.createElement('li');
      const sections = bestSections(data, query);
      item.append(resultLink(data.url, data.meta.title ?? data.url, sections.length > 0 ? undefined : data.excerpt, 'site-search__page'));
      if (sections.length > 0) {
        const sub = document.createElement('ol');
        for (const section of sections) {
          const li = document.createElement('li');
          li.append(resultLink(section.url, section.title, section.excerpt, 'site-search__section'));
          sub.append(li);
        }
        sectionCount += sections.length;
        item.append(sub);
      }
      list.append(item);
    }
    if (pages.length === 0) {
      const none = document.createElement('p');
      none.className = 'site-search__empty';
      none.textContent = `Nothing found for “${query}”.`;
      panel.replaceChildren(none);
      say(`No results for “${query}”.`);
    } else {
      panel.replaceChildren(list);
      const chapters = `${pages.length} ${pages.length === 1 ? 'chapter' : 'chapters'}`;
      const sections = sectionCount > 0 ? `, ${sectionCount} ${sectionCount === 1 ? 'section' : 'sections'}` : '';
      say(`${chapters}${sections} found for “${query}”. Down arrow to reach them.`);
    }
    shown = query;
    open(true);
  };

  input.addEventListener('input', () => {
    if (failed) return;
    void render(input.value);
  });
  const current = () => shown !== '' && input.value.trim() === shown;
  // Coming back to the field from elsewhere shows its results again (not when Escape brought focus
  // back from the list: that closed it on purpose).
  input.addEventListener('focus', (event) => {
    if (current() && !root.contains(event.relatedTarget as Node | null)) open(true);
  });
  root.addEventListener('focusout', (event) => {
    if (!root.contains(event.relatedTarget as Node | null)) open(false);
  });
  document.addEventListener('pointerdown', (event) => {
    if (!root.contains(event.target as Node | null)) open(false);
  });
  root.addEventListener('keydown', (event) => {
    const all = links();
    const at = all.indexOf(document.activeElement as HTMLAnchorElement);
    if (event.key === 'Escape') {
      if (panel.hidden && event.target === input) return; // the field's own Escape clears it
      event.preventDefault();
      open(false);
      input.focus();
    } else if (event.key === 'ArrowDown' && all.length > 0 && (!panel.hidden || current())) {
      event.preventDefault();
      open(true);
      all[Math.min(at + 1, all.length - 1)]!.focus();
    } else if (event.key === 'ArrowUp' && at >= 0) {
      event.preventDefault();
      if (at === 0) input.focus();
      else all[at - 1]!.focus();
    } else if (event.key === 'Enter' && event.target === input && all.length > 0 && !panel.hidden) {
      event.preventDefault();
      all[0]!.click();
    }
  });

  say('Loading search…');
  try {
    pagefind = (await import(/* @vite-ignore */ PAGEFIND_URL)) as PagefindApi;
    await pagefind.options({ excerptLength: 18 });
    await pagefind.init();
    say('');
  } catch {
    failed = true;
    say('Search is not available here: its index is made by the build (npm run build).');
    const note = document.createElement('p');
    note.className = 'site-search__empty';
    note.textContent = 'Search is not available here: its index is made by the build (npm run build).';
    panel.replaceChildren(note);
    open(true);
    return;
  }
  if (input.value.trim() !== '') await render(input.value);
}
