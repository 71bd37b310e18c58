// A cheaper way to find a named region (a player, a control, a dialog's side) on a whole page.
//
// `page.getByRole('region', { name })` computes the role of every element of the page and the
// accessible name of every candidate, on every resolution: an action, and each poll of an
// assertion, resolves its locator again, and everything a test does inside a player starts from
// the player's region. On a chapter page (8,000–14,000 DOM nodes once its islands have hydrated)
// that is about 10 ms of the page's main thread per resolution, against under 1 ms for this engine,
// and a chapter test resolves a region a few hundred times: the browser tests are CPU-bound, so it
// counted (issue 10: `npm test` under 5 minutes).
//
// `region=` finds the same elements the role engine does for our pages, with the same name rules
// (ARIA's accessible name of a region: `aria-labelledby`'s referenced texts, else `aria-label`):
// a <section> or an element with role="region", named, not hidden from assistive technology.
// `regionByRole` keeps the reader's view honest: a test that opens a region through `region()`
// checks once, with Playwright's own role engine, that the same element is a region by that name.
import { selectors, type Locator, type Page } from '@playwright/test';

/** Installed in the page by Playwright; runs there, so it may use only the DOM. */
function createRegionEngine() {
  const normalize = (s: string) => s.replace(/[\u200b\u00ad]/g, '').replace(/\s+/g, ' ').trim();
  const nameOf = (el: Element): string => {
    const ids = el.getAttribute('aria-labelledby');
    if (ids) {
      const doc = el.ownerDocument;
      return normalize(
        ids
          .split(/\s+/)
          .map((id) => doc.getElementById(id)?.textContent ?? '')
          .join(' '),
      );
    }
    return normalize(el.getAttribute('aria-label') ?? '');
  };
  const hidden = (el: Element) =>
    el.closest('[aria-hidden="true"], [inert]') !== null || !el.checkVisibility({ visibilityProperty: true });
  const matcher = (body: string): ((name: string) => boolean) => {
    const q = JSON.parse(body) as { name?: string; source?: string; flags?: string };
    if (q.source !== undefined) {
      const re = new RegExp(q.source, q.flags);
      return (name) => {
        re.lastIndex = 0;
        return re.test(name);
      };
    }
    const want = normalize(q.name ?? '');
    return (name) => name === want;
  };
  const queryAll = (root: Element | Document, body: string): Element[] => {
    const matches = matcher(body);
    const found: Element[] = [];
    for (const el of root.querySelectorAll('section[aria-labelledby], section[aria-label], [role="region"]')) {
      const role = el.getAttribute('role');
      if (role && role !== 'region') continue;
      const name = nameOf(el);
      if (name && matches(name) && !hidden(el)) found.push(el);
    }
    return found;
  };
  return { query: (root: Element | Document, body: string) => queryAll(root, body)[0] ?? null, queryAll };
}

let registered: Promise<void> | undefined;
/** Registers `region=` once per worker (selectors must be registered before a context is made). */
export function registerRegionEngine(): Promise<void> {
  registered ??= selectors.register('region', createRegionEngine);
  return registered;
}

type Name = string | RegExp;

/** The region named `name` (exactly, for a string; a RegExp as it matches) in `scope`. */
export function region(scope: Page | Locator, name: Name): Locator {
  const body = typeof name === 'string' ? { name } : { source: name.source, flags: name.flags };
  return scope.locator(`region=${JSON.stringify(body)}`);
}

/** The same region through Playwright's role engine: what `region()` stands for, checked by a test once. */
export function regionByRole(scope: Page | Locator, name: Name): Locator {
  return scope.getByRole('region', typeof name === 'string' ? { name, exact: true } : { name });
}
