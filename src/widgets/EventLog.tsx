// The event log, which is the run's timeline: every step's events in the core's own words, grouped
// by step, newest at the bottom and scrolled into view inside its own box. Each step's heading is
// a button that moves the whole run there (back exactly, or forward by replaying the steps undone,
// which the log keeps below the present, dimmed); a line that carries a frame is a button that
// shows its bytes (one of a step undone goes there first). The frame lines form one tab stop, and
// the arrow keys move between them; the headings are for the pointer (the keyboard has the
// scrubber). A line of the present does not move the run: the inspector reads what the device
// did next from the trace, which a step back would cut. The scrubber and the filters by
// device and protocol (Timeline.tsx) come with the core, and the filters narrow what is drawn. It shows the
// newest LOG_SHOWN events (a big topology makes thousands per step) and offers the earlier ones.
// When hundreds of new events arrive at once (Run to the end on a big topology), it draws the
// newest LOG_CHUNK first and the earlier ones a chunk per frame, so that no frame lays out
// hundreds of new lines.

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { EventView, StepGroup } from './player-model';
import { ShowMore } from './ShowMore';

/** Events the log shows at first, newest last (more than any chapter run makes, with a few sends); "Show earlier" adds LOG_PAGE at a time. */
export const LOG_SHOWN = 400;
export const LOG_PAGE = 500;
/** A log showing more lines than this lays out only those in view (CSS content-visibility); a chapter's short log is drawn whole. */
const LONG_LOG = 300;
/** At most this many new lines are drawn in one frame. */
export const LOG_CHUNK = 50;

/** The newest `count` events of `groups`, still grouped by step (the oldest group may be cut). */
export function newestEvents(groups: readonly StepGroup[], count: number): { groups: StepGroup[]; hidden: number } {
  const last = groups[groups.length - 1];
  const total = last ? last.events[last.events.length - 1]!.index + 1 - groups[0]!.events[0]!.index : 0;
  if (total <= count) return { groups: groups as StepGroup[], hidden: 0 };
  const kept: StepGroup[] = [];
  let room = count;
  for (let i = groups.length - 1; i >= 0 && room > 0; i--) {
    const g = groups[i]!;
    kept.push(g.events.length <= room ? g : { ...g, events: g.events.slice(g.events.length - room) });
    room -= Math.min(room, g.events.length);
  }
  return { groups: kept.reverse(), hidden: total - count };
}

export interface EventLogProps {
  idPrefix: string;
  groups: StepGroup[];
  /** The steps undone (after a step back or a jump back), which Step replays, drawn below the log (Timeline.tsx's StepsUndone, which comes with the core). */
  undone?: ComponentChildren;
  /** `groups` (and the steps undone) are narrowed by the timeline's filters (log-filter.ts). */
  narrowed?: boolean;
  /** The scrubber and the filters, once the core has arrived: drawn above the log's box. */
  timeline?: ComponentChildren;
  selected: number | null;
  /** A frame line was chosen: inspect it. */
  onSelect: (eventIndex: number) => void;
  /** A step's heading, or a line of a step undone, was chosen: move the run to that step. */
  onJump?: (step: number) => void;
  /** Esc on a line: close the inspector (which gives focus back to the line). */
  onClose?: () => void;
  /** While playing, the log stops announcing itself: several steps a second would drown a screen reader. */
  quiet: boolean;
}

const SYMBOL: Partial<Record<EventView['kind'], string>> = {
  deliver: '✓',
  drop: '✕',
  filter: '✕',
  halt: '⚠',
  loop: '⚠',
  flood: '⇉',
  forward: '→',
  learn: '+',
  expire: '−',
  result: '■',
};

export function EventLog({ idPrefix, groups: all, undone, narrowed, timeline, selected, onSelect, onJump, onClose, quiet }: EventLogProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState(LOG_SHOWN);
  const first = all[0]?.events[0]?.index ?? 0;
  const lastGroup = all[all.length - 1];
  const newest = lastGroup ? lastGroup.events[lastGroup.events.length - 1]!.index : -1;
  const wantFrom = Math.max(first, newest - shown + 1);
  // The oldest event drawn. It starts with everything wanted; a jump of more than LOG_CHUNK new
  // events draws only the newest chunk, and the effect below draws earlier ones frame by frame.
  const drawnFrom = useRef<number | null>(null);
  const seenNewest = useRef<number | null>(null);
  if (drawnFrom.current === null || seenNewest.current === null) drawnFrom.current = wantFrom;
  else if (newest - seenNewest.current > LOG_CHUNK) drawnFrom.current = Math.max(wantFrom, newest - LOG_CHUNK + 1);
  else if (newest < seenNewest.current) drawnFrom.current = Math.min(drawnFrom.current, Math.max(wantFrom, newest - LOG_CHUNK + 1));
  drawnFrom.current = Math.max(wantFrom, drawnFrom.current);
  seenNewest.current = newest;
  const from = drawnFrom.current;
  const growing = from > wantFrom;
  const { groups } = newestEvents(all, newest - from + 1);
  const hidden = Math.max(0, wantFrom - first);
  const [, redraw] = useState(0);
  useEffect(() => {
    if (!growing) return;
    const frame = requestAnimationFrame(() => {
      drawnFrom.current = Math.max(wantFrom, (drawnFrom.current ?? wantFrom) - LOG_CHUNK);
      redraw((n) => n + 1);
    });
    return () => cancelAnimationFrame(frame);
  });
  const shownCount = groups.reduce((n, g) => n + g.events.length, 0);
  const last = groups[groups.length - 1];
  const lastKey = last ? `${last.step}:${last.events.length}` : '';

  // Newest visible: scroll the log's own box, never the page. New events bring the newest line
  // into view; while earlier lines are drawn above it, frame by frame, it stays in view unless the
  // reader has scrolled or moved in the log meanwhile. Reading the box's height lays out the page:
  // done just before the next frame, where the browser lays it out anyway, rather than in the task
  // that changed the log (a press of Step), which would double that task's length.
  // A line chosen in the log moves the run without moving the log: the reader is reading there.
  const pinned = useRef(true);
  const picked = useRef(false);
  const seenKey = useRef(lastKey);
  if (seenKey.current !== lastKey) {
    seenKey.current = lastKey;
    pinned.current = !picked.current;
  }
  picked.current = false;
  /** To the present: the end of the log, or with steps ahead drawn, the line that marks the present at the box's bottom. */
  const toPresent = (box: HTMLElement) => {
    const now = box.querySelector('.vp-log-now');
    if (now) box.scrollTop += now.getBoundingClientRect().bottom - box.getBoundingClientRect().bottom;
    else box.scrollTop = box.scrollHeight;
  };
  useEffect(() => {
    if (!pinned.current) return;
    const frame = requestAnimationFrame(() => {
      const box = boxRef.current;
      if (box && pinned.current) toPresent(box);
    });
    return () => cancelAnimationFrame(frame);
  }, [lastKey, from]);
  const unpin = () => {
    pinned.current = false;
  };
  // Lines out of view are laid out only when scrolled to (content-visibility), so the list's true
  // height is known a frame late: whenever it changes, a pinned log scrolls to its end again.
  const listRef = useRef<HTMLOListElement>(null);
  const empty = groups.length === 0;
  useEffect(() => {
    const box = boxRef.current;
    const list = listRef.current;
    if (!box || !list || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (pinned.current) toPresent(box);
    });
    observer.observe(list);
    return () => observer.disconnect();
  }, [empty]);

  // One tab stop: the chosen line, else the newest line with a frame.
  let tabbable = -1;
  for (const g of groups) for (const e of g.events) if (e.hasFrame && tabbable !== selected) tabbable = e.index;
  /** Chosen in the log: the run moves (`step`, for a heading) or a frame line is inspected; the log stays where it is. */
  const pick = (index: number, step?: number) => {
    picked.current = true;
    pinned.current = false;
    if (step !== undefined) onJump?.(step);
    if (index >= 0) onSelect(index);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && selected !== null) {
      event.preventDefault();
      onClose?.();
      return;
    }
    const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End'];
    if (!keys.includes(event.key) || !boxRef.current) return;
    const target = event.target as HTMLElement | null;
    if (!target?.matches('button[data-event]')) return;
    const buttons = [...boxRef.current.querySelectorAll<HTMLButtonElement>('button[data-event]')];
    const at = buttons.indexOf(target as HTMLButtonElement);
    let to = at;
    if (event.key === 'ArrowDown') to = Math.min(buttons.length - 1, at + 1);
    if (event.key === 'ArrowUp') to = Math.max(0, at - 1);
    if (event.key === 'Home') to = 0;
    if (event.key === 'End') to = buttons.length - 1;
    event.preventDefault();
    const button = buttons[to];
    if (!button || to === at) return;
    // Selection follows focus on the present's frame lines, so the inspector shows the line reached.
    if (!button.closest('.vp-log-ahead')) pick(Number(button.dataset['event']));
    button.focus({ preventScroll: true });
    // Keep the focused line visible inside the box only.
    const box = boxRef.current.getBoundingClientRect();
    const line = button.getBoundingClientRect();
    if (line.top < box.top) boxRef.current.scrollTop -= box.top - line.top + 8;
    else if (line.bottom > box.bottom) boxRef.current.scrollTop += line.bottom - box.bottom + 8;
  };

  const stepItem = (g: StepGroup) => (
    <li key={g.step} class="vp-log-step">
      <button type="button" class="vp-log-head" tabIndex={-1} title="Take the whole run to this step" onClick={() => pick(-1, g.step)}>
        Step {g.step} · t = {g.time} ms
      </button>
      <ul class="vp-log-events">
        {g.events.map((e) => {
          const symbol = SYMBOL[e.kind];
          const body = (
            <>
              {symbol && (
                <span class="vp-ev-sym" aria-hidden="true">
                  {symbol}
                </span>
              )}
              <span class="vp-ev-text">{e.text}</span>
            </>
          );
          return (
            <li key={e.index} class={`vp-ev vp-ev--${e.kind}`}>
              {e.hasFrame ? (
                <button
                  type="button"
                  class="vp-ev-btn"
                  data-event={String(e.index)}
                  tabIndex={e.index === tabbable ? 0 : -1}
                  aria-pressed={selected === e.index ? 'true' : 'false'}
                  aria-controls={selected === e.index ? `${idPrefix}-inspector` : undefined}
                  onClick={() => pick(e.index)}
                >
                  {body}
                </button>
              ) : (
                body
              )}
            </li>
          );
        })}
      </ul>
    </li>
  );

  return (
    <div class="vp-log-wrap">
      <p class="vp-panel-title" id={`${idPrefix}-log-title`}>
        Event log
      </p>
      <div class="vp-timeline">{timeline}</div>
      <div
        ref={boxRef}
        class={`vp-log${shownCount > LONG_LOG ? ' vp-log--long' : ''}`}
        role="log"
        // Earlier lines drawn late are no news: a screen reader would read hundreds of them.
        aria-live={quiet || growing ? 'off' : 'polite'}
        aria-busy={growing ? 'true' : undefined}
        aria-labelledby={`${idPrefix}-log-title`}
        aria-describedby={`${idPrefix}-log-hint`}
        tabIndex={0}
        onKeyDown={(event) => {
          unpin();
          onKeyDown(event);
        }}
        onWheel={unpin}
        onPointerDown={unpin}
      >
        <ShowMore hidden={hidden} shown={shown} initial={LOG_SHOWN} what="events" word="earlier" page={LOG_PAGE} onShow={setShown} />
        {groups.length === 0 && !undone ? (
          <p class="vp-log-empty">{narrowed ? 'No event matches the filters.' : 'Nothing has happened yet. Press Step to run the first event.'}</p>
        ) : (
          <ol class="vp-log-steps" ref={listRef}>
            {groups.map(stepItem)}
          </ol>
        )}
        {undone}
      </div>
      <p class="vp-hint" id={`${idPrefix}-log-hint`}>
        Lines with a frame are buttons: choose one to inspect it; ↑ and ↓ move between them, Tab goes to the inspector, Esc closes it. A step's heading, or the Timeline slider, takes the whole run to that step.
      </p>
    </div>
  );
}
