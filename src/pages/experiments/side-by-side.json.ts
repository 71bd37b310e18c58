// The experiments of chapter "Side by side"'s closing table, as one JSON object (experiment id →
// scenario), written at build time: the page's player fetches it the first time the reader
// chooses a cell (ScenarioPlayer's `chooser`), so that the page itself carries none.
import type { APIRoute } from 'astro';
import { sideBySideExperiments } from '../../scenarios/side-by-side';

export const GET: APIRoute = () => new Response(JSON.stringify(sideBySideExperiments()), { headers: { 'Content-Type': 'application/json' } });
