// Where a share link in the URL fragment belongs: the pure part of ShareLinkNotice.astro, which
// tells a reader who opened a link on the wrong page where its experiment is. It ships on every
// page, so it imports nothing.

/** A share link's fragment starts with this (keys.ts SHARE_PREFIX; repeated here to keep this file import-free). */
const PREFIX = '#vnet=';

/** Where experiment ids live, computed at build time: id → [chapter URL, chapter title, experiment title]. */
export type ExperimentPlaces = Readonly<Record<string, readonly [url: string, chapter: string, experiment: string]>>;

/**
 * Build time: the chapter of each experiment, the first in reading order whose MDX embeds it
 * (`scenarios['<id>']`). `chapters` come sorted by their order.
 */
export function experimentPlaces(
  chapters: readonly { url: string; title: string; body: string }[],
  experiments: Readonly<Record<string, { title: string }>>,
): ExperimentPlaces {
  const places: Record<string, [string, string, string]> = {};
  for (const chapter of chapters) {
    for (const [id, experiment] of Object.entries(experiments)) {
      if (!Object.prototype.hasOwnProperty.call(places, id) && (chapter.body.includes(`'${id}'`) || chapter.body.includes(`"${id}"`))) places[id] = [chapter.url, chapter.title, experiment.title];
    }
  }
  return places;
}

/** What the notice says: text, then optionally a link and more text. */
export interface ShareLinkNotice {
  text: string;
  link?: { href: string; label: string };
  after?: string;
}

/** Quotes a name taken from a link for a sentence: at most 80 characters. */
function quoted(name: string): string {
  return `"${name.length > 80 ? `${name.slice(0, 80)}…` : name}"`;
}

/**
 * The experiment id of a share link fragment ("#vnet=<id>~<payload>"), percent-decoded as the
 * browser hands location.hash over percent-encoded: null when the fragment is not a share link,
 * false when its id holds a broken %-escape. Never throws.
 */
export function sharedExperimentId(hash: string): string | null | false {
  if (!hash.startsWith(PREFIX)) return null;
  const end = hash.indexOf('~', PREFIX.length);
  if (end <= PREFIX.length) return null;
  try {
    return decodeURIComponent(hash.slice(PREFIX.length, end));
  } catch {
    return false;
  }
}

/**
 * What to tell the reader about the share link in `hash` on a page that shows the experiments
 * `onPage`: nothing when the link is for one of them (its player opens it) or is no share link;
 * otherwise where its experiment is, or that no chapter has it.
 */
export function shareLinkNotice(hash: string, onPage: ReadonlySet<string>, places: ExperimentPlaces): ShareLinkNotice | null {
  const id = sharedExperimentId(hash);
  if (id === null) return null;
  if (id === false) return { text: 'This share link is damaged (its experiment name contains a broken %-escape), so it cannot be opened.' };
  if (onPage.has(id)) return null;
  // Own properties only: an id like "constructor" must not find Object.prototype.
  const place = Object.prototype.hasOwnProperty.call(places, id) ? places[id] : undefined;
  if (!place) return { text: `This share link is for an experiment (${quoted(id)}) that no chapter of this site has; it may have been changed, or made by another version of this site.` };
  const [url, chapter, experiment] = place;
  return {
    text: `This share link is for an edited version of the experiment ${quoted(experiment)}, which is on another page: `,
    link: { href: url + hash, label: `open it in the chapter "${chapter}"` },
    after: '.',
  };
}
