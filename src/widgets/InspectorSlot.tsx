// Where the inspector goes: its code (the layered view, the linked fields and bytes) is fetched
// with import() the first time the reader chooses a line, not with the page.

import { useEffect, useState } from 'preact/hooks';
import type { InspectorProps } from './Inspector';

type InspectorModule = typeof import('./Inspector');

/** Shared by every player of the page once fetched. */
let fetched: InspectorModule | null = null;

export function InspectorSlot(props: InspectorProps) {
  const [mod, setMod] = useState<InspectorModule | null>(fetched);
  const [failed, setFailed] = useState(false);
  const wanted = props.detail !== null;
  useEffect(() => {
    if (!wanted || mod) return;
    let live = true;
    setFailed(false);
    import('./Inspector')
      .then((m) => {
        fetched = m;
        if (live) setMod(m);
      })
      .catch(() => {
        if (live) setFailed(true);
      });
    return () => {
      live = false;
    };
  }, [wanted, mod, props.detail?.eventIndex]);
  if (mod) return <mod.Inspector {...props} />;
  return (
    <p class="vp-muted" role="status">
      {wanted && failed ? 'The inspector could not be loaded (are you offline?). Choose the line again to try again.' : ''}
    </p>
  );
}
