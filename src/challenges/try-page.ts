// The page's side of a "Try it" challenge (TryIt.astro), loaded on its first submit: it asks the
// player to make the change and run it (ScenarioPlayer.tsx hears 'vp-try' once it has hydrated,
// and says so by cancelling the event; try-it.ts does the work), and shows the verdict.

import type { TryRequest } from '../widgets/try-it';

export function ask(form: HTMLFormElement): void {
  const verdict = form.querySelector<HTMLElement>('.try__verdict')!;
  const player = document.querySelector<HTMLElement>(`section.vp[data-scenario="${form.dataset['scenario']}"]`);
  if (!player) return;
  // The run plays in the player, above: bring it into view if the reader has scrolled past its top.
  if (player.getBoundingClientRect().top < 0) player.scrollIntoView();
  verdict.textContent = 'The player opens its editor with the change, and runs it…';
  delete verdict.dataset['held'];
  const detail: TryRequest = {
    id: form.dataset['try'] ?? '',
    choice: String(new FormData(form).get('choice')),
    done(text, held) {
      verdict.textContent = text;
      if (held !== null) verdict.dataset['held'] = String(held);
    },
  };
  // A player scrolled into view hydrates (client:visible): ask until it has heard.
  let tries = 0;
  const again = () => {
    if (player.dispatchEvent(new CustomEvent('vp-try', { detail, cancelable: true })) && ++tries < 50) setTimeout(again, 200);
  };
  again();
}
