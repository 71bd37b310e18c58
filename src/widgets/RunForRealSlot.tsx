// "Run it for real", under a player's tables: a disclosure whose contents (the capture, the Linux
// script, the containerlab topology, and the code that makes them) are fetched with import() the
// first time the reader opens it, never with the page.

import { useState } from 'preact/hooks';
import type { RunForRealProps } from './run-for-real/RunForReal';

type RunForRealModule = typeof import('./run-for-real/RunForReal');

/** Shared by every player of the page once fetched. */
let fetched: RunForRealModule | null = null;

export function RunForRealSlot(props: RunForRealProps) {
  const [open, setOpen] = useState(false);
  const [mod, setMod] = useState<RunForRealModule | null>(fetched);
  const [failed, setFailed] = useState(false);
  const onToggle = (event: Event) => {
    const isOpen = (event.currentTarget as HTMLDetailsElement).open;
    setOpen(isOpen);
    if (!isOpen || mod) return;
    setFailed(false);
    import('./run-for-real/RunForReal')
      .then((m) => {
        fetched = m;
        setMod(m);
      })
      .catch(() => setFailed(true));
  };
  return (
    <details class="vp-real" onToggle={onToggle}>
      <summary>Run it for real: capture, Linux script, containerlab</summary>
      {open &&
        (mod ? (
          <mod.RunForReal {...props} />
        ) : (
          <p class="vp-muted" role="status">
            {failed ? 'This part could not be loaded (are you offline?). Close and open it again to try again.' : 'Loading…'}
          </p>
        ))}
    </details>
  );
}
