// The "Run it on Linux" script of every chapter scenario, highlighted at build time (Shiki, token
// classes only) and served as /run-for-real/<scenario id>.json: a player fetches it the first time
// the reader opens "Run it for real" on the chapter's version (an edited version is generated in
// the browser). Nothing of Shiki reaches a page.

import type { APIRoute, GetStaticPaths } from 'astro';
import { scenarios } from '../../scenarios/index';
import { linuxScript } from '../../sim/export/linux-script';
import { highlightScript } from '../../widgets/run-for-real/highlight';

export const getStaticPaths: GetStaticPaths = () => Object.keys(scenarios).map((id) => ({ params: { id } }));

export const GET: APIRoute = async ({ params }) => {
  const scenario = scenarios[params.id!]!;
  const { text } = linuxScript(scenario);
  return new Response(JSON.stringify({ id: scenario.id, text, html: await highlightScript(text) }), { headers: { 'Content-Type': 'application/json' } });
};
