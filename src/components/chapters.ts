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
];
