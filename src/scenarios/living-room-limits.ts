// How many hosts the "shared living room" takes (living-room.ts): in a module of their own so that
// the BroadcastCost control can check what the reader types without loading the core.
export const LIVING_ROOM_MIN_HOSTS = 2;
export const LIVING_ROOM_MAX_HOSTS = 1000;
