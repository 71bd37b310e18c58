// The scenario format's identifiers, in a module of their own: the page (saved edits' keys, share
// links) needs them at load, and importing them from format.ts brought its functions along.

/** The value of a scenario's `format` field; bump the number when the format changes incompatibly. */
export const SCENARIO_FORMAT = 'vnet-live/scenario@2';
/** The first format (hosts, hubs, bridges, switches, routers, cables): v2 is a superset, so a v1 document opens as v2 (migrate.ts). */
export const SCENARIO_FORMAT_V1 = 'vnet-live/scenario@1';
/** Every format this version reads: the current one first, then the older ones it migrates on load. */
export const KNOWN_SCENARIO_FORMATS: readonly string[] = [SCENARIO_FORMAT, SCENARIO_FORMAT_V1];
