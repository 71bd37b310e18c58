// "The shared living room": the reader sets how many hosts share one switch, how many VLANs split
// them and how often each host sends an ARP request, and reads what one broadcast costs. Every
// frame count comes from running the scenario through the core (src/scenarios/living-room.ts);
// this island only multiplies the counted frames by the reader's rate.
//
//   import BroadcastCost from '../../src/widgets/BroadcastCost.tsx';
//   <BroadcastCost client:visible />
//
// The core is not part of the page: the server counts the first values' run and writes it beside
// the control (JSON), and the core (with living-room.ts) loads when the reader first asks for
// other hosts or VLANs; the last numbers stay meanwhile.

import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type MutableRef } from 'preact/hooks';
import type { LivingRoomRun } from '../scenarios/living-room';
import { LIVING_ROOM_MAX_HOSTS, LIVING_ROOM_MIN_HOSTS } from '../scenarios/living-room-limits';
import { readServedJson, scriptJson } from './served-json';
import { typedBeforeHydration } from './typed-before-hydration';
import './broadcast-cost.css';

type LivingRoom = typeof import('../scenarios/living-room');

/** The experiment and the core: there from the start on the server, loaded on first use in the browser. */
let livingRoom: LivingRoom | null = import.meta.env.SSR ? await import('../scenarios/living-room') : null;
const loadLivingRoom = () => import('../scenarios/living-room').then((m) => (livingRoom = m));

/** A run counted for given values: the server's first one, or one of the browser's. */
interface Counted {
  hosts: number;
  vlans: number;
  run: LivingRoomRun;
}

function readCounted(id: string): { text: string; counted: Counted } | null {
  const read = readServedJson<Counted>(id);
  return read && { text: read.text, counted: read.value };
}

export interface BroadcastCostProps {
  hosts?: number;
  vlans?: number;
  /** ARP requests each host sends per second. */
  rate?: number;
}

const MAX_RATE = 100;

type Parsed = { ok: true; value: number } | { ok: false; error: string };

function parseWhole(text: string, what: string, min: number, max: number): Parsed {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: `Enter a number of ${what} from ${min} to ${max}.` };
  if (!/^\d+$/.test(trimmed)) return { ok: false, error: `"${trimmed}" is not a whole number: enter ${what} from ${min} to ${max}.` };
  const value = Number(trimmed);
  if (value < min || value > max) return { ok: false, error: `${value} is out of range: enter ${what} from ${min} to ${max}.` };
  return { ok: true, value };
}

function parseRate(text: string): Parsed {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: `Enter a rate from 0 to ${MAX_RATE} requests per second.` };
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(trimmed)) return { ok: false, error: `"${trimmed}" is not a number: enter a rate like 0.5, from 0 to ${MAX_RATE}.` };
  const value = Number(trimmed);
  if (value > MAX_RATE) return { ok: false, error: `${value} is out of range: enter a rate from 0 to ${MAX_RATE} requests per second.` };
  return { ok: true, value };
}

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

function plural(n: number, one: string, many: string): string {
  return `${whole.format(n)} ${n === 1 ? one : many}`;
}

/** A rate as it is printed (one decimal at most), singular when it reads "1": "1 request", "0.5 requests". */
function rate(n: number, one: string, many: string): string {
  const text = decimal.format(n);
  return `${text} ${text === '1' ? one : many}`;
}

/** What the reader typed in the three fields. */
export interface LivingRoomTexts {
  hosts: string;
  vlans: string;
  rate: string;
}

/** The values the result shows: the last valid ones. */
export interface LivingRoomValues {
  hosts: number;
  vlans: number;
  rate: number;
}

/**
 * The values to show for what is typed now: each field's own value when it is valid, else its last
 * good one (`good`), so the result never jumps to nonsense while the reader is typing. A split into
 * more VLANs than hosts keeps `good` as it is.
 */
export function settleLivingRoom(texts: LivingRoomTexts, good: LivingRoomValues): LivingRoomValues {
  const h = parseWhole(texts.hosts, 'hosts', LIVING_ROOM_MIN_HOSTS, LIVING_ROOM_MAX_HOSTS);
  const hosts = h.ok ? h.value : good.hosts;
  const v = parseWhole(texts.vlans, 'VLANs', 1, Math.min(hosts, 255));
  const r = parseRate(texts.rate);
  const candidate = { hosts, vlans: v.ok ? v.value : good.vlans, rate: r.ok ? r.value : good.rate };
  if (candidate.vlans > candidate.hosts) return good;
  return candidate.hosts === good.hosts && candidate.vlans === good.vlans && candidate.rate === good.rate ? good : candidate;
}

interface FieldProps {
  id: string;
  inputRef: MutableRef<HTMLInputElement | null>;
  label: string;
  hint: string;
  value: string;
  error: string | null;
  inputMode: 'numeric' | 'decimal';
  onInput: (text: string) => void;
}

function Field({ id, inputRef, label, hint, value, error, inputMode, onInput }: FieldProps) {
  return (
    <div class="bc-field">
      <label for={id}>{label}</label>
      <input
        ref={inputRef}
        id={id}
        type="text"
        inputMode={inputMode}
        autoComplete="off"
        spellcheck={false}
        value={value}
        aria-invalid={error ? 'true' : 'false'}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
        onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
      />
      <p class="bc-hint" id={`${id}-hint`}>
        {hint}
      </p>
      {error && (
        <p class="bc-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

export default function BroadcastCost({ hosts: initialHosts = 250, vlans: initialVlans = 1, rate: initialRate = 0.5 }: BroadcastCostProps) {
  const prefix = `bc${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const [texts, setTexts] = useState({ hosts: String(initialHosts), vlans: String(initialVlans), rate: String(initialRate) });
  const [good, setGood] = useState({ hosts: initialHosts, vlans: initialVlans, rate: initialRate });

  const hostsParsed = parseWhole(texts.hosts, 'hosts', LIVING_ROOM_MIN_HOSTS, LIVING_ROOM_MAX_HOSTS);
  const hostsForVlans = hostsParsed.ok ? hostsParsed.value : good.hosts;
  let vlansParsed = parseWhole(texts.vlans, 'VLANs', 1, Math.min(hostsForVlans, 255));
  if (!vlansParsed.ok && /^\d+$/.test(texts.vlans.trim()) && Number(texts.vlans) > hostsForVlans && Number(texts.vlans) <= 255) {
    vlansParsed = { ok: false, error: `${Number(texts.vlans)} VLANs for ${hostsForVlans} hosts leaves some VLANs empty: enter at most ${hostsForVlans}.` };
  }
  const rateParsed = parseRate(texts.rate);

  const show = (next: LivingRoomTexts) => {
    setTexts(next);
    // Each field keeps its last good value while the reader is typing an invalid one.
    const settled = settleLivingRoom(next, good);
    if (settled !== good) setGood(settled);
  };
  const update = (field: keyof LivingRoomTexts, text: string) => show({ ...texts, [field]: text });

  // Input typed before the island hydrated is in the DOM, not in the state: read it once, on mount,
  // before the first re-render would write the server's values back over it.
  const refs = { hosts: useRef<HTMLInputElement | null>(null), vlans: useRef<HTMLInputElement | null>(null), rate: useRef<HTMLInputElement | null>(null) };
  useLayoutEffect(() => {
    const typed = typedBeforeHydration(texts, { hosts: refs.hosts.current, vlans: refs.vlans.current, rate: refs.rate.current });
    if (typed.hosts !== texts.hosts || typed.vlans !== texts.vlans || typed.rate !== texts.rate) show(typed);
  }, []);

  // The run for the values shown: the server's first one, or counted here once the core is loaded
  // (until then, and if it cannot load, the last run counted stays).
  const startId = `${prefix}-start`;
  const [start] = useState(() => {
    const read = readCounted(startId);
    if (read) return read;
    const counted: Counted = { hosts: good.hosts, vlans: good.vlans, run: livingRoom!.measureLivingRoom(good.hosts, good.vlans) };
    return { text: scriptJson(counted), counted };
  });
  const [arrived, setArrived] = useState(livingRoom !== null);
  const [unavailable, setUnavailable] = useState(false);
  const counted = useMemo((): Counted | null => {
    if (good.hosts === start.counted.hosts && good.vlans === start.counted.vlans) return start.counted;
    return livingRoom ? { hosts: good.hosts, vlans: good.vlans, run: livingRoom.measureLivingRoom(good.hosts, good.vlans) } : null;
  }, [good.hosts, good.vlans, arrived]);
  const last = useRef(start.counted);
  if (counted) last.current = counted;
  const counting = counted === null;
  useEffect(() => {
    if (!counting) return;
    setUnavailable(false);
    loadLivingRoom().then(
      () => setArrived(true),
      () => setUnavailable(true),
    );
  }, [counting, good.hosts, good.vlans]);
  /** The values whose run is shown (the reader's rate applies at once). */
  const shown = last.current;
  const run: LivingRoomRun = shown.run;
  // The largest VLAN is the noisiest room; with an even split every VLAN is the same.
  const biggest = run.vlans.reduce((a, b) => (b.hosts > a.hosts ? b : a));
  const perHostPerSecond = biggest.hostsReached * good.rate;
  const framesPerSecond = run.vlans.reduce((sum, v) => sum + v.hosts * good.rate * v.frames, 0);
  const outside = run.vlans.reduce((sum, v) => sum + v.reachedOutsideVlan, 0);
  const even = run.vlans.every((v) => v.hosts === biggest.hosts);
  const anyError = !hostsParsed.ok || !vlansParsed.ok || !rateParsed.ok;
  const titleId = `${prefix}-title`;

  return (
    <section class="bc" aria-labelledby={titleId}>
      <p class="bc-title" id={titleId}>
        The shared living room
      </p>
      <p class="bc-caption">
        Put hosts on one switch, optionally split them into VLANs, and choose how often each host sends an ARP request. The numbers come from
        running one ARP request in each VLAN on the simulator and counting the frames.
      </p>
      <div class="bc-fields">
        <Field
          id={`${prefix}-hosts`}
          inputRef={refs.hosts}
          label="Hosts on the switch"
          hint={`${LIVING_ROOM_MIN_HOSTS} to ${LIVING_ROOM_MAX_HOSTS}`}
          value={texts.hosts}
          error={hostsParsed.ok ? null : hostsParsed.error}
          inputMode="numeric"
          onInput={(t) => update('hosts', t)}
        />
        <Field
          id={`${prefix}-vlans`}
          inputRef={refs.vlans}
          label="VLANs"
          hint="1 to 255; 1 keeps one big room, and hosts are dealt out to VLANs in turn"
          value={texts.vlans}
          error={vlansParsed.ok ? null : vlansParsed.error}
          inputMode="numeric"
          onInput={(t) => update('vlans', t)}
        />
        <Field
          id={`${prefix}-rate`}
          inputRef={refs.rate}
          label="ARP requests per host per second"
          hint={`0 to ${MAX_RATE}, e.g. 0.5`}
          value={texts.rate}
          error={rateParsed.ok ? null : rateParsed.error}
          inputMode="decimal"
          onInput={(t) => update('rate', t)}
        />
      </div>
      <div class="bc-result" role="status" aria-live="polite" aria-atomic="true">
        {anyError && (
          <p class="bc-note">
            Still showing {plural(shown.hosts, 'host', 'hosts')} in {plural(shown.vlans, 'VLAN', 'VLANs')} at {rate(good.rate, 'request', 'requests')} per second, the
            last valid values.
          </p>
        )}
        {counting && (
          <p class="bc-note">
            {unavailable
              ? `The simulator could not be loaded (are you offline?): still showing ${plural(shown.hosts, 'host', 'hosts')} in ${plural(shown.vlans, 'VLAN', 'VLANs')}.`
              : `Counting ${plural(good.hosts, 'host', 'hosts')} in ${plural(good.vlans, 'VLAN', 'VLANs')} on the simulator…`}
          </p>
        )}
        <p>
          {shown.vlans === 1 ? 'One ARP request' : `In ${even ? 'each' : 'the largest'} VLAN (${plural(biggest.hosts, 'host', 'hosts')}), one ARP request`} puts{' '}
          <strong>{plural(biggest.frames, 'frame', 'frames')}</strong> on the cables (1 from the sender, {plural(biggest.frames - 1, 'copy', 'copies')} from the switch)
          and reaches <strong>{plural(biggest.hostsReached, 'host', 'hosts')}</strong>
          {shown.vlans > 1 ? `; ${plural(outside, 'host', 'hosts')} in other VLANs received it` : ''}.
        </p>
        <p>
          At {rate(good.rate, 'request', 'requests')} per host per second, every host{shown.vlans > 1 && !even ? ' in it' : ''} has to read{' '}
          <strong>{rate(perHostPerSecond, 'broadcast', 'broadcasts')} per second</strong>, almost all of them for someone else, and the cables carry{' '}
          <strong>{rate(framesPerSecond, 'broadcast frame', 'broadcast frames')} per second</strong> in all.
        </p>
      </div>
      {/* The first values' run, counted on the server, for the browser to hydrate from (data, never run). */}
      <script type="application/json" id={startId} dangerouslySetInnerHTML={{ __html: start.text }} />
    </section>
  );
}
