// The ports a flood goes out of. Which of a device's ports have a link is the engine's to say
// (DeviceContext.linkedPorts, worked out once per port list when the state is built); which of those
// one flood uses, and the list its event names, is worked out here once per ingress port.

/** By linked list (DeviceContext.linkedPorts): the ports of each flood out of it, by the index it skips, + 1. */
const floodsOf = new WeakMap<readonly string[], Array<readonly string[] | undefined>>();

/**
 * The ports a flood out of `linked` (a linkedPorts list) sends copies out of: all but the one at
 * index `skipped` (-1: none). Made once per list and skipped port, frozen, and shared by every flood
 * event that names them: a fabric floods through the same bridge thousands of times, and a new list
 * per flood was a sixth of what a run with a trace allocated. (A run without a trace names none.)
 */
export function floodPorts(linked: readonly string[], skipped: number): readonly string[] {
  let floods = floodsOf.get(linked);
  if (floods === undefined) floodsOf.set(linked, (floods = []));
  let ports = floods[skipped + 1];
  if (ports === undefined) {
    // slice and splice, not filter: native copies, quick even before the page's code is optimised.
    const list = linked.slice();
    if (skipped >= 0) list.splice(skipped, 1);
    ports = Object.freeze(list);
    floods[skipped + 1] = ports;
  }
  return ports;
}
