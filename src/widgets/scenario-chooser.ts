// A player's chooser (ScenarioPlayer's `chooser` prop): elements elsewhere on the page with
// `data-player="<name>"` and `data-experiment="<id>"` (the cells of a computed table) load that
// experiment into the player. Loaded with import() only by a player that has a chooser, so that
// other pages carry none of it. The experiments are one JSON object (id → scenario) at `url`,
// fetched on the first choice.

import type { Scenario } from '../sim/scenario/format';

export interface ChoiceHandlers {
  /** A choice was made: its experiment is on its way (the player fetches the core meanwhile). */
  started: () => void;
  /** The chosen experiment (its element is marked aria-pressed, the others unmarked). */
  show: (scenario: Scenario) => void;
  /** It could not be loaded; the next click tries again. */
  failed: () => void;
}

/** Listens for clicks on the chooser's elements. Returns what stops listening. */
export function listenForChoices(name: string, url: string, { started, show, failed }: ChoiceHandlers): () => void {
  const selector = `[data-player="${CSS.escape(name)}"][data-experiment]`;
  let experiments: Promise<Record<string, Scenario>> | null = null;
  const onClick = (event: MouseEvent) => {
    const chosen = event.target instanceof Element ? event.target.closest<HTMLElement>(selector) : null;
    if (!chosen) return;
    event.preventDefault();
    const id = chosen.dataset['experiment']!;
    started();
    experiments ??= fetch(url).then((response) => {
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      return response.json() as Promise<Record<string, Scenario>>;
    });
    experiments
      .then((all) => {
        const next = Object.hasOwn(all, id) ? all[id] : undefined;
        if (!next) throw new Error(`no experiment ${id}`);
        for (const cell of document.querySelectorAll<HTMLElement>(selector)) cell.setAttribute('aria-pressed', cell.dataset['experiment'] === id ? 'true' : 'false');
        show(next);
      })
      .catch(() => {
        experiments = null;
        failed();
      });
  };
  document.addEventListener('click', onClick);
  return () => document.removeEventListener('click', onClick);
}
