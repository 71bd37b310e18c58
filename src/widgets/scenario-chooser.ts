// A player's chooser (ScenarioPlayer's `chooser` prop): elements elsewhere on the page with
// `data-player="<name>"` and `data-experiment="<id>"` (the cells of a computed table) load that
// experiment into the player. Loaded with import() on a reader's first choice (ScenarioPlayer
// listens for the clicks), so that no page carries it before. The experiments are one JSON object (id → scenario) at `url`,
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

/**
 * The chooser's loader: `choose(cell)` loads the cell's experiment (the file of all of them is
 * fetched on the first choice and kept; a failed fetch is tried again on the next choice), marks
 * that cell pressed and the chooser's other cells (`selector`) not, and hands the experiment over.
 * The click listener that calls it lives in ScenarioPlayer, so that this module loads only with a
 * reader's first choice.
 */
export function chooserLoader(selector: string, url: string, { started, show, failed }: ChoiceHandlers): { choose: (cell: HTMLElement) => void } {
  let experiments: Promise<Record<string, Scenario>> | null = null;
  return {
    choose(cell) {
      const id = cell.dataset['experiment']!;
      started();
      experiments ??= fetch(url).then((response) => {
        if (!response.ok) throw new Error(`${url}: ${response.status}`);
        return response.json() as Promise<Record<string, Scenario>>;
      });
      experiments
        .then((all) => {
          const next = Object.hasOwn(all, id) ? all[id] : undefined;
          if (!next) throw new Error(`no experiment ${id}`);
          for (const other of document.querySelectorAll<HTMLElement>(selector)) other.setAttribute('aria-pressed', other.dataset['experiment'] === id ? 'true' : 'false');
          show(next);
        })
        .catch(() => {
          experiments = null;
          failed();
        });
    },
  };
}
