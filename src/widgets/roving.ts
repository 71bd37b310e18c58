// A WAI-ARIA toolbar with a roving tabindex: the whole toolbar is one Tab stop (the item focused
// last), ← and → move focus between its items (wrapping round), Home and End go to the first and the
// last (the keys are player-keys.ts's toolbarTarget). The run controls (Controls.tsx) and the
// editor's toolbar (editor/EditorPanel.tsx) both use it.
import { useRef, useState } from 'preact/hooks';
import { toolbarTarget } from './player-keys';

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
 * The roving tabindex of a toolbar whose items are numbered 0, 1, … in document order: spread
 * `rove(i)` on item i, `ref` and `onKeyDown` on the element with role="toolbar". `first` is the
 * item Tab reaches before any has been focused.
 */
export function useRovingToolbar<T extends HTMLElement = HTMLDivElement>(first = 0) {
  const [active, setActive] = useState(first);
  const ref = useRef<T>(null);
  const onKeyDown = (event: KeyboardEvent) => void toolbarKey(event, ref.current, setActive);
  const rove = (i: number) => ({ tabIndex: i === active ? 0 : -1, onFocus: () => setActive(i) });
  return { ref, onKeyDown, rove };
}
