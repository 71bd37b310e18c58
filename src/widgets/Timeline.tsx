// The timeline's controls above the event log: a scrubber over the run's steps (0 to the furthest
// step reached) that moves the whole run there, and filters by device and by protocol that narrow
// the log. They come with the core (player-core.ts): before the first Step there is no run to
// scrub or filter, and the page loads none of this. The log itself is the timeline's list of
// events (EventLog.tsx: choose a line to go to its step).

import type { LogFilter } from './log-filter';
import type { Proto, StepGroup } from './player-model';

export interface TimelineProps {
  idPrefix: string;
  step: number;
  /** The furthest step reached (the scrubber's end). */
  horizon: number;
  devices: { id: string; name: string }[];
  filter: LogFilter;
  onFilter: (filter: LogFilter) => void;
  onGoTo: (step: number) => void;
}

const PROTOS: { value: Proto; label: string }[] = [
  { value: 'arp', label: 'ARP' },
  { value: 'icmp', label: 'ICMP' },
  { value: 'udp', label: 'UDP' },
  { value: 'other', label: 'Other' },
];

export function Timeline({ idPrefix, step, horizon, devices, filter, onFilter, onGoTo }: TimelineProps) {
  const at = `${idPrefix}-scrub`;
  return (
    <>
      <span class="vp-scrub">
        <label for={at}>Timeline</label>
        <input
          id={at}
          type="range"
          min={0}
          max={horizon}
          step={1}
          value={step}
          disabled={horizon === 0}
          aria-valuetext={`Step ${step} of ${horizon}`}
          onInput={(event) => onGoTo(Number((event.currentTarget as HTMLInputElement).value))}
        />
        <output for={at} class="vp-scrub-at">
          {step} / {horizon}
        </output>
      </span>
      <span class="vp-filter">
        <label for={`${idPrefix}-fdev`}>Device</label>
        <select id={`${idPrefix}-fdev`} value={filter.device ?? ''} onChange={(event) => onFilter({ ...filter, device: (event.currentTarget as HTMLSelectElement).value || undefined })}>
          <option value="">All</option>
          {devices.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </span>
      <span class="vp-filter">
        <label for={`${idPrefix}-fproto`}>Protocol</label>
        <select id={`${idPrefix}-fproto`} value={filter.proto ?? ''} onChange={(event) => onFilter({ ...filter, proto: ((event.currentTarget as HTMLSelectElement).value || undefined) as Proto | undefined })}>
          <option value="">All</option>
          {PROTOS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </span>
    </>
  );
}

export interface StepsUndoneProps {
  /** The steps after the present, up to the furthest reached (the first of their events). */
  groups: StepGroup[];
  /** Events of them not drawn. */
  hidden: number;
  /** The step the run is at. */
  now: number;
  onJump: (step: number) => void;
  onSelect: (eventIndex: number) => void;
}

/**
 * The steps undone, below the event log's present (after a step back or a jump back): Step
 * replays them; a heading takes the run to its step, a frame line there and opens the inspector.
 */
export function StepsUndone({ groups, hidden, now, onJump, onSelect }: StepsUndoneProps) {
  return (
    <>
      <p class="vp-log-now">Now: step {now}. Below, the steps undone, which Step replays.</p>
      <ol class="vp-log-steps vp-log-ahead" aria-label="Steps undone">
        {groups.map((g) => (
          <li key={g.step} class="vp-log-step">
            <button type="button" class="vp-log-head" tabIndex={-1} title="Take the whole run to this step" onClick={() => onJump(g.step)}>
              Step {g.step} · t = {g.time} ms
            </button>
            <ul class="vp-log-events">
              {g.events.map((e) => (
                <li key={e.index} class={`vp-ev vp-ev--${e.kind}`}>
                  {e.hasFrame ? (
                    <button
                      type="button"
                      class="vp-ev-btn"
                      data-event={String(e.index)}
                      tabIndex={-1}
                      aria-pressed="false"
                      onClick={() => {
                        onJump(g.step);
                        onSelect(e.index);
                      }}
                    >
                      <span class="vp-ev-text">{e.text}</span>
                    </button>
                  ) : (
                    <span class="vp-ev-text">{e.text}</span>
                  )}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
      {hidden > 0 && (
        <p class="vp-log-more">
          …and {hidden} more {hidden === 1 ? 'event' : 'events'} ahead.
        </p>
      )}
    </>
  );
}
