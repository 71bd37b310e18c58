// How far the "what the top-of-rack switch must learn" experiment goes (tor.ts): in a module of its
// own so that the ToR control can check what the reader types without loading the core.
export const TOR_MIN_RACKS = 2;
export const TOR_MAX_RACKS = 100;
export const TOR_MIN_VMS = 1;
export const TOR_MAX_VMS = 100;
/** Physical servers in each rack; a rack's VMs are dealt out to them in turn. */
export const TOR_SERVERS_PER_RACK = 4;
export const TOR_MIN_LIMIT = 1;
export const TOR_MAX_LIMIT = 100_000;
/**
 * The values the control starts with (the chapter's table, counted when the site is built): a
 * reader who sets only the racks and the VMs keeps this limit, which 100 × 100 overflows.
 * bench:tor times its recompute with them.
 */
export const TOR_START = Object.freeze({ racks: 10, vms: 40, limit: 200 });
