// "What the top-of-rack switch must learn": the reader sets racks, VMs per rack and the ToR's MAC
// table limit, and reads what rack 1's ToR learned, refused and flooded under a VLAN stretched over
// every rack and under VXLAN. Every number comes from running both designs through the core
// (src/scenarios/tor.ts); this island only lays them out.
//
//   import TorTable from '../../src/widgets/TorTable.tsx';
//   <TorTable client:visible />
//
// The core is not part of the page: the server runs the first values and writes the result beside
// the control (JSON), and the core (with tor.ts) loads when the reader first changes a value; the
// last numbers stay meanwhile.

import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { TorDesign, TorRun } from '../scenarios/tor';
import { TOR_MAX_LIMIT, TOR_MAX_RACKS, TOR_MAX_VMS, TOR_MIN_LIMIT, TOR_MIN_RACKS, TOR_MIN_VMS, TOR_SERVERS_PER_RACK, TOR_START } from '../scenarios/tor-limits';
import { readServedJson, scriptJson } from './served-json';
import { typedBeforeHydration } from './typed-before-hydration';
import './broadcast-cost.css';

type TorModule = typeof import('../scenarios/tor');

/** On the server (and in unit tests) the experiment runs here, for the first values' table. */
const tor: TorModule | null = import.meta.env.SSR ? await import('../scenarios/tor') : null;

/**
 * In the browser each recompute runs in two module workers (scenarios/tor-worker.ts), one per
 * design, side by side: at 100 racks × 100 VMs each takes 1.0 to 1.2 s alone (npm run bench:tor), the page
 * must stay responsive, and where the cores are free for both (a worker keeps more than one busy:
 * V8's collector and compiler threads) the reader waits for the slower design only. The workers
 * stay for the page's life: newer values replace older ones still running (the worker drops them
 * unanswered), and a worker that has run the experiment before runs it about twice as fast as a new
 * one. Without module workers (old browsers) the control says the simulator could not be loaded
 * and keeps its numbers: run on the main thread instead, as it once was, 100 × 100 froze the page
 * for seconds.
 */
const workers: Record<TorDesign, Worker | null> = { vlan: null, vxlan: null };

/**
 * How often the caption's "steps so far" changes while the workers count. Each change is a render,
 * a layout and a paint of the page: shown for every slice, at 100 racks × 100 VMs that took
 * 0.75-0.87 s of the main thread's time against 0.56-0.61 s at this pace, time the workers wanted
 * on a machine with two cores; four times a second is still a count that moves.
 */
const STEPS_SHOWN_EVERY_MS = 250;
let seq = 0;

function runInWorker(design: TorDesign, values: TorValues, mine: number, onSteps: (design: TorDesign, steps: number) => void): Promise<TorRun> {
  return new Promise((resolve, reject) => {
    // Inside the promise: a browser that cannot start a module worker throws here, and the count fails, said so.
    const running = (workers[design] ??= new Worker(new URL('../scenarios/tor-worker.ts', import.meta.url), { type: 'module', name: `vnet-live ToR experiment (${design})` }));
    // The latest request's handlers replace the older one's, whose answer will never come (the
    // worker drops it) and whose promise nothing waits for any more (the effect moved on).
    running.onmessage = ({ data }: MessageEvent<import('../scenarios/tor-worker').TorResponse>) => {
      if (data.seq !== mine) return;
      if (data.ok === false) reject(new Error(data.error));
      else {
        onSteps(design, data.ok ? data.result.steps : data.steps);
        if (data.ok) resolve(data.result);
      }
    };
    running.onerror = (event) => {
      if (workers[design] === running) workers[design] = null;
      running.terminate();
      reject(new Error(event.message || 'the worker could not start'));
    };
    running.postMessage({ seq: mine, design, ...values });
  });
}

/** Both designs counted for `values`; `onSteps` hears each design's steps so far while it runs in its worker. */
function countInBrowser(values: TorValues, onSteps: (design: TorDesign, steps: number) => void): Promise<Counted> {
  const mine = ++seq;
  return Promise.all([runInWorker('vlan', values, mine, onSteps), runInWorker('vxlan', values, mine, onSteps)]).then(([vlan, vxlan]) => ({ ...values, vlan, vxlan }));
}

export interface TorValues {
  racks: number;
  vms: number;
  limit: number;
}

interface Counted extends TorValues {
  vlan: TorRun;
  vxlan: TorRun;
}

type Parsed = { ok: true; value: number } | { ok: false; error: string };

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function parseTorField(text: string, what: string, min: number, max: number): Parsed {
  const trimmed = text.trim();
  const range = `nter ${what} from ${whole.format(min)} to ${whole.format(max)}.`;
  if (trimmed === '') return { ok: false, error: `E${range}` };
  if (!/^\d+$/.test(trimmed.replace(/,/g, ''))) return { ok: false, error: `"${trimmed}" is not a whole number: e${range}` };
  const value = Number(trimmed.replace(/,/g, ''));
  if (value < min || value > max) return { ok: false, error: `${whole.format(value)} is out of range: e${range}` };
  return { ok: true, value };
}

const FIELDS = [
  { key: 'racks', label: 'Racks', what: 'a number of racks', min: TOR_MIN_RACKS, max: TOR_MAX_RACKS },
  { key: 'vms', label: 'VMs per rack', what: 'a number of VMs', min: TOR_MIN_VMS, max: TOR_MAX_VMS },
  { key: 'limit', label: 'ToR MAC table limit', what: 'a table size', min: TOR_MIN_LIMIT, max: TOR_MAX_LIMIT },
] as const;

function count(values: TorValues): Counted {
  const both = tor!.measureTorBoth(values.racks, values.vms, values.limit);
  return { ...values, ...both };
}

function Row({ label, vlan, vxlan, strong }: { label: string; vlan: number; vxlan: number; strong?: boolean }) {
  const cell = (n: number) => (strong ? <strong>{whole.format(n)}</strong> : whole.format(n));
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{cell(vlan)}</td>
      <td>{cell(vxlan)}</td>
    </tr>
  );
}

export default function TorTable({ racks = TOR_START.racks, vms = TOR_START.vms, limit = TOR_START.limit }: Partial<TorValues>) {
  const prefix = `tor${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const [texts, setTexts] = useState({ racks: String(racks), vms: String(vms), limit: String(limit) });
  const parse = (f: (typeof FIELDS)[number], text: string) => parseTorField(text, f.what, f.min, f.max);
  const parsed = Object.fromEntries(FIELDS.map((f) => [f.key, parse(f, texts[f.key])])) as Record<keyof TorValues, Parsed>;
  const [good, setGood] = useState<TorValues>({ racks, vms, limit });
  /** The fields' texts as typed, the values among them that parse taking the place of the last good ones. */
  const adopt = (typed: Record<keyof TorValues, string>) => {
    setTexts(typed);
    const next = { ...good };
    for (const f of FIELDS) {
      const p = parse(f, typed[f.key]);
      if (p.ok) next[f.key] = p.value;
    }
    if (!same(next)) setGood(next);
  };
  const update = (f: (typeof FIELDS)[number], text: string) => adopt({ ...texts, [f.key]: text });
  // What a reader typed into the server's fields before this island hydrated (typed-before-hydration.ts),
  // taken as typed now: the next render put the start value back ("100" typed at once as the control
  // scrolled into view ended as "10").
  const inputs = useRef<Record<keyof TorValues, HTMLInputElement | null>>({ racks: null, vms: null, limit: null });
  useLayoutEffect(() => {
    const typed = typedBeforeHydration(texts, inputs.current);
    if (FIELDS.some((f) => typed[f.key] !== texts[f.key])) adopt(typed);
  }, []);

  const startId = `${prefix}-start`;
  const [start] = useState(() => {
    const read = readServedJson<Counted>(startId);
    if (read) return { text: read.text, counted: read.value };
    const counted = count(good);
    return { text: scriptJson(counted), counted };
  });
  const [unavailable, setUnavailable] = useState(false);
  /** While the workers count new values: the steps each design has run so far (they say so between slices). */
  const [stepsSoFar, setStepsSoFar] = useState<Record<TorDesign, number>>({ vlan: 0, vxlan: 0 });
  const same = (c: TorValues) => c.racks === good.racks && c.vms === good.vms && c.limit === good.limit;
  const last = useRef<Counted>(start.counted);
  const [counted, setCounted] = useState<Counted | null>(start.counted);
  const needsCount = !same(last.current);
  useEffect(() => {
    if (!needsCount) return;
    setUnavailable(false);
    setStepsSoFar({ vlan: 0, vxlan: 0 });
    let current = true;
    // The steps so far, shown at most every STEPS_SHOWN_EVERY_MS: the workers say them after every
    // slice, about 50 times a second between the two of them.
    const soFar: Record<TorDesign, number> = { vlan: 0, vxlan: 0 };
    let shownAt = -Infinity;
    const onSteps = (design: TorDesign, steps: number) => {
      soFar[design] = steps;
      const now = performance.now();
      if (!current || now - shownAt < STEPS_SHOWN_EVERY_MS) return;
      shownAt = now;
      setStepsSoFar({ ...soFar });
    };
    countInBrowser(good, onSteps).then(
      (result) => {
        if (!current) return;
        last.current = result;
        setCounted(result);
      },
      () => {
        if (!current) return;
        setUnavailable(true);
      },
    );
    return () => {
      current = false;
    };
  }, [good.racks, good.vms, good.limit]);
  void counted;
  const shown = last.current;
  const { vlan, vxlan } = shown;
  const anyError = FIELDS.some((f) => !parsed[f.key].ok);
  const titleId = `${prefix}-title`;
  const servers = Math.min(TOR_SERVERS_PER_RACK, shown.vms);
  const vmCount = shown.racks * shown.vms;
  const running = needsCount && !unavailable;
  // The values being counted and those the table shows meanwhile; between counts the note is hidden
  // and holds the widest values, so that it is never shorter than the note shown when a count starts.
  const widest = { racks: TOR_MAX_RACKS, vms: TOR_MAX_VMS };
  const counting = needsCount ? good : widest;
  const showing = needsCount ? shown : widest;

  return (
    <section class="bc tor" aria-labelledby={titleId}>
      <p class="bc-title" id={titleId}>
        What the top-of-rack switch must learn
      </p>
      <p class="bc-caption">
        Racks of {TOR_SERVERS_PER_RACK} servers (fewer with fewer VMs) under one ToR switch each, joined through a spine: by VLAN trunks in the stretched
        design, by one router per rack in the VXLAN design. VM T in rack 1 hears from every other VM and answers each one. The table below counts rack 1's
        ToR, running both designs on the simulator.
      </p>
      <div class="bc-fields">
        {FIELDS.map((f) => {
          const p = parsed[f.key];
          const id = `${prefix}-${f.key}`;
          return (
            <div class="bc-field" key={f.key}>
              <label for={id}>{f.label}</label>
              <input
                id={id}
                type="text"
                inputMode="numeric"
                autoComplete="off"
                spellcheck={false}
                value={texts[f.key]}
                ref={(input) => void (inputs.current[f.key] = input)}
                aria-invalid={p.ok ? 'false' : 'true'}
                aria-describedby={`${id}-hint${p.ok ? '' : ` ${id}-error`}`}
                onInput={(e) => update(f, (e.currentTarget as HTMLInputElement).value)}
              />
              <p class="bc-hint" id={`${id}-hint`}>
                {whole.format(f.min)} to {whole.format(f.max)}
              </p>
              {!p.ok && (
                <p class="bc-error" id={`${id}-error`}>
                  {p.error}
                </p>
              )}
            </div>
          );
        })}
      </div>
      <div class="bc-result" role="status" aria-live="polite" aria-atomic="true">
        {anyError && <p class="bc-note">Still showing the last valid values.</p>}
        {needsCount && unavailable && <p class="bc-note">The simulator could not be loaded (are you offline?): still showing the last numbers.</p>}
        {/* While the workers count, the note takes the summary's place, in one grid cell as tall as the
            taller of the two, so that the table below does not move when a count starts or ends. The
            hidden one (visibility: hidden) is not read out, nor indexed for search. */}
        <div class="tor-stack">
          <p class="bc-note" data-shown={String(running)} data-pagefind-ignore="all">
            Running {whole.format(counting.racks * counting.vms)} VMs in {whole.format(counting.racks)} racks on the simulator, twice (large fabrics take seconds);
            the table shows {whole.format(showing.racks)} racks × {whole.format(showing.vms)} VMs until then…
          </p>
          <p data-shown={String(!running)}>
            {whole.format(shown.racks)} racks × {whole.format(shown.vms)} VMs = <strong>{whole.format(vmCount)} VMs</strong> on {whole.format(shown.racks * servers)}{' '}
            servers; rack 1's ToR takes at most <strong>{whole.format(shown.limit)}</strong> {shown.limit === 1 ? 'MAC address' : 'MAC addresses'}.
          </p>
        </div>
      </div>
      <table class="tor-table">
        {/* The steps run and the count under way share one line, as the note and summary above share
            their cell: a 7-digit count would otherwise wrap the caption at 360 px and move the table. */}
        <caption class="tor-caption">
          Rack 1's ToR after the run
          <span class="tor-stack">
            <span data-shown={String(!running)}>({whole.format(vlan.steps + vxlan.steps)} simulation steps)</span>
            <span data-shown={String(running)}>counting{stepsSoFar.vlan + stepsSoFar.vxlan > 0 ? `: ${whole.format(stepsSoFar.vlan + stepsSoFar.vxlan)} steps so far` : ''}…</span>
          </span>
        </caption>
        <thead>
          <tr>
            <th scope="col">Counted</th>
            <th scope="col">Stretched VLAN</th>
            <th scope="col">VXLAN</th>
          </tr>
        </thead>
        <tbody>
          <Row label="Source MACs it saw (what it must learn)" vlan={vlan.sourcesSeen} vxlan={vxlan.sourcesSeen} strong />
          <Row label="…of which VM MACs" vlan={vlan.vmMacsSeen} vxlan={vxlan.vmMacsSeen} />
          <Row label="Entries in its table" vlan={vlan.learned} vxlan={vxlan.learned} />
          <Row label="MACs not learned: table full" vlan={vlan.refused} vxlan={vxlan.refused} strong />
          <Row label="Frames it flooded as unknown unicast" vlan={vlan.unknownUnicastFloods} vxlan={vxlan.unknownUnicastFloods} strong />
          <Row label="Copies it sent for those floods" vlan={vlan.floodCopies} vxlan={vxlan.floodCopies} />
          <Row label="Frames VMs got that were for another VM" vlan={vlan.vmsBotheredFrames} vxlan={vxlan.vmsBotheredFrames} />
        </tbody>
      </table>
      {/* The first values' run, counted on the server, for the browser to hydrate from (data, never run). */}
      <script type="application/json" id={startId} dangerouslySetInnerHTML={{ __html: start.text }} />
    </section>
  );
}
