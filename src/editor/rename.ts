// Renaming a device, apart from the other edit operations (ops.ts): the device form loads it when a
// name is first committed, since edit mode's JavaScript has a budget (scripts/page-js-weight.mjs).

import { splitEndpoint, type Scenario } from '../sim/scenario/format';

/**
 * Why renaming the device at `index` to `to` is refused, or null when it may go ahead: a name
 * another device already has. The editor asks first and keeps the draft as it is, so a duplicate
 * name never reaches the draft (where it would be one error per cable end and action naming it).
 */
export function renameRefusal(s: Scenario, index: number, to: string): string | null {
  const from = s.devices[index]?.id;
  if (from === undefined || to === from) return null;
  const other = s.devices.findIndex((d, i) => i !== index && d.id === to);
  if (other < 0) return null;
  const taken = s.devices[other]!;
  return `${to} is already the name of device ${other + 1} (a ${taken.kind}): every device needs a name of its own, so ${from || 'this device'} keeps its name. Choose another one.`;
}

/**
 * Renames a device (its `id`) and every cable end, macvlan/ipvlan parent and traffic action that names it, the name in a
 * traffic action's own label included (the player shows it for the action). `index` picks
 * the device when two share a name. Cables and traffic follow only when the rename is unambiguous:
 * `from` names this device alone and `to` no other device. Otherwise they keep their names, so a
 * duplicate name never merges two devices' cables, and renaming one back restores them.
 */
export function renameDevice(s: Scenario, from: string, to: string, index = s.devices.findIndex((d) => d.id === from)): Scenario {
  if (from === to) return s;
  if (s.devices[index]?.id !== from) throw new Error(`no device "${from}" at #${index}`);
  const next = structuredClone(s);
  next.devices[index]!.id = to;
  const others = s.devices.filter((_, i) => i !== index);
  if (others.some((d) => d.id === from || d.id === to)) return next;
  const swap = (end: string) => {
    const { device, port } = splitEndpoint(end);
    return device === from ? `${to}:${port}` : end;
  };
  next.links = next.links.map((l) => ({ ...l, a: swap(l.a), b: swap(l.b) }));
  // A macvlan or ipvlan child names its parent as "device:interface": it follows too.
  for (const d of next.devices) {
    if (d.kind !== 'host' && d.kind !== 'router') continue;
    for (const nic of d.nics) {
      if (nic.macvlan) nic.macvlan.parent = swap(nic.macvlan.parent);
      if (nic.ipvlan) nic.ipvlan.parent = swap(nic.ipvlan.parent);
    }
  }
  for (const a of next.traffic) {
    const named = a.from === from || a.to === from;
    if (a.from === from) a.from = to;
    if (a.to === from) a.to = to;
    // An action with a label of its own ("A pings C (both in VLAN 10)") names the device in words;
    // a generated one is written from `from` and `to` and follows already.
    if (named && a.label !== undefined) a.label = renameInText(a.label, from, to);
  }
  return next;
}

/** `text` with each whole-word `from` (a device name: letters, digits, - and _) replaced by `to`. */
export function renameInText(text: string, from: string, to: string): string {
  if (from === '') return text;
  const word = new RegExp(`(?<![\\w-])${from.replace(/[-\\^$*+?.()|[\]{}]/g, '\\$&')}(?![\\w-])`, 'g');
  return text.replace(word, () => to);
}
