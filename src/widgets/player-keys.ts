// The player's keyboard, as pure decisions (the DOM side is in ScenarioPlayer.tsx and Controls.tsx),
// and the toolbars' roving tabindex (useRovingToolbar, the one hook here).
//
// One scheme, said in the hint under the run controls:
// - The run controls are one Tab stop, a WAI-ARIA toolbar: ← and → move focus between its buttons
//   (wrapping round), Home and End go to the first and the last; Enter or Space presses the focused one.
// - Anywhere else in the player (the drawing, the log, the player itself after a click on it),
//   → steps, ← steps back and Space plays or pauses. Keys keep their own meaning where they have one:
//   in a text field, a list or any control of the editor; Space still presses a focused button (a
//   log line, Send packet); ← and → still scroll a table too wide for its box.

import { useRef, useState } from 'preact/hooks';

/** What the key does in the player at large. */
export type PlayerKeyAction = 'step' | 'back' | 'toggle';

/** Where the key was pressed, as far as the player's keys care. */
export type KeyPlace =
  /** A text field, a list (<select>) or anything editable: every key is the field's own. */
  | 'field'
  /** Inside the editor panel: its own forms and shortcuts. */
  | 'editor'
  /** On the run-controls toolbar: arrows move between its buttons. */
  | 'toolbar'
  /** A box that scrolls sideways (a wide table on a phone): arrows scroll it. */
  | 'sideways'
  /** Another button or link: Space and Enter press it. */
  | 'button'
  /** Anything else in the player: the log's box, the player itself. */
  | 'other';

export interface KeyPress {
  key: string;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  shiftKey?: boolean;
}

/** The player's action for `press` at `place`, or null when the key is not the player's there. */
export function playerKeyAction(press: KeyPress, place: KeyPlace): PlayerKeyAction | null {
  if (press.altKey || press.ctrlKey || press.metaKey || press.shiftKey) return null;
  if (place === 'field' || place === 'editor' || place === 'toolbar') return null;
  if (press.key === 'ArrowRight' || press.key === 'ArrowLeft') {
    if (place === 'sideways') return null;
    return press.key === 'ArrowRight' ? 'step' : 'back';
  }
  if (press.key === ' ' || press.key === 'Spacebar') return place === 'button' ? null : 'toggle';
  return null;
}

/**
 * The toolbar button that `key` moves focus to, from button `at` of `count`, or null when the key
 * does not move focus: → and ← go to the next and previous (wrapping round), Home and End to the
 * first and the last.
 */
export function toolbarTarget(press: KeyPress, at: number, count: number): number | null {
  if (count <= 0 || press.altKey || press.ctrlKey || press.metaKey || press.shiftKey) return null;
  switch (press.key) {
    case 'ArrowRight':
      return (at + 1) % count;
    case 'ArrowLeft':
      return (at - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/** Where a key pressed on `el` was pressed (see KeyPlace). */
export function keyPlace(el: Element | null): KeyPlace {
  if (!el) return 'other';
  if (el.closest('.ve')) return 'editor';
  if (el.closest('input, select, textarea, [contenteditable]:not([contenteditable="false"])')) return 'field';
  if (el.closest('[role="toolbar"]')) return 'toolbar';
  if (el.matches('.vp-scroll[tabindex]')) return 'sideways';
  if (el.closest('button, a[href], summary')) return 'button';
  return 'other';
}

/** A toolbar's items, in document order: its buttons, and the file input of a button-like label (the editor's Import JSON). */
export const TOOLBAR_ITEMS = 'button, input';

/** What the toolbar's key handler needs of its DOM: the toolbar, and its items' focus. */
interface ToolbarElement {
  querySelectorAll(selector: string): ArrayLike<unknown>;
}
interface ToolbarEvent {
  key: string;
  target: unknown;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  shiftKey?: boolean;
  preventDefault(): void;
}

/**
 * Handles a key pressed in `toolbar`: when it moves focus (see toolbarTarget), focuses that item,
 * says which (`moved`) and keeps the key from the page; returns its index, or null for a key that is
 * not the toolbar's (Tab, Enter, Space, a modified key, or a key on something that is not an item).
 */
export function toolbarKey(event: ToolbarEvent, toolbar: ToolbarElement | null, moved: (index: number) => void): number | null {
  const items = Array.from((toolbar?.querySelectorAll(TOOLBAR_ITEMS) ?? []) as ArrayLike<{ focus(): void }>);
  const at = items.indexOf(event.target as { focus(): void });
  if (at < 0) return null;
  const to = toolbarTarget(event, at, items.length);
  if (to === null) return null;
  event.preventDefault();
  moved(to);
  items[to]!.focus();
  return to;
}

/**
 * A WAI-ARIA toolbar's roving tabindex (the run controls, Controls.tsx, and the editor's toolbar,
 * editor/EditorPanel.tsx): the toolbar is one Tab
 * stop, the item focused last, and ← → Home End move focus in it (toolbarKey).
 * Its items are numbered 0, 1, … in document order: spread `rove(i)` on item i, `ref` and
 * `onKeyDown` on the element with role="toolbar". `first` is the item Tab reaches before any has
 * been focused.
 */
export function useRovingToolbar<T extends HTMLElement = HTMLDivElement>(first = 0) {
  const [active, setActive] = useState(first);
  const ref = useRef<T>(null);
  const onKeyDown = (event: KeyboardEvent) => void toolbarKey(event, ref.current, setActive);
  const rove = (i: number) => ({ tabIndex: i === active ? 0 : -1, onFocus: () => setActive(i) });
  return { ref, onKeyDown, rove };
}
