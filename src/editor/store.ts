// The editor's state for one player: the history of drafts (undo/redo), the validator's verdict on
// the current one, and what the pointer is doing. Every edit is a pure operation (ops.ts) giving a
// new draft; validateScenario() judges it; only a valid draft is handed to the player to run (and
// saved), so an invalid one leaves the last valid topology running while the form shows why.

import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import type { Scenario } from '../sim/scenario/format';
import { validateScenario, type ValidationResult } from '../sim/scenario/validate';
import { fieldIssues, type FieldIssues } from './issues';
import { clearEdits, saveEdits, type StorageLike } from './storage';
import { payloadFor } from './share';

/** Oldest drafts are forgotten beyond this many. */
export const HISTORY_LIMIT = 200;

export interface Notice {
  text: string;
  error: boolean;
}

export interface EditorOptions {
  /** The chapter's version. */
  original: Scenario;
  /** What the player shows now (the chapter's, a saved or a shared version). */
  start: Scenario;
  /** Runs a valid scenario in the player. */
  run: (scenario: Scenario) => void;
  storage: StorageLike | null;
  /** The page's location and history, to drop a share link once the reader edits (tests pass fakes). */
  location?: { hash: string; pathname: string; search: string };
  history?: { replaceState(data: unknown, unused: string, url: string): void };
}

export interface EditorStore {
  readonly original: Scenario;
  readonly draft: ReadonlySignal<Scenario>;
  readonly result: ReadonlySignal<ValidationResult>;
  readonly issues: ReadonlySignal<FieldIssues>;
  /** The last valid scenario: what the player runs, saves, shares and exports. */
  readonly running: ReadonlySignal<Scenario>;
  readonly canUndo: ReadonlySignal<boolean>;
  readonly canRedo: ReadonlySignal<boolean>;
  readonly notice: ReadonlySignal<Notice | null>;
  /** The index of the device whose form is open (an index, so that two devices given the same name stay apart). */
  readonly selected: ReadonlySignal<number | null>;
  /** Pointer cable mode, and the device a cable is being drawn from. */
  readonly cableMode: ReadonlySignal<boolean>;
  readonly cableFrom: ReadonlySignal<string | null>;
  /** Applies an edit: a new draft, with a sentence saying what changed. */
  apply(next: Scenario, said?: string): void;
  undo(): void;
  redo(): void;
  reset(): void;
  select(index: number | null): void;
  setCableMode(on: boolean): void;
  setCableFrom(id: string | null): void;
  say(text: string, error?: boolean): void;
}

/** Each draft's JSON, written once: an edit compares the new draft with the old, the running and the chapter's version, and with thousands of devices each text takes a while. Drafts are never changed in place. */
const texts = new WeakMap<Scenario, string>();
const json = (s: Scenario) => {
  let text = texts.get(s);
  if (text === undefined) texts.set(s, (text = JSON.stringify(s)));
  return text;
};
const same = (a: Scenario, b: Scenario) => a === b || (a.devices.length === b.devices.length && a.links.length === b.links.length && json(a) === json(b));

export function createEditor(options: EditorOptions): EditorStore {
  const { original, storage } = options;
  const drafts = signal<Scenario[]>([options.start]);
  const at = signal(0);
  const running = signal(options.start);
  const notice = signal<Notice | null>(null);
  const selected = signal<number | null>(null);
  const cableMode = signal(false);
  const cableFrom = signal<string | null>(null);
  const draft = computed(() => drafts.value[at.value]!);
  const result = computed(() => validateScenario(draft.value));
  const issues = computed(() => fieldIssues(result.value));

  const say = (text: string, error = false) => {
    notice.value = { text, error };
  };

  /** After the draft changed: run and save it if it is valid, else say why the old one keeps running. */
  const settle = (said: string | undefined) => {
    const verdict = result.value;
    if (verdict.ok) {
      if (!same(verdict.scenario, running.peek())) {
        running.value = verdict.scenario;
        options.run(verdict.scenario);
      }
      let saveError: string | null = null;
      if (storage) {
        if (same(verdict.scenario, original)) clearEdits(storage, original.id);
        else saveError = saveEdits(storage, original.id, verdict.scenario);
      }
      // The reader now has their own version: a share link in the address bar would hide it on reload.
      const loc = options.location ?? (typeof location === 'undefined' ? undefined : location);
      const hist = options.history ?? (typeof history === 'undefined' ? undefined : history);
      if (loc && hist && payloadFor(loc.hash, original.id) !== null) hist.replaceState(null, '', loc.pathname + loc.search);
      if (saveError) say(saveError, true);
      else if (said) say(verdict.warnings.length ? `${said} Note: ${verdict.warnings.length === 1 ? 'one warning' : `${verdict.warnings.length} warnings`} below.` : said);
    } else {
      const n = verdict.errors.length;
      say(`${said ? `${said} ` : ''}${n === 1 ? 'One problem needs' : `${n} problems need`} fixing; until then the last valid version keeps running.`, true);
    }
  };

  const store: EditorStore = {
    original,
    draft,
    result,
    issues,
    running,
    canUndo: computed(() => at.value > 0),
    canRedo: computed(() => at.value < drafts.value.length - 1),
    notice,
    selected,
    cableMode,
    cableFrom,
    apply(next, said) {
      if (same(next, draft.peek())) {
        if (said) say(said);
        return;
      }
      batch(() => {
        const kept = drafts.peek().slice(0, at.peek() + 1);
        kept.push(next);
        const trimmed = kept.length > HISTORY_LIMIT ? kept.slice(kept.length - HISTORY_LIMIT) : kept;
        drafts.value = trimmed;
        at.value = trimmed.length - 1;
        if (selected.peek() !== null && selected.peek()! >= next.devices.length) selected.value = null;
      });
      settle(said);
    },
    undo() {
      if (at.peek() === 0) return;
      at.value--;
      settle('Undone.');
    },
    redo() {
      if (at.peek() >= drafts.peek().length - 1) return;
      at.value++;
      settle('Redone.');
    },
    reset() {
      store.apply(original, "Back to the chapter's version. Undo brings your edits back.");
      if (storage) clearEdits(storage, original.id);
    },
    select(index) {
      selected.value = index;
    },
    setCableMode(on) {
      batch(() => {
        cableMode.value = on;
        cableFrom.value = null;
      });
    },
    setCableFrom(id) {
      cableFrom.value = id;
    },
    say,
  };
  return store;
}
