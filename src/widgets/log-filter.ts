// The timeline's filters (Timeline.tsx): the log narrowed to one device's events, or one
// protocol's. They come with the core (player-core.ts): there is nothing to filter before it.

import type { EventView, Proto, StepGroup } from './player-model';

/** What the log shows: events of one device, of one protocol (either unset: all). */
export interface LogFilter {
  device?: string;
  proto?: Proto;
}

/** `groups` narrowed to the events `filter` keeps (the same array when it keeps all), steps left empty dropped. */
export function filterGroups(groups: StepGroup[], filter: LogFilter): StepGroup[] {
  if (!filter.device && !filter.proto) return groups;
  const keep = (e: EventView) => (!filter.device || e.device === filter.device) && (!filter.proto || (e.proto ?? 'other') === filter.proto);
  return groups.flatMap((g) => {
    const events = g.events.filter(keep);
    return events.length === 0 ? [] : [events.length === g.events.length ? g : { ...g, events }];
  });
}

/** The first `count` events of `groups`: the steps just ahead of the present. */
export function firstEvents(groups: StepGroup[], count: number): { groups: StepGroup[]; hidden: number } {
  const kept: StepGroup[] = [];
  let room = count;
  let hidden = 0;
  for (const g of groups) {
    if (room <= 0) hidden += g.events.length;
    else kept.push(g.events.length <= room ? g : { ...g, events: g.events.slice(0, room) });
    if (room > 0 && g.events.length > room) hidden += g.events.length - room;
    room -= g.events.length;
  }
  return { groups: kept, hidden };
}

/** What the log draws: the run's groups and the first `shown` events of the steps ahead, both narrowed by `filter`. */
export function narrowLog(groups: StepGroup[], ahead: StepGroup[], filter: LogFilter, shown: number): { groups: StepGroup[]; ahead: StepGroup[]; aheadHidden: number; narrowed: boolean } {
  const first = firstEvents(filterGroups(ahead, filter), shown);
  return { groups: filterGroups(groups, filter), ahead: first.groups, aheadHidden: first.hidden, narrowed: !!(filter.device || filter.proto) };
}
