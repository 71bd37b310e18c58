// The ports of a box (a hub, a bridge) that have a link, worked out once instead of asking
// isConnected for every port of every flood: a flood through a fabric of 48-port bridges would
// otherwise look up every port of every bridge for each broadcast.

import type { DeviceContext } from './context';

/**
 * By the device's port list. The list is configuration (frozen when the state is built, shared by
 * every copy of the device, and made anew for every state built), and the links are fixed when
 * the state is built and never change during a run: so one device's linked ports are the same
 * whenever they are asked for, and a new state (another topology) has new lists. Weak: they go
 * with the state.
 */
const linkedOf = new WeakMap<readonly string[], readonly string[]>();

/**
 * The ports of `ports` that have a link (ctx.isConnected), in the device's port order (the order a
 * flood sends its copies in); worked out once per port list. Frozen: events may hold it.
 */
export function linkedPorts(ctx: DeviceContext, ports: readonly string[]): readonly string[] {
  let linked = linkedOf.get(ports);
  if (linked === undefined) {
    linked = Object.freeze(ports.filter((port) => ctx.isConnected(port)));
    linkedOf.set(ports, linked);
  }
  return linked;
}

/** By linked list (linkedPorts): the ports of each flood out of it, by the index it skips, + 1. */
const floodsOf = new WeakMap<readonly string[], Array<readonly string[] | undefined>>();

/**
 * The ports a flood out of `linked` (a linkedPorts list) sends copies out of: all but the one at
 * index `skipped` (-1: none). Made once per list and skipped port, frozen, and shared by every flood
 * event that names them: a fabric floods through the same bridge thousands of times, and a new list
 * per flood was a sixth of what a run with a trace allocated.
 */
export function floodPorts(linked: readonly string[], skipped: number): readonly string[] {
  let floods = floodsOf.get(linked);
  if (floods === undefined) floodsOf.set(linked, (floods = []));
  let ports = floods[skipped + 1];
  if (ports === undefined) {
    ports = Object.freeze(skipped < 0 ? linked.slice() : linked.filter((_, i) => i !== skipped));
    floods[skipped + 1] = ports;
  }
  return ports;
}
