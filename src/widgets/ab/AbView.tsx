// A/B mode: the player's experiment (A) and a second design (B) run the same traffic under one
// transport, side by side (stacked in a narrow player), with what differs highlighted and said in
// one sentence. Loaded with import() the first time the reader presses "Compare A/B" (after the
// core, which lays out and runs B): a page carries none of it until then.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Layout } from '../../render/layout';
import type { Scenario, TrafficAction } from '../../sim/scenario/format';
import type { Controls } from '../Controls';
import type { ArpRowView, createPlayerModel, MacRowView, PlayerModel, TableView } from '../player-model';
import type { keyPlace, playerKeyAction } from '../player-keys';
import type { SendPacketForm } from '../SendPacketForm';
import type { Fit, Topology } from '../Topology';
import { arpRowKey, macRowKey, receptionsByAction, type RunDiff, type Side } from './ab-diff';
import { createAbModel, type AbModel } from './ab-model';

/**
 * What A/B mode borrows from the player, handed over rather than imported: a module both the
 * page's player chunk and this lazily loaded one imported would be split out of the page's chunk
 * into one of its own, which made every chapter page's JavaScript 1.5 KB heavier.
 */
export interface AbKit {
  Topology: typeof Topology;
  Controls: typeof Controls;
  SendPacketForm: typeof SendPacketForm;
  createPlayerModel: typeof createPlayerModel;
  playerKeyAction: typeof playerKeyAction;
  keyPlace: typeof keyPlace;
  /** A scenario's two drawings (wide, and a phone's), laid out by the core. */
  draw: (scenario: Scenario) => { wide: Layout; narrow: Layout };
}

/** A design B can be. */
export interface AbOption {
  label: string;
  scenario: Scenario;
}

export interface AbViewProps {
  idPrefix: string;
  kit: AbKit;
  /** Design A: the experiment the player runs. */
  a: Scenario;
  /** Its drawings, as the player has them. */
  layouts: { wide: Layout; narrow: Layout };
  /** The chapter's version of A (a choice of B when A is an edited version). */
  original: Scenario;
  /** The designs the chapter compares A with (ab-pairs.ts). */
  compare?: AbOption[] | undefined;
  /** A shared pair's B: the first choice. */
  shared?: Scenario | undefined;
  /** The dialog closed (its button, or Esc). */
  onClose: () => void;
}

const SIDES: Side[] = ['a', 'b'];
const LOG_EVENTS = 300;
const NO_SELECTION = () => {};

/** B as it runs: with A's traffic, so that only the design differs (the pairs are declared so; an edited A's traffic is carried over when B can run it). */
function withTrafficOf(a: Scenario, b: Scenario): Scenario {
  return JSON.stringify(a.traffic) === JSON.stringify(b.traffic) ? b : { ...b, traffic: a.traffic };
}

/** B's traffic is A's only if every device it names is one of B's: otherwise B keeps its own. */
function runnable(a: Scenario, b: Scenario): boolean {
  const ids = new Set(b.devices.map((d) => d.id));
  return a.traffic.every((t) => ids.has(t.from) && (!('to' in t) || typeof t.to !== 'string' || ids.has(t.to) || !a.devices.some((d) => d.id === t.to)));
}

export default function AbView({ idPrefix, kit, a, layouts, original, compare = [], shared, onClose }: AbViewProps) {
  const { Controls, SendPacketForm } = kit;
  // The designs B can be: a shared pair's B, the chapter's pairs, the chapter's version beside an edited one.
  const options = useMemo(
    () => [
      ...(shared ? [{ label: `the shared design B: ${shared.title}`, scenario: shared }] : []),
      ...compare,
      ...(a !== original ? [{ label: "the chapter's version", scenario: original }] : []),
    ],
    [a, original, compare, shared],
  );
  const [chosen, setChosen] = useState(0);
  const option = options[Math.min(chosen, options.length - 1)]!;
  // B with A's traffic when B can run it (an edited A's script may name what B lacks: B then keeps its own).
  const { b, model } = useMemo(() => {
    const mine = option.scenario;
    const theirs = runnable(a, mine) ? withTrafficOf(a, mine) : mine;
    try {
      return { b: theirs, model: createAbModel(a, theirs, { createModel: kit.createPlayerModel }) };
    } catch {
      return { b: mine, model: createAbModel(a, mine, { createModel: kit.createPlayerModel }) };
    }
  }, [a, option]);
  const sameTraffic = JSON.stringify(a.traffic) === JSON.stringify(b.traffic);
  const drawn = useMemo(() => ({ a: layouts, b: kit.draw(b) }), [layouts, b]);
  useEffect(() => () => model.dispose(), [model]);
  const [notice, setNotice] = useState('');
  const pickRef = useRef<HTMLSelectElement>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  // A/B mode is a modal dialog as wide as the window: two drawings side by side need more than a
  // chapter's column. Opening it takes focus to its first control, the choice of B; Esc closes it.
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal?.();
    pickRef.current?.focus({ preventScroll: true });
    const closed = () => onClose();
    dialog.addEventListener('close', closed);
    return () => {
      dialog.removeEventListener('close', closed);
      if (dialog.open) dialog.close();
    };
  }, []);

  model.version.value;
  const diff = model.diff.value;
  const moment = model.moment.value;
  const horizon = model.horizon.value;
  const pick = `${idPrefix}-abpick`;
  const scrub = `${idPrefix}-abscrub`;

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.defaultPrevented) return;
    const action = kit.playerKeyAction(event, kit.keyPlace(event.target instanceof Element ? event.target : null));
    if (!action) return;
    // The player's own keys stay off while A/B mode has the transport.
    event.preventDefault();
    if (action === 'step') model.stepForward();
    else if (action === 'back') model.stepBack();
    else model.togglePlay();
  };

  const senders = model.models.a.senders.filter((s) => b.devices.some((d) => d.id === s.id));
  const targets = model.models.a.targets.filter((t) => b.devices.some((d) => d.id === t.id));
  const send = (action: TrafficAction) => model.send(action);

  const copyLink = async () => {
    try {
      const share = await import('../../editor/restore');
      const fragment = share.shareFragment(a.id, await share.encodePair(a, b));
      history.replaceState(null, '', location.pathname + location.search + fragment);
      const url = location.href;
      await navigator.clipboard?.writeText(url).catch(() => {});
      setNotice('The link to this comparison is in the address bar (and copied, if the browser allowed it).');
    } catch {
      setNotice('The link could not be made (are you offline?). Try again.');
    }
  };
  const exportPair = async () => {
    try {
      const transfer = await import('../../editor/restore');
      const blob = new Blob([transfer.exportPairText(a, b)], { type: 'application/json' });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = transfer.pairFileName(a.id, b.id);
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
      setNotice(`Exported ${link.download}: both designs in one file (format vnet-live/ab-pair@1).`);
    } catch {
      setNotice('The file could not be made (are you offline?). Try again.');
    }
  };

  return (
    <dialog ref={dialogRef} class="vp-ab" aria-labelledby={`${idPrefix}-abtitle`} onKeyDown={onKeyDown}>
      <div class="vp-ab-head">
        <p class="vp-ab-heading" id={`${idPrefix}-abtitle`}>
          A/B: {a.title}
        </p>
        <button type="button" class="vp-btn vp-btn--small" onClick={() => dialogRef.current?.close()}>
          Close A/B
        </button>
      </div>
      <div class="vp-ab-bar">
        <span class="vp-ab-pick">
          <label for={pick}>Compare with (B)</label>
          <select id={pick} ref={pickRef} value={String(chosen)} onChange={(e) => setChosen(Number((e.currentTarget as HTMLSelectElement).value))}>
            {options.map((o, i) => (
              <option key={i} value={String(i)}>
                {o.label}
              </option>
            ))}
          </select>
        </span>
        <button type="button" class="vp-btn vp-btn--small" onClick={() => void copyLink()}>
          Link to this comparison
        </button>
        <button type="button" class="vp-btn vp-btn--small" onClick={() => void exportPair()}>
          Export pair (JSON)
        </button>
      </div>
      <p class="vp-ab-note" role="status">
        {notice || (sameTraffic ? 'Both designs run the same traffic, one step of virtual time at a time.' : `B cannot run A's traffic (it names devices B lacks): B runs its own script.`)}
      </p>

      <Controls
        idPrefix={`${idPrefix}-ab`}
        hydrated={true}
        step={moment}
        time={model.time.value}
        next={model.canStep.value ? { time: 0, text: 'both designs, to the next moment either has something due.' } : null}
        halted={null}
        canStep={model.canStep.value}
        canStepBack={model.canStepBack.value}
        playing={model.playing.value}
        speed={model.speed.value}
        onStep={model.stepForward}
        onStepBack={model.stepBack}
        onTogglePlay={model.togglePlay}
        onReset={model.reset}
        onSpeed={model.setSpeed}
      />
      <p class="vp-ab-scrub">
        <label for={scrub}>Timeline</label>
        <input
          id={scrub}
          type="range"
          min={0}
          max={horizon}
          step={1}
          value={moment}
          disabled={horizon === 0}
          aria-valuetext={`Moment ${moment} of ${horizon}, t = ${model.time.value} ms`}
          onInput={(event) => model.goTo(Number((event.currentTarget as HTMLInputElement).value))}
        />
        <output for={scrub}>
          {moment} / {horizon}
        </output>
      </p>
      <SendPacketForm key={b.id} idPrefix={`${idPrefix}-ab`} hydrated={true} enabled={!model.models.a.halted.value && !model.models.b.halted.value} senders={senders} targets={targets} initial={model.models.a.sendDefault} pendingScript={0} scriptLeftOut={false} onSend={send} />

      <p class="vp-ab-summary" aria-live="polite">
        <strong>Difference: </strong>
        {model.summary.value}
      </p>

      <div class="vp-ab-sides">
        {SIDES.map((side) => (
          <AbSideView key={side} side={side} Topology={kit.Topology} idPrefix={idPrefix} ab={model} model={model.models[side]} title={side === 'a' ? a.title : `${b.title}`} drawn={drawn[side]} diff={diff} />
        ))}
      </div>
    </dialog>
  );
}

interface AbSideProps {
  side: Side;
  Topology: AbKit['Topology'];
  idPrefix: string;
  ab: AbModel;
  model: PlayerModel;
  title: string;
  drawn: { wide: Layout; narrow: Layout };
  diff: RunDiff;
}

function AbSideView({ side, Topology, idPrefix, ab, model, title, drawn, diff }: AbSideProps) {
  const [fit, setFit] = useState<Fit>(null);
  const tag = side.toUpperCase();
  const other = side === 'a' ? 'B' : 'A';
  const titleId = `${idPrefix}-ab-${side}`;
  const version = model.version.value;
  const sim = model.sim;
  // Receivers of each action so far, and which of them the other design's run lacks.
  const onlyHere = new Set(diff.receivers.filter((r) => r.in === side).map((r) => `${r.actionId}|${r.device}`));
  const byAction = useMemo(() => receptionsByAction(sim.trace), [sim, version]);
  const actions = Object.values(sim.state.actions).filter((r) => byAction.has(r.id));
  const previous = ab.previous.value[side];
  const log = model.log.value;
  const events = log.flatMap((g) => g.events.map((e) => ({ ...e, step: g.step, time: g.time })));
  const shown = events.slice(-LOG_EVENTS);
  const logRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const box = logRef.current;
    if (box) box.scrollTop = box.scrollHeight;
  }, [events.length]);
  const wire = diff.wire[side];
  const otherWire = diff.wire[side === 'a' ? 'b' : 'a'];
  const only = { mac: ab.onlyMac.value[side], arp: ab.onlyArp.value[side] };
  return (
    <section class={`vp-ab-side vp-ab-side--${side}`} aria-labelledby={titleId} data-side={side}>
      <p class="vp-ab-side-title" id={titleId}>
        <span class="vp-ab-tag">{tag}</span> {title}
      </p>
      <div class="vp-drawing">
        <Topology
          layout={drawn.wide}
          narrow={drawn.narrow}
          fit={fit}
          onFit={setFit}
          title={`${tag}: ${title}`}
          flights={model.inFlight.value}
          marks={model.marks.value}
          version={version}
          lastMove={model.lastMove.value}
          duration={300}
          selected={null}
          onSelect={NO_SELECTION}
          name={model.name}
        />
      </div>

      <div class="vp-ab-recv">
        <p class="vp-ab-h">Who received each action's frames</p>
        {actions.length === 0 ? (
          <p class="vp-muted">Nothing yet.</p>
        ) : (
          <ul>
            {actions.map((record) => {
              const devices = [...byAction.get(record.id)!.keys()];
              return (
                <li key={record.id} data-action={record.label} data-receivers={devices.join(' ')}>
                  <span class="vp-ab-action">{record.label}:</span>{' '}
                  {devices.map((d, i) => {
                    const marked = onlyHere.has(`${record.id}|${d}`);
                    return (
                      <span key={d}>
                        {i > 0 && ', '}
                        {marked ? (
                          <mark class="vp-ab-only">
                            {model.name(d)} <span class="vp-ab-only-tag">(only in {tag})</span>
                          </mark>
                        ) : (
                          model.name(d)
                        )}
                      </span>
                    );
                  })}
                </li>
              );
            })}
          </ul>
        )}
        <p class={`vp-ab-wire${wire.frames !== otherWire.frames || wire.bytes !== otherWire.bytes ? ' vp-ab-wire--differs' : ''}`}>
          On the wire so far: {wire.frames} {wire.frames === 1 ? 'frame' : 'frames'}, {wire.bytes} bytes
          {(wire.frames !== otherWire.frames || wire.bytes !== otherWire.bytes) && <span class="vp-ab-only-tag"> ({other}: {otherWire.frames}, {otherWire.bytes} bytes)</span>}
        </p>
        {side === 'b' && diff.bytes.length > 0 && (
          <ul class="vp-ab-bytes" aria-label="Bytes that differ">
            {diff.bytes.slice(-4).map((d) => (
              <li key={`${d.actionId}|${d.device}`}>
                {d.label}: {model.name(d.device)} received {d.bytes.a} bytes in A, {d.bytes.b} in B{d.firstDifference >= 0 ? `; first frames differ from byte ${d.firstDifference}` : ''}.
              </li>
            ))}
          </ul>
        )}
      </div>

      <div ref={logRef} class="vp-ab-log" role="log" aria-label={`Log of ${tag}`} tabIndex={0}>
        <ol>
        {shown.map((e) => {
          const actionId = sim.eventAt(e.index)?.actionId;
          const differs = e.kind === 'receive' && actionId !== undefined && onlyHere.has(`${actionId}|${e.device}`);
          return (
            <li key={e.index} class={`vp-ev vp-ev--${e.kind}${e.step > previous ? ' vp-ab-ev--now' : ''}`}>
              <span class="vp-ab-ev-at">t={e.time}</span> {differs ? <mark class="vp-ab-only">{e.text} <span class="vp-ab-only-tag">(only in {tag})</span></mark> : e.text}
            </li>
          );
        })}
        </ol>
      </div>

      <AbTables kind="MAC table" tables={model.macTables.value} only={only.mac} rowKey={macRowKey} tag={tag} columns={['MAC', 'Port']} cells={(r: MacRowView) => [r.mac, r.port]} />
      <AbTables kind="ARP cache" tables={model.arpCaches.value} only={only.arp} rowKey={arpRowKey} tag={tag} columns={['IP', 'MAC']} cells={(r: ArpRowView) => [r.ip, r.mac]} />
    </section>
  );
}

interface AbTablesProps<Row> {
  kind: string;
  tables: TableView<Row>[];
  only: Set<string>;
  rowKey: (table: TableView<Row>, row: Row) => string;
  tag: string;
  columns: [string, string];
  cells: (row: Row) => [string, string];
}

function AbTables<Row>({ kind, tables, only, rowKey, tag, columns, cells }: AbTablesProps<Row>) {
  if (tables.length === 0) return <p class="vp-muted vp-ab-none">No {kind} in this design.</p>;
  // Empty tables in one line: four empty ARP caches would push the rest out of view.
  const empty = tables.filter((t) => t.rows.length === 0);
  return (
    <div class="vp-ab-tables">
      {empty.length > 0 && (
        <p class="vp-muted vp-ab-none">
          Empty: {kind} of {empty.map((t) => t.name).join(', ')}.
        </p>
      )}
      {tables.filter((t) => t.rows.length > 0).map((t) => (
        <table key={t.device} class="vp-table vp-ab-table">
          <caption>
            {kind} of {t.name}
          </caption>
          <thead>
            <tr>
              <th scope="col">{columns[0]}</th>
              <th scope="col">{columns[1]}</th>
              <th scope="col">
                <span class="visually-hidden">Difference</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {t.rows.map((r) => {
              const key = rowKey(t, r);
              const [x, y] = cells(r);
              const differs = only.has(key);
              return (
                <tr key={key} class={differs ? 'vp-ab-row--only' : undefined}>
                  <td class="vp-mono">{x}</td>
                  <td class="vp-mono">{y}</td>
                  <td>{differs ? `only in ${tag}` : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ))}
    </div>
  );
}
