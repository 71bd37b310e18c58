// The line under a shortened list: "… and 1,988 more ARP caches" with a button that shows another
// page of them. Big topologies have thousands of rows; drawing them all on every step would freeze
// the page, so every list shows a bounded number and says honestly how many it leaves out. Once
// all are shown the same button offers to show fewer, so that focus never falls off the page.

import { formatCount } from '../sim/scenario/count';

export interface ShowMoreProps {
  /** How many are left out. */
  hidden: number;
  /** How many the list shows now, and how many it shows by default. */
  shown: number;
  initial: number;
  /** What the list holds, in the plural ("ARP caches", "events"). */
  what: string;
  /** How many more one press shows. */
  page: number;
  onShow: (count: number) => void;
  /** "earlier" for the log (it hides its oldest lines), "more" elsewhere. */
  word?: 'more' | 'earlier';
  class?: string;
}

/** The singular of a list's plural name: "entries" → "entry", "ARP caches" → "ARP cache", "frames" → "frame". */
export function singular(what: string): string {
  return what.endsWith('ies') ? `${what.slice(0, -3)}y` : what.endsWith('s') ? what.slice(0, -1) : what;
}

export function ShowMore({ hidden, shown, initial, what, page, onShow, word = 'more', class: cls }: ShowMoreProps) {
  if (hidden <= 0 && shown <= initial) return null;
  const next = Math.min(page, hidden);
  return (
    <p class={`vp-more${cls ? ` ${cls}` : ''}`}>
      {hidden > 0 && (
        <span>
          … and {formatCount(hidden)} {word} {hidden === 1 ? singular(what) : what} not shown.{' '}
        </span>
      )}
      <button type="button" class="vp-btn vp-btn--small vp-more-btn" onClick={() => onShow(hidden > 0 ? shown + next : initial)}>
        {hidden > 0 ? `Show ${formatCount(next)} ${word}` : 'Show fewer'}
      </button>
    </p>
  );
}
