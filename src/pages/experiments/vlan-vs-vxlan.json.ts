// The variants of chapter "VLAN vs VXLAN"'s scenarios (learning on/off × flood list/static entries,
// the port mismatch, the MTU blackhole's two fixes) as one JSON object (id → scenario), written at
// build time: a player with a chooser fetches it the first time the reader chooses a variant
// (ScenarioPlayer's `chooser`), so that the page itself carries none.
import type { APIRoute } from 'astro';
import { variantExperiments } from '../../scenarios/vxlan-variants';

export const GET: APIRoute = () => new Response(JSON.stringify(variantExperiments()), { headers: { 'Content-Type': 'application/json' } });
