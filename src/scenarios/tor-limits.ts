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
