// The timeline's controls above the event log: a scrubber over the run's steps (0 to the furthest
// step reached) that moves the whole run there, and filters by device and by protocol that narrow
// the log. They come with the core (player-core.ts): before the first Step there is no run to
// scrub or filter, and the page loads none of this. The log itself is the timeline's list of
// events (EventLog.tsx: choose a line to go to its step).

import type { LogFilter } from './log-filter';
import type { Proto } from './player-model';

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
