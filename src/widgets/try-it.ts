// A "Try it" challenge run in its player (TryIt.astro asks, ScenarioPlayer.tsx passes the request
// on): the editor opens with the challenge's change applied as an edit, the changed experiment
// plays, and once it has run out, the check reads the run's report and says whether the reader's
// prediction held. Loaded on the first "Try it", with the challenges, the editor and the core.

import { effect } from '@preact/signals';
import type { EditorStore } from '../editor/store';
import type { PlayerModel } from './player-model';

export interface TryRequest {
  /** The challenge (src/challenges/challenges.ts). */
  id: string;
  /** The reader's prediction: one of its choices. */
  choice: string;
  /** Called once with the verdict, or with why there is none. */
  done(text: string, held: boolean | null): void;
}

/** What the player lends: its editor, and the model it runs now (updated as it renders). */
export interface TryHost {
  openEditor(): Promise<EditorStore | null>;
  model: PlayerModel;
}

/** The model the player runs once it differs from `before` (it builds the changed experiment's as it next renders). */
function nextModel(host: { current: TryHost }, before: PlayerModel): Promise<PlayerModel | null> {
  return new Promise((resolve) => {
    let frames = 0;
    const look = () => {
      if (host.current.model !== before) resolve(host.current.model);
      else if (++frames > 300) resolve(null);
      else requestAnimationFrame(look);
    };
    look();
  });
}

/** Resolves once `model`'s run has nothing left to do and is not playing (the reader may pause it meanwhile). */
function ended(model: PlayerModel): Promise<void> {
  return new Promise((resolve) => {
    let over = false;
    const stop = effect(() => {
      if (over || model.playing.value || model.canStep.value) return;
      over = true;
      resolve();
    });
    void Promise.resolve().then(function drop() {
      if (over) stop();
      else setTimeout(drop, 500);
    });
  });
}

export async function tryIt(request: TryRequest, host: { current: TryHost }): Promise<void> {
  try {
    const [{ CHALLENGES }, { buildReport }, editing, store] = await Promise.all([import('../challenges/challenges'), import('../sim/report'), import('./editor/EditorPanel'), host.current.openEditor()]);
    const challenge = CHALLENGES.find((c) => c.id === request.id);
    if (!challenge) return request.done('This challenge is not known to this version of the page.', null);
    if (!store) return request.done('The editor could not be loaded (are you offline?). Try again.', null);
    let changed;
    try {
      changed = challenge.apply(store.draft.peek(), editing);
    } catch {
      return request.done("Your own edits changed this experiment too much for the challenge: press Reset in the editor, then try again.", null);
    }
    const before = host.current.model;
    let model: PlayerModel | null = before;
    if (JSON.stringify(changed) === JSON.stringify(store.draft.peek())) before.reset();
    else {
      store.apply(changed, `${challenge.change}: the "Try it" change.`);
      model = await nextModel(host, before);
    }
    if (!model) return request.done('The change could not be run: the editor says why.', null);
    model.setSpeed(4);
    model.play();
    await ended(model);
    const outcome = challenge.outcome(buildReport(model.sim));
    const held = outcome === request.choice;
    request.done(`${held ? 'Your prediction held.' : 'Not what you predicted.'} ${challenge.why[outcome] ?? ''}`, held);
  } catch {
    request.done('The challenge could not be run (are you offline?). Try again.', null);
  }
}
