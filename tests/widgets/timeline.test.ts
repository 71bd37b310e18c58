// The timeline (issue 10): a jump to any step moves the whole run there exactly (back by the core's
// exact step back, forward by replaying the steps undone, the reader's own sends included), the
// steps undone stay listed ahead of the present, and the filters narrow the log by device and
// protocol. No DOM: the model and the log's pure helpers.

import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index.ts';
import type { Scenario } from '../../src/sim/scenario/format.ts';
import { filterGroups } from '../../src/widgets/log-filter.ts';
import { createPlayerModel, type PlayerModel } from '../../src/widgets/player-model.ts';
import { frameProto } from '../../src/widgets/player-run.ts';

function scenario(id: string): Scenario {
  const found = scenarios[id];
  if (!found) throw new Error(`no scenario ${id}`);
  return found;
}

function toEnd(model: PlayerModel): void {
  for (let n = 0; model.canStep.value; n++) {
    if (n > 10_000) throw new Error('did not reach quiescence');
    model.stepForward();
  }
}

/** What a reader can compare: the log's lines, the tables, the outcomes. */
function picture(model: PlayerModel) {
  return {
    step: model.step.value,
    time: model.time.value,
    lines: model.log.value.flatMap((g) => g.events.map((e) => `${g.step} ${e.text}`)),
    mac: JSON.stringify(model.macTables.value),
    arp: JSON.stringify(model.arpCaches.value),
    outcomes: JSON.stringify(model.outcomes.value),
    next: model.next.value?.text ?? null,
  };
}

describe('timeline: jumps', () => {
  it('jumps back to any step with the state a forward run had there, keeps the undone steps ahead, and replays them exactly', () => {
    const model = createPlayerModel(scenario('hub-vs-bridge/bridge'));
    const seen = [picture(model)];
    while (model.canStep.value) {
      model.stepForward();
      seen.push(picture(model));
    }
    const end = seen.length - 1;
    expect(end).toBeGreaterThan(5);
    expect(model.horizon.value).toBe(end);
    expect(model.ahead.value).toEqual([]);

    const middle = Math.floor(end / 2);
    model.goTo(middle);
    expect(picture(model)).toEqual(seen[middle]);
    expect(model.horizon.value).toBe(end);
    // The steps undone are listed, in order, with the lines they had.
    expect(model.ahead.value.map((g) => g.step)).toEqual(seen.slice(middle + 1).map((p) => p.step));
    expect(model.ahead.value.flatMap((g) => g.events.map((e) => `${g.step} ${e.text}`))).toEqual(seen[end]!.lines.slice(seen[middle]!.lines.length));
    // Step replays the next undone step; a jump forward, the rest.
    expect(model.canStep.value).toBe(true);
    model.stepForward();
    expect(picture(model)).toEqual(seen[middle + 1]);
    model.goTo(end);
    expect(picture(model)).toEqual(seen[end]);
    expect(model.ahead.value).toEqual([]);
    expect(model.canStep.value).toBe(false);
    model.goTo(0);
    expect(picture(model)).toEqual(seen[0]);
    model.goTo(3);
    expect(picture(model)).toEqual(seen[3]);
  });

  it('replays the reader’s own send where it was made; a new send behind the end starts a new run from there', () => {
    const model = createPlayerModel(scenario('hub-vs-bridge/bridge'));
    toEnd(model);
    const action = { do: 'ping', from: 'B', to: 'D' } as const;
    model.send(action);
    const sentAt = model.step.value;
    toEnd(model);
    const end = picture(model);
    expect(end.step).toBeGreaterThan(sentAt);

    model.goTo(sentAt - 1);
    expect(model.canStep.value).toBe(true);
    model.goTo(end.step);
    expect(picture(model)).toEqual(end);

    // A send from step 2 leaves the old future behind: the timeline now ends at the new send.
    model.goTo(2);
    model.send(action);
    expect(model.step.value).toBe(3);
    expect(model.horizon.value).toBe(3);
    expect(model.ahead.value).toEqual([]);
  });

  it('clamps a jump to the timeline, and Reset forgets the steps ahead', () => {
    const model = createPlayerModel(scenario('hub-vs-bridge/bridge'));
    model.stepForward();
    model.stepForward();
    model.goTo(99);
    expect(model.step.value).toBe(2);
    model.goTo(-5);
    expect(model.step.value).toBe(0);
    expect(model.horizon.value).toBe(2);
    model.goTo(2);
    model.reset();
    expect(model.horizon.value).toBe(0);
    expect(model.ahead.value).toEqual([]);
  });
});

describe('timeline: filters', () => {
  it('classifies frames by their headers, behind VLAN tags too', () => {
    const frame = (type: number, extra: number[] = []) => new Uint8Array([...new Array(12).fill(0), type >> 8, type & 0xff, ...extra, ...new Array(40).fill(0)]);
    expect(frameProto(frame(0x0806))).toBe('arp');
    const ip = (protocol: number) => [0x45, 0, 0, 28, 0, 0, 0, 0, 64, protocol];
    expect(frameProto(frame(0x0800, ip(1)))).toBe('icmp');
    expect(frameProto(frame(0x0800, ip(17)))).toBe('udp');
    expect(frameProto(frame(0x0800, ip(6)))).toBe('other');
    expect(frameProto(frame(0x8100, [0, 10, 0x08, 0x06]))).toBe('arp');
    expect(frameProto(frame(0x86dd))).toBe('other');
    expect(frameProto(new Uint8Array(5))).toBe('other');
  });

  it('narrows a run’s log to one device and one protocol, every line kept being of them', () => {
    const model = createPlayerModel(scenario('hub-vs-bridge/bridge'));
    toEnd(model);
    const all = model.log.value;
    const count = (groups: typeof all) => groups.reduce((n, g) => n + g.events.length, 0);
    const arp = filterGroups(all, { proto: 'arp' });
    const icmp = filterGroups(all, { proto: 'icmp' });
    expect(count(arp)).toBeGreaterThan(0);
    expect(count(icmp)).toBeGreaterThan(0);
    expect(arp.flatMap((g) => g.events).every((e) => e.proto === 'arp')).toBe(true);
    // The ping's first frame is an ARP request; its echo is ICMP: the two filters part the frames.
    expect(arp.flatMap((g) => g.events).some((e) => /ARP|who has/i.test(e.text))).toBe(true);
    expect(icmp.flatMap((g) => g.events).some((e) => /echo|ping/i.test(e.text))).toBe(true);
    const device = all[0]!.events[0]!.device;
    const mine = filterGroups(all, { device, proto: 'icmp' });
    expect(mine.flatMap((g) => g.events).every((e) => e.device === device && e.proto === 'icmp')).toBe(true);
    expect(count(mine)).toBeLessThan(count(icmp));
    expect(filterGroups(all, {})).toBe(all);
  });
});
