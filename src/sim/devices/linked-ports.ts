// The ports of a box (a hub, a bridge) that have a link, worked out once instead of asking
// isConnected for every port of every flood: a flood through a fabric of 48-port bridges would
// otherwise look up every port of every bridge for each broadcast.

import type { DeviceContext } from './context';

export interface LinkedPorts {
  /** The ports with a link, in the device's port order (the order a flood sends its copies in). */
  readonly list: readonly string[];
  /** Each of those ports' position in `list`. */
  readonly position: ReadonlyMap<string, number>;
}

/**
 * By the device's port list. The list is configuration (frozen when the state is built, shared by
 * every copy of the device, and made anew for every state built), and the links are fixed when
 * the state is built and never change during a run: so one device's linked ports are the same
 * whenever they are asked for, and a new state (another topology) has new lists. Weak: they go
 * with the state.
 */
const linkedOf = new WeakMap<readonly string[], LinkedPorts>();

/** The ports of `ports` that have a link (ctx.isConnected), once per port list. */
export function linkedPorts(ctx: DeviceContext, ports: readonly string[]): LinkedPorts {
  let linked = linkedOf.get(ports);
  if (linked === undefined) {
    const list = Object.freeze(ports.filter((port) => ctx.isConnected(port)));
    linked = { list, position: new Map(list.map((port, i) => [port, i])) };
    linkedOf.set(ports, linked);
  }
  return linked;
}
