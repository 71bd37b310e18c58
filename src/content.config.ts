// Content collections. Chapters are MDX files in the top-level content/chapters/ folder;
// each file's name (without .mdx) is its slug and its URL is /chapters/<slug>/.
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';

const chapters = defineCollection({
  loader: glob({ pattern: '**/*.mdx', base: './content/chapters' }),
  schema: z.object({
    title: z.string().min(1),
    order: z.number(),
    summary: z.string().min(1),
    draft: z.boolean().optional(),
  }),
});

export const collections = { chapters };
