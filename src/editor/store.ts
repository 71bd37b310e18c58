// The editor's state for one player: the history of drafts (undo/redo), the validator's verdict on
// the current one, and what the pointer is doing. Every edit is a pure operation (ops.ts) giving a
// new draft; validateScenario() judges it; only a valid draft is handed to the player to run (and
// saved), so an invalid one leaves the last valid topology running while the form shows why.
// A small draft is judged at once; a big one (checker.ts) off the main thread, and the verdict
// follows a moment later (`checking` says so meanwhile).

import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import type { Scenario } from '../sim/scenario/format';
import { formatCount } from '../sim/scenario/limits';
import { validateScenario, type ValidationResult } from '../sim/scenario/validate';
import { inline, OFF_THREAD_DEVICES, offThreadChecker, type Checker } from './checker';
import { fieldIssues, type FieldIssues } from './issues';
import { jsonOf } from './texts';
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
  /** Where drafts of more than OFF_THREAD_DEVICES devices are judged (default: a worker where there are workers). */
  checker?: Checker;
}

export interface EditorStore {
  readonly original: Scenario;
  readonly draft: ReadonlySignal<Scenario>;
  /** The verdict on the draft; while `checking`, on the draft before it (its issues are not shown meanwhile). */
  readonly result: ReadonlySignal<ValidationResult>;
  /** A big draft is being judged off the main thread: `result` is not about it yet. */
  readonly checking: ReadonlySignal<boolean>;
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

/**
 * Verdicts already reached, by draft: undo and redo return to judged drafts, and a file checked on
 * import is not checked again when it becomes the draft. Valid scenarios are the validator's own
 * output, which it judges the same way again.
 */
const verdicts = new WeakMap<Scenario, ValidationResult>();

/** Records a verdict reached elsewhere (the import's): applying `result.scenario` then needs no second check. */
export function rememberVerdict(result: ValidationResult & { ok: true }): void {
  verdicts.set(result.scenario, result);
}

function judgeNow(draft: Scenario): ValidationResult {
  let verdict = verdicts.get(draft);
  if (!verdict) {
    verdict = validateScenario(draft);
    verdicts.set(draft, verdict);
    if (verdict.ok) verdicts.set(verdict.scenario, verdict);
  }
  return verdict;
}

/** A big draft is saved in a task of its own: writing megabytes to storage is no part of the edit's. */
const SAVE_LATER_FROM = OFF_THREAD_DEVICES;

/** Drafts are compared by their JSON (texts.ts writes each once: an edit compares the new draft with the old, the running and the chapter's version, and with thousands of devices each text takes a while). */
const same = (a: Scenario, b: Scenario) => a === b || (a.devices.length === b.devices.length && a.links.length === b.links.length && jsonOf(a) === jsonOf(b));

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
  const checker = options.checker ?? offThreadChecker();
  const judgedAtOnce = (draft: Scenario) => verdicts.has(draft) || draft.devices.length <= OFF_THREAD_DEVICES || checker === inline;
  /**
   * The newest verdict and the draft it is about. A big start (a restored or shared version, which
   * was valid when it was read) is judged off the main thread as the editor opens: until then no
   * draft has a verdict, and it counts as valid without warnings.
   */
  const judged = signal<{ draft: Scenario | null; result: ValidationResult }>(
    judgedAtOnce(options.start) ? { draft: options.start, result: judgeNow(options.start) } : { draft: null, result: { ok: true, scenario: options.start, warnings: [] } },
  );
  if (judged.peek().draft === null) {
    const start = options.start;
    void checker.validate(start).then((verdict) => {
      verdicts.set(start, verdict);
      if (judged.peek().draft === null && draft.peek() === start) judged.value = { draft: start, result: verdict };
    });
  }
  const result = computed(() => judged.value.result);
  const checking = computed(() => judged.value.draft !== draft.value);
  const noIssues = fieldIssues({ ok: true, scenario: options.start, warnings: [] });
  const issues = computed(() => (checking.value ? noIssues : fieldIssues(result.value)));
  let saveTimer: ReturnType<typeof setTimeout> | undefined;

  const say = (text: string, error = false) => {
    notice.value = { text, error };
  };

  /** After the draft changed: judge it (at once, or off the main thread when it is big), then settle. */
  const changed = (said: string | undefined) => {
    const now = draft.peek();
    if (judgedAtOnce(now)) {
      judged.value = { draft: now, result: judgeNow(now) };
      settle(said);
      return;
    }
    say(`${said ? `${said} ` : ''}Checking ${formatCount(now.devices.length)} devices…`);
    void checker.validate(now).then((verdict) => {
      verdicts.set(now, verdict);
      if (verdict.ok) verdicts.set(verdict.scenario, verdict);
      // A newer edit came meanwhile: its own check settles it.
      if (draft.peek() !== now) return;
      judged.value = { draft: now, result: verdict };
      settle(said);
    });
  };

  /** After the draft was judged: run and save it if it is valid, else say why the old one keeps running. */
  const settle = (said: string | undefined) => {
    const verdict = result.value;
    if (verdict.ok) {
      if (!same(verdict.scenario, running.peek())) {
        running.value = verdict.scenario;
        options.run(verdict.scenario);
      }
      let saveError: string | null = null;
      clearTimeout(saveTimer);
      if (storage) {
        if (same(verdict.scenario, original)) clearEdits(storage, original.id);
        else if (verdict.scenario.devices.length <= SAVE_LATER_FROM) saveError = saveEdits(storage, original.id, verdict.scenario);
        else {
          const toSave = verdict.scenario;
          saveTimer = setTimeout(() => {
            const error = saveEdits(storage, original.id, toSave);
            if (error) say(error, true);
          }, 0);
        }
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
    checking,
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
      changed(said);
    },
    undo() {
      if (at.peek() === 0) return;
      at.value--;
      changed('Undone.');
    },
    redo() {
      if (at.peek() >= drafts.peek().length - 1) return;
      at.value++;
      changed('Redone.');
    },
    reset() {
      store.apply(original, "Back to the chapter's version. Undo brings your edits back.");
      clearTimeout(saveTimer);
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
