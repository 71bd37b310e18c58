// The experiments of chapter "macvlan vs ipvlan vs bridge"'s reachability matrix, as one JSON
// object (cell id → scenario), written at build time: the page's player fetches it the first time
// the reader chooses a cell (ScenarioPlayer's `chooser`), so that the page itself carries none.
import type { APIRoute } from 'astro';
import { matrixExperiments } from '../../scenarios/reach-matrix';

export const GET: APIRoute = () => new Response(JSON.stringify(matrixExperiments()), { headers: { 'Content-Type': 'application/json' } });
