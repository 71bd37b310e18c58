// The scenario player: the island every chapter embeds.
//
//   import ScenarioPlayer from '../../src/widgets/ScenarioPlayer.tsx';
//   import { scenarios } from '../../src/scenarios/index.ts';
//   <ScenarioPlayer client:visible scenario={scenarios['hub-vs-bridge/bridge']} />
//
// One model per player (player-model.ts); the components below take plain props. The first
// render (on the server) already draws the topology and the empty tables.
//
// Editing: the player runs `running`, the chapter's scenario unless the reader has an edited
// version (saved in this browser, or opened from a share link). The editor (src/widgets/editor,
// src/editor) is loaded with import() only when the reader presses "Edit experiment", or when
// keys.ts finds an edited version to restore; it hands the player valid scenarios to run.
//
// The simulation core is not part of the page either (core-loader.ts): the server writes the
// player's first state into the page (a StartView, as JSON beside the player), the player hydrates
// from it, and the core loads on the reader's first Step, Play or Send, which waits for it.

import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import type { EditorStore } from '../editor/store';
import { clearableKeysFor, hasEditsFor, SHARE_PREFIX } from '../editor/keys';
import type { Origin } from '../editor/restore';
import { GROUP_FROM, NARROW_WIDTH } from '../render/geometry';
import type { Layout } from '../render/layout';
import { fromLayoutData, toLayoutData, type LayoutData } from '../render/layout-data';
import type { Scenario } from '../sim/scenario/format';
import { Controls } from './Controls';
import { EventLog, LOG_SHOWN } from './EventLog';
import type { LogFilter } from './log-filter';
import { InspectorSlot } from './InspectorSlot';
import type { TraceReader } from './device-layers';
import { keyPlace, playerKeyAction } from './player-keys';
import { loadCore, loadedCore, type PlayerCore } from './core-loader';
import { createPlayerModel, type PlayerModel, type StartView } from './player-model';
import { RunForRealSlot } from './RunForRealSlot';
import { readServedJson, scriptJson } from './served-json';
import { SendPacketForm } from './SendPacketForm';
import type { TryHost, TryRequest } from './try-it';
import { Outcomes, Tables } from './Tables';
import { failuresOf, Legend, StepNotes, Topology, vlanPalette, vlanStops, type Fit } from './Topology';
// Its stylesheet, player.css, is linked by the chapter's layout (ChapterLayout.astro), not inlined in the page's head.

export interface ScenarioPlayerProps {
  scenario: Scenario;
  /** Shown under the title; the scenario's description when absent. */
  caption?: string;
  /**
   * Other experiments this player shows on demand: a click on any element of the page with
   * `data-player="<name>"` and `data-experiment="<id>"` (a cell of a computed table) loads that
   * experiment from the JSON object at `url` (ids to scenarios, fetched on the first click, with
   * the core) into this player, and plays it. The element gets `aria-pressed="true"` while shown.
   */
  chooser?: { name: string; url: string };
  /**
   * Designs to compare this experiment with in A/B mode (src/scenarios/ab-pairs.ts:
   * `compare={comparisons('hub-vs-bridge/hub')}`): each B runs this experiment's traffic. A/B
   * mode's code (src/widgets/ab/) loads with import() when the reader first opens it.
   */
  compare?: { label: string; scenario: Scenario }[];
}

type EditorModule = typeof import('./editor/EditorPanel');
type AbModule = typeof import('./ab/AbView');

/** What A/B mode runs and draws with, from this chunk (AbView.tsx says why it is handed over). */
const abKit: import('./ab/AbView').AbKit = {
  Topology,
  Controls,
  SendPacketForm,
  createPlayerModel,
  playerKeyAction,
  keyPlace,
  draw: (scenario) => {
    const core = loadedCore();
    if (!core) throw new Error('A/B mode opens after the core has arrived');
    const wide = core.layoutScenario(scenario);
    return { wide, narrow: narrowLayout(core, scenario, wide) };
  },
};

const NO_FLIGHTS: PlayerModel['inFlight']['value'] = [];
const NO_MARKS: PlayerModel['marks']['value'] = [];

interface Running {
  scenario: Scenario;
  origin: Origin;
}

interface Notice {
  text: string;
  error: boolean;
}

function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

interface Built {
  scenario: Scenario;
  model: PlayerModel;
  /** The drawing for a wide player; and for a phone's, which a small topology has a layout of its own for (a big one shrinks to fit: the same object). */
  layout: Layout;
  narrow: Layout;
}

/** A phone's drawing of a scenario laid out as `wide`: its own layout for a small topology (`fixed`), else `wide` itself, which shrinks to fit. */
function narrowLayout(core: PlayerCore, scenario: Scenario, wide: Layout): Layout {
  return wide.fixed ? core.layoutScenario(scenario, undefined, { width: NARROW_WIDTH }) : wide;
}

/** The two drawings of a scenario: for a wide player, and for a phone's (the same object when the drawing shrinks to fit). */
interface Drawn {
  wide: Layout;
  narrow: Layout;
}

/**
 * A scenario's model and drawings: the drawings the server wrote beside the player (`drawn`), or
 * laid out by the layout code, which comes with the core (only a changed scenario needs it, and
 * the core is loaded first for one).
 */
const build = (scenario: Scenario, start?: StartView, drawn?: Drawn): Built => {
  let layout: Layout;
  let narrow: Layout;
  if (drawn) ({ wide: layout, narrow } = drawn);
  else {
    const core = loadedCore();
    if (!core) throw new Error('a player can draw a scenario the server did not lay out only once the core has arrived');
    layout = core.layoutScenario(scenario);
    narrow = narrowLayout(core, scenario, layout);
  }
  return { scenario, layout, narrow, model: createPlayerModel(scenario, { start }) };
};

/** The drawings the server wrote beside this player, as text (rendered back unchanged) and as layouts; none on the server. */
function readDrawn(id: string): { text: string; drawn: Drawn } | null {
  const read = readServedJson<{ wide: LayoutData; narrow: LayoutData | null }>(id);
  if (!read) return null;
  try {
    const wide = fromLayoutData(read.value.wide);
    return { text: read.text, drawn: { wide, narrow: read.value.narrow ? fromLayoutData(read.value.narrow) : wide } };
  } catch {
    return null;
  }
}

/**
 * The StartView the server wrote beside this player (`<script type="application/json">`), and its
 * text, which the player renders back unchanged; none on the server, which has the core.
 */
function readStart(id: string): { text: string; view: StartView } | null {
  const read = readServedJson<StartView>(id);
  return read && { text: read.text, view: read.value };
}

/**
 * The model and the drawing of the scenario to run. A small one is built at once, while rendering;
 * a big one (more than GROUP_FROM devices) in tasks of its own (the boxes, the drawing, the core),
 * while the player goes on showing the previous one (`preparing`), so that neither adds to the
 * task that changed the scenario (an import, an edit). So is one that needs the core before it has
 * arrived (an edited version has no StartView): the core is loaded first.
 */
function useBuilt(wanted: Scenario, start: StartView | undefined, drawn: Drawn | undefined): Built & { preparing: boolean; failed: boolean } {
  const usable = (start !== undefined && drawn !== undefined) || loadedCore() !== null;
  const small = wanted.devices.length <= GROUP_FROM && usable;
  const now = useMemo(() => (small ? build(wanted, start, drawn) : null), [wanted]);
  const [later, setLater] = useState<Built | null>(null);
  const [failed, setFailed] = useState(false);
  const last = useRef<Built | null>(null);
  let shown: Built;
  if (now) shown = now;
  else if (later?.scenario === wanted) shown = later;
  // Nothing to show meanwhile (a big version restored as the page opens): build it now.
  else shown = last.current ?? build(wanted, start, drawn);
  last.current = shown;
  useEffect(() => {
    if (small || last.current?.scenario === wanted) return;
    let cancelled = false;
    const next = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
    void (async () => {
      if (!loadedCore()) {
        try {
          await loadCore();
        } catch {
          if (!cancelled) setFailed(true);
          return;
        }
      }
      setFailed(false);
      await next();
      if (cancelled) return;
      const core = loadedCore()!;
      const boxes = core.layoutBoxes(wanted);
      await next();
      if (cancelled) return;
      const layout = core.layoutScenario(wanted, boxes);
      await next();
      if (cancelled) return;
      const model = createPlayerModel(wanted);
      // Drawn in a task of its own: building the core and drawing the player each take a while.
      await next();
      if (cancelled) {
        model.dispose();
        return;
      }
      // A small topology that waited only for the core (a chooser's experiment fetched before the
      // core arrived) has a phone's layout of its own, as build() gives it.
      setLater({ scenario: wanted, layout, narrow: narrowLayout(core, wanted, layout), model });
    })();
    return () => {
      cancelled = true;
    };
  }, [wanted]);
  return { ...shown, preparing: shown.scenario !== wanted && !failed, failed };
}

export default function ScenarioPlayer({ scenario: chapterScenario, caption, chooser, compare }: ScenarioPlayerProps) {
  // useId is unique per island and stable between the server render and hydration.
  const prefix = `vp${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const startId = `${prefix}-start`;
  const [start] = useState(() => readStart(startId));
  const drawnId = `${prefix}-drawn`;
  const [served] = useState(() => readDrawn(drawnId));
  // The experiment this player stands for: the chapter's, or the one a chooser's cell loaded.
  const [original, setOriginal] = useState(chapterScenario);
  const [running, setRunning] = useState<Running>({ scenario: original, origin: 'chapter' });
  const { scenario, model, layout: wide, narrow, preparing, failed: coreFailed } = useBuilt(
    running.scenario,
    running.scenario === chapterScenario ? start?.view : undefined,
    running.scenario === chapterScenario ? served?.drawn : undefined,
  );
  // The first state, written once (on the server, by the core) and rendered back as it was read.
  const [startText] = useState(() => start?.text ?? scriptJson(model.startView()));
  // …and the two drawings of it, likewise (the page then needs no layout code until a scenario changes).
  const [drawnText] = useState(() => served?.text ?? scriptJson({ wide: toLayoutData(wide), narrow: narrow === wide ? null : toLayoutData(narrow) }));
  // Which of the two drawings fits the player: known once it has measured itself.
  const [fit, setFit] = useState<Fit>(null);
  const layout = fit === 'narrow' ? narrow : wide;
  const [hydrated, setHydrated] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [editing, setEditing] = useState(false);
  const [editor, setEditor] = useState<{ mod: EditorModule; store: EditorStore } | null>(null);
  const [loadingEditor, setLoadingEditor] = useState(false);
  const [logFilter, setLogFilter] = useState<LogFilter>({});
  // A/B mode (src/widgets/ab/), once open: its code, and a shared pair's B.
  const [ab, setAb] = useState<{ mod: AbModule; shared?: Scenario | undefined } | null>(null);
  const [loadingAb, setLoadingAb] = useState(false);
  useEffect(() => setHydrated(true), []);
  useEffect(() => () => model.dispose(), [model]);

  // An edited version to show instead of the chapter's: a share link for this experiment, or the
  // reader's saved edits. The code that reads them is only downloaded when there is one.
  useEffect(() => {
    const restore = () => {
      const storage = browserStorage();
      if (!hasEditsFor(original.id, location.hash, storage)) return;
      // The edited version runs at once: the core comes with the code that restores it.
      void loadCore().catch(() => {});
      import('../editor/restore')
        .then((m) => m.restoreEdits(original, location.hash, storage))
        .then((restored) => {
          setRunning({ scenario: restored.scenario, origin: restored.origin });
          setNotice(restored.notice ?? null);
          setEditor(null);
          setEditing(false);
          // A shared A/B pair opens in A/B mode with its B.
          setAb(null);
          if (restored.b) void openAb(restored.b);
        })
        .catch(() => setNotice({ text: "The edited version could not be loaded; this is the chapter's version.", error: true }));
    };
    restore();
    const onHash = () => {
      if (location.hash.startsWith(`${SHARE_PREFIX}${original.id}~`)) restore();
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [original]);

  // A chosen cell's experiment plays as soon as it is shown (built once the core has arrived).
  const playWhenShown = useRef<Scenario | null>(null);
  useEffect(() => {
    if (playWhenShown.current !== scenario || preparing) return;
    playWhenShown.current = null;
    if (model.canStep.peek() && !model.playing.peek()) model.togglePlay();
  }, [scenario, preparing, model]);

  // A chooser's cells load their experiment here: clicks are caught here, and scenario-chooser.ts
  // (which fetches the experiments) loads with the first choice.
  useEffect(() => {
    if (!chooser) return;
    const selector = `[data-player="${CSS.escape(chooser.name)}"][data-experiment]`;
    const failed = () => setNotice({ text: 'That experiment could not be loaded (are you offline?). Try again.', error: true });
    let loader: Promise<{ choose: (cell: HTMLElement) => void }> | null = null;
    const choose = (cell: HTMLElement) => {
      loader ??= import('./scenario-chooser').then((m) =>
        m.chooserLoader(selector, chooser.url, {
          // The core lays out and runs the chosen experiment: it loads meanwhile.
          started: () => void loadCore().catch(() => {}),
          show: (next) => {
            playWhenShown.current = next;
            setOriginal(next);
            setRunning({ scenario: next, origin: 'chapter' });
            setEditor(null);
            setEditing(false);
            setNotice({ text: `Showing: ${next.title}.`, error: false });
            sectionRef.current?.scrollIntoView({ block: 'nearest' });
          },
          failed,
        }),
      );
      loader.then((l) => l.choose(cell)).catch(() => {
        loader = null;
        failed();
      });
    };
    const onClick = (event: MouseEvent) => {
      const cell = event.target instanceof Element ? event.target.closest<HTMLElement>(selector) : null;
      if (!cell) return;
      event.preventDefault();
      choose(cell);
    };
    document.addEventListener('click', onClick);
    // A cell clicked before this player hydrated was kept by the shell's script (theme-script.mjs);
    // from now on the shell keeps none for this player (the islands of a page never unmount).
    const choices = (window as { vnetChoices?: { ready: Record<string, boolean>; waiting: Record<string, HTMLElement | undefined> } }).vnetChoices;
    if (choices) {
      choices.ready[chooser.name] = true;
      const early = choices.waiting[chooser.name];
      if (early) choose(early);
    }
    return () => document.removeEventListener('click', onClick);
  }, [chooser?.name, chooser?.url]);

  /** Opens the editor, loading it first if need be: its store, or null when it could not be loaded. */
  const openEditor = async (): Promise<EditorStore | null> => {
    if (editor) {
      setEditing(true);
      return editor.store;
    }
    setLoadingEditor(true);
    try {
      // Every edit runs at once: the core comes with the editor.
      const [mod] = await Promise.all([import('./editor/EditorPanel'), loadCore()]);
      const store = mod.createEditor({
        original,
        start: running.scenario,
        storage: browserStorage(),
        run: (next) => setRunning({ scenario: next, origin: next.devices.length === original.devices.length && JSON.stringify(next) === JSON.stringify(original) ? 'chapter' : 'stored' }),
      });
      setEditor({ mod, store });
      setEditing(true);
      setNotice(null);
      return store;
    } catch {
      setNotice({ text: 'The editor could not be loaded (are you offline?). Try again.', error: true });
      return null;
    } finally {
      setLoadingEditor(false);
    }
  };
  const toggleEditing = () => (editing ? setEditing(false) : openEditor());

  /** Opens A/B mode (B: one of `compare`, the chapter's version beside an edited one, or a shared pair's), loading its code and the core first. */
  const openAb = async (shared?: Scenario) => {
    setLoadingAb(true);
    try {
      const [mod] = await Promise.all([import('./ab/AbView'), loadCore()]);
      setEditing(false);
      model.pause();
      setAb({ mod, shared });
    } catch {
      setNotice({ text: 'A/B mode could not be loaded (are you offline?). Try again.', error: true });
    } finally {
      setLoadingAb(false);
    }
  };

  // A "Try it" challenge beside the player (TryIt.astro) asks it to make its change and run it:
  // try-it.ts, loaded then, does it through these.
  const tryHost = useRef<TryHost>(null!);
  tryHost.current = { openEditor, model };
  useEffect(() => {
    const section = sectionRef.current!;
    const onTry = (event: Event) => {
      // Taken: the page's script knows the player has hydrated and heard it.
      event.preventDefault();
      void import('./try-it').then((m) => m.tryIt((event as CustomEvent<TryRequest>).detail, tryHost));
    };
    section.addEventListener('vp-try', onTry);
    return () => section.removeEventListener('vp-try', onTry);
  }, []);

  /** Back to the chapter's version from reading mode (in edit mode the editor's own Reset records it for undo). */
  const resetToOriginal = () => {
    if (editor) {
      editor.store.reset();
    } else {
      const storage = browserStorage();
      if (storage) for (const key of clearableKeysFor(storage, original.id)) storage.removeItem(key);
      setRunning({ scenario: original, origin: 'chapter' });
    }
    if (location.hash.startsWith(`${SHARE_PREFIX}${original.id}~`)) history.replaceState(null, '', location.pathname + location.search);
    setNotice({ text: "Back to the chapter's version.", error: false });
  };

  // The same element while the editor stays open: Preact then skips the panel when the player
  // re-renders for a step (the panel follows the editor's own signals), which matters with
  // thousands of devices in its lists.
  const editorPanel = useMemo(() => (editing && editor ? <editor.mod.EditorPanel store={editor.store} idPrefix={prefix} /> : null), [editing, editor, prefix]);

  const version = model.version.value;
  // The reader acted before the core arrived: it is on its way, and what they did waits for it.
  const waiting = model.waiting.value;
  const failed = model.failed.value || coreFailed;
  // Where the latest step's floods stopped at a VLAN's edge, and what failed there, read from the
  // trace (none before the core arrives: the first state has taken no step).
  const ready = model.ready.value;
  const { stops, failures } = useMemo(() => {
    if (!layout.fixed || !ready) return { stops: [], failures: [] };
    const events = model.sim.eventsOfStep(model.sim.stepCount);
    return { stops: vlanStops(events, layout), failures: failuresOf(events) };
  }, [model, version, layout, ready]);
  const speed = model.speed.value;
  const halted = model.halted.value;
  const selected = model.selected.value;
  // While Run to the end races through thousands of steps a frame, frames in flight and what each
  // device just did are stale before they are drawn: the drawing rests (the step counter runs)
  // and shows them again where the run stops.
  const racing = model.fast.value;
  const flights = racing ? NO_FLIGHTS : model.inFlight.value;
  const marks = racing ? NO_MARKS : model.marks.value;
  const duration = Math.min(600, Math.round((1000 / speed) * 0.8));
  const description = caption ?? scenario.description;
  const titleId = `${prefix}-title`;
  const sectionRef = useRef<HTMLElement>(null);
  // The timeline's scrubber and filters come with the core (none on the server: it is drawn on hydration's terms).
  const core = hydrated && ready ? loadedCore() : null;
  const Timeline = core?.Timeline;
  const log = model.log.value;
  const ahead = model.ahead.value;
  const shownLog = useMemo(() => (core ? core.narrowLog(log, ahead, logFilter, LOG_SHOWN) : { groups: log, ahead, aheadHidden: 0, narrowed: false }), [core, log, ahead, logFilter]);

  // The inspector reads the run only once a line is chosen, by which time the core has arrived:
  // `model.sim` is read then, not at render (before the core arrives it has no run).
  const traceReader = useMemo<TraceReader>(
    () => ({
      eventAt: (index) => model.sim.eventAt(index),
      get traceLength() {
        return model.sim.traceLength;
      },
    }),
    [model],
  );
  // Closing the inspector (its button, or Esc) gives focus back to the log line it showed.
  const closeInspector = () => {
    const shown = model.selected.peek();
    model.select(null);
    const section = sectionRef.current;
    const line = section?.querySelector<HTMLElement>(`button[data-event="${shown}"]`) ?? section?.querySelector<HTMLElement>('[role="log"]');
    line?.focus();
  };

  // The player's keys (player-keys.ts): → steps, ← steps back, Space plays or pauses, wherever
  // focus is in the player except where the key has a meaning of its own. Each acts only when its
  // button could; a key that is the player's never scrolls the page.
  const onKeyDown = (event: KeyboardEvent) => {
    // Open, A/B mode has the transport (its dialog handles the keys).
    if (!hydrated || event.defaultPrevented || ab) return;
    const target = event.target instanceof Element ? event.target : null;
    const action = playerKeyAction(event, keyPlace(target));
    if (!action) return;
    event.preventDefault();
    if (action === 'step') {
      if (model.canStep.peek()) model.stepForward();
    } else if (action === 'back') {
      if (model.canStepBack.peek()) model.stepBack();
    } else if (model.playing.peek() || model.canStep.peek()) model.togglePlay();
    // A step can remove what had focus (a frame on the cables, a log line stepped back over):
    // focus then goes to the log rather than to the top of the page, so the next key still works.
    setTimeout(() => {
      const section = sectionRef.current;
      if (!section || !target || target.isConnected) return;
      if (document.activeElement && document.activeElement !== document.body) return;
      section.querySelector<HTMLElement>('[role="log"]')?.focus({ preventScroll: true });
    }, 0);
  };

  return (
    // tabIndex -1: not a Tab stop, but a click on the drawing or the text gives the player focus,
    // so that its keys work there too.
    <section ref={sectionRef} class={`vp${waiting ? ' vp--waiting' : ''}`} aria-labelledby={titleId} aria-busy={waiting ? 'true' : undefined} data-scenario={scenario.id} tabIndex={-1} onKeyDown={onKeyDown}>
      <header class="vp-head">
        <p class="vp-title" id={titleId}>
          {scenario.title}
        </p>
        {description && <p class="vp-caption">{description}</p>}
      </header>

      {/* Drawing, then controls, then the notes that grow and shrink with each step: the
          buttons never move under the reader's pointer or finger. */}
      <div class="vp-stage">
        <div class="vp-drawing">
          <Topology
            layout={wide}
            narrow={narrow}
            fit={fit}
            onFit={setFit}
            title={scenario.title}
            flights={flights}
            marks={marks}
            version={version}
            stops={racing ? undefined : stops}
            failures={racing ? undefined : failures}
            lastMove={model.lastMove.value}
            duration={duration}
            selected={selected}
            onSelect={model.select}
            name={model.name}
            edit={editing && editor ? editor.mod.topologyEdit(editor.store, layout) : undefined}
          />
          {/* A phone's one line of what the latest step decided (the log is a screen away there). */}
          <p class="vp-latest" aria-hidden="true">
            {model.latest.value}
          </p>
          <Legend palette={[...vlanPalette(layout).keys()]} vlans={layout.cables.some((c) => c.link >= 0 && (c.a.text !== c.a.port || c.b.text !== c.b.port))} namespaces={layout.nodes.length > 0 || layout.cables.some((c) => c.veth) || layout.devices.some((d) => d.lines)} />
        </div>
        <Controls
          idPrefix={prefix}
          hydrated={hydrated}
          step={model.step.value}
          time={model.time.value}
          next={model.next.value}
          halted={halted}
          canStep={model.canStep.value}
          canStepBack={model.canStepBack.value}
          playing={model.playing.value}
          fast={model.fast.value}
          speed={speed}
          onStep={model.stepForward}
          onStepBack={model.stepBack}
          onTogglePlay={model.togglePlay}
          onRunToEnd={model.runToEnd}
          onReset={model.reset}
          onSpeed={model.setSpeed}
        />
        <SendPacketForm key={model.senders.map((h) => h.id).join(' ')} idPrefix={prefix} hydrated={hydrated} enabled={!halted} senders={model.senders} targets={model.targets} initial={model.sendDefault} pendingScript={model.pendingScript.value} scriptLeftOut={model.scriptLeftOut.value} onSend={model.send} />
        <StepNotes flights={flights} marks={marks} selected={selected} hydrated={hydrated} onSelect={model.select} name={model.name} />
      </div>

      <p class="vp-edit-bar">
        <button
          type="button"
          class="vp-btn vp-btn--small"
          aria-pressed={editing ? 'true' : 'false'}
          aria-disabled={!hydrated || loadingEditor ? 'true' : undefined}
          onClick={() => {
            if (hydrated && !loadingEditor) void toggleEditing();
          }}
        >
          <span aria-hidden="true">✎ </span>Edit experiment
        </button>
        {(compare?.length || running.origin !== 'chapter') && (
          <button
            type="button"
            class="vp-btn vp-btn--small"
            aria-haspopup="dialog"
            aria-disabled={!hydrated || loadingAb ? 'true' : undefined}
            onClick={() => {
              if (hydrated && !loadingAb) void openAb();
            }}
          >
            <span aria-hidden="true">⇄ </span>Compare A/B
          </button>
        )}
        <span class={`vp-origin${notice?.error || (failed && !waiting) ? ' vp-origin--error' : ''}`} role="status">
          {waiting
            ? 'Loading the simulation…'
            : failed
              ? 'The simulation could not be loaded (are you offline?). Try again.'
              : loadingEditor
                ? 'Loading the editor…'
                : loadingAb
                  ? 'Loading A/B mode…'
                : preparing
                  ? 'Preparing the new topology…'
                  : editing
                    ? ''
                    : notice?.text ?? (running.origin === 'stored' ? 'You are viewing your edited version of this experiment, saved in this browser.' : '')}
        </span>
        {!editing && running.origin !== 'chapter' && (
          <button type="button" class="vp-btn vp-btn--small" onClick={resetToOriginal}>
            {running.origin === 'shared' ? 'Reset to the original' : "Reset to the chapter's version"}
          </button>
        )}
      </p>

      {ab && <ab.mod.default idPrefix={prefix} kit={abKit} a={running.scenario} layouts={{ wide, narrow }} original={original} compare={compare} shared={ab.shared} onClose={() => setAb(null)} />}

      {editorPanel}

      {halted && (
        <div class="vp-halt" role="alert">
          <span class="vp-halt-sym" aria-hidden="true">
            ⚠{' '}
          </span>
          <strong>The run stopped at t = {halted.time} ms.</strong> {halted.text}
        </div>
      )}

      {/* The inspector sits beside the log on a wide player (the tables then move under both), under it on a narrow one. */}
      <div class={`vp-panels${model.selectedFrame.value ? ' vp-panels--inspecting' : ''}`}>
        <EventLog
          idPrefix={prefix}
          groups={shownLog.groups}
          narrowed={shownLog.narrowed}
          undone={core && shownLog.ahead.length > 0 ? <core.StepsUndone groups={shownLog.ahead} hidden={shownLog.aheadHidden} now={model.step.value} onJump={model.goTo} onSelect={model.select} /> : null}
          timeline={
            Timeline ? (
              <Timeline idPrefix={prefix} step={model.step.value} horizon={model.horizon.value} devices={scenario.devices.map((d) => ({ id: d.id, name: model.name(d.id) }))} filter={logFilter} onFilter={setLogFilter} onGoTo={model.goTo} />
            ) : null
          }
          selected={selected}
          onSelect={model.select}
          onJump={model.goTo}
          onClose={closeInspector}
          quiet={model.playing.value}
        />
        <InspectorSlot idPrefix={prefix} detail={model.selectedFrame.value} trace={traceReader} devices={scenario.devices} version={version} hydrated={hydrated} name={model.name} onSelect={model.select} onClose={closeInspector} />
        <div class="vp-state">
          <Outcomes idPrefix={prefix} outcomes={model.outcomes.value} />
          <Tables macTables={model.macTables.value} arpCaches={model.arpCaches.value} routingTables={model.routingTables} conntrack={model.conntrack.value} version={version} />
        </div>
      </div>

      <RunForRealSlot
        scenario={scenario}
        chapter={running.origin === 'chapter' && scenario === original}
        idPrefix={prefix}
        run={() => (model.ready.peek() ? { step: model.sim.stepCount, events: () => model.sim.trace } : null)}
        name={model.name}
        version={version}
      />
      {/* A phone's compact run controls, stuck to the bottom of the screen while the player is on it
          (player.css; not shown on a wider screen). A convenience for the thumb, hidden from
          assistive technology and not a Tab stop: the run controls above are the same buttons. */}
      <div class="vp-dock" aria-hidden="true">
        <button type="button" class="vp-btn" tabIndex={-1} disabled={!hydrated || !model.canStepBack.value} onClick={model.stepBack}>
          ◀ Back
        </button>
        <button type="button" class="vp-btn vp-btn--primary" tabIndex={-1} disabled={!hydrated || !model.canStep.value} onClick={model.stepForward}>
          Step ▶
        </button>
        <button type="button" class="vp-btn" tabIndex={-1} disabled={!hydrated || !(model.playing.value || model.canStep.value)} onClick={model.togglePlay}>
          {model.playing.value ? '❚❚ Pause' : '▶▶ Play'}
        </button>
        <span class="vp-dock-step" data-step={model.step.value} />
      </div>

      {/* The first state, for the browser to hydrate from without the core (data, never run). */}
      <script type="application/json" id={startId} dangerouslySetInnerHTML={{ __html: startText }} />
      <script type="application/json" id={drawnId} dangerouslySetInnerHTML={{ __html: drawnText }} />
    </section>
  );
}
