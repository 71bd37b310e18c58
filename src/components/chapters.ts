// Chapter list helpers shared by the home page, the chapter route and the layout.
import { getCollection, type CollectionEntry } from 'astro:content';

export type Chapter = CollectionEntry<'chapters'>;

/** Published chapters sorted by `order` (drafts are listed only in `astro dev`). */
export async function getChapters(): Promise<Chapter[]> {
  const entries = await getCollection('chapters', ({ data }) => import.meta.env.DEV || data.draft !== true);
  return entries.sort((a, b) => a.data.order - b.data.order || a.id.localeCompare(b.id));
}

export function chapterUrl(chapter: Chapter): string {
  return `/chapters/${chapter.id}/`;
}

/**
 * The planned chapters. The home page lists under "Coming next" those that have no
 * published chapter yet (no chapter with the same `order` or the same title).
 */
export const PLANNED_CHAPTERS: readonly { order: number; title: string }[] = [
  { order: 1, title: 'Hub vs bridge' },
  { order: 2, title: 'Why one VLAN per subnet' },
  { order: 3, title: 'VLAN vs VXLAN' },
  { order: 4, title: 'macvlan vs ipvlan vs bridge' },
  { order: 5, title: 'Side by side' },
];

/** A planned chapter that has no published chapter yet (no chapter with its `order` or its title). */
export function unpublishedPlans(chapters: readonly Chapter[]): { order: number; title: string }[] {
  const titles = new Set(chapters.map((c) => c.data.title.trim().toLowerCase()));
  const orders = new Set(chapters.map((c) => c.data.order));
  return PLANNED_CHAPTERS.filter((p) => !orders.has(p.order) && !titles.has(p.title.toLowerCase()));
}

/** One line of the chapter sidebar: a published chapter (a link) or a planned one (plain text). */
export type SidebarEntry =
  | { kind: 'chapter'; order: number; title: string; href: string; id: string }
  | { kind: 'planned'; order: number; title: string };

/** Every chapter, published and planned, in reading order (a published one first at equal order). */
export function sidebarEntries(chapters: readonly Chapter[]): SidebarEntry[] {
  const entries: SidebarEntry[] = [
    ...chapters.map((c): SidebarEntry => ({ kind: 'chapter', order: c.data.order, title: c.data.title, href: chapterUrl(c), id: c.id })),
    ...unpublishedPlans(chapters).map((p): SidebarEntry => ({ kind: 'planned', ...p })),
  ];
  return entries.sort((a, b) => a.order - b.order || (a.kind === b.kind ? 0 : a.kind === 'chapter' ? -1 : 1));
}
